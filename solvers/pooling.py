"""Max and average pooling through im2col (deep-learning-from-scratch's Pooling layer).

``x`` has shape (N, C, H, W); windows are k×k, ``stride`` defaults to ``k``,
``pad`` adds ``pad`` rows and columns on every side (−∞ for max pooling, zeros
for average pooling) and, as in PyTorch, may be at most k // 2. The output
size is :func:`solvers.conv_output_size` (floor, PyTorch's ``ceil_mode=False``).
"""

from __future__ import annotations

import numpy as np

from ._layers import array_arg, int_arg, shape_error
from .conv import _col2im, _geometry, _im2col

__all__ = [
    "avg_pool2d",
    "avg_pool2d_backward",
    "global_avg_pool2d",
    "max_pool2d",
    "max_pool2d_backward",
]


def _pool_args(fn, x, k, stride, pad):
    x = array_arg(fn, "x", x, 4, "(N, C, H, W)")
    k = int_arg(fn, "k", k, 1)
    stride = k if stride is None else stride
    kh, kw, stride, pad, _, oh, ow = _geometry(fn, x.shape, k, k, stride, pad, 1)
    if pad > k // 2:
        raise ValueError(f"{fn}: pad must be at most k // 2 = {k // 2} (as torch), got {pad}")
    return x, k, stride, pad, oh, ow


def _windows(x, k, stride, pad, oh, ow, fill):
    """(N·OH·OW, C, k·k): every window of x padded with ``fill``."""
    if pad:
        x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=fill)
    return _im2col(x, k, k, stride, 0, 1, oh, ow).reshape(-1, x.shape[1], k * k)


def _check_dout(fn, dout, n, c, oh, ow):
    dout = array_arg(fn, "dout", dout, 4, f"(N, C, OH, OW) = {(n, c, oh, ow)}")
    if dout.shape != (n, c, oh, ow):
        raise shape_error(fn, "dout", f"(N, C, OH, OW) = {(n, c, oh, ow)}", dout.shape)
    return dout.transpose(0, 2, 3, 1).reshape(-1, c)


def max_pool2d(x, k, stride=None, pad=0) -> np.ndarray:
    """y[n, c, oh, ow] = max over the k×k window at (oh·stride − pad, ow·stride − pad).

    Returns (N, C, OH, OW); equal to ``torch.nn.functional.max_pool2d(x, k, stride, pad)``.
    """
    x, k, stride, pad, oh, ow = _pool_args("max_pool2d", x, k, stride, pad)
    n, c = x.shape[:2]
    out = _windows(x, k, stride, pad, oh, ow, -np.inf).max(axis=2)
    return out.reshape(n, oh, ow, c).transpose(0, 3, 1, 2)


def max_pool2d_backward(dout, x, k, stride=None, pad=0) -> np.ndarray:
    """dx: each window's dout goes to its maximum; for ties, to the first maximum (row-major).

    The first maximum is the one PyTorch's CPU kernel selects; overlapping windows add up.
    Returns an array of the shape of x.
    """
    fn = "max_pool2d_backward"
    x, k, stride, pad, oh, ow = _pool_args(fn, x, k, stride, pad)
    n, c = x.shape[:2]
    d = _check_dout(fn, dout, n, c, oh, ow)
    windows = _windows(x, k, stride, pad, oh, ow, -np.inf)
    first = windows.argmax(axis=2)  # argmax returns the first maximum
    dcol = np.zeros(windows.shape)
    np.put_along_axis(dcol, first[:, :, None], d[:, :, None], axis=2)
    return _col2im(dcol.reshape(-1, c * k * k), x.shape, k, k, stride, pad, 1, oh, ow)


def avg_pool2d(x, k, stride=None, pad=0) -> np.ndarray:
    """y = the mean of the k×k window, padding counted: Σ window / k².

    Returns (N, C, OH, OW); equal to ``torch.nn.functional.avg_pool2d(x, k, stride, pad)``
    (``count_include_pad=True``, ``ceil_mode=False``).
    """
    x, k, stride, pad, oh, ow = _pool_args("avg_pool2d", x, k, stride, pad)
    n, c = x.shape[:2]
    out = _windows(x, k, stride, pad, oh, ow, 0.0).mean(axis=2)
    return out.reshape(n, oh, ow, c).transpose(0, 3, 1, 2)


def avg_pool2d_backward(dout, x, k, stride=None, pad=0) -> np.ndarray:
    """dx: every value of a window receives dout / k² (overlaps add up). Shape of x."""
    fn = "avg_pool2d_backward"
    x, k, stride, pad, oh, ow = _pool_args(fn, x, k, stride, pad)
    n, c = x.shape[:2]
    d = _check_dout(fn, dout, n, c, oh, ow)
    dcol = np.repeat(d / (k * k), k * k, axis=1)  # columns (c, i, j)
    return _col2im(dcol, x.shape, k, k, stride, pad, 1, oh, ow)


def global_avg_pool2d(x) -> np.ndarray:
    """(N, C): the mean of each channel over H and W (``adaptive_avg_pool2d(x, 1)`` flattened)."""
    x = array_arg("global_avg_pool2d", "x", x, 4, "(N, C, H, W)")
    if x.shape[2] == 0 or x.shape[3] == 0:
        raise shape_error("global_avg_pool2d", "x", "(N, C, H, W) with H, W ≥ 1", x.shape)
    return x.mean(axis=(2, 3))
