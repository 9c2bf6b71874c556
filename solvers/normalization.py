"""Batch, layer and group normalization, and inverted dropout.

Every normalization computes x̂ = (x − μ) / √(σ² + ε) with the *biased*
variance σ² = mean((x − μ)²) over its axes, then y = γ·x̂ + β:

* batch norm: 2-D x (N, D) over N (γ, β of shape (D,)); 4-D x (N, C, H, W)
  over N, H, W for each channel (γ, β of shape (C,)); training mode.
* layer norm: over the last axis (γ, β of the last axis's length).
* group norm: 4-D x, over each group of C / groups channels and H, W, per
  sample (γ, β of shape (C,)); groups = C is instance norm, groups = 1 is
  layer norm over (C, H, W) with a per-channel affine map.

The backward of a normalization over m values with g = dout·γ is
dx = (g − mean(g) − x̂·mean(g·x̂)) / √(σ² + ε)  (the book's BatchNormalization).
"""

from __future__ import annotations

import numpy as np

from ._arrays import as_float, check_same_shape
from ._layers import array_arg, int_arg, shape_error, vector_arg

__all__ = [
    "batch_norm",
    "batch_norm_backward",
    "batch_norm_running",
    "dropout",
    "dropout_backward",
    "group_norm",
    "group_norm_backward",
    "layer_norm",
    "layer_norm_backward",
]


def _normalize(x, axes, eps):
    mu = x.mean(axis=axes, keepdims=True)
    xc = x - mu
    inv_std = 1.0 / np.sqrt((xc * xc).mean(axis=axes, keepdims=True) + eps)
    return xc * inv_std, inv_std


def _normalize_backward(g, xhat, inv_std, axes):
    mean_g = g.mean(axis=axes, keepdims=True)
    mean_gx = (g * xhat).mean(axis=axes, keepdims=True)
    return (g - mean_g - xhat * mean_gx) * inv_std


def _eps(fn, eps) -> float:
    eps = float(eps)
    if not eps >= 0:
        raise ValueError(f"{fn}: eps must be ≥ 0, got {eps!r}")
    return eps


def _batch_args(fn, x, gamma, beta):
    x = array_arg(fn, "x", x, (2, 4), "(N, D) or (N, C, H, W)")
    if x.size == 0:
        raise shape_error(fn, "x", "(N, D) or (N, C, H, W) with every size ≥ 1", x.shape)
    c = x.shape[1]
    expected = "(D,)" if x.ndim == 2 else "(C,)"
    gamma = vector_arg(fn, "gamma", gamma, c, f"{expected} = ({c},)")
    beta = vector_arg(fn, "beta", beta, c, f"{expected} = ({c},)")
    if x.ndim == 2:
        return x, gamma, beta, (0,)
    return x, gamma[:, None, None], beta[:, None, None], (0, 2, 3)


def batch_norm(x, gamma, beta, eps=1e-5) -> np.ndarray:
    """y = γ·(x − μ_B)/√(σ²_B + ε) + β, statistics of this batch (training mode, biased σ²).

    x: (N, D), statistics over N; or (N, C, H, W), statistics over N, H, W per channel.
    Equal to ``torch.nn.functional.batch_norm(x, None, None, gamma, beta, training=True,
    eps=eps)``.
    """
    x, g, b, axes = _batch_args("batch_norm", x, gamma, beta)
    xhat, _ = _normalize(x, axes, _eps("batch_norm", eps))
    return g * xhat + b


def batch_norm_backward(dout, x, gamma, beta, eps=1e-5):
    """(dx, dγ, dβ) of Σ dout·batch_norm(x, γ, β): dγ = Σ dout·x̂, dβ = Σ dout (over the axes)."""
    fn = "batch_norm_backward"
    x, g, _, axes = _batch_args(fn, x, gamma, beta)
    dout = as_float(dout)
    check_same_shape(fn, dout, x, names=("dout", "x"))
    xhat, inv_std = _normalize(x, axes, _eps(fn, eps))
    dx = _normalize_backward(dout * g, xhat, inv_std, axes)
    return dx, (dout * xhat).sum(axis=axes), dout.sum(axis=axes)


def batch_norm_running(mean, var, x, momentum=0.1):
    """The running statistics after one training batch, as torch's BatchNorm:

    mean ← (1 − momentum)·mean + momentum·μ_B;  var ← (1 − momentum)·var + momentum·s²_B
    with the *unbiased* batch variance s²_B = Σ(x − μ_B)² / (m − 1), m values per feature.
    x: (N, D) or (N, C, H, W); mean, var of shape (D,) or (C,). Returns new arrays.
    """
    fn = "batch_norm_running"
    x = array_arg(fn, "x", x, (2, 4), "(N, D) or (N, C, H, W)")
    c = x.shape[1]
    mean = vector_arg(fn, "mean", mean, c)
    var = vector_arg(fn, "var", var, c)
    axes = (0,) if x.ndim == 2 else (0, 2, 3)
    m = x.size // c if c else 0
    if m < 2:
        raise ValueError(f"{fn}: the unbiased variance needs at least 2 values per feature")
    momentum = float(momentum)
    batch_var = x.var(axis=axes, ddof=1)
    new_mean = (1.0 - momentum) * mean + momentum * x.mean(axis=axes)
    return new_mean, (1.0 - momentum) * var + momentum * batch_var


