"""The export cache: each node's text in graph.ttl and graph.graphml (and the merged
ontology), kept in the build's cache folder, so that a re-build writes again only what
changed.

A node's text depends on the node alone: its id, its attributes and its outgoing edges
with theirs. `node_keys` digests exactly those, as `marshal` (format 2: no references,
so equal values give equal bytes) writes them, except the paper's `sources`: they name
the input file and line, which change when the same paper is read from another file,
so the writers cache the text before and after the sources and write those afresh.
Computing a key costs about a tenth of writing the text.

One file per export, `export-<name>.kgx`: a line of JSON (what it is, the fingerprint
of the export code, how many entries, a CRC-32 of the rest), then the entries' keys (16
bytes each), the lengths of their three texts and a number (4 bytes each, little-endian),
then the texts, one after the other in export order. It holds bytes only, never code
or pickles: a file that does not check out is reported and rebuilt; one written by other
export code is rebuilt silently. The file is mapped, not read, and the writers hand ranges
of it to the kernel (`PieceWriter`): a re-build copies the cached texts once.
"""

from __future__ import annotations

import copy
import hashlib
import json
import marshal
import mmap
import os
import sys
import tempfile
import zlib
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import BinaryIO

import networkx as nx
import rdflib

from kg import namespace
from kg.fingerprint import source_digest

Warn = Callable[[str], None]
# A cached entry: up to three texts (UTF-8) and a number (the triples a Turtle text holds).
Entry = tuple[bytes | memoryview, bytes | memoryview, bytes | memoryview, int]
# Where an entry is in a cache file: the file's bytes, where its texts start and the last
# ends, and its number.
Located = tuple[memoryview, int, int, int, int, int]

APPLICATION = "kg export cache"
FORMAT_VERSION = "1"
EXPORT_DIR = Path(__file__).resolve().parent
KEY_BYTES = 16
ADDED = ".added"
_HEADER_LIMIT = 4096


def export_fingerprint() -> str:
    """A hash of what decides the cached texts: the export code, the IRI scheme, the key's
    encoding (marshal format 2 of this Python) and rdflib (which writes the ontology)."""
    code = source_digest([*EXPORT_DIR.glob("*.py"), Path(namespace.__file__)], EXPORT_DIR.parent)
    parts = f"{FORMAT_VERSION}\0{sys.version_info[:2]}\0{rdflib.__version__}\0{code}"
    return hashlib.sha256(parts.encode()).hexdigest()


def node_keys(graph: nx.MultiDiGraph) -> dict[str, bytes | None]:
    """Each node's key: a digest of its id, its attributes but `sources`, and its outgoing
    edges; None for a node whose attributes marshal cannot write (never cached)."""
    # The dicts behind `graph.nodes` and `graph.succ`, read only: marshal takes no views.
    node_data: Mapping = graph._node
    successors: Mapping = graph._succ
    keys: dict[str, bytes | None] = {}
    dumps, sha256 = marshal.dumps, hashlib.sha256
    for node_id, data in node_data.items():
        try:
            material = dumps((node_id, data, successors[node_id]), 2)
            if "sources" in data:
                material = _without_sources(material, node_id, data, successors[node_id])
        except ValueError:  # not a graph of kg.graph's: an attribute of another type
            keys[node_id] = None
            continue
        keys[node_id] = sha256(material).digest()[:KEY_BYTES]
    return keys


_SOURCES_NAME = marshal.dumps("sources", 2)


def _without_sources(material: bytes, node_id: str, data: dict, successors: dict) -> bytes:
    """`material` (the node written by marshal) without the `sources` entry of its
    attributes: what marshal writes for the attributes without it. Format 2 writes each
    value on its own (no references) and a dict as its entries then an end mark, so the
    entry's bytes are those of its name and value, cut out where they occur once. Cutting
    them from the bytes, rather than copying the attributes, leaves the graph's objects
    untouched: after the export forks, touching them copies their memory pages."""
    entry = _SOURCES_NAME + marshal.dumps(data["sources"], 2)
    at = material.find(entry)
    if at >= 0 and material.find(entry, at + 1) < 0:
        return material[:at] + material[at + len(entry) :]
    data = dict(data)  # the entry's bytes occur twice: which is the entry is not known
    del data["sources"]
    return marshal.dumps((node_id, data, successors), 2)


