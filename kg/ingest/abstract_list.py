"""A list of abstracts, one a line, each starting `Abstract:`; there are no titles."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.ingest.record import RawRecord
from kg.records import SourceRef

_LABEL = re.compile(r"^\s*abstract\s*:", re.IGNORECASE)


def parse_abstract_list(text: str, path: str) -> Iterator[RawRecord]:
    """One record per non-blank line; the `Abstract:` label is removed when records are cleaned."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield RawRecord(SourceRef(path, number), abstract=line)


def looks_like_abstract_list(text: str) -> bool:
    """Most non-blank lines start with `Abstract:`."""
    lines = [line for line in text.splitlines() if line.strip()]
    labelled = sum(1 for line in lines if _LABEL.match(line))
    return bool(lines) and labelled * 2 > len(lines)
