"""Where extraction runs: in this process, in a pool of local processes, or on a Dask cluster.

Extraction is a map over shards of papers: every engine runs `extract_shard` on
each shard and hands the shards' `PaperExtraction`s back in input order, so the
output does not depend on the engine or the number of jobs.
"""

from __future__ import annotations

import gc
import math
import os
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING

from kg.cache import paper_key, pipeline_fingerprint
from kg.extract.vocabulary import default_vocabulary
from kg.records import Paper, PaperExtraction

if TYPE_CHECKING:
    from concurrent.futures import Future

    from spacy.language import Language

    from kg.engine.local import LocalWorkers

__all__ = [
    "ENGINES",
    "EngineError",
    "ExtractionsAhead",
    "ShardResult",
    "default_jobs",
    "extract",
    "extract_shard",
    "start_workers",
]

ENGINES = ("local", "dask")
# The last shard can leave the other cores idle: 200 papers are under half a second.
MAX_SHARD = 200
SHARDS_PER_JOB = 4
_OTHER_PIPELINE = (
    "a worker runs other extraction rules, vocabulary or spaCy than this process; "
    "install the same kg on every worker"
)


class EngineError(Exception):
    """An engine that cannot run the extraction as asked (no scheduler, other rules on a worker)."""


@dataclass(frozen=True)
class ShardResult:
    """One shard's extractions, and the fingerprint of the pipeline that made them."""

    fingerprint: str
    extractions: list[PaperExtraction]


def default_jobs() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@cache
def pipeline(spacy_model: str | None) -> tuple[Language, str]:
    """The pipeline and its fingerprint, built once per process (spaCy is imported here: a
    process that only hands papers to workers need not load it)."""
    _import_spacy()
    from kg.extract import build_pipeline

    return build_pipeline(spacy_model), pipeline_fingerprint(default_vocabulary(), spacy_model)


def _import_spacy() -> None:
    """Import spaCy without its command line, which extraction never uses: the package
    imports `spacy.info` from it, and with it typer, weasel and the CLI's every command
    (0.2 s of CPU, in each worker). A stand-in of that module is there for the import only;
    `spacy.info` then loads the real one when called."""
    if "spacy" in sys.modules:
        return

    def info(*args: object, **options: object) -> object:
        from spacy.cli.info import info as real_info

        return real_info(*args, **options)

    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package, so that `spacy.cli.info` may be imported from it
    cli_info = types.ModuleType("spacy.cli.info")
    cli_info.info = info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": cli_info}
    sys.modules.update(stand_ins)
    try:
        import spacy  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    # The package holds its submodule as an attribute too: the stand-in goes from there.
    if getattr(sys.modules.get("spacy"), "cli", None) is cli:
        del sys.modules["spacy"].cli


def extract_shard(papers: Sequence[Paper], spacy_model: str | None = None) -> ShardResult:
    """Extract one shard with this process's pipeline: the task every engine runs."""
    from kg.extract import extract_papers

    nlp, fingerprint = pipeline(spacy_model)
    return ShardResult(
        fingerprint, list(extract_papers(papers, nlp, vocabulary=default_vocabulary()))
    )


def shard(papers: Sequence[Paper], jobs: int) -> list[Sequence[Paper]]:
    """Consecutive slices, several per job so that a slow shard does not idle the others;
    the last `jobs` slices' papers cut finer, so that the workers finish close together."""
    size = max(1, min(MAX_SHARD, math.ceil(len(papers) / (jobs * SHARDS_PER_JOB))))
    tail = max(0, math.ceil(len(papers) / size) - jobs) * size
    tail_size = math.ceil(size / SHARDS_PER_JOB)
    return [papers[i : i + size] for i in range(0, tail, size)] + [
        papers[i : i + tail_size] for i in range(tail, len(papers), tail_size)
    ]


def start_workers(
    count: int, *, engine: str = "local", spacy_model: str | None = None, helpers: int = 0
) -> LocalWorkers | None:
    """`count` local worker processes started now, to be given to `extract` later: each
    builds its pipeline meanwhile, and `helpers` of them fork a helper then (see
    kg.engine.local). None for another engine, or with a trained pipeline (one that is not
    installed is then reported by `extract`, as one error)."""
    if engine != "local" or spacy_model is not None:
        return None
    from kg.engine.local import LocalWorkers

    return LocalWorkers(count, spacy_model, helpers)


