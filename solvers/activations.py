"""Activation functions and their derivatives.

Every function takes a Python scalar, a (nested) list or an ndarray, works in
float64 and returns a new array of the same shape (an ``np.float64`` scalar
for scalar input). Inputs are never modified.

Elementwise functions, ``f(x)`` and ``f'(x)``:

================  ==================================  =====================================
name              f(x)                                f'(x)
================  ==================================  =====================================
``identity``      x                                   1
``step``          1 if x > 0 else 0                   0 everywhere (0 is used at the jump)
``sigmoid``       σ(x) = 1 / (1 + e^{−x})             σ(x)(1 − σ(x))
``tanh``          tanh x                              1 − tanh² x
``relu``          max(0, x)                           1 if x > 0 else 0 (0 at x = 0)
``leaky_relu``    x if x > 0 else αx   (α = 0.01)     1 if x > 0 else α (α at x = 0)
``softplus``      log(1 + e^x)                        σ(x)
``elu``           x if x > 0 else α(e^x − 1) (α = 1)  1 if x > 0 else α e^x
``silu``          x σ(x)                              σ(x)(1 + x(1 − σ(x)))
================  ==================================  =====================================

``softmax`` works along the last axis: softmax(x)_k = e^{x_k} / Σ_j e^{x_j};
its derivative is the Jacobian ∂s_i/∂x_j = s_i (δ_ij − s_j).

All of them are stable for |x| up to (and well beyond) 1000: no overflow and
no RuntimeWarning, e.g. ``softmax([1000, 1000]) == [0.5, 0.5]`` exactly.
"""

from __future__ import annotations

import numpy as np

from ._arrays import as_float, as_float_copy, finish

__all__ = [
    "ACTIVATIONS",
    "activation",
    "activation_grad",
    "elu",
    "elu_grad",
    "identity",
    "identity_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "silu",
    "silu_grad",
    "softmax",
    "softmax_jacobian",
    "softplus",
    "softplus_grad",
    "step",
    "step_grad",
    "tanh",
    "tanh_grad",
]


# --------------------------------------------------------------------------- helpers


def _sigmoid_pair(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(σ(x), σ(−x), e)`` with ``e = e^{−|x|}``, without overflow.

    With e = e^{−|x|} ∈ (0, 1]: σ(x) = 1/(1+e) for x ≥ 0 and e/(1+e) for x < 0,
    and σ(−x) = 1 − σ(x) is the other one, so neither is computed by a
    cancelling subtraction.
    """
    e = np.exp(-np.abs(x))
    denom = 1.0 + e
    pos = x >= 0
    return np.where(pos, 1.0, e) / denom, np.where(pos, e, 1.0) / denom, e


# --------------------------------------------------------------------------- elementwise


def identity(x):
    """identity(x) = x (a copy). Shape: same as ``x``."""
    return finish(as_float_copy(x))


def identity_grad(x):
    """identity'(x) = 1. Shape: same as ``x``."""
    return finish(np.ones_like(as_float(x)))


def step(x):
    """Step function: 1 for x > 0, else 0 (0 at x = 0). Shape: same as ``x``."""
    return finish((as_float(x) > 0).astype(np.float64))


def step_grad(x):
    """Derivative of the step function: 0 everywhere.

    The true derivative is 0 for x ≠ 0 and undefined (a Dirac impulse) at 0;
    0 is returned there too, which is why a step network cannot be trained by
    backpropagation. Shape: same as ``x``.
    """
    return finish(np.zeros_like(as_float(x)))


def sigmoid(x):
    """Logistic sigmoid σ(x) = 1 / (1 + e^{−x}). Shape: same as ``x``.

    Computed from e^{−|x|} in two branches, so it never overflows:
    σ(1000) = 1, σ(−1000) = 0 (an underflow, silently 0).
    """
    return finish(_sigmoid_pair(as_float(x))[0])


def sigmoid_grad(x):
    """σ'(x) = σ(x)(1 − σ(x)) = e^{−|x|} / (1 + e^{−|x|})². Shape: same as ``x``.

    Maximum σ'(0) = 0.25. The second form is used: it is exact in the tails.
    """
    x = as_float(x)
    e = np.exp(-np.abs(x))
    return finish(e / (1.0 + e) ** 2)


def tanh(x):
    """Hyperbolic tangent tanh(x) = (e^x − e^{−x}) / (e^x + e^{−x}). Shape: same as ``x``."""
    return finish(np.tanh(as_float(x)))


def tanh_grad(x):
    """tanh'(x) = 1 − tanh²(x); maximum tanh'(0) = 1. Shape: same as ``x``."""
    t = np.tanh(as_float(x))
    return finish(1.0 - t * t)


def relu(x):
    """ReLU f(x) = max(0, x). Shape: same as ``x``."""
    return finish(np.maximum(as_float(x), 0.0))


def relu_grad(x):
    """ReLU'(x) = 1 for x > 0, 0 for x ≤ 0 (0 at x = 0, as PyTorch). Shape: same as ``x``."""
    return finish((as_float(x) > 0).astype(np.float64))


def leaky_relu(x, alpha: float = 0.01):
    """Leaky ReLU f(x) = x for x > 0, αx for x ≤ 0 (α = ``alpha``). Shape: same as ``x``."""
    x = as_float(x)
    return finish(np.where(x > 0, x, alpha * x))


def leaky_relu_grad(x, alpha: float = 0.01):
    """Leaky ReLU'(x) = 1 for x > 0, α for x ≤ 0 (α at x = 0). Shape: same as ``x``."""
    x = as_float(x)
    return finish(np.where(x > 0, 1.0, float(alpha)))


def softplus(x):
    """Softplus f(x) = log(1 + e^x), as ``np.logaddexp(0, x)`` (stable). Shape: same as ``x``."""
    return finish(np.logaddexp(0.0, as_float(x)))


def softplus_grad(x):
    """softplus'(x) = σ(x). Shape: same as ``x``."""
    return sigmoid(x)


def elu(x, alpha: float = 1.0):
    """ELU f(x) = x for x > 0, α(e^x − 1) for x ≤ 0 (α = ``alpha``). Shape: same as ``x``.

    e^x − 1 is computed as ``expm1(min(x, 0))``: exact near 0, no overflow.
    """
    x = as_float(x)
    return finish(np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0))))


