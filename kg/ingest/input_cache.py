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

A file's records are also kept merged (`merge_records`' papers, and hashes of the keys
records merge by) in a `.merged` file, named in the index with the segments it merged: a
re-build of a file that grew merges only the appended records and folds them in
(`merge_after`), when none of them can merge with a record before; the layout is a
segment's (a checked JSON header of columns, then the paper keys, the key hashes and the
abstracts).
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import sys
import uuid
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import accumulate, pairwise, repeat
from pathlib import Path
from typing import BinaryIO

from kg.fingerprint import source_digest
from kg.ingest.files import HEAD_BYTES, InputFile
from kg.ingest.identity import MergedRecords
from kg.ingest.record import RawRecord
from kg.records import Paper, Problem, SourceRef

__all__ = [
    "INPUT_CACHE_FOLDER",
    "CachedRead",
    "InputCache",
    "Items",
    "Keys",
    "MergedBefore",
    "ingest_fingerprint",
]

INPUT_CACHE_FOLDER = "ingest"
INDEX_FILE = "index.json"
APPLICATION = "kg parsed-input cache"
# Bump when the layout of the index or of a segment changes.
FORMAT_VERSION = "3"
SEGMENT_MAGIC = b"kg ingest segment 2\n"
MERGED_MAGIC = b"kg ingest merged 1\n"
INGEST_DIR = Path(__file__).resolve().parent
RECORDS_FILE = INGEST_DIR.parent / "records.py"
# A file grown many times is kept as one segment again past this many.
MAX_SEGMENTS = 16
_CHUNK_BYTES = 1 << 20
# Each record's paper key (a SHA-256 digest), kept before the abstracts.
PAPER_KEY_BYTES = 32
# Each key hash (`shared_key_hashes`), little-endian.
KEY_HASH_BYTES = 8
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


@dataclass(frozen=True)
class _MergedEntry:
    """The records of `segments` (in order), merged, kept in `name`.merged."""

    segments: tuple[str, ...]
    name: str

    def as_json(self) -> dict:
        return {"segments": list(self.segments), "name": self.name}


@dataclass(frozen=True)
class MergedBefore:
    """The first records of a file, merged: what merge_records made of them, the problems
    met among them (in order) and how many records they are."""

    merged: MergedRecords
    problems: list[Problem]
    records: int
    entry: _MergedEntry


