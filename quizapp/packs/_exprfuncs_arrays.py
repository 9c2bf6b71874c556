"""The number and array functions of pack expressions (``abs`` … ``norm``), and the argument checks.

``register(functions)`` adds them to the registry that :mod:`quizapp.packs._exprfuncs`
builds, under the names expressions call them by (``len``, ``max``, ``maximum``, …). The
argument checks (``_array``, ``_int``, ``_shape``, ``_scalar``) are shared with the solver
wrappers there. As everywhere in the registry, every function takes values of the
expression language, checks the size of what it would create *before* creating it, and
modifies nothing in place; raw numpy callables are never registered.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from quizapp.packs.expr_bounds import (
    ExpressionError,
    broadcast_shape,
    check_shape,
    matmul_shape,
)

__all__ = ["register"]


# --------------------------------------------------------------------------- argument checks


def _array(x: Any) -> np.ndarray:
    """``x`` (a number, array, or list/tuple of numbers) as a numeric array, not copied."""
    if isinstance(x, str) or x is None:
        raise ExpressionError(f"expected numbers, not {'text' if isinstance(x, str) else 'None'}")
    try:
        a = np.asarray(x)
    except ValueError:  # items of different shapes
        raise ExpressionError(
            "expected an array of numbers, got a list of arrays of different shapes"
        ) from None
    if a.dtype.kind not in "biuf":
        raise ExpressionError("expected numbers or an array of numbers")
    return a


def _int(x: Any, what: str) -> int:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)):
        raise ExpressionError(f"{what} must be a whole number, not {x!r}")
    return int(x)


def _shape(shape: Any, allow_minus_one: bool = False) -> tuple[int, ...]:
    """A shape argument (a whole number, a tuple or a list literal of them), its size checked."""
    dims = tuple(shape) if isinstance(shape, (tuple, list, np.ndarray)) else (shape,)
    # A list literal such as [3, 2] arrives as a float array: whole floats are sizes too.
    dims = tuple(
        int(d) if isinstance(d, (float, np.floating)) and float(d).is_integer() else d
        for d in dims
    )
    dims = tuple(_int(d, "a size") for d in dims)
    if any(d < (-1 if allow_minus_one else 0) for d in dims):
        raise ExpressionError(f"sizes cannot be negative: {dims}")
    check_shape(tuple(abs(d) for d in dims))
    return dims


def _scalar(x: Any) -> bool:
    return isinstance(x, (int, float, np.number, np.bool_))


def _pairwise(ufunc: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """maximum/minimum: elementwise over two broadcast arrays, the result size checked first."""

    def apply(a: Any, b: Any) -> Any:
        a, b = _array(a), _array(b)
        broadcast_shape("combine", a, b)
        return ufunc(a, b)

    apply.__name__ = apply.__qualname__ = ufunc.__name__
    return apply


# --------------------------------------------------------------------------- numbers and arrays


def _unary(ufunc: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def apply(x: Any) -> Any:
        return ufunc(_array(x))

    apply.__name__ = apply.__qualname__ = ufunc.__name__
    return apply


def _whole(ufunc: Callable[[Any], Any], scalar: Callable[[float], int]) -> Callable[[Any], Any]:
    """floor/ceil: a Python int for a number (usable as an index), floats for arrays."""

    def apply(x: Any) -> Any:
        return scalar(x) if _scalar(x) else ufunc(_array(x))

    apply.__name__ = apply.__qualname__ = ufunc.__name__
    return apply


def _abs(x: Any) -> Any:
    return builtins.abs(x) if isinstance(x, (int, float)) else np.abs(_array(x))


def _round(x: Any, ndigits: Any = None) -> Any:
    """Python's round for a number (an int without ndigits), np.round for an array."""
    if ndigits is not None:
        ndigits = _int(ndigits, "ndigits")
    if _scalar(x):
        return builtins.round(float(x), ndigits) if ndigits is not None else builtins.round(x)
    return np.round(_array(x), ndigits or 0)


def _number(convert: type) -> Callable[[Any], Any]:
    def apply(x: Any) -> Any:
        if isinstance(x, np.ndarray) and x.ndim == 0:
            x = x[()]
        if not _scalar(x):
            raise ExpressionError("expected one number")
        return convert(x)

    apply.__name__ = apply.__qualname__ = convert.__name__
    return apply


def _extreme(reduce: Callable[..., Any], pick: Callable[..., Any]) -> Callable[..., Any]:
    """max/min: of one array (optionally along an axis), or of several numbers."""

    def apply(*values: Any, axis: Any = None) -> Any:
        if len(values) == 1:
            return reduce(_array(values[0]), axis=axis)
        if values and all(_scalar(v) for v in values) and axis is None:
            return pick(values)
        pairwise = "maximum" if pick is builtins.max else "minimum"
        raise ExpressionError(
            f"expected one array, or several numbers; use {pairwise}(a, b) for arrays"
        )

    apply.__name__ = apply.__qualname__ = pick.__name__
    return apply


def _reduction(reduce: Callable[..., Any]) -> Callable[..., Any]:
    def apply(x: Any, axis: Any = None) -> Any:
        return reduce(_array(x), axis=axis)

    apply.__name__ = apply.__qualname__ = reduce.__name__
    return apply


def _arg(reduce: Callable[..., Any]) -> Callable[..., Any]:
    """argmax/argmin: a Python int over the whole array, an int array along an axis."""

    def apply(x: Any, axis: Any = None) -> Any:
        result = reduce(_array(x), axis=axis)
        return int(result) if axis is None else result

    apply.__name__ = apply.__qualname__ = reduce.__name__
    return apply


