"""kg: a knowledge-graph builder for the scientific literature.

    import kg
    knowledge_graph = kg.build(["seeds"])
    kg.export(knowledge_graph, "exports")

The stages run one way: ingest -> extract -> link -> graph -> export.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.cache import ExtractionCache, pipeline_fingerprint
from kg.engine import extract
from kg.export.graphml import write_graphml
from kg.export.html import write_html
from kg.export.turtle import write_turtle
from kg.extract.vocabulary import default_vocabulary
from kg.graph import KnowledgeGraph, assemble_graph
from kg.ingest import ingest
from kg.link import resolve
from kg.records import Paper, PaperExtraction

__all__ = ["ExportPaths", "ExtractionCache", "KnowledgeGraph", "build", "export"]

Progress = Callable[[str, int | None], Callable[[int], None]]


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
    (default: this machine's cores), reading and filling `cache` when given.
    `progress(stage, total)` is called at the start of each long stage and returns
    a callback that takes the number of items just done.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    ingested = ingest(paths, format, progress=progress("ingest", None))
    timings["ingest"] = time.perf_counter() - started

    started = time.perf_counter()
    vocabulary = default_vocabulary()
    extractions = _extract(
        ingested.papers,
        cache=cache,
        fingerprint=pipeline_fingerprint(vocabulary, spacy_model),
        progress=progress("extract", len(ingested.papers)),
        engine=engine,
        jobs=jobs,
        spacy_model=spacy_model,
        scheduler=scheduler,
    )
    timings["extract"] = time.perf_counter() - started

    started = time.perf_counter()
    linked = resolve(extractions, vocabulary)
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
    *,
    cache: ExtractionCache | None,
    fingerprint: str,
    progress: Callable[[int], None],
    **engine_options,
) -> list[PaperExtraction]:
    """Every paper's extraction, in order: from the cache, else from the engine (then cached)."""
    if cache is None:
        found: list[PaperExtraction | None] = [None] * len(papers)
    else:
        if cache.fingerprint != fingerprint:
            raise ValueError(
                "the cache was opened for another pipeline (rules, vocabulary or model)"
            )
        found = cache.lookup(papers)
        progress(cache.hits)
    missing = [index for index, extraction in enumerate(found) if extraction is None]
    slots = iter(missing)
    for shard, extractions in extract(
        [papers[i] for i in missing], progress=progress, **engine_options
    ):
        if cache is not None:
            cache.store(shard, extractions)
        for extraction in extractions:
            found[next(slots)] = extraction
    return found  # type: ignore[return-value]  # every slot is filled above


@dataclass(frozen=True)
class ExportPaths:
    turtle: Path
    graphml: Path
    html: Path


def export(
    knowledge_graph: KnowledgeGraph,
    out_dir: str | os.PathLike,
    *,
    html_max_nodes: int | None = 5000,
) -> ExportPaths:
    """Write graph.ttl (with ontology.ttl), graph.graphml and graph.html into `out_dir`.

    All are written into a staging folder inside `out_dir` first and moved into place
    only when every one is complete, so a failed or interrupted export (Ctrl-C
    included) leaves the previous set of exports whole and consistent.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = ExportPaths(out / "graph.ttl", out / "graph.graphml", out / "graph.html")
    with tempfile.TemporaryDirectory(dir=out, prefix=".kg-export-") as staging_dir:
        staging = Path(staging_dir)
        for name, write in (
            ("turtle", lambda: write_turtle(knowledge_graph.graph, staging / paths.turtle.name)),
            ("graphml", lambda: write_graphml(knowledge_graph.graph, staging / paths.graphml.name)),
            (
                "html",
                lambda: write_html(
                    knowledge_graph.graph, staging / paths.html.name, max_nodes=html_max_nodes
                ),
            ),
        ):
            started = time.perf_counter()
            write()
            knowledge_graph.timings[f"export {name}"] = time.perf_counter() - started
        for written in sorted(staging.iterdir()):
            os.replace(written, out / written.name)
    return paths
