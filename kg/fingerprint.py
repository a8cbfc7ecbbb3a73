"""Fingerprints of source files, for the caches: a cache written by other code is stale."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def source_digest(files: Iterable[Path], root: Path) -> str:
    """A SHA-256 of `files` (sorted), each with its path relative to `root` and its bytes."""
    digest = hashlib.sha256()
    for path in sorted(files):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()