@dataclass(frozen=True)
class CachedRead:
    """A file's items and their records' keys, as `InputCache.read` gives them: after
    `before` (the first records, merged) when it is given, else all; `segments` hold them
    all when the file is cached whole now."""

    items: Items
    keys: Keys
    before: MergedBefore | None
    segments: tuple[str, ...] | None


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
        self._merged: list[_MergedEntry] = []
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
        merged: bool = False,
    ) -> CachedRead:
        """The file's items (records cleaned, problems in place) and its records' keys.

        `variant` names how the file is read (reader, bounds); `appendable` says the reader
        reads it as JSON Lines, so that lines appended to it can be read alone. When only
        such lines are new, `appended` is given their items and keys as soon as they are read.
        With `merged`, the first records come merged when the cache kept them so (then the
        items are those after them).
        """
        entries = self._load_index()
        candidates = [e for e in entries if e.variant == variant]
        try:
            scan = _scan(file.path, {e.size for e in candidates if e.appendable})
        except OSError:  # the reader reports it, at the line it fails
            items, _ = read_items(file)
            keys = [keys_of(item) for item in items if isinstance(item, RawRecord)]
            return CachedRead(items, keys, None, None)
        same = next((e for e in candidates if e.digest == scan.digest), None)
        if same is not None:
            loaded = self._load_known(same.segments, file.shown, merged)
            if loaded is not None:
                self._used.append(same)
                self.files_reused += 1
                self.records_reused += _records_in(loaded)
                return CachedRead(*loaded, same.segments)
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
        known: tuple[Items, Keys, MergedBefore | None] | None = None
        if base is not None and len(base.segments) < MAX_SEGMENTS:
            # The appended lines first: `appended` has them before what was known is loaded.
            tail = InputFile(file.shown, file.path, base.size, base.lines)
            new_items, finished = read_items(tail)
            new_keys = [keys_of(item) for item in new_items if isinstance(item, RawRecord)]
            if appended is not None:
                appended(new_items, new_keys)
            known = self._load_known(base.segments, file.shown, merged)
        before = None
        if known is None:
            items, finished = read_items(file)
            keys = [keys_of(item) for item in items if isinstance(item, RawRecord)]
            segments = (self._write_segment(items, keys),)
        else:
            segments = (*base.segments, self._write_segment(new_items, new_keys))
            items, keys, before = known[0] + new_items, known[1] + new_keys, known[2]
            self.files_reused += 1
            self.records_reused += _records_in(known)
        if not (finished and all(segments)):
            return CachedRead(items, keys, before, None)
        appendable = appendable and scan.ends_with_newline and not scan.gzip
        lines = 0
        if appendable:  # where a read of what is appended next starts counting lines
            lines = (
                _newlines(file.path, base.size) + base.lines if known else _newlines(file.path, 0)
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
        return CachedRead(items, keys, before, entry.segments)

    def read_whole(self, read: CachedRead, shown: str) -> tuple[Items, Keys] | None:
        """All the items of a read whose first records came merged (`read.before`), and their
        keys; None (and a warning) when a segment of those first records is bad."""
        assert read.before is not None
        loaded = self._load_segments(read.before.entry.segments, shown)
        if loaded is None:
            return None
        return loaded[0] + read.items, loaded[1] + read.keys

    def keep_merged(
        self, segments: tuple[str, ...], merged: MergedRecords, problems: list[Problem]
    ) -> None:
        """Keep what merge_records made of the records of `segments` (with `problems`, the
        problems among them), for a later read of the file they begin."""
        if self._disabled:
            return
        name = uuid.uuid4().hex
        try:
            pieces = _merged_pieces(merged, problems)
        except UnicodeEncodeError:  # ingest repairs text, so this is not expected: not kept
            return
        try:
            _write_atomically(self.folder / f"{name}.merged", pieces)
        except OSError as error:
            self._give_up(f"cannot be written ({error})")
            return
        self._merged.append(_MergedEntry(segments, name))

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
        # For each file read, the merged records of the most of its segments (the newest).
        merged: dict[tuple[str, ...], _MergedEntry] = {}
        for entry in self._used:
            runs = [m for m in self._merged if entry.segments[: len(m.segments)] == m.segments]
            if runs:
                longest = max(reversed(runs), key=lambda m: len(m.segments))
                merged[longest.segments] = longest
        index = {
            "application": APPLICATION,
            "fingerprint": self.fingerprint,
            "files": [entry.as_json() for entry in kept],
            "merged": [entry.as_json() for entry in merged.values()],
        }
        kept_merged = {entry.name for entry in merged.values()}
        try:
            _write_atomically(self.folder / INDEX_FILE, [json.dumps(index).encode()])
            for path in self.folder.glob("*.seg"):
                if path.stem not in kept_segments:
                    path.unlink(missing_ok=True)
            for path in self.folder.glob("*.merged"):
                if path.stem not in kept_merged:
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
                    self._merged = [_merged_entry(fields) for fields in index["merged"]]
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

    def _load_known(
        self, segments: tuple[str, ...], shown: str, merged: bool
    ) -> tuple[Items, Keys, MergedBefore | None] | None:
        """The items of `segments` (their paths `shown`) and their keys: with `merged`, after
        the first ones that the cache kept merged, if it did (and can read them); None (and
        a warning) if a segment is bad."""
        before = None
        if merged:
            runs = [m for m in self._merged if segments[: len(m.segments)] == m.segments]
            for entry in sorted(runs, key=lambda m: len(m.segments), reverse=True):
                before = self._load_merged(entry, shown)
                if before is not None:
                    break
        rest = segments[len(before.entry.segments) :] if before is not None else segments
        loaded = self._load_segments(rest, shown)
        return None if loaded is None else (*loaded, before)

    def _load_merged(self, entry: _MergedEntry, shown: str) -> MergedBefore | None:
        path = self.folder / f"{entry.name}.merged"
        try:
            with path.open("rb") as handle, _mapped(handle) as data:
                return _decode_merged(data, shown, entry)
        except (OSError, ValueError, _Corrupt) as error:
            self.warnings.append(
                f"cache {path} is corrupt or unreadable ({error}); merged {shown} afresh"
            )
            self._merged.remove(entry)
            return None

    def _load_segments(self, segments: tuple[str, ...], shown: str) -> tuple[Items, Keys] | None:
        """The segments' items, their paths `shown`; None (and a warning) if one is bad."""
        items: Items = []
        keys: Keys = []
        for name in segments:
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


def _merged_entry(fields: dict) -> _MergedEntry:
    entry = _MergedEntry(tuple(fields["segments"]), fields["name"])
    names = (*entry.segments, entry.name)
    if not entry.segments or not all(_is_segment_name(name) for name in names):
        raise _Corrupt("a merged entry names a file this cache did not make")
    return entry


def _records_in(loaded: tuple[Items, Keys, MergedBefore | None]) -> int:
    before = loaded[2]
    return len(loaded[1]) + (before.records if before is not None else 0)


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
    """Append the segment's items (their paths `shown`) and keys; _Corrupt if it is not one."""
    with path.open("rb") as handle, _mapped(handle) as data:
        _decode_segment(data, shown, items, keys)


@contextmanager
def _mapped(handle: BinaryIO) -> Iterator[memoryview]:
    """A view of the file's bytes where they lie (mapped, not read: each abstract is decoded
    from its pages directly); _Corrupt for a file too short to be one of ours."""
    if os.fstat(handle.fileno()).st_size < len(SEGMENT_MAGIC):
        raise _Corrupt("not a file of this version")
    with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        data = memoryview(mapped)
        try:
            yield data
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


def _merged_pieces(merged: MergedRecords, problems: list[Problem]) -> list[bytes]:
    """A merged file, in pieces as a segment's: the magic line, the header's length and CRC,
    the header (the papers' fields column by column, the problems), then the paper keys
    known, the key hashes and each paper's abstract as UTF-8."""
    papers = merged.papers
    abstracts = [paper.abstract.encode("utf-8") for paper in papers]
    paper_keys = b"".join(key for key in merged.paper_keys if key is not None)
    hashes = array("Q", sorted(merged.key_hashes))
    if sys.byteorder != "little":
        hashes.byteswap()
    binary = [paper_keys, hashes.tobytes(), *abstracts]
    binary_crc32 = 0
    for piece in binary:
        binary_crc32 = zlib.crc32(piece, binary_crc32)
    header = {
        "ids": [paper.id for paper in papers],
        "titles": [paper.title for paper in papers],
        "urls": [paper.url for paper in papers],
        "years": [paper.year for paper in papers],
        "authors": [list(paper.authors) for paper in papers],
        "dois": [paper.doi for paper in papers],
        "arxiv_ids": [paper.arxiv_id for paper in papers],
        "identifiers": [list(paper.identifiers) for paper in papers],
        "lines": [source.line for paper in papers for source in paper.sources],
        "sources": [len(paper.sources) for paper in papers],
        "keyed": [key is not None for key in merged.paper_keys],
        "merged": merged.merged,
        "hashes": len(hashes),
        "problems": [[problem.line, problem.message] for problem in problems],
        "abstract_bytes": list(map(len, abstracts)),
        "binary_crc32": binary_crc32,
    }
    encoded = json.dumps(header, separators=(",", ":")).encode("ascii")
    length = f"{len(encoded)} {zlib.crc32(encoded)}\n".encode()
    return [MERGED_MAGIC + length, encoded, *binary]


def _decode_merged(data: memoryview, shown: str, entry: _MergedEntry) -> MergedBefore:
    """The merged records a merged file holds, their paths `shown`; _Corrupt if it is not one."""
    encoded = binary = None
    try:
        if data[: len(MERGED_MAGIC)] != MERGED_MAGIC:
            raise _Corrupt("not a merged file of this version")
        end = bytes(data[: len(MERGED_MAGIC) + 40]).index(b"\n", len(MERGED_MAGIC))
        length, crc = map(int, bytes(data[len(MERGED_MAGIC) : end]).split())
        encoded = data[end + 1 : end + 1 + length]
        binary = data[end + 1 + length :]
        if len(encoded) != length or zlib.crc32(encoded) != crc:
            raise _Corrupt("the header is cut short or damaged")
        header = json.loads(bytes(encoded))
        sizes, keyed, hash_count = header["abstract_bytes"], header["keyed"], header["hashes"]
        merged, problems = header["merged"], header["problems"]
        ids, lines, sources_of, authors, identifiers = (
            header["ids"],
            header["lines"],
            header["sources"],
            header["authors"],
            header["identifiers"],
        )
        texts = [header[name] for name in ("titles", "urls", "dois", "arxiv_ids")]
        _check_types(sizes, {int})
        _check_types(lines, {int})
        _check_types(sources_of, {int})
        _check_types(keyed, {bool})
        _check_types(ids, {str})
        _check_types(header["years"], {int, type(None)})
        for column in texts:
            _check_types(column, {str, type(None)})
        for nested, kind in ((authors, str), (identifiers, str)):
            _check_types(nested, {list})
            _check_types([value for values in nested for value in values], {kind})
        _check_types(problems, {list})
        if not (type(merged) is int and type(hash_count) is int and merged >= 0 <= hash_count):
            raise _Corrupt("a count is not one")
        count = len(ids)
        columns = (sizes, keyed, sources_of, authors, identifiers, header["years"], *texts)
        if any(len(column) != count for column in columns) or min(sizes, default=0) < 0:
            raise _Corrupt("the columns differ in length, or a size is not one")
        if sum(sources_of) != len(lines) or min(sources_of, default=1) < 1:
            raise _Corrupt("a paper's count of sources is not one")
        keys_end = PAPER_KEY_BYTES * sum(keyed)
        hashes_end = keys_end + KEY_HASH_BYTES * hash_count
        if zlib.crc32(binary) != header["binary_crc32"] or hashes_end + sum(sizes) != len(binary):
            raise _Corrupt("the paper keys, key hashes or abstracts are cut short or damaged")
        hashes = array("Q")
        hashes.frombytes(binary[keys_end:hashes_end])
        if sys.byteorder != "little":
            hashes.byteswap()
        paper_keys: list[bytes | None] = []
        start = 0
        known_keys = bytes(binary[:keys_end])
        for has_key in keyed:
            if has_key:
                paper_keys.append(known_keys[start : start + PAPER_KEY_BYTES])
                start += PAPER_KEY_BYTES
            else:
                paper_keys.append(None)
        ends = list(accumulate(sizes, initial=hashes_end))
        abstracts = map(str, map(binary.__getitem__, map(slice, ends, ends[1:])), repeat("utf-8"))
        refs = list(map(SourceRef, repeat(shown), lines))
        if len(refs) == count:  # one record a paper (most papers, or all)
            sources: list[tuple[SourceRef, ...]] = list(zip(refs))
        else:
            starts = list(accumulate(sources_of, initial=0))
            sources = [tuple(refs[start:end]) for start, end in pairwise(starts)]
        papers = list(
            map(
                Paper,
                ids,
                texts[0],
                abstracts,
                sources,
                texts[1],
                header["years"],
                map(tuple, authors),
                texts[2],
                texts[3],
                map(tuple, identifiers),
            )
        )
        read: list[Problem] = []
        for line, message in problems:
            if not ((line is None or type(line) is int) and type(message) is str):
                raise _Corrupt("a problem is not (line, message)")
            read.append(Problem(shown, line, message))
    except _Corrupt:
        raise
    except (ValueError, TypeError, KeyError, IndexError, UnicodeDecodeError) as error:
        # Not chained: the traceback would keep views of the map open.
        raise _Corrupt(f"{type(error).__name__}: {error}") from None
    finally:
        for view in (encoded, binary):
            if view is not None:
                view.release()
    before = MergedRecords(papers, merged, paper_keys, frozenset(hashes))
    return MergedBefore(before, read, count + merged, entry)


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
