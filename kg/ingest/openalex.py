"""OpenAlex works: the abstract comes as an inverted index (word -> positions)."""

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
    parse_year,
    text_field,
)
from kg.records import Problem, SourceRef


def looks_like(head: str) -> bool:
    """An OpenAlex answer: its ids start `https://openalex.org/`."""
    return head.lstrip()[:1] in ("{", "[") and "https://openalex.org/" in head


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """Every work of an OpenAlex answer (a `results` page, a list or one work)."""
    return read_json(file, record)


def is_record(obj: dict[str, Any]) -> bool:
    """OpenAlex ids are `https://openalex.org/W...`; works carry `authorships`."""
    work_id = obj.get("id")
    return (
        "abstract_inverted_index" in obj
        or "authorships" in obj
        or (isinstance(work_id, str) and work_id.startswith("https://openalex.org/"))
    )


def abstract_from_inverted_index(index: object) -> str | None:
    """Rebuild the text from `{"word": [positions]}`; None when there is no usable index."""
    if not isinstance(index, dict):
        return None
    placed = [
        (position, word)
        for word, positions in index.items()
        if isinstance(positions, list)
        for position in positions
        if isinstance(position, int)
    ]
    return " ".join(word for _, word in sorted(placed)) or None


def record(obj: dict[str, Any], source: SourceRef) -> RawRecord:
    """A record from one OpenAlex work object."""
    ids = obj.get("ids") if isinstance(obj.get("ids"), dict) else {}
    doi = normalise_doi(text_field(obj.get("doi"))) or normalise_doi(text_field(ids.get("doi")))
    arxiv_id = normalise_arxiv_id(text_field(ids.get("arxiv"))) or arxiv_id_from_doi(doi)
    locations = list_field(obj.get("locations"))
    for location in locations:
        if arxiv_id or not isinstance(location, dict):
            break
        arxiv_id = normalise_arxiv_id(text_field(location.get("landing_page_url")))
    primary = obj.get("primary_location") if isinstance(obj.get("primary_location"), dict) else {}
    authors = tuple(
        name
        for authorship in list_field(obj.get("authorships"))
        if isinstance(authorship, dict) and isinstance(authorship.get("author"), dict)
        if (name := text_field(authorship["author"].get("display_name")))
    )
    return RawRecord(
        source,
        abstract=abstract_from_inverted_index(obj.get("abstract_inverted_index"))
        or text_field(obj.get("abstract")),
        title=text_field(obj.get("title")) or text_field(obj.get("display_name")),
        url=text_field(primary.get("landing_page_url")) or text_field(obj.get("id")),
        year=parse_year(obj.get("publication_year")),
        authors=authors,
        doi=doi,
        arxiv_id=arxiv_id,
    )
