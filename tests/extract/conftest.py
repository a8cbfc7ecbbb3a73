"""One extraction pipeline for the whole session, and a paper-level extractor on top of it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from kg.extract import build_pipeline, extract_papers
from kg.records import Paper, PaperExtraction, SourceRef


@pytest.fixture(scope="session")
def nlp() -> Language:
    return build_pipeline()


@pytest.fixture(scope="session")
def extract(nlp: Language) -> Callable[..., PaperExtraction]:
    """Extract one paper from its abstract (and title) with the session pipeline."""

    def run(abstract: str, title: str | None = None, paper_id: str = "test:1") -> PaperExtraction:
        paper = Paper(id=paper_id, title=title, abstract=abstract, sources=(SourceRef("t.txt", 1),))
        return next(extract_papers([paper], nlp))

    return run
