"""The export set is committed in one step: a staging folder, one symlink renamed over
`OUT/.kg-current`, the user-facing paths as links through it."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import threading
from pathlib import Path

import pytest

import kg
from kg.export.atomic import CURRENT, current_export, export_set
from kg.paths import SEEDS_DIR

EXPORTS = ("graph.ttl", "ontology.ttl", "graph.graphml", "graph.html")


@pytest.fixture(scope="module")
def seeds_graph() -> kg.KnowledgeGraph:
    return kg.build([SEEDS_DIR], jobs=1)


def listing(out: Path) -> dict[str, str | None]:
    """Every entry of `out`: a link's target, or None for a file or folder."""
    return {p.name: os.readlink(p) if p.is_symlink() else None for p in sorted(out.iterdir())}


def test_the_paths_are_links_through_the_current_set(tmp_path, seeds_graph):
    out = tmp_path / "out"
    kg.export(seeds_graph, out)
    entries = listing(out)
    staged = entries.pop(CURRENT)
    assert staged.startswith(".kg-export-") and entries.pop(staged) is None
    assert entries == {name: f"{CURRENT}/{name}" for name in EXPORTS}
    assert (out / "graph.ttl").read_bytes() == (current_export(out) / "graph.ttl").read_bytes()


def test_a_copy_of_the_folder_stands_on_its_own(tmp_path, seeds_graph):
    out = tmp_path / "out"
    kg.export(seeds_graph, out)
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(out), str(copy)], check=True)  # as a user would
    shutil.rmtree(out)
    assert (copy / "graph.ttl").read_text(encoding="utf-8").startswith("@prefix")
    single = tmp_path / "graph.ttl"
    subprocess.run(["cp", str(copy / "graph.ttl"), str(single)], check=True)
    assert not single.is_symlink() and single.stat().st_size > 1000


def test_a_folder_of_an_older_kg_is_taken_over(tmp_path, seeds_graph):
    out = tmp_path / "out"
    out.mkdir()
    for name in EXPORTS:
        (out / name).write_text("yesterday's export, a plain file\n")
    (out / ".kg-export-abc123").mkdir()  # a staging folder an older kg left behind
    kg.export(seeds_graph, out)
    assert sorted(listing(out)) == sorted([CURRENT, os.readlink(out / CURRENT), *EXPORTS])
    assert all((out / name).is_symlink() for name in EXPORTS)


def test_a_set_replaced_is_removed_and_a_new_artifact_joins_and_leaves(tmp_path, seeds_graph):
    out = tmp_path / "out"
    kg.export(seeds_graph, out)
    first = current_export(out)

    def write_notes(job: kg.ExportJob) -> None:
        (job.folder / "notes").mkdir()
        (job.folder / "notes" / "a.txt").write_text(f"previous: {job.previous.name}\n")

    kg.export(
        seeds_graph, out, exporters=[*kg.EXPORTERS, kg.Exporter("notes", ("notes",), write_notes)]
    )
    assert not first.exists()
    assert (out / "notes" / "a.txt").read_text() == f"previous: {first.name}\n"
    kg.export(seeds_graph, out)
    assert not os.path.lexists(out / "notes")
    assert len([p for p in out.iterdir() if p.name.startswith(".kg-export-")]) == 1


def test_a_failed_write_leaves_the_set_and_no_staging_folder(tmp_path, seeds_graph):
    out = tmp_path / "out"
    kg.export(seeds_graph, out)
    before = listing(out)

    def fail(job: kg.ExportJob) -> None:
        raise OSError(28, "No space left on device", str(job.folder / "graph.html"))

    with pytest.raises(kg.ExportError, match="No space left on device"):
        kg.export(seeds_graph, out, exporters=[*kg.EXPORTERS[:1], kg.Exporter("full", (), fail)])
    assert listing(out) == before


def test_exports_into_one_folder_at_once_take_turns(tmp_path, seeds_graph):
    out = tmp_path / "out"
    inside: list[int] = []
    overlaps: list[int] = []

    def export(number: int) -> None:
        with export_set(out) as staging:
            inside.append(number)
            overlaps.append(len(inside))
            (staging / "graph.ttl").write_text(f"set {number}\n" * 1000)
            inside.remove(number)

    threads = [threading.Thread(target=export, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert max(overlaps) == 1
    assert (out / "graph.ttl").read_text().count("\n") == 1000
    assert len([p for p in out.iterdir() if p.name.startswith(".kg-export-")]) == 1


def test_a_file_that_does_not_reach_the_disk_fails_the_export(tmp_path, seeds_graph, monkeypatch):
    out = tmp_path / "out"
    kg.export(seeds_graph, out, jobs=1)
    before = {name: (out / name).read_bytes() for name in EXPORTS}
    synced = []
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:  # files (synced beside the next writer), not folders
        if stat.S_ISREG(os.fstat(fd).st_mode):
            synced.append(threading.current_thread().name)
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(kg.ExportError, match="Input/output error"):
        kg.export(seeds_graph, out, jobs=1)
    assert synced and set(synced) == {"kg-fsync"}
    assert {name: (out / name).read_bytes() for name in EXPORTS} == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".kg-export-")] == [
        os.readlink(out / CURRENT)
    ]
