"""The SPARQL endpoint: Oxigraph's own HTTP server, read-only, started and stopped here.

The server is the `oxigraph` command of the PyPI package `oxigraph` (same release as
pyoxigraph, so it reads the stores pyoxigraph writes). It speaks the SPARQL 1.1 Protocol
(`/query`, GET or POST) and negotiates the result format from the Accept header: SPARQL
JSON, XML, CSV and TSV for solutions; Turtle, N-Triples, RDF/XML and more for graphs. It
runs as `serve-read-only`, so updates are refused.

The endpoint serves the store written by `kg build --store` when it holds the export
asked for; otherwise the export is first bulk-loaded into a temporary store, removed at exit.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg.export.store import StoreError, is_store, store_for, write_store
from kg.parent_death import arm_parent_death_signal

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
STARTUP_SECONDS = 60.0
STOP_SECONDS = 10.0


class ServeError(Exception):
    """The endpoint cannot start: no server program, a port in use, an unreadable graph."""


@dataclass(frozen=True)
class Endpoint:
    """A running endpoint: its query URL and the server process."""

    url: str
    store: Path
    process: subprocess.Popen


def oxigraph_command() -> str:
    """The `oxigraph` program installed beside this Python, else the one on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise ServeError("the Oxigraph server is not installed (pip install oxigraph)")
    return found


def check_port(host: str, port: int) -> None:
    """ServeError unless `host:port` is free to listen on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise ServeError(f"cannot listen on {host}:{port}: {error}") from error
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As a server binds: a port left in TIME_WAIT by a past connection is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise ServeError(
                f"cannot listen on {host}:{port}: {error.strerror or error} "
                "(another server is using the port? choose another with --port)"
            ) from error


def _die_with_parent() -> None:
    """In the child: the kernel ends the server if kg itself is killed (Linux only)."""
    arm_parent_death_signal(signal.SIGTERM)


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _server_error(log: IO[bytes]) -> str:
    log.seek(0)
    lines = [line for line in log.read().decode(errors="replace").splitlines() if line.strip()]
    return lines[0] if lines else "no message"


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _store_to_serve(
    graphs: Sequence[Path], store: Path | None, stack: ExitStack, notice: Callable[[str], None]
) -> Path:
    if store is not None:
        if not is_store(store):
            raise ServeError(f"no Oxigraph store at {store} (write one with `kg build --store`)")
        return Path(store)
    if not graphs:
        raise ServeError("nothing to serve: give a graph file or a store")
    for graph in graphs:
        if not graph.is_file():
            raise ServeError(f"graph file not found: {graph} (run `kg build` first)")
    if len(graphs) == 1 and (beside := store_for(graphs[0])) is not None:
        return beside
    temporary = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kg-serve-")))
    notice(
        f"loading {', '.join(map(str, graphs))} into a temporary store "
        "(`kg build --store` keeps one beside the export)"
    )
    try:
        return write_store(list(graphs), temporary / "store")
    except StoreError as error:
        raise ServeError(str(error)) from error


@contextmanager
def endpoint(
    graphs: Sequence[Path] = (),
    *,
    store: Path | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    notice: Callable[[str], None] = lambda message: None,
) -> Iterator[Endpoint]:
    """Serve `store` (or the files `graphs`) read-only on http://host:port/query until exit."""
    with ExitStack() as stack:
        check_port(host, port)  # before a long load
        location = _store_to_serve([Path(g) for g in graphs], store, stack, notice)
        log = stack.enter_context(tempfile.TemporaryFile())
        command = [oxigraph_command(), "serve-read-only", "--location", str(location)]
        process = subprocess.Popen(
            [*command, "--bind", f"{host}:{port}"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            # Its own session: Ctrl-C reaches kg only, which then stops the server in order.
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        stack.callback(_stop, process)
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(host, port):
            if process.poll() is not None:
                raise ServeError(f"the Oxigraph server stopped: {_server_error(log)}")
            if time.monotonic() > deadline:
                raise ServeError(f"the Oxigraph server did not answer on {host}:{port}")
            time.sleep(0.05)
        shown = f"[{host}]" if ":" in host else host
        yield Endpoint(f"http://{shown}:{port}/query", location, process)
        if process.poll() is not None:
            raise ServeError(f"the Oxigraph server stopped: {_server_error(log)}")


def serve(
    graphs: Sequence[Path] = (),
    *,
    store: Path | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    notice: Callable[[str], None] = lambda message: None,
) -> None:
    """Run the endpoint until the server stops or kg is interrupted (then stop it)."""
    with endpoint(graphs, store=store, host=host, port=port, notice=notice) as running:
        notice(f"SPARQL endpoint: {running.url} (read-only; Ctrl-C to stop)")
        running.process.wait()
