"""Identity: records of one paper merge across formats, and order never changes the result."""

import json
import shutil
from dataclasses import replace

from kg.ingest import _read_file, ingest
from kg.ingest.files import expand_paths
from kg.ingest.identity import (
    MergedRecords,
    abstract_key,
    cached_record_keys,
    merge_after,
    merge_records,
    normalised_abstract,
    shared_key_hashes,
)
from kg.ingest.record import RawRecord
from kg.records import SourceRef

FIXTURES = "tests/fixtures/ingest"


def test_same_doi_in_bibtex_and_semantic_scholar_is_one_paper():
    result = ingest([f"{FIXTURES}/papers.bib", f"{FIXTURES}/s2_papers.json"])
    roentgen = [p for p in result.papers if p.doi == "10.5555/kg-fixture.roentgen"]
    assert len(roentgen) == 1 and result.merged == 1
    assert roentgen[0].id == "doi:10.5555/kg-fixture.roentgen"
    assert roentgen[0].sources == (
        SourceRef(f"{FIXTURES}/papers.bib", 2),
        SourceRef(f"{FIXTURES}/s2_papers.json", 5),
    )
    # Fields come from the most complete record (S2's has a URL besides), whole: its
    # author list, not a mix of both.
    assert roentgen[0].authors == ("Pierre Chambon",)
    assert roentgen[0].url.startswith("https://www.semanticscholar.org/paper/")


def test_a_known_arxiv_id_outranks_the_doi():
    result = ingest([f"{FIXTURES}/papers.bib", f"{FIXTURES}/arxiv_feed.atom"])
    roentgen = next(p for p in result.papers if p.doi == "10.5555/kg-fixture.roentgen")
    assert roentgen.id == "arxiv:2211.12737"


def test_normalised_abstract_ignores_case_width_and_spacing():
    assert normalised_abstract("  Ｍｅｄ SAM\n\tworks ") == "med sam works"
    assert abstract_key("MedSAM works") == abstract_key("medsam   WORKS")
    assert abstract_key("MedSAM works") != abstract_key("MedSAM work")


def test_argument_order_does_not_change_the_papers():
    paths = ["seeds/004_3ecde1412f1e9cca.txt", "seeds/000_9d6abce8a37abc18.txt"]
    assert ingest(paths).papers == ingest(paths[::-1]).papers


def test_folder_result_does_not_depend_on_creation_order(tmp_path, in_repo):
    mixed = in_repo / FIXTURES / "mixed"
    names = sorted(path.name for path in mixed.iterdir())
    for folder, order in (("forward", names), ("backward", names[::-1])):
        (tmp_path / folder / "sub").mkdir(parents=True)
        for name in order:
            shutil.copyfile(mixed / name, tmp_path / folder / "sub" / name)
    forward = ingest([tmp_path / "forward"])
    backward = ingest([tmp_path / "backward"])

    def relative(result, folder):
        prefix = (tmp_path / folder).as_posix()
        return [str(p).replace(prefix, "") for p in result.problems], [
            (p.id, p.title, p.abstract, [str(s).replace(prefix, "") for s in p.sources])
            for p in result.papers
        ]

    assert relative(forward, "forward") == relative(backward, "backward")
    assert forward.papers  # the comparison is not between two empty results