def elu_grad(x, alpha: float = 1.0):
    """ELU'(x) = 1 for x > 0, α e^x for x ≤ 0. Shape: same as ``x``."""
    x = as_float(x)
    return finish(np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0))))


def silu(x):
    """SiLU (swish) f(x) = x σ(x). Shape: same as ``x``."""
    x = as_float(x)
    return finish(x * _sigmoid_pair(x)[0])


def silu_grad(x):
    """SiLU'(x) = σ(x)(1 + x(1 − σ(x))), with 1 − σ(x) computed as σ(−x).

    Shape: same as ``x``.
    """
    x = as_float(x)
    s, s_neg, _ = _sigmoid_pair(x)
    return finish(s * (1.0 + x * s_neg))


# --------------------------------------------------------------------------- softmax


def _softmax_array(x: np.ndarray) -> np.ndarray:
    if x.ndim == 0:
        raise ValueError("softmax needs an input of at least 1 dimension, got a scalar")
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax(x):
    """Softmax along the last axis: s_k = e^{x_k − m} / Σ_j e^{x_j − m}, m = max_j x_j.

    Shape: ``(n,)`` → ``(n,)``, ``(N, n)`` → ``(N, n)`` (each row sums to 1).
    Subtracting the max makes it exact for large logits:
    ``softmax([1000, 1000]) == [0.5, 0.5]``.
    """
    return _softmax_array(as_float(x))


def softmax_jacobian(x):
    """Jacobian of softmax: J_ij = ∂s_i/∂x_j = s_i (δ_ij − s_j), i.e. diag(s) − s sᵀ.

    Shape: ``(n,)`` → ``(n, n)``; a batch ``(N, n)`` → ``(N, n, n)`` (one per row).
    J is symmetric, and each of its rows and columns sums to 0.
    """
    s = _softmax_array(as_float(x))
    n = s.shape[-1]
    return s[..., :, None] * np.eye(n) - s[..., :, None] * s[..., None, :]


# --------------------------------------------------------------------------- by name

# name -> (function, derivative, keyword arguments it accepts)
_TABLE = {
    "identity": (identity, identity_grad, ()),
    "step": (step, step_grad, ()),
    "sigmoid": (sigmoid, sigmoid_grad, ()),
    "tanh": (tanh, tanh_grad, ()),
    "relu": (relu, relu_grad, ()),
    "leaky_relu": (leaky_relu, leaky_relu_grad, ("alpha",)),
    "softplus": (softplus, softplus_grad, ()),
    "elu": (elu, elu_grad, ("alpha",)),
    "silu": (silu, silu_grad, ()),
    "softmax": (softmax, softmax_jacobian, ()),
}

#: The activation names accepted by :func:`activation` and :func:`activation_grad`.
ACTIVATIONS: tuple[str, ...] = tuple(_TABLE)


def lookup(name: str, kw: dict) -> tuple:
    """``(f, f')`` for an activation name, after checking its keyword arguments.

    Raises ``ValueError`` for an unknown name or keyword, listing the valid ones.
    """
    try:
        f, df, allowed = _TABLE[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {name!r}; valid names: {', '.join(ACTIVATIONS)}"
        ) from None
    unknown = sorted(set(kw) - set(allowed))
    if unknown:
        valid = ", ".join(allowed) if allowed else "none"
        raise ValueError(
            f"activation {name!r} got unknown keyword argument(s) {', '.join(unknown)}; "
            f"valid: {valid}"
        )
    return f, df


def activation(name: str, x, **kw):
    """Apply the activation ``name`` to ``x``: see the table in this module's docstring.

    ``kw``: ``alpha`` for ``leaky_relu`` (default 0.01) and ``elu`` (default 1.0).
    Shape: same as ``x``. Raises ``ValueError`` for an unknown name or keyword.
    """
    f, _ = lookup(name, kw)
    return f(x, **kw)


def activation_grad(name: str, x, **kw):
    """The derivative of activation ``name`` at ``x``.

    Elementwise activations: f'(x), same shape as ``x``. ``softmax``: the
    Jacobian diag(s) − s sᵀ, shape ``(n, n)`` for a 1-D ``x`` of length n
    (``(N, n, n)`` for a batch). Raises ``ValueError`` for an unknown name.
    """
    _, df = lookup(name, kw)
    return df(x, **kw)
