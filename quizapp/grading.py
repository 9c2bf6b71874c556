"""Reading and grading a learner's answer.

Input is normalized first (NFKC: full-width digits and signs from Japanese input
methods, `−`, `．`, `，`), then read according to the problem's kind. An answer
that cannot be read is *invalid* (the learner is told how it was read and may try
again; it costs no attempt), never *wrong*.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from quizapp.expressions import CONSTANTS, ExpressionError, compile_expr, format_value
from quizapp.generation import MisconceptionValue, Problem, rng_for
from quizapp.i18n import t
from quizapp.model import Text, Tolerance

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


class Unreadable(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


# --- normalization and numbers --------------------------------------------------------------

_TRANSLATE = str.maketrans(
    {
        "−": "-",  # minus sign
        "–": "-",
        "—": "-",
        "‐": "-",
        "ー": "-",  # katakana prolonged sound mark, typed for minus in IME
        "×": "*",
        "·": "*",
        "⋅": "*",
        "÷": "/",
        "、": ",",
        "。": ".",
        "；": ";",
        "［": "[",
        "］": "]",
    }
)


def normalize(text: str) -> str:
    """NFKC, Japanese punctuation and math signs to ASCII, surrounding spaces removed."""
    return unicodedata.normalize("NFKC", text).translate(_TRANSLATE).strip()


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_FRACTION = re.compile(rf"^({_NUMBER.pattern})\s*/\s*({_NUMBER.pattern})$")
_TIMES_TEN = re.compile(r"^(.+?)\s*\*\s*10\s*(\^|\*\*)\s*\(?([+-]?\d+)\)?$")


def parse_number(text: str) -> float:
    """A number: 0.25, -3, 1/4, 2.5e-3, 2.5×10^-3, or simple arithmetic like exp(-1)."""
    s = normalize(text)
    if not s:
        raise Unreadable("answer.empty")
    if _NUMBER.fullmatch(s):
        value = float(s)
    elif m := _FRACTION.match(s):
        if float(m.group(4)) == 0:
            raise Unreadable("answer.not_finite", text=text)
        value = float(Fraction(m.group(1)) / Fraction(m.group(4)))
    elif m := _TIMES_TEN.match(s):
        value = parse_number(m.group(1)) * 10.0 ** int(m.group(3))
    else:
        value = _arithmetic(s, text)
    if not math.isfinite(value):
        raise Unreadable("answer.not_finite", text=text)
    return value


def _arithmetic(s: str, original: str) -> float:
    """Plain arithmetic on numbers (and exp/log/sqrt), through the safe expression language."""
    s = s.replace("^", "**")
    try:
        expr = compile_expr(s)
        if expr.names - CONSTANTS.keys():
            raise Unreadable("answer.not_number", text=original)
        value = expr.evaluate({})
    except ExpressionError as exc:
        raise Unreadable("answer.not_number", text=original) from exc
    if isinstance(value, (bool, np.bool_, str)) or (
        isinstance(value, np.ndarray) and value.size != 1
    ):
        raise Unreadable("answer.not_number", text=original)
    try:
        return float(np.asarray(value, dtype=float).reshape(-1)[0])
    except (TypeError, ValueError) as exc:
        raise Unreadable("answer.not_number", text=original) from exc


def parse_array(text: str) -> np.ndarray:
    """`[[1, 2], [3, 4]]`, `1 2; 3 4`, `1, 2; 3, 4`, `[1, 2, 3]` or `1 2 3` (rows on lines too)."""
    s = normalize(text)
    if not s:
        raise Unreadable("answer.empty")
    if "[" in s or "]" in s:
        rows = re.findall(r"\[([^\[\]]*)\]", s)
        rest = re.sub(r"\[([^\[\]]*)\]", "", s)
        if not rows or re.sub(r"[\s,\[\]]", "", rest):
            raise Unreadable("answer.not_number", text=text)
    else:
        rows = [r for r in re.split(r"[;\n]", s)]
        if rows and not rows[-1].strip():
            rows = rows[:-1]
    cells = []
    for row in rows:
        entries = [e for e in re.split(r"[,\s]+", row.strip()) if e]
        if not entries:
            raise Unreadable("answer.not_number", text=text)
        cells.append([parse_number(e) for e in entries])
    if len({len(r) for r in cells}) != 1:
        raise Unreadable("answer.ragged")
    arr = np.array(cells, dtype=float)
    return arr


_TRUE = {"true", "t", "yes", "y", "1", "o", "○", "◯", "〇", "はい", "正", "正しい", "まる", "丸"}
_FALSE = {"false", "f", "no", "n", "0", "x", "×", "✕", "いいえ", "誤", "誤り", "ばつ", "バツ"}


def parse_bool(text: str) -> bool:
    raw = unicodedata.normalize("NFKC", text).strip().lower()
    if raw in _TRUE or normalize(text).lower() in _TRUE:
        return True
    if raw in _FALSE or raw == "*":
        return False
    raise Unreadable("answer.bad_bool")


def parse_choices(text: str, n: int, multi: bool) -> list[int]:
    s = normalize(text).upper()
    letters = {chr(ord("A") + i): i + 1 for i in range(n)}
    kana = {k: i + 1 for i, k in enumerate("アイウエオカキク"[:n])}
    parts = [p for p in re.split(r"[,\s/]+", s) if p]
    if not multi and len(parts) != 1:
        raise Unreadable("answer.bad_choice", n=n, text=text)
    if multi and len(parts) == 1 and parts[0].isdigit() and len(parts[0]) > 1:
        parts = list(parts[0])  # "13" -> 1, 3
    out = []
    for p in parts:
        p = p.strip("().")
        if p.isdigit() and 1 <= int(p) <= n:
            out.append(int(p))
        elif p in letters:
            out.append(letters[p])
        elif p in kana:
            out.append(kana[p])
        else:
            raise Unreadable("answer.bad_multi" if multi else "answer.bad_choice", n=n, text=text)
    if not out:
        raise Unreadable("answer.empty")
    return sorted(set(out))


# --- comparing ------------------------------------------------------------------------------


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
