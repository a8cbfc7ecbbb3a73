"""Unusable input: InputError for the whole, a Problem per file or record, and nothing lost."""

import gzip
import json

import pytest

from kg.ingest import FORMATS, InputError, ingest

FIXTURES = "tests/fixtures/ingest"
SEED_DAILY = "seeds/000_9d6abce8a37abc18.txt"


def accounted(result):
    return result.records_read == len(result.papers) + result.merged + len(result.problems)


def seed_pair(in_repo, index=0):
    """A real (title, abstract) from the daily-papers seed."""
    papers = ingest([SEED_DAILY]).papers
    return papers[index].title, papers[index].abstract


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def test_missing_path_is_an_input_error():
    with pytest.raises(InputError, match="no/such/file.jsonl: no such file or folder"):
        ingest(["no/such/file.jsonl"])


def test_unknown_format_names_the_choices():
    with pytest.raises(InputError, match="unknown format 'pdf'; choose one of: pubmed-xml, "):
        ingest([SEED_DAILY], "pdf")
    assert {"semantic-scholar", "medline", "ris", "wos", "crossref", "hf-papers"} <= set(FORMATS)


def test_folder_with_nothing_to_read_is_an_input_error(tmp_path):
    (tmp_path / ".hidden.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(InputError, match="folder holds no input files"):
        ingest([tmp_path])


def test_malformed_json_line_names_line_and_column(tmp_path, in_repo):
    title, abstract = seed_pair(in_repo)
    path = tmp_path / "x.jsonl"
    good = json.dumps({"title": title, "abstract": abstract})
    path.write_text(f'{good}\n{{"title": "a" "abstract": "b"}}\n{good}\n', encoding="utf-8")
    result = ingest([path])
    (problem,) = result.problems
    assert str(problem) == (
        f"{path.as_posix()}:2: malformed JSON (Expecting ',' delimiter at column 15); "
        "record skipped"
    )
    assert len(result.papers) == 1 and result.merged == 1 and accounted(result)


def test_record_without_abstract_and_too_long_abstract_are_skipped(tmp_path, in_repo):
    title, abstract = seed_pair(in_repo)
    path = tmp_path / "x.jsonl"
    write_jsonl(path, [{"title": title}, {"title": title, "abstract": abstract}])
    result = ingest([path], max_abstract_chars=len(abstract) - 1)
    assert [(p.line, p.message.split(" (")[0]) for p in result.problems] == [
        (1, "record has no abstract"),
        (2, f"abstract is {len(abstract)} characters, over the limit of {len(abstract) - 1}"),
    ]
    assert result.papers == [] and accounted(result)


def test_text_not_utf8_skips_only_the_record_holding_it(tmp_path, in_repo):
    (title, abstract), (other_title, other) = seed_pair(in_repo, 0), seed_pair(in_repo, 1)
    path = tmp_path / "x.txt"
    path.write_bytes(
        f"{title}\n{abstract}\n\n".encode()
        + "café\n".encode("latin-1")
        + f"{abstract}\n\n{other_title}\n{other}\n".encode()
    )
    result = ingest([path])
    (problem,) = result.problems
    assert (problem.line, problem.message) == (
        4,
        "not UTF-8 text (byte 0xe9) (title 'caf\ufffd'); record skipped",
    )
    assert [p.title for p in result.papers] == sorted([title, other_title], key=lambda t: t)


def test_jsonl_line_not_utf8_skips_only_that_line(tmp_path, in_repo):
    title, abstract = seed_pair(in_repo)
    path = tmp_path / "x.jsonl"
    good = json.dumps({"title": title, "abstract": abstract}).encode()
    path.write_bytes(good + b"\n" + '{"title": "é"}'.encode("latin-1") + b"\n")
    result = ingest([path])
    assert [(p.line, p.message) for p in result.problems] == [
        (2, "not UTF-8 (byte 0xe9 at column 12); record skipped")
    ]
    assert len(result.papers) == 1


def test_empty_and_binary_files_are_problems_not_crashes(tmp_path):
    (tmp_path / "empty.jsonl").write_bytes(b"\n\n")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = ingest([tmp_path / "empty.jsonl", tmp_path / "image.txt"])
    assert [p.message for p in result.problems] == [
        "empty file; skipped",
        "binary file (NUL byte at offset 8), not text; file skipped",
    ]
    assert result.records_read == 2 and accounted(result)


def test_csv_row_with_wrong_column_count(tmp_path, in_repo):
    title, abstract = seed_pair(in_repo)
    path = tmp_path / "x.csv"
    path.write_text(f'Title,ABSTRACT\n"{title}","{abstract}"\nonly,three,cells\n', encoding="utf-8")
    result = ingest([path])
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "row has 3 columns, the header has 2; record skipped")
    ]
    assert [p.title for p in result.papers] == [title]


