"""The expression language of question packs: Python syntax, evaluated by a whitelist.

Packs are data written by anyone, so they never run code. Their parameters,
answers, distractors, constraints and the numbers inside explanations are small
expressions such as ``sigmoid_grad(x)``, ``(y - d)[j-1] * z[i-1]``, ``W @ z + b``
or ``x > 0 and x != 1``. They are parsed with :func:`ast.parse` and walked here:

* :func:`compile_expr` parses and checks the tree statically: only the syntax
  handled by ``_Validator``, attributes ``.T .shape .size .ndim``, no name
  starting with ``_``, bounded length, depth and size. Calls are checked by
  name when evaluated (``Expr.calls`` lets a loader check them earlier).
* :meth:`Expr.evaluate` walks the tree with every value checked: whole numbers
  up to 10**30, arrays up to 10,000 elements and 4 dimensions, exponents up to
  100, no repetition of text or lists, a step budget and a 1-second clock.
* :func:`interpolate` fills the ``{expr}`` and ``{expr:fmt}`` fields of a text.

Every failure is an :class:`ExpressionError` in plain words, with the column
where it happened. Importing this module costs only the standard library:
numpy and the function registry (:mod:`quizapp.packs._exprfuncs`, which imports
``solvers``) are loaded on first use.
"""

from __future__ import annotations

import ast
import difflib
import functools
import keyword
import math
import operator
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from quizapp.packs.expr_bounds import (
    CONSTANTS,
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_EXPONENT,
    MAX_FORMAT_WIDTH,
    MAX_INT,
    MAX_NODES,
    MAX_SECONDS,
    MAX_SOURCE,
    MAX_STEPS,
    MAX_TEXT,
    MAX_TEXT_LITERAL,
    ExpressionError,
    broadcast_shape,
    check_shape,
    matmul_shape,
)

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "Expr",
    "ExpressionError",
    "check_interpolation",
    "compile_expr",
    "evaluate",
    "format_value",
    "interpolate",
    "register",
]

_ATTRIBUTES = ("T", "shape", "size", "ndim")

np: Any = None  # numpy, imported by _load_numpy() on first evaluation


def _load_numpy() -> None:
    global np
    if np is None:
        import numpy

        np = numpy



# --------------------------------------------------------------------------- registry


class _Registry(Mapping[str, Callable[..., Any]]):
    """The functions expressions may call, built on first use (numpy, solvers)."""

    def __init__(self) -> None:
        self._functions: dict[str, Callable[..., Any]] | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> dict[str, Callable[..., Any]]:
        if self._functions is None:
            with self._lock:
                if self._functions is None:
                    _load_numpy()
                    from quizapp.packs import _exprfuncs

                    self._functions = _exprfuncs.build()
        return self._functions

    def __getitem__(self, name: str) -> Callable[..., Any]:
        return self._loaded()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


#: The registry, read-only; see :mod:`quizapp.packs._exprfuncs` for what it holds.
FUNCTIONS: Mapping[str, Callable[..., Any]] = _Registry()


def register(name: str, fn: Callable[..., Any]) -> None:
    """Add (or replace) a callable function (internal use: the engine, tests)."""
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
        raise ValueError(f"not a usable function name: {name!r}")
    FUNCTIONS._loaded()[name] = fn  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- compiling

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

    def operator(self, op: ast.AST, table: Mapping[type, Any], node: ast.AST) -> None:
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
        self.operator(node.op, _UNARY, node)
        self.visit(node.operand)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        self.operator(node.op, _BINARY, node)
        self.visit(node.left)
        self.visit(node.right)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        self.visit_all(node.values)

    def visit_Compare(self, node: ast.Compare) -> None:
        for op in node.ops:
            self.operator(op, _COMPARE, node)
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
        _load_numpy()
        run = _Run(self, env)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = run.eval(self.body)
        return _plain_value(value)


@functools.lru_cache(maxsize=4096)
def _compiled(source: str) -> Expr:
    return compile_expr(source)


