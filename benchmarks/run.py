"""The scale benchmark: `kg build` of real abstracts at growing sizes, cold and incremental.

    .venv/bin/python benchmarks/run.py                  # 1k, 10k, 30k, all (~88k): minutes
    .venv/bin/python benchmarks/run.py --sizes 1000,5000 --no-incremental   # a quick look

Reads ../shared/corpora/miccai2025.jsonl then conferences.jsonl.gz (see their README),
builds the first N papers of the two in a fresh process each, samples the memory of
that process and its workers, and writes the table to benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import filecmp
import gzip
import itertools
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import spacy

BENCHMARKS = Path(__file__).resolve().parent
PROJECT = BENCHMARKS.parent
CORPORA = PROJECT.parent / "shared" / "corpora"
SOURCES = (CORPORA / "miccai2025.jsonl", CORPORA / "conferences.jsonl.gz")
STAGES = ("ingest", "extract", "link", "graph", "export turtle", "export graphml", "export html")
EXPORTS = ("graph.ttl", "graph.graphml", "graph.html")
MiB = 1024 * 1024
SPARQL_SECTION = "## SPARQL at full size"


@dataclass
class Run:
    """One build: what was built, how, and what it cost."""

    name: str
    papers_asked: int
    jobs: int
    wall: float = 0.0
    cpu: float = 0.0  # user + system of the build process and its workers
    peak_rss: int = 0
    figures: dict = field(default_factory=dict)

    @property
    def papers(self) -> int:
        return self.figures["papers"]

    def stage(self, name: str) -> float:
        return self.figures["stages"].get(name, 0.0)


def records() -> Iterator[str]:
    """The corpora's lines, MICCAI first."""
    for source in SOURCES:
        opener = gzip.open if source.suffix == ".gz" else open
        with opener(source, "rt", encoding="utf-8") as lines:
            yield from (line for line in lines if line.strip())


def write_input(path: Path, count: int | None) -> int:
    """The first `count` records (all when None) as one JSON Lines file; returns how many."""
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for line in itertools.islice(records(), count):
            out.write(line if line.endswith("\n") else line + "\n")
            written += 1
    return written


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and its children (shared pages counted in each)."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # a worker that just exited
            total += member.memory_info().rss
    return total


def timed_build(run: Run, source: Path, out: Path, cache: Path | None, tokenizer: bool) -> Run:
    """Build `source` in a fresh process; wall time and the peak memory of its process tree."""
    command = [sys.executable, str(BENCHMARKS / "build_once.py"), str(source), str(out)]
    command += ["--jobs", str(run.jobs)] + (["--cache", str(cache)] if cache else [])
    command += ["--tokenizer"] if tokenizer else []
    started = time.perf_counter()
    children_before = children_cpu()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=PROJECT)
    process = psutil.Process(child.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.2):
            peak = max(peak, tree_rss(process))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    run.wall = time.perf_counter() - started
    run.cpu = children_cpu() - children_before
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"{run.name}: build failed with exit code {child.returncode}")
    run.figures = json.loads(output)
    # The tokenizer is timed after the build, in the same process: not part of the build.
    run.wall -= run.figures.get("tokenizer_seconds", 0.0)
    run.cpu -= run.figures.get("tokenizer_cpu_seconds", 0.0)
    run.peak_rss = peak
    print(describe(run), flush=True)
    return run


