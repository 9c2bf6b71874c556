"""Reading a learner's answer: normalizing the text (NFKC, Japanese punctuation and
math signs) and parsing numbers, arrays, booleans and choice numbers. An answer that
cannot be read raises `Unreadable` (a catalogue key and its fields).

Numbers and arrays go through :func:`quizapp.grading.formula.read_math` (implicit
multiplication, superscripts, `ln`, every literal's size checked first) and then the
pack expression language, with no variables and only elementary functions, so
`-ln(0.35)`, `exp(-1)/(1+exp(-1))`, `sqrt(2)/2` and `2.5×10^-3` are numbers. Nothing here
builds an exact number from the learner's text (no `Fraction`), so every answer is read in
bounded time.
"""

from __future__ import annotations

import ast
import math
import re
import unicodedata
from typing import Any

import numpy as np

from quizapp.grading.formula import MAX_ANSWER, read_math
from quizapp.grading.unreadable import Unreadable, clip, normalize
from quizapp.packs.expressions import CONSTANTS, FUNCTIONS, ExpressionError, compile_expr

__all__ = [
    "ELEMENTARY",
    "Unreadable",
    "clip",
    "normalize",
    "parse_array",
    "parse_bool",
    "parse_choices",
    "parse_number",
]

#: The functions a number may use (`ln` reads as `log`).
ELEMENTARY = frozenset(
    {"exp", "log", "log2", "log10", "sqrt", "abs", "sin", "cos", "tanh", "sinh", "cosh"}
)

_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
# `1 -0.5 2`: a sign after a space and before its number separates entries (not arithmetic)
_SIGNED_ENTRY = re.compile(r"[\w.)\]]\s+[+-][\w.(√]")


def _compile_number(text: str) -> Any:
    """The checked expression of a typed number (or array) with no variables."""
    if len(text) > MAX_ANSWER:
        raise Unreadable("answer.too_long", n=len(text), max=MAX_ANSWER)
    if _DECIMAL_COMMA.fullmatch(normalize(text)):
        raise Unreadable("answer.decimal_comma", text=clip(text))
    source = read_math(text, FUNCTIONS)
    try:
        expr = compile_expr(source)
    except ExpressionError as exc:
        raise Unreadable("answer.not_number", text=clip(text)) from exc
    if expr.names - CONSTANTS.keys():
        raise Unreadable("answer.not_number", text=clip(text))
    if expr.calls - ELEMENTARY:
        raise Unreadable(
            "answer.function_not_allowed",
            name=sorted(expr.calls - ELEMENTARY)[0],
            allowed=", ".join(sorted({*ELEMENTARY, "ln"})),
        )
    return expr


def _evaluate(expr: Any, text: str) -> Any:
    try:
        return expr.evaluate({})
    except ExpressionError as exc:
        raise Unreadable("answer.not_computable", text=clip(text)) from exc


def parse_number(text: str) -> float:
    """A number: 0.25, -3, 1/4, 2.5e-3, 2.5×10^-3, or arithmetic like -ln(0.35)."""
    if not normalize(text):
        raise Unreadable("answer.empty")
    expr = _compile_number(text)
    if isinstance(expr.body, (ast.Tuple, ast.List)):
        raise Unreadable("answer.one_value", count=len(expr.body.elts), text=clip(text))
    value = _evaluate(expr, text)
    if isinstance(value, (bool, np.bool_, str)):
        raise Unreadable("answer.not_number", text=clip(text))
    if isinstance(value, (list, tuple, np.ndarray)) and np.size(value) != 1:
        raise Unreadable("answer.one_value", count=int(np.size(value)), text=clip(text))
    try:
        number = float(np.asarray(value, dtype=float).reshape(-1)[0])
    except (TypeError, ValueError, IndexError) as exc:
        raise Unreadable("answer.not_number", text=clip(text)) from exc
    if not math.isfinite(number):
        raise Unreadable("answer.not_finite", text=clip(text))
    return number


