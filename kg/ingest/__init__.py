"""The ingest stage: read papers from files and folders of any supported format.

`ingest(paths)` reads every record, reports each one it cannot use as a
`Problem` (file, line, why), and merges records of the same paper into one
`Paper`. Every record is accounted for:
`records_read == len(papers) + merged + len(problems)`. A file that cannot be
read at all (empty, binary, of no known format) counts as one record and one Problem.

Each format is one module with `looks_like(head)` (over the file's first bytes)
and `read(file)`; READERS lists them all. A file's reader is chosen by its
extension and its content together; `-` reads standard input.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from kg.ingest import (
    abstract_list,
    arxiv_atom,
    bibtex,
    crossref,
    csl_json,
    csv_table,
    daily_papers,
    europe_pmc,
    hf_papers,
    jsonl,
    medline,
    openalex,
    plain_text,
    pubmed_xml,
    ris,
    semantic_scholar,
    wos,
)
from kg.ingest.files import (
    STDIN,
    InputError,
    InputFile,
    UnreadableFile,
    expand_paths,
    read_head,
)
from kg.ingest.identity import (
    Merged,
    MergedRecords,
    cached_record_keys,
    merge_after,
    merge_records,
    shared_key_hashes,
    single_paper,
)
from kg.ingest.input_cache import CachedRead, InputCache, Items, Keys
from kg.ingest.json_records import reads_json_lines
from kg.ingest.record import (
    RawRecord,
    clean_abstract,
    clean_title,
    is_placeholder_abstract,
    repair_text,
    undecodable_byte,
)
from kg.records import Paper, Problem

__all__ = ["FORMATS", "READERS", "IngestResult", "InputCache", "InputError", "Reader", "ingest"]


@dataclass(frozen=True)
class Reader:
    """One input format: its name (for --format), the extensions it claims, and its module's
    `looks_like(head) -> bool` and `read(file) -> Iterator[RawRecord | Problem]`."""

    name: str
    extensions: tuple[str, ...]
    looks_like: Callable[[str], bool]
    read: Callable[[InputFile], Iterator[RawRecord | Problem]]
    # Reads through `read_json`: JSON Lines from `InputFile.start_offset` on.
    json: bool = False


# Content is tried in this order: the most particular shapes first, prose last. Any JSON
# is read by `jsonl`, which tells each record's kind from its keys (a file may mix
# kinds); the JSON readers after it are there for --format, which fixes the kind.
READERS: tuple[Reader, ...] = (
    Reader("pubmed-xml", (".xml",), pubmed_xml.looks_like, pubmed_xml.read),
    Reader("arxiv-atom", (".atom", ".xml"), arxiv_atom.looks_like, arxiv_atom.read),
    Reader("medline", (".nbib", ".medline", ".txt"), medline.looks_like, medline.read),
    Reader("ris", (".ris", ".txt"), ris.looks_like, ris.read),
    Reader("wos", (".txt", ".ciw"), wos.looks_like, wos.read),
    Reader("bibtex", (".bib", ".bibtex"), bibtex.looks_like, bibtex.read),
    Reader("jsonl", (".json", ".jsonl", ".ndjson"), jsonl.looks_like, jsonl.read, json=True),
    Reader("crossref", (".json",), crossref.looks_like, crossref.read, json=True),
    Reader("europe-pmc", (".json",), europe_pmc.looks_like, europe_pmc.read, json=True),
    Reader("hf-papers", (".json",), hf_papers.looks_like, hf_papers.read, json=True),
    Reader("openalex", (".json", ".jsonl"), openalex.looks_like, openalex.read, json=True),
    Reader(
        "semantic-scholar",
        (".json", ".jsonl"),
        semantic_scholar.looks_like,
        semantic_scholar.read,
        json=True,
    ),
    Reader("csl-json", (".json",), csl_json.looks_like, csl_json.read, json=True),
    Reader("csv", (".csv", ".tsv", ".tab", ".txt"), csv_table.looks_like, csv_table.read),
    Reader("abstract-list", (".txt",), abstract_list.looks_like, abstract_list.read),
    Reader("daily-papers", (".txt",), daily_papers.looks_like, daily_papers.read),
    Reader("text", (".txt", ".text"), plain_text.looks_like, plain_text.read),
)
FORMATS: tuple[str, ...] = tuple(reader.name for reader in READERS)
_BY_NAME = {reader.name: reader for reader in READERS}
_PROSE = _BY_NAME["text"]
_KNOWN_EXTENSIONS = {extension for reader in READERS for extension in reader.extensions}
_PROGRESS_EVERY = 1000
# A file's records kept merged are kept again, with those appended since, once the appended
# ones are more than this share of them (each re-build merges those afresh).
MERGE_AGAIN = 8
# Field bounds a record must keep (abstracts have their own, `max_abstract_chars`).
MAX_TITLE_CHARS = 2_000
MAX_AUTHORS = 10_000
MAX_AUTHOR_CHARS = 1_000


@dataclass
class IngestResult:
    """The papers read (merged, sorted by id) and every record that was skipped, and why;
    with a cache, each paper's `paper_key` when the cache knew it (else None)."""

    papers: list[Paper] = field(default_factory=list)
    paper_keys: list[bytes | None] = field(default_factory=list, compare=False)
    problems: list[Problem] = field(default_factory=list)
    records_read: int = 0
    merged: int = 0


