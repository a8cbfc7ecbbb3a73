"""Faults during a build: kill -9 in every stage, a full disk, a file size limit, a read-only
or blocked export folder, a build that reads nothing.

Each case runs a real `kg build` in a child process (its own session, so every process it
starts can be found) and checks what a user would: one `kg: error:` line and the exit
code, no process left behind, the previous exports whole, and no litter after the next
build. A case is killed at a stage from inside (the stage's function is wrapped to send
SIGKILL to its own process), so it dies exactly there.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"
EXPORTS = ("graph.ttl", "ontology.ttl", "graph.graphml", "graph.html")

# Runs `kg build ARGS...` after applying a fault named by the first argument.
FAULTY_BUILD = textwrap.dedent(
    """
    import errno, os, signal, sys
    import kg
    from kg.cli import main

    fault = sys.argv.pop(1)

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if fault == "kill-ingest":
        kg.ingest = die
    elif fault == "kill-extract":
        real_extract = kg.extract

        def extract_then_die(*args, **kwargs):
            for done, shard in enumerate(real_extract(*args, **kwargs)):
                if done == 1:  # workers are up and busy with the other shards
                    die()
                yield shard

        kg.extract = extract_then_die
    elif fault == "kill-link":
        kg.resolve = die
    elif fault == "kill-export":
        # After graph.ttl is complete in the staging folder, before the commit.
        kg.EXPORTERS.insert(1, kg.Exporter("die", (), die))
    elif fault == "disk-full":
        def disk_full(job):
            (job.folder / "graph.graphml").write_bytes(b"<graphml")
            path = str(job.folder / "graph.graphml")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)

        kg.EXPORTERS.insert(1, kg.Exporter("disk-full", (), disk_full))
    elif fault == "term-export":
        kg.EXPORTERS.insert(1, kg.Exporter("term", (), lambda job: os.kill(os.getpid(), 15)))
    elif fault == "bug-in-a-writer":
        def bug(job):
            "\\ud800".encode("utf-8")

        kg.EXPORTERS.insert(1, kg.Exporter("bug", (), bug))
    sys.argv = ["kg", "build", *sys.argv[1:]]
    main()
    """
)


def run_build(*args: str, fault: str = "none", cwd: Path, limit_file_size: int | None = None):
    """`kg build ARGS` with `fault`, in a new session; the result and the session id."""

    def limits() -> None:
        if limit_file_size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    child = subprocess.Popen(
        [sys.executable, "-c", FAULTY_BUILD, fault, *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=limits,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )
    # Ends only when every process holding the pipes has let go of them.
    stdout, stderr = child.communicate(timeout=120)
    return subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr), child.pid


def live_processes(session: int) -> list[str]:
    """Processes (not zombies) still alive in `session`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        state, _ppid, _pgrp, sid = text[text.rindex(")") + 2 :].split()[:4]
        if int(sid) == session and state != "Z":
            found.append(text[: text.rindex(")") + 1])
    return found


def no_process_left(session: int) -> bool:
    deadline = time.monotonic() + 5
    while live_processes(session) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not live_processes(session)


def exported(out: Path) -> dict[str, bytes]:
    """The exports' bytes, after checking the folder holds the committed set and nothing else."""
    hidden = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    assert hidden == [".kg-current", os.readlink(out / ".kg-current")], hidden
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(EXPORTS)
    return {name: (out / name).read_bytes() for name in EXPORTS}


