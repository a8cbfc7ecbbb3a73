"""The ingest stage: read papers from files and folders of any supported format.

`ingest(paths)` reads every record, reports each one it cannot use as a
`Problem` (file, line, why), and merges records of the same paper into one
`Paper`. Every record is accounted for:
`records_read == len(papers) + merged + len(problems)`. A file that cannot be
read at all (empty, binary, not UTF-8) counts as one record and one Problem.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.ingest.abstract_list import parse_abstract_list
from kg.ingest.arxiv_atom import parse_arxiv_atom
from kg.ingest.bibtex import parse_bibtex
from kg.ingest.csv_table import parse_csv
from kg.ingest.daily_papers import parse_daily_papers
from kg.ingest.files import InputError, InputFile, UnreadableFile, expand_paths, read_text
from kg.ingest.identity import merge_records
from kg.ingest.json_container import (
    Converter,
    looks_like_json_lines,
    parse_json_document,
    read_json_lines,
)
from kg.ingest.openalex import work_record
from kg.ingest.plain_text import parse_plain_text
from kg.ingest.record import RawRecord, clean_abstract, clean_title
from kg.ingest.semantic_scholar import paper_record
from kg.ingest.sniff import detect_format
from kg.records import Paper, Problem

__all__ = ["FORMATS", "IngestResult", "InputError", "ingest"]

FORMATS: tuple[str, ...] = (
    "daily-papers",
    "abstract-list",
    "jsonl",
    "csv",
    "bibtex",
    "arxiv-atom",
    "openalex",
    "semantic-scholar",
    "text",
)
_PROGRESS_EVERY = 1000
_TEXT_PARSERS = {
    "daily-papers": parse_daily_papers,
    "abstract-list": parse_abstract_list,
    "text": parse_plain_text,
    "csv": parse_csv,
    "bibtex": parse_bibtex,
    "arxiv-atom": parse_arxiv_atom,
}
_JSON_CONVERTERS: dict[str, Converter | None] = {
    "jsonl": None,  # each record's kind (plain, OpenAlex, Semantic Scholar) read from its keys
    "openalex": work_record,
    "semantic-scholar": paper_record,
}
_LINE_EXTENSIONS = (".jsonl", ".ndjson")


@dataclass
class IngestResult:
    """The papers read (merged, sorted by id) and every record that was skipped, and why."""

    papers: list[Paper] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    records_read: int = 0
    merged: int = 0


def ingest(
    paths: Sequence[str | os.PathLike],
    format: str | None = None,
    *,
    max_abstract_chars: int = 20_000,
    progress: Callable[[int], None] | None = None,
) -> IngestResult:
    """Read `paths` (files or folders) as `format`, or each file by its own format.

    `progress`, if given, is called with the number of records read since its
    last call (as `tqdm.update` takes it). Raises InputError for input that is
    unusable as a whole.
    """
    if format is not None and format not in FORMATS:
        raise InputError(f"unknown format {format!r}; choose one of: {', '.join(FORMATS)}")
    files = expand_paths(paths)
    given_files = {Path(path) for path in paths if Path(path).is_file()}
    result = IngestResult()
    records: list[RawRecord] = []
    unreported = 0
    for file in files:
        for item in _read_file(file, format, found_in_folder=file.path not in given_files):
            result.records_read += 1
            unreported += 1
            if isinstance(item, RawRecord):
                item = _clean(item, max_abstract_chars)
            if isinstance(item, Problem):
                result.problems.append(item)
            else:
                records.append(item)
            if progress and unreported >= _PROGRESS_EVERY:
                progress(unreported)
                unreported = 0
    if progress and unreported:
        progress(unreported)
    result.papers, result.merged = merge_records(records)
    return result


def _read_file(
    file: InputFile, format: str | None, *, found_in_folder: bool
) -> Iterator[RawRecord | Problem]:
    """The file's records; a file that cannot be read (or read on) ends with one Problem."""
    try:
        name = format or detect_format(file, found_in_folder=found_in_folder)
        if name in _JSON_CONVERTERS:
            yield from _read_json(file, _JSON_CONVERTERS[name])
        else:
            yield from _TEXT_PARSERS[name](read_text(file), file.shown)
    except UnreadableFile as error:
        yield Problem(file.shown, error.line, error.message)


def _read_json(file: InputFile, convert: Converter | None) -> Iterator[RawRecord | Problem]:
    if file.name.endswith(_LINE_EXTENSIONS):
        yield from read_json_lines(file, convert)
        return
    text = read_text(file)
    if looks_like_json_lines(text):
        yield from read_json_lines(file, convert)
    else:
        yield from parse_json_document(text, file.shown, convert)


def _clean(record: RawRecord, max_abstract_chars: int) -> RawRecord | Problem:
    """Fold whitespace, and refuse a record without a usable abstract."""
    source = record.source
    abstract = clean_abstract(record.abstract)
    title = clean_title(record.title)
    about = f" (title {title[:60]!r})" if title else ""
    if not abstract:
        return Problem(source.path, source.line, f"record has no abstract{about}; skipped")
    if len(abstract) > max_abstract_chars:
        return Problem(
            source.path,
            source.line,
            f"abstract is {len(abstract)} characters, over the limit of {max_abstract_chars}"
            f"{about}; record skipped",
        )
    if not _is_valid_unicode(abstract) or (title and not _is_valid_unicode(title)):
        return Problem(
            source.path, source.line, f"text holds an unpaired surrogate{about}; record skipped"
        )
    # Built directly rather than by dataclasses.replace: this runs once per record.
    return RawRecord(
        source,
        abstract,
        title,
        record.url,
        record.year,
        record.authors,
        record.doi,
        record.arxiv_id,
    )


def _is_valid_unicode(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
