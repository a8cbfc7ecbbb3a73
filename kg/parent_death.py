"""Child processes that end with kg: Linux's parent-death signal, for the extraction
workers (`kg.engine.local`) and the SPARQL server (`kg.serve`)."""

from __future__ import annotations

import ctypes
import sys

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def arm_parent_death_signal(signum: int) -> bool:
    """Ask the kernel to send `signum` to this process when its parent exits.

    False where it cannot (not Linux, or prctl refused): the caller decides what then."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
