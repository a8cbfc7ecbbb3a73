"""The default engine: a pool of local worker processes, each with its own pipeline."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from kg.engine import ShardResult, extract_shard, pipeline
from kg.records import Paper


def map_shards(
    shards: list[Sequence[Paper]], *, spacy_model: str | None, jobs: int, scheduler: str | None
) -> Iterator[ShardResult]:
    """Each shard's result, in order, from `jobs` processes.

    The pipeline is built here once and the workers fork from this process, so
    they start with it instead of importing spaCy and building it again each.
    """
    pipeline(spacy_model)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(shards)), mp_context=context) as pool:
        futures = [pool.submit(extract_shard, papers, spacy_model) for papers in shards]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()