def extract(
    papers: Sequence[Paper],
    *,
    engine: str = "local",
    jobs: int | None = None,
    spacy_model: str | None = None,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
    workers: LocalWorkers | None = None,
) -> Iterator[tuple[Sequence[Paper], list[PaperExtraction]]]:
    """(shard, its extractions) in input order, extracted by `engine` with `jobs` workers,
    or by `workers` started before (`start_workers`).

    The local pool starts at this call, so the caller may do other work (decode cached
    extractions) while the workers run; the results are read as they are iterated.
    """
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    jobs = jobs or default_jobs()
    if not papers:
        return iter(())
    shards = shard(papers, jobs)
    expected = pipeline_fingerprint(default_vocabulary(), spacy_model)
    if workers is not None:
        results = workers.map_shards(shards)
    else:
        if engine == "dask":
            from kg.engine.dask_cluster import map_shards
        elif jobs == 1 or len(shards) == 1:
            map_shards = _in_process
        else:
            from kg.engine.local import map_shards
        results = map_shards(shards, spacy_model=spacy_model, jobs=jobs, scheduler=scheduler)
    return _checked(shards, results, expected, progress)


class ExtractionsAhead:
    """Extractions started on `workers` before it is known which papers the cache lacks: of
    papers likely to be new (`start`), so the workers need not wait for every paper's key.
    One is used for a paper of the same cache key (`paper_key`: all that extraction reads);
    a shard none of whose papers is used is dropped before it runs (`keep_only`)."""

    def __init__(self, workers: LocalWorkers, jobs: int, spacy_model: str | None = None):
        self._workers = workers
        self._jobs = jobs
        self._spacy_model = spacy_model
        self._shards: list[Future[ShardResult]] = []
        # Each paper's shard, and its place there, by its key.
        self._places: dict[bytes, tuple[int, int]] = {}

    def start(self, papers: Sequence[Paper]) -> None:
        """Hand `papers` out now, in shards after those handed out before."""
        for part in shard(papers, self._jobs):
            for position, paper in enumerate(part):
                self._places.setdefault(paper_key(paper), (len(self._shards), position))
            self._shards.append(self._workers.submit(part))

    def __bool__(self) -> bool:
        return bool(self._shards)

    @cached_property
    def _expected(self) -> str:
        return pipeline_fingerprint(default_vocabulary(), self._spacy_model)

    def has(self, key: bytes) -> bool:
        return key in self._places

    def keep_only(self, keys: Sequence[bytes]) -> None:
        """Drop the shards that hold no paper of `keys` (those already running finish)."""
        used = {self._places[key][0] for key in keys if key in self._places}
        for index, future in enumerate(self._shards):
            if index not in used:
                future.cancel()

    def arrived(self, keys: Sequence[bytes]) -> Iterator[list[int]]:
        """The places in `keys` (each one it `has`) in groups, as their shards are done: each
        group the papers of the next shard handed out and of every other one done by then
        (so that a caller stores what arrived while the rest is extracted, at one
        commit for the shards that were done together)."""
        places: dict[int, list[int]] = {}
        for place, key in enumerate(keys):
            places.setdefault(self._places[key][0], []).append(place)
        pending = sorted(places)
        while pending:
            self._shards[pending[0]].result()
            done = [index for index in pending if self._shards[index].done()]
            pending = [index for index in pending if index not in done]
            yield [place for index in done for place in places[index]]

    def extraction(self, key: bytes) -> PaperExtraction:
        """The extraction of the paper of `key` (`has(key)`), waited for if it is not done."""
        index, position = self._places[key]
        result = self._shards[index].result()
        if result.fingerprint != self._expected:
            raise EngineError(_OTHER_PIPELINE)
        return result.extractions[position]


def _checked(
    shards: list[Sequence[Paper]],
    results: Iterator[ShardResult],
    expected: str,
    progress: Callable[[int], None] | None,
) -> Iterator[tuple[Sequence[Paper], list[PaperExtraction]]]:
    for papers_of_shard, result in zip(shards, results, strict=True):
        if result.fingerprint != expected:
            raise EngineError(_OTHER_PIPELINE)
        if progress is not None:
            progress(len(papers_of_shard))
        yield papers_of_shard, result.extractions


def _in_process(
    shards: list[Sequence[Paper]], *, spacy_model: str | None, jobs: int, scheduler: str | None
) -> Iterator[ShardResult]:
    pipeline(spacy_model)
    # What lives through extraction (vocabulary, pipeline, papers) is kept out of the
    # cyclic garbage collector's full passes, which would otherwise rescan it: 7% of
    # extraction's CPU time on 2,000 corpus papers.
    gc.freeze()
    try:
        for papers in shards:
            yield extract_shard(papers, spacy_model)
    finally:
        gc.unfreeze()
