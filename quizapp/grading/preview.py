"""What the answer box shows while the learner types, and the example in its hint.

:func:`reads_as` is the live "reads as" line: how the text typed so far is read (a vector's or
matrix's shape checked against the one needed, a formula as the expression language reads it,
a computed number), or why it cannot be read. It never tells whether the answer is right, and,
like :func:`~quizapp.grading.compare.grade`, it never raises on any text and returns at once.
:func:`formula_example` picks the example of the formula hint so that it never equals (or
implies) the answer or a known mistake.
"""

from __future__ import annotations

import numpy as np

from quizapp.grading.compare import (
    FORMULA_TOLERANCE,
    _all_close,
    _formula_points,
    _formula_values,
    read_formula,
)
from quizapp.grading.reading import Unreadable, normalize, parse_array, parse_number
from quizapp.i18n import t
from quizapp.packs.expressions import ExpressionError, format_value
from quizapp.packs.generation import Problem

__all__ = ["formula_example", "reads_as"]

_PLAIN_NUMBER = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"


def reads_as(problem: Problem, raw: str, lang: str) -> str:
    """The live line under the answer box for `raw` (empty when there is nothing to say)."""
    if not isinstance(raw, str) or not raw.strip():
        return ""
    try:
        if problem.kind in ("vector", "matrix"):
            return _array_preview(problem, raw, lang)
        if problem.kind == "expression":
            source, _expr = read_formula(problem, raw)
            return t("answer.read_as", lang, parsed=source)
        if problem.kind == "numeric":
            import re

            value = parse_number(raw)
            if re.fullmatch(_PLAIN_NUMBER, normalize(raw)):
                return ""
            return t("answer.read_as", lang, parsed=format_value(value))
    except Unreadable as exc:
        return t(exc.key, lang, **exc.params)
    return ""


def _array_preview(problem: Problem, raw: str, lang: str) -> str:
    value = parse_array(raw)
    want = np.shape(problem.answer)
    got = value.shape
    if len(want) == 1 and 1 in got and value.size == want[0]:
        got = want
    shape = "×".join(map(str, got))
    if got == want:
        return t("preview.ok", lang, shape=shape)
    return t("preview.bad", lang, shape=shape, want="×".join(map(str, want)))


def _candidates(v: str) -> list[str]:
    return [f"3*{v}**2 + 1", f"2*exp(-{v}) + {v}", f"sqrt(1 + {v}**2)", f"{v}**3 - 4*{v}"]


def formula_example(problem: Problem) -> str:
    """An example formula in the problem's variables that is neither its answer nor one of
    its misconceptions (compared by value at the grading points)."""
    names = list(problem.template.answer.variables or {}) or ["x"]
    candidates = _candidates(names[0])
    if problem.kind != "expression":
        return candidates[0]
    points = _formula_points(problem)
    taken = [str(problem.answer), *(str(m.value) for m in problem.misconceptions)]
    for candidate in candidates:
        try:
            mine = _formula_values(candidate, problem, points)
        except (ExpressionError, Unreadable, TypeError, ValueError):
            continue
        clashes = False
        for other in taken:
            try:
                if _all_close(mine, _formula_values(other, problem, points), FORMULA_TOLERANCE):
                    clashes = True
                    break
            except (ExpressionError, Unreadable, TypeError, ValueError):
                continue
        if not clashes:
            return candidate
    return "…"
