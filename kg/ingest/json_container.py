"""JSON records in a file: JSON Lines (streamed, gzip or not) or one JSON document.

A document is one record (an object), a list of records, or an API page that
holds them under `results` (OpenAlex) or `data` (Semantic Scholar). Each record
is converted by the reader of its format, recognised from its keys unless a
format was forced.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from kg.ingest.files import InputFile, UnreadableFile, iter_lines
from kg.ingest.jsonl import plain_record
from kg.ingest.openalex import is_openalex_work, work_record
from kg.ingest.record import RawRecord
from kg.ingest.semantic_scholar import is_semantic_scholar_paper, paper_record
from kg.records import Problem, SourceRef

Converter = Callable[[dict[str, Any], SourceRef], RawRecord]
_PAGE_KEYS = ("results", "data")
_WHITESPACE = re.compile(r"[ \t\n\r]*")


def read_json_lines(
    file: InputFile, convert: Converter | None = None
) -> Iterator[RawRecord | Problem]:
    """One record per non-blank line; a bad line is a Problem and the next line is read."""
    for number, raw in iter_lines(file):
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
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            yield Problem(
                file.shown,
                number,
                f"malformed JSON ({error.msg} at column {error.colno}); record skipped",
            )
            continue
        yield convert_record(obj, SourceRef(file.shown, number), convert)


def parse_json_document(
    text: str, path: str, convert: Converter | None = None
) -> Iterator[RawRecord | Problem]:
    """The records of one JSON document, each sourced at the line where it starts."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"malformed JSON ({error.msg} at column {error.colno}); file skipped", error.lineno
        ) from error
    line, counted_to = 1, 0
    for offset, item in _items(text, document):
        line += text.count("\n", counted_to, offset)
        counted_to = offset
        yield convert_record(item, SourceRef(path, line), convert)


def looks_like_json_lines(text: str) -> bool:
    """More than one JSON value, one a line (a JSON document fails to parse as a whole)."""
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return error.msg == "Extra data"
    return False


def convert_record(
    obj: object, source: SourceRef, convert: Converter | None
) -> RawRecord | Problem:
    """The record of one JSON value, by the forced converter or the one its keys call for."""
    if not isinstance(obj, dict):
        found = type(obj).__name__ if obj is not None else "null"
        return Problem(source.path, source.line, f"expected a JSON object, found {found}; skipped")
    if convert is None:
        if is_openalex_work(obj):
            convert = work_record
        elif is_semantic_scholar_paper(obj):
            convert = paper_record
        else:
            convert = plain_record
    return convert(obj, source)


def _items(text: str, document: object) -> Iterator[tuple[int, object]]:
    """(character offset, value) of each record; `text` is known to be valid JSON."""
    decoder = json.JSONDecoder()
    start = _skip(text, 0)
    if isinstance(document, list):
        yield from _array_items(text, start, decoder)
        return
    page_key = next(
        (
            key
            for key in _PAGE_KEYS
            if isinstance(document, dict) and isinstance(document.get(key), list)
        ),
        None,
    )
    if page_key is None:
        yield start, document
        return
    index = _skip(text, start + 1)
    while index < len(text) and text[index] == '"':
        key, index = decoder.raw_decode(text, index)
        index = _skip(text, _skip(text, index) + 1)
        if key == page_key and text[index] == "[":
            yield from _array_items(text, index, decoder)
            return
        _, index = decoder.raw_decode(text, index)
        index = _skip(text, _skip(text, index) + 1)


def _array_items(text: str, index: int, decoder: json.JSONDecoder) -> Iterator[tuple[int, object]]:
    index = _skip(text, index + 1)
    while text[index] != "]":
        value, end = decoder.raw_decode(text, index)
        yield index, value
        index = _skip(text, end)
        if text[index] == ",":
            index = _skip(text, index + 1)


def _skip(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()
