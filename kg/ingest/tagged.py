"""Tagged-line records (MEDLINE/.nbib, Web of Science plain text): `TAG value` lines,
continued on indented lines, one record per block.

The formats differ only in the tag's shape, the indent, and what ends a record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class TaggedRecord:
    """The values of each tag of one record, in order, and the line the record starts on."""

    line: int
    fields: dict[str, list[str]] = field(default_factory=dict)

    def first(self, *tags: str) -> str | None:
        """The first value of the first of `tags` present."""
        return next((self.fields[tag][0] for tag in tags if self.fields.get(tag)), None)

    def all(self, tag: str) -> list[str]:
        """Every value of `tag`."""
        return self.fields.get(tag, [])


@dataclass(frozen=True)
class TagSyntax:
    """`tag_line` matches a tag line (groups: tag, value); `indent` starts a continuation;
    `end_tag` closes a record (else a blank line does); `listed_tags` continue as new values;
    `file_tags` (file headers and trailers) belong to no record."""

    tag_line: re.Pattern[str]
    indent: str
    end_tag: str | None = None
    listed_tags: frozenset[str] = frozenset()
    file_tags: frozenset[str] = frozenset()


def tagged_records(text: str, syntax: TagSyntax) -> Iterator[TaggedRecord]:
    """Every record of `text`; lines outside records (file headers) are passed over."""
    record: TaggedRecord | None = None
    tag = None
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        match = syntax.tag_line.match(line)
        if match:
            tag, value = match.group(1).strip(), (match.group(2) or "").strip()
            if tag in syntax.file_tags:
                tag = None
                continue
            if tag == syntax.end_tag:
                if record:
                    yield record
                record = None
                continue
            if record is None:
                record = TaggedRecord(number)
            record.fields.setdefault(tag, []).append(value)
        elif record and tag and line.startswith(syntax.indent) and line.strip():
            values = record.fields[tag]
            if tag in syntax.listed_tags:
                values.append(line.strip())
            else:
                values[-1] = f"{values[-1]} {line.strip()}".strip()
        elif not line.strip() and syntax.end_tag is None and record:
            yield record
            record, tag = None, None
    if record:
        yield record


def bracketed_id(values: list[str], kind: str) -> str | None:
    """`10.1/x [doi]` -> `10.1/x` for kind `doi`, from MEDLINE's LID and AID lines."""
    suffix = f"[{kind}]"
    return next((value[: -len(suffix)].strip() for value in values if value.endswith(suffix)), None)