def write_rows(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def seed_abstracts(count):
    return [p.abstract for p in ingest(["seeds/000_9d6abce8a37abc18.txt"]).papers[:count]]


def test_same_abstract_with_different_dois_is_two_works_each_keeping_its_doi(tmp_path):
    (abstract,) = seed_abstracts(1)
    path = tmp_path / "x.jsonl"
    write_rows(
        path,
        [
            {"title": "A study", "abstract": abstract, "doi": "10.5555/kg.one"},
            {"title": "Erratum", "abstract": abstract, "doi": "10.5555/kg.two"},
        ],
    )
    result = ingest([path])
    assert result.merged == 0
    assert sorted(p.identifiers for p in result.papers) == [
        ("doi:10.5555/kg.one",),
        ("doi:10.5555/kg.two",),
    ]


def test_same_abstract_without_conflict_merges_and_keeps_every_identifier(tmp_path):
    (abstract,) = seed_abstracts(1)
    path = tmp_path / "x.jsonl"
    write_rows(
        path,
        [
            {"abstract": abstract, "doi": "10.48550/arXiv.2401.00001"},  # arXiv's own DOI
            {"title": "Journal version", "abstract": abstract, "doi": "10.5555/kg.journal"},
            {"abstract": abstract, "pmid": "38000001"},
            {"abstract": abstract},
        ],
    )
    result = ingest([path])
    (paper,) = result.papers
    assert result.merged == 3
    assert paper.identifiers == (
        "arxiv:2401.00001",
        "doi:10.48550/arxiv.2401.00001",
        "doi:10.5555/kg.journal",
        "pmid:38000001",
    )
    assert paper.id == "arxiv:2401.00001" and paper.title == "Journal version"


def test_a_shared_identifier_merges_whatever_the_abstracts(tmp_path):
    first, second = seed_abstracts(2)
    path = tmp_path / "x.jsonl"
    write_rows(
        path,
        [
            {"abstract": first, "doi": "10.5555/kg.same", "pmid": "38000001"},
            {"abstract": second, "pmid": "38000001", "arxiv_id": "2401.00001"},
        ],
    )
    (paper,) = ingest([path]).papers
    assert paper.identifiers == ("arxiv:2401.00001", "doi:10.5555/kg.same", "pmid:38000001")


def test_file_names_never_decide_which_record_gives_the_fields(tmp_path):
    (abstract,) = seed_abstracts(1)
    sparse = {"title": "Short title", "abstract": abstract, "doi": "10.5555/kg.x"}
    complete = {
        "title": "Full title",
        "abstract": abstract,
        "doi": "10.5555/kg.x",
        "year": 2024,
        "url": "https://example.org/x",
        "authors": ["Zoe Zhang", "Adam Abel"],
    }
    results = []
    for names in (("a.jsonl", "b.jsonl"), ("b.jsonl", "a.jsonl")):
        folder = tmp_path / names[0].removesuffix(".jsonl")
        folder.mkdir()
        write_rows(folder / names[0], [sparse])
        write_rows(folder / names[1], [complete])
        (paper,) = ingest([folder]).papers
        results.append((paper.title, paper.year, paper.url, paper.authors))
    assert (
        results[0]
        == results[1]
        == (
            "Full title",
            2024,
            "https://example.org/x",
            ("Zoe Zhang", "Adam Abel"),  # in the order given, not sorted
        )
    )


def test_one_title_and_year_with_two_abstracts_is_one_paper_unless_identifiers_conflict(tmp_path):
    first, second, third = seed_abstracts(3)
    title = "Weightless: Lossy Weight Encoding For Deep Neural Network Compression"
    path = tmp_path / "x.jsonl"
    write_rows(
        path,
        [
            {"title": title, "abstract": first, "year": 2018},
            {"title": title.lower(), "abstract": second, "year": 2018},
            {"title": title, "abstract": third, "year": 2019},  # another year: kept apart
            {"title": "Workshops and Tutorials", "abstract": first[::-1], "year": 2018},
            {"title": "Workshops and Tutorials", "abstract": second[::-1], "year": 2018},
        ],
    )
    result = ingest([path])
    assert result.merged == 1 and len(result.papers) == 4
    conflicting = tmp_path / "y.jsonl"
    write_rows(
        conflicting,
        [
            {"title": title, "abstract": first, "year": 2018, "doi": "10.5555/kg.a"},
            {"title": title, "abstract": second, "year": 2018, "doi": "10.5555/kg.b"},
        ],
    )
    assert ingest([conflicting]).merged == 0


def test_a_paper_with_two_abstracts_each_shared_with_another_record(tmp_path):
    # Two records of one DOI with two abstracts; the first abstract is also a richer record's,
    # with which the first group merges; the second abstract's other record has a PMID that
    # conflicts with the merged group's. The second comparison meets a root already merged.
    first = "A first abstract about segmentation of organs in computed tomography scans."
    second = "A second abstract about registration of brain images in magnetic resonance."
    rows = [
        {"title": "Paper one", "abstract": first, "doi": "10.1000/r"},
        {"title": "Paper one again", "abstract": second, "doi": "10.1000/r"},
        {"title": "Richer", "abstract": first, "arxiv": "2301.00001", "pmid": "123"},
        {"title": "Other", "abstract": second, "pmid": "456"},
    ]
    papers = tmp_path / "papers.jsonl"
    papers.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = ingest([papers])
    assert [[s.line for s in p.sources] for p in result.papers] == [[1, 2, 3], [4]]
    assert result.papers[0].identifiers == ("arxiv:2301.00001", "doi:10.1000/r", "pmid:123")


def _records_of(paths: list[str]) -> list[RawRecord]:
    records = []
    for path in paths:
        for file in expand_paths([path]):
            records += [
                r
                for r in _read_file(file, None, found_in_folder=True, max_abstract_chars=20_000)
                if isinstance(r, RawRecord)
            ]
    return records


def test_records_merged_after_others_give_what_merging_all_at_once_gives():
    for paths in (["seeds"], ["seeds", FIXTURES]):
        records = _records_of(paths)
        keys = [cached_record_keys(record) for record in records]
        folded = 0
        for split in range(len(records) + 1):
            first, rest = slice(0, split), slice(split, None)
            hashes = frozenset(shared_key_hashes(records[first], keys[first]))
            before = MergedRecords(*merge_records(records[first], keys[first]), hashes)
            after = merge_after(before, records[rest], keys[rest])
            if after is not None:
                folded += 1
                assert after == merge_records(records, keys)
        assert folded >= 3  # the seeds alone fold at 40 places of 92
    # A record after them that shares a DOI with one before: only a merge of all tells.
    doi = next(record for record in records if record.doi)
    twin = replace(doi, abstract="Another abstract of the same work, typed anew.", title=None)
    hashes = frozenset(shared_key_hashes(records, keys))
    before = MergedRecords(*merge_records(records, keys), hashes)
    assert merge_after(before, [twin], [cached_record_keys(twin)]) is None
