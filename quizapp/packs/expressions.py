"""The expression language of question packs: Python syntax, evaluated by a whitelist.

Packs are data written by anyone, so they never run code. Their parameters,
answers, distractors, constraints and the numbers inside explanations are small
expressions such as ``sigmoid_grad(x)``, ``(y - d)[j-1] * z[i-1]``, ``W @ z + b``
or ``x > 0 and x != 1``. They are parsed with :func:`ast.parse` and walked here:

* :func:`compile_expr` parses and checks the tree statically: only the syntax
  handled by ``_Validator``, attributes ``.T .shape .size .ndim``, no name
  starting with ``_``, bounded length, depth and size. Calls are checked by
  name when evaluated (``Expr.calls`` lets a loader check them earlier).
* :meth:`Expr.evaluate` walks the tree with every value checked: whole numbers
  up to 10**30, arrays up to 10,000 elements and 4 dimensions, exponents up to
  100, no repetition of text or lists, a step budget and a 1-second clock.
* :func:`interpolate` fills the ``{expr}`` and ``{expr:fmt}`` fields of a text.

Every failure is an :class:`ExpressionError` in plain words, with the column
where it happened. Importing this module costs only the standard library:
numpy and the function registry (:mod:`quizapp.packs._exprfuncs`, which imports
``solvers``) are loaded on first use.

This module is the public face; the work is done in :mod:`~quizapp.packs.expr_syntax`
(parsing and the whitelist), :mod:`~quizapp.packs.expr_eval` and
:mod:`~quizapp.packs.expr_values` (evaluation), :mod:`~quizapp.packs.expr_format`
(formatting and interpolation), :mod:`~quizapp.packs.expr_registry` (the functions) and
:mod:`~quizapp.packs.expr_bounds` (the bounds and the error).
"""

from __future__ import annotations

from quizapp.packs.expr_bounds import CONSTANTS, ExpressionError
from quizapp.packs.expr_format import check_interpolation, format_value, interpolate
from quizapp.packs.expr_registry import FUNCTIONS, register
from quizapp.packs.expr_syntax import Expr, compile_expr, evaluate

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "Expr",
    "ExpressionError",
    "check_interpolation",
    "compile_expr",
    "evaluate",
    "format_value",
    "interpolate",
    "register",
]