def evaluate(source: str, env: Mapping[str, Any]) -> Any:
    """Compile ``source`` (cached) and evaluate it with ``env``."""
    if not isinstance(source, str):
        raise ExpressionError(f"an expression must be text, not {type(source).__name__}")
    return _compiled(source).evaluate(env)


# --------------------------------------------------------------------------- evaluating


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) or isinstance(v, (np.number, np.bool_))


def _is_numeric(v: Any) -> bool:
    """A number or a numeric array: what arithmetic accepts."""
    return _is_number(v) or (isinstance(v, np.ndarray) and v.dtype.kind in "biuf")


def _describe(v: Any) -> str:
    if v is None:
        return "None"
    if isinstance(v, (bool, np.bool_)):
        return "a true/false value"
    if _is_number(v):
        return "a number"
    if isinstance(v, str):
        return "text"
    if isinstance(v, np.ndarray):
        return f"an array of shape {v.shape}"
    if isinstance(v, (list, tuple)):
        return f"a {type(v).__name__} of length {len(v)}"
    return f"a {type(v).__name__}"


def _count(v: Any) -> int:
    """How many numbers ``v`` holds (arrays by size, lists summed)."""
    if isinstance(v, np.ndarray):
        return v.size
    if isinstance(v, (list, tuple)):
        return sum(_count(item) for item in v)
    return 1



def _check_value(v: Any) -> Any:
    """Refuse a value beyond the bounds (called on every value computed)."""
    if type(v) is int:
        if abs(v) > MAX_INT:
            raise ExpressionError("the whole number is too large (at most 10**30 in magnitude)")
    elif isinstance(v, np.ndarray):
        if v.dtype.kind not in "biuf":
            raise ExpressionError("only arrays of numbers are supported")
        check_shape(v.shape)
    elif isinstance(v, str):
        if len(v) > MAX_TEXT:
            raise ExpressionError(f"the text is too long (at most {MAX_TEXT:,} characters)")
    elif isinstance(v, (list, tuple)):
        if _count(v) > MAX_ELEMENTS:
            raise ExpressionError(f"the list holds too many numbers (at most {MAX_ELEMENTS:,})")
    elif isinstance(v, (complex, np.complexfloating)):
        raise ExpressionError("the result is not a real number")
    return v


def _plain_value(v: Any) -> Any:
    """numpy scalars as Python bool/int, other floats as np.float64."""
    if isinstance(v, np.ndarray) and v.ndim == 0:
        v = v[()]
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating) and not isinstance(v, np.float64):
        return np.float64(v)
    return v


def _freeze(v: Any) -> Any:
    """A read-only view of an array from the environment (lists: element by element)."""
    if isinstance(v, np.ndarray):
        v = v.view()
        v.flags.writeable = False
    elif isinstance(v, list):
        v = [_freeze(item) for item in v]
    elif isinstance(v, tuple):
        v = tuple(_freeze(item) for item in v)
    return v


def _as_array(items: list[Any]) -> Any:
    """A list literal: numbers, or arrays of one shape, become a float64 array."""

    def real(v: Any) -> bool:  # not True/False
        if isinstance(v, np.ndarray):
            return v.dtype.kind in "iuf"
        return _is_number(v) and not isinstance(v, (bool, np.bool_))

    if not all(real(v) for v in items) or len({np.shape(v) for v in items}) > 1:
        return items
    if _count(items) > MAX_ELEMENTS:
        raise ExpressionError(f"the list holds too many numbers (at most {MAX_ELEMENTS:,})")
    return np.array(items, dtype=np.float64)


def _power(a: Any, b: Any) -> Any:
    """``a ** b``, refused before computing when the result could explode."""
    if not (_is_numeric(a) and _is_numeric(b)):
        raise TypeError
    biggest = float(np.max(np.abs(b), initial=0)) if isinstance(b, np.ndarray) else abs(b)
    if biggest > MAX_EXPONENT:
        raise ExpressionError(f"the exponent is too large (at most {MAX_EXPONENT} in magnitude)")
    if type(a) is int and type(b) is int:
        if b > 0 and abs(a) > 1 and b * math.log10(abs(a)) > 30:
            raise ExpressionError(f"{a} ** {b} is too large (at most 10**30 in magnitude)")
        return a**b
    if not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        a = np.asarray(a, dtype=np.float64)  # numpy ints would wrap around silently
    try:
        result = a**b
    except OverflowError:
        raise ExpressionError("the result is not a finite number (too large)") from None
    if isinstance(result, complex):
        raise ExpressionError("a negative number to a fractional power is not a real number")
    return result


