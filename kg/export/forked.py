"""Run groups of independent export writers at once: the first group in this process,
each other group in a process forked from this one.

A forked child starts with the graph already in its memory (nothing is sent to it), writes
its files, and sends back a small result through a temporary file, pickled as
multiprocessing does between its own processes (never a file read as input). The children
die with this process (parent-death signal); when this process is interrupted or fails, or
a child fails, the other children are killed, and a child's exception is raised here with
its traceback as a note.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import tempfile
import traceback
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from typing import IO, Any

from kg.parent_death import arm_parent_death_signal


class ChildDied(Exception):
    """A writer's process ended without a result (killed by a signal, out of memory)."""


def run_at_once(groups: Sequence[Sequence[Callable[[], Any]]]) -> list[Any]:
    """Every task's return value (picklable), in order. The first group's tasks run here,
    each other group's in a process forked from this one, all groups at once."""
    children: list[tuple[int, IO[bytes]]] = []
    with ExitStack() as result_files:
        # The children inherit a frozen heap: their collector does not walk (and so copy)
        # the graph's pages, which they only read.
        gc.freeze()
        parent = os.getpid()
        try:
            for group in groups[1:]:
                result_file = result_files.enter_context(tempfile.TemporaryFile())
                pid = os.fork()
                if pid == 0:
                    _run_child(group, result_file, parent)  # never returns
                children.append((pid, result_file))
            gc.unfreeze()
            results = [task() for task in groups[0]] if groups else []
            while children:
                pid, result_file = children[0]
                _, status = os.waitpid(pid, 0)
                del children[0]  # reaped: its pid may be another process's from now on
                results += _result(pid, status, result_file)
            return results
        except BaseException:
            for pid, _ in children:
                _kill(pid)
            raise
        finally:
            gc.unfreeze()


def _run_child(tasks: Sequence[Callable[[], Any]], result_file: IO[bytes], parent: int) -> None:
    status = 1
    # No collections: the child lives for its writers' work alone and ends with os._exit,
    # so cycles it leaves cost nothing, and each collection walked what it had made (about
    # 5% of the HTML page's work at 88k papers).
    gc.disable()
    try:
        arm_parent_death_signal(signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the signal was armed
            return
        try:
            outcome: tuple[str, Any, str] = ("ok", [task() for task in tasks], "")
        except BaseException as error:  # Ctrl-C included: the parent re-raises it
            outcome = ("error", _picklable(error), traceback.format_exc())
        pickle.dump(outcome, result_file)
        result_file.flush()
        status = 0
    finally:
        os._exit(status)  # no cleanup of the parent's resources (staging folder, cache, ...)


def _picklable(error: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _result(pid: int, status: int, result_file: IO[bytes]) -> Any:
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        raise ChildDied(f"an export process was killed by signal {-code}")
    if code != 0:
        raise ChildDied(f"an export process failed (exit status {code})")
    result_file.seek(0)
    kind, value, child_traceback = pickle.load(result_file)
    if kind == "error":
        value.add_note(f"in the export process {pid}:\n{child_traceback}")
        raise value
    return value


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except ChildProcessError:  # reaped by someone else's wait
        pass
