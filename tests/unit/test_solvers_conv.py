"""solvers.conv: im2col/col2im, conv2d and its backward, conv_transpose2d, sizes and counts."""

from __future__ import annotations

import numpy as np
import pytest

import solvers

RNG = np.random.default_rng(20240901)


def naive_conv(x, W, b, stride, pad, dilation, groups):
    """The definition, one output element at a time."""
    n, c, h, w = x.shape
    f, cg, kh, kw = W.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh = (h + 2 * pad - dilation * (kh - 1) - 1) // stride + 1
    ow = (w + 2 * pad - dilation * (kw - 1) - 1) // stride + 1
    out = np.zeros((n, f, oh, ow))
    fg = f // groups
    for i in range(n):
        for k in range(f):
            g = k // fg
            for p in range(oh):
                for q in range(ow):
                    rows = p * stride + dilation * np.arange(kh)
                    cols = q * stride + dilation * np.arange(kw)
                    patch = xp[i, g * cg : (g + 1) * cg][:, rows][:, :, cols]
                    out[i, k, p, q] = np.sum(patch * W[k]) + (0.0 if b is None else b[k])
    return out


def grad_of(f, x, dout):
    return solvers.numerical_gradient(lambda v: np.sum(dout * f(v)), x)


CONFIGS = [  # (N, C, H, W, F, kh, kw, stride, pad, dilation, groups)
    (2, 3, 5, 5, 4, 3, 3, 1, 0, 1, 1),
    (1, 2, 6, 7, 3, 3, 2, 2, 1, 1, 1),
    (2, 4, 7, 6, 4, 2, 3, 1, 2, 2, 2),
    (1, 4, 8, 8, 6, 3, 3, 3, 1, 2, 2),
    (1, 3, 5, 6, 3, 1, 1, 2, 0, 1, 3),
]


