"""Values of the expression language: checks on every computed value, and the operators.

Numbers are Python ints (bounded by ``MAX_INT``) and floats, or numpy float arrays (bounded
in size). Every operator checks the shape of its result before computing it; integer
arithmetic on numpy values that would wrap around is refused.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from quizapp.packs.expr_bounds import (
    MAX_ELEMENTS,
    MAX_EXPONENT,
    MAX_INT,
    MAX_TEXT,
    ExpressionError,
    broadcast_shape,
    check_shape,
    matmul_shape,
)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) or isinstance(v, (np.number, np.bool_))


def _is_numeric(v: Any) -> bool:
    """A number or a numeric array: what arithmetic accepts."""
    return _is_number(v) or (isinstance(v, np.ndarray) and v.dtype.kind in "biuf")


def _describe(v: Any) -> str:
    if v is None:
        return "None"
    if isinstance(v, (bool, np.bool_)):
        return "a true/false value"
    if _is_number(v):
        return "a number"
    if isinstance(v, str):
        return "text"
    if isinstance(v, np.ndarray):
        return f"an array of shape {v.shape}"
    if isinstance(v, (list, tuple)):
        return f"a {type(v).__name__} of length {len(v)}"
    return f"a {type(v).__name__}"


def _count(v: Any) -> int:
    """How many numbers ``v`` holds (arrays by size, lists summed)."""
    if isinstance(v, np.ndarray):
        return v.size
    if isinstance(v, (list, tuple)):
        return sum(_count(item) for item in v)
    return 1



def _check_value(v: Any) -> Any:
    """Refuse a value beyond the bounds (called on every value computed)."""
    if type(v) is int:
        if abs(v) > MAX_INT:
            raise ExpressionError("the whole number is too large (at most 10**30 in magnitude)")
    elif isinstance(v, np.ndarray):
        if v.dtype.kind not in "biuf":
            raise ExpressionError("only arrays of numbers are supported")
        check_shape(v.shape)
    elif isinstance(v, str):
        if len(v) > MAX_TEXT:
            raise ExpressionError(f"the text is too long (at most {MAX_TEXT:,} characters)")
    elif isinstance(v, (list, tuple)):
        if _count(v) > MAX_ELEMENTS:
            raise ExpressionError(f"the list holds too many numbers (at most {MAX_ELEMENTS:,})")
    elif isinstance(v, (complex, np.complexfloating)):
        raise ExpressionError("the result is not a real number")
    return v


def _plain_value(v: Any) -> Any:
    """numpy scalars as Python bool/int, other floats as np.float64."""
    if isinstance(v, np.ndarray) and v.ndim == 0:
        v = v[()]
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating) and not isinstance(v, np.float64):
        return np.float64(v)
    return v


def _freeze(v: Any) -> Any:
    """A read-only view of an array from the environment (lists: element by element)."""
    if isinstance(v, np.ndarray):
        v = v.view()
        v.flags.writeable = False
    elif isinstance(v, list):
        v = [_freeze(item) for item in v]
    elif isinstance(v, tuple):
        v = tuple(_freeze(item) for item in v)
    return v


def _as_array(items: list[Any]) -> Any:
    """A list literal: numbers, or arrays of one shape, become a float64 array."""

    def real(v: Any) -> bool:  # not True/False
        if isinstance(v, np.ndarray):
            return v.dtype.kind in "iuf"
        return _is_number(v) and not isinstance(v, (bool, np.bool_))

    if not all(real(v) for v in items) or len({np.shape(v) for v in items}) > 1:
        return items
    if _count(items) > MAX_ELEMENTS:
        raise ExpressionError(f"the list holds too many numbers (at most {MAX_ELEMENTS:,})")
    return np.array(items, dtype=np.float64)


def _power(a: Any, b: Any) -> Any:
    """``a ** b``, refused before computing when the result could explode."""
    if not (_is_numeric(a) and _is_numeric(b)):
        raise TypeError
    biggest = float(np.max(np.abs(b), initial=0)) if isinstance(b, np.ndarray) else abs(b)
    if biggest > MAX_EXPONENT:
        raise ExpressionError(f"the exponent is too large (at most {MAX_EXPONENT} in magnitude)")
    if type(a) is int and type(b) is int:
        if b > 0 and abs(a) > 1 and b * math.log10(abs(a)) > 30:
            raise ExpressionError(f"{a} ** {b} is too large (at most 10**30 in magnitude)")
        return a**b
    if not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        a = np.asarray(a, dtype=np.float64)  # numpy ints would wrap around silently
    try:
        result = a**b
    except OverflowError:
        raise ExpressionError("the result is not a finite number (too large)") from None
    if isinstance(result, complex):
        raise ExpressionError("a negative number to a fractional power is not a real number")
    return result


_INT64_LIMIT = 2.0**63  # numpy whole numbers wrap around beyond this


def _is_numpy_whole(v: Any) -> bool:
    """A numpy whole number or whole-number array (arithmetic on it can wrap around)."""
    if isinstance(v, np.ndarray):
        return v.dtype.kind in "iu"
    return isinstance(v, np.integer)


def _as_float(v: Any) -> Any:
    """``v`` with numpy whole numbers as floats (to see what a wrapped result should be)."""
    if _is_numpy_whole(v) or isinstance(v, int) and not isinstance(v, bool):
        return np.asarray(v, dtype=np.float64)
    return v


def check_no_wrap(result: Any, recompute: Callable[[], Any]) -> Any:
    """Refuse a numpy whole-number ``result`` that wrapped around (``recompute`` gives the
    same computation in floats); other results pass unchanged."""
    if not _is_numpy_whole(result):
        return result
    try:
        exact = np.asarray(recompute(), dtype=np.float64)
    except Exception:  # the float computation is not possible: nothing to compare
        return result
    if exact.size and not np.all(np.abs(exact) < _INT64_LIMIT):
        raise ExpressionError(
            "a whole-number result is too large (it would wrap around); use floats"
        )
    return result


def _arithmetic(symbol: str, fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        if _is_numeric(a) and _is_numeric(b):
            broadcast_shape(_VERBS[symbol], a, b)
            return check_no_wrap(fn(a, b), lambda: fn(_as_float(a), _as_float(b)))
        if symbol == "+" and type(a) is type(b) and isinstance(a, (str, list, tuple)):
            return a + b
        if symbol == "*" and (isinstance(a, str) or isinstance(b, str)):
            raise ExpressionError("text cannot be multiplied")
        if symbol == "*" and (isinstance(a, (list, tuple)) or isinstance(b, (list, tuple))):
            raise ExpressionError("lists cannot be repeated with *")
        raise TypeError

    return apply


def _matmul(a: Any, b: Any) -> Any:
    if not (_is_numeric(a) and _is_numeric(b)):
        raise TypeError
    matmul_shape(np.shape(a), np.shape(b))
    return check_no_wrap(a @ b, lambda: _as_float(a) @ _as_float(b))


_VERBS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "//": "divide",
          "%": "take the remainder of", "**": "take powers of"}  # fmt: skip
_BINARY: dict[type, tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("+", _arithmetic("+", operator.add)),
    ast.Sub: ("-", _arithmetic("-", operator.sub)),
    ast.Mult: ("*", _arithmetic("*", operator.mul)),
    ast.Div: ("/", _arithmetic("/", operator.truediv)),
    ast.FloorDiv: ("//", _arithmetic("//", operator.floordiv)),
    ast.Mod: ("%", _arithmetic("%", operator.mod)),
    ast.Pow: ("**", _power),
    ast.MatMult: ("@", _matmul),
}
_UNARY: dict[type, tuple[str, Callable[[Any], Any]]] = {
    ast.UAdd: ("+", operator.pos),
    ast.USub: ("-", operator.neg),
    ast.Not: ("not ", operator.not_),
}


def _holds_array(v: Any) -> bool:
    if isinstance(v, (list, tuple)):
        return any(_holds_array(item) for item in v)
    return isinstance(v, np.ndarray)


def _comparison(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """Compare numbers and arrays elementwise (result size checked), other values whole."""

    def apply(a: Any, b: Any) -> Any:
        if _is_numeric(a) and _is_numeric(b):
            broadcast_shape("compare", a, b)
        elif _holds_array(a) or _holds_array(b):
            raise TypeError
        return fn(a, b)

    return apply


def _contains(item: Any, container: Any) -> bool:
    """``item in container``: text in text, or a number (or text) in a list or an array."""
    if isinstance(container, str) and isinstance(item, str):
        return item in container
    if isinstance(container, np.ndarray) and _is_number(item):
        return bool((container == item).any())
    if isinstance(container, (list, tuple)) and not _holds_array(item):
        return any(not _holds_array(v) and v == item for v in container)
    raise TypeError


_COMPARE: dict[type, tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Eq: ("==", _comparison(operator.eq)),
    ast.NotEq: ("!=", _comparison(operator.ne)),
    ast.Lt: ("<", _comparison(operator.lt)),
    ast.LtE: ("<=", _comparison(operator.le)),
    ast.Gt: (">", _comparison(operator.gt)),
    ast.GtE: (">=", _comparison(operator.ge)),
    ast.In: ("in", _contains),
    ast.NotIn: ("not in", lambda a, b: not _contains(a, b)),
}


def _plain_message(exc: BaseException) -> str:
    """Plain words for an exception raised while computing."""
    text = str(exc)
    if isinstance(exc, ZeroDivisionError):
        return "0 cannot be raised to a negative power" if "power" in text else "division by zero"
    if isinstance(exc, OverflowError):
        return "the result is not a finite number (too large)"
    if isinstance(exc, MemoryError):
        return "the result is too large to compute"
    if "truth value of an array" in text:
        return "an array has no single true/false value here; use all(...) or any(...)"
    if "read-only" in text:
        return "a function tried to change its input (a bug in that function)"
    return text or type(exc).__name__

