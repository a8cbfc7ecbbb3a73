"""Incremental re-builds and parallel exports: a build that adds papers to a cache, with the
writers in forked processes, exports the bytes of a cold build on one core; a writer's
warnings and failures come back from its process as they would from this one."""

from __future__ import annotations

import errno
import gc
import os
import signal
import sqlite3
from pathlib import Path

import pytest

import kg
from kg.export.forked import run_at_once
from kg.paths import SEEDS_DIR

EXPORTS = ("graph.ttl", "ontology.ttl", "graph.graphml", "graph.html")
FIRST_SEED = SEEDS_DIR / "004_3ecde1412f1e9cca.txt"


def export_bytes(knowledge_graph: kg.KnowledgeGraph, out: Path, jobs: int) -> dict[str, bytes]:
    kg.export(knowledge_graph, out, jobs=jobs)
    return {name: (out / name).read_bytes() for name in EXPORTS}


def staging_folders(out: Path) -> list[str]:
    current = os.readlink(out / ".kg-current")
    return [p.name for p in out.iterdir() if p.name.startswith(".kg-export-") and p.name != current]


@pytest.fixture(scope="module")
def cold(tmp_path_factory) -> tuple[kg.KnowledgeGraph, dict[str, bytes]]:
    """A cold build of the seeds, written by one process: the reference bytes."""
    knowledge_graph = kg.build([SEEDS_DIR], jobs=1)
    return knowledge_graph, export_bytes(knowledge_graph, tmp_path_factory.mktemp("cold"), 1)


def test_papers_added_to_a_cache_export_the_cold_bytes_with_parallel_writers(tmp_path, cold):
    _, cold_bytes = cold
    with kg.ExtractionCache.for_pipeline(tmp_path / "cache") as cache:
        kg.build([FIRST_SEED], jobs=1, cache=cache)
    with kg.ExtractionCache.for_pipeline(tmp_path / "cache") as cache:
        grown = kg.build([SEEDS_DIR], jobs=2, cache=cache)
        assert cache.hits > 0 and cache.misses > 0  # some papers read back, the new extracted
    assert export_bytes(grown, tmp_path / "out", 2) == cold_bytes
    assert {"export turtle", "export graphml", "export html"} <= set(grown.timings)


def test_a_row_that_does_not_decode_is_extracted_again_beside_new_papers(tmp_path, cold):
    _, cold_bytes = cold
    with kg.ExtractionCache.for_pipeline(tmp_path / "cache") as cache:
        kg.build([FIRST_SEED], jobs=1, cache=cache)
        path = cache.path
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE extractions SET data = ?", (b"[not json",))
    with kg.ExtractionCache.for_pipeline(tmp_path / "cache") as cache:
        grown = kg.build([SEEDS_DIR], jobs=2, cache=cache)
        assert cache.hits == 0 and "did not decode" in cache.warnings[0]
    assert export_bytes(grown, tmp_path / "out", 2) == cold_bytes


def test_forked_writers_report_their_warnings_in_order(tmp_path):
    source = tmp_path / "urls.jsonl"
    source.write_text(
        '{"title": "KidneyNet", "abstract": "We propose KidneyNet for renal cyst grading on '
        'CT, trained on RenalDB.", "url": "JavaScript:alert(1)"}\n'
        '{"title": "LiverSeg", "abstract": "LiverSeg builds on U-Net and is evaluated on '
        'LiTS.", "url": "http://[zz::1/x"}\n',
        encoding="utf-8",
    )
    knowledge_graph = kg.build([source], jobs=1)
    one = kg.export(knowledge_graph, tmp_path / "one", jobs=1).warnings
    forked = kg.export(knowledge_graph, tmp_path / "forked", jobs=2).warnings
    assert len(one) == 2 and all("not a valid web IRI" in warning for warning in one)
    assert forked == one


def write_then(fault):
    def write(job: kg.ExportJob) -> None:
        (job.folder / "half.txt").write_text("half")
        fault()

    return write


def disk_full() -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "half.txt")


def killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def ctrl_c() -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("fault", "error", "message"),
    [
        (disk_full, kg.ExportError, "No space left on device"),
        (killed, kg.ExportError, "killed by signal 9"),
        (ctrl_c, KeyboardInterrupt, None),
    ],
)
def test_a_forked_writer_that_fails_leaves_the_previous_set(tmp_path, cold, fault, error, message):
    knowledge_graph, cold_bytes = cold
    out = tmp_path / "out"
    assert export_bytes(knowledge_graph, out, 1) == cold_bytes
    broken = kg.Exporter("broken", ("half.txt",), write_then(fault), parallel=True)
    with pytest.raises(error, match=message):
        kg.export(knowledge_graph, out, exporters=[*kg.EXPORTERS, broken], jobs=2)
    assert {name: (out / name).read_bytes() for name in EXPORTS} == cold_bytes
    assert not (out / "half.txt").exists()
    assert staging_folders(out) == []


def test_a_forked_writer_runs_without_collections_and_this_process_keeps_them():
    assert gc.isenabled()
    here, child = run_at_once([[gc.isenabled], [gc.isenabled]])
    assert (here, child) == (True, False)
    assert gc.isenabled()
