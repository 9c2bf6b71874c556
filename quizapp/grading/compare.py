"""Grading a read answer against a problem: tolerances, per-cell feedback, formulas by
evaluation at several points, and the misconception a wrong answer matches.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from quizapp.grading.formula import read_math
from quizapp.grading.reading import (
    Unreadable,
    clip,
    normalize,
    parse_array,
    parse_bool,
    parse_choices,
    parse_number,
)
from quizapp.i18n import t
from quizapp.packs.expressions import (
    CONSTANTS,
    FUNCTIONS,
    Expr,
    ExpressionError,
    compile_expr,
    format_value,
)
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


_PLACES = (
    re.compile(r"小数第\s*(\d+)\s*位まで"),
    re.compile(r"(\d+)\s+decimal\s+places?", re.IGNORECASE),
)


def tolerance_for(problem: Problem) -> Tolerance:
    """The tolerance of a numeric answer: the template's, or, when the template sets none and
    its prompt asks for n decimal places, `places: n` (so the prompt and the grading agree)."""
    answer = problem.template.answer
    tol = answer.tolerance
    if tol.places is not None or "tolerance" in answer.model_fields_set:
        return tol
    places = prompt_places(problem)
    return Tolerance(places=places) if places is not None else tol


def prompt_places(problem: Problem) -> int | None:
    """The decimal places the prompt asks for ("to 3 decimal places", 「小数第 3 位まで」),
    or None."""
    prompt = problem.template.prompt
    texts = [prompt] if isinstance(prompt, str) else [prompt.ja or "", prompt.en or ""]
    for text in texts:
        for pattern in _PLACES:
            if m := pattern.search(text):
                return min(int(m.group(1)), 12)
    return None


def close(a: Any, b: Any, tol: Tolerance) -> np.ndarray | bool:
    """Whether a is within tolerance of the reference b (elementwise for arrays).

    With `places: n`, a passes when it is b correctly rounded to n places (or closer), or b
    truncated to n places; an answer with fewer places passes only when it agrees with b in
    those n places (0.92 for 0.924 does not; 0.9 for 0.9003 does)."""
    a_arr = np.asarray(a, dtype=float)
    b_arr = np.asarray(b, dtype=float)
    if tol.places is not None:
        unit = 10.0 ** -tol.places
        slack = 1e-9 * np.maximum(1.0, np.abs(b_arr))
        rounded = np.abs(a_arr - b_arr) <= 0.5 * unit + slack
        truncated = np.abs(a_arr - np.trunc(b_arr / unit) * unit) <= slack
        result = rounded | truncated
        return bool(result) if result.ndim == 0 else result
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


def answer_text(problem: Problem, lang: str) -> str:
    """The correct answer as shown after a wrong one: with the decimal places the prompt asks
    for (0.027, not 0.0265922), also when the template grades with a tolerance of its own;
    otherwise as the problem prints it."""
    if problem.kind in ("numeric", "vector", "matrix"):
        places = problem.template.answer.tolerance.places
        if places is None:
            places = prompt_places(problem)
        if places is not None:
            return format_value(problem.answer, f".{places}f")
    return problem.answer_text(lang)


def _verdict(
    problem: Problem,
    correct: bool,
    parsed: Any,
    misconception: MisconceptionValue | None = None,
    message: Text | None = None,
    tag: str | None = None,
    cells: tuple[tuple[int, ...], ...] = (),
    read_as: str | None = None,
) -> Grade:
    message = misconception.message if misconception else message
    tag = misconception.tag if misconception else tag

    def feedback(lang: str) -> str:
        if correct:
            lines = [t("feedback.correct", lang)]
        else:
            lines = [t("feedback.incorrect", lang, answer=answer_text(problem, lang))]
            if message is not None:
                lines.append(problem.text(message, lang))
            if cells:
                shown = ", ".join("(" + ", ".join(str(i + 1) for i in c) + ")" for c in cells)
                lines.append(t("feedback.cells", lang, cells=shown))
        if read_as is not None:
            lines.append(t("answer.read_as", lang, parsed=read_as))
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
    """Read `raw` as an answer to `problem` and grade it.

    The grader is a boundary: whatever the text, it returns a valid (correct or wrong) or an
    invalid grade, in bounded time (every number's size is checked before it is computed)."""
    if not isinstance(raw, str):
        return _invalid(Unreadable("answer.empty"))
    try:
        return _GRADERS[problem.kind](problem, raw)
    except Unreadable as exc:
        return _invalid(exc)


def _grade_numeric(problem: Problem, raw: str) -> Grade:
    value = parse_number(raw)
    tol = tolerance_for(problem)
    if close(value, problem.answer, tol):
        return _verdict(problem, True, value)
    return _verdict(problem, False, value, _match_misconception(problem, value, tol))


def _grade_array(problem: Problem, raw: str) -> Grade:
    value = parse_array(raw)
    want = np.asarray(problem.answer)
    tol = tolerance_for(problem)
    if want.ndim == 1 and value.size == want.size and 1 in value.shape:
        value = value.reshape(want.shape)
    if value.shape != want.shape:
        # A wrong shape that a known mistake has (a transposed gradient) is a wrong answer.
        for m in problem.misconceptions:
            candidate = value
            m_shape = np.shape(m.value)
            squeezed = tuple(d for d in m_shape if d != 1)
            if squeezed == tuple(d for d in value.shape if d != 1):
                candidate = value.reshape(m_shape)  # a vector typed as a row, or the reverse
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


def normalize_formula(text: str, variables: frozenset[str] = frozenset()) -> str:
    """A typed formula in the expression language's syntax (`σ(x)(1−σ(x))` →
    `sigmoid(x)*(1 - sigmoid(x))`, `tanh²(x)` → `tanh(x)**2`)."""
    return read_math(text, FUNCTIONS, variables)


def _scalar(value: Any) -> float:
    """The one number a formula gives at a point (Unreadable when it gives something else)."""
    if isinstance(value, (bool, np.bool_, str)) or np.size(value) != 1:
        raise Unreadable("answer.formula_not_number")
    try:
        return float(np.asarray(value, dtype=float).reshape(-1)[0])
    except (TypeError, ValueError) as exc:
        raise Unreadable("answer.formula_not_number") from exc


def evaluate_formula(source: str, problem: Problem, point: dict[str, float]) -> float:
    env = {**problem.params, **point}
    return _scalar(compile_expr(source).evaluate(env))


def _formula_values(source: str, problem: Problem, points: list[dict[str, float]]) -> np.ndarray:
    return np.array([evaluate_formula(source, problem, point) for point in points])


def _formula_problem(exc: ExpressionError, source: str) -> Unreadable:
    """A compile error of a learner's formula as a catalogue message."""
    message = exc.message
    if message.startswith("syntax error"):
        at = (exc.col or 0) + 1
        return Unreadable("answer.formula_syntax", read=clip(source), at=at)
    if "too long" in message or "nested too deeply" in message:
        return Unreadable("answer.formula_too_complex")
    return Unreadable("answer.formula_not_allowed", read=clip(source))


def read_formula(problem: Problem, raw: str) -> tuple[str, Expr]:
    """The formula typed for `problem`, as read (source text) and compiled; Unreadable with a
    catalogue message when it cannot be read or uses a name the problem does not have."""
    variables = frozenset(problem.template.answer.variables or {})
    known = variables | set(problem.params) | CONSTANTS.keys()
    source = normalize_formula(raw, variables | frozenset(problem.params))
    try:
        expr = compile_expr(source)
    except ExpressionError as exc:
        raise _formula_problem(exc, source) from exc
    if isinstance(expr.body, (ast.Tuple, ast.List)):
        if len(expr.body.elts) > 1:
            raise Unreadable("answer.formula_one", read=clip(source))
        raise Unreadable("answer.formula_not_number")
    unknown = sorted(expr.names - known)
    called = [name for name in unknown if f"{name}*(" in source]  # `nosuch(x)`, read as a product
    if called:
        raise Unreadable("answer.formula_unknown_function", name=clip(called[0]))
    if unknown:
        raise Unreadable(
            "answer.formula_unknown_name",
            names=clip(", ".join(unknown)),
            vars=", ".join(sorted(variables)) or "-",
        )
    missing = sorted(name for name in expr.calls if name not in FUNCTIONS)
    if missing:
        raise Unreadable("answer.formula_unknown_function", name=clip(missing[0]))
    return source, expr


def _grade_formula(problem: Problem, raw: str) -> Grade:
    source, _expr = read_formula(problem, raw)
    read_as = source if source != normalize(raw) else None
    points = _formula_points(problem)
    try:
        got = _formula_values(source, problem, points)
    except (ExpressionError, TypeError, ValueError) as exc:
        raise Unreadable("answer.formula_not_computable", read=clip(source)) from exc
    want = _formula_values(str(problem.answer), problem, points)
    ok = np.isfinite(got) & np.asarray(close(got, want, FORMULA_TOLERANCE))
    if np.all(ok):
        return _verdict(problem, True, source, read_as=read_as)
    for m in problem.misconceptions:
        try:
            if _all_close(got, _formula_values(str(m.value), problem, points), FORMULA_TOLERANCE):
                return _verdict(problem, False, source, m, read_as=read_as)
        except (ExpressionError, TypeError, ValueError, Unreadable):
            continue
    bad = int(np.argmin(ok))
    where = ", ".join(f"{k} = {v:.3g}" for k, v in points[bad].items())

    def feedback(lang: str) -> str:
        lines = [
            t("feedback.incorrect", lang, answer=problem.answer_text(lang)),
            t(
                "feedback.formula_differs",
                lang,
                point=where,
                got=format_value(float(got[bad])),
                want=format_value(float(want[bad])),
            ),
        ]
        if read_as is not None:
            lines.append(t("answer.read_as", lang, parsed=read_as))
        return "\n".join(lines)

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