@pytest.mark.parametrize("cfg", CONFIGS)
def test_conv2d_matches_the_definition(cfg):
    n, c, h, w, f, kh, kw, s, p, d, g = cfg
    x = RNG.normal(size=(n, c, h, w))
    W = RNG.normal(size=(f, c // g, kh, kw))
    b = RNG.normal(size=f)
    np.testing.assert_allclose(
        solvers.conv2d(x, W, b, s, p, d, g), naive_conv(x, W, b, s, p, d, g), atol=1e-12
    )


@pytest.mark.parametrize("cfg", CONFIGS)
def test_conv2d_backward_matches_central_differences(cfg):
    n, c, h, w, f, kh, kw, s, p, d, g = cfg
    x = RNG.normal(size=(n, c, h, w))
    W = RNG.normal(size=(f, c // g, kh, kw))
    b = RNG.normal(size=f)
    dout = RNG.normal(size=solvers.conv2d(x, W, b, s, p, d, g).shape)
    dx, dW, db = solvers.conv2d_backward(dout, x, W, b, s, p, d, g)
    np.testing.assert_allclose(dx, grad_of(lambda v: solvers.conv2d(v, W, b, s, p, d, g), x, dout),
                               atol=1e-7)  # fmt: skip
    np.testing.assert_allclose(dW, grad_of(lambda v: solvers.conv2d(x, v, b, s, p, d, g), W, dout),
                               atol=1e-7)  # fmt: skip
    np.testing.assert_allclose(db, grad_of(lambda v: solvers.conv2d(x, W, v, s, p, d, g), b, dout),
                               atol=1e-7)  # fmt: skip


def test_conv2d_backward_without_bias_returns_none():
    x, W = RNG.normal(size=(1, 1, 3, 3)), RNG.normal(size=(2, 1, 2, 2))
    dx, dW, db = solvers.conv2d_backward(np.ones((1, 2, 2, 2)), x, W)
    assert db is None and dx.shape == x.shape and dW.shape == W.shape


def test_a_3x3_image_with_a_2x2_kernel_by_hand():
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)  # [[1,2,3],[4,5,6],[7,8,9]]
    W = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])  # top-left minus bottom-right
    # y[p, q] = x[p, q] - x[p+1, q+1] = -4 everywhere
    np.testing.assert_array_equal(solvers.conv2d(x, W, [0.5]), [[[[-3.5, -3.5], [-3.5, -3.5]]]])
    # with pad 1 the corners see one value: y[0,0] = 0 - x[0,0] = -1, y[3,3] = x[2,2] = 9
    y = solvers.conv2d(x, W, pad=1)
    assert y.shape == (1, 1, 4, 4)
    assert y[0, 0, 0, 0] == -1.0 and y[0, 0, 3, 3] == 9.0 and y[0, 0, 1, 1] == -4.0


def test_im2col_layout_is_the_books():
    x = np.arange(2 * 2 * 3 * 3, dtype=float).reshape(2, 2, 3, 3)
    col = solvers.im2col(x, 2, 2)
    assert col.shape == (2 * 2 * 2, 2 * 2 * 2)
    # row (n=1, oh=0, ow=1), column (c=1, i=1, j=0) = x[1, 1, 0 + 1, 1 + 0]
    assert col[1 * 4 + 0 * 2 + 1, 1 * 4 + 1 * 2 + 0] == x[1, 1, 1, 1]
    for n, oh, ow, c, i, j in [(0, 0, 0, 0, 0, 0), (1, 1, 1, 1, 1, 1), (0, 1, 0, 1, 0, 1)]:
        assert col[(n * 2 + oh) * 2 + ow, (c * 2 + i) * 2 + j] == x[n, c, oh + i, ow + j]


def test_conv2d_is_im2col_times_the_filter_matrix():
    x, W, b = RNG.normal(size=(2, 3, 6, 5)), RNG.normal(size=(4, 3, 3, 3)), RNG.normal(size=4)
    col = solvers.im2col(x, 3, 3, stride=2, pad=1)
    out = (col @ W.reshape(4, -1).T + b).reshape(2, 3, 3, 4).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(solvers.conv2d(x, W, b, stride=2, pad=1), out, atol=1e-12)


@pytest.mark.parametrize("k, stride, pad", [(2, 1, 0), (3, 2, 1), (3, 1, 2), (2, 3, 0)])
def test_col2im_is_the_adjoint_of_im2col(k, stride, pad):
    x = RNG.normal(size=(2, 3, 7, 6))
    col = solvers.im2col(x, k, k, stride, pad)
    y = RNG.normal(size=col.shape)
    lhs = np.sum(col * y)
    rhs = np.sum(x * solvers.col2im(y, x.shape, k, k, stride, pad))
    assert lhs == pytest.approx(rhs, rel=1e-12)


def test_col2im_adds_overlaps():
    ones = np.ones((4, 4))  # a 3x3 image, 2x2 windows, stride 1: 4 windows
    counts = solvers.col2im(ones, (1, 1, 3, 3), 2, 2)
    np.testing.assert_array_equal(counts[0, 0], [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


@pytest.mark.parametrize(
    "h, stride, pad, k", [(4, 1, 0, 3), (3, 2, 1, 3), (5, 2, 0, 2), (3, 3, 1, 4)]
)
def test_conv_transpose2d_is_the_input_gradient_of_conv2d(h, stride, pad, k):
    W = RNG.normal(size=(3, 2, k, k))  # conv2d: 2 -> 3 channels; transposed: 3 -> 2
    z = RNG.normal(size=(2, 3, h, h))
    out = solvers.conv_transpose2d(z, W, stride=stride, pad=pad)
    size = (h - 1) * stride - 2 * pad + k
    assert out.shape == (2, 2, size, size)
    x = RNG.normal(size=out.shape)  # the conv2d input whose output has z's shape
    assert solvers.conv2d(x, W, stride=stride, pad=pad).shape == z.shape
    dx, _, _ = solvers.conv2d_backward(z, x, W, stride=stride, pad=pad)
    np.testing.assert_allclose(out, dx, atol=1e-12)
    b = np.array([0.5, -1.0])
    with_bias = solvers.conv_transpose2d(z, W, b, stride=stride, pad=pad)
    np.testing.assert_allclose(with_bias, out + b[:, None, None], atol=1e-12)


def test_conv_transpose2d_by_hand():
    # one input pixel of value 2 scatters 2·W; stride 2 places two copies side by side
    W = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    out = solvers.conv_transpose2d(np.array([[[[2.0, 1.0]]]]), W, stride=2)
    np.testing.assert_array_equal(out[0, 0], [[2, 4, 1, 2], [6, 8, 3, 4]])


def test_output_size_receptive_field_params_flops():
    assert solvers.conv_output_size(28, 3, 1, 1) == 28
    assert solvers.conv_output_size(7, 3, 2, 0) == 3
    assert solvers.conv_output_size(8, 3, 2, 0) == 3  # floor
    assert solvers.conv_output_size(10, 3, 1, 0, dilation=2) == 6
    assert isinstance(solvers.conv_output_size(5.0, 3), int)
    assert solvers.receptive_field([(3, 1, 1), (3, 1, 1)]) == 5
    assert solvers.receptive_field([(3, 2, 1), (3, 2, 1), (3, 1, 1)]) == 1 + 2 + 4 + 8
    assert solvers.receptive_field([(3, 1, 1), (3, 1, 2), (3, 1, 4)]) == 15  # dilated stack
    assert solvers.receptive_field([(2, 2), (5,)]) == 1 + 1 + 4 * 2
    assert solvers.conv_params(3, 64, 3) == 64 * 3 * 9 + 64
    assert solvers.conv_params(32, 32, 3, bias=False, groups=32) == 32 * 9  # depthwise
    assert solvers.conv_params(16, 8, (1, 3)) == 8 * 16 * 3 + 8
    assert solvers.conv_flops(3, 64, 3, 32, 32) == 64 * 32 * 32 * 3 * 9
    assert solvers.conv_flops(32, 64, 3, 8, 8, groups=4) == 64 * 8 * 8 * 8 * 9


def test_inputs_are_not_modified():
    x, W, b = RNG.normal(size=(1, 2, 5, 5)), RNG.normal(size=(2, 1, 3, 3)), RNG.normal(size=2)
    dout = RNG.normal(size=(1, 2, 3, 3))
    copies = [a.copy() for a in (x, W, b, dout)]
    solvers.conv2d(x, W, b, stride=2, pad=1, groups=2)
    solvers.conv2d_backward(dout, x, W, b, stride=2, pad=1, groups=2)
    col = solvers.im2col(x, 3, 3)
    col_copy = col.copy()
    solvers.col2im(col, x.shape, 3, 3)
    solvers.conv_transpose2d(x, RNG.normal(size=(2, 1, 2, 2)), stride=2)
    for a, c in zip((x, W, b, dout), copies, strict=True):
        np.testing.assert_array_equal(a, c)
    np.testing.assert_array_equal(col, col_copy)
    assert not np.shares_memory(solvers.im2col(x, 1, 1), x)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: solvers.conv2d(np.zeros((3, 4, 4)), np.zeros((1, 3, 2, 2))), r"x must have shape \(N, C, H, W\)"),
        (lambda: solvers.conv2d(np.zeros((1, 3, 4, 4)), np.zeros((2, 2, 2, 2))), r"W must have shape \(F, C // groups = 3"),
        (lambda: solvers.conv2d(np.zeros((1, 3, 4, 4)), np.zeros((2, 3, 2, 2)), np.zeros(3)), r"b must have shape \(F,\) = \(2,\)"),
        (lambda: solvers.conv2d(np.zeros((1, 3, 4, 4)), np.zeros((2, 1, 2, 2)), groups=3), "groups=3 must divide"),
        (lambda: solvers.conv2d(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3))), "kernel spans 3"),
        (lambda: solvers.conv2d_backward(np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 2, 2))), r"dout must have shape \(N, F, OH, OW\) = \(1, 1, 2, 2\)"),
        (lambda: solvers.col2im(np.zeros((3, 4)), (1, 1, 3, 3), 2, 2), r"cols must have shape .* = \(4, 4\)"),
        (lambda: solvers.conv_transpose2d(np.zeros((1, 2, 3, 3)), np.zeros((3, 1, 2, 2))), r"W must have shape \(C_in = 2"),
        (lambda: solvers.conv_output_size(5, 3, stride=0), "stride must be at least 1"),
        (lambda: solvers.receptive_field([(3, 1, 1, 1)]), r"layers\[0\] must be \(kernel, stride, dilation\)"),
        (lambda: solvers.conv_params(3, 8, 3, groups=2), "groups=2 must divide"),
    ],
)  # fmt: skip
def test_shape_errors_name_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()
