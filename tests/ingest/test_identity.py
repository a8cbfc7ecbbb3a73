"""Identity: records of one paper merge across formats, and order never changes the result."""

import shutil

from kg.ingest import ingest
from kg.ingest.identity import abstract_key, normalised_abstract
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
