"""Extraction: each paper's title and abstract -> a `PaperExtraction`.

`extract_papers` runs the spaCy pipeline of `pipeline.py` over every abstract and
title in batches and assembles each paper's links (`paper.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from kg.extract.vocabulary import Vocabulary, default_vocabulary
from kg.records import Paper, PaperExtraction

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.extract.pipeline import build_pipeline

__all__ = ["build_pipeline", "extract_papers"]


# spaCy and the pipeline's modules load where they are used: a build whose workers
# extract (or whose cache holds every paper) never needs them in its own process.
def __getattr__(name: str) -> Any:
    if name == "build_pipeline":
        from kg.extract.pipeline import build_pipeline

        return build_pipeline
    raise AttributeError(name)


def extract_papers(
    papers: Iterable[Paper],
    nlp: Language | None = None,
    *,
    vocabulary: Vocabulary | None = None,
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
) -> Iterator[PaperExtraction]:
    """Yield one `PaperExtraction` per paper, in input order."""
    from kg.extract.paper import PaperAssembler
    from kg.extract.pipeline import build_pipeline
    from kg.extract.text import make_doc

    nlp = nlp or build_pipeline()
    assembler = PaperAssembler(vocabulary or default_vocabulary())
    papers = list(papers)
    abstracts = nlp.pipe((make_doc(nlp, p.abstract) for p in papers), batch_size=batch_size)
    titles = nlp.pipe((make_doc(nlp, p.title or "") for p in papers), batch_size=batch_size)
    for paper, abstract_doc, title_doc in zip(papers, abstracts, titles, strict=True):
        yield assembler.assemble(paper, title_doc if paper.title else None, abstract_doc)
        if progress is not None:
            progress(1)
