"""A build interrupted by Ctrl-C leaves the previous exports whole.

The child process is a real `kg build`; a SIGINT is delivered to it while it writes
the exports (from inside the GraphML writer, after the Turtle file of the new build
is complete), as a user's Ctrl-C would arrive.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

INTERRUPTED_BUILD = textwrap.dedent(
    """
    import os, signal, sys
    import kg
    from kg.cli import main

    real_write_graphml = kg.write_graphml

    def write_graphml_then_ctrl_c(graph, path, **options):
        real_write_graphml(graph, path, **options)
        os.kill(os.getpid(), signal.SIGINT)

    kg.write_graphml = write_graphml_then_ctrl_c
    sys.argv = ["kg", "build", *sys.argv[1:]]
    main()
    """
)


EXPORTS = ("graph.ttl", "ontology.ttl", "graph.graphml", "graph.html")


def exported(out: Path) -> dict[str, bytes]:
    """What a user sees in an export folder: each export's bytes, and nothing else but the
    committed set (`.kg-current` and the one folder it names)."""
    hidden = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    assert hidden == [".kg-current", os.readlink(out / ".kg-current")], hidden
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(EXPORTS)
    return {name: (out / name).read_bytes() for name in EXPORTS}


def run_kg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def previous_exports(tmp_path: Path) -> Path:
    """Exports of a one-paper build: what a user has from yesterday."""
    source = tmp_path / "one.jsonl"
    source.write_text(
        '{"title": "KidneyNet: cysts", "abstract": "We propose KidneyNet for renal cyst '
        'grading on CT, trained on RenalDB."}\n',
        encoding="utf-8",
    )
    out = tmp_path / "exports"
    result = run_kg("build", str(source), "--out", str(out), "--no-cache", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return out


def test_ctrl_c_during_export_leaves_the_previous_exports_whole(
    tmp_path: Path, previous_exports: Path
) -> None:
    before = exported(previous_exports)

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            INTERRUPTED_BUILD,
            str(PROJECT / "seeds"),
            "--out",
            str(previous_exports),
            "--no-cache",
            "-q",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )

    assert result.returncode == 130, result.stderr
    assert "interrupted" in result.stderr and "Traceback" not in result.stderr
    assert exported(previous_exports) == before  # same bytes; no staging folder left


def test_a_build_that_completes_replaces_every_export(
    tmp_path: Path, previous_exports: Path
) -> None:
    before = exported(previous_exports)
    result = run_kg(
        "build",
        str(PROJECT / "seeds"),
        "--out",
        str(previous_exports),
        "--no-cache",
        "-q",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    after = exported(previous_exports)
    assert all(after[name] != before[name] for name in ("graph.ttl", "graph.graphml", "graph.html"))