@pytest.fixture(scope="module")
def yesterdays_exports(tmp_path_factory) -> Path:
    """Exports of a two-paper build: what a user has from yesterday."""
    folder = tmp_path_factory.mktemp("yesterday")
    source = folder / "two.jsonl"
    source.write_text(
        '{"title": "KidneyNet: cysts", "abstract": "We propose KidneyNet for renal cyst '
        'grading on CT, trained on RenalDB."}\n'
        '{"title": "LiverSeg", "abstract": "LiverSeg builds on U-Net and is evaluated on '
        'LiTS. Code: https://github.com/lab/liverseg."}\n',
        encoding="utf-8",
    )
    result, _ = run_build(str(source), "--out", str(folder / "out"), "--no-cache", "-q", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "out"


@pytest.fixture
def previous(tmp_path: Path, yesterdays_exports: Path) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path / "out"
    shutil.copytree(yesterdays_exports, out, symlinks=True)
    return out, exported(out)


@pytest.fixture
def small_input(yesterdays_exports: Path) -> str:
    """Two papers: enough for cases where only the export stage matters, and fast."""
    return str(yesterdays_exports.parent / "two.jsonl")


def single_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 1, stderr
    return errors[0]


# The Dask engine's workers end with their parent by themselves (measured: the pipes close
# 0.2 s after kill -9); a case here would spend ~25 s starting two LocalClusters.
@pytest.mark.parametrize(
    ("stage", "engine"),
    [
        ("ingest", "local"),
        ("extract", "local"),
        ("link", "local"),
        ("export", "local"),
    ],
)
def test_kill_9_in_a_stage_leaves_no_process_no_litter_and_the_previous_exports(
    tmp_path, previous, stage, engine
):
    out, before = previous
    cache = tmp_path / "cache"
    build = ("--out", str(out), "--cache", str(cache))
    result, session = run_build(
        str(SEEDS), *build, "--jobs", "2", "--engine", engine, fault=f"kill-{stage}", cwd=tmp_path
    )

    assert result.returncode == -signal.SIGKILL
    assert no_process_left(session), live_processes(session)
    visible = {name: (out / name).read_bytes() for name in EXPORTS}
    assert visible == before
    if stage == "export":
        assert len([p for p in out.iterdir() if p.name.startswith(".kg-export-")]) == 2

    result, _ = run_build(str(SEEDS), *build, "--jobs", "1", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    after = exported(out)  # one committed set; the killed build's staging folder is gone
    assert after["graph.ttl"] != before["graph.ttl"]


def test_sigterm_during_export_stops_like_ctrl_c(tmp_path, previous, small_input):
    out, before = previous
    result, session = run_build(
        small_input, "--out", str(out), "--no-cache", "-q", fault="term-export", cwd=tmp_path
    )
    assert result.returncode == 130, result.stderr
    assert "interrupted" in result.stderr and "Traceback" not in result.stderr
    assert exported(out) == before  # and the staging folder is gone already
    assert no_process_left(session)


def test_disk_full_during_export_is_one_error_line(tmp_path, previous, small_input):
    out, before = previous
    result, _ = run_build(
        small_input, "--out", str(out), "--no-cache", "-q", fault="disk-full", cwd=tmp_path
    )
    assert result.returncode == 2
    assert "No space left on device" in single_error_line(result.stderr)
    assert exported(out) == before


def test_an_unforeseen_error_is_one_line_too_and_debug_shows_it(tmp_path, previous, small_input):
    out, before = previous
    build = (small_input, "--out", str(out), "--no-cache", "-q")
    result, _ = run_build(*build, fault="bug-in-a-writer", cwd=tmp_path)
    assert result.returncode == 2
    assert "UnicodeEncodeError" in single_error_line(result.stderr)
    assert exported(out) == before
    result, _ = run_build(*build, "--debug", fault="bug-in-a-writer", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" in result.stderr
    assert exported(out) == before


def test_the_file_size_limit_is_one_error_line(tmp_path, previous, small_input):
    out, before = previous
    # ontology.ttl is about 50 KB; the limit stops it half way (Errno 27).
    result, _ = run_build(
        small_input, "--out", str(out), "--no-cache", "-q", cwd=tmp_path, limit_file_size=20_000
    )
    assert result.returncode == 2
    assert "File too large" in single_error_line(result.stderr)
    assert exported(out) == before


@pytest.fixture
def tiny_file_system(tmp_path: Path):
    """A 300 KB tmpfs (needs root and a system that allows mounting), unmounted afterwards."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=True)


def test_a_really_full_disk_is_one_error_line_and_leaves_nothing(tmp_path, tiny_file_system):
    out = tiny_file_system / "out"
    result, _ = run_build(str(SEEDS), "--out", str(out), "--no-cache", "-q", cwd=tmp_path)
    assert result.returncode == 2
    assert "No space left on device" in single_error_line(result.stderr)
    assert list(out.iterdir()) == []


def test_a_read_only_folder_fails_before_the_build(tmp_path, tiny_file_system):
    out = tiny_file_system / "out"
    out.mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_file_system)], check=True)
    result, _ = run_build("no-such-input", "--out", str(out), "--no-cache", cwd=tmp_path)
    assert result.returncode == 2
    # Checked before reading the input: the error is the folder, not the missing file.
    assert "read-only" in single_error_line(result.stderr)


@pytest.mark.parametrize("in_the_way", ["out-is-a-file", "a-file-above", "a-folder-on-graph.html"])
def test_a_path_in_the_way_fails_before_the_build(tmp_path, previous, in_the_way):
    out, before = previous
    if in_the_way == "out-is-a-file":
        target = tmp_path / "afile"
        target.write_text("not a folder")
    elif in_the_way == "a-file-above":
        (tmp_path / "afile").write_text("not a folder")
        target = tmp_path / "afile" / "sub"
    else:
        target = out
        (out / "graph.html").unlink()
        (out / "graph.html").mkdir()
    cache = tmp_path / "cache"
    result, _ = run_build(
        "no-such-input", "--out", str(target), "--cache", str(cache), cwd=tmp_path
    )
    assert result.returncode == 2
    message = single_error_line(result.stderr)
    assert "folder" in message and str(target) in message
    assert not cache.exists()
    if in_the_way == "a-folder-on-graph.html":
        assert {name: (out / name).read_bytes() for name in EXPORTS if name != "graph.html"} == {
            name: data for name, data in before.items() if name != "graph.html"
        }


def test_a_build_that_reads_no_paper_fails_and_touches_nothing(tmp_path, previous):
    out, before = previous
    empty = tmp_path / "papers.jsonl"
    empty.write_text("\n", encoding="utf-8")
    cache = tmp_path / "cache"
    for target, strict in ((out, ()), (tmp_path / "new", ("--strict",))):
        result, _ = run_build(
            str(empty), "--out", str(target), "--cache", str(cache), *strict, cwd=tmp_path
        )
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and "no paper read" in result.stderr
    assert exported(out) == before
    assert not (tmp_path / "new").exists() and not cache.exists()


def test_workers_bind_to_their_parent_and_let_go_of_its_streams():
    probe = textwrap.dedent(
        """
        import os, sys, time
        from kg.engine.local import bind_to_parent
        parent = os.getpid()  # taken before the fork, as the pool does: no race with its death
        child = os.fork()
        if child == 0:
            bind_to_parent(parent)
            print("a worker's stray print", flush=True)
            time.sleep(60)
            os._exit(0)
        print(child, flush=True)
        os.kill(os.getpid(), 9)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", probe],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
    )
    stdout, _ = child.communicate(timeout=30)  # returns: the worker does not hold the pipe
    assert "stray" not in stdout
    worker = int(stdout.split()[0])
    deadline = time.monotonic() + 5
    while Path(f"/proc/{worker}").exists() and time.monotonic() < deadline:
        stat = Path(f"/proc/{worker}/stat").read_text()
        if stat[stat.rindex(")") + 2] == "Z":
            break
        time.sleep(0.1)
    assert no_process_left(child.pid)
