"""The parsed-input cache: each input file's cleaned records and problems, kept between builds.

A file is known by the SHA-256 of its bytes (as stored: a `.gz` file by its compressed
bytes), the reader that reads it and the abstract bound. A re-build finds there what an
unchanged file holds without parsing it; a JSON Lines file that only grew since (the
daily-papers case) is matched by the hash of its first bytes, its known part taken from
the cache and only the appended lines read. Problems are kept with the records, so a
re-read reports them as a fresh read does, at the same lines.

Layout, in `directory`/ingest/: `index.json` (the code fingerprint, and each known file:
its hash, size, lines and the segments that hold its items) and one `.seg` file per
segment (a file read at once, or what was appended to one). A segment is a JSON header
(the records' other fields column by column, their identity keys, the problems) followed
by each record's extraction cache key (`paper_key` of its paper alone: 32 bytes) and the
abstracts as UTF-8, each part checked by a CRC-32, every field by its type; never a
pickle, so a cache folder cannot run code. Abstracts are not compressed: inflating 100 MB
costs half a second, which is what the cache is there to save. A file that fails a check
is reported, and the input is read afresh and cached again.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import uuid
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate, repeat
from pathlib import Path

from kg.fingerprint import source_digest
from kg.ingest.files import HEAD_BYTES, InputFile
from kg.ingest.record import RawRecord
from kg.records import Problem, SourceRef

__all__ = ["INPUT_CACHE_FOLDER", "InputCache", "Items", "Keys", "ingest_fingerprint"]

INPUT_CACHE_FOLDER = "ingest"
INDEX_FILE = "index.json"
APPLICATION = "kg parsed-input cache"
# Bump when the layout of the index or of a segment changes.
FORMAT_VERSION = "2"
SEGMENT_MAGIC = b"kg ingest segment 2\n"
INGEST_DIR = Path(__file__).resolve().parent
RECORDS_FILE = INGEST_DIR.parent / "records.py"
# A file grown many times is kept as one segment again past this many.
MAX_SEGMENTS = 16
_CHUNK_BYTES = 1 << 20
# Each record's paper key (a SHA-256 digest), kept before the abstracts.
PAPER_KEY_BYTES = 32
# A record's text fields besides the abstract, in the order RawRecord takes them.
_TEXT_FIELDS = ("title", "url", "doi", "arxiv_id", "pmid", "pmcid")

Items = list[RawRecord | Problem]
# Each record's abstract and title keys, and the extraction cache key of its paper alone.
Keys = list[tuple[str, str | None, bytes]]
# Reads a file's cleaned items from `start_offset` on: (items, whether the read finished).
ReadItems = Callable[[InputFile], tuple[Items, bool]]
KeysOf = Callable[[RawRecord], tuple[str, str | None, bytes]]
# Told what was appended to a known file, as soon as it is read: its items and their keys.
Appended = Callable[[Items, Keys], None]


class _Corrupt(Exception):
    """A cache file that does not read back as what was written."""


def ingest_fingerprint() -> str:
    """A hash of the code that turns input into records: kg/ingest/** and kg/records.py."""
    code = source_digest([*INGEST_DIR.rglob("*.py"), RECORDS_FILE], INGEST_DIR.parent)
    return hashlib.sha256(f"{FORMAT_VERSION}\0{code}".encode()).hexdigest()


@dataclass(frozen=True)
class _Entry:
    """One file read before: what it read as, its bytes, and the segments of its items."""

    variant: str  # reader and abstract bound
    digest: str
    head: str  # SHA-256 of the first HEAD_BYTES bytes
    size: int
    lines: int  # newlines in the file (counted when appendable, else 0)
    appendable: bool  # read as JSON Lines to its end, ending with a newline, not gzip
    segments: tuple[str, ...]

    def as_json(self) -> dict:
        return {**self.__dict__, "segments": list(self.segments)}


@dataclass
class _Scan:
    """A pass over a file's bytes: its hashes, size and last byte; digests at `marks` sizes."""

    digest: str
    head: str
    size: int
    ends_with_newline: bool
    gzip: bool
    at_marks: dict[int, str]


class InputCache:
    """Parsed input files in `directory`/ingest/, for this version of the ingest code.

    `files_reused` and `records_reused` count this build's hits; `warnings` holds what a
    user should hear (a corrupt or unwritable cache, read around).
    """

    def __init__(self, directory: str | os.PathLike, fingerprint: str | None = None):
        self.folder = Path(directory) / INPUT_CACHE_FOLDER
        self.fingerprint = fingerprint or ingest_fingerprint()
        self.files_reused = 0
        self.records_reused = 0
        self.warnings: list[str] = []
        self._entries: list[_Entry] | None = None
        self._used: list[_Entry] = []
        self._disabled = False

    def read(
        self,
        file: InputFile,
        variant: str,
        appendable: bool,
        read_items: ReadItems,
        keys_of: KeysOf,
        appended: Appended | None = None,
    ) -> tuple[Items, Keys]:
        """The file's items (records cleaned, problems in place) and its records' keys.

        `variant` names how the file is read (reader, bounds); `appendable` says the reader
        reads it as JSON Lines, so that lines appended to it can be read alone. When only
        such lines are new, `appended` is given their items and keys as soon as they are read.
        """
        entries = self._load_index()
        candidates = [e for e in entries if e.variant == variant]
        try:
            scan = _scan(file.path, {e.size for e in candidates if e.appendable})
        except OSError:  # the reader reports it, at the line it fails
            items, _ = read_items(file)
            return items, [keys_of(item) for item in items if isinstance(item, RawRecord)]
        same = next((e for e in candidates if e.digest == scan.digest), None)
        if same is not None:
            loaded = self._load(same, file.shown)
            if loaded is not None:
                self._used.append(same)
                self.files_reused += 1
                self.records_reused += sum(isinstance(item, RawRecord) for item in loaded[0])
                return loaded
        bases = [
            e
            for e in candidates
            if appendable
            and e.appendable
            and not scan.gzip
            and HEAD_BYTES <= e.size < scan.size
            and e.head == scan.head
            and scan.at_marks.get(e.size) == e.digest
        ]
        base = max(bases, key=lambda e: e.size, default=None)
        known: tuple[Items, Keys] | None = None
        if base is not None and len(base.segments) < MAX_SEGMENTS:
            known = self._load(base, file.shown)
        if known is None:
            items, finished = read_items(file)
            keys = [keys_of(item) for item in items if isinstance(item, RawRecord)]
            segments = (self._write_segment(items, keys),)
        else:
            tail = InputFile(file.shown, file.path, base.size, base.lines)
            new_items, finished = read_items(tail)
            new_keys = [keys_of(item) for item in new_items if isinstance(item, RawRecord)]
            if appended is not None:
                appended(new_items, new_keys)
            segments = (*base.segments, self._write_segment(new_items, new_keys))
            items, keys = known[0] + new_items, known[1] + new_keys
            self.files_reused += 1
            self.records_reused += len(known[1])
        if finished and all(segments):
            appendable = appendable and scan.ends_with_newline and not scan.gzip
            lines = 0
            if appendable:  # where a read of what is appended next starts counting lines
                lines = (
                    _newlines(file.path, base.size) + base.lines
                    if known
                    else _newlines(file.path, 0)
                )
            entry = _Entry(
                variant,
                scan.digest,
                scan.head,
                scan.size,
                lines,
                appendable,
                segments,  # type: ignore[arg-type]  # all() above: no segment is None
            )
            self._used.append(entry)
        return items, keys

    def save(self) -> None:
        """Write the index of this build's files (and of the earlier, shorter versions that
        share their segments); remove every segment no longer named."""
        if self._disabled or not self._used:
            return
        kept_segments = {name for entry in self._used for name in entry.segments}
        kept = list(self._used)
        for entry in self._entries or []:
            if entry not in kept and set(entry.segments) <= kept_segments:
                kept.append(entry)
        index = {
            "application": APPLICATION,
            "fingerprint": self.fingerprint,
            "files": [entry.as_json() for entry in kept],
        }
        try:
            _write_atomically(self.folder / INDEX_FILE, [json.dumps(index).encode()])
            for path in self.folder.glob("*.seg"):
                if path.stem not in kept_segments:
                    path.unlink(missing_ok=True)
        except OSError as error:
            self._give_up(f"cannot be written ({error})")

    def _load_index(self) -> list[_Entry]:
        if self._entries is None:
            self._entries = []
            path = self.folder / INDEX_FILE
            try:
                index = json.loads(path.read_bytes())
                if index.get("application") != APPLICATION:
                    raise _Corrupt("written by another program")
                if index.get("fingerprint") == self.fingerprint:
                    self._entries = [_entry(fields) for fields in index["files"]]
            except FileNotFoundError:
                pass
            except OSError as error:
                self._give_up(f"cannot be read ({error})")
            except (_Corrupt, ValueError, TypeError, KeyError, AttributeError) as error:
                self.warnings.append(
                    f"cache {path} is corrupt ({type(error).__name__}: {error}); "
                    "read the input afresh"
                )
        return self._entries

    def _load(self, entry: _Entry, shown: str) -> tuple[Items, Keys] | None:
        """The entry's items, their paths `shown`; None (and a warning) if a segment is bad."""
        items: Items = []
        keys: Keys = []
        for name in entry.segments:
            path = self.folder / f"{name}.seg"
            try:
                _read_segment(path, shown, items, keys)
            except (OSError, ValueError, _Corrupt) as error:
                self.warnings.append(
                    f"cache {path} is corrupt or unreadable ({error}); read {shown} afresh"
                )
                return None
        return items, keys

    def _write_segment(self, items: Items, keys: Keys) -> str | None:
        """The new segment's name; None when it cannot be written (and said so)."""
        if self._disabled:
            return None
        name = uuid.uuid4().hex
        try:
            pieces = _segment_pieces(items, keys)
        except UnicodeEncodeError:  # ingest repairs text, so this is not expected: not cached
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.folder / f"{name}.seg", pieces)
        except OSError as error:
            self._give_up(f"cannot be written ({error})")
            return None
        return name

    def _give_up(self, why: str) -> None:
        """Go on without the cache for this build, and leave its files as they are."""
        if not self._disabled:
            self._disabled = True
            self.warnings.append(f"cache {self.folder} {why}; not caching parsed input")


def _entry(fields: dict) -> _Entry:
    entry = _Entry(**{**fields, "segments": tuple(fields["segments"])})
    texts = (entry.variant, entry.digest, entry.head)
    numbers = (entry.size, entry.lines)
    if not all(type(text) is str for text in texts) or type(entry.appendable) is not bool:
        raise _Corrupt("a file entry holds a field that is not one")
    if not all(type(n) is int and n >= 0 for n in numbers):
        raise _Corrupt("a file entry holds a size that is not one")
    # Segment names become file names: only the names this cache makes (uuid4 hex).
    if not entry.segments or not all(_is_segment_name(name) for name in entry.segments):
        raise _Corrupt("a file entry names a segment this cache did not make")
    return entry


def _is_segment_name(name: object) -> bool:
    return type(name) is str and len(name) == 32 and all(c in "0123456789abcdef" for c in name)


def _scan(path: Path, marks: Iterable[int]) -> _Scan:
    """Hash the file in one pass, taking the digest of its first `mark` bytes for each mark.

    The file is mapped, not read: hashing the pages where they lie spares a copy of them.
    """
    digest = hashlib.sha256()
    at_marks: dict[int, str] = {}
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if not size:
            return _Scan(digest.hexdigest(), digest.hexdigest(), 0, False, False, {})
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            view = memoryview(mapped)
            try:
                done = 0
                for mark in sorted({mark for mark in marks if 0 < mark <= size}):
                    digest.update(view[done:mark])
                    at_marks[mark] = digest.hexdigest()
                    done = mark
                digest.update(view[done:])
                head = hashlib.sha256(view[:HEAD_BYTES]).hexdigest()
                gzip = view[:2] == b"\x1f\x8b"
                ends_with_newline = view[-1:] == b"\n"
            finally:
                view.release()
    return _Scan(digest.hexdigest(), head, size, ends_with_newline, gzip, at_marks)


def _newlines(path: Path, start: int) -> int:
    """The newlines in the file from byte `start` on."""
    count = 0
    with path.open("rb") as handle:
        handle.seek(start)
        while chunk := handle.read(_CHUNK_BYTES):
            count += chunk.count(b"\n")
    return count


def _segment_pieces(items: Items, keys: Keys) -> list[bytes]:
    """A segment, in the pieces to write one after the other: the magic line, the header's
    length and CRC, the header (the records' fields column by column, the problems), the
    records' paper keys, then each abstract as UTF-8 (not joined: a copy of 100 MB spared)."""
    records = [item for item in items if isinstance(item, RawRecord)]
    abstracts = [(record.abstract or "").encode("utf-8") for record in records]
    paper_keys = b"".join(paper_key for _, _, paper_key in keys)
    text_crc32 = zlib.crc32(paper_keys)
    for abstract in abstracts:
        text_crc32 = zlib.crc32(abstract, text_crc32)
    columns = {name: [getattr(record, name) for record in records] for name in _TEXT_FIELDS}
    header = {
        "lines": [record.source.line for record in records],
        "years": [record.year for record in records],
        "authors": [list(record.authors) for record in records],
        **columns,
        "abstract_keys": [abstract_key for abstract_key, _, _ in keys],
        "title_keys": [title_key for _, title_key, _ in keys],
        "problems": [
            [position, item.line, item.message]
            for position, item in enumerate(items)
            if isinstance(item, Problem)
        ],
        "abstract_bytes": list(map(len, abstracts)),
        "text_crc32": text_crc32,
    }
    # ASCII JSON: a problem's message may quote a byte that is no UTF-8 (as a surrogate).
    encoded = json.dumps(header, separators=(",", ":")).encode("ascii")
    length = f"{len(encoded)} {zlib.crc32(encoded)}\n".encode()
    return [SEGMENT_MAGIC + length, encoded, paper_keys, *abstracts]


def _read_segment(path: Path, shown: str, items: Items, keys: Keys) -> None:
    """Append the segment's items (their paths `shown`) and keys; _Corrupt if it is not one.

    The file is mapped, not read: each abstract is decoded from its pages directly.
    """
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size < len(SEGMENT_MAGIC):
            raise _Corrupt("not a segment of this version")
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            data = memoryview(mapped)
            try:
                _decode_segment(data, shown, items, keys)
            finally:  # the map closes only when no view of it is left
                data.release()


def _decode_segment(data: memoryview, shown: str, items: Items, keys: Keys) -> None:
    encoded = text = None
    try:
        if data[: len(SEGMENT_MAGIC)] != SEGMENT_MAGIC:
            raise _Corrupt("not a segment of this version")
        end = bytes(data[: len(SEGMENT_MAGIC) + 40]).index(b"\n", len(SEGMENT_MAGIC))
        length, crc = map(int, bytes(data[len(SEGMENT_MAGIC) : end]).split())
        encoded = data[end + 1 : end + 1 + length]
        text = data[end + 1 + length :]
        if len(encoded) != length or zlib.crc32(encoded) != crc:
            raise _Corrupt("the header is cut short or damaged")
        header = json.loads(bytes(encoded))
        sizes = header["abstract_bytes"]
        _check_types(sizes, {int})
        keys_end = PAPER_KEY_BYTES * len(sizes)
        if zlib.crc32(text) != header["text_crc32"] or keys_end + sum(sizes) != len(text):
            raise _Corrupt("the paper keys or abstracts are cut short or damaged")
        if min(sizes, default=0) < 0:
            raise _Corrupt("an abstract's size is not one")
        columns = [header[name] for name in _TEXT_FIELDS]
        lines, years, authors = header["lines"], header["years"], header["authors"]
        abstract_keys, title_keys = header["abstract_keys"], header["title_keys"]
        _check_types(lines, {int})
        _check_types(years, {int, type(None)})
        _check_types(authors, {list})
        _check_types([name for names in authors for name in names], {str})
        _check_types(abstract_keys, {str})
        for column in (*columns, title_keys):
            _check_types(column, {str, type(None)})
        count = len(lines)
        if any(len(column) != count for column in (years, authors, sizes, *columns, title_keys)):
            raise _Corrupt("the columns differ in length")
        paper_keys = bytes(text[:keys_end])
        ends = list(accumulate(sizes, initial=keys_end))
        abstracts = list(
            map(str, map(text.__getitem__, map(slice, ends, ends[1:])), repeat("utf-8"))
        )
        sources = list(map(SourceRef, repeat(shown, count), lines))
        records = list(
            map(
                RawRecord,
                sources,
                abstracts,
                columns[0],
                columns[1],
                years,
                map(tuple, authors),
                *columns[2:],
            )
        )
        # Problems go back where they were met, among the records.
        read: Items = []
        taken = 0
        for position, line, message in header["problems"]:
            if not (type(position) is int and type(message) is str):
                raise _Corrupt("a problem is not (position, line, message)")
            before = position - len(read)  # records between the last problem and this one
            if not (line is None or type(line) is int) or not 0 <= before <= count - taken:
                raise _Corrupt("a problem's line or position is not one")
            read += records[taken : taken + before]
            taken += before
            read.append(Problem(shown, line, message))
        items += read
        items += records[taken:]
        paper_key_starts = range(0, keys_end, PAPER_KEY_BYTES)
        keys += zip(
            abstract_keys,
            title_keys,
            [paper_keys[start : start + PAPER_KEY_BYTES] for start in paper_key_starts],
            strict=True,
        )
    except _Corrupt:
        raise
    except (ValueError, TypeError, KeyError, IndexError, UnicodeDecodeError) as error:
        # Not chained: the traceback would keep views of the map open.
        raise _Corrupt(f"{type(error).__name__}: {error}") from None
    finally:
        for view in (encoded, text):
            if view is not None:
                view.release()


def _check_types(column: object, allowed: set[type]) -> None:
    """A list whose every value is of an allowed type (the CRCs catch damage; this, a file
    that was not written by this code)."""
    if type(column) is not list or not set(map(type, column)) <= allowed:
        raise _Corrupt("a column holds a value of the wrong type")


def _write_atomically(path: Path, pieces: list[bytes]) -> None:
    """Write to a temporary file beside `path`, then rename it over: never half a file."""
    temporary = path.with_name(f".tmp-{uuid.uuid4().hex}")  # opened as any file: the umask holds
    try:
        with temporary.open("xb", buffering=_CHUNK_BYTES) as out:
            out.writelines(pieces)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