def _arithmetic(symbol: str, fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        if _is_numeric(a) and _is_numeric(b):
            broadcast_shape(_VERBS[symbol], a, b)
            return fn(a, b)
        if symbol == "+" and type(a) is type(b) and isinstance(a, (str, list, tuple)):
            return a + b
        if symbol == "*" and (isinstance(a, str) or isinstance(b, str)):
            raise ExpressionError("text cannot be multiplied")
        if symbol == "*" and (isinstance(a, (list, tuple)) or isinstance(b, (list, tuple))):
            raise ExpressionError("lists cannot be repeated with *")
        raise TypeError

    return apply


def _matmul(a: Any, b: Any) -> Any:
    if not (_is_numeric(a) and _is_numeric(b)):
        raise TypeError
    matmul_shape(np.shape(a), np.shape(b))
    return a @ b


_VERBS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "//": "divide",
          "%": "take the remainder of", "**": "take powers of"}  # fmt: skip
_BINARY: dict[type, tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("+", _arithmetic("+", operator.add)),
    ast.Sub: ("-", _arithmetic("-", operator.sub)),
    ast.Mult: ("*", _arithmetic("*", operator.mul)),
    ast.Div: ("/", _arithmetic("/", operator.truediv)),
    ast.FloorDiv: ("//", _arithmetic("//", operator.floordiv)),
    ast.Mod: ("%", _arithmetic("%", operator.mod)),
    ast.Pow: ("**", _power),
    ast.MatMult: ("@", _matmul),
}
_UNARY: dict[type, tuple[str, Callable[[Any], Any]]] = {
    ast.UAdd: ("+", operator.pos),
    ast.USub: ("-", operator.neg),
    ast.Not: ("not ", operator.not_),
}


def _holds_array(v: Any) -> bool:
    if isinstance(v, (list, tuple)):
        return any(_holds_array(item) for item in v)
    return isinstance(v, np.ndarray)


