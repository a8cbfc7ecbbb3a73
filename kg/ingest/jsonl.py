"""Plain JSON records: `title` and `abstract`, perhaps `id`, `url`, `year`, `authors`, `doi`."""

from __future__ import annotations

from typing import Any

from kg.ingest.record import (
    RawRecord,
    arxiv_id_from_doi,
    normalise_arxiv_id,
    normalise_doi,
    parse_year,
    split_authors,
    text_field,
)
from kg.records import SourceRef


def plain_record(obj: dict[str, Any], source: SourceRef) -> RawRecord:
    """A record from a flat JSON object; an `id` counts when it is an arXiv id or a DOI."""
    if all(key.islower() for key in obj):
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
        year=parse_year(get("year")),
        authors=split_authors(get("authors") or get("author")),
        doi=doi,
        arxiv_id=arxiv_id,
    )