def ingest(
    paths: Sequence[str | os.PathLike],
    format: str | None = None,
    *,
    max_abstract_chars: int = 20_000,
    progress: Callable[[int], None] | None = None,
    cache: InputCache | None = None,
    appended: Callable[[list[Paper]], None] | None = None,
) -> IngestResult:
    """Read `paths` (files, folders, or `-` for standard input) as `format`, or each file by
    its own format.

    `progress`, if given, is called with the number of records read since its
    last call (as `tqdm.update` takes it). With a `cache`, a file read before (or the part
    of it read before, when it only grew) is taken from there; the result is the same.
    `appended`, if given, is called as soon as the lines appended to such a file are read,
    with the papers of their records as each would be alone: a re-build's new papers, most
    likely, known before every record is read and merged (a record merged with another
    becomes another paper).
    Raises InputError for input that is unusable as a whole.
    """
    if format is not None and format not in _BY_NAME:
        raise InputError(f"unknown format {format!r}; choose one of: {', '.join(FORMATS)}")
    result = IngestResult()
    records: list[RawRecord] = []
    keys: Keys = []  # the records' keys, as the cache keeps them
    unreported = 0
    # A file read alone through the cache: its first records may come merged (`before`).
    alone: tuple[InputFile, CachedRead, bool] | None = None
    with ExitStack() as scratch:
        stdin_folder = None
        if any(str(path) == STDIN for path in paths):
            stdin_folder = Path(scratch.enter_context(tempfile.TemporaryDirectory(prefix="kg-")))
        files = expand_paths(paths, stdin_folder)
        given_files = {Path(path) for path in paths if str(path) != STDIN and Path(path).is_file()}
        for file in files:
            in_folder = file.path not in given_files and file.path.parent != stdin_folder
            if cache is None:
                items: Iterable[RawRecord | Problem] = _read_file(
                    file, format, found_in_folder=in_folder, max_abstract_chars=max_abstract_chars
                )
            else:
                read = _read_cached(
                    cache,
                    file,
                    format,
                    found_in_folder=in_folder,
                    max_abstract_chars=max_abstract_chars,
                    appended=appended,
                    merged=len(files) == 1,
                )
                items, alone = read.items, (file, read, in_folder) if len(files) == 1 else None
                keys += read.keys
                if read.before is not None:
                    result.problems += read.before.problems
                    unreported += read.before.records + len(read.before.problems)
                    result.records_read += read.before.records + len(read.before.problems)
            for item in items:
                result.records_read += 1
                unreported += 1
                if isinstance(item, Problem):
                    result.problems.append(item)
                else:
                    records.append(item)
                if progress and unreported >= _PROGRESS_EVERY:
                    progress(unreported)
                    unreported = 0
    if progress and unreported:
        progress(unreported)
    merged: Merged | None = None
    whole = True  # `records` are all the records read, not only those after `before`
    if alone is not None and alone[1].before is not None:
        merged = merge_after(alone[1].before.merged, records, keys)
        whole = merged is None
        if merged is None:  # an appended record may merge with one before: merge them all
            records, keys, result.problems = _read_whole(cache, *alone, format, max_abstract_chars)
    result.papers, result.merged, paper_keys = merged or merge_records(
        records, keys if cache is not None else None
    )
    if cache is not None:
        result.paper_keys = paper_keys
        if alone is not None:
            _keep_merged(cache, alone[1], result, records, keys, whole)
        cache.save()
    return result


