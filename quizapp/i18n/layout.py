"""Prose laid out for a fixed-width screen: line breaks that suit Japanese and English,
vectors kept whole and matrices printed as a small block.

Generic wrappers break only at spaces, so Japanese (few spaces) either breaks after a lone
number (「3」 / 「層のネットワーク…」) or is folded inside a word (「活性化関」/「数」), and a
matrix written inline breaks inside a row. ``layout(text, width)`` returns the lines to show:

- a line may break between two Japanese characters, at a space, or between Japanese and
  Latin text; never before closing punctuation (、。）」 , . ) …) nor after an opening
  bracket, nor before an operator between spaces (``y = W2 z +`` / ``b2``, as TeX breaks
  inline math); a short number stays with the Japanese word beside it (「第 1 問」, 「64 チャネル」);
- a vector ``[0.1, -0.2, 0.3]`` is one unit (it breaks after a comma only when it is wider
  than the line), and so is a short tuple of symbols: ``(j, i)``, ``(x1, y1, x2, y2)``,
  ``[a, b]``, ``N(0, 1)``;
- a matrix ``[[…], […]]`` with two or more rows is laid out one row a line, columns aligned,
  after the text before it (``W = [[-0.2, 0.9, -0.4],`` / ``     [   0, 0.8, -0.2]],``).

Widths are terminal cells: East Asian wide and full-width characters count 2, others 1.
The module is pure (no Textual, no Rich): the TUI renders its lines
(``quizapp.tui.widgets.mathblock``), and tests call it directly.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["cell_width", "layout", "matrix_rows", "wrap"]

# Characters that must not start a line (kinsoku), and that must not end one: the closing
# and opening brackets of the CJK and full-width blocks, small kana, and the marks below.
_CJK = [chr(c) for c in (*range(0x3000, 0x3100), *range(0xFF00, 0xFF66))]
_START_NAMES = (
    "IDEOGRAPHIC COMMA", "IDEOGRAPHIC FULL STOP", "FULLWIDTH COMMA", "FULLWIDTH FULL STOP",
    "KATAKANA MIDDLE DOT", "FULLWIDTH COLON", "FULLWIDTH SEMICOLON", "FULLWIDTH QUESTION MARK",
    "FULLWIDTH EXCLAMATION MARK", "KATAKANA-HIRAGANA PROLONGED SOUND MARK",
    "IDEOGRAPHIC ITERATION MARK", "WAVE DASH", "HORIZONTAL ELLIPSIS", "FULLWIDTH PERCENT SIGN",
)
NO_LINE_START = (
    {ch for ch in _CJK if unicodedata.category(ch) in ("Pe", "Pf")}
    | {ch for ch in _CJK
       if unicodedata.name(ch, "").startswith(("HIRAGANA LETTER SMALL", "KATAKANA LETTER SMALL"))}
    | {unicodedata.lookup(name) for name in _START_NAMES}
    | set(",.;:!?)]}%")
)
NO_LINE_END = {ch for ch in _CJK if unicodedata.category(ch) in ("Ps", "Pi")} | set("([{")
_NUMBER = re.compile(r"[-+−]?\d+(?:[.,]\d+)*")
_ARRAY_TEXT = re.compile(r"[\[\]\s,0-9eE.+\-−]+")
_OPERATORS = frozenset("+ − - = ≈ ≠ × · ÷ ← → ≤ ≥ < > ∈".split())
"""Operators written between spaces: a line may end after one, never start with one."""
_MAX_TUPLE = 24
"""The longest bracketed tuple (in characters) kept on one line."""


@lru_cache(maxsize=4096)
def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """Terminal cells of ``text`` (wide and full-width characters count 2)."""
    return sum(_char_width(ch) for ch in text)


def _is_wide(ch: str) -> bool:
    return _char_width(ch) == 2


# --------------------------------------------------------------------------- tokens


def _array_end(text: str, start: int) -> int | None:
    """The index after the ``]`` matching the ``[`` at ``start`` when the brackets hold a
    numeric array (``[0.1, -2]``, ``[[1, 2], [3, 4]]``); else None."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                inner = text[start : i + 1]
                if _ARRAY_TEXT.fullmatch(inner) and any(c.isdigit() for c in inner):
                    return i + 1
                return None
        elif not _ARRAY_TEXT.fullmatch(ch):
            return None
    return None


def _tuple_end(text: str, start: int) -> int | None:
    """The index after the bracket closing the ``(`` or ``[`` at ``start`` when it holds a
    short tuple of Latin symbols with a comma: ``(2, 2)``, ``(x1, y1, x2, y2)``, ``[a, b]``
    (no wide characters, single spaces, at most ``_MAX_TUPLE`` characters); else None."""
    depth = 0
    for i in range(start, min(len(text), start + _MAX_TUPLE)):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth == 0:
                inner = text[start : i + 1]
                closes = ")" if text[start] == "(" else "]"
                ok = ch == closes and ", " in inner and "  " not in inner
                return i + 1 if ok else None
        elif _is_wide(ch) or (ch.isspace() and ch != " "):
            return None
    return None


def _tokens(text: str) -> list[str]:
    """Spaces, single wide characters, numeric arrays, and runs of other characters."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "[":
            end = _array_end(text, i)
            if end is not None:
                out.append(text[i:end])
                i = end
                continue
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            out.append(" " * (j - i))
            i = j
        elif _is_wide(ch):
            out.append(ch)
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and not _is_wide(text[j]):
                if text[j] in "([":
                    end = _tuple_end(text, j)
                    if end is not None:  # (2, 2), f(x, y), [a, b]: one piece
                        j = end
                        continue
                    if text[j] == "[" and j > i:
                        break  # a numeric array starts a token of its own
                j += 1
            if j == i:  # a "[" that starts no tuple
                j = i + 1
            out.append(text[i:j])
            i = j
    return out


def _short_number(token: str) -> bool:
    return len(token) <= 5 and _NUMBER.fullmatch(token) is not None


def _glued(left: str, right: str, spaced: bool) -> bool:
    """True when no line break may fall between tokens ``left`` and ``right``."""
    if right[0] in NO_LINE_START or left[-1] in NO_LINE_END:
        return True
    if spaced and right in _OPERATORS:  # as TeX does inline: break after "+", not before
        return True
    if spaced:
        # 「第 1 問」, 「64 チャネル」, 「3 層」: a short number stays with its Japanese word.
        return (_short_number(left) and _is_wide(right[0])) or (
            _is_wide(left[-1]) and _short_number(right)
        )
    # Latin text runs are single tokens already; between two wide characters, or a wide
    # character and Latin text, a break is allowed.
    return False


def _units(text: str) -> list[tuple[str, int]]:
    """``(text, spaces before it)`` units that a line break may separate."""
    units: list[tuple[str, int]] = []
    spaces = 0
    prev: str | None = None
    for tok in _tokens(text):
        if tok.isspace():
            spaces = len(tok)
            continue
        if prev is not None and _glued(prev, tok, spaces > 0):
            joined, before = units[-1]
            units[-1] = (joined + " " * spaces + tok, before)
        else:
            units.append((tok, spaces if units else 0))
        prev, spaces = tok, 0
    return units


# --------------------------------------------------------------------------- wrapping


def _fold(unit: str, width: int) -> list[str]:
    """A unit wider than the line: break after ", " when it has one, else by cells."""
    if ", " in unit:
        pieces = [p + "," for p in unit.split(", ")]
        pieces[-1] = pieces[-1][:-1]
        lines: list[str] = []
        for piece in pieces:
            if lines and cell_width(lines[-1]) + 1 + cell_width(piece) <= width:
                lines[-1] += " " + piece
            else:
                lines.extend(_fold(piece, width) if cell_width(piece) > width else [piece])
        return lines
    lines = [""]
    for ch in unit:
        if lines[-1] and cell_width(lines[-1]) + _char_width(ch) > width:
            lines.append("")
        lines[-1] += ch
    return lines


def _wrap_paragraph(text: str, width: int, first: int = 0) -> list[str]:
    """Lines of one paragraph; the first line already holds ``first`` cells."""
    lines = [""]
    used = first
    for unit, spaces in _units(text):
        w = cell_width(unit)
        gap = spaces if lines[-1] else 0
        if used + gap + w <= width:
            lines[-1] += " " * gap + unit
            used += gap + w
            continue
        if w > width:
            folded = _fold(unit, width)
            if lines[-1] or used:
                lines.append("")
            lines[-1] += folded[0]
            lines.extend(folded[1:])
            used = cell_width(lines[-1])
            continue
        lines.append(unit)
        used = w
    return lines


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells (newlines kept)."""
    width = max(1, width)
    out: list[str] = []
    for paragraph in text.split("\n"):
        out.extend(_wrap_paragraph(paragraph.rstrip(), width) if paragraph.strip() else [""])
    return out


# --------------------------------------------------------------------------- matrices


def matrix_rows(text: str) -> list[str] | None:
    """A numeric matrix literal ``[[a, b], [c, d]]`` as aligned rows
    (``["[[a, b],", " [c, d]]"]``); None unless it has two or more rows of numbers."""
    text = text.strip()
    if not (text.startswith("[[") and text.endswith("]]")) or not _ARRAY_TEXT.fullmatch(text):
        return None
    body = text[1:-1].strip()
    rows = re.findall(r"\[([^\[\]]*)\]", body)
    if len(rows) < 2 or re.sub(r"\[[^\[\]]*\]", "", body).strip(" ,") != "":
        return None
    cells = [[c.strip() for c in row.split(",")] for row in rows]
    if any(not all(cells_row) for cells_row in cells):
        return None
    columns = max(len(r) for r in cells)
    widths = [max((len(r[k]) for r in cells if k < len(r)), default=0) for k in range(columns)]
    lines = []
    for i, row in enumerate(cells):
        inner = ", ".join(c.rjust(widths[k]) for k, c in enumerate(row))
        opening = "[[" if i == 0 else " ["
        closing = "]]" if i == len(cells) - 1 else "],"
        lines.append(f"{opening}{inner}{closing}")
    return lines


def _split_matrices(paragraph: str) -> list[str | list[str]]:
    """Text pieces and matrix blocks (lists of rows) of one paragraph, in order."""
    pieces: list[str | list[str]] = []
    literal = ""
    i = 0
    while i < len(paragraph):
        if paragraph.startswith("[[", i):
            end = _array_end(paragraph, i)
            rows = matrix_rows(paragraph[i:end]) if end is not None else None
            if rows is not None and end is not None:
                pieces.extend([literal, rows])
                literal = ""
                i = end
                continue
        literal += paragraph[i]
        i += 1
    pieces.append(literal)
    return pieces


def _layout_paragraph(paragraph: str, width: int) -> list[str]:
    pieces = _split_matrices(paragraph)
    if len(pieces) == 1:
        return _wrap_paragraph(paragraph.rstrip(), width)
    lines: list[str] = []
    tail = ""  # text that continues the last line (punctuation after a matrix)
    for piece in pieces:
        if isinstance(piece, str):
            rest = piece
            # punctuation right after a matrix stays on its last row
            while rest and (rest[0] in NO_LINE_START or rest[0] in ",;"):
                tail, rest = tail + rest[0], rest[1:]
            if lines and tail:
                lines[-1] += tail
            tail = ""
            pending = rest.strip()
            if pending:
                lines.extend(_wrap_paragraph(pending, width))
            continue
        rows = piece
        block = max(cell_width(r) for r in rows) + 1  # room for a comma after the block
        label = lines[-1] if lines else ""
        if lines and label and cell_width(label) + 1 + block <= width:
            pad = " " * (cell_width(label) + 1)
            lines[-1] = f"{label} {rows[0]}"
            lines.extend(pad + r for r in rows[1:])
        elif block + 2 <= width:
            lines.extend("  " + r for r in rows)
        else:  # wider than the screen: each row breaks after its commas
            for row in rows:
                lines.extend(_fold(row, width) if cell_width(row) > width else [row])
    return lines


def layout(text: str, width: int) -> list[str]:
    """The lines to show ``text`` in ``width`` cells: Japanese-aware line breaks, vectors
    kept whole, matrices as aligned blocks (see the module docstring)."""
    width = max(1, width)
    out: list[str] = []
    for paragraph in text.split("\n"):
        out.extend(_layout_paragraph(paragraph, width) if paragraph.strip() else [""])
    return out
