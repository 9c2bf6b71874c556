"""Grading a read answer against a problem: tolerances, per-cell feedback, formulas by
evaluation at several points, and the misconception a wrong answer matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from quizapp.grading.reading import (
    Unreadable,
    normalize,
    parse_array,
    parse_bool,
    parse_choices,
    parse_number,
)
from quizapp.i18n import t
from quizapp.packs.expressions import CONSTANTS, ExpressionError, compile_expr, format_value
from quizapp.packs.generation import MisconceptionValue, Problem, rng_for
from quizapp.packs.model import Text, Tolerance

Feedback = Callable[[str], str]


@dataclass(frozen=True)
class Grade:
    """The outcome of one answer. `feedback(lang)` is the text to show."""

    valid: bool
    correct: bool
    parsed: Any = None
    misconception: str | None = None
    message: Text | None = None
    cells: tuple[tuple[int, ...], ...] = ()
    _feedback: Feedback = field(default=lambda lang: "", repr=False, compare=False)

    def feedback(self, lang: str) -> str:
        return self._feedback(lang)

    def verdict(self, lang: str) -> str:
        if not self.valid:
            return t("verdict.invalid", lang)
        return t("verdict.correct" if self.correct else "verdict.incorrect", lang)


def close(a: Any, b: Any, tol: Tolerance) -> np.ndarray | bool:
    """Whether a is within tolerance of the reference b (elementwise for arrays)."""
    a_arr = np.asarray(a, dtype=float)
    b_arr = np.asarray(b, dtype=float)
    if tol.sig is not None:
        mag = np.floor(np.log10(np.where(b_arr == 0, 1.0, np.abs(b_arr))))
        allowed = 0.5 * 10.0 ** (mag - tol.sig + 1) * (1 + 1e-9)
    else:
        allowed = tol.abs + tol.rel * np.abs(b_arr)
    result = np.abs(a_arr - b_arr) <= allowed + 1e-12
    return bool(result) if result.ndim == 0 else result


def _all_close(a: Any, b: Any, tol: Tolerance) -> bool:
    a_arr, b_arr = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a_arr.shape != b_arr.shape:
        return False
    return bool(np.all(close(a_arr, b_arr, tol)))


def _match_misconception(
    problem: Problem, value: Any, tol: Tolerance
) -> MisconceptionValue | None:
    for m in problem.misconceptions:
        if _all_close(value, m.value, tol) and not _all_close(m.value, problem.answer, tol):
            return m
    return None


def _shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(map(str, shape)) if shape else "1"


# --- grading --------------------------------------------------------------------------------


def _invalid(exc: Unreadable) -> Grade:
    return Grade(valid=False, correct=False, _feedback=lambda lang: t(exc.key, lang, **exc.params))


def _verdict(
    problem: Problem,
    correct: bool,
    parsed: Any,
    misconception: MisconceptionValue | None = None,
    message: Text | None = None,
    tag: str | None = None,
    cells: tuple[tuple[int, ...], ...] = (),
) -> Grade:
    message = misconception.message if misconception else message
    tag = misconception.tag if misconception else tag

    def feedback(lang: str) -> str:
        if correct:
            lines = [t("feedback.correct", lang)]
        else:
            lines = [t("feedback.incorrect", lang, answer=problem.answer_text(lang))]
            if message is not None:
                lines.append(problem.text(message, lang))
            if cells:
                shown = ", ".join("(" + ", ".join(str(i + 1) for i in c) + ")" for c in cells)
                lines.append(t("feedback.cells", lang, cells=shown))
        return "\n".join(lines)

    return Grade(
        valid=True,
        correct=correct,
        parsed=parsed,
        misconception=None if correct else tag,
        message=None if correct else message,
        cells=cells,
        _feedback=feedback,
    )


def grade(problem: Problem, raw: str) -> Grade:
    """Read `raw` as an answer to `problem` and grade it."""
    try:
        return _GRADERS[problem.kind](problem, raw)
    except Unreadable as exc:
        return _invalid(exc)


def _grade_numeric(problem: Problem, raw: str) -> Grade:
    value = parse_number(raw)
    tol = problem.template.answer.tolerance
    if close(value, problem.answer, tol):
        return _verdict(problem, True, value)
    return _verdict(problem, False, value, _match_misconception(problem, value, tol))


def _grade_array(problem: Problem, raw: str) -> Grade:
    value = parse_array(raw)
    want = np.asarray(problem.answer)
    tol = problem.template.answer.tolerance
    if want.ndim == 1 and value.size == want.size and 1 in value.shape:
        value = value.reshape(want.shape)
    if value.shape != want.shape:
        # A wrong shape that a known mistake has (a transposed gradient) is a wrong answer.
        for m in problem.misconceptions:
            candidate = value
            if np.ndim(m.value) == 1 and 1 in value.shape and value.size == np.size(m.value):
                candidate = value.reshape(-1)  # a vector typed as a row
            if np.shape(m.value) == candidate.shape and _all_close(candidate, m.value, tol):
                return _verdict(problem, False, candidate.tolist(), m)
        raise Unreadable(
            "answer.bad_shape",
            got=_shape_text(value.shape),
            want=_shape_text(want.shape),
        )
    ok = close(value, want, tol)
    if np.all(ok):
        return _verdict(problem, True, value.tolist())
    wrong = tuple(tuple(int(i) for i in idx) for idx in zip(*np.nonzero(~ok), strict=False))
    return _verdict(
        problem, False, value.tolist(), _match_misconception(problem, value, tol), cells=wrong
    )


def _grade_choice(problem: Problem, raw: str) -> Grade:
    assert problem.choices is not None
    multi = problem.kind == "multi_choice"
    picked = parse_choices(raw, len(problem.choices), multi)
    if multi:
        correct = picked == list(problem.answer)
        chosen_wrong = [problem.choices[i - 1] for i in picked if i not in problem.answer]
        first = chosen_wrong[0] if chosen_wrong else None
        return _verdict(
            problem,
            correct,
            picked,
            message=first.message if first else None,
            tag=first.tag if first else None,
        )
    choice = problem.choices[picked[0] - 1]
    return _verdict(
        problem, choice.correct, picked[0], message=choice.message, tag=choice.tag
    )


def _grade_bool(problem: Problem, raw: str) -> Grade:
    value = parse_bool(raw)
    return _verdict(problem, value == problem.answer, value)


FORMULA_POINTS = 7


def _formula_points(problem: Problem) -> list[dict[str, float]]:
    rng = rng_for(problem.template.id + "/points", problem.seed)
    variables = problem.template.answer.variables or {}
    points = []
    for _ in range(FORMULA_POINTS):
        points.append({name: rng.uniform(lo, hi) for name, (lo, hi) in variables.items()})
    return points


_FORMULA_SUBS = (
    (re.compile(r"σ"), "sigmoid"),
    (re.compile(r"\^"), "**"),
    (re.compile(r"√\(?"), "sqrt("),
)


def normalize_formula(text: str) -> str:
    s = normalize(text)
    for pattern, repl in _FORMULA_SUBS:
        s = pattern.sub(repl, s)
    return s


def evaluate_formula(source: str, problem: Problem, point: dict[str, float]) -> float:
    env = {**problem.params, **point}
    value = compile_expr(source).evaluate(env)
    return float(np.asarray(value, dtype=float).reshape(-1)[0])


def _formula_values(source: str, problem: Problem, points: list[dict[str, float]]) -> np.ndarray:
    return np.array([evaluate_formula(source, problem, point) for point in points])


def _grade_formula(problem: Problem, raw: str) -> Grade:
    source = normalize_formula(raw)
    if not source:
        raise Unreadable("answer.empty")
    variables = set(problem.template.answer.variables or {})
    try:
        expr = compile_expr(source)
    except ExpressionError as exc:
        raise Unreadable("answer.bad_formula", detail=exc.message) from exc
    unknown = expr.names - variables - set(problem.params) - CONSTANTS.keys()
    if unknown:
        raise Unreadable(
            "answer.bad_formula", detail=f"unknown name(s): {', '.join(sorted(unknown))}"
        )
    points = _formula_points(problem)
    try:
        got = _formula_values(source, problem, points)
    except (ExpressionError, TypeError, ValueError) as exc:
        detail = exc.message if isinstance(exc, ExpressionError) else str(exc)
        raise Unreadable("answer.bad_formula", detail=detail) from exc
    want = _formula_values(str(problem.answer), problem, points)
    ok = np.isfinite(got) & np.asarray(close(got, want, FORMULA_TOLERANCE))
    if np.all(ok):
        return _verdict(problem, True, source)
    for m in problem.misconceptions:
        try:
            if _all_close(got, _formula_values(str(m.value), problem, points), FORMULA_TOLERANCE):
                return _verdict(problem, False, source, m)
        except (ExpressionError, TypeError, ValueError):
            continue
    bad = int(np.argmin(ok))
    where = ", ".join(f"{k} = {v:.3g}" for k, v in points[bad].items())

    def feedback(lang: str) -> str:
        return "\n".join(
            [
                t("feedback.incorrect", lang, answer=problem.answer_text(lang)),
                t(
                    "feedback.formula_differs",
                    lang,
                    point=where,
                    got=format_value(float(got[bad])),
                    want=format_value(float(want[bad])),
                ),
            ]
        )

    return Grade(valid=True, correct=False, parsed=source, _feedback=feedback)


FORMULA_TOLERANCE = Tolerance(rel=1e-6, abs=1e-9)


_GRADERS: dict[str, Callable[[Problem, str], Grade]] = {
    "numeric": _grade_numeric,
    "vector": _grade_array,
    "matrix": _grade_array,
    "single_choice": _grade_choice,
    "multi_choice": _grade_choice,
    "true_false": _grade_bool,
    "expression": _grade_formula,
}
