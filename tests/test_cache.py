"""The extraction cache: compact rows that read back exactly, fingerprints that follow the
rules and vocabulary, and files that are rebuilt, never trusted, when broken."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest

import kg.cache
from kg.cache import (
    CACHE_FILE,
    EMPTY_ROW,
    EXTRACT_DIR,
    MAX_ROW_BYTES,
    SCAN_ROWS_PER_KEY,
    CacheCorrupt,
    ExtractionCache,
    decode_extraction,
    encode_extraction,
    pipeline_fingerprint,
)
from kg.engine import extract_shard
from kg.extract.vocabulary import default_vocabulary, read_vocabulary
from kg.ingest import ingest
from kg.paths import CUES_FILE, SEEDS_DIR, VOCABULARY_DIR
from kg.records import PaperExtraction


@pytest.fixture(scope="module")
def seed_extractions():
    papers = ingest([SEEDS_DIR]).papers
    return papers, extract_shard(papers).extractions


def test_every_seed_extraction_reads_back_equal(seed_extractions):
    papers, extractions = seed_extractions
    assert sum(len(e.relations) for e in extractions) > 100
    for paper, extraction in zip(papers, extractions, strict=True):
        assert decode_extraction(paper, encode_extraction(paper, extraction)) == extraction


def test_sentences_quoted_from_the_paper_are_kept_as_offsets(seed_extractions):
    papers, extractions = seed_extractions
    index = max(range(len(papers)), key=lambda i: len(extractions[i].relations))
    row = encode_extraction(papers[index], extractions[index]).decode()
    for relation in extractions[index].relations:
        assert relation.evidence.sentence not in row


def test_a_paper_that_names_nothing_is_the_empty_row_and_reads_back(seed_extractions):
    papers, _ = seed_extractions
    paper = next(p for p in papers if p.title)
    plain = PaperExtraction(paper.id, paper.title)
    assert encode_extraction(paper, plain) == EMPTY_ROW
    assert decode_extraction(paper, EMPTY_ROW) == plain
    relabelled = replace(plain, label="A stand-in label", code_urls=("https://github.com/a/b",))
    assert decode_extraction(paper, encode_extraction(paper, relabelled)) == relabelled
    untitled = replace(paper, title=None)
    without_label = encode_extraction(paper, relabelled).replace(b'"A stand-in label"', b"null")
    for row in (EMPTY_ROW, without_label):
        with pytest.raises(CacheCorrupt):  # the label was left out, and there is no title
            decode_extraction(untitled, row)


def test_a_few_papers_looked_up_in_a_large_table_read_back(tmp_path, seed_extractions):
    """A lookup reads the rows it needs by key when the table holds many others (else the
    whole table): both read the same rows."""
    papers, extractions = seed_extractions
    with ExtractionCache(tmp_path, "f1") as cache:
        cache.store(papers, extractions)
    few = [0, 5, len(papers) - 1]
    with ExtractionCache(tmp_path, "f1") as cache:
        assert len(papers) > SCAN_ROWS_PER_KEY * len(few)
        assert cache.lookup([papers[i] for i in few]) == [extractions[i] for i in few]
        assert cache.lookup(papers) == extractions


def test_the_row_format_is_part_of_the_fingerprint(monkeypatch):
    before = pipeline_fingerprint(default_vocabulary())
    monkeypatch.setattr(kg.cache, "FORMAT_VERSION", "1")
    assert pipeline_fingerprint(default_vocabulary()) != before


@pytest.mark.parametrize(
    "data",
    [b"garbage", b"[1, 2]", b'["label", [], [[1, 2, 3]]]', b'["\xff", [], []]'],
)
def test_a_row_that_is_not_ours_is_corrupt(seed_extractions, data):
    papers, _ = seed_extractions
    with pytest.raises(CacheCorrupt):
        decode_extraction(papers[0], data)


def test_a_second_lookup_hits(tmp_path, seed_extractions):
    papers, extractions = seed_extractions
    with ExtractionCache(tmp_path, "f1") as cache:
        assert cache.lookup(papers) == [None] * len(papers)
        cache.store(papers, extractions)
    with ExtractionCache(tmp_path, "f1") as cache:
        assert cache.lookup(papers) == extractions
        assert (cache.hits, cache.misses, cache.warnings) == (len(papers), 0, [])


def test_another_fingerprint_empties_the_cache(tmp_path, seed_extractions):
    papers, extractions = seed_extractions
    with ExtractionCache(tmp_path, "f1") as cache:
        cache.store(papers, extractions)
    with ExtractionCache(tmp_path, "f2") as cache:
        assert cache.lookup(papers) == [None] * len(papers)
        assert cache.warnings == []
    with ExtractionCache(tmp_path, "f1") as cache:
        assert cache.lookup(papers[:3]) == [None] * 3


def test_a_changed_vocabulary_entry_changes_the_fingerprint(tmp_path):
    vocab_dir = tmp_path / "vocab"
    shutil.copytree(VOCABULARY_DIR, vocab_dir)
    models = vocab_dir / "models.ttl"
    text = models.read_text(encoding="utf-8")
    assert 'skos:prefLabel "SAM"' in text
    models.write_text(text.replace('skos:prefLabel "SAM"', 'skos:prefLabel "SAM-1"'), "utf-8")
    edited = read_vocabulary(vocab_dir, CUES_FILE)
    assert pipeline_fingerprint(edited) != pipeline_fingerprint(default_vocabulary())


def test_a_changed_rule_changes_the_fingerprint(tmp_path):
    rules = tmp_path / "extract"
    shutil.copytree(EXTRACT_DIR, rules, ignore=shutil.ignore_patterns("__pycache__"))
    vocabulary = default_vocabulary()
    assert pipeline_fingerprint(vocabulary, extract_dir=rules) == pipeline_fingerprint(vocabulary)
    with (rules / "relations.py").open("a", encoding="utf-8") as source:
        source.write("\n# a changed rule\n")
    assert pipeline_fingerprint(vocabulary, extract_dir=rules) != pipeline_fingerprint(vocabulary)


def _filled_cache(directory: Path, papers, extractions) -> Path:
    with ExtractionCache(directory, "f1") as cache:
        cache.store(papers, extractions)
    return directory / CACHE_FILE


def _usable_after_warning(directory: Path, papers, extractions) -> None:
    """A cache that warned once, read nothing, and works again afterwards."""
    with ExtractionCache(directory, "f1") as cache:
        assert cache.lookup(papers) == [None] * len(papers)
        assert len(cache.warnings) == 1
        assert "rebuilt" in cache.warnings[0]
        cache.store(papers, extractions)
    with ExtractionCache(directory, "f1") as cache:
        assert cache.lookup(papers) == extractions
        assert cache.warnings == []


def test_a_file_of_garbage_is_reported_and_rebuilt(tmp_path, seed_extractions):
    (tmp_path / CACHE_FILE).write_bytes(b"this is not a database" * 100)
    _usable_after_warning(tmp_path, *seed_extractions)


def test_garbage_inside_the_pages_is_reported_and_rebuilt(tmp_path, seed_extractions):
    path = _filled_cache(tmp_path, *seed_extractions)
    data = path.read_bytes()
    page = 4096
    assert len(data) > 4 * page
    # The header page stays intact, so the file still opens as SQLite; the table pages do not.
    garbage = bytes(range(256)) * (len(data) // 256)
    path.write_bytes(data[: 2 * page] + garbage[: len(data) - 2 * page])
    _usable_after_warning(tmp_path, *seed_extractions)


def test_another_programs_database_is_reported_and_rebuilt(tmp_path, seed_extractions):
    with sqlite3.connect(tmp_path / CACHE_FILE) as other:
        other.execute("CREATE TABLE notes (text TEXT)")
    _usable_after_warning(tmp_path, *seed_extractions)


def a_real_row(seed_extractions) -> list:
    papers, extractions = seed_extractions
    return json.loads(encode_extraction(papers[0], extractions[0]))


def bad_rows(seed_extractions) -> dict[str, object]:
    """Rows that are not ours, each a way a file can be broken or made hostile."""
    row = a_real_row(seed_extractions)
    relation = row[2][0]
    return {
        "oversized": b" " * (MAX_ROW_BYTES + 1) + json.dumps(row).encode(),
        "deeply nested": b"[" * 200_000 + b"]" * 200_000,
        "5,000-digit number": (
            json.dumps([*row[:2], [[*relation[:9], 0.125]]]).replace("0.125", "9" * 5000).encode()
        ),
        "infinite confidence": json.dumps([*row[:2], [[*relation[:9], 1e308 * 10]]]).encode(),
        "unknown relation": json.dumps([*row[:2], [["ownsA", *relation[1:]]]]).encode(),
        "concept no IRI": (
            json.dumps([*row[:2], [[*relation[:4], "not an iri", *relation[5:]]]]).encode()
        ),
        "alias no string": json.dumps([*row[:2], [[*relation[:3], [7], *relation[4:]]]]).encode(),
        "lone surrogate": (
            json.dumps([row[0], row[1], [[relation[0], relation[1] + "\ud800", *relation[2:]]]])
        ).encode(),  # escaped as \\ud800 by json
        "lone surrogate in the label": json.dumps(["label\ud800", *row[1:]]).encode(),
        "truncated": json.dumps(row).encode()[:-6],
        "two values": json.dumps(row).encode() + b"[]",
        "text, not bytes": json.dumps(row),
        "not a list": b'{"x": 1}',
    }


def test_the_real_row_decodes(seed_extractions):
    papers, extractions = seed_extractions
    data = json.dumps(a_real_row(seed_extractions)).encode()
    assert decode_extraction(papers[0], data) == extractions[0]


def test_every_bad_row_is_corrupt_within_bounded_memory(seed_extractions):
    papers, _ = seed_extractions
    for why, data in bad_rows(seed_extractions).items():
        tracemalloc.start()
        with pytest.raises(CacheCorrupt):
            decode_extraction(papers[0], data)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 4 * MAX_ROW_BYTES, why


def test_bad_rows_are_misses_and_are_replaced(tmp_path, seed_extractions):
    papers, extractions = seed_extractions
    path = _filled_cache(tmp_path, papers, extractions)
    hostile = list(bad_rows(seed_extractions).values())
    with sqlite3.connect(path) as connection:
        keys = [row[0] for row in connection.execute("SELECT key FROM extractions ORDER BY key")]
        for key, data in zip(keys, hostile, strict=False):
            connection.execute("UPDATE extractions SET data = ? WHERE key = ?", (data, key))
    with ExtractionCache(tmp_path, "f1") as cache:
        found = cache.lookup(papers)
        assert sum(e is None for e in found) == len(hostile)
        assert [e for e in found if e is not None] == [
            e for e, f in zip(extractions, found, strict=True) if f is not None
        ]
        assert (
            len(cache.warnings) == 1
            and f"{len(hostile)} row(s) did not decode" in (cache.warnings[0])
        )
        cache.store(papers, extractions)
    with ExtractionCache(tmp_path, "f1") as cache:
        assert cache.lookup(papers) == extractions
        assert cache.warnings == []


def test_an_unwritable_cache_folder_warns_and_caches_nothing(tmp_path, seed_extractions):
    papers, extractions = seed_extractions
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    with ExtractionCache(blocker, "f1") as cache:
        cache.store(papers, extractions)
        assert cache.lookup(papers) == [None] * len(papers)
        assert cache.stored == 0
        assert len(cache.warnings) == 1
