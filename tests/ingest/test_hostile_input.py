"""Issue #12's reader cases: each bad record sits between two good ones, and the good ones
are always read; nothing escapes as a traceback; memory stays bounded."""

import functools
import json
import subprocess
import sys
import zlib

import pytest

from kg.ingest import ingest

SEED_DAILY = "seeds/000_9d6abce8a37abc18.txt"


@pytest.fixture
def pairs(in_repo):
    """Real (title, abstract) pairs from the daily-papers seed."""
    return [(p.title, p.abstract) for p in ingest([SEED_DAILY]).papers[:3]]


def titles(result):
    return sorted(paper.title for paper in result.papers)


def jsonl_around(path, pairs, bad_line: str):
    (t1, a1), (t2, a2) = pairs[0], pairs[1]
    good = [json.dumps({"title": t, "abstract": a}) for t, a in ((t1, a1), (t2, a2))]
    path.write_text(f"{good[0]}\n{bad_line}\n{good[1]}\n", encoding="utf-8")
    return sorted([t1, t2])


@pytest.mark.parametrize(
    ("bad_line", "why"),
    [
        ("[" * 100_000, "JSON nested deeper than 64 levels"),
        ('{"title": "x", "abstract": "y", "year": ' + "9" * 5000 + "}", "unusable JSON value"),
        ('{"title": "a" "abstract": "b"}', "malformed JSON"),
    ],
    ids=["deep-nesting", "5000-digit-number", "malformed"],
)
def test_a_bad_json_line_is_skipped_and_its_neighbours_read(tmp_path, pairs, bad_line, why):
    path = tmp_path / "x.jsonl"
    expected = jsonl_around(path, pairs, bad_line)
    result = ingest([path])
    assert titles(result) == expected
    (problem,) = result.problems
    assert problem.line == 2 and problem.message.startswith(why)


