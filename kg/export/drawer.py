"""A process that draws the page's charts, started before the build needs them.

matplotlib takes about 0.4 s of CPU to load, and the page's charts are drawn at the very
end of a build, when the exports keep both cores busy. `kg build` starts this process
before it reads its input, while one core is idle (the build reads and loads spaCy on
the other), and it loads matplotlib then; the HTML writer hands it the charts to draw.
Given the build's cache folder, it first merges the ontology into the export cache (a
quarter of a second of rdflib that depends on no graph), where the Turtle writer finds it.

The process draws what it is sent (picklable drawings: functions of `kg.export.charts`
and their arguments) and answers their SVG; it ignores Ctrl-C (the build handles it) and
dies with the build (parent-death signal). A writer that finds it gone draws the charts
itself: the bytes are the same.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from kg.export.fragments import ExportCache
from kg.export.turtle import ontology_entry
from kg.parent_death import arm_parent_death_signal

Drawings = dict[str, Callable[[], str]]

_running: ChartDrawer | None = None


class ChartDrawer:
    """The drawing process and this side of its pipe."""

    def __init__(self, cache: Path | None) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, theirs = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(theirs, self._connection, os.getpid(), cache),
            name="kg-charts",
            daemon=True,
        )
        self._process.start()
        theirs.close()
        self._gone = False

    def send(self, drawings: Drawings) -> None:
        """Ask for the charts; `answer` reads them."""
        try:
            self._connection.send(drawings)
        except OSError:
            self._gone = True

    def answer(self) -> dict[str, str] | None:
        """Each chart's SVG by name; None when the process cannot answer (gone, or its
        drawing failed): the caller draws them itself, and meets the error if there is one."""
        if self._gone:
            return None
        try:
            answer = self._connection.recv()
        except (OSError, EOFError):
            return None
        return answer if isinstance(answer, dict) else None

    def stop(self) -> None:
        self._connection.close()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


def start(cache: str | os.PathLike | None = None) -> None:
    """Start the drawing process, once, with the build's `cache` folder (None: no cache);
    `running()` finds it from then on (in forked children too)."""
    global _running
    if _running is None:
        _running = ChartDrawer(None if cache is None else Path(cache))


def running() -> ChartDrawer | None:
    return _running


def stop() -> None:
    global _running
    if _running is not None:
        _running.stop()
        _running = None


def _serve(connection: Connection, builds_end: Connection, parent: int, cache: Path | None) -> None:
    builds_end.close()  # else its pipe would never end: the build's closing is the end
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not arm_parent_death_signal(signal.SIGKILL) or os.getppid() != parent:
        return  # nothing would end it with the build: the writer draws for itself
    if cache is not None:
        # What fails here fails again in the Turtle writer, which reports it.
        with contextlib.suppress(Exception):
            ontology_entry(ExportCache(cache), warn=lambda message: None)
    _load_matplotlib()
    with contextlib.suppress(EOFError, OSError):
        while True:
            drawings: Drawings = connection.recv()
            try:
                answer: object = {chart: drawing() for chart, drawing in drawings.items()}
            except Exception:  # the writer draws again, and reports the error as its own
                answer = None
            connection.send(answer)


def _load_matplotlib() -> None:
    """What drawing a chart loads first: matplotlib, its figure and SVG backend, the
    font list."""
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import matplotlib.font_manager  # noqa: F401
