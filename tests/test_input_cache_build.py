"""`kg build` with the parsed-input cache: the same exports as without it; --no-cache leaves
it alone."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.ingest import ingest
from kg.ingest.input_cache import INPUT_CACHE_FOLDER
from kg.paths import SEEDS_DIR

EXPORTS = ("graph.ttl", "ontology.ttl", "graph.graphml", "graph.html")


def build(tmp_path: Path, papers: Path, out: str, *cache: str) -> None:
    options = ["--out", str(tmp_path / out), "--jobs", "1", "--quiet", *cache]
    result = CliRunner().invoke(main, ["build", str(papers), *options])
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr


def test_a_grown_file_builds_the_exports_of_a_cold_build(tmp_path):
    lines = [
        json.dumps({"title": p.title, "abstract": p.abstract, "doi": p.doi})
        for p in ingest([SEEDS_DIR]).papers
    ]
    papers = tmp_path / "papers.jsonl"
    papers.write_text("\n".join(lines[:70]) + "\n")
    cache = ("--cache", str(tmp_path / "cache"))
    build(tmp_path, papers, "first", *cache)
    with papers.open("a") as grown:
        grown.write("\n".join(lines[70:]) + "\n")

    build(tmp_path, papers, "cached", *cache)
    build(tmp_path, papers, "cold", "--no-cache")

    for name in EXPORTS:
        cached, cold = tmp_path / "cached" / name, tmp_path / "cold" / name
        assert cached.read_bytes() == cold.read_bytes(), name


def test_no_cache_leaves_the_parsed_input_cache_alone(tmp_path):
    cache = tmp_path / "cache"
    build(tmp_path, SEEDS_DIR, "first", "--cache", str(cache))
    files = sorted((cache / INPUT_CACHE_FOLDER).iterdir())
    assert files  # the seeds' files and the index
    before = [(path, path.stat().st_mtime_ns, path.read_bytes()) for path in files]

    build(tmp_path, SEEDS_DIR, "again", "--cache", str(cache), "--no-cache")

    assert sorted((cache / INPUT_CACHE_FOLDER).iterdir()) == files
    assert [(path, path.stat().st_mtime_ns, path.read_bytes()) for path in files] == before