def test_a_deeply_nested_json_document_is_one_clear_problem(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"results": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    (problem,) = ingest([path]).problems
    assert problem.message == "JSON nested deeper than 64 levels; file skipped"


def test_json_file_holding_json_lines_with_a_bad_first_line_keeps_the_rest(tmp_path, pairs):
    path = tmp_path / "x.json"
    t1, t2 = pairs[0][0], pairs[1][0]
    lines = ['{"title": broken}'] + [json.dumps({"title": t, "abstract": a}) for t, a in pairs[:2]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest([path])
    assert titles(result) == sorted([t1, t2])
    assert [p.line for p in result.problems] == [1]


def test_a_million_character_title_is_skipped_before_extraction(tmp_path, pairs):
    path = tmp_path / "x.jsonl"
    expected = jsonl_around(
        path, pairs, json.dumps({"title": "T" * 1_000_001, "abstract": pairs[2][1]})
    )
    result = ingest([path])
    assert titles(result) == expected
    (problem,) = result.problems
    assert problem.message.startswith("title is 1000001 characters, over the limit of 2000")


def test_bibtex_size_limit_comes_before_latex_decoding(tmp_path, pairs):
    (t1, a1), (t2, a2) = pairs[0], pairs[1]
    huge = "\\'e{\\\"u} $\\alpha$ " * 150_000  # 2.1 MB of LaTeX that would decode slowly
    path = tmp_path / "x.bib"
    path.write_text(
        f"@article{{a, title={{{t1}}}, abstract={{{a1}}}}}\n"
        f"@article{{b, title={{Huge}}, abstract={{{huge}}}}}\n"
        f"@article{{c, title={{{t2}}}, abstract={{{a2}}}}}\n",
        encoding="utf-8",
    )
    result = ingest([path])
    assert titles(result) == sorted([t1, t2])
    (problem,) = result.problems
    assert (problem.line, problem.message) == (
        2,
        f"BibTeX field 'abstract' is {len(huge)} characters, over the limit of 50000; "
        "record skipped",
    )


def test_csv_field_over_131072_characters_does_not_skip_the_rest(tmp_path, pairs):
    (t1, a1), (t2, a2) = pairs[0], pairs[1]
    path = tmp_path / "x.csv"
    rows = [(t1, a1), ("Huge", "x " * 100_000), (t2, a2)]
    path.write_text(
        "title,abstract\n" + "".join(f'"{t}","{a}"\n' for t, a in rows), encoding="utf-8"
    )
    result = ingest([path])
    assert titles(result) == sorted([t1, t2])
    (problem,) = result.problems
    assert problem.line == 3 and problem.message.startswith("abstract is 199999 characters")


def test_atom_feed_without_the_atom_namespace_is_read(tmp_path, pairs):
    (t1, a1), (t2, a2) = pairs[0], pairs[1]
    path = tmp_path / "feed.xml"
    entries = "".join(
        f"<entry><id>http://arxiv.org/abs/2401.0000{i}v1</id><title>{t}</title>"
        f"<summary>{a}</summary><published>2024-01-0{i}T00:00:00Z</published></entry>\n"
        for i, (t, a) in enumerate(((t1, a1), (t2, a2)), start=1)
    )
    path.write_text(f'<?xml version="1.0"?>\n<feed>\n{entries}</feed>\n', encoding="utf-8")
    result = ingest([path])
    assert result.problems == [] and titles(result) == sorted([t1, t2])
    assert sorted(p.id for p in result.papers) == ["arxiv:2401.00001", "arxiv:2401.00002"]


def test_a_broken_xml_record_is_skipped_and_the_next_one_read(in_repo, tmp_path):
    text = (in_repo / "tests/fixtures/ingest/formats/pubmed_efetch.xml").read_text()
    path = tmp_path / "broken.xml"
    path.write_text(text.replace("<ArticleTitle>ChatCAD", "<ArticleTitle><b>ChatCAD", 1))
    result = ingest([path])
    assert len(result.papers) == 1
    (problem,) = result.problems
    assert problem.line == 4 and "malformed XML (mismatched tag" in problem.message


def test_forced_bibtex_on_a_file_that_is_not_bibtex_is_a_problem(tmp_path, pairs):
    path = tmp_path / "x.jsonl"
    jsonl_around(path, pairs, json.dumps({"title": "x", "abstract": pairs[2][1]}))
    result = ingest([path], "bibtex")
    assert result.papers == []
    (problem,) = result.problems
    assert problem.message.startswith("does not look like bibtex")


@pytest.mark.parametrize("separator", ["\f", "\v", "\x1c", "\u2028"])
def test_form_feeds_and_vertical_tabs_do_not_split_daily_papers_records(
    tmp_path, in_repo, separator
):
    text = (in_repo / SEED_DAILY).read_text(encoding="utf-8")
    plain = ingest([SEED_DAILY])
    marked = text.replace(" model ", f" model{separator}", 3)
    path = tmp_path / "daily.txt"
    path.write_text(marked, encoding="utf-8")
    result = ingest([path])
    assert result.problems == []
    assert [p.title for p in result.papers] == [p.title for p in plain.papers]


PEAK_PROGRAM = """
import resource, sys
from kg.ingest import ingest
result = ingest(sys.argv[1:])
print(len(result.papers), len(result.problems))
print("\\n".join(str(p) for p in result.problems))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def peak_ingest(*paths):
    """(papers, problems, problem lines, peak RSS in MiB) of ingest run in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK_PROGRAM, *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = done.stdout.strip().split("\n")
    papers, problems = map(int, lines[0].split())
    return papers, problems, lines[1:-1], int(lines[-1])


@functools.cache
def baseline_peak(in_repo):
    """The peak of the same process reading a small file: what importing kg costs."""
    return peak_ingest(in_repo / "tests/fixtures/ingest/formats/pubmed.nbib")[3]


def test_a_gzip_bomb_txt_is_refused_without_inflating_it(tmp_path, in_repo):
    path = tmp_path / "bomb.txt.gz"
    deflate = zlib.compressobj(6, zlib.DEFLATED, 31)
    chunk = (b"all work and no play makes a dull abstract " * 20 + b"\n") * 1200
    with path.open("wb") as bomb:
        for _ in range(100 * 2**20 // len(chunk)):  # 100 MiB inflated
            bomb.write(deflate.compress(chunk))
        bomb.write(deflate.flush())
    assert path.stat().st_size < 1_000_000
    papers, problems, messages, peak = peak_ingest(path)
    assert (papers, problems) == (0, 1)
    assert "file is over 64 MiB (inflated)" in messages[0]
    assert peak - baseline_peak(in_repo) < 400


def test_a_jsonl_gz_with_one_giant_line_keeps_the_lines_around_it(tmp_path, in_repo, pairs):
    (t1, a1), (t2, a2) = pairs[0], pairs[1]
    path = tmp_path / "giant.jsonl.gz"
    deflate = zlib.compressobj(1, zlib.DEFLATED, 31)
    with path.open("wb") as out:
        out.write(deflate.compress(json.dumps({"title": t1, "abstract": a1}).encode() + b"\n"))
        out.write(deflate.compress(b'{"title": "giant", "abstract": "'))
        chunk = b"x" * 2**20
        for _ in range(128):  # a 128 MiB line
            out.write(deflate.compress(chunk))
        out.write(deflate.compress(b'"}\n' + json.dumps({"title": t2, "abstract": a2}).encode()))
        out.write(deflate.flush())
    papers, problems, messages, peak = peak_ingest(path)
    assert (papers, problems) == (2, 1)
    assert messages[0].endswith(":2: line is over 8 MiB; record skipped")
    assert peak - baseline_peak(in_repo) < 200
