"""Numerical differentiation, the independent check of every analytic gradient."""

from __future__ import annotations

import numpy as np

from ._arrays import as_float_copy, finish

__all__ = ["numerical_gradient"]


def numerical_gradient(f, x, h: float = 1e-4):
    """∂f/∂x by central differences: (f(x + h e_i) − f(x − h e_i)) / (2h) for each element i.

    Args:
        f: a function of one array (of the shape of ``x``) returning a scalar.
        x: a scalar, list or array of any shape.
        h: the step (1e-4 by default, as in deep-learning-from-scratch).

    Returns:
        An array of the shape of ``x`` (an np.float64 for scalar ``x``).

    ``f`` is called with a float64 *copy* of ``x`` in which one element at a
    time is moved by ±h and then restored; the caller's ``x`` is never
    touched, so it is unchanged afterwards. (Unlike the book's version, ``f``
    must use its argument rather than read the original array.)
    The error is O(h²) for smooth f.
    """
    if h <= 0:
        raise ValueError(f"the step h must be positive, got {h!r}")
    xc = as_float_copy(x)
    grad = np.zeros_like(xc)
    for idx in np.ndindex(xc.shape):
        original = xc[idx]
        xc[idx] = original + h
        f_plus = float(f(xc))
        xc[idx] = original - h
        f_minus = float(f(xc))
        xc[idx] = original
        grad[idx] = (f_plus - f_minus) / (2.0 * h)
    return finish(grad)
