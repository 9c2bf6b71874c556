"""solvers.normalization: batch, layer and group norm (forward, backward), running stats, dropout."""

from __future__ import annotations

import numpy as np
import pytest

import solvers

RNG = np.random.default_rng(20240903)


def check_backward(forward, backward, args, atol=1e-7):
    """Every gradient of backward(dout, *args) against central differences of Σ dout·forward."""
    dout = RNG.normal(size=forward(*args).shape)
    grads = backward(dout, *args)
    assert len(grads) == len(args)
    for i, g in enumerate(grads):

        def loss(v, i=i):
            changed = list(args)
            changed[i] = v
            return np.sum(dout * forward(*changed))

        np.testing.assert_allclose(g, solvers.numerical_gradient(loss, args[i]), atol=atol)


@pytest.mark.parametrize("shape", [(5, 3), (4, 2, 3, 3), (2, 3, 1, 2)])
def test_batch_norm_backward(shape):
    c = shape[1]
    x = RNG.normal(size=shape) * 2 + 1
    gamma, beta = RNG.normal(size=c), RNG.normal(size=c)
    check_backward(solvers.batch_norm, solvers.batch_norm_backward, [x, gamma, beta])


def test_batch_norm_by_definition():
    x = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 13.0]])
    y = solvers.batch_norm(x, [2.0, 1.0], [0.5, 0.0], eps=0.0)
    # column 0: mean 3, biased variance 8/3 -> x̂ = (x - 3)/sqrt(8/3)
    np.testing.assert_allclose(y[:, 0], 2 * (x[:, 0] - 3) / np.sqrt(8 / 3) + 0.5)
    np.testing.assert_allclose(y[:, 1], (x[:, 1] - 11) / np.sqrt(2.0))
    x4 = RNG.normal(size=(3, 2, 2, 2))
    y4 = solvers.batch_norm(x4, np.ones(2), np.zeros(2))
    np.testing.assert_allclose(y4.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    expected_var = x4.var(axis=(0, 2, 3)) / (x4.var(axis=(0, 2, 3)) + 1e-5)
    np.testing.assert_allclose(y4.var(axis=(0, 2, 3)), expected_var, rtol=1e-12)


def test_batch_norm_running_uses_the_unbiased_variance():
    x = np.array([[1.0], [3.0], [5.0]])  # mean 3, unbiased variance 4
    mean, var = solvers.batch_norm_running([0.0], [1.0], x, momentum=0.1)
    np.testing.assert_allclose(mean, [0.3])
    np.testing.assert_allclose(var, [0.9 * 1.0 + 0.1 * 4.0])
    x4 = RNG.normal(size=(2, 3, 2, 2))
    m4, v4 = solvers.batch_norm_running(np.zeros(3), np.ones(3), x4, momentum=0.5)
    np.testing.assert_allclose(m4, 0.5 * x4.mean(axis=(0, 2, 3)))
    np.testing.assert_allclose(v4, 0.5 + 0.5 * x4.var(axis=(0, 2, 3), ddof=1))


@pytest.mark.parametrize("shape", [(4,), (3, 5), (2, 3, 4)])
def test_layer_norm_backward(shape):
    d = shape[-1]
    x = RNG.normal(size=shape)
    check_backward(
        solvers.layer_norm, solvers.layer_norm_backward, [x, RNG.normal(size=d), RNG.normal(size=d)]
    )


def test_layer_norm_of_one_row_has_mean_0_and_variance_s2_over_s2_plus_eps():
    x = np.array([[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]])  # mean 5, biased variance 4
    eps = 0.5
    y = solvers.layer_norm(x, np.ones(8), np.zeros(8), eps=eps)
    assert y.mean() == pytest.approx(0.0, abs=1e-15)
    assert y.var() == pytest.approx(4.0 / (4.0 + eps), rel=1e-14)
    np.testing.assert_allclose(y, (x - 5) / np.sqrt(4.5))


@pytest.mark.parametrize("groups", [1, 2, 4])
def test_group_norm_backward(groups):
    x = RNG.normal(size=(2, 4, 2, 3))

    def forward(x, gamma, beta):
        return solvers.group_norm(x, groups, gamma, beta)

    def backward(dout, x, gamma, beta):
        return solvers.group_norm_backward(dout, x, groups, gamma, beta)

    check_backward(forward, backward, [x, RNG.normal(size=4), RNG.normal(size=4)])


def test_group_norm_special_cases():
    x = RNG.normal(size=(2, 4, 3, 3))
    gamma, beta = RNG.normal(size=4), RNG.normal(size=4)
    # instance norm: every (n, c) plane normalized on its own
    inst = solvers.group_norm(x, 4, np.ones(4), np.zeros(4))
    mu, var = x.mean(axis=(2, 3), keepdims=True), x.var(axis=(2, 3), keepdims=True)
    np.testing.assert_allclose(inst, (x - mu) / np.sqrt(var + 1e-5), atol=1e-12)
    # one group: layer norm over (C, H, W), then the per-channel affine map
    flat = solvers.layer_norm(x.reshape(2, -1), np.ones(36), np.zeros(36)).reshape(x.shape)
    np.testing.assert_allclose(
        solvers.group_norm(x, 1, gamma, beta),
        gamma[:, None, None] * flat + beta[:, None, None],
        atol=1e-12,
    )


def test_dropout_is_inverted():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    mask = np.array([[1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_allclose(solvers.dropout(x, mask, 0.2), [[1.25, 0.0], [3.75, 5.0]])
    np.testing.assert_allclose(solvers.dropout_backward(np.ones((2, 2)), mask, 0.2),
                               [[1.25, 0.0], [1.25, 1.25]])  # fmt: skip
    numeric = solvers.numerical_gradient(lambda v: np.sum(x * solvers.dropout(v, mask, 0.2)), x)
    np.testing.assert_allclose(solvers.dropout_backward(x, mask, 0.2), numeric, atol=1e-9)


def test_inputs_are_not_modified():
    x, g, b = RNG.normal(size=(3, 2, 2, 2)), RNG.normal(size=2), RNG.normal(size=2)
    dout = RNG.normal(size=x.shape)
    mean, var = np.zeros(2), np.ones(2)
    arrays = (x, g, b, dout, mean, var)
    copies = [a.copy() for a in arrays]
    solvers.batch_norm(x, g, b)
    solvers.batch_norm_backward(dout, x, g, b)
    solvers.batch_norm_running(mean, var, x)
    solvers.group_norm(x, 2, g, b)
    solvers.group_norm_backward(dout, x, 1, g, b)
    solvers.layer_norm(x, g, b)
    solvers.layer_norm_backward(dout, x, g, b)
    solvers.dropout(x, dout > 0, 0.5)
    for a, c in zip(arrays, copies, strict=True):
        np.testing.assert_array_equal(a, c)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: solvers.batch_norm(np.zeros((2, 3, 4)), np.ones(3), np.zeros(3)), r"x must have shape \(N, D\) or \(N, C, H, W\)"),
        (lambda: solvers.batch_norm(np.zeros((2, 3)), np.ones(2), np.zeros(3)), r"gamma must have shape \(D,\) = \(3,\)"),
        (lambda: solvers.batch_norm_backward(np.zeros((2, 2)), np.zeros((2, 3)), np.ones(3), np.zeros(3)), "dout has shape"),
        (lambda: solvers.layer_norm(np.zeros((2, 3)), np.ones(3), np.zeros(2)), r"beta must have shape \(3,\)"),
        (lambda: solvers.group_norm(np.zeros((1, 3, 2, 2)), 2, np.ones(3), np.zeros(3)), "groups=2 must divide"),
        (lambda: solvers.batch_norm_running(np.zeros(2), np.ones(2), np.zeros((1, 2))), "at least 2 values"),
        (lambda: solvers.dropout(np.zeros(3), np.ones(2), 0.5), "mask has shape"),
        (lambda: solvers.dropout(np.zeros(3), np.ones(3), 1.0), r"p must be in \[0, 1\)"),
    ],
)  # fmt: skip
def test_shape_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
