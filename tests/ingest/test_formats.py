"""Each export format a researcher holds, on a small sample written from the format's
documentation (tests/fixtures/ingest/formats); and one work met in all of them is one node.

The ChatCAD paper (arXiv 2302.07257) is in every sample; its journal DOI, PMID and PMC id
are fictitious (10.5555 is the DOI test prefix).
"""

import json

import pytest

from kg.ingest import ingest, reader_for
from kg.ingest.files import InputFile
from kg.records import SourceRef

FORMATS = "tests/fixtures/ingest/formats"
CHATCAD = (
    "ChatCAD: Interactive Computer-Aided Diagnosis on Medical Image using Large Language Models"
)
NODULES = (
    "Deep learning detection of pulmonary nodules on low-dose CT: a multicentre retrospective study"
)
DOI = "10.5555/kg-fixture.chatcad"
ALL_IDS = ("arxiv:2302.07257", f"doi:{DOI}", "pmc:PMC10900001", "pmid:38000001")


def read(name, format=None):
    result = ingest([f"{FORMATS}/{name}"], format)
    return result, {paper.title: paper for paper in result.papers}


def seed_abstract(title):
    papers = ingest(["seeds/000_9d6abce8a37abc18.txt"]).papers
    return next(paper.abstract for paper in papers if paper.title == title)


@pytest.mark.parametrize(
    ("name", "format"),
    [
        ("pubmed_efetch.xml", "pubmed-xml"),
        ("pubmed.nbib", "medline"),
        ("zotero.ris", "ris"),
        ("wos_savedrecs.txt", "wos"),
        ("wos_savedrecs_tab.txt", "csv"),
        ("scopus_excel.csv", "csv"),
        ("zotero_csl.json", "jsonl"),
        ("crossref_works.json", "jsonl"),
        ("crossref_work.json", "jsonl"),
        ("europepmc_search.json", "jsonl"),
        ("hf_daily_papers.json", "jsonl"),
        ("hf_paper.json", "jsonl"),
        ("latex.bib", "bibtex"),
    ],
)
def test_format_is_told_by_extension_and_by_content_alone(tmp_path, in_repo, name, format):
    assert reader_for(InputFile(name, in_repo / FORMATS / name)).name == format
    unnamed = tmp_path / "unnamed"
    unnamed.write_bytes((in_repo / FORMATS / name).read_bytes())
    assert reader_for(InputFile("unnamed", unnamed)).name == format


def test_pubmed_xml_structured_abstract_ids_year_and_authors_in_order():
    result, papers = read("pubmed_efetch.xml")
    assert result.problems == [] and len(papers) == 2
    chatcad = papers[CHATCAD]
    assert chatcad.abstract == seed_abstract(CHATCAD)
    assert chatcad.identifiers == ALL_IDS[1:]  # not the reference's DOI or PMID
    assert (chatcad.year, chatcad.url) == (2024, "https://pubmed.ncbi.nlm.nih.gov/38000001/")
    assert chatcad.authors == ("Sheng Wang", "Zihao Zhao", "Xi Ouyang")
    assert chatcad.sources == (SourceRef(f"{FORMATS}/pubmed_efetch.xml", 4),)
    nodules = papers[NODULES]  # <i> inside the title; a MedlineDate; a collective author
    assert nodules.abstract.startswith("BACKGROUND: Lung cancer screening with low-dose")
    assert " METHODS: We trained a three-dimensional" in nodules.abstract
    assert nodules.abstract.endswith(
        "CONCLUSIONS: Deep learning detection of pulmonary nodules "
        "on LDCT matched or exceeded radiologists and may reduce "
        "their reading time."
    )
    assert (nodules.year, nodules.authors) == (2023, ("Anna Müller", "LDCT Screening Consortium"))


def test_medline_nbib_joins_wrapped_lines_and_reads_doi_and_pmc():
    result, papers = read("pubmed.nbib")
    assert result.problems == [] and len(papers) == 2
    chatcad = papers[CHATCAD]
    assert chatcad.abstract == seed_abstract(CHATCAD)
    assert chatcad.identifiers == ALL_IDS[1:]
    assert (chatcad.year, chatcad.authors) == (2024, ("Wang, Sheng", "Zhao, Zihao", "Ouyang, Xi"))
    assert papers[NODULES].abstract.startswith("BACKGROUND: Lung cancer screening")


