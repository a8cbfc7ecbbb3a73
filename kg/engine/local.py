"""The default engine: a pool of local worker processes, each with its own pipeline.

Workers are bound to the process that started them: they die with it (even when it is
killed with SIGKILL, so no orphan keeps the cache or a pipe open) and hold none of its
standard streams (so `kg build | cat` ends when kg does). A pool of fewer workers than
jobs gives the difference to helpers: processes a worker forks once its pipeline is built
(so they need not build their own), each extracting part of every shard it is given.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.util
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized

from kg.engine import ShardResult, extract_shard, pipeline
from kg.parent_death import arm_parent_death_signal
from kg.records import Paper

PARENT_POLL_SECONDS = 1.0
# The helper a worker forked, if it has one (in a worker only).
_helper: Connection | None = None


class LocalWorkers:
    """`count` worker processes, forked at once; each builds its own pipeline as it starts,
    while this process goes on (reading the input, the cache), and extracts the shards it
    is given; the first `helpers` of them to be ready fork a helper each. Close them
    (`close`, or `with`) when done: a pool not given work is wasted."""

    def __init__(self, count: int, spacy_model: str | None, helpers: int = 0):
        self.count = count
        self.processes = count + min(helpers, count)  # the processes that extract
        self.spacy_model = spacy_model
        context = multiprocessing.get_context("fork")
        self._pool = ProcessPoolExecutor(
            max_workers=count,
            mp_context=context,
            initializer=start_worker,
            initargs=(os.getpid(), spacy_model, context.Value("i", helpers)),
        )
        # The fork context starts every worker at the first task: this one.
        self._pool.submit(int)

    def __enter__(self) -> LocalWorkers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def map_shards(self, shards: list[Sequence[Paper]]) -> Iterator[ShardResult]:
        """Each shard's result, in order; the shards are all handed out at this call."""
        return _results([self.submit(papers) for papers in shards])

    def submit(self, papers: Sequence[Paper]) -> Future[ShardResult]:
        """One shard handed out now, after those handed out before."""
        return self._pool.submit(extract_shard_helped, papers, self.spacy_model)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


def map_shards(
    shards: list[Sequence[Paper]], *, spacy_model: str | None, jobs: int, scheduler: str | None
) -> Iterator[ShardResult]:
    """Each shard's result, in order, from `jobs` processes, started at this call.

    The pipeline is built here once and the workers fork from this process, so they start
    with it instead of building it again each.
    """
    pipeline(spacy_model)
    workers = LocalWorkers(min(jobs, len(shards)), spacy_model)
    try:
        results = workers.map_shards(shards)
    except BaseException:
        workers.close()
        raise
    return _closing(workers, results)


def _closing(workers: LocalWorkers, results: Iterator[ShardResult]) -> Iterator[ShardResult]:
    try:
        yield from results
    finally:
        workers.close()


def _results(futures: list[Future]) -> Iterator[ShardResult]:
    for future in futures:
        yield future.result()


def start_worker(parent: int, spacy_model: str | None, helpers: Synchronized) -> None:
    """In a new worker: bind it to `parent`, build its pipeline, and keep what it holds then
    out of the garbage collector; then fork a helper if one of `helpers` is left.

    Everything built or inherited here (vocabulary, pipeline) lives as long as the worker:
    the collector's full passes would only rescan it, and touch the pages it shares with
    the parent (7% of extraction's CPU time on 2,000 corpus papers, measured in one process).
    """
    global _helper
    bind_to_parent(parent)
    pipeline(spacy_model)
    gc.freeze()
    # Collected as usual, even if forked while the build held collections off (the papers it
    # extracts make cycles: spaCy's documents).
    gc.enable()
    with helpers.get_lock():
        helped = helpers.value > 0
        helpers.value -= helped
    if helped:
        ours, theirs = multiprocessing.Pipe()
        helper = multiprocessing.get_context("fork").Process(
            target=_help, args=(theirs, ours, os.getpid(), spacy_model), name="kg-helper"
        )
        helper.start()
        theirs.close()
        _helper = ours
        # The helper ends when it reads the end of the pipe: this end is closed before the
        # worker's exit waits for its children (multiprocessing runs finalizers first). Not
        # a daemon ended by SIGTERM, which a helper just forked could take in the wrong place
        # (1 warm build in 12 hung so).
        multiprocessing.util.Finalize(None, ours.close, exitpriority=0)


def extract_shard_helped(papers: Sequence[Paper], spacy_model: str | None) -> ShardResult:
    """In a worker: the shard's extractions, the second half of them by its helper if it
    has one (alive: else by itself). Papers are extracted one by one, so the split changes
    no extraction."""
    global _helper
    if _helper is None or len(papers) < 2:
        return extract_shard(papers, spacy_model)
    half = len(papers) // 2
    try:
        _helper.send(papers[half:])
    except OSError:
        _helper = None
        return extract_shard(papers, spacy_model)
    first = extract_shard(papers[:half], spacy_model)
    try:
        second = _helper.recv()
    except (OSError, EOFError):
        _helper = None
        second = extract_shard(papers[half:], spacy_model)
    return ShardResult(first.fingerprint, first.extractions + second.extractions)


def _help(
    connection: Connection, workers_end: Connection, worker: int, spacy_model: str | None
) -> None:
    """A helper's life: extract the papers its worker sends, until the worker closes its end
    of the pipe (the copy forked into this process is closed first) or is gone."""
    workers_end.close()
    bind_to_parent(worker)
    while True:
        try:
            papers = connection.recv()
        except EOFError:
            return
        connection.send(extract_shard(papers, spacy_model))


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
