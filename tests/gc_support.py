"""Checks for code that freezes what it builds (`schemamend.collector.collector_paused`).

Frozen objects are freed by reference counting alone, so whatever such code
creates must not form reference cycles: one cycle would keep its objects alive
for the life of the process.
"""

from __future__ import annotations

import gc


def flush_earlier_garbage() -> None:
    """Other tests' frozen objects and pending cycles must not count."""
    gc.unfreeze()
    gc.collect()


def cyclic_garbage_from_schemamend() -> list[str]:
    """The schemamend types among the objects only a full collection would free."""
    gc.unfreeze()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        found = sorted(
            {
                type(o).__qualname__
                for o in gc.garbage
                if type(o).__module__.startswith("schemamend")
            }
        )
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    return found