@dataclass(frozen=True)
class Index:
    """The entries of an export's cache files, by place: each key's place; where each
    place's three texts start and the last ends, `bounds[3 * place : 3 * place + 4]`; its
    number; and the file its texts are in, `base` below `split`, else `added`. Entries at
    places that follow one another follow one another in one file."""

    position: dict[bytes, int]
    bounds: list[int]
    numbers: array
    base: memoryview
    added: memoryview
    split: int


class CacheCorrupt(Exception):
    """An export cache file that does not read back as what was written."""


class ExportCache:
    """The export cache in `directory`, for the exports of one graph (one `kg.export`).

    Each export has a base file and, beside it, a small file of the texts the base lacked
    (`export-<name>.added.kgx`, tied to its base by the base's checksum): a re-build that
    adds a few papers writes those, not the whole base again. When the additions pass a
    quarter of the base, the base is written anew with what the export used, and they go.
    """

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)
        self._fingerprint: str | None = None
        self._keys: dict[str, bytes | None] | None = None
        self._keys_of: nx.MultiDiGraph | None = None
        self._read: dict[str, CachedTexts] = {}

    @property
    def fingerprint(self) -> str:
        if self._fingerprint is None:
            self._fingerprint = export_fingerprint()
        return self._fingerprint

    def keys(self, graph: nx.MultiDiGraph) -> dict[str, bytes | None]:
        """`node_keys(graph)`, computed once for the writers of this export."""
        if self._keys_of is not graph:
            self._keys, self._keys_of = node_keys(graph), graph
        assert self._keys is not None
        return self._keys

    def path(self, name: str, part: str = "") -> Path:
        return self.directory / f"export-{name}{part}.kgx"

    def load(self, name: str, warn: Warn) -> CachedTexts:
        """The `name` export's cached texts; none when there is no usable file."""
        base = self._load_file(self.path(name), name, None, warn)
        if base.count:
            added = self._load_file(self.path(name, ADDED), name, base.crc, warn)
            base = base.with_added(added)
        self._read[name] = base
        return base

    def _load_file(self, path: Path, name: str, base: int | None, warn: Warn) -> CachedTexts:
        try:
            data = _mapped(path)
        except FileNotFoundError:
            return CachedTexts.EMPTY
        except OSError as error:
            warn(f"cannot read the export cache {path} ({error.strerror}); writing afresh")
            return CachedTexts.EMPTY
        try:
            return CachedTexts.parse(data, name, self.fingerprint, base)
        except CacheCorrupt as error:
            warn(f"the export cache {path} is corrupt ({error}); rebuilt")
            return CachedTexts.EMPTY

    def save(self, name: str, entries: Iterable[tuple[bytes, Entry]], warn: Warn) -> None:
        """Keep `entries` (key and entry, in export order) as the `name` export's cache
        (see `save_used`)."""
        entries = list(entries)
        read = self._read.get(name, CachedTexts.EMPTY)
        fresh = {key: entry for key, entry in entries if not read.holds(key)}
        self.save_used(name, [key for key, _ in entries], fresh, warn)

    def save_used(
        self, name: str, used: list[bytes], fresh: dict[bytes, Entry], warn: Warn
    ) -> None:
        """Keep the entries of the keys `used` (in export order) as the `name` export's
        cache, `fresh` the entries of those the loaded cache lacked: nothing when it lacked
        none, else the ones it lacked beside the base, or a new base. A cache that cannot
        be written is a warning."""
        if not fresh:
            return
        read = self._read.get(name, CachedTexts.EMPTY)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            added = read.added_keys.union(fresh)
            kept = [key for key in used if key in added]
            if read.count and len(kept) <= read.count // 4:
                entries = [(key, fresh.get(key) or read.get(key)) for key in kept]
                self._write(self.path(name, ADDED), name, entries, base=read.crc)
            else:
                entries = [(key, fresh.get(key) or read.get(key)) for key in used]
                self._write(self.path(name), name, entries, base=None)
                self.path(name, ADDED).unlink(missing_ok=True)
        except OSError as error:
            warn(
                f"cannot write the export cache in {self.directory} ({error.strerror or error});"
                " the exports are written all the same"
            )

    def _write(
        self, path: Path, name: str, entries: list[tuple[bytes, Entry]], base: int | None
    ) -> None:
        lengths, numbers, texts = array("I"), array("I"), []
        for _, (first, second, third, number) in entries:
            lengths.extend((len(first), len(second), len(third)))
            numbers.append(number)
            texts += (first, second, third)
        index = [b"".join(key for key, _ in entries), _little_endian(lengths)]
        index.append(_little_endian(numbers))
        blob = b"".join(texts)  # one copy, one checksum and one write beat a million small
        crc = 0
        for part in (*index, blob):
            crc = zlib.crc32(part, crc)
        header = {
            "application": APPLICATION,
            "export": name,
            "fingerprint": self.fingerprint,
            "base": base,
            "entries": len(entries),
            "bytes": len(blob),
            "crc32": crc,
        }
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(json.dumps(header).encode() + b"\n")
                handle.writelines(index)
                handle.write(blob)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


