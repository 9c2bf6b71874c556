"""Python's cyclic garbage collector, paused while the app starts.

Start-up creates hundreds of thousands of objects that live for the whole run (modules,
classes, Textual's styles, the pack models), and almost no cyclic garbage. Each automatic
collection on the way walks all of them again: about a fifth of the time to the first frame
and to the filled home tree (``benchmarks/startup.py``). ``pause()`` turns the collector
off at the start of the command line; ``resume()`` turns it back on when start-up is over:
for a plain command once its arguments are read, for the TUI once the packs are loaded.
There the surviving objects are moved out of the collector's sight (``gc.freeze``) after
one full collection, so later collections stay short too. Both do nothing unless
``pause()`` turned the collector off (tests and embedding programs keep theirs).
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume(*, freeze: bool = False) -> None:
    """Turn the collector back on (with ``freeze``: collect once, then freeze the rest)."""
    global _paused
    if not _paused:
        return
    _paused = False
    if freeze:
        gc.collect()
        gc.freeze()
    gc.enable()
