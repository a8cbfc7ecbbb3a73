"""The default engine: a pool of local worker processes, each with its own pipeline.

Workers are bound to the process that started them: they die with it (even when it is
killed with SIGKILL, so no orphan keeps the cache or a pipe open) and hold none of its
standard streams (so `kg build | cat` ends when kg does).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from kg.engine import ShardResult, extract_shard, pipeline
from kg.parent_death import arm_parent_death_signal
from kg.records import Paper

PARENT_POLL_SECONDS = 1.0


def map_shards(
    shards: list[Sequence[Paper]], *, spacy_model: str | None, jobs: int, scheduler: str | None
) -> Iterator[ShardResult]:
    """Each shard's result, in order, from `jobs` processes, started at this call.

    The pipeline is built here once and the workers fork from this process, so
    they start with it instead of importing spaCy and building it again each.
    """
    pipeline(spacy_model)
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(shards)),
        mp_context=context,
        initializer=start_worker,
        initargs=(os.getpid(),),
    )
    try:
        futures = [pool.submit(extract_shard, papers, spacy_model) for papers in shards]
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    return _results(pool, futures)


def _results(pool: ProcessPoolExecutor, futures: list[Future]) -> Iterator[ShardResult]:
    try:
        for future in futures:
            yield future.result()
    finally:
        pool.shutdown(cancel_futures=True)


def start_worker(parent: int) -> None:
    """In a new worker: keep what it inherits out of the garbage collector, and bind it to
    `parent`.

    Everything inherited (vocabulary, pipeline, papers) lives as long as the worker: the
    collector's full passes would only rescan it, and touch the pages it shares with the
    parent (7% of extraction's CPU time on 2,000 corpus papers, measured in one process).
    """
    gc.freeze()
    bind_to_parent(parent)


def bind_to_parent(parent: int) -> None:
    """In a worker: die when `parent` does, and let go of its standard streams.

    On Linux the kernel sends SIGKILL when the parent exits (prctl PR_SET_PDEATHSIG);
    elsewhere a thread polls for it. Standard input, output and error become /dev/null:
    results travel through the pool's own pipes, and a worker's stray print must not
    keep the caller's pipe open.
    """
    if not arm_parent_death_signal(signal.SIGKILL):
        _watch_parent(parent)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        os.dup2(devnull, stream)
    os.close(devnull)


def _watch_parent(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()
