"""A persistent Oxigraph store of the Turtle export, so queries and the endpoint skip parsing.

`kg build --store` writes `OUT/store/` beside `OUT/graph.ttl`, in the same staged commit as
the other exports. The store notes which file it holds (size and BLAKE2b of graph.ttl), so
`store_for(graph)` hands out a store only while it holds exactly that file's triples.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pyoxigraph

STORE_NAME = "store"
# Inside the store folder: RocksDB leaves files it does not know alone.
SOURCE_NOTE = "kg-source.json"
_CHUNK = 1 << 20


class StoreError(Exception):
    """A store that cannot be written or opened."""


def _digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=20)
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _source(graph: Path) -> dict[str, str | int]:
    return {"file": graph.name, "bytes": graph.stat().st_size, "blake2b": _digest(graph)}


def write_store(graphs: list[Path], store_dir: str | os.PathLike) -> Path:
    """Bulk-load the Turtle files `graphs` into a new Oxigraph store at `store_dir`.

    The store records the first file as its source (see `store_for`).
    """
    target = Path(store_dir)
    if target.exists() and any(target.iterdir()):
        raise StoreError(f"store folder {target} is not empty")
    try:
        store = pyoxigraph.Store(str(target))
        for graph in graphs:
            store.bulk_load(path=str(graph), format=pyoxigraph.RdfFormat.TURTLE)
        store.flush()
        del store  # closes the database
    except (SyntaxError, ValueError) as error:  # OSError (a full disk) goes up as it is
        names = ", ".join(map(str, graphs))
        raise StoreError(f"cannot load {names} into a store: {error}") from error
    note = {"sources": [_source(graph) for graph in graphs]}
    (target / SOURCE_NOTE).write_text(json.dumps(note, indent=1) + "\n", encoding="utf-8")
    return target


def store_for(graph: Path) -> Path | None:
    """The store beside the export `graph` (`graph.parent/store`) if it holds exactly `graph`."""
    store = Path(graph).parent / STORE_NAME
    try:
        note = json.loads((store / SOURCE_NOTE).read_text(encoding="utf-8"))
        [source] = note["sources"]
        if source["file"] != graph.name or source["bytes"] != graph.stat().st_size:
            return None
        return store if source["blake2b"] == _digest(graph) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_store(path: str | os.PathLike) -> bool:
    """Whether `path` is a folder holding an Oxigraph (RocksDB) database."""
    return (Path(path) / "CURRENT").is_file()


def open_store(store_dir: str | os.PathLike) -> pyoxigraph.Store:
    """The store at `store_dir`, read-only (other readers may have it open too)."""
    path = Path(store_dir)
    if not is_store(path):
        raise StoreError(f"no Oxigraph store at {path} (write one with `kg build --store`)")
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as error:
        raise StoreError(f"cannot open the store {path}: {error}") from error
