"""SPARQL at scale: each bundled query through `kg query` against a bare Oxigraph load and
query of the same file, from the file and from the store; `kg validate`; the store's cost.

    .venv/bin/python benchmarks/sparql.py EXPORT_DIR      # an export built with --store

Every timing is a fresh process (what a user waits for), run one after the other so that
the ratios compare runs under the same load; CPU seconds are given beside wall seconds.
Writes the "SPARQL" section of benchmarks/results.md (the build table above it is kept).
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
PROJECT = BENCHMARKS.parent
RESULTS = BENCHMARKS / "results.md"
SECTION = "## SPARQL at full size"
KG = [sys.executable, "-m", "kg"]
# A bare load and query: what any Oxigraph user would run, results consumed in Python.
BARE = """
import sys, pyoxigraph
store = pyoxigraph.Store()
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.TURTLE)
with open(sys.argv[2], encoding="utf-8") as query:
    rows = list(store.query(query.read()))
print(len(rows))
"""


@dataclass(frozen=True)
class Timing:
    """Wall seconds of a fresh process, and the CPU seconds (user + system) it used: on a
    shared machine the CPU time varies far less with the load than the wall time."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.1f} ({self.cpu:.1f})"


def timed(command: list[str]) -> tuple[Timing, str]:
    """What a fresh process costs, and its standard output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if done.returncode not in (0, 1):  # kg validate exits 1 on a report with results
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return Timing(seconds, cpu), done.stdout


def query_rows(export: Path, store: Path, work: Path) -> list[str]:
    names = sorted(path.stem for path in (PROJECT / "queries").glob("*.rq"))
    plain = work / "plain"  # the export without its store: kg query must parse graph.ttl
    plain.mkdir()
    (plain / "graph.ttl").symlink_to(export.resolve())
    lines = [
        "| query | rows | bare Oxigraph load + query: wall s (CPU s) "
        "| kg query from graph.ttl: wall s (CPU s) | ratio (CPU) "
        "| kg query from the store: wall s (CPU s) |",
        "|---|---|---|---|---|---|",
    ]
    for name in names:
        rq = PROJECT / "queries" / f"{name}.rq"
        bare, rows = timed([sys.executable, "-c", BARE, str(export), str(rq)])
        answer = work / f"{name}.csv"
        from_file, _ = timed(
            [
                *KG,
                "query",
                name,
                "--graph",
                str(plain / "graph.ttl"),
                "--format",
                "csv",
                "-o",
                str(answer),
            ]
        )
        from_store, _ = timed(
            [*KG, "query", name, "--store", str(store), "--format", "csv", "-o", str(answer)]
        )
        lines.append(
            f"| {name} | {int(rows):,} | {bare} | {from_file} | {from_file.cpu / bare.cpu:.2f} "
            f"| {from_store} |"
        )
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path, help="an export folder written with --store")
    args = parser.parse_args()
    export, store = args.export / "graph.ttl", args.export / "store"
    if not store.is_dir():
        raise SystemExit(f"no store in {args.export}: build it with `kg build --store`")
    with tempfile.TemporaryDirectory(prefix="kg-sparql-bench-") as folder:
        work = Path(folder)
        load = "import sys, pyoxigraph; pyoxigraph.Store(sys.argv[2]).bulk_load(path=sys.argv[1])"
        store_seconds, _ = timed([sys.executable, "-c", load, str(export), str(work / "s")])
        store_bytes = sum(f.stat().st_size for f in (work / "s").rglob("*") if f.is_file())
        validate_store, report = timed([*KG, "validate", str(export)])
        print(f"validate from the store: {validate_store}: {report.splitlines()[0]}", flush=True)
        lines = query_rows(export, store, work)
        validate_file, _ = timed([*KG, "validate", str(work / "plain" / "graph.ttl")])
    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    section = [
        SECTION,
        "",
        f"Written by `.venv/bin/python benchmarks/sparql.py {args.export}` on "
        f"{datetime.date.today().isoformat()} (load average at the end: {load_average}; "
        "the machine is shared, so compare the ratios, measured back to back).",
        f"`{export}`: {export.stat().st_size / 1e6:,.0f} MB of Turtle.",
        "",
        *lines,
        "",
        f"- Writing the store (`kg build --store`): {store_seconds} s, "
        f"{store_bytes / 1e6:,.0f} MB on disk.",
        f"- `kg validate` (Oxigraph engine), wall s (CPU s): {validate_file} reading graph.ttl, "
        f"{validate_store} from the store beside it; {report.splitlines()[0]}.",
        "",
    ]
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    kept = text.split(SECTION)[0].rstrip("\n")
    RESULTS.write_text((kept + "\n\n" if kept else "") + "\n".join(section), encoding="utf-8")
    print("\n".join(section))


if __name__ == "__main__":
    main()
