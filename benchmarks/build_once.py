"""One timed build, run by `benchmarks/run.py` in a fresh process: prints its figures as JSON.

python benchmarks/build_once.py INPUT OUT_DIR [--cache DIR] [--jobs N] [--tokenizer]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import kg
from kg.export import drawer as charts_drawer


def time_tokenizer(knowledge_graph: kg.KnowledgeGraph) -> tuple[float, float]:
    """Seconds (wall, CPU) spaCy's tokenizer alone takes over the same titles and abstracts,
    on one core."""
    papers = [data for _, data in knowledge_graph.graph.nodes(data=True) if data["kind"] == "Paper"]
    texts = [text for data in papers for text in (data["abstract"], data["title"]) if text]
    import spacy  # here: the build loads it when `kg build` would

    tokenizer = spacy.blank("en").tokenizer
    started, started_cpu = time.perf_counter(), time.process_time()
    for _ in tokenizer.pipe(texts, batch_size=256):
        pass
    return time.perf_counter() - started, time.process_time() - started_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("out")
    parser.add_argument("--cache", help="extraction cache folder (default: none)")
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--tokenizer", action="store_true", help="also time the tokenizer alone")
    args = parser.parse_args()

    started = time.perf_counter()
    if kg.exports_in_parallel(args.jobs):
        charts_drawer.start(args.cache)  # as `kg build` does
    cache = kg.ExtractionCache.for_pipeline(args.cache) if args.cache else None
    knowledge_graph = kg.build([args.input], jobs=args.jobs, cache=cache)
    if charts_drawer.running() is not None and args.cache:
        charts_drawer.running().keep_ontology(args.cache)  # as `kg build` does
    kg.export(knowledge_graph, args.out, cache=args.cache)
    charts_drawer.stop()
    seconds = time.perf_counter() - started
    figures = {
        "papers": knowledge_graph.count_nodes()["Paper"],
        "nodes": knowledge_graph.graph.number_of_nodes(),
        "edges": knowledge_graph.graph.number_of_edges(),
        "seconds": seconds,
        "stages": knowledge_graph.timings,
        "cache_hits": cache.hits if cache else None,
        "cache_warnings": cache.warnings if cache else [],
    }
    if cache:
        cache.close()
    if args.tokenizer:
        figures["tokenizer_seconds"], figures["tokenizer_cpu_seconds"] = time_tokenizer(
            knowledge_graph
        )
    json.dump(figures, sys.stdout)


if __name__ == "__main__":
    main()
