"""solvers.losses: values, gradients against central differences, targets, guards."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import solvers


def probabilities(rng, shape) -> np.ndarray:
    """Rows of positive probabilities (softmax of random logits)."""
    return solvers.softmax(rng.normal(size=shape))


def check_grad(name, y, d):
    numeric = solvers.numerical_gradient(lambda v: solvers.loss(name, v, d), y, h=1e-6)
    analytic = solvers.loss_grad(name, y, d)
    assert analytic.shape == np.shape(y)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


# ----------------------------------------------------------------- gradients


@pytest.mark.parametrize("shape", [(4,), (5, 3)], ids=["sample", "batch"])
def test_mse_grad_matches_numerical(shape):
    rng = np.random.default_rng(1)
    check_grad("mse", rng.normal(size=shape), rng.normal(size=shape))


@pytest.mark.parametrize("shape", [(4,), (5, 3)], ids=["sample", "batch"])
def test_cross_entropy_grad_matches_numerical_one_hot(shape):
    rng = np.random.default_rng(2)
    y = probabilities(rng, shape)
    d = solvers.one_hot(rng.integers(0, shape[-1], size=shape[:-1]), shape[-1])
    check_grad("cross_entropy", y, d)


@pytest.mark.parametrize("shape", [(4,), (5, 3)], ids=["sample", "batch"])
def test_cross_entropy_grad_matches_numerical_indices(shape):
    rng = np.random.default_rng(3)
    y = probabilities(rng, shape)
    k = rng.integers(0, shape[-1], size=shape[:-1])
    check_grad("cross_entropy", y, k if k.ndim else int(k))


@pytest.mark.parametrize("shape", [(4,), (5, 3)], ids=["sample", "batch"])
def test_cross_entropy_grad_matches_numerical_soft_targets(shape):
    rng = np.random.default_rng(4)
    check_grad("cross_entropy", probabilities(rng, shape), probabilities(rng, shape))


@pytest.mark.parametrize("shape", [(), (4,), (5, 3)], ids=["scalar", "sample", "batch"])
def test_binary_cross_entropy_grad_matches_numerical(shape):
    rng = np.random.default_rng(5)
    y = rng.uniform(0.05, 0.95, size=shape)
    d = rng.integers(0, 2, size=shape).astype(float)
    check_grad("binary_cross_entropy", y, d)


@pytest.mark.parametrize("shape", [(4,), (5, 3)], ids=["sample", "batch"])
def test_softmax_cross_entropy_grad_is_the_fused_gradient(shape):
    rng = np.random.default_rng(6)
    u = rng.normal(size=shape)
    k = rng.integers(0, shape[-1], size=shape[:-1])
    t = solvers.one_hot(k, shape[-1])
    n = shape[0] if len(shape) == 2 else 1
    fused = solvers.softmax_cross_entropy_grad(u, t)
    np.testing.assert_allclose(fused, (solvers.softmax(u) - t) / n, rtol=1e-15)
    np.testing.assert_array_equal(solvers.softmax_cross_entropy_grad(u, k), fused)
    numeric = solvers.numerical_gradient(
        lambda v: solvers.cross_entropy(solvers.softmax(v), t), u, h=1e-6
    )
    np.testing.assert_allclose(fused, numeric, rtol=1e-6, atol=1e-10)


# ----------------------------------------------------------------- values


def test_mse_is_half_the_sum_of_squares_and_the_batch_mean():
    assert solvers.mse([1.0, 2.0], [0.0, 0.0]) == 2.5  # ½(1 + 4)
    assert solvers.mse(3.0, 1.0) == 2.0  # ½ · 2²
    # batch: (½(1 + 4) + ½(0 + 1)) / 2 = (2.5 + 0.5) / 2
    assert solvers.mse([[1.0, 2.0], [0.0, 1.0]], np.zeros((2, 2))) == 1.5
    np.testing.assert_array_equal(solvers.mse_grad([1.0, 2.0], [0.5, 0.0]), [0.5, 2.0])
    np.testing.assert_array_equal(
        solvers.mse_grad([[1.0, 2.0], [0.0, 1.0]], np.zeros((2, 2))), [[0.5, 1.0], [0.0, 0.5]]
    )


def test_cross_entropy_values():
    assert solvers.cross_entropy([0.25, 0.75], [0.0, 1.0]) == -math.log(0.75)
    assert solvers.cross_entropy([0.25, 0.75], 1) == -math.log(0.75)
    y = np.array([[0.1, 0.9], [0.6, 0.4]])
    expected = (-math.log(0.9) - math.log(0.6)) / 2
    assert solvers.cross_entropy(y, [1, 0]) == pytest.approx(expected, rel=1e-15)
    assert solvers.cross_entropy(y, np.array([[0, 1], [1, 0]])) == pytest.approx(expected, 1e-15)
    assert solvers.cross_entropy(y, [1.0, 0.0]) == pytest.approx(expected, rel=1e-15)
    np.testing.assert_allclose(
        solvers.cross_entropy_grad(y, [1, 0]), [[0.0, -1 / 0.9 / 2], [-1 / 0.6 / 2, 0.0]]
    )
    assert solvers.cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0.0


def test_cross_entropy_is_exact_for_tiny_probabilities():
    # no "+ 1e-7": a probability of 1e-20 gives exactly −log(1e-20)
    assert solvers.cross_entropy([1e-20, 1.0 - 1e-20], 0) == -math.log(1e-20)


def test_log_zero_is_guarded_without_warnings():
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        big = solvers.cross_entropy([0.0, 1.0], 0)
        assert big == pytest.approx(-math.log(1e-300))
        assert np.all(np.isfinite(solvers.cross_entropy_grad([0.0, 1.0], [1.0, 0.0])))
        assert np.isfinite(solvers.binary_cross_entropy([0.0, 1.0], [1.0, 0.0]))
        assert np.all(np.isfinite(solvers.binary_cross_entropy_grad([0.0, 1.0], [1.0, 0.0])))
        assert solvers.binary_cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0.0


def test_binary_cross_entropy_sums_outputs_and_averages_the_batch():
    assert solvers.binary_cross_entropy(0.8, 1.0) == pytest.approx(-math.log(0.8), rel=1e-15)
    assert solvers.binary_cross_entropy(0.8, 0.0) == pytest.approx(-math.log(0.2), rel=1e-14)
    # one sample, two outputs: −log 0.8 − log(1 − 0.3)
    one = solvers.binary_cross_entropy([0.8, 0.3], [1.0, 0.0])
    assert one == pytest.approx(-math.log(0.8) - math.log(0.7), rel=1e-14)
    y = np.array([[0.8, 0.3], [0.5, 0.5]])
    d = np.array([[1.0, 0.0], [1.0, 1.0]])
    expected = (-math.log(0.8) - math.log(0.7) - 2 * math.log(0.5)) / 2
    assert solvers.binary_cross_entropy(y, d) == pytest.approx(expected, rel=1e-14)
    # (y − d) / (y(1 − y)) / N
    g = solvers.binary_cross_entropy_grad(y, d)
    np.testing.assert_allclose(g, (y - d) / (y * (1 - y)) / 2, rtol=1e-14)


def test_losses_return_floats():
    for name, y, d in [
        ("mse", [0.5], [0.0]),
        ("cross_entropy", [0.5, 0.5], 0),
        ("binary_cross_entropy", 0.5, 1.0),
    ]:
        v = solvers.loss(name, y, d)
        assert np.ndim(v) == 0
        assert isinstance(float(v), float)


def test_loss_by_name_equals_direct_functions():
    rng = np.random.default_rng(8)
    y = probabilities(rng, (3, 4))
    d = solvers.one_hot([0, 3, 1], 4)
    for name, f, df in [
        ("mse", solvers.mse, solvers.mse_grad),
        ("cross_entropy", solvers.cross_entropy, solvers.cross_entropy_grad),
        ("binary_cross_entropy", solvers.binary_cross_entropy, solvers.binary_cross_entropy_grad),
    ]:
        assert solvers.loss(name, y, d) == f(y, d)
        np.testing.assert_array_equal(solvers.loss_grad(name, y, d), df(y, d))


# ----------------------------------------------------------------- targets and errors


def test_one_hot():
    np.testing.assert_array_equal(solvers.one_hot(2, 4), [0.0, 0.0, 1.0, 0.0])
    np.testing.assert_array_equal(solvers.one_hot([0, 2], 3), [[1, 0, 0], [0, 0, 1]])
    assert solvers.one_hot(0, 1).dtype == np.float64
    with pytest.raises(ValueError, match="out of range"):
        solvers.one_hot(3, 3)
    with pytest.raises(ValueError, match="out of range"):
        solvers.one_hot([-1], 3)
    with pytest.raises(ValueError, match="integers"):
        solvers.one_hot(1.5, 3)


def test_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        solvers.mse([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(3,\)"):
        solvers.cross_entropy(np.full((2, 3), 1 / 3), [0, 1, 2])
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        solvers.binary_cross_entropy_grad([0.5, 0.5], [1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="out of range"):
        solvers.cross_entropy([0.5, 0.5], 2)


def test_unknown_loss_lists_the_valid_names():
    with pytest.raises(ValueError, match="unknown loss 'hinge'.*mse.*cross_entropy"):
        solvers.loss("hinge", [1.0], [1.0])
    with pytest.raises(ValueError, match="unknown loss"):
        solvers.loss_grad("MSE", [1.0], [1.0])
    assert solvers.LOSSES == ("mse", "cross_entropy", "binary_cross_entropy")
