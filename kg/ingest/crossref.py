"""Crossref REST API works: a page (`message.items`) or one work (`message`).

A work is a CSL-JSON item with Crossref's extras; csl_json reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kg.ingest import csl_json
from kg.ingest.files import InputFile
from kg.ingest.json_records import read_json
from kg.ingest.record import RawRecord
from kg.records import Problem

record = csl_json.record


def looks_like(head: str) -> bool:
    """Crossref answers say `"message-type"`."""
    return head.lstrip()[:1] == "{" and '"message-type"' in head


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """Every work of a Crossref answer."""
    return read_json(file, record)


def is_record(obj: dict[str, Any]) -> bool:
    """Crossref works carry `DOI` and Crossref's own `member` or `reference-count`."""
    return "DOI" in obj and ("member" in obj or "reference-count" in obj or "prefix" in obj)