def _as_array(value: Any, text: str) -> np.ndarray:
    if isinstance(value, (bool, np.bool_, str)):
        raise Unreadable("answer.not_number", text=clip(text))
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise Unreadable("answer.ragged") from exc
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim > 2:
        raise Unreadable("answer.not_number", text=clip(text))
    if not np.all(np.isfinite(arr)):
        raise Unreadable("answer.not_finite", text=clip(text))
    return arr


def parse_array(text: str) -> np.ndarray:
    """`[[1, 2], [3, 4]]`, `1 2; 3 4`, `1, 2; 3, 4`, `[1, 2, 3]`, `(1, 2)` or `1 2 3`
    (rows on lines too)."""
    s = normalize(text)
    if not s:
        raise Unreadable("answer.empty")
    if len(text) > MAX_ANSWER:
        raise Unreadable("answer.too_long", n=len(text), max=MAX_ANSWER)
    if ";" not in s and "\n" not in s and not _SIGNED_ENTRY.search(s):
        try:
            expr = _compile_number(text)
        except Unreadable as exc:
            if exc.key in ("answer.number_too_long", "answer.function_not_allowed"):
                raise
            expr = None
        if expr is not None:
            return _as_array(_evaluate(expr, text), text)
    return _split_array(s, text)


def _split_array(s: str, text: str) -> np.ndarray:
    """Rows separated by `;` or lines (or each in brackets), entries by commas or spaces."""
    if "[" in s or "]" in s:
        rows = re.findall(r"\[([^\[\]]*)\]", s)
        rest = re.sub(r"\[([^\[\]]*)\]", "", s)
        if not rows or re.sub(r"[\s,\[\]]", "", rest):
            raise Unreadable("answer.not_number", text=clip(text))
    else:
        rows = re.split(r"[;\n]", s)
        if rows and not rows[-1].strip():
            rows = rows[:-1]
    cells = []
    for row in rows:
        entries = [e for e in re.split(r"[,\s]+", row.strip()) if e]
        if not entries:
            raise Unreadable("answer.not_number", text=clip(text))
        cells.append([parse_number(e) for e in entries])
    if len({len(r) for r in cells}) != 1:
        raise Unreadable("answer.ragged")
    return np.array(cells, dtype=float)


_TRUE = {"true", "t", "yes", "y", "1", "o", "○", "◯", "〇", "はい", "正", "正しい", "まる", "丸"}
_FALSE = {"false", "f", "no", "n", "0", "x", "×", "✕", "いいえ", "誤", "誤り", "ばつ", "バツ"}


def parse_bool(text: str) -> bool:
    raw = unicodedata.normalize("NFKC", text).strip().lower()
    if raw in _TRUE or normalize(text).lower() in _TRUE:
        return True
    if raw in _FALSE or raw == "*":
        return False
    raise Unreadable("answer.bad_bool")


def _option_number(p: str) -> int | None:
    """An option number typed in ASCII digits (other scripts' digits are not numbers here)."""
    if p.isascii() and p.isdigit() and len(p) <= 3:
        return int(p)
    return None


def parse_choices(text: str, n: int, multi: bool) -> list[int]:
    s = normalize(text).upper()
    letters = {chr(ord("A") + i): i + 1 for i in range(n)}
    kana = {k: i + 1 for i, k in enumerate("アイウエオカキク"[:n])}
    parts = [p for p in re.split(r"[,\s/]+", s) if p]
    key = "answer.bad_multi" if multi else "answer.bad_choice"
    if not multi and len(parts) != 1:
        raise Unreadable(key, n=n, text=clip(text))
    if multi and len(parts) == 1 and parts[0].isascii() and parts[0].isdigit():
        if len(parts[0]) > n:
            raise Unreadable(key, n=n, text=clip(text))
        parts = list(parts[0])  # "13" -> 1, 3
    out = []
    for p in parts:
        p = p.strip("().")
        number = _option_number(p)
        if number is not None and 1 <= number <= n:
            out.append(number)
        elif p in letters:
            out.append(letters[p])
        elif p in kana:
            out.append(kana[p])
        else:
            raise Unreadable(key, n=n, text=clip(text))
    if not out:
        raise Unreadable("answer.empty")
    return sorted(set(out))
