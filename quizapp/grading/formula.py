"""Reading typed math the way explanations print it: a small tokenizer in front of the
expression language.

Learners type `σ(x)(1−σ(x))`, `2x`, `1 − tanh²(x)`, `1 − tanh(x)²`, `√2/2` or `-ln(0.35)`.
:func:`read_math` turns such text into the expression language's syntax:

* superscripts are powers: `x²` → `x**2`, `tanh(x)²` → `tanh(x)**2`; on a function name
  they power the call: `tanh²(x)` → `tanh(x)**2` (also `tanh^2(x)`);
* implicit multiplication between a number, a variable or a closing bracket and a following
  name, number or opening bracket: `2x` → `2*x`, `σ(x)(1−σ(x))` → `sigmoid(x)*(1 - sigmoid(x))`
  (a name followed by `(` is a call when it is a function and not a variable);
* `σ` → `sigmoid`, `ln` → `log`, `√a` → `sqrt(a)`, `π` → `pi`, `^` → `**`.

Every number is checked before anything computes it (digits and exponent bounded), so a
pasted `1e999999999` is refused at once. Text that cannot be read raises
:class:`~quizapp.grading.reading.Unreadable` with a catalogue key.
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Collection

from quizapp.grading.unreadable import Unreadable, clip, normalize

MAX_ANSWER = 500  # characters of one answer (a formula or a matrix fits easily)
MAX_DIGITS = 40  # digits of one number's mantissa
MAX_EXPONENT_DIGITS = 4  # digits of a number's e-exponent (1e9999 at most: it reads as inf)

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")
_NAMES = {"σ": "sigmoid", "ln": "log", "π": "pi"}

_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*|σ|π)"
    r"|(?P<op>\*\*|//|==|!=|<=|>=|[-+*/%@()\[\],<>^√])"
    r")"
)
_NUMBER_PARTS = re.compile(r"(?P<mantissa>[\d.]+)(?:[eE][+-]?(?P<exponent>\d+))?")

# tokens after which a value has ended (a following value means multiplication)
_VALUE_END = {")"}


class Token(str):
    """A token's text, with its kind (number, name or op)."""

    kind: str

    def __new__(cls, text: str, kind: str) -> Token:
        token = super().__new__(cls, text)
        token.kind = kind
        return token


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` (already normalized, superscripts already marked)."""
    tokens: list[Token] = []
    pos, n = 0, len(text)
    while pos < n:
        if text[pos:].isspace():
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            char = text[pos:].lstrip()[:1]
            raise Unreadable("answer.bad_char", char=char, text=clip(text))
        kind = m.lastgroup or "op"
        value = m.group(kind)
        if kind == "number":
            _check_number(value, text)
        if kind == "name":
            value = _NAMES.get(value, value)
        tokens.append(Token(value, kind))
        pos = m.end()
    return tokens


def _check_number(literal: str, text: str) -> None:
    parts = _NUMBER_PARTS.fullmatch(literal)
    digits = len(parts["mantissa"].replace(".", "")) if parts else len(literal)
    exponent = len(parts["exponent"] or "") if parts else 0
    if digits > MAX_DIGITS or exponent > MAX_EXPONENT_DIGITS:
        raise Unreadable("answer.number_too_long", text=clip(text))
    if not math.isfinite(float(literal)):  # bounded above, so this is quick
        raise Unreadable("answer.not_finite", text=clip(text))


def _matching(tokens: list[Token], start: int) -> int:
    """The index of the bracket closing the one at ``start`` (or len(tokens))."""
    depth = 0
    for i in range(start, len(tokens)):
        if tokens[i] in ("(", "["):
            depth += 1
        elif tokens[i] in (")", "]"):
            depth -= 1
            if depth == 0:
                return i
    return len(tokens)


def _power_operand(tokens: list[Token], i: int) -> int:
    """The end (exclusive) of the power operand that starts at ``i`` (0 if none)."""
    if i < len(tokens) and tokens[i] == "(":
        return _matching(tokens, i) + 1
    if i < len(tokens) and tokens[i] in ("-", "+"):
        i += 1
    if i < len(tokens) and tokens[i].kind in ("number", "name"):
        return i + 1
    return 0


def _is_call(tokens: list[Token], i: int, functions: Collection[str], variables: Collection[str]) -> bool:
    return (
        tokens[i].kind == "name"
        and tokens[i] in functions
        and tokens[i] not in variables
        and i + 1 < len(tokens)
        and tokens[i + 1] == "("
    )


def _rewrite(
    tokens: list[Token], functions: Collection[str], variables: Collection[str]
) -> list[Token]:
    """Powered calls moved (`tanh**2(x)` → `tanh(x)**2`), `√a` → `sqrt(a)`, `*` inserted."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if (
            tok.kind == "name"
            and tok in functions
            and tok not in variables
            and i + 1 < len(tokens)
            and tokens[i + 1] in ("**", "^")
        ):
            end = _power_operand(tokens, i + 2)
            if end and end < len(tokens) and tokens[end] == "(":
                close = _matching(tokens, end)
                group = [tok, *_rewrite(tokens[end : close + 1], functions, variables)]
                power = tokens[i + 2 : end]
                _append(out, group, functions, variables)
                out.extend([Token("**", "op"), *power])
                i = close + 1
                continue
        if tok == "√":
            end = _power_operand(tokens, i + 1)
            if end:
                inner = _rewrite(tokens[i + 1 : end], functions, variables)
                group = [Token("sqrt", "name"), Token("(", "op"), *inner, Token(")", "op")]
                _append(out, group, functions, variables)
                i = end
                continue
        if tok == "^":
            tok = Token("**", "op")
        _append(out, [tok], functions, variables)
        i += 1
    return out


def _append(
    out: list[Token], group: list[Token], functions: Collection[str], variables: Collection[str]
) -> None:
    """Append ``group``, with a `*` first when it follows a value without an operator."""
    if out and group:
        prev, first = out[-1], group[0]
        prev_is_value = (
            prev.kind == "number"
            or prev in _VALUE_END
            or (prev.kind == "name" and not keyword.iskeyword(prev))
        )
        starts_value = (
            (first.kind == "name" and not keyword.iskeyword(first))
            or first == "("
        )
        called = prev.kind == "name" and first == "(" and prev in functions and prev not in variables
        if prev_is_value and starts_value and not called and not (
            prev.kind == "number" and first.kind == "number"
        ):
            out.append(Token("*", "op"))
    out.extend(group)


def _mark_superscripts(text: str) -> str:
    """`x²` → `x^(2)` (before NFKC would turn ² into a plain 2)."""
    def power(m: re.Match[str]) -> str:
        exponent = m.group().translate(_SUPERSCRIPTS)
        return "^" + exponent if exponent.isdigit() else "^(" + exponent + ")"

    return _SUPERSCRIPT_RUN.sub(power, text)


def render(tokens: list[Token]) -> str:
    """Tokens as readable source: `sigmoid(x)*(1 - sigmoid(x))`."""
    out: list[str] = []
    prev: Token | None = None
    for tok in tokens:
        binary = prev is not None and (
            prev.kind in ("number", "name") or prev in (")", "]")
        )
        if prev is not None and prev.kind in ("number", "name") and tok.kind in ("number", "name"):
            out.append(" " + tok)  # `1 2 3` stays three numbers
        elif tok in ("+", "-") and binary:
            out.append(f" {tok} ")
        elif tok == ",":
            out.append(", ")
        elif tok.kind == "name" and keyword.iskeyword(tok):
            out.append(f" {tok} ")
        else:
            out.append(tok)
        prev = tok
    return "".join(out).strip()


def read_math(
    raw: str, functions: Collection[str], variables: Collection[str] = ()
) -> str:
    """``raw`` (as typed) in the syntax of the expression language; see the module doc."""
    if len(raw) > MAX_ANSWER:
        raise Unreadable("answer.too_long", n=len(raw), max=MAX_ANSWER)
    text = normalize(_mark_superscripts(raw))
    if not text:
        raise Unreadable("answer.empty")
    tokens = tokenize(text)
    return render(_rewrite(tokens, functions, variables))
