"""The link stage alone, over the extractions a build cached: prints its seconds as JSON.

python benchmarks/link_once.py INPUT --cache DIR [--runs N] [--warm] [--prepared N]
    [--jobs N] [--phases | --profile N]

Reads INPUT through the build's input cache and every paper's extraction from the
extraction cache in DIR (a build of INPUT with `--cache DIR` fills both; a paper without
a row is an error, not extracted here), then times `kg.link.resolve` as `kg.build` runs
it (rare cycle collections). `--profile N` prints cProfile's N most expensive functions
instead (cProfile makes the stage about three times slower); `--phases` adds the CPU
seconds of its main steps (each the best of the runs; "rest" is what `resolve` does itself).
Each run starts with the stage's remembered spellings and long forms forgotten, as in a
build (the stage runs once there); `--warm` keeps them from run to run, as before.
`--prepared N` runs `kg.link.prepare` over the first N extractions before each run, untimed,
as a build does over the cached ones while the engine extracts the others. `--jobs N`
as a build's (default 1: in this process alone); the phases and the profile are then this
process's (its half of the corpus, and what is done after), the forked part's CPU is
`child_cpu_seconds`.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import json
import os
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import kg.link
import kg.link.generic
import kg.link.introductions
import kg.link.linked
import kg.link.senses
from kg.cache import ExtractionCache
from kg.extract.vocabulary import default_vocabulary
from kg.ingest import ingest
from kg.ingest.input_cache import InputCache
from kg.link import Linked, resolve
from kg.link.resolve import Resolver, shown

# The steps `--phases` times: functions `resolve` calls by their name in kg.link, and
# methods of the Resolver.
PHASES = (
    "_long_forms_of_terms",
    "SenseIndex",
    "generic_roots",
    "split_by_introductions",
    "settle_introductions",
    "_add_family_bases",
    "paper_edges",
)
RESOLVER_PHASES = ("place", "entities")


def timed(function: Callable, seconds: dict[str, float], name: str) -> Callable:
    def run(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[name] += time.process_time() - started

    return run


def forget_remembered() -> None:
    """Empty the link stage's module-level caches, which a build fills once."""
    for remembered in (
        kg.link.linked.spelling_key,
        kg.link.senses.abbreviates,
        kg.link.senses._spelled_out,
        kg.link.introductions.claim_strength,
        shown,
        kg.link.linked.slug,
        kg.link.generic.is_common_phrase,
    ):
        remembered.cache_clear()
    # `kg.link.resolve` names the stage's function: the module is looked up by its name.
    sys.modules["kg.link.resolve"]._last_resolver = None  # with what it remembered


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
    parser.add_argument("--phases", action="store_true", help="also time the main steps")
    parser.add_argument(
        "--prepared", type=int, default=0, metavar="N", help="prepare the first N extractions"
    )
    parser.add_argument("--jobs", type=int, default=1, help="as kg build's --jobs")
    parser.add_argument("--warm", action="store_true", help="keep the stage's caches across runs")
    args = parser.parse_args()

    seconds: dict[str, float] = defaultdict(float)
    if args.phases:
        for name in PHASES:
            setattr(kg.link, name, timed(getattr(kg.link, name), seconds, name))
        for name in RESOLVER_PHASES:
            setattr(Resolver, name, timed(getattr(Resolver, name), seconds, name))

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
        profile.runcall(resolve, extractions, vocabulary, papers, args.jobs)
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
        return
    runs = []
    phases: dict[str, float] = {}
    for _ in range(args.runs):
        if not args.warm:
            forget_remembered()
        if args.prepared:
            kg.link.prepare(extractions[: args.prepared], vocabulary)
        seconds.clear()
        started, started_cpu, children = time.perf_counter(), time.process_time(), os.times()
        linked = resolve(extractions, vocabulary, papers, args.jobs)
        ended = os.times()
        child_cpu = (ended.children_user + ended.children_system) - (
            children.children_user + children.children_system
        )
        runs.append((time.process_time() - started_cpu, time.perf_counter() - started, child_cpu))
        seconds["rest"] = runs[-1][0] - sum(seconds.values())
        phases = {name: min(s, phases.get(name, s)) for name, s in seconds.items()}
    cpu, wall, child_cpu = min(runs)
    figures = {
        "papers": len(papers),
        "relations": sum(len(extraction.relations) for extraction in extractions),
        "entities": len(linked.entities),
        "cpu_seconds": round(cpu, 3),
        "wall_seconds": round(wall, 3),
        "child_cpu_seconds": round(child_cpu, 3),
        "digest": digest(linked),
    }
    if args.phases:
        figures["phases"] = {name: round(s, 3) for name, s in sorted(phases.items())}
    json.dump(figures, sys.stdout)
    print()


if __name__ == "__main__":
    main()
