"""Hostile pack expressions fail fast, with an ExpressionError, and change nothing."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.packs.expressions import (
    ExpressionError,
    check_interpolation,
    compile_expr,
    evaluate,
    interpolate,
)

HOSTILE = [
    "().__class__.__bases__[0].__subclasses__()",
    "[].__class__",
    "x.__class__.__mro__",
    "__import__('os').system('touch {marker}')",
    "x.dump('{marker}')",
    "x.tofile('{marker}')",
    "open('{marker}', 'w')",
    "eval(\"open('{marker}', 'w')\")",
    "exec('1')",
    "compile('1', 'f', 'eval')",
    "getattr(x, 'T')",
    "globals()",
    "lambda: open('{marker}')",
    "[open('{marker}') for _ in (1,)]",
    "999999**999999",
    "2**2**2**2**2",
    "10**10**10",
    "(10**30) ** 2",
    "10**30 * 10**30",
    "1.5 ** 1000",
    "zeros(10**9)",
    "ones((10000, 10000))",
    "full((100, 100, 100), 1)",
    "eye(10**5)",
    "arange(10**12)",
    "arange(0, 1, 1e-9)",
    "linspace(0, 1, 10**9)",
    "reshape(arange(100), (1, 1, 1, 1, 100))",
    "outer(arange(5000), arange(5000))",
    "one_hot(1, 10**9)",
    "softmax_jacobian(arange(5000))",
    "activation_grad('softmax', arange(5000))",
    "reshape(arange(10000), (10000, 1)) + reshape(arange(10000), (1, 10000))",
    "reshape(arange(10000), (10000, 1)) @ reshape(arange(10000), (1, 10000))",
    "maximum(reshape(arange(10000), (10000, 1)), arange(10000))",
    "reshape(arange(10000), (10000, 1)) < arange(10000)",
    "reshape(arange(10000), (10000, 1)) in arange(10000)",
    "[reshape(arange(10000), (10000, 1)), 'a'] == [arange(10000), 'a']",
    "1 < reshape(arange(10000), (10000, 1)) < arange(10000)",
    '"a" * 10**9',
    '10**9 * "a"',
    "(1,) * 10**9",
    "[x, 'a'] * 10**9",
    "'%0999999999d' % 1",
    "(" * 10000 + ")" * 10000,
    "-" * 1999 + "1",
    "[" * 1000 + "]" * 1000,
    "x" + "+x" * 999,
    "sum(" * 400 + "x" + ")" * 400,
    "x" * 2001,
]


@pytest.mark.parametrize("template", HOSTILE)
def test_hostile_input_is_refused_fast_without_side_effect(template, tmp_path):
    marker = tmp_path / "pwned"
    source = template.replace("{marker}", str(marker))
    env = {"x": np.array([1.0, 2.0])}
    start = time.monotonic()
    with pytest.raises(ExpressionError) as info:
        evaluate(source, env)
    elapsed = time.monotonic() - start
    assert elapsed < 0.5, f"{source[:60]!r} took {elapsed:.2f} s"
    assert info.value.message  # plain words, not empty
    assert not marker.exists()
    assert env["x"].tolist() == [1.0, 2.0]


def test_list_literal_times_a_huge_number_is_elementwise_not_repetition():
    # [1] is an array, so * multiplies its element: no 10**9-element list
    v = evaluate("[1] * 10**9", {})
    assert v.shape == (1,) and v[0] == 1e9


def test_reversed_slice_is_fine():
    assert evaluate("x[::-1]", {"x": np.array([1.0, 2.0])}).tolist() == [2.0, 1.0]


def test_int_explosion_is_refused_before_computing():
    start = time.monotonic()
    with pytest.raises(ExpressionError, match="too large"):
        evaluate("99 ** 99", {})
    assert time.monotonic() - start < 0.1
    assert evaluate("10 ** 30", {}) == 10**30
    assert evaluate("2 ** 99", {}) == 2**99


def test_exponent_bound_applies_to_arrays():
    with pytest.raises(ExpressionError, match="exponent is too large"):
        evaluate("x ** [1, 1000]", {"x": 2.0})
    assert evaluate("x ** 2", {"x": np.arange(3)}).tolist() == [0.0, 1.0, 4.0]


def test_list_with_too_many_numbers_is_refused():
    env = {"a": np.zeros(6000)}
    with pytest.raises(ExpressionError, match="too many numbers"):
        evaluate("[a, a]", env)


def test_long_text_concatenation_is_bounded():
    env = {"s": "a" * 6000}
    with pytest.raises(ExpressionError, match="text is too long"):
        evaluate("s + s", env)


def test_wide_format_specs_are_refused():
    with pytest.raises(ExpressionError, match="too large"):
        interpolate("{x:999999999}", {"x": 1})
    with pytest.raises(ExpressionError, match="too large"):
        interpolate("{x:.999999999f}", {"x": 1.0})


def test_time_budget_stops_a_slow_evaluation(monkeypatch):
    from quizapp.packs import expr_eval

    monkeypatch.setattr(expr_eval, "MAX_SECONDS", -1.0)
    with pytest.raises(ExpressionError, match="too long to compute"):
        evaluate("1 + 1", {})


def test_step_budget_stops_a_long_evaluation(monkeypatch):
    from quizapp.packs import expr_eval

    monkeypatch.setattr(expr_eval, "MAX_STEPS", 3)
    with pytest.raises(ExpressionError, match="too many steps"):
        evaluate("1 + 2 + 3 + 4", {})


# --------------------------------------------------------------------------- fuzzing

ENV = {
    "x": 0.5,
    "n": 3,
    "s": "relu",
    "W": np.array([[0.1, -0.2], [0.3, 0.4]]),
    "b": np.array([0.1, 0.2]),
    "L": [np.ones(2), np.ones(3)],
}
ATOMS = ["x", "n", "s", "W", "b", "L", "0", "-1", "2.5", "1e308", "10**30", "'a'", "True",
         "None", "[]", "[1, 2]", "[[1, 2], [3, 4]]", "(1, 2)", "pi"]  # fmt: skip
FUNCS = ["sigmoid", "sum", "max", "round", "len", "reshape", "zeros", "arange", "forward",
         "backward", "dot", "outer", "norm", "int", "log", "softmax", "one_hot", "where",
         "optimizer_steps", "stack", "argmax", "full", "eye", "mse", "loss", "floor"]  # fmt: skip
OPS = ["+", "-", "*", "/", "//", "%", "**", "@", "<", "==", "and", "or", "in"]


def expressions() -> st.SearchStrategy[str]:
    return st.recursive(
        st.sampled_from(ATOMS),
        lambda inner: st.one_of(
            st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(OPS), inner),
            st.builds(
                lambda f, args: f"{f}({', '.join(args)})",
                st.sampled_from(FUNCS),
                st.lists(inner, max_size=3),
            ),
            st.builds(
                lambda a, i: f"{a}[{i}]", inner, st.sampled_from(["0", "-1", ":", "::-1", "0, 1"])
            ),
            st.builds(lambda a, t: f"{a}.{t}", inner, st.sampled_from(["T", "shape", "size"])),
            st.builds(lambda a: f"-{a}", inner),
        ),
        max_leaves=12,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_random_text_raises_only_expression_errors(text):
    try:
        compile_expr(text)
        evaluate(text, ENV)
    except ExpressionError:
        pass
    try:
        check_interpolation(text)
        interpolate(text, ENV)
    except ExpressionError:
        pass


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions())
def test_random_expressions_raise_only_expression_errors(source):
    before = ENV["W"].copy()
    start = time.monotonic()
    try:
        evaluate(source, ENV)
    except ExpressionError as err:
        assert err.message
    assert time.monotonic() - start < 0.5
    np.testing.assert_array_equal(ENV["W"], before)
