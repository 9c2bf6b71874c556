"""The pack expression language: syntax allowed and refused, values, errors."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from quizapp.packs.expressions import (
    CONSTANTS,
    FUNCTIONS,
    Expr,
    ExpressionError,
    compile_expr,
    evaluate,
)


@pytest.fixture
def env():
    return {
        "x": 0.5,
        "i": 2,
        "j": 1,
        "W": np.array([[0.1, -0.2, 0.5], [0.3, 0.4, -0.6]]),
        "b": np.array([0.1, 0.2]),
        "z": np.array([1.0, 2.0, 3.0]),
        "d": np.array([1.0, 0.0]),
        "y": np.array([0.8, 0.3]),
        "V": np.array([[0.5, -0.1], [0.2, 0.3]]),
        "name": "sigmoid",
    }


def error(source: str, env=None) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        evaluate(source, env or {})
    return info.value


# --------------------------------------------------------------------------- compile_expr


def test_compile_returns_expr_with_names_and_calls():
    expr = compile_expr("sigmoid_grad(x) + (y - d)[j-1] * W.T[0, 0] + pi")
    assert isinstance(expr, Expr)
    assert expr.source == "sigmoid_grad(x) + (y - d)[j-1] * W.T[0, 0] + pi"
    assert expr.names == {"x", "y", "d", "j", "W", "pi"}
    assert expr.calls == {"sigmoid_grad"}


def test_function_names_are_not_names_but_their_arguments_are():
    expr = compile_expr('backward(x, d, "sigmoid,identity", "mse", W1, b1, W2, b2)[0]')
    assert expr.calls == {"backward"}
    assert expr.names == {"x", "d", "W1", "b1", "W2", "b2"}


def test_compile_does_not_check_function_names_evaluation_does():
    expr = compile_expr("sigmod(x)")
    assert expr.calls == {"sigmod"}
    err = error("sigmod(x)", {"x": 1.0})
    assert "unknown function 'sigmod'" in err.message
    assert "Did you mean 'sigmoid'?" in err.message


def test_expr_evaluates_many_times_with_different_envs():
    expr = compile_expr("x * 2")
    assert expr.evaluate({"x": 1}) == 2
    assert expr.evaluate({"x": 3.5}) == 7.0


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("1 + 2 * 3", 7),
        ("7 / 2", 3.5),
        ("7 // 2", 3),
        ("7 % 3", 1),
        ("2 ** 10", 1024),
        ("2 ** -1", 0.5),
        ("-3 + +1", -2),
        ("not 0", True),
        ("1 < 2 < 3", True),
        ("1 < 3 < 2", False),
        ("1 == 1.0 != 2", True),
        ("1 if 2 > 1 else 0", 1),
        ("0 and 1", 0),
        ("0 or 5", 5),
        ("True and None", None),
        ("'ab' + 'cd'", "abcd"),
        ("'a' in 'cat'", True),
        ("2 not in (1, 3)", True),
        ("2 in [1, 2]", True),
        ("'relu' in ('relu', 'tanh')", True),
        ("(2, 3) == (2, 3)", True),
        ("'a' == 1", False),
        ("None == None", True),
        ("(1, 2)", (1, 2)),
        ("1.5e-3", 0.0015),
        ("pi", CONSTANTS["pi"]),
        ("e", CONSTANTS["e"]),
    ],
)
def test_scalar_syntax(source, value):
    assert evaluate(source, {}) == value


def test_integers_stay_exact():
    assert evaluate("10 ** 30", {}) == 10**30
    assert type(evaluate("3 * 4", {})) is int


def test_user_env_overrides_constants():
    assert evaluate("e", {"e": 0.25}) == 0.25


def test_list_of_numbers_is_a_float_array():
    v = evaluate("[1, 2, 3]", {})
    assert isinstance(v, np.ndarray) and v.dtype == np.float64
    assert v.tolist() == [1.0, 2.0, 3.0]


def test_nested_list_is_a_matrix():
    v = evaluate("[[1, 2], [3, 4]]", {})
    assert v.shape == (2, 2) and v.dtype == np.float64


def test_list_of_equal_shape_arrays_is_stacked(env):
    assert evaluate("[b, d]", env).shape == (2, 2)


def test_list_mixing_shapes_stays_a_list(env):
    v = evaluate("[z, W]", env)
    assert isinstance(v, list) and len(v) == 2
    assert isinstance(evaluate("[1, 'a']", {}), list)


def test_array_arithmetic(env):
    np.testing.assert_allclose(evaluate("W @ z + b", env), env["W"] @ env["z"] + env["b"])
    np.testing.assert_allclose(evaluate("(y - d) * 2", env), (env["y"] - env["d"]) * 2)
    np.testing.assert_allclose(evaluate("[1, 2] + [3, 4]", {}), [4.0, 6.0])
    assert evaluate("W.T", env).shape == (3, 2)
    assert evaluate("W.shape", env) == (2, 3)
    assert evaluate("W.size", env) == 6
    assert evaluate("W.ndim", env) == 2
    assert evaluate("x.shape", env) == ()


def test_one_based_indices_are_written_minus_one(env):
    # z_i with 1-based i = 2 is z[i-1]
    assert evaluate("(y - d)[j-1] * z[i-1]", env) == pytest.approx((0.8 - 1.0) * 2.0)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("W[0, 1]", -0.2),
        ("W[:, 0]", [0.1, 0.3]),
        ("W[1]", [0.3, 0.4, -0.6]),
        ("z[-1]", 3.0),
        ("z[::-1]", [3.0, 2.0, 1.0]),
        ("z[1:]", [2.0, 3.0]),
        ("W[0, ::2]", [0.1, 0.5]),
        ("z[z > 1.5]", [2.0, 3.0]),
    ],
)
def test_indexing(env, source, expected):
    np.testing.assert_allclose(evaluate(source, env), expected)


def test_comparisons_of_arrays_are_elementwise_and_chain(env):
    assert evaluate("z > 1.5", env).tolist() == [False, True, True]
    assert evaluate("1.5 < z < 2.5", env).tolist() == [False, True, False]


def test_constraint_expressions_return_python_bools(env):
    v = evaluate("x > 0 and x != 1", env)
    assert v is True
    assert evaluate("z[0] > 0", env) is True  # np.bool_ made a bool


def test_results_are_plain_types(env):
    assert type(evaluate("argmax(z)", env)) is int
    assert isinstance(evaluate("z[0]", env), np.float64)
    assert isinstance(evaluate("sum(z)", env), np.float64)


# --------------------------------------------------------------------------- refused syntax


@pytest.mark.parametrize(
    ("source", "words", "col"),
    [
        ("lambda: 1", "lambda functions are not allowed", 0),
        ("[v for v in z]", "comprehensions are not allowed in pack expressions", 0),
        ("{v for v in z}", "comprehensions are not allowed", 0),
        ("{k: 1 for k in z}", "comprehensions are not allowed", 0),
        ("sum(v for v in z)", "comprehensions are not allowed", 3),
        ("f'{x}'", "f-strings are not allowed", 0),
        ("max(*z)", "starred arguments", 4),
        ("sigmoid(**kw)", "** unpacking is not allowed", 10),
        ("(y := 1)", "assignment expressions (:=) are not allowed", 1),
        ("{1: 2}", "dict literals are not allowed", 0),
        ("{1, 2}", "set literals are not allowed", 0),
        ("1j", "complex numbers are not allowed", 0),
        ("b'x'", "bytes literals are not allowed", 0),
        ("...", "ellipsis literals are not allowed", 0),
        ("x ^ 2", "the operator '^' is not allowed (write ** for a power)", 0),
        ("x & y", "the operator '&' is not allowed", 0),
        ("x | y", "the operator '|' is not allowed", 0),
        ("1 << 10", "the operator '<<' is not allowed", 0),
        ("~x", "the operator '~' is not allowed", 0),
        ("x is None", "the operator 'is' is not allowed (write ==)", 0),
        ("x.dump('/tmp/x')", "methods cannot be called", 0),
        ("x.sum()", "write a function such as sum(x)", 0),
        ("(sigmoid)(x)(y)", "only functions named directly can be called", 0),
        ("x.tofile", "the attribute .tofile is not allowed (only .T, .shape, .size, .ndim", 2),
        ("x.real", "the attribute .real is not allowed", 2),
        ("().__class__", "attributes starting with '_' are not allowed ('__class__')", 3),
        ("x.__dict__", "attributes starting with '_'", 2),
        ("__import__('os')", "names starting with '_' are not allowed ('__import__')", 0),
        ("_x + 1", "names starting with '_' are not allowed", 0),
        ("sigmoid(x, _alpha=1)", "keyword arguments starting with '_' are not allowed", 11),
        ("'" + "a" * 201 + "'", "text literals may have at most 200 characters", 0),
        ("1" + "0" * 31, "the number is too large", 0),
        ("1e999", "the number is too large", 0),
    ],
)
def test_refused_constructs_name_the_construct_and_column(source, words, col):
    with pytest.raises(ExpressionError) as info:
        compile_expr(source)
    err = info.value
    assert words in err.message
    assert err.col == col
    assert err.source == source


def test_syntax_errors_point_at_the_column():
    with pytest.raises(ExpressionError) as info:
        compile_expr("sigmoid(x,, 2)")
    assert info.value.message.startswith("syntax error")
    assert info.value.col == 10
    with pytest.raises(ExpressionError) as info:
        compile_expr("x + ")
    assert "ends too early" in info.value.message
    assert info.value.col == 4
    with pytest.raises(ExpressionError) as info:
        compile_expr("W[0")
    assert "'[' was never closed" in info.value.message
    assert info.value.col == 1


def test_columns_count_characters_not_bytes():
    # 'σσσ' is 6 bytes in UTF-8 but 5 characters with the quotes
    with pytest.raises(ExpressionError) as info:
        compile_expr("'σσσ' + x.foo")
    assert info.value.col == 10
    err = error("'σσσ' + y", {"x": 1})
    assert err.col == 8
    with pytest.raises(ExpressionError) as info:
        compile_expr("'σσσ' + * 2")
    assert info.value.col == 8


def test_leading_blanks_are_allowed_and_counted():
    assert evaluate("  x + 1", {"x": 1}) == 2
    with pytest.raises(ExpressionError) as info:
        compile_expr("  x.foo")
    assert info.value.col == 4


def test_pointer_shows_the_column():
    with pytest.raises(ExpressionError) as info:
        compile_expr("x + y.dump")
    assert info.value.pointer() == "x + y.dump\n      ^"
    assert str(info.value) == info.value.message


def test_empty_and_non_text_sources():
    with pytest.raises(ExpressionError, match="empty"):
        compile_expr("   ")
    with pytest.raises(ExpressionError, match="must be text"):
        compile_expr(3)  # type: ignore[arg-type]
    with pytest.raises(ExpressionError, match="must be text"):
        evaluate(["x"], {})  # type: ignore[arg-type]


def test_null_character_is_a_syntax_error():
    with pytest.raises(ExpressionError, match="syntax error"):
        compile_expr("x\x00")


# --------------------------------------------------------------------------- evaluation errors


def test_unknown_name_lists_defined_names_and_suggests():
    err = error("y + 1", {"x": 1, "W": 2, "b": 3})
    assert err.message == "name 'y' is not defined (defined here: x, W, b)"
    assert err.col == 0
    err = error("1 + sigmoid_gard", {"sigmoid_grad_x": 1})
    assert "Did you mean 'sigmoid_grad_x'?" in err.message
    assert err.col == 4
    assert "nothing is defined here" in error("q", {}).message


def test_function_used_as_a_value():
    assert "'sigmoid' is a function: call it" in error("sigmoid + 1").message


def test_value_called_as_a_function():
    err = error("x(2)", {"x": 1})
    assert "unknown function 'x' (it is a value here)" in err.message


@pytest.mark.parametrize(
    ("source", "words", "col"),
    [
        ("z[3]", "index 3 is out of range for an array of length 3 (indices start at 0)", 0),
        ("z[-4]", "index -4 is out of range for an array of length 3", 0),
        ("W[0, 3]", "index 3 is out of range for axis 1 of an array of shape (2, 3)", 0),
        ("W[0, 0, 0]", "too many indices (3) for an array of shape (2, 3)", 0),
        ("z[1.0]", "an index must be a whole number, not a number (use // for", 0),
        ("z[x / 2]", "an index must be a whole number", 0),
        ("z['a']", "an index must be a whole number, not text", 0),
        ("z[::0]", "the step of a slice cannot be 0", 0),
        ("z[0.5:]", "a slice takes whole numbers", 0),
        ("(1, 2)[5]", "index 5 is out of range for a tuple of length 2", 0),
        ("x[0]", "cannot index a number", 0),
        ("1 + 1 / 0", "division by zero", 4),
        ("5 // 0", "division by zero", 0),
        ("0 ** -1", "0 cannot be raised to a negative power", 0),
        ("(-8) ** (1/3)", "not a real number", 0),
        ("1e300 ** 2", "not a finite number", 0),
        ("z + b", "cannot add arrays of shapes (3,) and (2,)", 0),
        ("z * b", "cannot multiply arrays of shapes (3,) and (2,)", 0),
        ("W @ b", "cannot multiply arrays of shapes (2, 3) and (2,) with @", 0),
        ("x @ x", "@ multiplies arrays", 0),
        ("z < b", "cannot compare arrays of shapes (3,) and (2,)", 0),
        ("z == 'a'", "cannot compare an array of shape (3,) and text with ==", 0),
        ("'a' < 1", "cannot compare text and a number with <", 0),
        ("[z, W] == [z, W]", "cannot compare a list of length 2 and a list of length 2", 0),
        ("z in [z, W]", "cannot look for an array of shape (3,) in a list of length 2", 0),
        ("1 in x", "cannot look for a number in a number", 0),
        ("1 + 'a'", "cannot compute a number + text", 0),
        ("-'a'", "cannot compute -text", 0),
        ("'%s' % x", "cannot compute text % a number", 0),
        ("[z, W] + 1", "cannot compute a list of length 2 + a number", 0),
        ("x.T + name.T", ".T works on arrays and numbers, not on text", 6),
        ("1 if z else 0", "an array has no single true/false value here", 0),
        ("z and 1", "use all(...) or any(...)", 0),
        ("sigmoid(x, 2)", "sigmoid(): too many positional arguments (arguments: (x))", 0),
        ("sigmoid()", "sigmoid(): missing a required argument: 'x'", 0),
        ("sum(z, foo=1)", "sum(): got an unexpected keyword argument 'foo'", 0),
    ],
)
def test_evaluation_errors_in_plain_words(env, source, words, col):
    err = error(source, env)
    assert words in err.message
    assert err.col == col
    assert err.source == source


def test_error_column_points_at_the_failing_part(env):
    assert error("x + z[7]", env).col == 4
    assert error("x + sigmoid(z, 1)", env).col == 4


def test_solver_errors_are_prefixed_with_the_function(env):
    err = error("activation('sigmod', x)", env)
    assert err.message.startswith("activation(): unknown activation 'sigmod'")


# --------------------------------------------------------------------------- safety of values


def test_env_arrays_are_never_modified(env):
    before = {k: v.copy() for k, v in env.items() if isinstance(v, np.ndarray)}
    for source in [
        "W @ z + b",
        "backward(z, d, 'sigmoid,identity', 'mse', W, b, V, b)",
        "trace(z, 'relu,identity', W, b, V, b)",
        "optimizer_steps('adam', W, [W, W])",
        "exp(z)",
        "clip(z, 0, 1)",
        "where(z > 1, z, 0)",
        "reshape(W, (3, 2))",
        "-z",
    ]:
        evaluate(source, env)
    for k, v in before.items():
        np.testing.assert_array_equal(env[k], v)


def test_results_that_are_env_arrays_are_read_only(env):
    result = evaluate("W", env)
    with pytest.raises(ValueError):
        result[0, 0] = 5.0
    assert env["W"][0, 0] == 0.1
    assert env["W"].flags.writeable  # the caller's own array is untouched
    with pytest.raises(ValueError):
        evaluate("W[0]", env)[0] = 5.0


def test_evaluation_is_deterministic(env):
    source = "backward(z, d, 'sigmoid,identity', 'mse', W, b, V, b)"
    first = evaluate(source, env)
    for _ in range(3):
        again = evaluate(source, env)
        for a, b in zip(first, again, strict=True):
            np.testing.assert_array_equal(a, b)


def test_no_numpy_warnings_leak(env, recwarn):
    evaluate("log(z - 2) + z / 0", env)
    evaluate("mean([])", env)
    assert len(recwarn) == 0


def test_non_finite_floats_flow_through():
    assert np.isinf(evaluate("exp(1000)", {}))
    assert np.isinf(evaluate("1e308 * 10", {}))


# --------------------------------------------------------------------------- the module


def test_import_is_stdlib_only():
    code = (
        "import sys, quizapp.packs.expressions as e; "
        "e.compile_expr('sigmoid(x) + W @ z'); "
        "assert 'numpy' not in sys.modules, 'numpy'; "
        "assert 'solvers' not in sys.modules, 'solvers'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_functions_is_a_read_only_mapping():
    assert "sigmoid_grad" in FUNCTIONS
    with pytest.raises(TypeError):
        FUNCTIONS["evil"] = print  # type: ignore[index]


def test_register_adds_a_function():
    from quizapp.packs.expressions import register

    register("triple_for_test", lambda v: 3 * v)
    try:
        assert evaluate("triple_for_test(2)", {}) == 6
    finally:
        FUNCTIONS._loaded().pop("triple_for_test")  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        register("_hidden", print)
    with pytest.raises(ValueError):
        register("not a name", print)
