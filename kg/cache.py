"""The extraction cache: each paper's `PaperExtraction`, kept in SQLite between builds.

A row is keyed by a hash of the paper's id, title and abstract (all that extraction
reads); the file records the fingerprint of the pipeline that wrote it (rules,
vocabulary, cues, spaCy version and model), and a build with another fingerprint
starts it afresh. Rows are compact JSON, never pickles: a cache file is input,
and a corrupt or foreign one is reported and rebuilt, never trusted. A row is decoded
within bounds (MAX_ROW_BYTES, JSON nesting as deep as the layout) and checked
field by field; a row that fails is a miss, and the paper is extracted again.

A row holds only what the paper does not: the label when it is not the title, each
evidence sentence that is not a slice of the abstract. Most papers name nothing, and
their row is `EMPTY_ROW`. Rows are not compressed: they are ~90 bytes on average, and
inflating 88k small zlib streams cost more than reading the bytes.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import math
import os
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.extract.vocabulary import Vocabulary, default_vocabulary
from kg.fingerprint import source_digest
from kg.ingest.identity import paper_key
from kg.namespace import is_iri
from kg.records import ENTITY_TYPES, RELATIONS, Evidence, Mention, Paper, PaperExtraction, Relation

__all__ = [
    "CacheCorrupt",
    "CachedRows",
    "ExtractionCache",
    "paper_key",
    "pipeline_fingerprint",
    "decode_extraction",
    "encode_extraction",
]

CACHE_FILE = "extractions.sqlite"
APPLICATION = "kg extraction cache"
# Bump when the row layout below changes (2: plain JSON, the title left out of the label).
FORMAT_VERSION = "2"
EXTRACT_DIR = Path(__file__).resolve().parent / "extract"
RECORDS_FILE = Path(__file__).resolve().parent / "records.py"
# A row is ~90 bytes on average and 1.3 KB at most on 88k papers; anything near this
# bound is not ours, and is read no further.
MAX_ROW_BYTES = 1 << 24
# The row of a paper whose label is its title and that names nothing (most papers).
EMPTY_ROW = b"[null,[],[]]"
# Keys per lookup query: within SQLite's default limit of 32,766 bound parameters.
LOOKUP_BATCH = 4096
# Reading the whole table beats seeking each key when the table holds at most this many
# rows per key looked up (a seek costs ~4 times a row of a scan).
SCAN_ROWS_PER_KEY = 2
# Ingest repairs text that cannot be encoded, so a row that holds a lone surrogate (raw or
# as a JSON escape) is not ours: no later stage could write it.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SCAN_JSON = json.JSONDecoder().scan_once


class CacheCorrupt(Exception):
    """A cache row or file that does not read back as what we wrote."""


def pipeline_fingerprint(
    vocabulary: Vocabulary, spacy_model: str | None = None, extract_dir: Path = EXTRACT_DIR
) -> str:
    """A hash of what decides an extraction: rules' source, vocabulary, cues, spaCy, model."""
    model = "blank:en"
    if spacy_model:
        model = f"{spacy_model}=={_installed_version(spacy_model) or 'unversioned'}"
    parts = (
        FORMAT_VERSION,
        source_digest(extract_dir.rglob("*.py"), extract_dir),
        source_digest([RECORDS_FILE], RECORDS_FILE.parent),
        vocabulary.fingerprint,
        _installed_version("spacy"),
        model,
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _installed_version(package: str) -> str | None:
    """The installed distribution's version, as spaCy reports its own and its models' (read
    from the package metadata: importing spaCy to ask it costs half a second)."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def encode_extraction(paper: Paper, extraction: PaperExtraction) -> bytes:
    """Compact, pickle-free bytes; a sentence that is a slice of the paper is kept as offsets."""
    relations = []
    for relation in extraction.relations:
        target, evidence = relation.target, relation.evidence
        sentence: str | None = evidence.sentence
        if sentence == _quoted_text(paper, evidence.start, evidence.end):
            sentence = None
        relations.append(
            [
                relation.relation,
                target.name,
                target.type,
                list(target.aliases),
                target.concept,
                sentence,
                evidence.start,
                evidence.end,
                evidence.rule,
                evidence.confidence,
            ]
        )
    label = None if extraction.label == paper.title else extraction.label
    row = [label, list(extraction.code_urls), relations]
    text = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def decode_extraction(paper: Paper, data: bytes) -> PaperExtraction:
    """The `PaperExtraction` that `encode_extraction` stored; CacheCorrupt if it is not one."""
    if data == EMPTY_ROW and paper.title is not None:
        return PaperExtraction(paper.id, paper.title, (), ())
    try:
        if not isinstance(data, bytes) or len(data) > MAX_ROW_BYTES:
            raise TypeError(f"not bytes, or more than {MAX_ROW_BYTES} of them")
        text = data.decode("utf-8")
        label, code_urls, rows = _json_value(text)
        if label is None:
            label = paper.title
        # Strict UTF-8 holds no lone surrogate, so only a JSON escape can make one.
        escaped = "\\u" in text
        _check_strings([label, *code_urls], escaped)
        relations = []
        for relation, name, type_, aliases, concept, sentence, start, end, rule, confidence in rows:
            if sentence is None:
                sentence = _quoted_text(paper, start, end)
            if relation not in RELATIONS or type_ not in ENTITY_TYPES:
                raise ValueError(f"unknown relation or type {relation!r}, {type_!r}")
            # A JSON value is a str exactly when its type is (no subclasses come out of json).
            if not (
                type(name) is str
                and type(sentence) is str
                and type(rule) is str
                and type(aliases) is list
                and (not aliases or all(type(alias) is str for alias in aliases))
                and (concept is None or (type(concept) is str and is_iri(concept)))
            ):
                raise TypeError("a text field is not a string, or the concept is no IRI")
            if not (
                type(start) is int
                and type(end) is int
                and (type(confidence) is float or type(confidence) is int)
                and math.isfinite(confidence)
            ):
                raise ValueError("offsets or confidence are not finite numbers")
            if escaped:
                strings = [name, sentence, rule, *aliases]
                _check_strings(strings if concept is None else [*strings, concept], escaped)
            relations.append(
                Relation(
                    relation,
                    Mention(name, type_, tuple(aliases), concept),
                    Evidence(sentence, start, end, rule, confidence),
                )
            )
        return PaperExtraction(paper.id, label, tuple(relations), tuple(code_urls))
    except (ValueError, TypeError, OverflowError, RecursionError) as error:
        raise CacheCorrupt(f"a row does not decode ({type(error).__name__}: {error})") from error


def _json_value(text: str) -> object:
    """The one JSON value `text` holds, by the C scanner that `json.loads` wraps (called
    directly: the wrappers cost as much as the scan on these short rows); no whitespace
    around it, which `encode_extraction` never writes."""
    try:
        value, end = _SCAN_JSON(text, 0)
    except StopIteration:
        raise ValueError("not a JSON value") from None
    if end != len(text):
        raise ValueError("more than one JSON value")
    return value


def _check_strings(strings: list[object], escaped: bool) -> None:
    """Every field a string; none with a lone surrogate (looked for when the row has escapes)."""
    for text in strings:
        if not isinstance(text, str):
            raise TypeError("a text field is not a string")
    if escaped and any(_SURROGATE.search(text) for text in strings):
        raise ValueError("a text field holds a lone surrogate")


def _quoted_text(paper: Paper, start: int, end: int) -> str | None:
    """The text an evidence span points at: the title for -1..-1, else a slice of the abstract."""
    if start == -1 and end == -1:
        return paper.title
    if 0 <= start <= end <= len(paper.abstract):
        return paper.abstract[start:end]
    return None


@dataclass(frozen=True)
class CachedRows:
    """Papers, their cache keys and the stored rows found for them (by key)."""

    papers: list[Paper]
    keys: list[bytes]
    rows: dict[bytes, bytes]

    def has_row(self, index: int) -> bool:
        return self.keys[index] in self.rows


class ExtractionCache:
    """Extractions by paper content for one pipeline fingerprint, in `directory`/extractions.sqlite.

    `hits` and `misses` count this build's lookups; `warnings` holds what a user
    should hear (a corrupt or foreign file that was rebuilt).
    """

    def __init__(self, directory: str | os.PathLike, fingerprint: str):
        self.path = Path(directory) / CACHE_FILE
        self.fingerprint = fingerprint
        self.hits = 0
        self.misses = 0
        self.stored = 0
        self.warnings: list[str] = []
        self._connection: sqlite3.Connection | None = None
        self._disabled = False

    @classmethod
    def for_pipeline(
        cls, directory: str | os.PathLike, spacy_model: str | None = None
    ) -> ExtractionCache:
        """The cache in `directory` for the bundled rules and vocabulary with `spacy_model`."""
        return cls(directory, pipeline_fingerprint(default_vocabulary(), spacy_model))

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def rows_held(self) -> int:
        """How many extractions the cache holds (0 when it cannot be read: then said so)."""
        connection = self._open()
        if connection is None:
            return 0
        try:
            (count,) = connection.execute("SELECT count(*) FROM extractions").fetchone()
        except sqlite3.OperationalError as error:
            self._give_up(f"cannot be read ({error})")
            return 0
        except sqlite3.DatabaseError as error:
            self._rebuild(f"is corrupt ({error})")
            return 0
        return count

    def lookup(self, papers: list[Paper]) -> list[PaperExtraction | None]:
        """Each paper's cached extraction, or None; a broken file is rebuilt and read as empty."""
        return self.decode(self.read_rows(papers))

    def read_rows(self, papers: list[Paper], known_keys: Sequence[bytes | None] = ()) -> CachedRows:
        """The stored rows of `papers`, not decoded yet: which papers have one is known
        before the cost of decoding them (`decode`), so their extraction can start first.
        `known_keys` are the papers' keys known before (None where not; all when empty)."""
        rows: dict[bytes, bytes] = {}
        if known_keys:
            keys = [
                paper_key(paper) if key is None else key
                for paper, key in zip(papers, known_keys, strict=True)
            ]
        else:
            keys = [paper_key(paper) for paper in papers]
        connection = self._open()
        if connection is not None:
            try:
                rows = self._read_rows(connection, keys)
            except sqlite3.OperationalError as error:
                self._give_up(f"cannot be read ({error})")
            except sqlite3.DatabaseError as error:
                self._rebuild(f"is corrupt ({error})")
        return CachedRows(papers, keys, rows)

    def decode(self, rows: CachedRows) -> list[PaperExtraction | None]:
        """Each paper's extraction from its row, or None (no row, or one that does not decode:
        reported, and the paper is extracted again)."""
        found: list[PaperExtraction | None] = []
        bad_rows = []
        stored = rows.rows.get
        for paper, key in zip(rows.papers, rows.keys, strict=True):
            data = stored(key)
            if data is None:
                found.append(None)
            elif data == EMPTY_ROW and paper.title is not None:  # most rows: spared a call
                found.append(PaperExtraction(paper.id, paper.title, (), ()))
            else:
                try:
                    found.append(decode_extraction(paper, data))
                except CacheCorrupt as error:  # a miss: extracted again, and the row replaced
                    found.append(None)
                    bad_rows.append(error)
        if bad_rows:
            self.warnings.append(
                f"cache {self.path}: {len(bad_rows)} row(s) did not decode ({bad_rows[0]}); "
                "extracted those papers again"
            )
        self.hits += sum(e is not None for e in found)
        self.misses += sum(e is None for e in found)
        return found

    def store(self, papers: Iterable[Paper], extractions: Iterable[PaperExtraction]) -> None:
        """Keep each paper's extraction (one transaction)."""
        connection = self._open()
        if connection is None:
            return
        rows = [
            (paper_key(p), encode_extraction(p, e))
            for p, e in zip(papers, extractions, strict=True)
        ]
        try:
            with connection:
                connection.executemany("INSERT OR REPLACE INTO extractions VALUES (?, ?)", rows)
        except sqlite3.OperationalError as error:  # locked, disk full
            self._give_up(f"cannot be written ({error})")
            return
        except sqlite3.DatabaseError as error:
            self._rebuild(f"is corrupt ({error})")
            return
        self.stored += len(rows)

    def _read_rows(self, connection: sqlite3.Connection, keys: list[bytes]) -> dict[bytes, bytes]:
        (count,) = connection.execute("SELECT count(*) FROM extractions").fetchone()
        if count <= SCAN_ROWS_PER_KEY * len(keys):
            wanted = set(keys)
            return {
                key: data
                for key, data in connection.execute("SELECT key, data FROM extractions")
                if key in wanted
            }
        rows: dict[bytes, bytes] = {}
        for start in range(0, len(keys), LOOKUP_BATCH):  # a query per paper cost more than its row
            batch = keys[start : start + LOOKUP_BATCH]
            marks = ",".join("?" * len(batch))
            query = f"SELECT key, data FROM extractions WHERE key IN ({marks})"
            rows.update(connection.execute(query, batch))
        return rows

    def _open(self) -> sqlite3.Connection | None:
        """The connection, opened on first use; None when the cache is unusable (and said so)."""
        if self._connection is None and not self._disabled:
            try:
                self._connection = self._connect()
            except sqlite3.OperationalError as error:  # locked by another build, unreadable
                self._give_up(f"cannot be opened ({error})")
            except sqlite3.DatabaseError as error:
                self._rebuild(f"is not a kg cache ({error})")
            except OSError as error:
                self._give_up(f"cannot be opened ({error})")
        return self._connection

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            connection.execute("PRAGMA synchronous = NORMAL")
            tables = {
                r[0]
                for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not tables:
                _create(connection, self.fingerprint)
                return connection
            if tables != {"meta", "extractions"}:
                raise sqlite3.DatabaseError(f"unexpected tables {sorted(tables)}")
            meta = dict(connection.execute("SELECT key, value FROM meta"))
            if meta.get("application") != APPLICATION:
                raise sqlite3.DatabaseError("written by another program")
            if meta.get("fingerprint") != self.fingerprint:
                # Rules, vocabulary or spaCy changed: nothing in here still holds.
                with connection:
                    connection.execute("DELETE FROM extractions")
                    connection.executemany(
                        "UPDATE meta SET value = ? WHERE key = ?",
                        [(self.fingerprint, "fingerprint"), (FORMAT_VERSION, "format")],
                    )
        except BaseException:
            connection.close()
            raise
        return connection

    def _rebuild(self, why: str) -> None:
        """Replace a file we cannot trust with an empty cache, and say so; else go without one."""
        self.close()
        try:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._connection = self._connect()
        except (OSError, sqlite3.DatabaseError) as error:
            self._give_up(f"{why}; cannot rebuild it ({error})")
            return
        self.warnings.append(f"cache {self.path} {why}; rebuilt it")

    def _give_up(self, why: str) -> None:
        """Go on without a cache for this build, and leave the file as it is."""
        self.close()
        self._disabled = True
        self.warnings.append(f"cache {self.path} {why}; not caching")


def _create(connection: sqlite3.Connection, fingerprint: str) -> None:
    with connection:
        connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        connection.execute(
            "CREATE TABLE extractions (key BLOB PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID"
        )
        connection.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("application", APPLICATION),
                ("format", FORMAT_VERSION),
                ("fingerprint", fingerprint),
            ],
        )
