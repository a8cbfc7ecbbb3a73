"""kg: a knowledge-graph builder for the scientific literature.

    import kg
    knowledge_graph = kg.build(["seeds"])
    kg.export(knowledge_graph, "exports")

The stages run one way: ingest -> extract -> link -> graph -> export.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.export.graphml import write_graphml
from kg.export.html import write_html
from kg.export.turtle import write_turtle
from kg.extract import build_pipeline, extract_papers
from kg.extract.vocabulary import default_vocabulary
from kg.graph import KnowledgeGraph, assemble_graph
from kg.ingest import ingest
from kg.link import resolve

__all__ = ["ExportPaths", "KnowledgeGraph", "build", "export"]

Progress = Callable[[str, int | None], Callable[[int], None]]


def _no_progress(stage: str, total: int | None) -> Callable[[int], None]:
    return lambda n: None


def build(
    paths: Sequence[str | os.PathLike],
    *,
    format: str | None = None,
    spacy_model: str | None = None,
    progress: Progress = _no_progress,
) -> KnowledgeGraph:
    """Read papers from `paths`, extract and link what they name, and assemble the graph.

    `progress(stage, total)` is called at the start of each long stage and returns
    a callback that takes the number of items just done.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    ingested = ingest(paths, format, progress=progress("ingest", None))
    timings["ingest"] = time.perf_counter() - started

    started = time.perf_counter()
    vocabulary = default_vocabulary()
    nlp = build_pipeline(spacy_model)
    extractions = list(
        extract_papers(
            ingested.papers, nlp, vocabulary=vocabulary, progress=progress("extract", len(ingested.papers))
        )
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
    )


@dataclass(frozen=True)
class ExportPaths:
    turtle: Path
    graphml: Path
    html: Path


def export(knowledge_graph: KnowledgeGraph, out_dir: str | os.PathLike, *, html_max_nodes: int | None = 5000) -> ExportPaths:
    """Write graph.ttl, graph.graphml and graph.html into `out_dir`, each atomically."""
    out = Path(out_dir)
    paths = ExportPaths(out / "graph.ttl", out / "graph.graphml", out / "graph.html")
    for name, write in (
        ("turtle", lambda: write_turtle(knowledge_graph.graph, paths.turtle)),
        ("graphml", lambda: write_graphml(knowledge_graph.graph, paths.graphml)),
        ("html", lambda: write_html(knowledge_graph.graph, paths.html, max_nodes=html_max_nodes)),
    ):
        started = time.perf_counter()
        write()
        knowledge_graph.timings[f"export {name}"] = time.perf_counter() - started
    return paths
