"""Finding input files and reading their bytes as UTF-8 text, gzip or not, with clear failures."""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO

_GZIP_MAGIC = b"\x1f\x8b"
_SNIFF_BYTES = 8192
_EMPTY = "empty file; skipped"


class InputError(Exception):
    """The input as a whole is unusable: a missing path, an unknown format, an empty folder."""


class UnreadableFile(Exception):
    """A whole file (or the rest of it, from `line` on) cannot be read as text."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, order=True)
class InputFile:
    """A file to read: `shown` is its path as the user gave it (POSIX), `path` where to open it."""

    shown: str
    path: Path

    @property
    def name(self) -> str:
        """The lower-cased file name without a trailing `.gz`, for choosing a reader."""
        name = self.path.name.lower()
        return name.removesuffix(".gz")


def expand_paths(paths: Sequence[str | os.PathLike]) -> list[InputFile]:
    """Every file named or found under a named folder (recursively, hidden ones skipped), sorted."""
    if not paths:
        raise InputError("no input paths given")
    files: list[InputFile] = []
    for given in paths:
        path = Path(given)
        shown = PurePath(given).as_posix()
        if path.is_dir():
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


def read_bytes(file: InputFile) -> bytes:
    """The file's content, decompressed when it is gzip; UnreadableFile when unusable."""
    try:
        data = file.path.read_bytes()
        if data.startswith(_GZIP_MAGIC):
            data = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise UnreadableFile(f"cannot read file ({_describe(error)}); file skipped") from error
    _check_not_empty_or_binary(data)
    return data


def read_text(file: InputFile) -> str:
    """The file's content as text (UTF-8, optional BOM); UnreadableFile naming the bad byte."""
    data = read_bytes(file)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise UnreadableFile(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at byte offset {error.start}, "
            f"column {column}); file skipped",
            line,
        ) from error


def iter_lines(file: InputFile) -> Iterator[tuple[int, bytes]]:
    """Stream (1-based line number, raw line) pairs, gzip or not, without loading the file."""
    number = 0
    blank = True
    try:
        with _open_binary(file.path) as handle:
            _check_not_binary(handle.peek(_SNIFF_BYTES)[:_SNIFF_BYTES])
            for line in handle:
                number += 1
                blank = blank and not line.strip()
                yield number, line
    except (OSError, EOFError, zlib.error) as error:
        where = f" after line {number}" if number else ""
        raise UnreadableFile(
            f"cannot read file{where} ({_describe(error)}); rest of file skipped"
        ) from error
    if blank:
        raise UnreadableFile(_EMPTY)


def _open_binary(path: Path) -> IO[bytes]:
    with path.open("rb") as raw:
        is_gzip = raw.read(2) == _GZIP_MAGIC
    return gzip.open(path, "rb") if is_gzip else path.open("rb")


def _check_not_empty_or_binary(data: bytes) -> None:
    if not data.strip():
        raise UnreadableFile(_EMPTY)
    _check_not_binary(data[:_SNIFF_BYTES])


def _check_not_binary(head: bytes) -> None:
    nul = head.find(b"\x00")
    if nul >= 0:
        raise UnreadableFile(f"binary file (NUL byte at offset {nul}), not text; file skipped")


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
