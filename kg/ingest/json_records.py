"""JSON records in a file, read in bounded pieces: JSON Lines (streamed) or one JSON document.

A document is one record, a list of records, or an API page that holds them:
OpenAlex `results`, Semantic Scholar `data`, Crossref `message.items` (or one
work as `message`), Europe PMC `resultList.result`, bioRxiv `collection`. A Hugging
Face daily-papers item `{"paper": {...}}` is its paper. Each record is turned into a RawRecord by
the `convert` function the format's reader gives.

Bounds, checked before `json` parses anything: a line of JSON Lines is at most
`MAX_LINE_BYTES` (files.py), a document at most `MAX_TEXT_BYTES`, nesting at most
`MAX_DEPTH` levels; a number too long for Python to convert skips its record.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from kg.ingest.files import (
    MAX_LINE_BYTES,
    InputFile,
    UnreadableFile,
    iter_lines,
    read_head,
    read_text,
)
from kg.ingest.record import RawRecord
from kg.records import Problem, SourceRef

Converter = Callable[[dict[str, Any], SourceRef], RawRecord]
MAX_DEPTH = 64
_LINE_EXTENSIONS = (".jsonl", ".ndjson")
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
# Where API pages keep their records, tried in this order: OpenAlex, Semantic Scholar,
# Crossref, Europe PMC, bioRxiv/medRxiv (`collection`), and a generic `items` list.
_PAGE_PATHS = (
    ("results",),
    ("data",),
    ("message", "items"),
    ("resultList", "result"),
    ("collection",),
    ("items",),
)


def looks_like_json(head: str) -> bool:
    """Starts with an object or an array."""
    return head.lstrip()[:1] in ("{", "[")


def read_json(file: InputFile, convert: Converter) -> Iterator[RawRecord | Problem]:
    """The records of a JSON Lines file (from `file.start_offset` on) or of one JSON document."""
    if reads_json_lines(file):
        yield from _read_lines(file, convert)
    else:
        yield from _read_document(read_text(file), file.shown, convert)


def reads_json_lines(file: InputFile) -> bool:
    """Whether `read_json` reads the file as JSON Lines, one record per line."""
    return file.name.endswith(_LINE_EXTENSIONS) or _looks_like_json_lines(file)


def _looks_like_json_lines(file: InputFile) -> bool:
    """Its first complete lines are each one object: JSON Lines, even if one of them is broken."""
    lines = [line.strip() for line in read_head(file).split("\n")[:-1] if line.strip()][:5]
    return len(lines) >= 2 and all(line[:1] == "{" and line[-1:] == "}" for line in lines)


def _read_lines(file: InputFile, convert: Converter) -> Iterator[RawRecord | Problem]:
    """One record per non-blank line; a bad line is a Problem and the next line is read."""
    for number, raw in iter_lines(file):
        if raw is None:
            yield Problem(
                file.shown, number, f"line is over {MAX_LINE_BYTES // 2**20} MiB; record skipped"
            )
            continue
        if not raw.strip():
            continue
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield Problem(
                file.shown,
                number,
                f"not UTF-8 (byte 0x{raw[error.start]:02x} at column {error.start + 1}); "
                "record skipped",
            )
            continue
        obj, refusal = _parse(line)
        if refusal:
            yield Problem(file.shown, number, f"{refusal.why}; record skipped")
        else:
            yield _record(obj, SourceRef(file.shown, number), convert)


def _read_document(text: str, path: str, convert: Converter) -> Iterator[RawRecord | Problem]:
    """The records of one JSON document, each sourced at the line where it starts."""
    document, refusal = _parse(text)
    items = _salvage(text) if refusal else _items(text, document)
    line, counted_to, read = 1, 0, 0
    for offset, item in items:
        line += text.count("\n", counted_to, offset)
        counted_to = offset
        read += 1
        yield _record(item, SourceRef(path, line), convert)
    if refusal:
        rest = "rest of file" if read else "file"
        raise UnreadableFile(f"{refusal.why}; {rest} skipped", refusal.line)


@dataclass(frozen=True)
class _Refusal:
    """Why a JSON text was not parsed, and on which of its lines."""

    why: str
    line: int | None = None


def _parse(text: str) -> tuple[Any, _Refusal | None]:
    if _depth(text) > MAX_DEPTH:
        return None, _Refusal(f"JSON nested deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        return None, _Refusal(f"malformed JSON ({error.msg} at column {error.colno})", error.lineno)
    except (ValueError, RecursionError) as error:  # an integer over Python's 4300 digits
        return None, _Refusal(f"unusable JSON value ({str(error).split(';')[0]})")


def _depth(text: str) -> int:
    """How deeply arrays and objects nest, strings not counted; cheap when there are few."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(_DEPTH_STEP[c] for c in brackets), default=0)