def test_ris_reads_ab_and_n2_abstracts_and_arxiv_urls():
    result, papers = read("zotero.ris")
    assert result.problems == [] and len(papers) == 2
    assert papers[CHATCAD].identifiers == ("arxiv:2302.07257", f"doi:{DOI}")
    assert papers[CHATCAD].sources == (SourceRef(f"{FORMATS}/zotero.ris", 1),)
    medmnist = next(p for title, p in papers.items() if title.startswith("MedMNIST-C"))
    assert (medmnist.id, medmnist.year) == ("arxiv:2406.17536", 2024)  # T1, N2, Y1, A1
    assert medmnist.authors[0] == "Di Salvo, Francesco"


def test_web_of_science_plain_text_and_tab_delimited_read_alike():
    for name in ("wos_savedrecs.txt", "wos_savedrecs_tab.txt"):
        result, papers = read(name)
        assert result.problems == [] and len(papers) == 2
        chatcad = papers[CHATCAD]
        assert chatcad.abstract == seed_abstract(CHATCAD)
        assert chatcad.identifiers == (f"doi:{DOI}", "pmid:38000001")
        assert chatcad.authors == ("Wang, Sheng", "Zhao, Zihao", "Ouyang, Xi")
        assert papers[NODULES].authors == ("Muller, Anna",)
    _, plain = read("wos_savedrecs.txt")
    assert plain[CHATCAD].sources == (SourceRef(f"{FORMATS}/wos_savedrecs.txt", 3),)


def test_excel_csv_with_bom_semicolons_quoted_newline_and_placeholder_abstracts():
    result, papers = read("scopus_excel.csv")
    assert list(papers) == [CHATCAD]
    assert papers[CHATCAD].abstract == seed_abstract(CHATCAD)  # the quoted newline folded
    # Scopus's "[No abstract available]" rows are no abstract: skipped, never merged.
    assert [(p.line, p.message.split(" (")[0]) for p in result.problems] == [
        (4, "record has no abstract"),
        (5, "record has no abstract"),
    ]


def test_csl_json_authors_dates_and_arxiv_doi():
    result, papers = read("zotero_csl.json")
    assert result.problems == []
    assert papers[CHATCAD].identifiers == ALL_IDS
    assert papers[CHATCAD].authors == ("Sheng Wang", "Zihao Zhao", "Xi Ouyang")
    medmnist = next(p for title, p in papers.items() if title.startswith("MedMNIST-C"))
    assert medmnist.authors[-1] == "MedMNIST Consortium"
    assert medmnist.identifiers == ("arxiv:2406.17536", "doi:10.48550/arxiv.2406.17536")


def test_crossref_page_and_single_work_strip_jats():
    result, papers = read("crossref_works.json")
    assert result.problems == [] and set(papers) == {CHATCAD, NODULES}
    assert papers[CHATCAD].abstract == seed_abstract(CHATCAD)  # <jats:title>Abstract dropped
    assert papers[CHATCAD].year == 2024
    assert papers[CHATCAD].sources == (SourceRef(f"{FORMATS}/crossref_works.json", 9),)
    _, single = read("crossref_work.json")
    assert list(single) == [NODULES] and single[NODULES].authors == ("Anna Müller",)


def test_europe_pmc_results_with_ids_and_html_sections():
    result, papers = read("europepmc_search.json")
    assert result.problems == []
    assert papers[CHATCAD].identifiers == ALL_IDS[1:]
    assert papers[CHATCAD].url == "https://europepmc.org/article/MED/38000001"
    assert papers[NODULES].abstract.startswith("Background: Lung cancer screening")


def test_hf_daily_papers_list_and_single_paper():
    result, papers = read("hf_daily_papers.json")
    assert result.problems == [] and len(papers) == 2
    chatcad = papers[CHATCAD]
    assert (chatcad.id, chatcad.year) == ("arxiv:2302.07257", 2023)
    assert chatcad.url == "https://huggingface.co/papers/2302.07257"
    _, single = read("hf_paper.json")
    (medmnist,) = single.values()
    assert medmnist.id == "arxiv:2406.17536"
    assert medmnist.authors == ("Francesco Di Salvo", "Sebastian Doerrich", "Christian Ledig")


