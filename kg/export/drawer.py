"""A process that draws the page's charts, started before the build needs them.

matplotlib takes about 0.4 s of CPU to load, and the page's charts are drawn at the very
end of a build, when the exports keep both cores busy. `kg build` starts this process
before it reads its input (while the build is small to fork), and `kg.build` has it load
matplotlib when linking starts (`warm_up`), on the core that linking leaves idle: before,
reading and the extraction workers keep both busy. (A request that comes first loads it
too.)
The HTML writer hands it the charts to draw. It also merges the ontology then (a quarter
of a second of rdflib that depends on no graph), and keeps it in the export cache when
the build asks (`keep_ontology`, once it has read papers: a build that reads none leaves
no cache), where the Turtle writer finds it; unless the build's cache folder, given at
`start`, holds it already (a re-build's), and then it merges nothing.

The process does what it is sent, in order: keep the ontology in a cache folder, or draw
charts (picklable drawings: functions of `kg.export.charts` and their arguments) and
answer their SVG; the page also has it lay out its entity map (`views.map_layout`, a third
of a second of numpy at field size) while it computes the rest. It ignores Ctrl-C (the
build handles it) and dies with the build (parent-death signal). A writer that finds it
gone does the work itself: the bytes are the same.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.export.fragments import Entry, ExportCache
from kg.export.turtle import merged_ontology, ontology_key
from kg.parent_death import arm_parent_death_signal

Drawings = dict[str, Callable[[], object]]
KEEP_ONTOLOGY = "keep ontology"
WARM_UP = "warm up"
DRAW = "draw"

_running: ChartDrawer | None = None


class ChartDrawer:
    """The drawing process and this side of its pipe."""

    def __init__(self, cache: Path | None = None) -> None:
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

    def warm_up(self) -> None:
        """Have matplotlib loaded and the ontology merged now (no answer)."""
        self._ask((WARM_UP, None))

    def keep_ontology(self, cache: Path) -> None:
        """Have the merged ontology kept in the export cache of `cache` (no answer): the
        folder given to `start`, if any (one that held it already is not written)."""
        self._ask((KEEP_ONTOLOGY, cache))

    def send(self, drawings: Drawings) -> None:
        """Ask for the charts (or the entity map's layout); `answer` reads them."""
        self._ask((DRAW, drawings))

    def answer(self) -> dict[str, Any] | None:
        """Each chart's SVG (or the map's positions) by name, for the oldest request not
        answered yet; None when the process cannot answer (gone, or its drawing failed):
        the caller draws them itself, and meets the error if there is one."""
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

    def _ask(self, request: tuple) -> None:
        try:
            self._connection.send(request)
        except OSError:
            self._gone = True


def start(cache: Path | None = None) -> None:
    """Start the drawing process, once; `running()` finds it from then on (in forked
    children too). `cache`: the build's cache folder, if it has one."""
    global _running
    if _running is None:
        _running = ChartDrawer(cache)


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
        return  # nothing would end it with the build: the writers work for themselves
    with contextlib.suppress(EOFError, OSError):
        request, argument = connection.recv()  # the first (`warm_up`, else any): load now
        ontology = None if cache is not None and _holds_ontology(cache) else _merged_ontology()
        _load_matplotlib()
        while True:
            if request == KEEP_ONTOLOGY:
                if ontology is not None:
                    _keep(ontology, ExportCache(argument))
            elif request != WARM_UP:
                try:
                    answer: object = {chart: drawing() for chart, drawing in argument.items()}
                except Exception:  # the writer draws again, and reports the error as its own
                    answer = None
                connection.send(answer)
            request, argument = connection.recv()


def _merged_ontology() -> tuple[bytes, Entry] | None:
    """The ontology's cache key and text; None when it cannot be merged (the Turtle writer
    then meets, and reports, the same error)."""
    try:
        return ontology_key(), merged_ontology()
    except Exception:
        return None


def _holds_ontology(cache: Path) -> bool:
    """Whether the export cache of `cache` holds the merged ontology (what the Turtle writer
    looks for: a cache it cannot use holds nothing)."""
    try:
        return ExportCache(cache).load("ontology", _ignore).get(ontology_key()) is not None
    except Exception:  # the Turtle writer meets, and reports, the same error
        return False


def _ignore(message: str) -> None:
    """Warnings about the cache are the Turtle writer's to give."""


def _keep(ontology: tuple[bytes, Entry], cache: ExportCache) -> None:
    """Write the ontology into `cache` unless it holds it (a cache that cannot be written
    is the Turtle writer's to report)."""
    cache.load("ontology", _ignore)  # `save` writes only what the loaded file lacks
    cache.save("ontology", [ontology], _ignore)


def _load_matplotlib() -> None:
    """What drawing a chart loads first: matplotlib, its figure and SVG backend, the
    font list."""
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import matplotlib.font_manager  # noqa: F401