def _read_whole(
    cache: InputCache,
    file: InputFile,
    read: CachedRead,
    in_folder: bool,
    format: str | None,
    limit: int,
) -> tuple[list[RawRecord], Keys, list[Problem]]:
    """The records of a file whose first records came merged, their keys and the problems
    among them: from the cache, else (it cannot read them back) from the file."""
    whole = cache.read_whole(read, file.shown)
    if whole is None:
        fresh = list(_read_file(file, format, found_in_folder=in_folder, max_abstract_chars=limit))
        whole = fresh, [cached_record_keys(i) for i in fresh if isinstance(i, RawRecord)]
    records = [item for item in whole[0] if isinstance(item, RawRecord)]
    return records, whole[1], [item for item in whole[0] if isinstance(item, Problem)]


def _keep_merged(
    cache: InputCache,
    read: CachedRead,
    result: IngestResult,
    records: list[RawRecord],
    keys: Keys,
    whole: bool,
) -> None:
    """Have the cache keep the papers of a file read alone and cached whole (`records`, all
    its records or those after the ones it kept merged, and `result`, their merge): when it
    kept none merged, or fewer than MERGE_AGAIN times those after them."""
    if read.segments is None:
        return
    if whole:
        hashes = shared_key_hashes(records, keys)
    elif read.before is not None and len(records) * MERGE_AGAIN > read.before.records:
        hashes = shared_key_hashes(records, keys) | read.before.merged.key_hashes
    else:
        return
    merged = MergedRecords(result.papers, result.merged, result.paper_keys, frozenset(hashes))
    cache.keep_merged(read.segments, merged, result.problems)


def _read_file(
    file: InputFile, format: str | None, *, found_in_folder: bool, max_abstract_chars: int
) -> Iterator[RawRecord | Problem]:
    """The file's records, cleaned; a file that cannot be read (or read on) ends with one
    Problem."""
    try:
        reader = reader_for(file, format, found_in_folder=found_in_folder)
    except Exception as error:
        yield _unreadable(file, error)
        return
    for item in _read_with(reader, file):
        yield _clean(item, max_abstract_chars) if isinstance(item, RawRecord) else item


def _read_with(reader: Reader, file: InputFile) -> Iterator[RawRecord | Problem]:
    """The reader's records of the file; if reading fails, the records read and one Problem."""
    try:
        yield from reader.read(file)
    except Exception as error:
        yield _unreadable(file, error)


def _read_cached(
    cache: InputCache,
    file: InputFile,
    format: str | None,
    *,
    found_in_folder: bool,
    max_abstract_chars: int,
    appended: Callable[[list[Paper]], None] | None,
    merged: bool,
) -> CachedRead:
    """The file's items as `_read_file` gives them, and its records' keys: from the cache
    when it knows the file (or the start of it; then `appended` gets the papers of the rest),
    after the first records merged when `merged` and the cache kept them so."""
    try:
        reader = reader_for(file, format, found_in_folder=found_in_folder)
    except Exception as error:
        return CachedRead([_unreadable(file, error)], [], None, None)

    def read_items(part: InputFile) -> tuple[list[RawRecord | Problem], bool]:
        """The part's cleaned items, and whether the reader read to its end."""
        raw: list[RawRecord | Problem] = []
        finished = True
        try:
            raw.extend(reader.read(part))
        except Exception as error:
            raw.append(_unreadable(part, error))
            finished = False
        items = [_clean(i, max_abstract_chars) if isinstance(i, RawRecord) else i for i in raw]
        return items, finished

    def papers_alone(items: Items, keys: Keys) -> None:
        records = [item for item in items if isinstance(item, RawRecord)]
        appended(  # type: ignore[misc]  # passed on only when given
            [
                single_paper(record, record.identifiers(), abstract_hash)
                for record, (abstract_hash, _, _) in zip(records, keys, strict=True)
            ]
        )

    appendable = reader.json and reads_json_lines(file)
    variant = f"{reader.name}:{max_abstract_chars}"
    told = papers_alone if appended is not None else None
    return cache.read(file, variant, appendable, read_items, cached_record_keys, told, merged)


