"""Compiling a pack expression: parse with :func:`ast.parse`, then check the tree statically.

Only the syntax handled by ``_Validator`` is allowed, attributes ``.T .shape .size .ndim``,
no name starting with ``_``, bounded length, depth and size. Calls are checked by name when
evaluated (``Expr.calls`` lets a loader check them earlier). Importing this module costs only
the standard library; evaluation (:mod:`quizapp.packs.expr_eval`, numpy) is loaded on first use.
"""

from __future__ import annotations

import ast
import functools
import math
import re
from collections.abc import Mapping
from typing import Any

from quizapp.packs.expr_bounds import (
    MAX_DEPTH,
    MAX_INT,
    MAX_NODES,
    MAX_SOURCE,
    MAX_TEXT_LITERAL,
    ExpressionError,
)

__all__ = ["Expr", "compile_expr", "compiled", "evaluate"]

_ATTRIBUTES = ("T", "shape", "size", "ndim")

#: The operators the language has (the evaluator gives each its meaning).
UNARY_OPS = frozenset({ast.UAdd, ast.USub, ast.Not})
BINARY_OPS = frozenset(
    {ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.MatMult}
)
COMPARE_OPS = frozenset({ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn})

_REJECTED = {
    ast.Lambda: "lambda functions",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.Starred: "starred arguments (*x)",
    ast.NamedExpr: "assignment expressions (:=)",
    ast.Dict: "dict literals",
    ast.Set: "set literals",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}
_OPERATOR_HINTS = {
    ast.BitXor: ("^", " (write ** for a power)"),
    ast.BitAnd: ("&", " (write and)"),
    ast.BitOr: ("|", " (write or)"),
    ast.LShift: ("<<", ""),
    ast.RShift: (">>", ""),
    ast.Invert: ("~", " (write not)"),
    ast.Is: ("is", " (write ==)"),
    ast.IsNot: ("is not", " (write !=)"),
}
# syntax-tree nodes that only say which operator or context: not counted as parts
_MARKERS = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)


def compile_expr(source: str) -> Expr:
    """Parse and check ``source``; raise :class:`ExpressionError` if it is not allowed."""
    if not isinstance(source, str):
        raise ExpressionError(f"an expression must be text, not {type(source).__name__}")
    if len(source) > MAX_SOURCE:
        raise ExpressionError(
            f"the expression is too long ({len(source)} characters; at most {MAX_SOURCE})",
            source,
        )
    text = source.lstrip(" \t")
    if not text.strip():
        raise ExpressionError("the expression is empty", source, 0)
    lead = len(source) - len(text)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(exc, source, lead) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(
            f"the expression is nested too deeply (at most {MAX_DEPTH} levels)", source
        ) from None
    except ValueError as exc:  # e.g. a null character
        raise ExpressionError(f"syntax error: {exc}", source) from None
    return Expr(source, tree.body, lead)


def _syntax_error(exc: SyntaxError, source: str, lead: int) -> ExpressionError:
    if not exc.lineno:  # e.g. a null character
        return ExpressionError(f"syntax error: {exc.msg}", source)
    if not exc.offset:  # the parser reached the end of the input
        return ExpressionError("syntax error: the expression ends too early", source, len(source))
    col = _offset(source, lead, exc.lineno, exc.offset - 1, in_bytes=False)
    msg = re.sub(r" \(detected at line \d+\)", "", exc.msg)
    return ExpressionError(f"syntax error: {msg}", source, col)


_NEWLINE = re.compile(r"\r\n|\r|\n")  # line ends, as Python's parser sees them


def _offset(source: str, lead: int, lineno: int, col: int, in_bytes: bool) -> int:
    """The character offset in ``source`` of a parser position (1-based line, 0-based column).

    The parser saw ``source[lead:]``; the syntax tree counts columns in UTF-8 bytes.
    """
    text = source[lead:]
    starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]
    start = starts[min(lineno, len(starts)) - 1]
    if in_bytes:
        line = _NEWLINE.split(text[start:], maxsplit=1)[0]
        col = len(line.encode()[:col].decode("utf-8", "ignore"))
    return min(lead + start + col, len(source))