def _comparison(fn: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """Compare numbers and arrays elementwise (result size checked), other values whole."""

    def apply(a: Any, b: Any) -> Any:
        if _is_numeric(a) and _is_numeric(b):
            broadcast_shape("compare", a, b)
        elif _holds_array(a) or _holds_array(b):
            raise TypeError
        return fn(a, b)

    return apply


def _contains(item: Any, container: Any) -> bool:
    """``item in container``: text in text, or a number (or text) in a list or an array."""
    if isinstance(container, str) and isinstance(item, str):
        return item in container
    if isinstance(container, np.ndarray) and _is_number(item):
        return bool((container == item).any())
    if isinstance(container, (list, tuple)) and not _holds_array(item):
        return any(not _holds_array(v) and v == item for v in container)
    raise TypeError


_COMPARE: dict[type, tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Eq: ("==", _comparison(operator.eq)),
    ast.NotEq: ("!=", _comparison(operator.ne)),
    ast.Lt: ("<", _comparison(operator.lt)),
    ast.LtE: ("<=", _comparison(operator.le)),
    ast.Gt: (">", _comparison(operator.gt)),
    ast.GtE: (">=", _comparison(operator.ge)),
    ast.In: ("in", _contains),
    ast.NotIn: ("not in", lambda a, b: not _contains(a, b)),
}


def _plain_message(exc: BaseException) -> str:
    """Plain words for an exception raised while computing."""
    text = str(exc)
    if isinstance(exc, ZeroDivisionError):
        return "0 cannot be raised to a negative power" if "power" in text else "division by zero"
    if isinstance(exc, OverflowError):
        return "the result is not a finite number (too large)"
    if isinstance(exc, MemoryError):
        return "the result is too large to compute"
    if "truth value of an array" in text:
        return "an array has no single true/false value here; use all(...) or any(...)"
    if "read-only" in text:
        return "a function tried to change its input (a bug in that function)"
    return text or type(exc).__name__


class _Run:
    """One evaluation: the environment, the step budget and the clock."""

    def __init__(self, expr: Expr, env: Mapping[str, Any]) -> None:
        self.expr = expr
        self.env = env
        self.steps = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def eval(self, node: ast.AST) -> Any:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise self.expr.error("the expression takes too many steps", node)
        if time.monotonic() > self.deadline:
            raise self.expr.error("the expression takes too long to compute", node)
        try:
            return _check_value(_VISIT[type(node)](self, node))
        except ExpressionError as err:
            if err.col is None:
                err.source, err.col = self.expr.source, self.expr.col(node)
            raise
        except Exception as exc:  # anything else numpy or a function raised
            raise self.expr.error(_plain_message(exc), node) from None

    def visit_Constant(self, node: ast.Constant) -> Any:
        return node.value

    def visit_Name(self, node: ast.Name) -> Any:
        name = node.id
        if name in self.env:
            return _freeze(self.env[name])
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS:
            raise ExpressionError(f"{name!r} is a function: call it, e.g. {name}(x)")
        defined = list(self.env)
        shown = ", ".join(defined[:12]) + (", …" if len(defined) > 12 else "")
        message = f"name {name!r} is not defined ({'defined here: ' + shown if defined else 'nothing is defined here'})"
        raise ExpressionError(message + _did_you_mean(name, [*defined, *CONSTANTS]))

    def visit_List(self, node: ast.List) -> Any:
        return _as_array([self.eval(e) for e in node.elts])

    def visit_Tuple(self, node: ast.Tuple) -> Any:
        return tuple(self.eval(e) for e in node.elts)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        symbol, fn = _UNARY[type(node.op)]
        value = self.eval(node.operand)
        if symbol != "not " and not _is_numeric(value):
            raise ExpressionError(f"cannot compute {symbol}{_describe(value)}")
        return fn(value)

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        symbol, fn = _BINARY[type(node.op)]
        a, b = self.eval(node.left), self.eval(node.right)
        try:
            return fn(a, b)
        except TypeError:
            raise ExpressionError(
                f"cannot compute {_describe(a)} {symbol} {_describe(b)}"
            ) from None

    def visit_BoolOp(self, node: ast.BoolOp) -> Any:
        is_and = isinstance(node.op, ast.And)
        for value_node in node.values[:-1]:
            value = self.eval(value_node)
            if bool(value) != is_and:  # `and` stops at a false value, `or` at a true one
                return value
        return self.eval(node.values[-1])

    def visit_Compare(self, node: ast.Compare) -> Any:
        left = self.eval(node.left)
        result: Any = True
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.eval(right_node)
            symbol, fn = _COMPARE[type(op)]
            try:
                this = fn(left, right)
            except TypeError:
                a, b = _describe(left), _describe(right)
                raise ExpressionError(
                    f"cannot look for {a} in {b}"
                    if "in" in symbol
                    else f"cannot compare {a} and {b} with {symbol}"
                ) from None
            if isinstance(result, np.ndarray) or isinstance(this, np.ndarray):
                broadcast_shape("compare", result, this)
                result = np.logical_and(result, this)
            elif not this:
                return this
            else:
                result = this
            left = right
        return result

    def visit_IfExp(self, node: ast.IfExp) -> Any:
        return self.eval(node.body if self.eval(node.test) else node.orelse)

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        value = self.eval(node.value)
        if not _is_numeric(value):
            raise ExpressionError(
                f".{node.attr} works on arrays and numbers, not on {_describe(value)}"
            )
        if not isinstance(value, np.ndarray):
            return value if node.attr == "T" else getattr(np.asarray(value), node.attr)
        return getattr(value, node.attr)

    def visit_Subscript(self, node: ast.Subscript) -> Any:
        value = self.eval(node.value)
        index = self.index(node.slice)
        _check_index(value, index)
        return value[index]

    def index(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Slice):
            parts = [self.eval(p) if p else None for p in (node.lower, node.upper, node.step)]
            for part in parts:
                if part is not None and not _is_whole(part):
                    raise ExpressionError(f"a slice takes whole numbers, not {_describe(part)}")
            if parts[2] is not None and parts[2] == 0:
                raise ExpressionError("the step of a slice cannot be 0")
            return slice(*parts)
        if isinstance(node, ast.Tuple):
            return tuple(self.index(e) for e in node.elts)
        return self.eval(node)

    def visit_Slice(self, node: ast.Slice) -> Any:
        return self.index(node)

    def visit_Call(self, node: ast.Call) -> Any:
        name = node.func.id  # type: ignore[attr-defined]  # checked by _Validator
        fn = FUNCTIONS.get(name)
        if fn is None:
            hint = " (it is a value here)" if name in self.env else ""
            raise ExpressionError(
                f"unknown function {name!r}{hint}" + _did_you_mean(name, list(FUNCTIONS))
            )
        args = [self.eval(a) for a in node.args]
        kwargs = {kw.arg: self.eval(kw.value) for kw in node.keywords}
        try:
            return fn(*args, **kwargs)
        except ExpressionError as err:
            err.message = f"{name}(): {err.message}"
            err.args = (err.message,)
            raise
        except TypeError as exc:
            raise ExpressionError(
                f"{name}(): {_argument_problem(fn, args, kwargs) or exc}"
            ) from None
        except Exception as exc:
            raise ExpressionError(f"{name}(): {_plain_message(exc)}") from None


_VISIT = {
    getattr(ast, name[len("visit_") :]): method
    for name, method in vars(_Run).items()
    if name.startswith("visit_")
}


def _did_you_mean(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1)
    return f". Did you mean {close[0]!r}?" if close else ""


def _argument_problem(fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]) -> str:
    """Why the arguments do not fit the signature of ``fn`` ('' if they do)."""
    import inspect

    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return ""
    try:
        signature.bind(*args, **kwargs)
    except TypeError as exc:
        plain = signature.replace(
            parameters=[p.replace(annotation=p.empty) for p in signature.parameters.values()],
            return_annotation=signature.empty,
        )
        return f"{exc} (arguments: {plain})"
    return ""


