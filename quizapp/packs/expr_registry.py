"""The functions pack expressions may call: a read-only mapping built on first use.

Importing this module costs only the standard library; the registry itself
(:mod:`quizapp.packs._exprfuncs`, which imports numpy and ``solvers``) is loaded the first
time a name is looked up.
"""

from __future__ import annotations

import keyword
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

__all__ = ["FUNCTIONS", "register"]


class _Registry(Mapping[str, Callable[..., Any]]):
    """The functions expressions may call, built on first use (numpy, solvers)."""

    def __init__(self) -> None:
        self._functions: dict[str, Callable[..., Any]] | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> dict[str, Callable[..., Any]]:
        if self._functions is None:
            with self._lock:
                if self._functions is None:
                    from quizapp.packs import _exprfuncs

                    self._functions = _exprfuncs.build()
        return self._functions

    def __getitem__(self, name: str) -> Callable[..., Any]:
        return self._loaded()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


#: The registry, read-only; see :mod:`quizapp.packs._exprfuncs` for what it holds.
FUNCTIONS: Mapping[str, Callable[..., Any]] = _Registry()


def register(name: str, fn: Callable[..., Any]) -> None:
    """Add (or replace) a callable function (internal use: the engine, tests)."""
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
        raise ValueError(f"not a usable function name: {name!r}")
    FUNCTIONS._loaded()[name] = fn  # type: ignore[attr-defined]