class CachedWriting:
    """One writer's use of the export cache, or of none: each node's key and where the
    cached entries are (`CachedTexts.index`), the keys the write used and the entries it
    wrote afresh, which `save` keeps."""

    def __init__(
        self, cache: ExportCache | None, name: str, graph: nx.MultiDiGraph, warn: Warn
    ) -> None:
        self._cache, self._name, self._warn = cache, name, warn
        self.keys: dict[str, bytes | None] = cache.keys(graph) if cache is not None else {}
        texts = cache.load(name, warn) if cache is not None else CachedTexts.EMPTY
        self.index = texts.index()
        self.used: list[bytes] = []
        self.fresh: dict[bytes, Entry] = {}

    def save(self) -> None:
        if self._cache is not None:
            self._cache.save_used(self._name, self.used, self.fresh, self._warn)


class PieceWriter:
    """Writes a file from pieces: byte strings, and slices of a cache file's texts. Pieces
    are handed to the kernel by the thousand (`os.writev`), not joined first: most of an
    export is cached text, copied once, from the page cache into the file. The writers
    append to `pieces` themselves (a method call per piece costs more than the copy) and
    call `flush` when it holds `BATCH`; a run of cached texts that follow one another in
    the file goes as one slice."""

    BATCH = 1024  # at most IOV_MAX pieces a call

    def __init__(self, handle: BinaryIO) -> None:
        handle.flush()  # what the handle holds goes first
        self._fd = handle.fileno()
        self.pieces: list[bytes | memoryview] = []

    def flush(self) -> None:
        """Write every piece appended so far."""
        pieces = self.pieces
        for first in range(0, len(pieces), self.BATCH):
            batch = pieces[first : first + self.BATCH]
            written = os.writev(self._fd, batch)
            if written < sum(map(len, batch)):  # a short write (a signal): the rest in turn
                rest = memoryview(b"".join(batch))[written:]
                while rest:
                    rest = rest[os.write(self._fd, rest) :]
        pieces.clear()


def _mapped(path: Path) -> memoryview:
    """The file at `path`, mapped read-only rather than read: its texts go from the page
    cache to the exports without a copy of the whole file. Cache files are only ever
    replaced by a rename, never rewritten in place, so a mapped file stays as it was."""
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return memoryview(b"")
        return memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))


def _little_endian(numbers: array) -> bytes:
    if sys.byteorder == "big":
        numbers = array(numbers.typecode, numbers)
        numbers.byteswap()
    return numbers.tobytes()


def _from_little_endian(typecode: str, data: bytes | memoryview) -> array:
    numbers = array(typecode)
    numbers.frombytes(data)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


