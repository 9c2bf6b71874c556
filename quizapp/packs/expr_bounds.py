"""What every expression runs within: the bounds, the error it raises, and the shape checks.

The evaluator (:mod:`quizapp.packs.expressions`) and the function registry
(:mod:`quizapp.packs._exprfuncs`) both build on this module, so neither imports the other's
internals and the registry stays below the evaluator.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

# --------------------------------------------------------------------------- bounds

MAX_SOURCE = 2000  # characters of one expression
MAX_DEPTH = 50  # levels of the syntax tree
MAX_NODES = 500  # parts of the syntax tree
MAX_TEXT_LITERAL = 200  # characters of one text literal
MAX_TEXT = 10_000  # characters of a text value (after +)
MAX_INT = 10**30  # magnitude of a whole number
MAX_EXPONENT = 100  # magnitude of the exponent of **
MAX_ELEMENTS = 10_000  # elements of an array (and numbers held by a list)
MAX_NDIM = 4  # dimensions of an array
MAX_STEPS = 100_000  # nodes evaluated by one evaluate()
MAX_SECONDS = 1.0  # wall-clock time of one evaluate()
MAX_FORMAT_WIDTH = 100  # width and precision in a format spec

#: Names every expression can use; the caller's environment takes precedence.
CONSTANTS: Mapping[str, float] = MappingProxyType({"pi": math.pi, "e": math.e})



class ExpressionError(ValueError):
    """A pack expression that cannot be compiled or evaluated.

    ``message`` is plain English for a pack author; ``source`` the expression
    (or the interpolated text); ``col`` the 0-based character offset in
    ``source`` where the problem is, or None.
    """

    def __init__(self, message: str, source: str | None = None, col: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.col = col

    def __str__(self) -> str:
        return self.message

    def pointer(self) -> str:
        """The source with a caret under the column (empty when either is unknown)."""
        if self.source is None or self.col is None:
            return ""
        start = self.source.rfind("\n", 0, self.col) + 1
        end = self.source.find("\n", self.col)
        line = self.source[start : end if end >= 0 else None]
        return f"{line}\n{' ' * (self.col - start)}^"



def check_shape(shape: tuple[int, ...], what: str = "the result") -> None:
    """Refuse an array shape that is too large (used before creating the array)."""
    size = math.prod(shape)
    if size > MAX_ELEMENTS:
        raise ExpressionError(
            f"{what} would be an array of shape {tuple(shape)} with {size:,} elements "
            f"(at most {MAX_ELEMENTS:,})"
        )
    if len(shape) > MAX_NDIM:
        raise ExpressionError(f"{what} would have {len(shape)} dimensions (at most {MAX_NDIM})")


def broadcast_shape(verb: str, *values: Any) -> tuple[int, ...] | None:
    """The shape of an elementwise result over ``values``, checked; None without arrays."""
    import numpy as np  # loaded by then: shapes are checked while evaluating

    if not any(isinstance(v, np.ndarray) for v in values):
        return None
    shapes = [np.shape(v) for v in values]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        listed = ", ".join(str(s) for s in shapes[:-1]) + f" and {shapes[-1]}"
        raise ExpressionError(f"cannot {verb} arrays of shapes {listed}") from None
    check_shape(shape)
    return shape


def matmul_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of ``a @ b`` for arrays of shapes a and b, checked before computing."""
    import numpy as np  # loaded by then: shapes are checked while evaluating

    if not a or not b:
        raise ExpressionError("@ multiplies arrays (vectors or matrices); use * for numbers")
    a2 = (1, *a) if len(a) == 1 else a
    b2 = (*b, 1) if len(b) == 1 else b
    if a2[-1] != b2[-2]:
        raise ExpressionError(
            f"cannot multiply arrays of shapes {a} and {b} with @: the first has "
            f"{a2[-1]} columns, the second {b2[-2]} rows"
        )
    try:
        batch = np.broadcast_shapes(a2[:-2], b2[:-2])
    except ValueError:
        raise ExpressionError(f"cannot multiply arrays of shapes {a} and {b} with @") from None
    shape = (*batch, *a2[-2:-1][: len(a) - 1], *b2[-1:][: len(b) - 1])
    check_shape(shape)
    return shape

