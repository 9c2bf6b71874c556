"""Filling {expr} fields of texts, and how values are written."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.packs.expressions import (
    Expr,
    ExpressionError,
    check_interpolation,
    format_value,
    interpolate,
)

ENV = {
    "x": 0.5,
    "n": 3,
    "W": np.array([[0.1, -0.2], [0.3, 0.4]]),
    "z": np.array([0.25, 0.104994]),
    "name": "relu",
}


# --------------------------------------------------------------------------- format_value


@pytest.mark.parametrize(
    ("value", "spec", "text"),
    [
        (0.25, "", "0.25"),
        (0.1049935854035065, "", "0.104994"),
        (1e-8, "", "1e-08"),
        (2.0, "", "2"),
        (-0.0, "", "0"),
        (np.float64(0.5), "", "0.5"),
        (np.float32(0.5), "", "0.5"),
        (3, "", "3"),
        (np.int64(3), "", "3"),
        (10**30, "", str(10**30)),
        (0.123456, ".2f", "0.12"),
        (0.5, ".1%", "50.0%"),
        (3.0, "d", "3"),
        (7, ">4", "   7"),
        (True, "", "True"),
        (np.bool_(False), "", "False"),
        (None, "", "None"),
        ("relu", "", "relu"),
        (float("nan"), "", "nan"),
        (np.array([0.1, 0.2]), "", "[0.1, 0.2]"),
        (np.array([[0.1, -0.2], [0.3, 0.4]]), ".2f", "[[0.10, -0.20], [0.30, 0.40]]"),
        (np.array([1, 2]), "", "[1, 2]"),
        (np.array(0.5), "", "0.5"),
        (np.array([True, False]), "", "[True, False]"),
        ([np.array([1.0]), 2.5], "", "[[1], 2.5]"),
        ((2, 3), "", "(2, 3)"),
        ((2,), "", "(2,)"),
    ],
)
def test_format_value(value, spec, text):
    assert format_value(value, spec) == text


def test_arrays_never_print_numpy_reprs():
    for value in (np.array([np.float64(0.1)]), [np.float64(0.1)], np.arange(3), np.eye(2)):
        text = format_value(value)
        assert "array(" not in text and "np." not in text and "dtype" not in text


@pytest.mark.parametrize(
    ("value", "spec", "words"),
    [
        (0.5, "q", "invalid format 'q'"),
        (0.5, "999", "the width of format '999' is too large"),
        (0.5, ".500f", "the precision of format '.500f' is too large"),
        ("relu", ".2f", "the format '.2f' does not apply to text"),
        (0.5, "d", "the format 'd' does not apply to a number"),
    ],
)
def test_format_value_errors(value, spec, words):
    with pytest.raises(ExpressionError) as info:
        format_value(value, spec)
    assert words in info.value.message


# --------------------------------------------------------------------------- interpolate


@pytest.mark.parametrize(
    ("text", "filled"),
    [
        ("no fields", "no fields"),
        ("", ""),
        ("σ'({x}) = {sigmoid_grad(x):.4f}", "σ'(0.5) = 0.2350"),
        ("W = {W}", "W = [[0.1, -0.2], [0.3, 0.4]]"),
        ("W = {W:.2f}", "W = [[0.10, -0.20], [0.30, 0.40]]"),
        ("z = {z}", "z = [0.25, 0.104994]"),
        ("{n}{n}", "33"),
        ("{{x}} is {x}", "{x} is 0.5"),
        ("a set {{1, 2}}", "a set {1, 2}"),
        ("{ x + 1 }", "1.5"),
        ("{W[0, 1]:+.1f}", "-0.2"),
        ("{z[0:1]}", "[0.25]"),
        ("{'}'}", "}"),
        ("{'a:b'}", "a:b"),
        ("{max(1, 2)} and {name}x", "2 and relux"),
        ("{W.shape}", "(2, 2)"),
        ("{x > 0}", "True"),
        ("{n:>3}|", "  3|"),
    ],
)
def test_interpolate(text, filled):
    assert interpolate(text, ENV) == filled


@pytest.mark.parametrize(
    ("text", "words", "col"),
    [
        ("value {x", "'{' is never closed (write '{{' for a brace)", 6),
        ("value } here", "a single '}' must be written '}}'", 6),
        ("an {} field", "an empty {} field", 3),
        ("ok {x + } there", "syntax error", 8),
        ("ok {x.foo} there", "the attribute .foo is not allowed", 6),
        ("ok {x:q}", "invalid format 'q'", 6),
        ("ok {x:{n}}", "a format cannot contain '{'", 6),
        ("ok {y}", "name 'y' is not defined", 4),
        ("σσ {x} {z[5]}", "index 5 is out of range", 8),
        ("{name:.2f}", "does not apply to text", 1),
        ("{(x}", "'{' is never closed", 0),
    ],
)
def test_interpolate_errors_point_into_the_text(text, words, col):
    with pytest.raises(ExpressionError) as info:
        interpolate(text, ENV)
    err = info.value
    assert words in err.message
    assert err.col == col
    assert err.source == text


def test_check_interpolation_compiles_every_field_without_values():
    fields = check_interpolation("σ'({x}) = {sigmoid_grad(x):.4f}, {{literal}}, {W @ z + b}")
    assert all(isinstance(f, Expr) for f in fields)
    assert [f.source for f in fields] == ["x", "sigmoid_grad(x)", "W @ z + b"]
    assert fields[2].names == {"W", "z", "b"}
    assert fields[1].calls == {"sigmoid_grad"}
    assert check_interpolation("plain text") == []


def test_check_interpolation_reports_column_of_a_bad_field():
    with pytest.raises(ExpressionError) as info:
        check_interpolation("abc {lambda: 1}")
    assert info.value.col >= 5
    with pytest.raises(ExpressionError) as info:
        check_interpolation("abc {x.__class__}")
    assert "attributes starting with '_'" in info.value.message
    assert info.value.col == 7


def test_interpolate_requires_text():
    with pytest.raises(ExpressionError):
        interpolate(None, ENV)  # type: ignore[arg-type]
    with pytest.raises(ExpressionError):
        check_interpolation(3)  # type: ignore[arg-type]
