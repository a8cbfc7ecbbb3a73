"""`kg build` through click: what it prints, writes and exits with."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.paths import SEEDS_DIR

EXPORTS = ("graph.ttl", "graph.graphml", "graph.html")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_build_of_the_seeds_writes_the_exports_then_reads_the_cache(runner, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    options = ["--out", str(out), "--cache", str(cache), "--jobs", "1"]
    cold = runner.invoke(main, ["build", *options])
    assert cold.exit_code == 0, cold.stderr
    assert "89 papers from 91 records (2 merged)" in cold.stdout
    assert "0 of 89 papers from the cache" in cold.stdout
    assert all((out / name).stat().st_size > 1000 for name in EXPORTS)
    warm = runner.invoke(main, ["build", *options])
    assert warm.exit_code == 0, warm.stderr
    assert "89 of 89 papers from the cache" in warm.stdout


def test_the_default_cache_is_in_the_current_folder(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build", str(SEEDS_DIR), "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert (tmp_path / ".kg-cache" / "extractions.sqlite").is_file()
    cached = runner.invoke(main, ["build", str(SEEDS_DIR), "--jobs", "1"])
    assert "89 of 89 papers from the cache" in cached.stdout


def test_no_cache_neither_reads_nor_writes_one(runner, tmp_path):
    cache = tmp_path / "cache"
    result = runner.invoke(
        main, ["build", "--out", str(tmp_path / "out"), "--cache", str(cache), "--no-cache", "-j1"]
    )
    assert result.exit_code == 0, result.stderr
    assert "from the cache" not in result.stdout
    assert not cache.exists()


def test_a_corrupt_cache_is_a_warning_not_a_failure(runner, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "extractions.sqlite").write_text("not a database " * 100)
    result = runner.invoke(
        main, ["build", "--out", str(tmp_path / "out"), "--cache", str(cache), "-j1"]
    )
    assert result.exit_code == 0, result.stderr
    assert "kg: warning: cache" in result.stderr
    assert "rebuilt it" in result.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler needs --engine dask"),
        (["does-not-exist.jsonl"], "does-not-exist.jsonl"),
        (["--jobs", "0"], "--jobs"),
        (["--engine", "spark"], "--engine"),
    ],
)
def test_usage_errors_exit_2(runner, tmp_path, arguments, message):
    result = runner.invoke(main, ["build", "--out", str(tmp_path), "--no-cache", *arguments])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "graph.ttl").exists()


def test_a_build_run_as_the_process_ends_it_with_its_output_and_exit_handlers(tmp_path):
    # `kg build` from a shell ends its process at once after the exports (kg.cli._end_process):
    # the summary on a pipe and what exit handlers print are not lost, the exit status is 0.
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('exit handler ran'))\n"
        "from kg.cli import main\n"
        "main()\n"
    )
    out = tmp_path / "exports"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "build",
            str(SEEDS_DIR),
            "--out",
            str(out),
            "--jobs",
            "2",
            "--cache",
            str(tmp_path / "cache"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"wrote {out / 'graph.ttl'}" in done.stdout
    assert done.stdout.rstrip().endswith("exit handler ran")
    for name in ("graph.ttl", "ontology.ttl", "graph.graphml", "graph.html"):
        assert (out / name).stat().st_size > 0


def test_a_build_run_under_cprofile_still_ends_with_the_profile_written(tmp_path):
    profile = tmp_path / "build.prof"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(profile),
            "-m",
            "kg",
            "build",
            str(SEEDS_DIR),
            "--out",
            str(tmp_path / "exports"),
            "--jobs",
            "1",
            "--no-cache",
            "-q",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert profile.stat().st_size > 0
