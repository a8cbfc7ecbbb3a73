"""A pure part of the link stage worked out aside: in a process forked from this one, on
a core that would sit idle (the stage runs on one), while this process goes on.

The child starts with everything in its memory (nothing is sent to it) and sends back only
its result, as plain data written by `marshal`, through a pipe. Where a child cannot be
forked, the part is worked out here when its result is asked for. A child that fails or
dies sends nothing: the part is then worked out here, so its error, if any, is raised here
as with one job.
"""

from __future__ import annotations

import marshal
import os
import signal
from collections.abc import Callable
from typing import Generic, TypeVar

from kg.parent_death import arm_parent_death_signal

T = TypeVar("T")


class Aside(Generic[T]):
    """`work()` (plain data: what `marshal` writes), started now in a forked child;
    `result()` waits for it."""

    def __init__(self, work: Callable[[], T]):
        self._work = work
        self._child: tuple[int, int] | None = None  # its pid, and the pipe's end to read
        if hasattr(os, "fork"):
            self._child = _start(work)

    def result(self) -> T:
        """The work's result: the child's, else worked out here."""
        if self._child is not None:
            pid, reading = self._child
            self._child = None
            with os.fdopen(reading, "rb") as pipe:
                sent = pipe.read()
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) == 0 and sent:
                return marshal.loads(sent)
        return self._work()

    def close(self) -> None:
        """End a child whose result was not asked for (the stage failed meanwhile)."""
        if self._child is not None:
            pid, reading = self._child
            self._child = None
            os.close(reading)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _start(work: Callable[[], object]) -> tuple[int, int] | None:
    parent = os.getpid()
    try:
        reading, writing = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return None
    if pid == 0:
        status = 1
        try:
            os.close(reading)
            arm_parent_death_signal(signal.SIGKILL)
            if os.getppid() == parent:  # else the parent died before the signal was armed
                sent = marshal.dumps(work())
                with os.fdopen(writing, "wb") as pipe:
                    pipe.write(sent)
                status = 0
        finally:
            os._exit(status)  # none of the parent's clean-up (caches, staging folders)
    os.close(writing)
    return pid, reading