def children_cpu() -> float:
    """User + system seconds of the finished child processes (and of theirs, once reaped)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def describe(run: Run) -> str:
    stages = ", ".join(f"{s} {run.stage(s):.1f}" for s in STAGES)
    return (
        f"{run.name}: {run.papers} papers in {run.wall:.1f} s wall "
        f"({run.papers / run.wall:.0f} papers/s), {run.cpu:.1f} CPU s, "
        f"peak {run.peak_rss / MiB:.0f} MiB; {stages}"
    )


def machine() -> list[str]:
    memory = psutil.virtual_memory().total / 1024**3
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return [
        f"- Machine: {os.cpu_count()} cores ({model}), {memory:.1f} GiB memory, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, spaCy {spacy.__version__}",
        f"- Load average when the benchmark started: {load} (the machine is shared: "
        "other work ran beside these builds, so the figures are lower bounds of its speed)",
        f"- Run on {datetime.date.today().isoformat()}: "
        f"`{' '.join(['.venv/bin/python', 'benchmarks/run.py', *sys.argv[1:]])}`",
    ]


def table(runs: list[Run]) -> list[str]:
    header = [
        "build",
        "papers",
        "jobs",
        *(f"{s} s" for s in STAGES),
        "wall s",
        "CPU s",
        "papers/s",
        "ms/paper",
        "extract papers/s",
        "tokenizer papers/s (1 core)",
        "tokenizer CPU s",
        "extract / tokenizer",
        "build / tokenizer",
        "peak RSS MiB",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for run in runs:
        extract_rate = run.papers / run.stage("extract") if run.stage("extract") else 0
        tokenizer_seconds = run.figures.get("tokenizer_seconds")
        tokenizer = run.papers / tokenizer_seconds if tokenizer_seconds else None
        cells = [
            run.name,
            f"{run.papers:,}",
            str(run.jobs),
            *(f"{run.stage(s):.1f}" for s in STAGES),
            f"{run.wall:.1f}",
            f"{run.cpu:.1f}",
            f"{run.papers / run.wall:.0f}",
            f"{1000 * run.wall / run.papers:.2f}",
            f"{extract_rate:.0f}",
            f"{tokenizer:.0f}" if tokenizer else "",
            f"{run.figures['tokenizer_cpu_seconds']:.1f}" if tokenizer else "",
            f"{extract_rate / tokenizer:.2f}" if tokenizer else "",
            f"{run.papers / run.wall / tokenizer:.2f}" if tokenizer else "",
            f"{run.peak_rss / MiB:,.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,30000,all", help="comma-separated; 'all'")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--no-incremental", action="store_true", help="skip the 99%% + 1%% re-build at full size"
    )
    parser.add_argument(
        "--one-job-at", type=int, default=10_000, help="also build this size with --jobs 1 (0: no)"
    )
    parser.add_argument("--results", type=Path, default=BENCHMARKS / "results.md")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kg-benchmark-"))
    total = write_input(work / "all.jsonl", None)
    sizes = [total if s == "all" else min(int(s), total) for s in args.sizes.split(",")]
    runs: list[Run] = []
    try:
        for size in sizes:
            source = work / f"first-{size}.jsonl"
            write_input(source, size)
            cold = Run(f"cold {size:,}", size, args.jobs)
            runs.append(timed_build(cold, source, work / cold.name, work / f"c{size}", True))
            if size == args.one_job_at:
                one_job = Run(f"cold {size:,}, 1 job", size, 1)
                runs.append(timed_build(one_job, source, work / "one", work / "c-one", False))
        incremental = []
        if not args.no_incremental:
            incremental = measure_incremental(work, total, args.jobs, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_results(args.results, runs, incremental)
    print(f"wrote {args.results}")


def measure_incremental(work: Path, total: int, jobs: int, runs: list[Run]) -> list[str]:
    """Build 99% into a cache, then all with it; compare with a cold build of all."""
    most = total - total // 100
    source_most, source_all = work / "most.jsonl", work / f"first-{total}.jsonl"
    write_input(source_most, most)
    if not source_all.exists():
        write_input(source_all, total)
    cache = work / "incremental-cache"
    most_run = Run(f"cold {most:,} (99%)", most, jobs)
    runs.append(timed_build(most_run, source_most, work / "most", cache, False))
    cold = next((r for r in runs if r.name == f"cold {total:,}"), None)
    if cold is None:
        cold = Run(f"cold {total:,}", total, jobs)
        runs.append(timed_build(cold, source_all, work / cold.name, work / "cold-cache", False))
    warm = Run(f"99% cached + 1% new = {total:,}", total, jobs)
    runs.append(timed_build(warm, source_all, work / "warm", cache, False))
    identical = all(
        filecmp.cmp(work / cold.name / name, work / "warm" / name, shallow=False)
        for name in EXPORTS
    )
    return [
        f"- Incremental: adding {total - most:,} papers (1%) to a cached build of {most:,} took "
        f"{warm.wall:.1f} s against {cold.wall:.1f} s cold: {100 * warm.wall / cold.wall:.1f}% "
        f"({warm.figures['cache_hits']:,} papers read from the cache).",
        f"- Its exports are {'byte-identical' if identical else 'NOT identical'} to the cold "
        f"build's ({', '.join(EXPORTS)}).",
    ]


def write_results(path: Path, runs: list[Run], notes: list[str]) -> None:
    text = "\n".join(
        [
            "# Benchmark results",
            "",
            "Written by `benchmarks/run.py`; each build runs `kg.build` + `kg.export` of the first",
            "N papers of `miccai2025.jsonl` + `conferences.jsonl.gz` in a fresh process with an",
            "empty extraction cache (written to, as `kg build` does by default). Stage seconds",
            "come from `KnowledgeGraph.timings`; wall includes starting Python, not the tokenizer",
            "pass that runs after the build in the same process. Peak RSS is the largest sum,",
            "sampled every 0.2 s, over the build process and its worker processes",
            "(pages a forked worker shares with its parent count twice, so it is an upper bound).",
            "The tokenizer column is `spacy.blank('en').tokenizer.pipe` alone over the same",
            "titles and abstracts on one core; `extract / tokenizer` divides our extraction's",
            "throughput (all jobs) by it, `build / tokenizer` the whole build's (papers / wall).",
            "CPU s: user + system seconds of the build process and its workers (the tokenizer",
            "pass left out): unlike wall seconds, it moves little with a shared machine's load.",
            "",
            *machine(),
            "",
            *table(runs),
            "",
            *notes,
            "",
        ]
    )
    # The SPARQL section (benchmarks/sparql.py) is kept as it was.
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    sparql = previous[previous.find(SPARQL_SECTION) :] if SPARQL_SECTION in previous else ""
    path.write_text(text + ("\n" + sparql if sparql else ""), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