def _record(obj: object, source: SourceRef, convert: Converter) -> RawRecord | Problem:
    if isinstance(obj, dict) and isinstance(obj.get("paper"), dict):
        obj = obj["paper"]  # a Hugging Face daily-papers item
    if not isinstance(obj, dict):
        found = type(obj).__name__ if obj is not None else "null"
        return Problem(source.path, source.line, f"expected a JSON object, found {found}; skipped")
    return convert(obj, source)


def _items(text: str, document: object) -> Iterator[tuple[int, object]]:
    """(character offset, value) of each record; `text` is known to be valid JSON."""
    decoder = json.JSONDecoder()
    if isinstance(document, list):
        yield from _array_items(text, _skip(text, 0), decoder)
        return
    for path in _PAGE_PATHS:
        if isinstance(_at(document, path), list) and (index := _offset(text, path, decoder)):
            yield from _array_items(text, index, decoder)
            return
    message = _offset(text, ("message",), decoder)
    if isinstance(_at(document, ("message",)), dict) and message:  # one Crossref work
        yield message, document["message"]
        return
    yield _skip(text, 0), document


def _salvage(text: str) -> Iterator[tuple[int, object]]:
    """The records of a damaged document that come before the damage, one by one."""
    decoder = json.JSONDecoder()
    damage = (ValueError, RecursionError, IndexError)
    for path in ((), *_PAGE_PATHS, ("message",)):
        try:
            index = _offset(text, path, decoder)
        except damage:  # the damage lies on the way to this path: try the next
            continue
        if index is None or (path == () and text[index] != "["):
            continue
        try:
            if text[index] == "[":
                yield from _array_items(text, index, decoder)
            else:
                yield index, decoder.raw_decode(text, index)[0]
        except damage:  # the damage is reached
            pass
        return


def _at(document: object, path: tuple[str, ...]) -> object:
    for key in path:
        if not isinstance(document, dict):
            return None
        document = document.get(key)
    return document


def _offset(text: str, path: tuple[str, ...], decoder: json.JSONDecoder) -> int | None:
    """Where the value at `path` (a chain of object keys) starts in `text`; None if absent."""
    index = _skip(text, 0)
    for key in path:
        if text[index] != "{":
            return None
        index = _skip(text, index + 1)
        while True:
            if text[index] == "}":
                return None
            name, index = decoder.raw_decode(text, index)
            index = _skip(text, _skip(text, index) + 1)
            if name == key:
                break
            _, index = decoder.raw_decode(text, index)
            index = _skip(text, index)
            if text[index] == ",":
                index = _skip(text, index + 1)
    return index


def _array_items(text: str, index: int, decoder: json.JSONDecoder) -> Iterator[tuple[int, object]]:
    index = _skip(text, index + 1)
    while text[index] != "]":
        value, end = decoder.raw_decode(text, index)
        yield index, value
        index = _skip(text, end)
        if text[index] == ",":
            index = _skip(text, index + 1)
        elif text[index] != "]":  # only in a damaged document, read by _salvage
            raise ValueError(f"expected ',' or ']' at offset {index}")


def _skip(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()
