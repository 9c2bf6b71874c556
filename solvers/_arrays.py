"""Small helpers shared by the solver modules (private).

Every public solver function reads its inputs through :func:`as_float` and
never writes into them, so callers' arrays are never modified in place.
"""

from __future__ import annotations

import numpy as np

__all__ = ["as_float", "as_float_copy", "check_same_shape", "finish"]


def as_float(x) -> np.ndarray:
    """``x`` as a float64 ndarray, *without* copying when it already is one.

    The result may share memory with the caller's array: treat it as
    read-only.
    """
    return np.asarray(x, dtype=np.float64)


def as_float_copy(x) -> np.ndarray:
    """A fresh float64 ndarray holding the values of ``x`` (always a copy)."""
    return np.array(x, dtype=np.float64, copy=True)


def finish(r: np.ndarray):
    """Return ``r`` unchanged, or an ``np.float64`` scalar when it is 0-d."""
    if isinstance(r, np.ndarray) and r.ndim == 0:
        return r[()]
    return r


def check_same_shape(what: str, a: np.ndarray, b: np.ndarray, names=("y", "d")) -> None:
    """Raise ``ValueError`` naming both shapes when ``a`` and ``b`` differ in shape."""
    if a.shape != b.shape:
        raise ValueError(
            f"{what}: shape mismatch: {names[0]} has shape {a.shape}, "
            f"{names[1]} has shape {b.shape}"
        )
