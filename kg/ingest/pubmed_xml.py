"""PubMed XML (`efetch` answers and baseline files): one record per `<PubmedArticle>`.

Structured abstracts (`<AbstractText Label="METHODS">`) are joined as `METHODS: ...`.
Ids come from the article's own `PubmedData/ArticleIdList`, never from its references.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.ingest.files import InputFile
from kg.ingest.record import (
    RawRecord,
    arxiv_id_from_doi,
    normalise_doi,
    normalise_pmcid,
    normalise_pmid,
    parse_year,
    pubmed_title,
)
from kg.ingest.xml_tree import Node, read_records, text_of
from kg.records import Problem, SourceRef

_PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def looks_like(head: str) -> bool:
    """A `PubmedArticleSet` (named in the DOCTYPE or as the root)."""
    return head.lstrip()[:1] == "<" and ("<PubmedArticleSet" in head or "<PubmedArticle>" in head)


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """Every article; a broken or oversized one is a Problem and the next is read."""
    return read_records(file, "PubmedArticle", article_record)


def article_record(article: Node, source: SourceRef) -> RawRecord:
    """A record from one `<PubmedArticle>` element."""
    citation = article.child("MedlineCitation") or Node("", {})
    paper = citation.child("Article") or Node("", {})
    ids = {
        node.attributes.get("IdType"): node.text().strip()
        for node in (article.child("PubmedData", "ArticleIdList") or Node("", {})).children(
            "ArticleId"
        )
    }
    locations = {
        node.attributes.get("EIdType"): node.text().strip()
        for node in paper.children("ELocationID")
    }
    pmid = normalise_pmid(text_of(citation.child("PMID"))) or normalise_pmid(ids.get("pubmed"))
    doi = normalise_doi(ids.get("doi")) or normalise_doi(locations.get("doi"))
    return RawRecord(
        source,
        abstract=_abstract(paper.child("Abstract")),
        title=pubmed_title(text_of(paper.child("ArticleTitle"))),
        url=_PUBMED_URL.format(pmid=pmid) if pmid else None,
        year=_year(paper),
        authors=tuple(
            name
            for author in _children(paper.child("AuthorList"), "Author")
            if (name := _name(author))
        ),
        doi=doi,
        arxiv_id=arxiv_id_from_doi(doi),
        pmid=pmid,
        pmcid=normalise_pmcid(ids.get("pmc")),
    )


def _abstract(abstract: Node | None) -> str | None:
    """The sections of a (structured) abstract, each after its label."""
    sections = []
    for section in _children(abstract, "AbstractText"):
        label = section.attributes.get("Label")
        text = section.text().strip()
        sections.append(f"{label}: {text}" if label and text else text)
    return " ".join(section for section in sections if section) or None


def _year(paper: Node) -> int | None:
    date = paper.child("Journal", "JournalIssue", "PubDate")
    return (
        parse_year(text_of(date.child("Year") if date else None))
        or parse_year(text_of(date.child("MedlineDate") if date else None))
        or parse_year(text_of(paper.child("ArticleDate", "Year")))
    )


def _name(author: Node) -> str | None:
    collective = text_of(author.child("CollectiveName"))
    if collective:
        return collective
    parts = [text_of(author.child(name)) for name in ("ForeName", "LastName")]
    return " ".join(part for part in parts if part) or None


def _children(node: Node | None, name: str) -> Iterator[Node]:
    return node.children(name) if node else iter(())
