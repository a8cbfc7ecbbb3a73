"""The link stage alone, over the extractions a build cached: prints its seconds as JSON.

python benchmarks/link_once.py INPUT --cache DIR [--runs N] [--profile N]

Reads INPUT through the build's input cache and every paper's extraction from the
extraction cache in DIR (a build of INPUT with `--cache DIR` fills both; a paper without
a row is an error, not extracted here), then times `kg.link.resolve` as `kg.build` runs
it (rare cycle collections). `--profile N` prints cProfile's N most expensive functions
instead (cProfile makes the stage about three times slower).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import json
import pstats
import sys
import time
from pathlib import Path

from kg.cache import ExtractionCache
from kg.extract.vocabulary import default_vocabulary
from kg.ingest import ingest
from kg.ingest.input_cache import InputCache
from kg.link import Linked, resolve


def digest(linked: Linked) -> str:
    """A digest of the whole result, to tell two versions of the stage apart."""
    text = repr((sorted(linked.entities.items()), linked.entity_edges, linked.paper_edges))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("--cache", required=True, help="the build's cache folder")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (the best counts)")
    parser.add_argument("--profile", type=int, metavar="N", help="print the N costliest calls")
    args = parser.parse_args()

    cache = ExtractionCache.for_pipeline(args.cache)
    papers = ingest([args.input], None, cache=InputCache(Path(args.cache))).papers
    vocabulary = default_vocabulary()
    extractions = cache.decode(cache.read_rows(papers))
    cache.close()
    missing = sum(extraction is None for extraction in extractions)
    if missing:
        sys.exit(f"{missing} papers have no cached extraction: build {args.input} with this cache")
    gc.collect()
    gc.freeze()  # what came before the stage is not the stage's to walk
    gc.set_threshold(100_000, 50, 100)  # as kg.build's _few_collections
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(resolve, extractions, vocabulary, papers)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
        return
    runs = []
    for _ in range(args.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        linked = resolve(extractions, vocabulary, papers)
        runs.append((time.process_time() - started_cpu, time.perf_counter() - started))
    cpu, wall = min(runs)
    figures = {
        "papers": len(papers),
        "relations": sum(len(extraction.relations) for extraction in extractions),
        "entities": len(linked.entities),
        "cpu_seconds": round(cpu, 3),
        "wall_seconds": round(wall, 3),
        "digest": digest(linked),
    }
    json.dump(figures, sys.stdout)
    print()


if __name__ == "__main__":
    main()