def _measure(expr: Expr) -> None:
    """Bound depth and size without recursion (before anything walks the tree)."""
    count = 0
    stack = [(expr.body, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise expr.error(
                f"the expression is nested too deeply (at most {MAX_DEPTH} levels)", node
            )
        if count > MAX_NODES:
            raise expr.error(f"the expression is too long (at most {MAX_NODES} parts)", node)
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, _MARKERS):
                stack.append((child, depth + 1))


class _Validator:
    """Accept only the allowed syntax; collect the names used and functions called."""

    def __init__(self, expr: Expr) -> None:
        self.expr = expr
        self.names: set[str] = set()
        self.calls: set[str] = set()

    def fail(self, message: str, node: ast.AST, col: int | None = None) -> ExpressionError:
        return self.expr.error(message, node, col)

    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        if kind in _REJECTED:
            raise self.fail(f"{_REJECTED[kind]} are not allowed in pack expressions", node)
        method = getattr(self, "visit_" + kind.__name__, None)
        if method is None:
            raise self.fail(f"{kind.__name__} is not allowed in pack expressions", node)
        method(node)

    def visit_all(self, nodes: list[Any]) -> None:
        for node in nodes:
            self.visit(node)

    def operator(self, op: ast.AST, table: frozenset[type], node: ast.AST) -> None:
        if type(op) not in table:
            symbol, hint = _OPERATOR_HINTS.get(type(op), (type(op).__name__, ""))
            raise self.fail(f"the operator '{symbol}' is not allowed{hint}", node)

    def visit_Constant(self, node: ast.Constant) -> None:
        v = node.value
        if isinstance(v, bool) or v is None:
            return
        if isinstance(v, int):
            if abs(v) > MAX_INT:
                raise self.fail("the number is too large (at most 10**30)", node)
        elif isinstance(v, float):
            if not math.isfinite(v):
                raise self.fail("the number is too large", node)
        elif isinstance(v, str):
            if len(v) > MAX_TEXT_LITERAL:
                raise self.fail(
                    f"text literals may have at most {MAX_TEXT_LITERAL} characters", node
                )
        elif isinstance(v, complex):
            raise self.fail("complex numbers are not allowed in pack expressions", node)
        else:
            raise self.fail(f"{type(v).__name__} literals are not allowed", node)

    def check_name(self, name: str, what: str, node: ast.AST, col: int | None = None) -> None:
        if name.startswith("_"):
            raise self.fail(f"{what} starting with '_' are not allowed ({name!r})", node, col)

    def visit_Name(self, node: ast.Name) -> None:
        self.check_name(node.id, "names", node)
        self.names.add(node.id)

    def visit_List(self, node: ast.List) -> None:
        self.visit_all(node.elts)

    visit_Tuple = visit_List

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        self.operator(node.op, UNARY_OPS, node)
        self.visit(node.operand)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        self.operator(node.op, BINARY_OPS, node)
        self.visit(node.left)
        self.visit(node.right)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        self.visit_all(node.values)

    def visit_Compare(self, node: ast.Compare) -> None:
        for op in node.ops:
            self.operator(op, COMPARE_OPS, node)
        self.visit(node.left)
        self.visit_all(node.comparators)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self.visit_all([node.test, node.body, node.orelse])

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.visit(node.value)
        self.visit(node.slice)

    def visit_Slice(self, node: ast.Slice) -> None:
        self.visit_all([part for part in (node.lower, node.upper, node.step) if part])

    def visit_Attribute(self, node: ast.Attribute) -> None:
        col = self.expr.col(node, end=True) - len(node.attr)
        self.check_name(node.attr, "attributes", node, col)
        if node.attr not in _ATTRIBUTES:
            allowed = ", ".join("." + a for a in _ATTRIBUTES)
            raise self.fail(
                f"the attribute .{node.attr} is not allowed (only {allowed} of arrays)", node, col
            )
        self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute):
            raise self.fail(
                f"methods cannot be called: write a function such as sum(x), not x.{node.func.attr}()",
                node,
            )
        if not isinstance(node.func, ast.Name):
            raise self.fail("only functions named directly can be called, e.g. sigmoid(x)", node)
        self.check_name(node.func.id, "names", node)
        self.calls.add(node.func.id)
        self.visit_all(node.args)
        for kw in node.keywords:
            if kw.arg is None:
                raise self.fail("** unpacking is not allowed in pack expressions", kw.value)
            self.check_name(kw.arg, "keyword arguments", kw)
            self.visit(kw.value)



# --------------------------------------------------------------------------- Expr


class Expr:
    """A checked expression (made by :func:`compile_expr`); immutable, safe to share.

    ``names``: the variable names it uses (constants such as pi included);
    ``calls``: the names of the functions it calls.
    """

    def __init__(self, source: str, body: ast.expr, lead: int = 0) -> None:
        self.source = source
        self.body = body
        self._lead = lead  # characters of leading blanks not given to the parser
        _measure(self)
        validator = _Validator(self)
        validator.visit(body)
        self.names: frozenset[str] = frozenset(validator.names)
        self.calls: frozenset[str] = frozenset(validator.calls)

    def __repr__(self) -> str:
        return f"Expr({self.source!r})"

    def col(self, node: ast.AST, end: bool = False) -> int:
        """The 0-based character offset of ``node`` in ``source`` (the AST counts UTF-8 bytes)."""
        if end:
            return _offset(self.source, self._lead, node.end_lineno, node.end_col_offset, True)
        return _offset(self.source, self._lead, node.lineno, node.col_offset, True)

    def error(self, message: str, node: ast.AST, col: int | None = None) -> ExpressionError:
        return ExpressionError(message, self.source, self.col(node) if col is None else col)

    def evaluate(self, env: Mapping[str, Any]) -> Any:
        """The value of the expression with the variables of ``env`` (and CONSTANTS)."""
        from quizapp.packs.expr_eval import run

        return run(self, env)


@functools.lru_cache(maxsize=4096)
def compiled(source: str) -> Expr:
    return compile_expr(source)


def evaluate(source: str, env: Mapping[str, Any]) -> Any:
    """Compile ``source`` (cached) and evaluate it with ``env``."""
    if not isinstance(source, str):
        raise ExpressionError(f"an expression must be text, not {type(source).__name__}")
    return compiled(source).evaluate(env)

