"""A list of abstracts, one a line, each starting `Abstract:`; there are no titles."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.ingest.files import InputFile, read_text
from kg.ingest.record import RawRecord
from kg.records import SourceRef

_LABEL = re.compile(r"^\s*abstract\s*:", re.IGNORECASE)


def read(file: InputFile) -> Iterator[RawRecord]:
    """One record per non-blank line; the `Abstract:` label is removed when records are cleaned."""
    for number, line in enumerate(read_text(file).split("\n"), start=1):
        if line.strip():
            yield RawRecord(SourceRef(file.shown, number), abstract=line)


def looks_like(head: str) -> bool:
    """Most non-blank lines start with `Abstract:`."""
    lines = [line for line in head.split("\n") if line.strip()]
    labelled = sum(1 for line in lines if _LABEL.match(line))
    return bool(lines) and labelled * 2 > len(lines)
