"""Write a file, and commit a set of files, so that readers see the old or the new, whole."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w") -> Iterator[IO]:
    """Yield a temporary file beside `path`; rename it over `path` only on success.

    A failed or interrupted write (an exception, Ctrl-C) removes the temporary
    file and leaves any previous `path` untouched. The file is on disk before it is
    renamed, or, in the staging folder of an export set, before the set is committed.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    encoding = None if "b" in mode else "utf-8"
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline="" if encoding else None) as handle:
            yield handle
            handle.flush()
            syncs = _staged_syncs.get((os.getpid(), target.parent))
            if syncs is None:
                os.fsync(handle.fileno())
            else:
                syncs.start(os.dup(handle.fileno()))
        # mkstemp creates the file private (0600); an export is an ordinary file.
        os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


class _Syncs:
    """The files of one staging folder still being written to disk, each by a thread (the
    wait for the disk overlaps the next writer's work); `wait` until all are."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []
        self._errors: list[OSError] = []

    def start(self, fd: int) -> None:
        """fsync the file open as `fd`, then close `fd`."""

        def sync() -> None:
            try:
                os.fsync(fd)
            except OSError as error:
                self._errors.append(error)
            finally:
                os.close(fd)

        thread = threading.Thread(target=sync, name="kg-fsync", daemon=True)
        thread.start()
        self._threads.append(thread)

    def wait(self) -> None:
        """Return when every file is on disk; raise the first error met."""
        for thread in self._threads:
            thread.join()
        if self._errors:
            raise self._errors[0]


# (process, staging folder) -> its files being written to disk: only the process that
# made the staging folder (not a forked writer, which ends without waiting) hands its
# files' fsync to threads.
_staged_syncs: dict[tuple[int, Path], _Syncs] = {}


# The export set: OUT/.kg-current is a symlink to the folder holding the current set
# (OUT/.kg-export-XXXXXXXX); OUT/graph.ttl and the other entries are symlinks through it
# (graph.ttl -> .kg-current/graph.ttl). A new set is written into a fresh staging folder and
# committed by renaming one new symlink over .kg-current: readers see the old set or the new
# one, never a mix. Documented in docs/exports.md.
CURRENT = ".kg-current"
STAGING_PREFIX = ".kg-export-"
LINK_PREFIX = ".kg-link-"


class ExportError(Exception):
    """An export set that cannot be written (disk full, file too large, permissions, a path
    in the way); the previous set is left as it was."""


def check_export_folder(out: str | os.PathLike, entries: Iterable[str] = ()) -> None:
    """Raise ExportError unless an export set with `entries` can be committed in `out`:
    `out` is a folder or can be made one, is writable, and no folder kg did not write
    stands where an entry's link goes. Nothing is created or changed."""
    target = Path(os.path.abspath(out))
    existing = target
    while not os.path.lexists(existing):
        existing = existing.parent
    if not existing.is_dir():
        what = "the export folder" if existing == target else f"{existing}, in its path,"
        raise ExportError(f"cannot export to {out}: {what} is not a folder")
    if os.statvfs(existing).f_flag & os.ST_RDONLY:
        raise ExportError(f"cannot export to {out}: {existing} is on a read-only file system")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ExportError(f"cannot export to {out}: {existing} is not writable")
    if existing == target:
        for name in entries:
            entry = target / name
            if entry.is_dir() and not entry.is_symlink():
                raise ExportError(
                    f"cannot export to {out}: {entry} is a folder kg did not write; move it away"
                )


def current_export(out: str | os.PathLike) -> Path | None:
    """The folder holding the committed export set in `out` (resolve it once to read
    several files of one set), or None before the first export."""
    link = Path(out) / CURRENT
    if not link.is_symlink():
        return None
    target = link.parent / os.readlink(link)
    return target if target.is_dir() else None


@contextmanager
def export_set(out: str | os.PathLike, entries: Iterable[str] = ()) -> Iterator[Path]:
    """Yield an empty staging folder in `out`; when the block completes, commit what it
    holds as the new export set in one step (see `CURRENT`).

    On any error or interruption the staging folder is removed and the previous set is
    left whole; OS errors (disk full, file size limit, permissions) become ExportError.
    Staging folders left by killed builds are removed first. Builds exporting into one
    folder at once take turns (a lock on the folder).
    """
    out = Path(out)
    check_export_folder(out, entries)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with _locked(out):
            remove_leftovers(out)
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
            syncs = _staged_syncs[os.getpid(), staging] = _Syncs()
            try:
                # mkdtemp makes the folder private (0700); an export set is an ordinary folder.
                os.chmod(staging, 0o777 & ~_umask())
                yield staging
                syncs.wait()
                _commit(out, staging)
            except BaseException:
                with suppress(OSError):  # no thread outlives the set; its error is not news
                    syncs.wait()
                if current_export(out) != staging:  # not committed: the previous set stays
                    shutil.rmtree(staging, ignore_errors=True)
                raise
            finally:
                del _staged_syncs[os.getpid(), staging]
            with suppress(OSError):  # committed; what is left over goes with the next build
                remove_leftovers(out)
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        raise ExportError(
            f"cannot write the exports in {out}: {error.strerror or error}{where}; "
            "the previous exports are as they were"
        ) from error


def remove_leftovers(out: Path) -> None:
    """Remove staging folders and temporary links that are not the current export set:
    those of builds that were killed, and the set the last commit replaced."""
    current = current_export(out)
    for entry in out.iterdir():
        if entry.name.startswith(LINK_PREFIX) and entry.is_symlink():
            entry.unlink(missing_ok=True)
        elif entry.name.startswith(STAGING_PREFIX) and entry != current:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    descriptor = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _commit(out: Path, staging: Path) -> None:
    names = sorted(entry.name for entry in staging.iterdir())
    for name in names:
        entry = out / name
        if entry.is_dir() and not entry.is_symlink():
            raise IsADirectoryError(errno.EISDIR, "a folder kg did not write is in the way", entry)
    _fsync(staging)
    _replace_with_link(out / CURRENT, staging.name)  # the commit
    for name in names:
        entry = out / name
        if not _links_into_current(entry):
            _replace_with_link(entry, f"{CURRENT}/{name}")
    # Links to entries the new set no longer has (an artifact not written this time).
    for entry in out.iterdir():
        if entry.name not in names and _links_into_current(entry):
            entry.unlink()
    _fsync(out)


def _links_into_current(entry: Path) -> bool:
    return entry.is_symlink() and os.readlink(entry) == f"{CURRENT}/{entry.name}"


def _replace_with_link(path: Path, target: str) -> None:
    """Point `path` at `target` by renaming a new symlink over it (one atomic step)."""
    temporary = path.with_name(f"{LINK_PREFIX}{os.urandom(6).hex()}")
    os.symlink(target, temporary)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _fsync(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
