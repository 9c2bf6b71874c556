"""solvers.activations: values, derivatives against central differences, stability."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import solvers

# (name, keyword arguments, has a kink at 0)
ELEMENTWISE = [
    ("identity", {}, False),
    ("step", {}, True),
    ("sigmoid", {}, False),
    ("tanh", {}, False),
    ("relu", {}, True),
    ("leaky_relu", {}, True),
    ("leaky_relu", {"alpha": 0.2}, True),
    ("softplus", {}, False),
    ("elu", {}, True),
    ("elu", {"alpha": 0.5}, True),
    ("silu", {}, False),
]
IDS = [f"{n}{kw or ''}" for n, kw, _ in ELEMENTWISE]

DIRECT = {
    "identity": (solvers.identity, solvers.identity_grad),
    "step": (solvers.step, solvers.step_grad),
    "sigmoid": (solvers.sigmoid, solvers.sigmoid_grad),
    "tanh": (solvers.tanh, solvers.tanh_grad),
    "relu": (solvers.relu, solvers.relu_grad),
    "leaky_relu": (solvers.leaky_relu, solvers.leaky_relu_grad),
    "softplus": (solvers.softplus, solvers.softplus_grad),
    "elu": (solvers.elu, solvers.elu_grad),
    "silu": (solvers.silu, solvers.silu_grad),
}


def away_from_kink(x: np.ndarray, kink: bool) -> np.ndarray:
    """Move values within 0.05 of 0 away from it, so x ± h never crosses a kink."""
    if not kink:
        return x
    return np.where(np.abs(x) < 0.05, np.copysign(0.05, x) + x, x)


@pytest.mark.parametrize(("name", "kw", "kink"), ELEMENTWISE, ids=IDS)
def test_derivative_matches_numerical_gradient(name, kw, kink):
    rng = np.random.default_rng(1234)
    x = away_from_kink(rng.normal(0.0, 3.0, size=(6, 5)), kink)
    # f is elementwise, so ∂(Σ f(x))/∂x_i = f'(x_i)
    numeric = solvers.numerical_gradient(lambda v: solvers.activation(name, v, **kw).sum(), x)
    analytic = solvers.activation_grad(name, x, **kw)
    assert analytic.shape == x.shape
    np.testing.assert_allclose(analytic, numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize(("name", "kw", "kink"), ELEMENTWISE, ids=IDS)
@settings(max_examples=60, deadline=None)
@given(x=st.floats(min_value=-30.0, max_value=30.0, allow_nan=False))
def test_derivative_matches_numerical_gradient_scalar(name, kw, kink, x):
    if kink and abs(x) < 1e-3:
        x = 1e-3 if x >= 0 else -1e-3
    numeric = solvers.numerical_gradient(lambda v: solvers.activation(name, v, **kw), x, h=1e-5)
    analytic = solvers.activation_grad(name, x, **kw)
    assert abs(analytic - numeric) <= 1e-6 * max(1.0, abs(analytic))


@pytest.mark.parametrize(("name", "kw", "kink"), ELEMENTWISE, ids=IDS)
def test_by_name_equals_direct_functions(name, kw, kink):
    x = np.linspace(-4.0, 4.0, 17)
    f, df = DIRECT[name]
    np.testing.assert_array_equal(solvers.activation(name, x, **kw), f(x, **kw))
    np.testing.assert_array_equal(solvers.activation_grad(name, x, **kw), df(x, **kw))


@pytest.mark.parametrize(("name", "kw", "kink"), ELEMENTWISE, ids=IDS)
def test_scalar_and_list_inputs(name, kw, kink):
    f, df = DIRECT[name]
    for fn in (f, df):
        r = fn(0.5, **kw)
        assert np.ndim(r) == 0
        assert isinstance(float(r), float)
        assert float(r) == float(fn(np.array([0.5]), **kw)[0])
        np.testing.assert_array_equal(fn([[0.5, -1.0]], **kw), fn(np.array([[0.5, -1.0]]), **kw))
    r = f(2, **kw)  # a Python int works in float64
    assert isinstance(r, np.floating)


def test_known_values():
    assert solvers.sigmoid(0.0) == 0.5
    assert solvers.sigmoid(np.log(3.0)) == pytest.approx(0.75, rel=1e-15)
    assert solvers.tanh(0.0) == 0.0
    np.testing.assert_array_equal(solvers.relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(solvers.step([-2.0, 0.0, 3.0]), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(solvers.leaky_relu([-2.0, 3.0]), [-0.02, 3.0])
    np.testing.assert_array_equal(solvers.leaky_relu([-2.0, 3.0], alpha=0.5), [-1.0, 3.0])
    assert solvers.softplus(0.0) == pytest.approx(np.log(2.0), rel=1e-15)
    assert solvers.elu(-1.0) == pytest.approx(np.exp(-1.0) - 1.0, rel=1e-15)
    assert solvers.elu(-1.0, alpha=2.0) == pytest.approx(2.0 * (np.exp(-1.0) - 1.0), rel=1e-15)
    assert solvers.silu(1.0) == pytest.approx(1.0 / (1.0 + np.exp(-1.0)), rel=1e-15)
    # silu' = σ(x)(1 + x(1 − σ(x)))
    s = 1.0 / (1.0 + np.exp(-2.0))
    assert solvers.silu_grad(2.0) == pytest.approx(s * (1.0 + 2.0 * (1.0 - s)), rel=1e-14)
    assert solvers.elu_grad(-1.0, alpha=2.0) == pytest.approx(2.0 * np.exp(-1.0), rel=1e-15)


# ----------------------------------------------------------------- the seed's facts


def test_sigmoid_derivative_is_quarter_at_zero_and_that_is_its_maximum():
    assert solvers.sigmoid_grad(0.0) == 0.25
    grid = np.linspace(-10.0, 10.0, 200_001)  # step 1e-4, contains 0 exactly
    g = solvers.sigmoid_grad(grid)
    assert g.max() == 0.25
    assert grid[np.argmax(g)] == 0.0
    assert np.all(g[grid != 0.0] < 0.25)
    # and σ' = σ(1 − σ) on the grid (to rounding: 1 − σ cancels for large x)
    s = solvers.sigmoid(grid)
    np.testing.assert_allclose(g, s * (1.0 - s), rtol=1e-10, atol=1e-18)


def test_tanh_derivative_is_one_at_zero_and_that_is_its_maximum():
    assert solvers.tanh_grad(0.0) == 1.0
    grid = np.linspace(-10.0, 10.0, 200_001)
    g = solvers.tanh_grad(grid)
    assert g.max() == 1.0
    assert grid[np.argmax(g)] == 0.0
    assert np.all(g[np.abs(grid) > 1e-3] < 1.0)


def test_relu_derivative_is_zero_for_nonpositive_and_one_for_positive():
    x = np.array([-1000.0, -3.0, -1e-300, -0.0, 0.0, 1e-300, 2.0, 1000.0])
    np.testing.assert_array_equal(solvers.relu_grad(x), [0, 0, 0, 0, 0, 1, 1, 1])
    assert solvers.relu_grad(0.0) == 0.0  # not the book's grad[x >= 0] = 1
    assert solvers.activation_grad("relu", 0) == 0.0


def test_step_derivative_is_zero_everywhere():
    x = np.array([-5.0, -1e-9, 0.0, 1e-9, 5.0])
    np.testing.assert_array_equal(solvers.step_grad(x), np.zeros(5))
    np.testing.assert_array_equal(solvers.activation_grad("step", x), np.zeros(5))


def test_leaky_relu_and_elu_derivatives_at_zero_take_the_left_branch():
    assert solvers.leaky_relu_grad(0.0) == 0.01
    assert solvers.leaky_relu_grad(0.0, alpha=0.3) == 0.3
    assert solvers.elu_grad(0.0) == 1.0  # α e^0 = α = 1
    assert solvers.elu_grad(0.0, alpha=0.5) == 0.5


# ----------------------------------------------------------------- softmax


def test_softmax_sums_to_one_and_is_shift_invariant():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(4, 6))
    s = solvers.softmax(x)
    np.testing.assert_allclose(s.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(solvers.softmax(x + 123.0), s, rtol=1e-13)
    np.testing.assert_allclose(s[2], solvers.softmax(x[2]), rtol=1e-15)
    e = np.exp(x[0])
    np.testing.assert_allclose(solvers.softmax(x[0]), e / e.sum(), rtol=1e-14)


def test_softmax_exact_for_large_logits():
    np.testing.assert_array_equal(solvers.softmax([1000.0, 1000.0]), [0.5, 0.5])
    np.testing.assert_array_equal(solvers.softmax([1000.0, 0.0]), [1.0, 0.0])
    np.testing.assert_array_equal(solvers.softmax([[-1000.0, -1000.0]]), [[0.5, 0.5]])


def test_softmax_jacobian_matches_numerical():
    rng = np.random.default_rng(11)
    x = rng.normal(size=5)
    jac = solvers.softmax_jacobian(x)
    assert jac.shape == (5, 5)
    numeric = np.stack(
        [solvers.numerical_gradient(lambda v, i=i: solvers.softmax(v)[i], x) for i in range(5)]
    )
    np.testing.assert_allclose(jac, numeric, rtol=1e-7, atol=1e-10)
    np.testing.assert_array_equal(solvers.activation_grad("softmax", x), jac)
    np.testing.assert_allclose(jac, jac.T, atol=1e-17)
    np.testing.assert_allclose(jac.sum(axis=0), 0.0, atol=1e-16)


def test_softmax_jacobian_of_a_batch_is_one_per_row():
    rng = np.random.default_rng(12)
    x = rng.normal(size=(3, 4))
    jac = solvers.softmax_jacobian(x)
    assert jac.shape == (3, 4, 4)
    for n in range(3):
        np.testing.assert_allclose(jac[n], solvers.softmax_jacobian(x[n]), rtol=1e-15)


def test_softmax_of_a_scalar_is_an_error():
    with pytest.raises(ValueError, match="at least 1 dimension"):
        solvers.softmax(3.0)


# ----------------------------------------------------------------- stability

EXTREMES = np.array([-1000.0, -745.0, -710.0, -100.0, -1.0, 0.0, 1.0, 100.0, 710.0, 1000.0])


@pytest.mark.parametrize(
    "fn",
    [
        solvers.sigmoid,
        solvers.sigmoid_grad,
        solvers.softplus,
        solvers.softplus_grad,
        solvers.elu,
        solvers.elu_grad,
        solvers.silu,
        solvers.silu_grad,
        solvers.tanh,
        solvers.tanh_grad,
        solvers.softmax,
        solvers.softmax_jacobian,
    ],
    ids=lambda f: f.__name__,
)
def test_no_overflow_or_warning_for_large_inputs(fn):
    vector_only = fn in (solvers.softmax, solvers.softmax_jacobian)
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        assert np.all(np.isfinite(fn(EXTREMES)))
        assert np.all(np.isfinite(fn(EXTREMES.reshape(2, 5))))
        for v in EXTREMES:
            assert np.all(np.isfinite(fn([v]) if vector_only else fn(v)))


def test_large_input_values_are_right():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(solvers.sigmoid([-1000.0, 1000.0]), [0.0, 1.0])
        np.testing.assert_array_equal(solvers.sigmoid_grad([-1000.0, 1000.0]), [0.0, 0.0])
        np.testing.assert_array_equal(solvers.softplus([-1000.0, 1000.0]), [0.0, 1000.0])
        np.testing.assert_array_equal(solvers.elu([-1000.0, 1000.0]), [-1.0, 1000.0])
        np.testing.assert_array_equal(solvers.silu([-1000.0, 1000.0]), [0.0, 1000.0])
        np.testing.assert_array_equal(solvers.silu_grad([-1000.0, 1000.0]), [0.0, 1.0])
        # tails are exact in relative terms: σ(−30) = e^{−30}/(1 + e^{−30})
        expected = np.exp(-30.0) / (1.0 + np.exp(-30.0))
        assert solvers.sigmoid(-30.0) == pytest.approx(expected, rel=1e-15)


# ----------------------------------------------------------------- errors


def test_unknown_activation_lists_the_valid_names():
    with pytest.raises(ValueError, match="unknown activation 'gelu'.*sigmoid.*softmax"):
        solvers.activation("gelu", 1.0)
    with pytest.raises(ValueError, match="unknown activation"):
        solvers.activation_grad("Sigmoid", 1.0)


def test_unknown_keyword_is_an_error():
    with pytest.raises(ValueError, match="alpha"):
        solvers.activation("sigmoid", 1.0, alpha=0.1)
    with pytest.raises(ValueError, match="beta.*valid: alpha"):
        solvers.activation_grad("elu", 1.0, beta=0.1)


def test_activation_names_are_exported():
    expected = "identity step sigmoid tanh relu leaky_relu softplus elu silu softmax"
    assert solvers.ACTIVATIONS == tuple(expected.split())
