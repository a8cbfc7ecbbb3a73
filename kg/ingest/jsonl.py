"""JSON of any kind the other JSON readers know, told apart record by record, and plain
JSON records: `title` and `abstract`, perhaps `id`, `url`, `year`, `authors`, `doi`, `pmid`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kg.ingest import crossref, csl_json, europe_pmc, hf_papers, openalex, semantic_scholar
from kg.ingest.files import InputFile
from kg.ingest.json_records import looks_like_json, read_json
from kg.ingest.record import (
    RawRecord,
    arxiv_id_from_doi,
    normalise_arxiv_id,
    normalise_doi,
    normalise_pmcid,
    normalise_pmid,
    parse_year,
    split_authors,
    text_field,
)
from kg.records import Problem, SourceRef

# The most specific first: a Crossref work is also CSL-JSON.
_KINDS = (openalex, semantic_scholar, crossref, europe_pmc, hf_papers, csl_json)


def looks_like(head: str) -> bool:
    """Any JSON document or JSON Lines."""
    return looks_like_json(head)


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """Every record, each read as the kind its keys show."""
    return read_json(file, any_record)


def any_record(obj: dict[str, Any], source: SourceRef) -> RawRecord:
    """The record of one JSON object, by the first kind whose keys it has, else plain."""
    for kind in _KINDS:
        if kind.is_record(obj):
            return kind.record(obj, source)
    return plain_record(obj, source)


def plain_record(obj: dict[str, Any], source: SourceRef) -> RawRecord:
    """A record from a flat JSON object; an `id` counts when it is an arXiv id or a DOI."""
    # Keys lower case already (checked on all of them at once, for speed): look up as they are.
    if (keys := "".join(obj)) == keys.lower():
        get = obj.get
    else:
        get = {key.lower(): value for key, value in obj.items()}.get
    given_id = text_field(get("id"))
    doi = normalise_doi(text_field(get("doi"))) or normalise_doi(given_id)
    arxiv_id = (
        normalise_arxiv_id(text_field(get("arxiv")))
        or normalise_arxiv_id(text_field(get("arxiv_id")))
        or normalise_arxiv_id(given_id)
        or arxiv_id_from_doi(doi)
    )
    return RawRecord(
        source,
        abstract=text_field(get("abstract")),
        title=text_field(get("title")),
        url=text_field(get("url")),
        year=parse_year(get("year") or get("date") or get("published")),
        authors=split_authors(get("authors") or get("author")),
        doi=doi,
        arxiv_id=arxiv_id,
        pmid=normalise_pmid(get("pmid")),
        pmcid=normalise_pmcid(get("pmcid")),
    )
