"""Text for values in prompts and explanations, and the ``{expr}`` fields of a text."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from quizapp.packs.expr_bounds import MAX_FORMAT_WIDTH, ExpressionError
from quizapp.packs.expr_syntax import Expr, compiled

__all__ = ["check_interpolation", "format_value", "interpolate"]

np: Any = None  # numpy, imported on first formatting (this module is imported at start-up)


def _load_numpy() -> None:
    global np
    if np is None:
        import numpy

        np = numpy

_SPEC = re.compile(
    r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>\d+)?[,_]?(?:\.(?P<precision>\d+))?[bcdeEfFgGnosxX%]?"
)


def _check_spec(spec: str) -> None:
    match = _SPEC.fullmatch(spec)
    if match is None:
        raise ExpressionError(f"invalid format {spec!r} (examples: .4f, .3g, .2e, >8)")
    for part in ("width", "precision"):
        if int(match[part] or 0) > MAX_FORMAT_WIDTH:
            raise ExpressionError(f"the {part} of format {spec!r} is too large")


def format_value(v: Any, spec: str = "") -> str:
    """Text for a value in a prompt or explanation.

    Floats: up to 6 significant digits (``0.25``, ``0.104994``, ``1e-08``);
    arrays and lists as ``[0.1, 0.2]`` (nested for matrices), with ``spec``
    applied to each element; bools ``True``/``False``. ``spec`` is a Python
    format spec such as ``.4f`` (``d`` also takes whole floats).
    """
    if spec:
        _check_spec(spec)
    _load_numpy()
    return _format(v, spec)


_NEGATIVE_ZERO = re.compile(r"-0*\.?0*(e[+-]?\d+)?%?")


def _format(v: Any, spec: str) -> str:
    if isinstance(v, np.ndarray):
        v = v.tolist() if v.ndim else v[()]
    if isinstance(v, list):
        return "[" + ", ".join(_format(x, spec) for x in v) + "]"
    if isinstance(v, tuple):
        inner = ", ".join(_format(x, spec) for x in v)
        return f"({inner},)" if len(v) == 1 else f"({inner})"
    if isinstance(v, np.generic):
        v = v.item()
    try:
        if isinstance(v, bool):
            return format(str(v), spec)
        if isinstance(v, float):
            if spec.endswith(("d", "n")) and v.is_integer():
                return format(int(v), spec)
            text = format(v, spec or ".6g")
            # A value that rounds to zero prints without a sign ("-0.0" -> "0.0").
            if text.startswith("-") and _NEGATIVE_ZERO.fullmatch(text):
                return text[1:]
            return text
        return format(v, spec) if isinstance(v, (int, str)) else str(v)
    except ValueError:
        from quizapp.packs.expr_values import _describe

        raise ExpressionError(f"the format {spec!r} does not apply to {_describe(v)}") from None


# --------------------------------------------------------------------------- interpolation


class _Field:
    __slots__ = ("expr", "spec", "start")

    def __init__(self, expr: Expr, spec: str, start: int) -> None:
        self.expr, self.spec, self.start = expr, spec, start


def _moved(err: ExpressionError, text: str, start: int) -> ExpressionError:
    """``err`` of a field that starts at ``start``, located in the whole ``text``."""
    return ExpressionError(err.message, text, start + (err.col or 0))


@functools.lru_cache(maxsize=1024)
def _parse_text(text: str) -> tuple[str | _Field, ...]:
    """Literal pieces and compiled fields of an interpolated text."""
    parts: list[str | _Field] = []
    literal: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "{}" and text.startswith(ch * 2, i):
            literal.append(ch)
            i += 2
        elif ch == "}":
            raise ExpressionError("a single '}' must be written '}}'", text, i)
        elif ch == "{":
            end, colon = _field_end(text, i)
            source = text[i + 1 : colon if colon is not None else end]
            spec = text[colon + 1 : end] if colon is not None else ""
            if not source.strip():
                raise ExpressionError("an empty {} field (write '{{' for a brace)", text, i)
            try:
                expr = compiled(source)
            except ExpressionError as err:
                raise _moved(err, text, i + 1) from None
            try:
                _check_spec(spec)
            except ExpressionError as err:
                raise _moved(err, text, colon + 1) from None  # type: ignore[operator]
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(_Field(expr, spec, i + 1))
            i = end + 1
        else:
            literal.append(ch)
            i += 1
    if literal:
        parts.append("".join(literal))
    return tuple(parts)


def _field_end(text: str, start: int) -> tuple[int, int | None]:
    """Where the field opened at ``start`` closes, and where its format spec begins."""
    depth, quote, colon = 0, "", None
    i = start + 1
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif colon is not None:
            if ch == "}":
                return i, colon
            if ch == "{":
                raise ExpressionError("a format cannot contain '{'", text, i)
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0 and ch == "}":
                return i, None
            depth = max(depth - 1, 0)
        elif ch == ":" and depth == 0:
            colon = i
        i += 1
    raise ExpressionError("'{' is never closed (write '{{' for a brace)", text, start)


def check_interpolation(text: str) -> list[Expr]:
    """The expressions of every ``{...}`` field of ``text``, checked without values."""
    if not isinstance(text, str):
        raise ExpressionError(f"expected text, not {type(text).__name__}")
    return [part.expr for part in _parse_text(text) if isinstance(part, _Field)]


def interpolate(text: str, env: Mapping[str, Any]) -> str:
    """Fill each ``{expr}`` / ``{expr:fmt}`` of ``text``; ``{{`` and ``}}`` are braces."""
    if not isinstance(text, str):
        raise ExpressionError(f"expected text, not {type(text).__name__}")
    out = []
    for part in _parse_text(text):
        if isinstance(part, str):
            out.append(part)
            continue
        try:
            out.append(format_value(part.expr.evaluate(env), part.spec))
        except ExpressionError as err:
            raise _moved(err, text, part.start) from None
    return "".join(out)
