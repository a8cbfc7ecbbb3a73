"""The two seed files: 91 records of 89 papers; MedITok and GMAI-VL are in both."""

from kg.ingest import ingest
from kg.records import SourceRef

DAILY = "seeds/000_9d6abce8a37abc18.txt"
ABSTRACTS = "seeds/004_3ecde1412f1e9cca.txt"


def by_title(papers):
    return {paper.title: paper for paper in papers}


def test_seed_folder_gives_89_papers_from_91_records():
    result = ingest(["seeds"])
    assert (result.records_read, len(result.papers), result.merged) == (91, 89, 2)
    assert result.problems == []


def test_papers_in_both_seed_files_list_both_sources():
    papers = ingest(["seeds"]).papers
    merged = {p.title.split(":")[0]: p.sources for p in papers if len(p.sources) > 1}
    assert merged == {
        "MedITok": (SourceRef(DAILY, 149), SourceRef(ABSTRACTS, 1)),
        "GMAI-VL & GMAI-VL-5.5M": (SourceRef(DAILY, 161), SourceRef(ABSTRACTS, 6)),
    }


def test_daily_papers_pairs_titles_with_abstracts_and_skips_chrome():
    result = ingest([DAILY])
    papers = by_title(result.papers)
    assert len(papers) == 81 and result.problems == []
    assert "SAM-Med2D" in papers  # a title with no colon
    assert papers["SAM-Med2D"].abstract.startswith(
        "The Segment Anything Model (SAM) represents a state-of-the-art research advancement"
    )
    roentgen = papers["RoentGen: Vision-Language Foundation Model for Chest X-ray Generation"]
    assert roentgen.abstract.startswith("Multimodal models trained on large natural image-text")
    assert roentgen.sources == (SourceRef(DAILY, 25),)
    assert not {"new", "Subscribe", "Daily Papers", "Aug 20"} & set(papers)


def test_abstract_list_drops_the_label_and_has_no_titles():
    papers = ingest([ABSTRACTS]).papers
    assert len(papers) == 10
    assert all(paper.title is None for paper in papers)
    assert all(not paper.abstract.lower().startswith("abstract") for paper in papers)
    first = next(paper for paper in papers if paper.sources == (SourceRef(ABSTRACTS, 1),))
    assert first.abstract.startswith("Advanced autoregressive models have reshaped multimodal AI.")


def test_merged_seed_paper_takes_its_title_from_the_daily_page():
    papers = ingest([ABSTRACTS, DAILY]).papers
    meditok = next(p for p in papers if p.abstract.startswith("Advanced autoregressive"))
    assert meditok.title == (
        "MedITok: A Unified Tokenizer for Medical Image Synthesis and Interpretation"
    )
    assert meditok.id.startswith("abstract:") and len(meditok.id) == len("abstract:") + 16
