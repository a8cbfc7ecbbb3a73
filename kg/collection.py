"""The cyclic garbage collector around the build's large stages.

A stage that makes millions of objects which live to the end of the build (and few
cycles) pays for each collection that walks them; these helpers keep such walks out.
"""

from __future__ import annotations

import gc


def to_oldest_generation() -> None:
    """Move every object the collector tracks to its oldest generation, where surviving
    collections would have put it, without walking them: else the first collections after
    a stage, at the usual thresholds, walk all the stage made and kept (half a second at
    88k papers). Not while objects are frozen: unfreezing would thaw those too."""
    if not gc.get_freeze_count():
        gc.freeze()
        gc.unfreeze()
