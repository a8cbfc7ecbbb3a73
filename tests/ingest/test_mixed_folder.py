"""A folder with one file of every format and one of every bad case: every record accounted for."""

from kg.ingest import ingest

MIXED = "tests/fixtures/ingest/mixed"


def test_every_record_in_the_mixed_folder_is_accounted_for():
    result = ingest([MIXED])
    assert result.records_read == len(result.papers) + result.merged + len(result.problems)
    assert (result.records_read, len(result.papers), result.merged) == (38, 13, 10)
    problems = {(p.path.removeprefix(f"{MIXED}/"), p.line): p.message for p in result.problems}
    assert sorted(problems) == sorted(
        [
            ("bad_rows.csv", 3),
            ("broken.bib", 1),
            ("broken.jsonl", 2),
            ("broken.jsonl", 3),
            ("broken.jsonl", 4),
            ("broken.jsonl", 5),
            ("empty.txt", None),
            ("latin1.txt", 1),
            ("malformed.json", 2),  # read before the damage: it has no abstract
            ("malformed.json", 3),
            ("no_abstract_column.csv", 1),
            ("notes.md", None),
            ("scan.txt", None),
            ("truncated.atom", 17),
            ("truncated.jsonl.gz", None),
        ]
    )
    assert problems[("broken.jsonl", 4)].startswith("abstract is 21041 characters, over the limit")
    assert problems[("latin1.txt", 1)].startswith("not UTF-8 text (byte 0xe1) (title 'Bor\ufffd:")
    assert problems[("truncated.atom", 17)].startswith("<entry> is unfinished")


def test_every_format_in_the_mixed_folder_contributes_a_paper():
    sources = {s.path.rsplit("/", 1)[1] for p in ingest([MIXED]).papers for s in p.sources}
    for name in (
        "abstracts.txt",
        "arxiv_feed.atom",
        "daily.txt",
        "openalex_works.json",
        "papers.bib",
        "papers.csv",
        "papers.jsonl",
        "plain.txt",
        "s2_papers.json",
    ):
        assert name in sources
    assert ".hidden.jsonl" not in sources
