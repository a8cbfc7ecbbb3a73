"""The parsed-input cache: a re-read gives what a fresh read gives, papers and problems alike."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from kg.cache import paper_key
from kg.ingest import InputCache, ingest, jsonl
from kg.ingest.input_cache import INDEX_FILE, INPUT_CACHE_FOLDER

FIXTURES = Path("tests/fixtures/ingest")
SEEDS = Path("seeds")


def seed_lines() -> list[str]:
    """The seed papers (real abstracts) as JSON Lines, each with its DOI when it has one."""
    papers = ingest([SEEDS]).papers
    return [
        json.dumps({"title": p.title, "abstract": p.abstract, "doi": p.doi, "year": p.year})
        for p in papers
    ]


def cached(paths: list[Path], folder: Path) -> tuple[object, InputCache]:
    cache = InputCache(folder)
    return ingest(paths, cache=cache), cache


def segments(folder: Path) -> list[Path]:
    return sorted((folder / INPUT_CACHE_FOLDER).glob("*.seg"))


def merged_files(folder: Path) -> list[Path]:
    return sorted((folder / INPUT_CACHE_FOLDER).glob("*.merged"))


def test_an_unchanged_folder_is_read_from_the_cache_with_its_problems(tmp_path):
    mixed = tmp_path / "mixed"
    shutil.copytree(FIXTURES / "mixed", mixed)
    fresh = ingest([mixed])
    assert fresh.problems  # bad records in many formats, reported at their lines

    first, filling = cached([mixed], tmp_path / "cache")
    again, reading = cached([mixed], tmp_path / "cache")

    assert first == fresh
    assert again == fresh
    assert filling.files_reused == 0
    # Files that fail as a whole (empty, binary, unknown) are not cached: all the others are.
    assert reading.files_reused == len(segments(tmp_path / "cache")) >= 10
    assert reading.records_reused > 0
    assert not reading.warnings


def test_a_grown_file_is_read_from_where_the_cached_read_ended(tmp_path, monkeypatch):
    lines = seed_lines()
    known, appended = lines[:60], lines[60:]
    known[5] = '{"title": "broken", "abstract": '  # a bad record in the cached part
    # A new record with the DOI of a known one: the two must merge, as in a fresh read.
    duplicate = json.loads(lines[1])
    appended.append(json.dumps({**duplicate, "title": None, "abstract": duplicate["abstract"]}))
    appended.insert(3, '{"title": "no abstract here"}')
    papers = tmp_path / "papers.jsonl"
    papers.write_text("\n".join(known) + "\n")
    cached([papers], tmp_path / "cache")

    with papers.open("a") as grown:
        grown.write("\n".join(appended) + "\n")
    converted = []
    monkeypatch.setattr(
        jsonl,
        "any_record",
        lambda obj, source: converted.append(source.line) or jsonl.plain_record(obj, source),
    )
    result, cache = cached([papers], tmp_path / "cache")
    monkeypatch.undo()
    fresh = ingest([papers])

    assert result == fresh
    assert [p.message for p in result.problems] == [p.message for p in fresh.problems]
    assert {p.line for p in result.problems} == {6, 64}
    assert cache.records_reused == 59
    assert min(converted) == 61  # only the appended lines were parsed
    assert result.merged == fresh.merged >= 1
    # Each paper of one record comes with its extraction cache key, cached or appended.
    assert [key is None for key in result.paper_keys] == [
        len(paper.sources) > 1 for paper in result.papers
    ]
    for paper, key in zip(result.papers, result.paper_keys, strict=True):
        assert key is None or key == paper_key(paper)
    assert fresh.paper_keys == []  # read without a cache: no keys


def test_an_edited_file_is_read_afresh(tmp_path):
    papers = tmp_path / "papers.jsonl"
    lines = seed_lines()
    papers.write_text("\n".join(lines) + "\n")
    cached([papers], tmp_path / "cache")

    edited = lines[2].replace(" the ", " a ", 1)  # an edit, not an append
    assert edited != lines[2]
    lines[2] = edited
    papers.write_text("\n".join(lines) + "\n\n")
    result, cache = cached([papers], tmp_path / "cache")

    assert cache.records_reused == 0
    assert result == ingest([papers])


def test_a_gzip_file_is_known_by_its_whole_bytes(tmp_path):
    packed = tmp_path / "papers.jsonl.gz"
    packed.write_bytes(gzip.compress(("\n".join(seed_lines()) + "\n").encode()))
    cached([packed], tmp_path / "cache")
    result, cache = cached([packed], tmp_path / "cache")
    assert cache.files_reused == 1
    assert result == ingest([packed])


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:-10] + b"X" + data[-9:],  # one byte of an abstract changed
        lambda data: data.replace(b'"lines":[', b'"lines":["', 1),  # a header that is no JSON
        lambda data: b"not a segment",
    ],
)
def test_a_damaged_segment_is_reported_and_the_file_read_afresh(tmp_path, damage):
    papers = tmp_path / "papers.jsonl"
    papers.write_text("\n".join(seed_lines()) + "\n")
    cached([papers], tmp_path / "cache")
    (segment,) = segments(tmp_path / "cache")
    segment.write_bytes(damage(segment.read_bytes()))
    for merged in merged_files(tmp_path / "cache"):  # else the segment is not read
        merged.unlink()

    result, cache = cached([papers], tmp_path / "cache")

    assert result == ingest([papers])
    assert cache.records_reused == 0
    assert any("is corrupt" in warning for warning in cache.warnings)
    again, rebuilt = cached([papers], tmp_path / "cache")
    assert rebuilt.files_reused == 1 and not rebuilt.warnings
    assert again == result


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:-10] + b"X" + data[-9:],  # one byte of an abstract changed
        lambda data: data.replace(b'"ids":[', b'"ids":[1,', 1),  # a column of another type
        lambda data: b"not a merged file",
    ],
)
def test_a_damaged_merged_file_is_reported_and_the_records_merged_afresh(tmp_path, damage):
    papers = tmp_path / "papers.jsonl"
    papers.write_text("\n".join(seed_lines()) + "\n")
    cached([papers], tmp_path / "cache")
    (merged,) = merged_files(tmp_path / "cache")
    merged.write_bytes(damage(merged.read_bytes()))

    result, cache = cached([papers], tmp_path / "cache")

    assert result == ingest([papers])
    assert any("is corrupt" in warning for warning in cache.warnings)
    again, rebuilt = cached([papers], tmp_path / "cache")
    assert rebuilt.files_reused == 1 and not rebuilt.warnings
    assert again == result
    assert len(merged_files(tmp_path / "cache")) == 1


def test_records_appended_are_merged_with_those_kept_merged_as_all_at_once(tmp_path):
    lines = seed_lines()
    papers = tmp_path / "papers.jsonl"
    papers.write_text("\n".join(lines[:40]) + "\n")
    cached([papers], tmp_path / "cache")
    (kept,) = merged_files(tmp_path / "cache")
    # Appended: new papers alone (folded in), then one with the DOI of a paper before
    # (merged with it: every record is merged again) and a record of no abstract.
    duplicate = json.loads(lines[1])
    steps = [
        lines[40:45],
        [*lines[45:50], '{"title": "no abstract here"}'],
        [json.dumps({**duplicate, "title": None})],
    ]
    for step in steps:
        with papers.open("a") as grown:
            grown.write("\n".join(step) + "\n")
        result, cache = cached([papers], tmp_path / "cache")
        fresh = ingest([papers])
        assert result == fresh
        assert [p.line for p in result.problems] == [p.line for p in fresh.problems]
        for paper, key in zip(result.papers, result.paper_keys, strict=True):
            assert key is None or key == paper_key(paper)
        assert not cache.warnings
    assert result.merged == 1
    # The first fold keeps the merged records (5 appended to 40 is more than an eighth),
    # the second not; the merge of all records is kept in place of both.
    (last,) = merged_files(tmp_path / "cache")
    assert last != kept


def test_a_damaged_index_is_reported_and_rebuilt(tmp_path):
    papers = tmp_path / "papers.jsonl"
    papers.write_text("\n".join(seed_lines()) + "\n")
    cached([papers], tmp_path / "cache")
    index = tmp_path / "cache" / INPUT_CACHE_FOLDER / INDEX_FILE
    index.write_text('{"application": "kg parsed-input cache", "fingerprint": 1, "files": [')

    result, cache = cached([papers], tmp_path / "cache")

    assert result == ingest([papers])
    assert any("is corrupt" in warning for warning in cache.warnings)
    assert cached([papers], tmp_path / "cache")[1].files_reused == 1


def test_other_ingest_code_does_not_read_the_cache(tmp_path):
    papers = tmp_path / "papers.jsonl"
    papers.write_text("\n".join(seed_lines()) + "\n")
    cached([papers], tmp_path / "cache")
    other = InputCache(tmp_path / "cache", fingerprint="another version of kg/ingest")
    assert ingest([papers], cache=other) == ingest([papers])
    assert other.files_reused == 0 and not other.warnings


def test_a_cache_folder_that_cannot_be_written_is_a_warning(tmp_path):
    papers = tmp_path / "papers.jsonl"
    papers.write_text("\n".join(seed_lines()) + "\n")
    blocked = tmp_path / "cache"
    blocked.mkdir()
    (blocked / INPUT_CACHE_FOLDER).write_text("a file where the cache's folder would be")

    result, cache = cached([papers], blocked)

    assert result == ingest([papers])
    assert any("not caching parsed input" in warning for warning in cache.warnings)
