"""RIS (Zotero, EndNote, Mendeley, most publishers), parsed by `rispy`.

Each `TY` ... `ER` block is handed to rispy alone, so that one broken record is
skipped with its line and the rest of the file is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import rispy

from kg.ingest.files import InputFile, read_text
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

_START = re.compile(r"^TY  - ", re.MULTILINE)
_END = re.compile(r"^ER  -", re.MULTILINE)


def looks_like(head: str) -> bool:
    """A line starting `TY  - `."""
    return bool(_START.search(head.removeprefix("\ufeff")))


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """Every reference of the file."""
    text = read_text(file)
    for start in _START.finditer(text):
        end = _END.search(text, start.end())
        stop = end.end() if end else len(text)
        following = _START.search(text, start.end())
        if following and following.start() < stop:
            stop = following.start()  # a record without its ER line ends where the next begins
        line = text.count("\n", 0, start.start()) + 1
        source = SourceRef(file.shown, line)
        try:
            entries = rispy.loads(text[start.start() : stop])
        except Exception as error:  # rispy raises bare IOError/KeyError on odd tags
            yield Problem(file.shown, line, f"malformed RIS ({error}); record skipped")
            continue
        for entry in entries:
            yield reference_record(entry, source)


def reference_record(entry: dict, source: SourceRef) -> RawRecord:
    """A record from one rispy entry."""
    doi = normalise_doi(text_field(entry.get("doi")))
    urls = [url for url in list_field(entry.get("urls")) if isinstance(url, str)]
    return RawRecord(
        source,
        abstract=text_field(entry.get("abstract")) or text_field(entry.get("notes_abstract")),
        title=text_field(entry.get("title")) or text_field(entry.get("primary_title")),
        url=urls[0] if urls else None,
        year=parse_year(entry.get("year") or entry.get("publication_year") or entry.get("date")),
        authors=tuple(
            name
            for name in list_field(entry.get("authors")) or list_field(entry.get("first_authors"))
            if isinstance(name, str)
        ),
        doi=doi,
        arxiv_id=arxiv_id_from_doi(doi)
        or next((found for url in urls if (found := normalise_arxiv_id(url))), None),
    )
