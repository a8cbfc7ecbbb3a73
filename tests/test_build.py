"""End-to-end builds: the cache makes a re-build extract only what is new, and changes nothing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import kg
from kg.cache import paper_key
from kg.ingest import ingest
from kg.paths import SEEDS_DIR

EXPORTS = ("graph.ttl", "graph.graphml", "graph.html")
SMALL_SEED = SEEDS_DIR / "004_3ecde1412f1e9cca.txt"


def exported_bytes(knowledge_graph: kg.KnowledgeGraph, out: Path) -> dict[str, bytes]:
    kg.export(knowledge_graph, out)
    return {name: (out / name).read_bytes() for name in EXPORTS}


@pytest.fixture(scope="module")
def cold_seed_exports(tmp_path_factory) -> dict[str, bytes]:
    knowledge_graph = kg.build([SEEDS_DIR], jobs=1)
    return exported_bytes(knowledge_graph, tmp_path_factory.mktemp("cold"))


def test_a_build_reads_the_seeds_and_times_each_stage():
    knowledge_graph = kg.build([SEEDS_DIR], jobs=1)
    assert (knowledge_graph.count_nodes()["Paper"], knowledge_graph.records_read) == (89, 91)
    assert set(knowledge_graph.timings) == {"ingest", "extract", "link", "graph"}


def test_a_second_build_reads_every_paper_from_the_cache(tmp_path, cold_seed_exports):
    with kg.ExtractionCache.for_pipeline(tmp_path / "cache") as cache:
        kg.build([SEEDS_DIR], jobs=1, cache=cache)
        assert (cache.hits, cache.misses, cache.stored) == (0, 89, 89)
    with kg.ExtractionCache.for_pipeline(tmp_path / "cache") as cache:
        warm = kg.build([SEEDS_DIR], jobs=1, cache=cache)
        assert (cache.hits, cache.misses, cache.stored) == (89, 0, 0)
    assert exported_bytes(warm, tmp_path / "out") == cold_seed_exports


def test_adding_papers_extracts_only_them_and_exports_what_a_cold_build_does(
    tmp_path, cold_seed_exports
):
    with kg.ExtractionCache.for_pipeline(tmp_path / "cache") as cache:
        kg.build([SMALL_SEED], jobs=1, cache=cache)
    # A paper also found in the new input is merged with it, and extracted again.
    unchanged = {paper_key(p) for p in ingest([SMALL_SEED]).papers} & {
        paper_key(p) for p in ingest([SEEDS_DIR]).papers
    }
    assert 0 < len(unchanged) < 89
    with kg.ExtractionCache.for_pipeline(tmp_path / "cache") as cache:
        grown = kg.build([SEEDS_DIR], jobs=2, cache=cache)
        assert (cache.hits, cache.misses) == (len(unchanged), 89 - len(unchanged))
    assert exported_bytes(grown, tmp_path / "out") == cold_seed_exports


def test_a_corrupt_cache_is_rebuilt_and_changes_nothing(tmp_path, cold_seed_exports):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / "extractions.sqlite").write_bytes(b"\x00garbage" * 512)
    with kg.ExtractionCache.for_pipeline(cache_dir) as cache:
        knowledge_graph = kg.build([SEEDS_DIR], jobs=1, cache=cache)
        assert len(cache.warnings) == 1
        assert cache.stored == 89
    assert exported_bytes(knowledge_graph, tmp_path / "out") == cold_seed_exports


def test_a_cache_for_another_pipeline_is_refused(tmp_path):
    with (
        kg.ExtractionCache(tmp_path, "another fingerprint") as cache,
        pytest.raises(ValueError, match="another pipeline"),
    ):
        kg.build([SMALL_SEED], jobs=1, cache=cache)


@pytest.mark.parametrize(
    ("papers", "held", "jobs", "workers"),
    [
        (87_990, 87_076, 2, 1),  # +1%: decoding 87k rows keeps this process busy meanwhile
        (87_990, 43_995, 2, 2),  # half new: every job extracts
        (87_990, 0, 4, 4),
        (89, 89, 2, 0),  # the cache may hold every paper
        (89, 0, 1, 0),  # one job: extracted in this process
        (3, 0, 8, 3),  # never more workers than papers
    ],
)
def test_a_cached_re_build_starts_the_workers_the_papers_it_lacks_need(papers, held, jobs, workers):
    assert kg._worker_count(papers, held, jobs) == workers


def test_lines_appended_to_a_file_are_extracted_ahead_and_change_nothing(tmp_path, monkeypatch):
    records = [
        {"title": p.title, "abstract": p.abstract, "doi": f"10.5555/seed.{number}"}
        for number, p in enumerate(ingest([SEEDS_DIR]).papers)
    ]
    lines = list(map(json.dumps, records))
    # Appended too: a fuller record of a paper read before (its DOI), which the paper takes
    # its abstract from but not its title: it is extracted again, not as it was ahead.
    known = next(record for record in records[:70] if record["title"])
    fuller = {
        "abstract": known["abstract"] + " We release the code.",
        "doi": known["doi"],
        "year": 2031,
        "url": "https://example.org/paper",
        "authors": ["A. Author"],
    }
    appended = [*lines[70:], json.dumps(fuller)]
    grown = tmp_path / "papers.jsonl"
    grown.write_text("\n".join(lines[:70]) + "\n")
    with kg.ExtractionCache.for_pipeline(tmp_path / "cache") as cache:
        kg.build([grown], jobs=2, cache=cache)
    with grown.open("a") as appending:
        appending.write("\n".join(appended) + "\n")
    taken_ahead = []
    extraction = kg.ExtractionsAhead.extraction

    def spied(self, key):
        taken_ahead.append(key)
        return extraction(self, key)

    monkeypatch.setattr(kg.ExtractionsAhead, "extraction", spied)
    # As in `kg build`: spaCy not loaded here, so a worker is started before reading.
    monkeypatch.delitem(sys.modules, "spacy")

    with kg.ExtractionCache.for_pipeline(tmp_path / "cache") as cache:
        rebuilt = kg.build([grown], jobs=2, cache=cache)
        assert (cache.hits, cache.misses) == (69, 20)
    cold = kg.build([grown], jobs=1)

    alone = tmp_path / "appended.jsonl"
    alone.write_text("\n".join(appended) + "\n")
    new_papers = {paper_key(p) for p in ingest([alone]).papers} & {
        paper_key(p) for p in ingest([grown]).papers
    }
    assert len(new_papers) == 19
    assert sorted(taken_ahead) == sorted(new_papers)
    assert exported_bytes(rebuilt, tmp_path / "rebuilt") == exported_bytes(cold, tmp_path / "cold")
