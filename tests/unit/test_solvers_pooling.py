"""solvers.pooling: max and average pooling, their backward passes, global average pooling."""

from __future__ import annotations

import numpy as np
import pytest

import solvers

RNG = np.random.default_rng(20240902)


def naive_pool(x, k, stride, pad, reduce, fill):
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=fill)
    oh, ow = (h + 2 * pad - k) // stride + 1, (w + 2 * pad - k) // stride + 1
    out = np.empty((n, c, oh, ow))
    for p in range(oh):
        for q in range(ow):
            window = xp[:, :, p * stride : p * stride + k, q * stride : q * stride + k]
            out[:, :, p, q] = reduce(window, axis=(2, 3))
    return out


CONFIGS = [(2, None, 0), (3, 1, 1), (3, 2, 1), (2, 1, 0), (4, 3, 2)]


@pytest.mark.parametrize("k, stride, pad", CONFIGS)
def test_forward_matches_the_definition(k, stride, pad):
    x = RNG.normal(size=(2, 3, 7, 8))
    s = k if stride is None else stride
    np.testing.assert_allclose(
        solvers.max_pool2d(x, k, stride, pad), naive_pool(x, k, s, pad, np.max, -np.inf)
    )
    np.testing.assert_allclose(
        solvers.avg_pool2d(x, k, stride, pad), naive_pool(x, k, s, pad, np.mean, 0.0), atol=1e-14
    )


@pytest.mark.parametrize("k, stride, pad", CONFIGS)
def test_backward_matches_central_differences(k, stride, pad):
    x = RNG.normal(size=(2, 2, 6, 7))  # distinct values: max pooling is differentiable here
    for forward, backward in [
        (solvers.max_pool2d, solvers.max_pool2d_backward),
        (solvers.avg_pool2d, solvers.avg_pool2d_backward),
    ]:
        dout = RNG.normal(size=forward(x, k, stride, pad).shape)
        numeric = solvers.numerical_gradient(
            lambda v, f=forward, d=dout: np.sum(d * f(v, k, stride, pad)), x, h=1e-6
        )
        np.testing.assert_allclose(backward(dout, x, k, stride, pad), numeric, atol=1e-6)


def test_max_pool_tie_goes_to_the_first_maximum():
    x = np.array([[[[1.0, 5.0], [5.0, 2.0]]]])  # 5 twice: (0, 1) comes first in row-major order
    assert solvers.max_pool2d(x, 2)[0, 0, 0, 0] == 5.0
    dx = solvers.max_pool2d_backward(np.array([[[[3.0]]]]), x, 2)
    np.testing.assert_array_equal(dx[0, 0], [[0.0, 3.0], [0.0, 0.0]])


def test_overlapping_windows_add_up_by_hand():
    x = np.array([[[[1.0, 2.0, 0.0], [0.0, 9.0, 0.0], [3.0, 0.0, 4.0]]]])
    # k 2, stride 1: all four windows hold the 9 at (1, 1)
    np.testing.assert_array_equal(solvers.max_pool2d(x, 2, 1), [[[[9.0, 9.0], [9.0, 9.0]]]])
    dx = solvers.max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2, 1)
    assert dx[0, 0, 1, 1] == 4.0 and dx.sum() == 4.0
    # average with padding counted: the corner window of pad 1 holds only x[0, 0] = 1 -> 1/4
    avg = solvers.avg_pool2d(x, 2, 2, 1)
    assert avg[0, 0, 0, 0] == 0.25
    assert avg[0, 0, 1, 1] == (9.0 + 0.0 + 0.0 + 4.0) / 4
    d = solvers.avg_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2, 2, 1)
    np.testing.assert_array_equal(d, np.full((1, 1, 3, 3), 0.25))


def test_global_avg_pool():
    x = RNG.normal(size=(2, 3, 4, 5))
    np.testing.assert_allclose(solvers.global_avg_pool2d(x), x.mean(axis=(2, 3)))
    assert solvers.global_avg_pool2d(x).shape == (2, 3)


def test_inputs_are_not_modified():
    x, dout = RNG.normal(size=(1, 2, 4, 4)), RNG.normal(size=(1, 2, 2, 2))
    xc, dc = x.copy(), dout.copy()
    for f in (solvers.max_pool2d_backward, solvers.avg_pool2d_backward):
        f(dout, x, 2)
    solvers.max_pool2d(x, 1, 1)
    np.testing.assert_array_equal(x, xc)
    np.testing.assert_array_equal(dout, dc)
    assert not np.shares_memory(solvers.max_pool2d(x, 1), x)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: solvers.max_pool2d(np.zeros((4, 4)), 2), r"x must have shape \(N, C, H, W\)"),
        (lambda: solvers.avg_pool2d(np.zeros((1, 1, 4, 4)), 2, pad=2), "pad must be at most k // 2 = 1"),
        (lambda: solvers.max_pool2d(np.zeros((1, 1, 2, 2)), 3), "kernel spans 3"),
        (lambda: solvers.max_pool2d_backward(np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 4, 4)), 2), r"dout must have shape \(N, C, OH, OW\) = \(1, 1, 2, 2\)"),
        (lambda: solvers.global_avg_pool2d(np.zeros((2, 3))), r"x must have shape \(N, C, H, W\)"),
        (lambda: solvers.max_pool2d(np.zeros((1, 1, 4, 4)), 0), "k must be at least 1"),
    ],
)  # fmt: skip
def test_shape_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