def dot(a: Any, b: Any) -> Any:
    a, b = _array(a), _array(b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.ndim > 2 or b.ndim > 2:
        raise ExpressionError("expected vectors or matrices; use @ for stacks of matrices")
    matmul_shape(a.shape, b.shape)
    return np.dot(a, b)


def outer(a: Any, b: Any) -> np.ndarray:
    a, b = _array(a), _array(b)
    check_shape((a.size, b.size))
    return np.outer(a, b)


def transpose(x: Any) -> np.ndarray:
    return np.transpose(_array(x))


def reshape(x: Any, shape: Any) -> np.ndarray:
    return np.reshape(_array(x), _shape(shape, allow_minus_one=True))


def zeros(shape: Any) -> np.ndarray:
    return np.zeros(_shape(shape))


def ones(shape: Any) -> np.ndarray:
    return np.ones(_shape(shape))


def full(shape: Any, value: Any) -> np.ndarray:
    value = _array(value)
    if value.ndim:
        raise ExpressionError("the value must be one number")
    return np.full(_shape(shape), value, dtype=np.float64)


def eye(n: Any, m: Any = None) -> np.ndarray:
    n = _int(n, "n")
    m = n if m is None else _int(m, "m")
    _shape((n, m))
    return np.eye(n, m)


def arange(start: Any, stop: Any = None, step: Any = 1) -> np.ndarray:
    """np.arange, with the length checked first (ints stay ints)."""
    if stop is None:
        start, stop = 0, start
    for v in (start, stop, step):
        if not _scalar(v) or not math.isfinite(v):
            raise ExpressionError(f"expected finite numbers, not {v!r}")
    if step == 0:
        raise ExpressionError("the step cannot be 0")
    length = max(0, math.ceil((stop - start) / step))
    check_shape((length,))
    return np.arange(start, stop, step)


def linspace(start: Any, stop: Any, num: Any = 50) -> np.ndarray:
    return np.linspace(float(start), float(stop), _shape(num)[0])


def array(x: Any) -> np.ndarray:
    """A new float64 array with the values of ``x``."""
    return np.array(_array(x), dtype=np.float64)


def _length(x: Any) -> int:
    if isinstance(x, np.ndarray) and x.ndim == 0:
        raise ExpressionError("a single number has no length")
    return len(x)


def _all(x: Any) -> bool:
    return bool(np.all(_array(x)))


def _any(x: Any) -> bool:
    return bool(np.any(_array(x)))


def _shape_of(x: Any) -> tuple[int, ...]:
    return tuple(np.shape(_array(x)))


def _size_of(x: Any) -> int:
    return int(np.size(_array(x)))


def where(cond: Any, a: Any, b: Any) -> np.ndarray:
    arrays = [_array(v) for v in (cond, a, b)]
    broadcast_shape("combine", *arrays)
    return np.where(*arrays)


def clip(x: Any, lo: Any, hi: Any) -> Any:
    arrays = [_array(v) for v in (x, lo, hi)]
    broadcast_shape("combine", *arrays)
    return np.clip(*arrays)


def isclose(a: Any, b: Any, rtol: float = 1e-5, atol: float = 1e-8) -> Any:
    a, b = _array(a), _array(b)
    broadcast_shape("compare", a, b)
    return np.isclose(a, b, rtol=rtol, atol=atol)


def allclose(a: Any, b: Any, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
    return bool(np.all(isclose(a, b, rtol=rtol, atol=atol)))


def _parts(arrays: Any) -> list[np.ndarray]:
    if isinstance(arrays, (str, int, float)) or arrays is None:
        raise ExpressionError("expected a list of arrays")
    return [_array(a) for a in arrays]


def concat(arrays: Any, axis: Any = 0) -> np.ndarray:
    return np.concatenate(_parts(arrays), axis=_int(axis, "axis"))


def stack(arrays: Any, axis: Any = 0) -> np.ndarray:
    return np.stack(_parts(arrays), axis=_int(axis, "axis"))


def norm(x: Any, ord: Any = None, axis: Any = None) -> Any:
    return np.linalg.norm(_array(x), ord=ord, axis=axis)


# --------------------------------------------------------------------------- registering


def register(functions: dict[str, Callable[..., Any]]) -> None:
    """Add the number and array functions to ``functions``, the registry being built."""
    functions.update(
        abs=_abs,
        exp=_unary(np.exp),
        log=_unary(np.log),
        log2=_unary(np.log2),
        log10=_unary(np.log10),
        sqrt=_unary(np.sqrt),
        sin=_unary(np.sin),
        cos=_unary(np.cos),
        cosh=_unary(np.cosh),
        sinh=_unary(np.sinh),
        sign=_unary(np.sign),
        floor=_whole(np.floor, math.floor),
        ceil=_whole(np.ceil, math.ceil),
        round=_round,
        int=_number(int),
        float=_number(float),
        max=_extreme(np.max, builtins.max),
        min=_extreme(np.min, builtins.min),
        sum=_reduction(np.sum),
        mean=_reduction(np.mean),
        prod=_reduction(np.prod),
        all=_all,
        any=_any,
        argmax=_arg(np.argmax),
        argmin=_arg(np.argmin),
        dot=dot,
        outer=outer,
        transpose=transpose,
        reshape=reshape,
        zeros=zeros,
        ones=ones,
        eye=eye,
        full=full,
        arange=arange,
        linspace=linspace,
        array=array,
        len=_length,
        clip=clip,
        where=where,
        maximum=_pairwise(np.maximum),
        minimum=_pairwise(np.minimum),
        isclose=isclose,
        allclose=allclose,
        shape=_shape_of,
        size=_size_of,
        concat=concat,
        stack=stack,
        norm=norm,
    )
