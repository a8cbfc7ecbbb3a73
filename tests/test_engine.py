"""Extraction engines: every engine and number of jobs gives the same exports."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import kg
import kg.engine
from kg.cache import paper_key
from kg.collection import uncollected
from kg.engine import EngineError, extract, shard
from kg.engine.local import LocalWorkers
from kg.extract import build_pipeline
from kg.ingest import ingest
from kg.paths import SEEDS_DIR

EXPORTS = ("graph.ttl", "graph.graphml", "graph.html")


def exported_bytes(out: Path, **build_options) -> dict[str, bytes]:
    kg.export(kg.build([SEEDS_DIR], **build_options), out)
    return {name: (out / name).read_bytes() for name in EXPORTS}


@pytest.fixture(scope="module")
def one_job_exports(tmp_path_factory) -> dict[str, bytes]:
    return exported_bytes(tmp_path_factory.mktemp("jobs1"), jobs=1)


def test_shards_cover_the_papers_in_order():
    papers = ingest([SEEDS_DIR]).papers
    shards = shard(papers, jobs=2)
    assert len(shards) > 2
    assert [p for s in shards for p in s] == papers


def test_two_processes_export_what_one_does(tmp_path, one_job_exports):
    assert len(shard(ingest([SEEDS_DIR]).papers, jobs=2)) > 1  # so the pool does run
    assert exported_bytes(tmp_path, jobs=2) == one_job_exports


def test_a_dask_local_cluster_exports_what_the_local_engine_does(tmp_path, one_job_exports):
    pytest.importorskip("dask.distributed")
    assert exported_bytes(tmp_path, engine="dask", jobs=2) == one_job_exports


def test_a_worker_with_other_rules_is_refused(monkeypatch):
    monkeypatch.setattr(kg.engine, "pipeline", lambda model: (build_pipeline(model), "other"))
    papers = ingest([SEEDS_DIR]).papers[:3]
    with pytest.raises(EngineError, match="other extraction rules"):
        list(extract(papers, jobs=1))


def test_an_unknown_engine_is_refused():
    with pytest.raises(EngineError, match="unknown engine"):
        list(extract([], engine="spark"))


def test_an_unreachable_scheduler_is_an_engine_error(monkeypatch):
    pytest.importorskip("dask.distributed")
    from kg.engine import dask_cluster

    monkeypatch.setattr(dask_cluster, "CONNECT_TIMEOUT", "1s")
    papers = ingest([SEEDS_DIR]).papers[:3]
    with pytest.raises(EngineError, match="cannot reach"):
        list(extract(papers, engine="dask", scheduler="tcp://127.0.0.1:9"))


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads children from /proc")
def test_a_worker_and_its_helper_extract_what_one_process_does():
    papers = ingest([SEEDS_DIR]).papers
    shards = shard(papers, jobs=2)
    alone = [e for s in shards for e in kg.engine.extract_shard(s).extractions]
    with LocalWorkers(1, None, helpers=1) as workers:
        helped = [e for result in workers.map_shards(shards) for e in result.extractions]
        (worker,) = workers._pool._processes
        (helper,) = _children(worker)
        # A helper that dies leaves its worker to extract by itself.
        os.kill(helper, signal.SIGKILL)
        on_its_own = [e for result in workers.map_shards(shards) for e in result.extractions]
    assert helped == alone
    assert on_its_own == alone


SPACY_WITHOUT_ITS_CLI = (
    "import sys\n"
    "from kg.engine import pipeline\n"
    "pipeline(None)\n"
    "print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'weasel'}))\n"
    "import spacy\n"
    "from spacy.cli.info import info\n"
    "print(spacy.info is not info, callable(sys.modules['spacy.cli.info'].info_cli))\n"
)


def test_a_worker_loads_spacy_without_its_command_line():
    result = subprocess.run(
        [sys.executable, "-c", SPACY_WITHOUT_ITS_CLI], capture_output=True, text=True, check=True
    )
    # Neither typer nor weasel is loaded; spaCy's own command line is there when asked for.
    assert result.stdout.splitlines() == ["[]", "True True"]


def test_extractions_ahead_are_given_as_their_shards_are_done():
    papers = ingest([SEEDS_DIR]).papers[:9]
    with LocalWorkers(1, None) as workers:
        ahead = kg.engine.ExtractionsAhead(workers, jobs=2)
        ahead.start(papers[:5])
        ahead.start(papers[5:])
        keys = [paper_key(paper) for paper in reversed(papers)]
        groups = list(ahead.arrived(keys))
        alone = list(kg.engine.extract_shard(papers).extractions)
        extracted = [ahead.extraction(key) for key in keys]
    # Every paper once, each group done when given (the shards in the order handed out).
    assert sorted(place for group in groups for place in group) == list(range(9))
    firsts = [papers.index(papers[::-1][group[0]]) for group in groups]
    assert firsts == sorted(firsts)
    assert extracted == alone[::-1]


def test_a_worker_forked_while_collections_are_off_collects():
    with uncollected(), LocalWorkers(1, None) as workers:
        assert workers._pool.submit(gc.isenabled).result()
