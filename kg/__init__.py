"""kg: a knowledge-graph builder for the scientific literature.

    import kg
    knowledge_graph = kg.build(["seeds"])
    kg.export(knowledge_graph, "exports")

The stages run one way: ingest -> extract -> link -> graph -> export.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
import time
import types
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.collection import to_oldest_generation, uncollected
from kg.export.atomic import ExportError, check_export_folder, current_export, export_set
from kg.export.drawer import running as running_drawer
from kg.export.forked import ChildDied, run_at_once
from kg.export.fragments import ExportCache
from kg.export.graphml import write_graphml
from kg.export.html import write_html
from kg.export.store import STORE_NAME, write_store
from kg.export.turtle import write_turtle
from kg.graph import KnowledgeGraph, assemble_graph
from kg.ingest import InputCache, ingest
from kg.records import Paper, PaperExtraction

if TYPE_CHECKING:  # bound at first use (`_LOADED_ON_USE`)
    from kg.cache import ExtractionCache, pipeline_fingerprint
    from kg.engine import EngineError, ExtractionsAhead, extract, start_workers
    from kg.engine.local import LocalWorkers
    from kg.extract.vocabulary import default_vocabulary
    from kg.link import resolve

__all__ = [
    "EXPORTERS",
    "EngineError",
    "ExportError",
    "ExportJob",
    "ExportPaths",
    "Exporter",
    "ExtractionCache",
    "KnowledgeGraph",
    "STORE_EXPORTER",
    "build",
    "check_export_folder",
    "export",
    "export_entries",
    "exports_in_parallel",
]

Progress = Callable[[str, int | None], Callable[[int], None]]
# What sizes the workers of a cached re-build (CPU seconds, 88k corpus, 2 jobs): this
# process decodes a cached row (with its key) in ~15 us while a worker extracts a paper in
# ~1.6 ms, and each worker builds its pipeline in ~0.35 s first.
DECODE_SECONDS_PER_ROW = 15e-6
EXTRACT_SECONDS_PER_PAPER = 1.6e-3
PIPELINE_SECONDS = 0.35

# The stages that load spaCy (the extraction package, and the vocabulary that cache and
# linking read) are imported at their first use, not at `import kg`: `kg query`, `kg stats`
# and the other commands that read an export never need them (about 1.1 s).
_LOADED_ON_USE = {
    "ExtractionCache": "kg.cache",
    "pipeline_fingerprint": "kg.cache",
    "default_vocabulary": "kg.extract.vocabulary",
    "extract": "kg.engine",
    "EngineError": "kg.engine",
    "ExtractionsAhead": "kg.engine",
    "start_workers": "kg.engine",
    "resolve": "kg.link",
}


def __getattr__(name: str) -> Any:
    if name not in _LOADED_ON_USE:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LOADED_ON_USE[name]), name)
    globals()[name] = value  # from now on a plain attribute, which tests may replace
    return value


def _load_stages(*names: str) -> None:
    """Bind the stages loaded on use (`names`, or all) that are not bound yet (or were
    replaced by a module: importing the subpackage kg.extract sets `kg.extract` to it, over
    the engine's function)."""
    for name in names or _LOADED_ON_USE:
        if isinstance(globals().get(name, None), types.ModuleType | None):
            __getattr__(name)


def _no_progress(stage: str, total: int | None) -> Callable[[int], None]:
    return lambda n: None


def build(
    paths: Sequence[str | os.PathLike],
    *,
    format: str | None = None,
    spacy_model: str | None = None,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    cache: ExtractionCache | None = None,
    progress: Progress = _no_progress,
) -> KnowledgeGraph:
    """Read papers from `paths`, extract and link what they name, and assemble the graph.

    Extraction runs on `engine` ("local" processes or "dask") with `jobs` workers
    (default: this machine's cores), reading and filling `cache` when given; the parsed
    input is cached in the same folder (kg/ingest/input_cache.py).
    `progress(stage, total)` is called at the start of each long stage and returns
    a callback that takes the number of items just done.
    """
    # The workers fork before the link stage is imported, which they do not need.
    _load_stages("start_workers", "ExtractionsAhead")
    jobs = jobs or _cores()
    engine_options = {"engine": engine, "jobs": jobs, "spacy_model": spacy_model}
    with _few_collections(), ExitStack() as cleanup:
        workers = _early_workers(cache, engine_options)
        _load_stages()
        ahead = None
        if workers is not None:
            cleanup.callback(workers.close)
            # The lines appended to a file read before are a re-build's new papers, most
            # likely: the workers start on them as soon as they are read.
            ahead = ExtractionsAhead(workers, jobs, spacy_model)
        timings: dict[str, float] = {}
        started = time.perf_counter()
        # Parsed input is cached beside the extractions, in the same folder, or not at all.
        input_cache = None if cache is None else InputCache(cache.path.parent)
        with uncollected():  # the papers live to the end of the build, and hold no cycle
            ingested = ingest(
                paths,
                format,
                progress=progress("ingest", None),
                cache=input_cache,
                appended=None if ahead is None else ahead.start,
            )
        if input_cache is not None:
            cache.warnings += input_cache.warnings
        timings["ingest"] = time.perf_counter() - started

        started = time.perf_counter()
        vocabulary = default_vocabulary()
        extractions = _extract(
            ingested.papers,
            ingested.paper_keys,
            cache=cache,
            fingerprint=pipeline_fingerprint(vocabulary, spacy_model),
            progress=progress("extract", len(ingested.papers)),
            workers=workers,
            ahead=ahead,
            engine_options={**engine_options, "scheduler": scheduler},
        )
        timings["extract"] = time.perf_counter() - started
        if workers is not None:
            workers.close()  # now: their memory is not held through the stages after

        drawer = running_drawer()
        if drawer is not None:
            drawer.warm_up()  # on the core that linking leaves idle (kg.export.drawer)
        started = time.perf_counter()
        linked = resolve(extractions, vocabulary, ingested.papers, jobs)
        timings["link"] = time.perf_counter() - started

        started = time.perf_counter()
        graph = assemble_graph(ingested.papers, extractions, linked)
        timings["graph"] = time.perf_counter() - started
        return KnowledgeGraph(
            graph=graph,
            problems=ingested.problems,
            timings=timings,
            records_read=ingested.records_read,
            records_merged=ingested.merged,
        )


def _extract(
    papers: list[Paper],
    known_keys: list[bytes | None],
    *,
    cache: ExtractionCache | None,
    fingerprint: str,
    progress: Callable[[int], None],
    workers: LocalWorkers | None,
    ahead: ExtractionsAhead | None,
    engine_options: dict[str, Any],
) -> list[PaperExtraction]:
    """Every paper's extraction, in order: from the cache, else from the engine (then cached),
    run by `workers` when they were started before; taken from `ahead` when it extracted a
    paper of the same cache key. `known_keys` are the papers' cache keys that ingest knew."""
    if not papers:
        return []  # and the cache is not created: a build that reads no paper touches nothing
    if cache is None:
        return list(_extracted(papers, None, progress, engine_options, workers))
    if cache.fingerprint != fingerprint:
        raise ValueError("the cache was opened for another pipeline (rules, vocabulary or model)")
    with ExitStack() as cleanup:
        started = workers
        workers = _workers_for(papers, cache, engine_options, started, bool(ahead))
        if workers is not started:
            if started is not None:
                started.close()  # too few or too many for the papers the cache lacks
            if workers is not None:
                cleanup.callback(workers.close)
        with uncollected():  # the rows, as the extractions decoded from them below
            rows = cache.read_rows(papers, known_keys)
        missing = [index for index in range(len(papers)) if not rows.has_row(index)]
        early: list[int] = []
        if ahead:
            ahead.keep_only([rows.keys[index] for index in missing])
            early = [index for index in missing if ahead.has(rows.keys[index])]
            missing = [index for index in missing if not ahead.has(rows.keys[index])]
        # The engine starts on the papers without a row while this process decodes the others'.
        running = _extracted([papers[i] for i in missing], cache, progress, engine_options, workers)
        # The extractions live to the end of the build, and hold no cycle. (Not around the
        # engine's start above: a worker it forks must collect as usual.)
        with uncollected():
            found = cache.decode(rows)
        progress(cache.hits)
        # While the workers extract, the link stage works out what it can of the others'.
        from kg.link import preparing  # loaded with `resolve`

        waiting = (
            preparing(found[:], default_vocabulary())
            if workers is not None or early
            else nullcontext()
        )
        with waiting:
            # What arrives is stored while the rest is extracted.
            for places in ahead.arrived([rows.keys[i] for i in early]) if ahead else ():
                done = [early[place] for place in places]
                for index in done:
                    found[index] = ahead.extraction(rows.keys[index])
                cache.store([papers[i] for i in done], [found[i] for i in done])  # type: ignore[misc]
                progress(len(done))
            for index, extraction in zip(missing, running, strict=True):
                found[index] = extraction
        # A row that did not decode is a miss found late: its paper is extracted now.
        late = [index for index, extraction in enumerate(found) if extraction is None]
        again = _extracted([papers[i] for i in late], cache, progress, engine_options, workers)
        for index, extraction in zip(late, again, strict=True):
            found[index] = extraction
    return found  # type: ignore[return-value]  # every slot is filled above


def _early_workers(
    cache: ExtractionCache | None, engine_options: dict[str, Any]
) -> LocalWorkers | None:
    """Workers started before ingest, to build their pipelines while this process reads the
    input: as many as the jobs when every paper will be extracted (no cache yet); one fewer
    for a cached re-build, when this process has not loaded spaCy (the workers then import
    it themselves, ~0.5 s), and a helper forked by one once it is ready; else none yet
    (`_workers_for` decides, by the cache)."""
    jobs = engine_options["jobs"]
    if jobs < 2:
        return None
    if cache is None or not cache.path.exists():
        count = jobs
    elif "spacy" not in sys.modules:
        count = jobs - 1
    else:
        return None
    return _started_workers(count, engine_options)


def _workers_for(
    papers: list[Paper],
    cache: ExtractionCache,
    engine_options: dict[str, Any],
    started: LocalWorkers | None,
    busy: bool,
) -> LocalWorkers | None:
    """Workers for the papers `cache` lacks (`_worker_count`, by its count of rows): `started`
    if they are as many (counting their helpers, or not) or `busy` (extracting papers
    ahead), else new ones, started before the papers' keys are computed to build their
    pipelines meanwhile, and helpers for the jobs left; None if the cache may hold every
    paper."""
    jobs = engine_options["jobs"]
    count = _worker_count(len(papers), cache.rows_held(), jobs)
    if started is not None and (busy or started.count <= count <= started.processes):
        return started
    if count == 0:
        return None
    return _started_workers(count, engine_options)


def _started_workers(count: int, engine_options: dict[str, Any]) -> LocalWorkers | None:
    """`count` workers of the engine started now, and helpers for the jobs left."""
    return start_workers(
        count,
        engine=engine_options["engine"],
        spacy_model=engine_options["spacy_model"],
        helpers=engine_options["jobs"] - count,
    )


def _worker_count(papers: int, held: int, jobs: int) -> int:
    """How many workers extract what a cache holding `held` rows lacks of `papers`: none when
    it may hold them all (or with one job, extracted here); as many as the jobs, or one
    fewer when decoding the rows it holds keeps this process as busy as a worker."""
    lacking = papers - held
    if jobs < 2 or lacking <= 0:
        return 0
    # With one worker fewer, the workers still finish when this process does (it decodes
    # meanwhile), and one pipeline is not built.
    worker_seconds = lacking * EXTRACT_SECONDS_PER_PAPER / (jobs - 1)
    fewer = worker_seconds <= held * DECODE_SECONDS_PER_ROW + PIPELINE_SECONDS
    return min(jobs - 1 if fewer else jobs, lacking)


def _extracted(
    papers: list[Paper],
    cache: ExtractionCache | None,
    progress: Callable[[int], None],
    engine_options: dict[str, Any],
    workers: LocalWorkers | None,
) -> Iterator[PaperExtraction]:
    """`papers`' extractions in order, by the engine (or `workers`), which starts at this
    call; each shard is stored in `cache` as it arrives."""
    shards = extract(papers, progress=progress, workers=workers, **engine_options)

    def arriving() -> Iterator[PaperExtraction]:
        for shard, extractions in shards:
            if cache is not None:
                cache.store(shard, extractions)
            yield from extractions

    return arriving()


@dataclass(frozen=True)
class ExportPaths:
    """Where the exports are, and what the writers warned about (URLs that make no IRI)."""

    turtle: Path
    graphml: Path
    html: Path
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportJob:
    """What an exporter gets: the graph, the staging folder to write into, the folder of
    the current export set (None at first; for writers that update it), and options:
    the processes the export may use, and the export cache (None with no cache)."""

    knowledge_graph: KnowledgeGraph
    folder: Path
    previous: Path | None
    html_max_nodes: int | None
    warn: Callable[[str], None]
    jobs: int = 1
    cache: ExportCache | None = None


@dataclass(frozen=True)
class Exporter:
    """One part of the export set: the entries it writes into the export folder, and how.

    A `parallel` exporter reads only the graph and writes only its entries, so it may run
    in its own process beside the others (see `export`).
    """

    name: str
    entries: tuple[str, ...]
    write: Callable[[ExportJob], object]
    parallel: bool = False


# The export set, written in this order into one staging folder and committed together
# (kg/export/atomic.py). A new artifact (a file or a folder) joins by adding a line here.
EXPORTERS: list[Exporter] = [
    Exporter(
        "turtle",
        ("graph.ttl", "ontology.ttl"),
        lambda job: write_turtle(
            job.knowledge_graph.graph, job.folder / "graph.ttl", warn=job.warn, cache=job.cache
        ),
        parallel=True,
    ),
    Exporter(
        "graphml",
        ("graph.graphml",),
        lambda job: write_graphml(
            job.knowledge_graph.graph, job.folder / "graph.graphml", cache=job.cache, warn=job.warn
        ),
        parallel=True,
    ),
    Exporter(
        "html",
        ("graph.html",),
        lambda job: write_html(
            job.knowledge_graph.graph,
            job.folder / "graph.html",
            max_nodes=job.html_max_nodes,
            draw_aside=exports_in_parallel(job.jobs),
        ),
        parallel=True,
    ),
]


# Optional (`kg build --store`): an Oxigraph store of graph.ttl, so `kg query` and
# `kg serve` skip parsing it. Off by default: at 88k papers it adds ~15 s and ~330 MB.
STORE_EXPORTER = Exporter(
    "store",
    (STORE_NAME,),
    lambda job: write_store([job.folder / "graph.ttl"], job.folder / STORE_NAME),
)


def export_entries(exporters: Sequence[Exporter] | None = None) -> list[str]:
    """The names every exporter writes into the export folder, for checks before a build."""
    chosen = EXPORTERS if exporters is None else exporters
    return [name for exporter in chosen for name in exporter.entries]


def export(
    knowledge_graph: KnowledgeGraph,
    out_dir: str | os.PathLike,
    *,
    html_max_nodes: int | None = 5000,
    exporters: Sequence[Exporter] | None = None,
    jobs: int | None = None,
    cache: str | os.PathLike | None = None,
) -> ExportPaths:
    """Write the export set (graph.ttl with ontology.ttl, graph.graphml, graph.html, and
    whatever `exporters` add) into `out_dir`, committed in one step.

    Every file is written into a fresh staging folder; only when all are complete does
    `out_dir/.kg-current` switch to it (one rename), and `out_dir/graph.ttl` and the others,
    links through it, show the new set. A failed or interrupted export (Ctrl-C included)
    leaves the previous set whole; disk, permission and path errors raise ExportError.

    With `jobs` above 1 (default: this machine's cores) the parallel exporters run at once
    in up to `jobs` processes (this one and children forked from it), then the others in
    order; with 1, all run here in order. The bytes are the same either way.

    With a `cache` folder (the build's), the text of the nodes exported before is read
    from it and what changed is kept there (kg/export/fragments.py).
    """
    out = Path(out_dir)
    exporters = EXPORTERS if exporters is None else exporters
    parallel = [e for e in exporters if e.parallel]
    # As many processes as jobs: forked children take the last parallel exporters (the HTML
    # page, the slowest, is last), this process the others; then the exporters that are not
    # parallel, in order. Without children, every exporter in order.
    jobs = jobs or _cores()
    forks = max(0, min(jobs, len(parallel)) - 1)
    if forks:
        split = len(parallel) - forks
        groups = [parallel[:split], *([e] for e in parallel[split:])]
        after = [e for e in exporters if not e.parallel]
    else:
        groups, after = [], list(exporters)
    warnings: dict[str, list[str]] = {exporter.name: [] for exporter in exporters}
    export_cache = ExportCache(cache) if cache is not None else None
    with export_set(out, export_entries(exporters)) as staging, _few_collections():
        previous = current_export(out)

        def write(exporter: Exporter) -> Callable[[], tuple[list[str], float]]:
            def timed() -> tuple[list[str], float]:
                warn = warnings[exporter.name].append
                started = time.perf_counter()
                exporter.write(
                    ExportJob(
                        knowledge_graph, staging, previous, html_max_nodes, warn, jobs, export_cache
                    )
                )
                return warnings[exporter.name], time.perf_counter() - started

            return timed

        try:
            results = run_at_once([[write(exporter) for exporter in group] for group in groups])
        except ChildDied as error:
            raise ExportError(f"{error}; the previous exports are as they were") from error
        results += [write(exporter)() for exporter in after]
        ordered = [exporter for group in groups for exporter in group] + after
        for exporter, (exporter_warnings, seconds) in zip(ordered, results, strict=True):
            warnings[exporter.name] = exporter_warnings
            knowledge_graph.timings[f"export {exporter.name}"] = seconds
    return ExportPaths(
        out / "graph.ttl",
        out / "graph.graphml",
        out / "graph.html",
        tuple(warning for exporter in exporters for warning in warnings[exporter.name]),
    )


def exports_in_parallel(jobs: int | None) -> bool:
    """Whether `export(..., jobs=jobs)` may use more than one process: then the HTML page's
    charts are drawn aside (by `kg.export.drawer` when it runs)."""
    return (jobs or _cores()) > 1


def _cores() -> int:
    """The cores this process may run on (as kg.engine counts them, without loading it)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextmanager
def _few_collections() -> Iterator[None]:
    """Collect cycles rarely while a stage runs: the build makes millions of objects that
    live to its end and few cycles, and frequent full collections walked them all (about
    15% of a cached re-build's CPU at 88k papers)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        to_oldest_generation()
        gc.set_threshold(*thresholds)
