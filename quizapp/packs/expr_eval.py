"""Evaluating a compiled expression: a tree walk with every value checked, a step budget
and a clock (see :mod:`quizapp.packs.expr_bounds` for the bounds)."""

from __future__ import annotations

import ast
import difflib
import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import numpy as np

from quizapp.packs.expr_bounds import (
    CONSTANTS,
    MAX_SECONDS,
    MAX_STEPS,
    ExpressionError,
    broadcast_shape,
)
from quizapp.packs.expr_registry import FUNCTIONS
from quizapp.packs.expr_values import (
    _BINARY,
    _COMPARE,
    _UNARY,
    _as_array,
    _as_float,
    _check_value,
    _describe,
    _freeze,
    _is_number,
    _is_numeric,
    _plain_message,
    _plain_value,
    check_no_wrap,
)


class Expr(Protocol):
    """What evaluation needs of a compiled expression (:class:`expr_syntax.Expr`)."""

    source: str
    body: ast.expr

    def col(self, node: ast.AST, end: bool = False) -> int: ...

    def error(self, message: str, node: ast.AST, col: int | None = None) -> ExpressionError: ...

__all__ = ["run"]


def run(expr: Expr, env: Mapping[str, Any]) -> Any:
    """The value of ``expr`` with the variables of ``env`` (and CONSTANTS)."""
    walk = _Run(expr, env)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = walk.eval(expr.body)
    return _plain_value(value)


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
            return check_no_wrap(
                fn(*args, **kwargs),
                lambda: fn(*map(_as_float, args), **{k: _as_float(v) for k, v in kwargs.items()}),
            )
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


