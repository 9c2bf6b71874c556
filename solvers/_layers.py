"""Argument checks shared by the layer modules (conv, pooling, normalization, …; private).

Every check raises ``ValueError`` naming the function, the argument and the
shape or value it expected.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._arrays import as_float

__all__ = ["array_arg", "int_arg", "optional_array", "shape_error", "vector_arg"]


def shape_error(fn: str, name: str, expected: str, got) -> ValueError:
    """A ``ValueError``: ``fn: name must have shape <expected>, got shape <got>``."""
    return ValueError(f"{fn}: {name} must have shape {expected}, got shape {tuple(got)}")


def array_arg(fn: str, name: str, x, ndim: int | tuple[int, ...], expected: str) -> np.ndarray:
    """``x`` as float64 (not copied), its number of dimensions checked."""
    a = as_float(x)
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if a.ndim not in allowed:
        raise shape_error(fn, name, expected, a.shape)
    return a


def vector_arg(fn: str, name: str, x, length: int, expected: str | None = None) -> np.ndarray:
    """A 1-D float64 array of ``length`` elements."""
    a = as_float(x)
    if a.shape != (length,):
        raise shape_error(fn, name, expected or f"({length},)", a.shape)
    return a


def optional_array(fn: str, name: str, x, shape: tuple[int, ...], expected: str):
    """``None``, or ``x`` as float64 of exactly ``shape``."""
    if x is None:
        return None
    a = as_float(x)
    if a.shape != tuple(shape):
        raise shape_error(fn, name, expected, a.shape)
    return a


def int_arg(fn: str, name: str, value, minimum: int = 0) -> int:
    """A whole number ≥ ``minimum`` (whole floats such as 2.0 are accepted)."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{fn}: {name} must be a whole number, got {value!r}")
    if isinstance(value, numbers.Integral):
        v = int(value)
    elif isinstance(value, numbers.Real) and float(value).is_integer():
        v = int(value)
    else:
        raise ValueError(f"{fn}: {name} must be a whole number, got {value!r}")
    if v < minimum:
        raise ValueError(f"{fn}: {name} must be at least {minimum}, got {v}")
    return v
