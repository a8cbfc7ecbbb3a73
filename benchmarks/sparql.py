"""SPARQL at scale: each bundled query through `kg query` against a bare Oxigraph load and
query of the same file, from the file and from the store; `kg validate`; the store's cost.

    .venv/bin/python benchmarks/sparql.py EXPORT_DIR      # an export built with --store

Every timing is a fresh process (what a user waits for), run one after the other so that
the ratios compare runs under the same load. Writes the "SPARQL" section of
benchmarks/results.md (the build table above it is kept).
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time
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


def timed(command: list[str]) -> tuple[float, str]:
    """Seconds a fresh process takes, and its standard output."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):  # kg validate exits 1 on a report with results
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return seconds, done.stdout


def query_rows(export: Path, store: Path, work: Path) -> list[str]:
    names = sorted(path.stem for path in (PROJECT / "queries").glob("*.rq"))
    plain = work / "plain"  # the export without its store: kg query must parse graph.ttl
    plain.mkdir()
    (plain / "graph.ttl").symlink_to(export.resolve())
    lines = [
        "| query | rows | bare Oxigraph load + query s | kg query from graph.ttl s | ratio "
        "| kg query from the store s |",
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
            f"| {name} | {int(rows):,} | {bare:.1f} | {from_file:.1f} | {from_file / bare:.2f} "
            f"| {from_store:.1f} |"
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
        lines = query_rows(export, store, work)
        plain = work / "plain" / "graph.ttl"
        validate_file, _ = timed([*KG, "validate", str(plain)])
        validate_store, _ = timed([*KG, "validate", str(export)])
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
        f"- Writing the store (`kg build --store`): {store_seconds:.1f} s, "
        f"{store_bytes / 1e6:,.0f} MB on disk.",
        f"- `kg validate` (Oxigraph engine): {validate_file:.1f} s reading graph.ttl, "
        f"{validate_store:.1f} s from the store beside it.",
        "",
    ]
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    kept = text.split(SECTION)[0].rstrip("\n")
    RESULTS.write_text((kept + "\n\n" if kept else "") + "\n".join(section), encoding="utf-8")
    print("\n".join(section))


if __name__ == "__main__":
    main()
