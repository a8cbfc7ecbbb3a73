"""Web of Science plain-text export: two-letter tags, indented continuations, `ER` ends a
record. Authors, addresses and references continue as one value per line.
The tab-delimited export is a table (csv_table reads its tag header)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.ingest.files import InputFile, read_text
from kg.ingest.record import (
    RawRecord,
    arxiv_id_from_doi,
    normalise_doi,
    normalise_pmid,
    parse_year,
)
from kg.ingest.tagged import TaggedRecord, TagSyntax, tagged_records
from kg.records import Problem, SourceRef

SYNTAX = TagSyntax(
    tag_line=re.compile(r"^([A-Z][A-Z0-9])(?: (.*)|())$"),
    indent="   ",
    end_tag="ER",
    listed_tags=frozenset({"AU", "AF", "BA", "BF", "CA", "C1", "CR", "ED"}),
    file_tags=frozenset({"FN", "VR", "EF"}),
)
_HEADER = re.compile(r"^FN .*Web of Science|^PT [A-Z]\s*$", re.MULTILINE)


def looks_like(head: str) -> bool:
    """`FN Clarivate Analytics Web of Science`, or a `PT J` record start."""
    return bool(_HEADER.search(head)) and bool(re.search(r"^(?:TI|AU) ", head, re.MULTILINE))


def read(file: InputFile) -> Iterator[RawRecord | Problem]:
    """Every record of the file."""
    for tagged in tagged_records(read_text(file), SYNTAX):
        yield wos_record(tagged, SourceRef(file.shown, tagged.line))


def wos_record(tagged: TaggedRecord, source: SourceRef) -> RawRecord:
    """A record from one Web of Science record."""
    doi = normalise_doi(tagged.first("DI"))
    return RawRecord(
        source,
        abstract=tagged.first("AB"),
        title=tagged.first("TI"),
        url=f"https://doi.org/{doi}" if doi else None,
        year=parse_year(tagged.first("PY") or tagged.first("EA")),
        authors=tuple(tagged.all("AF") or tagged.all("AU")),
        doi=doi,
        arxiv_id=arxiv_id_from_doi(doi),
        pmid=normalise_pmid(tagged.first("PM")),
    )