def _layer_args(fn, x, gamma, beta):
    x = as_float(x)
    if x.ndim < 1 or x.shape[-1] == 0:
        raise ValueError(f"{fn}: x must have shape (..., D) with D ≥ 1, got shape {x.shape}")
    d = x.shape[-1]
    return x, vector_arg(fn, "gamma", gamma, d), vector_arg(fn, "beta", beta, d)


def layer_norm(x, gamma, beta, eps=1e-5) -> np.ndarray:
    """y = γ·(x − μ)/√(σ² + ε) + β with μ, σ² of each row (the last axis), biased σ².

    x: (..., D); γ, β: (D,). Equal to ``torch.nn.functional.layer_norm(x, (D,), gamma,
    beta, eps)``.
    """
    x, gamma, beta = _layer_args("layer_norm", x, gamma, beta)
    xhat, _ = _normalize(x, (-1,), _eps("layer_norm", eps))
    return gamma * xhat + beta


def layer_norm_backward(dout, x, gamma, beta, eps=1e-5):
    """(dx, dγ, dβ) of Σ dout·layer_norm(x, γ, β); dγ, dβ summed over every row."""
    fn = "layer_norm_backward"
    x, gamma, _ = _layer_args(fn, x, gamma, beta)
    dout = as_float(dout)
    check_same_shape(fn, dout, x, names=("dout", "x"))
    xhat, inv_std = _normalize(x, (-1,), _eps(fn, eps))
    dx = _normalize_backward(dout * gamma, xhat, inv_std, (-1,))
    rows = tuple(range(x.ndim - 1))
    return dx, (dout * xhat).sum(axis=rows), dout.sum(axis=rows)


def _group_args(fn, x, groups, gamma, beta):
    x = array_arg(fn, "x", x, 4, "(N, C, H, W)")
    if x.size == 0:
        raise shape_error(fn, "x", "(N, C, H, W) with every size ≥ 1", x.shape)
    n, c, h, w = x.shape
    groups = int_arg(fn, "groups", groups, 1)
    if c % groups:
        raise ValueError(f"{fn}: groups={groups} must divide the channels C={c}")
    gamma = vector_arg(fn, "gamma", gamma, c, f"(C,) = ({c},)")
    beta = vector_arg(fn, "beta", beta, c, f"(C,) = ({c},)")
    return x, groups, gamma[:, None, None], beta[:, None, None]


def group_norm(x, groups, gamma, beta, eps=1e-5) -> np.ndarray:
    """Normalize each sample's groups of C/groups channels over (channels, H, W), then γ·x̂ + β.

    x: (N, C, H, W); γ, β: (C,). groups = C is instance norm. Equal to
    ``torch.nn.functional.group_norm(x, groups, gamma, beta, eps)``.
    """
    x, groups, gamma, beta = _group_args("group_norm", x, groups, gamma, beta)
    xg = x.reshape(x.shape[0], groups, -1)
    xhat, _ = _normalize(xg, (2,), _eps("group_norm", eps))
    return gamma * xhat.reshape(x.shape) + beta


def group_norm_backward(dout, x, groups, gamma, beta, eps=1e-5):
    """(dx, dγ, dβ) of Σ dout·group_norm(x, groups, γ, β)."""
    fn = "group_norm_backward"
    x, groups, gamma, _ = _group_args(fn, x, groups, gamma, beta)
    dout = as_float(dout)
    check_same_shape(fn, dout, x, names=("dout", "x"))
    n = x.shape[0]
    xhat, inv_std = _normalize(x.reshape(n, groups, -1), (2,), _eps(fn, eps))
    g = (dout * gamma).reshape(n, groups, -1)
    dx = _normalize_backward(g, xhat, inv_std, (2,)).reshape(x.shape)
    xhat = xhat.reshape(x.shape)
    return dx, (dout * xhat).sum(axis=(0, 2, 3)), dout.sum(axis=(0, 2, 3))


def _dropout_args(fn, x, mask, p, name="x"):
    x, mask = as_float(x), as_float(mask)
    check_same_shape(fn, x, mask, names=(name, "mask"))
    p = float(p)
    if not 0.0 <= p < 1.0:
        raise ValueError(f"{fn}: the drop probability p must be in [0, 1), got {p!r}")
    return x, mask, p


def dropout(x, mask, p) -> np.ndarray:
    """Inverted dropout: y = x·mask / (1 − p); mask holds 1 (kept) or 0 (dropped), shape of x.

    With mask ~ Bernoulli(1 − p) this is ``torch.nn.functional.dropout(x, p)`` in training.
    """
    x, mask, p = _dropout_args("dropout", x, mask, p)
    return x * mask / (1.0 - p)


def dropout_backward(dout, mask, p) -> np.ndarray:
    """dx = dout·mask / (1 − p) (the same mask and p as the forward pass)."""
    dout, mask, p = _dropout_args("dropout_backward", dout, mask, p, name="dout")
    return dout * mask / (1.0 - p)