def _is_whole(v: Any) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _check_index(value: Any, index: Any) -> None:
    """Refuse an index that is not whole numbers/slices, or is out of range, in plain words."""
    parts = index if isinstance(index, tuple) else (index,)
    if isinstance(value, np.ndarray) and isinstance(index, np.ndarray) and index.dtype == bool:
        return  # a mask such as y[y > 0]
    for part in parts:
        if not (_is_whole(part) or isinstance(part, slice)):
            hint = " (use // for whole-number division)" if _is_number(part) else ""
            raise ExpressionError(f"an index must be a whole number, not {_describe(part)}{hint}")
    if isinstance(value, np.ndarray):
        shape, what = value.shape, "an array"
        if len(parts) > len(shape):
            raise ExpressionError(f"too many indices ({len(parts)}) for an array of shape {shape}")
    elif isinstance(value, (list, tuple, str)):
        if isinstance(index, tuple):
            raise ExpressionError(f"{_describe(value)} takes one index, not {len(index)}")
        shape, what = (len(value),), _describe(value).split(" of ")[0]
    else:
        raise ExpressionError(f"cannot index {_describe(value)}")
    for axis, (part, size) in enumerate(zip(parts, shape, strict=False)):
        if _is_whole(part) and not -size <= part < size:
            where = (
                f"axis {axis} of an array of shape {shape}"
                if len(shape) > 1
                else f"{what} of length {size}"
            )
            raise ExpressionError(f"index {part} is out of range for {where} (indices start at 0)")


# --------------------------------------------------------------------------- formatting

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
                expr = _compiled(source)
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
