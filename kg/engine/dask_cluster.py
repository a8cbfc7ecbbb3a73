"""The Dask engine: shards are tasks on a Dask distributed cluster, or on a LocalCluster.

Every worker needs the same kg installed (the engine checks the pipeline
fingerprint each task returns) and reads nothing from disk: the papers travel
with the tasks, and the small `PaperExtraction`s come back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import ExitStack

from kg.engine import EngineError, ShardResult, extract_shard
from kg.records import Paper

CONNECT_TIMEOUT = "30s"


def map_shards(
    shards: list[Sequence[Paper]], *, spacy_model: str | None, jobs: int, scheduler: str | None
) -> Iterator[ShardResult]:
    """Each shard's result, in order, from the cluster at `scheduler` or from a LocalCluster
    of `jobs` single-threaded worker processes on the loopback interface."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as error:
        raise EngineError(
            "the dask engine needs dask[distributed]: pip install 'kg[dask]'"
        ) from error
    with ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(Client(scheduler, timeout=CONNECT_TIMEOUT))
            except OSError as error:
                raise EngineError(
                    f"cannot reach the Dask scheduler at {scheduler}: {error}"
                ) from error
        else:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=jobs,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            )
            client = stack.enter_context(Client(cluster))
        futures = client.map(extract_shard, shards, spacy_model=spacy_model, pure=False)
        try:
            for future in futures:
                yield future.result()
        finally:
            client.cancel(futures)