def test_bibtex_latex_decoded_and_and_others_is_no_author():
    result, papers = read("latex.bib")
    assert result.problems == []
    assert papers[CHATCAD].authors == ("Wang, Sheng", "Zhao, Zihao", "Ouyang, Xi")
    nodules = next(p for title, p in papers.items() if title.startswith("Deep learning"))
    assert "∼4,200 low-dose CT scans" in nodules.abstract  # $\sim$ decoded
    assert "detected >90 % of nodules" in nodules.abstract  # {{\textgreater}}90\,\%
    assert nodules.authors == ("Müller, Anna", "LDCT Screening Consortium")
    assert nodules.url == "https://example.org/~mueller/nodules"  # a URL is not LaTeX


def test_one_work_in_every_format_is_one_node_with_all_its_identifiers():
    result = ingest([FORMATS])
    assert result.problems and all("no abstract" in p.message for p in result.problems)
    chatcad = [p for p in result.papers if p.title == CHATCAD]
    assert len(chatcad) == 1
    (paper,) = chatcad
    assert paper.identifiers == ALL_IDS
    assert paper.id == "arxiv:2302.07257"
    assert len({s.path for s in paper.sources}) == 13 - 2  # not in hf_paper, crossref_work
    # The most complete record (CSL-JSON: every id, title, URL, year, authors) gives the fields.
    assert paper.authors == ("Sheng Wang", "Zihao Zhao", "Xi Ouyang")
    nodules = [p for p in result.papers if p.doi == "10.5555/kg-fixture.nodules"]
    assert len(nodules) == 1 and nodules[0].identifiers == (
        "doi:10.5555/kg-fixture.nodules",
        "pmid:38000002",
    )


def test_forced_format_that_does_not_fit_is_a_problem_not_an_empty_read():
    result = ingest([f"{FORMATS}/zotero.ris"], "bibtex")
    assert result.papers == []
    (problem,) = result.problems
    assert problem.message.startswith("does not look like bibtex")


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("wos_savedrecs_tab.txt", lambda text: text.encode("utf-16")),  # Excel "Unicode Text"
        ("wos_savedrecs.txt", lambda text: text.replace("\n", "\r\n").encode()),
        ("zotero.ris", lambda text: text.replace("\n", "\r\n").encode()),
        ("pubmed.nbib", lambda text: text.replace("\n", "\r\n").encode()),
        ("scopus_excel.csv", lambda text: text.replace("\r\n", "\n").encode()),
    ],
)
def test_windows_line_ends_and_utf16_read_the_same(tmp_path, in_repo, name, encode):
    text = (in_repo / FORMATS / name).read_text(encoding="utf-8-sig")
    path = tmp_path / name
    path.write_bytes(encode(text))
    expected = ingest([f"{FORMATS}/{name}"]).papers
    papers = ingest([path]).papers
    assert [(p.id, p.title, p.abstract, p.authors) for p in papers] == [
        (p.id, p.title, p.abstract, p.authors) for p in expected
    ]


def test_biorxiv_api_collection_is_a_page_of_plain_records(tmp_path, in_repo):
    """bioRxiv/medRxiv's details API: `{"messages": [...], "collection": [...]}`."""
    abstract = seed_abstract(CHATCAD)
    record = {
        "doi": "10.1101/2024.01.03.123456",
        "title": CHATCAD,
        "authors": "Wang, S.; Zhao, Z.; Ouyang, X.",
        "date": "2024-01-03",
        "version": "1",
        "category": "radiology and imaging",
        "abstract": abstract,
        "server": "medRxiv",
    }
    path = tmp_path / "details.json"
    path.write_text(
        json.dumps({"messages": [{"status": "ok", "count": 1}], "collection": [record]}, indent=1)
    )
    (paper,) = ingest([path]).papers
    assert (paper.id, paper.year) == ("doi:10.1101/2024.01.03.123456", 2024)
    assert paper.authors == ("Wang, S.", "Zhao, Z.", "Ouyang, X.")
    assert paper.abstract == abstract


def test_jats_markup_inside_words_is_joined_and_blocks_are_spaced():
    from kg.ingest.csl_json import jats_text

    text = (
        "<jats:title>Abstract</jats:title><jats:sec><jats:title>Background</jats:title>"
        "<jats:p>H<jats:sub>2</jats:sub>O <jats:italic>in vivo</jats:italic> &amp; more."
        "</jats:p></jats:sec><jats:p>Next.</jats:p>"
    )
    assert " ".join(jats_text(text).split()) == "Background: H2O in vivo & more. Next."
