"""Each reader on its small fixture, recognised by extension and content."""

import gzip

import pytest

from kg.ingest import ingest, reader_for
from kg.ingest.files import InputFile
from kg.records import SourceRef

FIXTURES = "tests/fixtures/ingest"


def only(path, format=None):
    result = ingest([f"{FIXTURES}/{path}"], format)
    assert result.problems == []
    return {paper.title: paper for paper in result.papers}


def test_jsonl_reads_ids_years_and_authors_as_list_or_string():
    papers = only("papers.jsonl")
    sam = papers["SAM-Med2D"]
    assert (sam.id, sam.arxiv_id, sam.year) == ("arxiv:2308.16184", "2308.16184", 2023)
    assert sam.authors == ("Cheng, Junlong", "Ye, Jin")
    medsamix = next(p for title, p in papers.items() if title.startswith("MedSAMix"))
    assert medsamix.authors == ("Yanwu Yang", "Guinan Su")
    assert (medsamix.year, medsamix.url) == (2025, "https://example.org/medsamix")
    assert medsamix.id.startswith("abstract:")


def test_csv_header_is_case_insensitive_and_doi_urls_are_normalised():
    papers = only("papers.csv")
    projected = next(p for title, p in papers.items() if title.startswith("ProjectedEx"))
    assert projected.id == "doi:10.5555/kg-fixture.projectedex"
    assert projected.sources == (SourceRef(f"{FIXTURES}/papers.csv", 3),)
    bora = next(p for title, p in papers.items() if title.startswith("Bora"))
    assert bora.authors == ("Weixiang Sun", "Xiaocao You")
    assert bora.abstract.startswith("Generative models hold promise for revolutionizing medical")


def test_bibtex_decodes_latex_and_braces_and_reads_arxiv_dois():
    papers = only("papers.bib")
    roentgen = papers["RoentGen: Vision-Language Foundation Model for Chest X-ray Generation"]
    assert roentgen.authors == ("Chambon, Pierre", "Blüthgen, Christian")
    assert (roentgen.id, roentgen.year) == ("doi:10.5555/kg-fixture.roentgen", 2022)
    assert roentgen.sources == (SourceRef(f"{FIXTURES}/papers.bib", 2),)
    convirt = papers[
        "Contrastive Learning of Medical Visual Representations from Paired Images and Text"
    ]
    assert convirt.id == "arxiv:2010.00747"
    seed = next(p for p in ingest(["seeds"]).papers if p.title == convirt.title)
    assert "10\\%" in seed.abstract  # the seed text is LaTeX-escaped already
    assert convirt.abstract == seed.abstract.replace("10\\%", "10%")


def test_arxiv_atom_drops_the_version_and_reads_the_doi():
    papers = only("arxiv_feed.atom")
    sam = papers["SAM-Med2D"]
    assert (sam.id, sam.year, sam.url) == (
        "arxiv:2308.16184",
        2023,
        "http://arxiv.org/abs/2308.16184v2",
    )
    assert sam.sources == (SourceRef(f"{FIXTURES}/arxiv_feed.atom", 5),)
    assert sam.abstract.startswith("The Segment Anything Model (SAM) represents")  # trimmed
    roentgen = papers["RoentGen: Vision-Language Foundation Model for Chest X-ray Generation"]
    assert (roentgen.arxiv_id, roentgen.doi) == ("2211.12737", "10.5555/kg-fixture.roentgen")


def test_openalex_page_rebuilds_the_abstract_from_the_inverted_index():
    daily = {p.title: p for p in ingest(["seeds/000_9d6abce8a37abc18.txt"]).papers}
    title = "MedImageInsight: An Open-Source Embedding Model for General Domain Medical Imaging"
    work = only("openalex_works.json")[title]
    assert work.abstract == daily[title].abstract
    assert (work.id, work.doi) == ("arxiv:2410.06542", "10.5555/kg-fixture.medimageinsight")
    assert work.authors == ("Noel C. F. Codella",)
    assert work.sources == (SourceRef(f"{FIXTURES}/openalex_works.json", 7),)


def test_semantic_scholar_data_page_with_line_of_each_paper():
    papers = only("s2_papers.json")
    llm_cxr = next(p for title, p in papers.items() if title.startswith("LLM-CXR"))
    assert llm_cxr.id == "arxiv:2305.11490"
    assert llm_cxr.sources == (SourceRef(f"{FIXTURES}/s2_papers.json", 21),)
    roentgen = next(p for title, p in papers.items() if title.startswith("RoentGen"))
    assert roentgen.id == "doi:10.5555/kg-fixture.roentgen"  # lower-cased
    assert roentgen.authors == ("Pierre Chambon",)


@pytest.mark.parametrize(
    ("format", "expected"), [("semantic-scholar", "LLM-CXR"), ("jsonl", "LLM-CXR")]
)
def test_a_forced_format_reads_the_same_file(format, expected):
    papers = only("s2_papers.json", format)
    assert any(title.startswith(expected) for title in papers)


def test_plain_text_titled_and_hard_wrapped_paragraphs():
    result = ingest([f"{FIXTURES}/plain.txt"])
    merlin, libra = sorted(result.papers, key=lambda p: p.sources)
    assert merlin.title == "Merlin: A Vision Language Foundation Model for 3D Computed Tomography"
    assert libra.title is None
    libra_seed = next(
        p for p in ingest(["seeds/000_9d6abce8a37abc18.txt"]).papers if p.title.startswith("Libra")
    )
    assert libra.abstract == libra_seed.abstract  # the wrapped lines joined back


def test_plain_text_paragraph_without_title_line(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("Short heading\ncontinues the sentence " + "and goes on. " * 30)
    (paper,) = ingest([path]).papers
    assert paper.title is None and paper.abstract.startswith("Short heading continues")


@pytest.mark.parametrize(
    ("fixture", "format"),
    [
        ("daily.txt", "daily-papers"),
        ("abstracts.txt", "abstract-list"),
        ("plain.txt", "text"),
        ("papers.csv", "csv"),
        ("papers.bib", "bibtex"),
        ("arxiv_feed.atom", "arxiv-atom"),
        ("papers.jsonl", "jsonl"),
    ],
)
def test_content_alone_tells_the_format(tmp_path, in_repo, fixture, format):
    unnamed = tmp_path / "unnamed"
    unnamed.write_bytes((in_repo / FIXTURES / fixture).read_bytes())
    assert reader_for(InputFile("unnamed", unnamed)).name == format


def test_gzipped_jsonl_is_read_directly(tmp_path, in_repo):
    data = (in_repo / FIXTURES / "papers.jsonl").read_bytes()
    (tmp_path / "papers.jsonl.gz").write_bytes(gzip.compress(data))
    plain = ingest([f"{FIXTURES}/papers.jsonl"]).papers
    zipped = ingest([tmp_path / "papers.jsonl.gz"]).papers
    assert [(p.id, p.title, p.abstract) for p in zipped] == [
        (p.id, p.title, p.abstract) for p in plain
    ]