def _unreadable(file: InputFile, error: Exception) -> Problem:
    """The Problem that ends a file's records when reading it failed."""
    if isinstance(error, UnreadableFile):
        return Problem(file.shown, error.line, error.message)
    # A parser (ours, bibtexparser, rispy) failed in a way not foreseen: one file's surprise
    # must not cost the other files, so the records read stay.
    why = f"{type(error).__name__}: {error}"[:200]
    return Problem(file.shown, None, f"reading failed ({why}); rest of file skipped")


def reader_for(
    file: InputFile, format: str | None = None, *, found_in_folder: bool = False
) -> Reader:
    """The reader `format` names, or the first whose extension and content both fit,
    else the first whose content fits; never plain text for what is not prose."""
    suffix = file.suffix
    if found_in_folder and suffix not in _KNOWN_EXTENSIONS:
        raise UnreadableFile(
            f"not an input file (unknown extension {suffix or '(none)'!r}; "
            "name it explicitly or pass a format to read it); skipped"
        )
    head = read_head(file)
    if format is not None:
        reader = _BY_NAME[format]
        if not reader.looks_like(head):
            raise UnreadableFile(
                f"does not look like {format} (its first bytes: {head[:40].strip()!r}); "
                "file skipped (leave out --format to detect the format)"
            )
        return reader
    claiming = [reader for reader in READERS if suffix in reader.extensions]
    # Prose is the answer of last resort only where prose is expected.
    prose_allowed = suffix in _PROSE.extensions or suffix not in _KNOWN_EXTENSIONS
    others = [r for r in READERS if r not in claiming and (r is not _PROSE or prose_allowed)]
    for reader in claiming + others:
        if reader.looks_like(head):
            return reader
    expected = ", ".join(reader.name for reader in claiming) or "any format kg reads"
    raise UnreadableFile(
        f"unknown format: the content is not {expected} "
        f"(its first bytes: {head[:40].strip()!r}); file skipped"
    )


def _clean(record: RawRecord, max_abstract_chars: int) -> RawRecord | Problem:
    """Repair and fold the text, and refuse a record without a usable abstract or over a bound."""
    source = record.source
    title = clean_title(repair_text(record.title)) if record.title else None
    about = f" (title {title[:60]!r})" if title else ""
    texts = (record.abstract or "", record.title or "", *record.authors)
    for text in texts:
        if not text.isascii() and (byte := undecodable_byte(text)) is not None:
            return Problem(
                source.path,
                source.line,
                f"not UTF-8 text (byte 0x{byte:02x}){about}; record skipped",
            )
    abstract = clean_abstract(record.abstract, repair=True)
    if not abstract or is_placeholder_abstract(abstract):
        return Problem(source.path, source.line, f"record has no abstract{about}; skipped")
    too_long = (
        ("abstract", len(abstract), max_abstract_chars),
        ("title", len(title or ""), MAX_TITLE_CHARS),
        ("author list", len(record.authors), MAX_AUTHORS),
        ("author name", max(map(len, record.authors), default=0), MAX_AUTHOR_CHARS),
    )
    for what, size, limit in too_long:
        if size > limit:
            unit = "names" if what == "author list" else "characters"
            return Problem(
                source.path,
                source.line,
                f"{what} is {size} {unit}, over the limit of {limit}{about}; record skipped",
            )
    # Built directly rather than by dataclasses.replace: this runs once per record.
    return RawRecord(
        source,
        abstract,
        title,
        _repaired(record.url),
        record.year,
        tuple(repair_text(name) for name in record.authors),
        _repaired(record.doi),
        _repaired(record.arxiv_id),
        record.pmid,
        record.pmcid,
    )


def _repaired(text: str | None) -> str | None:
    return repair_text(text.strip()) or None if text else None
