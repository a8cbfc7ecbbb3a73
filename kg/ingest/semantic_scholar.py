"""Semantic Scholar Graph API paper objects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kg.ingest.files import InputFile
from kg.ingest.json_records import read_json
from kg.ingest.record import (
    RawRecord,
    arxiv_id_from_doi,
    list_field,
    normalise_arxiv_id,
    normalise_doi,
    normalise_pmcid,
    normalise_pmid,
    parse_year,
    text_field,
)
from kg.records import Problem, SourceRef


def looks_like(head: str) -> bool:
    """A Semantic Scholar answer: its papers carry `paperId`."""
    return head.lstrip()[:1] in ("{", "[") and '"paperId"' in head


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """Every paper of a Semantic Scholar answer (a `data` page, a list or one paper)."""
    return read_json(file, record)


def is_record(obj: dict[str, Any]) -> bool:
    """Semantic Scholar papers carry `paperId` or `externalIds`."""
    return "paperId" in obj or "externalIds" in obj


def record(obj: dict[str, Any], source: SourceRef) -> RawRecord:
    """A record from one Semantic Scholar paper object."""
    external = obj.get("externalIds") if isinstance(obj.get("externalIds"), dict) else {}
    doi = normalise_doi(text_field(external.get("DOI")))
    authors = tuple(
        name
        for author in list_field(obj.get("authors"))
        if isinstance(author, dict)
        if (name := text_field(author.get("name")))
    )
    return RawRecord(
        source,
        abstract=text_field(obj.get("abstract")),
        title=text_field(obj.get("title")),
        url=text_field(obj.get("url")),
        year=parse_year(obj.get("year")),
        authors=authors,
        doi=doi,
        arxiv_id=normalise_arxiv_id(text_field(external.get("ArXiv"))) or arxiv_id_from_doi(doi),
        pmid=normalise_pmid(external.get("PubMed")),
        pmcid=normalise_pmcid(external.get("PubMedCentral")),
    )
