"""Hugging Face papers API: the daily-papers list (`[{"paper": {...}}, ...]`) or one paper.

A paper's `id` is its arXiv id; the abstract is `summary`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kg.ingest.files import InputFile
from kg.ingest.json_records import read_json
from kg.ingest.record import (
    RawRecord,
    list_field,
    normalise_arxiv_id,
    parse_year,
    text_field,
)
from kg.records import Problem, SourceRef

_PAPER_URL = "https://huggingface.co/papers/{id}"


def looks_like(head: str) -> bool:
    """A list of `{"paper": ...}` items, or one paper object with a `summary`."""
    start = head.lstrip()
    return (start.startswith("[") and '"paper"' in head and '"summary"' in head) or (
        start.startswith("{") and '"summary"' in head and '"upvotes"' in head
    )


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """Every paper of a daily-papers answer, or the one paper of a paper answer."""
    return read_json(file, record)


def is_record(obj: dict[str, Any]) -> bool:
    """HF papers have a `summary` and HF's own `upvotes` or `publishedAt`."""
    return "summary" in obj and ("upvotes" in obj or "publishedAt" in obj)


def record(obj: dict[str, Any], source: SourceRef) -> RawRecord:
    """A record from one HF paper object."""
    arxiv_id = normalise_arxiv_id(text_field(obj.get("id")))
    return RawRecord(
        source,
        abstract=text_field(obj.get("summary")),
        title=text_field(obj.get("title")),
        url=_PAPER_URL.format(id=arxiv_id) if arxiv_id else None,
        year=parse_year(obj.get("publishedAt")),
        authors=tuple(
            name
            for author in list_field(obj.get("authors"))
            if isinstance(author, dict) and (name := text_field(author.get("name")))
        ),
        arxiv_id=arxiv_id,
    )
