"""Finding input files and reading them, gzip or not, in bounded pieces, with clear failures.

Every reader reads through these functions, so the bounds hold for every format:
a whole-file format reads at most `MAX_TEXT_BYTES` (inflated), a line of JSON
Lines at most `MAX_LINE_BYTES`, an XML record at most `MAX_ELEMENT_BYTES`.
Nothing larger is ever held in memory; a gzip bomb is refused, not inflated.
"""

from __future__ import annotations

import codecs
import gzip
import os
import re
import shutil
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO

MAX_TEXT_BYTES = 64 * 2**20
MAX_LINE_BYTES = 8 * 2**20
MAX_ELEMENT_BYTES = 8 * 2**20
HEAD_BYTES = 8192
STDIN = "-"
STDIN_SHOWN = "<stdin>"
_CHUNK_BYTES = 2**16
_GZIP_MAGIC = b"\x1f\x8b"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_EMPTY = "empty file; skipped"
# A stray NUL is damage to repair; this share of NULs in the head is a binary file (or UTF-16).
_BINARY_NUL_SHARE = 0.01


class InputError(Exception):
    """The input as a whole is unusable: a missing path, an unknown format, an empty folder."""


class UnreadableFile(Exception):
    """A whole file (or the rest of it, from `line` on) cannot be read."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, order=True)
class InputFile:
    """A file to read: `shown` is its path as the user gave it (POSIX), `path` where to open it.

    `iter_lines` starts at byte `start_offset`, the start of line `start_line + 1`: the
    parsed-input cache reads only what was appended to a file it has read before.
    """

    shown: str
    path: Path
    start_offset: int = 0
    start_line: int = 0

    @property
    def name(self) -> str:
        """The lower-cased file name without a trailing `.gz`, for choosing a reader."""
        if self.shown == STDIN_SHOWN:
            return ""
        name = self.path.name.lower()
        return name.removesuffix(".gz")

    @property
    def suffix(self) -> str:
        """The extension (`.ris`), lower-cased, `.gz` removed; "" when there is none."""
        return "." + self.name.rsplit(".", 1)[-1] if "." in self.name else ""


def expand_paths(
    paths: Sequence[str | os.PathLike], stdin_folder: Path | None = None
) -> list[InputFile]:
    """Every file named or found under a named folder (recursively, hidden ones skipped).

    `-` is standard input, copied into `stdin_folder` so that it can be read like a file.
    """
    if not paths:
        raise InputError("no input paths given")
    files: list[InputFile] = []
    for given in paths:
        path = Path(given)
        shown = PurePath(given).as_posix()
        if str(given) == STDIN:
            files.append(InputFile(STDIN_SHOWN, _copy_stdin(stdin_folder)))
        elif path.is_dir():
            found = _walk(path, shown)
            if not found:
                raise InputError(f"{shown}: folder holds no input files")
            files.extend(found)
        elif path.is_file():
            files.append(InputFile(shown, path))
        elif path.exists():
            raise InputError(f"{shown}: not a regular file or folder")
        else:
            raise InputError(f"{shown}: no such file or folder")
    return files


def _copy_stdin(folder: Path | None) -> Path:
    if folder is None:
        raise InputError("'-' (standard input) cannot be read here")
    target = folder / "stdin"
    with target.open("wb") as copy:
        shutil.copyfileobj(sys.stdin.buffer, copy)
    return target


def _walk(folder: Path, shown: str) -> list[InputFile]:
    def fail(error: OSError) -> None:
        raise InputError(f"{shown}: cannot read folder ({error.strerror}: {error.filename})")

    found = []
    for root, dirs, names in os.walk(folder, onerror=fail):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        relative = Path(root).relative_to(folder)
        for name in names:
            if not name.startswith(".") and Path(root, name).is_file():
                found.append(
                    InputFile((PurePath(shown) / relative / name).as_posix(), Path(root, name))
                )
    # Sorted by path components so that the order never depends on the file system.
    return sorted(found, key=lambda file: PurePath(file.shown).parts)


def read_head(file: InputFile) -> str:
    """The first (inflated) bytes as text, to tell the format; UnreadableFile if empty or binary.

    A damaged gzip stream still gives its head: the reader reports the damage where it is.
    """
    with _reading("file skipped"), file.path.open("rb") as raw:
        head = raw.read(HEAD_BYTES)
        if head.startswith(_GZIP_MAGIC):
            inflater = zlib.decompressobj(wbits=31)
            compressed, head = head, b""
            while compressed and len(head) < HEAD_BYTES and not inflater.eof:
                head += inflater.decompress(compressed, HEAD_BYTES - len(head))
                compressed = inflater.unconsumed_tail or raw.read(HEAD_BYTES)
    if head.startswith(_UTF16_BOMS):
        return head.decode("utf-16", errors="replace")
    _check_not_binary(head)
    if not head.strip() and len(head) < HEAD_BYTES:
        raise UnreadableFile(_EMPTY)
    # The head may end inside a character; readers decode the whole file strictly later.
    return head.decode("utf-8", errors="replace").removeprefix("\ufeff")


def read_text(file: InputFile, limit: int = MAX_TEXT_BYTES) -> str:
    """The whole file as text, at most `limit` bytes inflated; bytes that are not UTF-8
    stay as lone surrogates (surrogateescape) so the record holding them can be reported."""
    with _reading("file skipped"), _open_binary(file.path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnreadableFile(
            f"file is over {limit // 2**20} MiB (inflated), the limit for this format; "
            "file skipped (split it, or convert it to JSON Lines)"
        )
    if data.startswith(_UTF16_BOMS):  # Excel's "Unicode Text", older Web of Science exports
        return data.decode("utf-16", errors="replace")
    if not data.strip():
        raise UnreadableFile(_EMPTY)
    _check_not_binary(data[:HEAD_BYTES])
    return data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")


def iter_lines(file: InputFile, limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """(1-based line number, raw line) pairs, streamed; None for a line over `limit` bytes,
    which is read past in pieces and never held whole."""
    number = file.start_line
    blank = file.start_offset == 0  # lines before the start were read: the file is not blank
    with _reading("rest of file skipped", lambda: number), _open_binary(file.path) as handle:
        _check_not_binary(handle.peek(HEAD_BYTES)[:HEAD_BYTES])
        if file.start_offset:
            handle.seek(file.start_offset)
        while line := handle.readline(limit + 1):
            number += 1
            if len(line) > limit and not line.endswith(b"\n"):
                while (rest := handle.readline(_CHUNK_BYTES)) and not rest.endswith(b"\n"):
                    pass
                blank = False
                yield number, None
                continue
            blank = blank and not line.strip()
            yield number, line
    if blank:
        raise UnreadableFile(_EMPTY)


def iter_elements(
    file: InputFile, name: str, limit: int = MAX_ELEMENT_BYTES
) -> Iterator[tuple[int, bytes | None]]:
    """(line, bytes) of each `<name ...>...</name>` element, streamed; None for an element
    over `limit` bytes or one the file ends inside. Text between elements is not read."""
    start = re.compile(rb"<" + re.escape(name.encode()) + rb"[\s>]")
    end = b"</" + name.encode() + b">"
    buffer = b""
    line = 1  # the line buffer[0] is on
    searched = 0  # where in buffer the end tag was last looked for
    skipping = False
    with _reading("rest of file skipped", lambda: line), _open_binary(file.path) as handle:
        _check_not_binary(handle.peek(HEAD_BYTES)[:HEAD_BYTES])
        while chunk := handle.read(_CHUNK_BYTES):
            buffer += chunk
            while True:
                if skipping:
                    stop = buffer.find(end)
                    if stop < 0:
                        keep = max(len(buffer) - len(end), 0)
                        line += buffer.count(b"\n", 0, keep)
                        buffer = buffer[keep:]
                        break
                    line += buffer.count(b"\n", 0, stop)
                    buffer, skipping = buffer[stop + len(end) :], False
                    continue
                opened = start.search(buffer)
                if opened is None:
                    keep = max(len(buffer) - len(name) - 2, 0)
                    line += buffer.count(b"\n", 0, keep)
                    buffer = buffer[keep:]
                    break
                if opened.start():
                    line += buffer.count(b"\n", 0, opened.start())
                    buffer, searched = buffer[opened.start() :], 0
                stop = buffer.find(end, searched)
                if stop < 0:
                    if len(buffer) > limit:
                        yield line, None
                        skipping = True
                        continue
                    searched = max(len(buffer) - len(end), 0)
                    break
                element = buffer[: stop + len(end)]
                yield line, element
                line += element.count(b"\n")
                buffer, searched = buffer[stop + len(end) :], 0
    if not skipping and start.search(buffer):
        yield line, None


def _open_binary(path: Path) -> IO[bytes]:
    with path.open("rb") as raw:
        is_gzip = raw.read(2) == _GZIP_MAGIC
    return gzip.open(path, "rb") if is_gzip else path.open("rb")


@contextmanager
def _reading(consequence: str, line: Callable[[], int] = lambda: 0) -> Iterator[None]:
    """Turns read errors (I/O, damaged gzip) into UnreadableFile at the line reached."""
    try:
        yield
    except (OSError, EOFError, zlib.error) as error:
        where = f" after line {line()}" if line() else ""
        raise UnreadableFile(
            f"cannot read file{where} ({_describe(error)}); {consequence}"
        ) from error


def _check_not_binary(head: bytes) -> None:
    nuls = head.count(b"\x00")
    if nuls and nuls > len(head) * _BINARY_NUL_SHARE:
        offset = head.find(b"\x00")
        raise UnreadableFile(f"binary file (NUL byte at offset {offset}), not text; file skipped")


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
