"""Loss functions E(y, d) and their gradients ∂E/∂y.

Shapes: ``y`` (the network output) is either one sample, shape ``(K,)`` (or a
scalar), or a batch of N samples, shape ``(N, K)``: an input of 2 or more
dimensions is a batch along axis 0. The loss of a sample sums over its
outputs; the loss of a batch is the **mean over its N samples**. So the
gradient of a batch loss carries a factor 1/N:

* ``mse``: E = ½ Σ_j (y_j − d_j)²; ∂E/∂y = y − d (one sample), (y − d)/N (batch).
* ``cross_entropy``: E = −Σ_k d_k log y_k; ∂E/∂y = −d / y (÷N for a batch).
  ``d`` is one-hot (or any distribution) of the same shape as ``y``, or
  integer class indices: shape ``(N,)`` for a batch, a scalar for one sample.
* ``binary_cross_entropy``: E = −Σ_j [d_j log y_j + (1 − d_j) log(1 − y_j)]
  summed over the outputs of a sample, mean over the batch;
  ∂E/∂y = (y − d) / (y (1 − y)) (÷N for a batch).

**log(0) guard**: the argument of every log (y, and 1 − y for binary
cross-entropy) and every divisor of a gradient is clipped from below to
``TINY = 1e-300``. This changes nothing for any probability ≥ 1e-300, so the
results are exact for valid probabilities (unlike the book's ``log(y + 1e-7)``).
A zero probability on the true class gives a large finite loss (≈ 690.8),
never inf or nan, and no warning. Terms with d_k = 0 contribute exactly 0.
"""

from __future__ import annotations

import numpy as np

from ._arrays import as_float, check_same_shape, finish
from .activations import _softmax_array

__all__ = [
    "LOSSES",
    "TINY",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "cross_entropy",
    "cross_entropy_grad",
    "loss",
    "loss_grad",
    "mse",
    "mse_grad",
    "one_hot",
    "softmax_cross_entropy_grad",
]

#: The floor applied to the argument of log and to divisors (see module docstring).
TINY = 1e-300


def _batch_size(y: np.ndarray) -> int:
    """N for a batch (ndim ≥ 2), 1 for a single sample (ndim ≤ 1)."""
    return y.shape[0] if y.ndim >= 2 else 1


def _per_sample_sum(a: np.ndarray) -> np.ndarray:
    """Σ over the outputs of each sample, then mean over the batch: a float."""
    if a.ndim >= 2:
        return a.sum() / a.shape[0]
    return a.sum()


def _class_indices(k, n: int) -> np.ndarray:
    """``k`` as an int64 array of class indices in 0 … n−1 (``ValueError`` otherwise)."""
    k = np.asarray(k)
    if k.dtype.kind not in "iu":
        if k.dtype.kind != "f" or not np.all(np.isfinite(k)) or np.any(k != np.round(k)):
            raise ValueError(f"class indices must be integers, got {k.tolist()!r}")
    k = k.astype(np.int64, copy=False)
    if k.size and (k.min() < 0 or k.max() >= n):
        raise ValueError(f"class index out of range 0..{n - 1}: {k.tolist()!r}")
    return k


def one_hot(k, n: int):
    """One-hot vector(s) for 0-based class index/indices ``k`` out of ``n`` classes.

    Shape: ``k`` a scalar → ``(n,)``; ``k`` of shape ``(N,)`` → ``(N, n)``.
    Raises ``ValueError`` for an index outside 0 … n−1 or a non-integer.
    """
    n = int(n)
    k = _class_indices(k, n)
    out = np.zeros(k.shape + (n,), dtype=np.float64)
    out.reshape(-1, n)[np.arange(k.size), k.ravel()] = 1.0
    return out


def _is_index_target(y: np.ndarray, d: np.ndarray) -> bool:
    """True when ``d`` holds class indices for ``y`` (shape ``y.shape[:-1]``)."""
    return y.ndim >= 1 and d.shape == y.shape[:-1]


def targets_like(name: str, y: np.ndarray, d) -> np.ndarray:
    """Targets for a classification loss as an array of the shape of ``y``.

    ``d`` of the same shape as ``y`` is used as given (one-hot or probabilities);
    ``d`` of shape ``y.shape[:-1]`` holds class indices and is one-hot encoded.
    """
    d = np.asarray(d)
    if d.shape == y.shape:
        return as_float(d)
    if _is_index_target(y, d):
        return one_hot(d, y.shape[-1])
    raise ValueError(
        f"{name}: shape mismatch: y has shape {y.shape}, d has shape {d.shape} "
        f"(expected {y.shape} for one-hot targets or {y.shape[:-1]} for class indices)"
    )


# --------------------------------------------------------------------------- mse


def mse(y, d):
    """Mean squared error (the seed's form): E = ½ Σ_j (y_j − d_j)².

    Shapes: ``y`` and ``d`` equal; ``(K,)`` one sample, ``(N, K)`` a batch
    (mean of the per-sample E over N). Returns a float (np.float64).
    """
    y, d = as_float(y), as_float(d)
    check_same_shape("mse", y, d)
    r = y - d
    return np.float64(0.5 * _per_sample_sum(r * r))


def mse_grad(y, d):
    """∂E/∂y of :func:`mse`: y − d for one sample, (y − d)/N for a batch of N.

    Shape: same as ``y``.
    """
    y, d = as_float(y), as_float(d)
    check_same_shape("mse_grad", y, d)
    return finish((y - d) / _batch_size(y))


