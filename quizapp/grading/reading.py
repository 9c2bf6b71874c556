"""Reading a learner's answer: normalizing the text (NFKC, Japanese punctuation and
math signs) and parsing numbers, arrays, booleans and choice numbers. An answer that
cannot be read raises `Unreadable`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from fractions import Fraction
from typing import Any

import numpy as np

from quizapp.packs.expressions import CONSTANTS, ExpressionError, compile_expr


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
