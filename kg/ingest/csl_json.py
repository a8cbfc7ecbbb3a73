"""CSL-JSON items (Zotero, Mendeley, citeproc), which Crossref works also are.

Authors are `{"family", "given"}` or `{"literal"}` objects, dates `{"date-parts": [[2023, 5]]}`,
titles a string (CSL) or a one-element list (Crossref). Crossref abstracts are JATS XML.
"""

from __future__ import annotations

import html
import re
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

_DATE_FIELDS = ("issued", "published", "published-print", "published-online", "created")
_LEADING_ABSTRACT_TITLE = re.compile(
    r"^\s*<(?:jats:)?title>\s*abstract\s*</(?:jats:)?title>", re.IGNORECASE
)
_SECTION_TITLE = re.compile(
    r"<(?:jats:)?title>(.*?)</(?:jats:)?title>|<h\d>(.*?)</h\d>", re.IGNORECASE | re.DOTALL
)
# Block tags part words; inline ones (italic, sub, sup) sit inside a word: H<sub>2</sub>O.
_BLOCK_TAG = re.compile(
    r"</?(?:jats:)?(?:p|sec|title|list|list-item|h\d|br|div|li|ul|ol)\b[^<>]{0,200}>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^<>]{1,200}>")


def looks_like(head: str) -> bool:
    """A JSON list whose first item has CSL keys (`"type"` with `"author"` or `"issued"`)."""
    start = head.lstrip()
    return (
        start[:1] == "["
        and '"type"' in head
        and ('"issued"' in head or '"family"' in head or '"literal"' in head)
    )


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """Every item of a CSL-JSON file (a list, or one item)."""
    return read_json(file, record)


def is_record(obj: dict[str, Any]) -> bool:
    """CSL names its DOI `DOI` and dates `issued`; its authors have `family` or `literal`."""
    authors = list_field(obj.get("author"))
    return (
        "DOI" in obj
        or isinstance(obj.get("issued"), dict)
        or any(isinstance(a, dict) and ("family" in a or "literal" in a) for a in authors)
    )


def record(obj: dict[str, Any], source: SourceRef) -> RawRecord:
    """A record from one CSL-JSON item or Crossref work."""
    doi = normalise_doi(text_field(obj.get("DOI")))
    url = text_field(obj.get("URL"))
    return RawRecord(
        source,
        abstract=jats_text(text_field(obj.get("abstract"))),
        title=_first_text(obj.get("title")),
        url=url,
        year=next(
            (year for name in _DATE_FIELDS if (year := _date_year(obj.get(name)))),
            parse_year(obj.get("year")),
        ),
        authors=tuple(name for author in list_field(obj.get("author")) if (name := _name(author))),
        doi=doi,
        arxiv_id=arxiv_id_from_doi(doi) or normalise_arxiv_id(url),
        pmid=normalise_pmid(obj.get("PMID")),
        pmcid=normalise_pmcid(obj.get("PMCID")),
    )


def jats_text(text: str | None) -> str | None:
    """Text of a JATS (or HTML) fragment: a leading "Abstract" title dropped, section titles
    kept as `Title:` labels, tags removed and entities decoded."""
    if not text or "<" not in text:
        return html.unescape(text) if text else text
    text = _LEADING_ABSTRACT_TITLE.sub("", text)
    text = _SECTION_TITLE.sub(lambda match: f" {(match[1] or match[2]).strip()}: ", text)
    return html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", text)))


def _first_text(value: object) -> str | None:
    if isinstance(value, list):
        return next((text for item in value if (text := text_field(item))), None)
    return text_field(value)


def _date_year(value: object) -> int | None:
    if not isinstance(value, dict):
        return None
    parts = list_field(value.get("date-parts"))
    first = parts[0] if parts and isinstance(parts[0], list) else []
    return parse_year(first[0]) if first else parse_year(value.get("raw"))


def _name(author: object) -> str | None:
    if not isinstance(author, dict):
        return None
    literal = text_field(author.get("literal")) or text_field(author.get("name"))
    given, family = text_field(author.get("given")), text_field(author.get("family"))
    return literal or " ".join(part for part in (given, family) if part) or None