class CachedTexts:
    """The texts of one export's cache file (and of the additions to it), found by key."""

    EMPTY: CachedTexts

    def __init__(
        self,
        position: dict[bytes, int],
        data: memoryview,
        bounds: list[int],
        numbers: array,
        crc: int,
    ) -> None:
        self._position = position  # key -> its entry's place in the file
        self._data = data  # the file: texts are sliced from it
        self._bounds = bounds  # where each text starts, and where the last ends
        self._numbers = numbers
        self.count = len(position)
        self.crc = crc
        self.added_keys: frozenset[bytes] = frozenset()
        self._added: CachedTexts | None = None

    def with_added(self, added: CachedTexts) -> CachedTexts:
        """These texts and `added`'s, which take precedence."""
        if not added.count:
            return self
        combined = copy.copy(self)
        combined._added = added
        combined.added_keys = frozenset(added._position)
        return combined

    def holds(self, key: bytes) -> bool:
        return key in self._position or key in self.added_keys

    def get(self, key: bytes | None) -> Entry | None:
        """The entry of `key`, its texts sliced from the file; None when neither file holds
        it."""
        found = self.locate(key)
        if found is None:
            return None
        data, start, middle, end, stop, number = found
        return data[start:middle], data[middle:end], data[end:stop], number

    def locate(self, key: bytes | None) -> Located | None:
        """Where the entry of `key` is: its texts (a file's), where its three texts start
        and where the last ends, and its number; None when neither file holds it."""
        if key is None:
            return None
        if self._added is not None and key in self.added_keys:
            return self._added.locate(key)
        position = self._position.get(key)
        if position is None:
            return None
        first = 3 * position
        start, middle, end, stop = self._bounds[first : first + 4]
        return self._data, start, middle, end, stop, self._numbers[position]

    def index(self) -> Index:
        """Where every entry is, for a loop over every node (a call per node costs more
        than its lookup): the base's entries and, after one unused place, the additions'
        (a key names one text: where both files hold it, the base's is taken)."""
        added = self._added
        split = self.count + 1
        if added is None:
            return Index(self._position, self._bounds, self._numbers, self._data, self._data, split)
        position = {key: split + place for key, place in added._position.items()}
        position.update(self._position)  # the base's first, as `locator` finds them
        bounds = [*self._bounds, 0, 0, *added._bounds]
        numbers = array("I", self._numbers)
        numbers.append(0)
        numbers.extend(added._numbers)
        return Index(position, bounds, numbers, self._data, added._data, split)

    @classmethod
    def parse(cls, data: memoryview, name: str, fingerprint: str, base: int | None) -> CachedTexts:
        """The texts of a cache file of the `name` export (additions to the base whose
        checksum is `base`, when given); none when written by other code or for another
        base; CacheCorrupt when it does not check out."""
        head = bytes(data[:_HEADER_LIMIT])
        end = head.find(b"\n")
        if end < 0:
            raise CacheCorrupt("no header")
        try:
            header = json.loads(head[:end])
            if header["application"] != APPLICATION or header["export"] != name:
                raise CacheCorrupt("not an export cache of this export")
            if header["fingerprint"] != fingerprint or header["base"] != base:
                return cls.EMPTY  # written by other export code, or for another base: stale
            count, size, crc = int(header["entries"]), int(header["bytes"]), int(header["crc32"])
        except (ValueError, TypeError, KeyError) as error:
            raise CacheCorrupt(f"unreadable header: {error}") from None
        sizes = [count * KEY_BYTES, count * 12, count * 4]
        if count < 0 or size < 0 or len(data) != end + 1 + sum(sizes) + size:
            raise CacheCorrupt("truncated")
        if zlib.crc32(data[end + 1 :]) != crc:
            raise CacheCorrupt("checksum mismatch")
        start = end + 1
        parts = []
        for part_size in sizes:
            parts.append(data[start : start + part_size])
            start += part_size
        key_bytes = parts[0].tobytes()
        keys = [key_bytes[i : i + KEY_BYTES] for i in range(0, len(key_bytes), KEY_BYTES)]
        position = dict(zip(keys, range(count), strict=True))
        if len(position) != count:
            raise CacheCorrupt("a key twice")
        lengths = _from_little_endian("I", parts[1])
        numbers = _from_little_endian("I", parts[2])
        # Each text follows the last: where they start are the running sums of the lengths.
        bounds = list(accumulate(lengths, initial=start))
        if bounds[-1] != len(data):
            raise CacheCorrupt("the texts' lengths do not add up")
        return cls(position, data, bounds, numbers, crc)


CachedTexts.EMPTY = CachedTexts({}, memoryview(b""), [0], array("I"), 0)