# --------------------------------------------------------------------------- cross-entropy


def cross_entropy(y, d):
    """Cross-entropy E = −Σ_k d_k log y_k (mean over a batch).

    Shapes: ``y`` ``(K,)`` or ``(N, K)`` probabilities; ``d`` the same shape
    (one-hot) or class indices (a scalar, or ``(N,)``). log(0) guard: y is
    clipped to ``TINY`` (see the module docstring). Returns a float.
    """
    y, d = as_float(y), np.asarray(d)
    if d.shape != y.shape and _is_index_target(y, d):
        # only the log of the true class: −log y_t
        k = _class_indices(d, y.shape[-1])
        p = np.take_along_axis(y, k[..., None], axis=-1)
        return np.float64(-_per_sample_sum(np.log(np.maximum(p, TINY))))
    t = targets_like("cross_entropy", y, d)
    return np.float64(-_per_sample_sum(t * np.log(np.maximum(y, TINY))))


def cross_entropy_grad(y, d):
    """∂E/∂y of :func:`cross_entropy`: −d / y (one sample), −d / (N y) (batch).

    Shape: same as ``y`` (for index targets, nonzero only at the true class).
    Divisor clipped to ``TINY``.
    """
    y = as_float(y)
    t = targets_like("cross_entropy_grad", y, d)
    return finish(-t / np.maximum(y, TINY) / _batch_size(y))


def binary_cross_entropy(y, d):
    """Binary cross-entropy E = −Σ_j [d_j log y_j + (1 − d_j) log(1 − y_j)].

    Summed over the outputs of a sample, mean over a batch of N. Shapes:
    ``y`` and ``d`` equal, ``()``, ``(K,)`` or ``(N, K)``. y and 1 − y are
    clipped to ``TINY`` inside the logs. Returns a float.
    """
    y, d = as_float(y), as_float(d)
    check_same_shape("binary_cross_entropy", y, d)
    log_y = np.log(np.maximum(y, TINY))
    log_1my = np.log(np.maximum(1.0 - y, TINY))
    return np.float64(-_per_sample_sum(d * log_y + (1.0 - d) * log_1my))


def binary_cross_entropy_grad(y, d):
    """∂E/∂y of :func:`binary_cross_entropy`: −d/y + (1 − d)/(1 − y) = (y − d)/(y(1 − y)).

    ÷N for a batch. Shape: same as ``y``. Divisors clipped to ``TINY``.
    """
    y, d = as_float(y), as_float(d)
    check_same_shape("binary_cross_entropy_grad", y, d)
    g = -d / np.maximum(y, TINY) + (1.0 - d) / np.maximum(1.0 - y, TINY)
    return finish(g / _batch_size(y))


def softmax_cross_entropy_grad(u, t):
    """∂E/∂u for E = cross_entropy(softmax(u), t): the fused gradient.

    softmax(u) − t for one sample ``(K,)``, (softmax(u) − t)/N for a batch
    ``(N, K)``; ``t`` one-hot (same shape as ``u``) or class indices.
    Shape: same as ``u``.
    """
    u = as_float(u)
    y = _softmax_array(u)
    return (y - targets_like("softmax_cross_entropy_grad", u, t)) / _batch_size(u)


def softmax_cross_entropy_fused(y: np.ndarray, d) -> tuple[float, np.ndarray]:
    """(E, δ) for softmax output probabilities ``y`` (float64) and targets ``d``.

    E = :func:`cross_entropy` (y, d) and δ = (y − t)/N (N = 1 for one sample),
    with the targets read once: one-hot ``d`` is used as given (no copy when it
    is already float64), class indices select −log y_t and subtract 1 at the
    true class. Used by ``MLP.backward`` for a softmax output with cross-entropy.
    """
    d = np.asarray(d)
    n = _batch_size(y)
    if d.shape == y.shape:
        t = as_float(d)
        value = -float(np.sum(t * np.log(np.maximum(y, TINY)))) / n
        return value, (y - t) / n
    if not _is_index_target(y, d):
        targets_like("cross_entropy", y, d)  # raises the shape-mismatch ValueError
    k = _class_indices(d, y.shape[-1])
    at = (np.arange(k.shape[0]), k) if y.ndim == 2 else (k,)  # the true class of each row
    p = y[at]
    value = -float(np.sum(np.log(np.maximum(p, TINY)))) / n
    delta = y / n  # a fresh array
    delta[at] = (p - 1.0) / n
    return value, delta


# --------------------------------------------------------------------------- by name

_TABLE = {
    "mse": (mse, mse_grad),
    "cross_entropy": (cross_entropy, cross_entropy_grad),
    "binary_cross_entropy": (binary_cross_entropy, binary_cross_entropy_grad),
}

#: The loss names accepted by :func:`loss` and :func:`loss_grad`.
LOSSES: tuple[str, ...] = tuple(_TABLE)


def lookup(name: str) -> tuple:
    """``(E, ∂E/∂y)`` for a loss name; ``ValueError`` listing the valid names."""
    try:
        return _TABLE[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {name!r}; valid names: {', '.join(LOSSES)}") from None


def loss(name: str, y, d):
    """The loss ``name`` (mse, cross_entropy, binary_cross_entropy) of output ``y``, target ``d``.

    See the module docstring for shapes and formulas. Returns a float (np.float64).
    """
    return lookup(name)[0](y, d)


def loss_grad(name: str, y, d):
    """∂loss/∂y for the loss ``name``; shape: same as ``y``."""
    return lookup(name)[1](y, d)