def test_duplicate_records_merge_and_are_counted(tmp_path, in_repo):
    title, abstract = seed_pair(in_repo)
    path = tmp_path / "x.jsonl"
    write_jsonl(path, [{"title": title, "abstract": abstract}] * 3)
    result = ingest([path])
    assert (len(result.papers), result.merged, result.problems) == (1, 2, [])
    assert [s.line for s in result.papers[0].sources] == [1, 2, 3]


def test_corrupt_gzip_keeps_the_lines_before_the_damage(tmp_path, in_repo):
    rows = [{"title": t, "abstract": a} for t, a in (seed_pair(in_repo, i) for i in range(40))]
    data = gzip.compress("".join(json.dumps(row) + "\n" for row in rows).encode())
    path = tmp_path / "x.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    result = ingest([path])
    (problem,) = result.problems
    assert "rest of file skipped" in problem.message
    assert 0 < len(result.papers) < 40 and accounted(result)


def test_bibtex_duplicate_key_keeps_both_entries(tmp_path, in_repo):
    (t1, a1), (t2, a2) = seed_pair(in_repo, 0), seed_pair(in_repo, 1)
    path = tmp_path / "x.bib"
    path.write_text(
        f"@article{{same, title={{{t1}}}, abstract={{{a1}}}}}\n"
        f"@article{{same, title={{{t2}}}, abstract={{{a2}}}}}\n",
        encoding="utf-8",
    )
    result = ingest([path])
    assert sorted(p.title for p in result.papers) == sorted([t1, t2])
    assert [s.line for p in result.papers for s in p.sources] == sorted([1, 2])


def test_unencodable_text_is_repaired_once_at_ingest(tmp_path, in_repo):
    """Lone surrogates, NULs, other controls and non-characters never reach later stages."""
    title, abstract = seed_pair(in_repo)
    path = tmp_path / "x.jsonl"
    row = {
        "title": title + "\x00",
        "abstract": abstract + " \ud800 end\ufffe\x07.",
        "authors": ["Ann\udfff Lee", "Bo\x0cKim"],
        "url": "https://example.org/\x00x",
        "doi": "10.1000/x",
    }
    path.write_text(json.dumps(row) + "\n")
    result = ingest([path])
    assert result.problems == []
    (paper,) = result.papers
    assert (paper.title, paper.abstract) == (title, abstract + " \ufffd end.")
    assert paper.authors == ("Ann\ufffd Lee", "Bo Kim")
    assert paper.url == "https://example.org/x"
    for text in (paper.title, paper.abstract, *paper.authors, paper.url):
        text.encode("utf-8")  # would raise on a lone surrogate


def test_a_reader_failing_unforeseen_costs_only_the_rest_of_its_file(in_repo, monkeypatch):
    """A parser bug (simulated) is one Problem naming the file; the other files are read."""
    from kg.ingest import xml_tree

    def broken(data):
        raise RuntimeError("simulated parser bug")

    monkeypatch.setattr(xml_tree, "parse_element", broken)
    pubmed = "tests/fixtures/ingest/formats/pubmed_efetch.xml"
    result = ingest([pubmed, SEED_DAILY])
    assert len(result.papers) == 81
    assert [str(p) for p in result.problems] == [
        f"{pubmed}: reading failed (RuntimeError: simulated parser bug); rest of file skipped"
    ]
