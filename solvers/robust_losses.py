"""Robust regression losses and the SVM hinge loss: the mean over all elements.

Unlike :mod:`solvers.losses` (sum over the outputs of a sample, mean over the
batch), these three follow PyTorch's ``reduction="mean"``: the mean over *every*
element, whatever the shape. With the residual r = y − d:

* ``huber``: ½ r² for |r| < δ, δ(|r| − ½δ) otherwise          [torch HuberLoss]
* ``smooth_l1``: ½ r²/β for |r| < β, |r| − ½β otherwise        [torch SmoothL1Loss]
  (``huber`` = β · ``smooth_l1`` with β = δ; β = 0 gives the L1 loss, as torch)
* ``hinge``: max(0, 1 − t s) for scores s and labels t ∈ {−1, +1}

(A separate module from :mod:`solvers.losses`, whose losses average per sample.)
"""

from __future__ import annotations

import numpy as np

from ._arrays import as_float, check_same_shape

__all__ = ["hinge", "huber", "smooth_l1"]


def _residual(what: str, y, d) -> np.ndarray:
    y, d = as_float(y), as_float(d)
    check_same_shape(what, y, d)
    if y.size == 0:
        raise ValueError(f"{what}: y and d are empty (the mean of no elements is undefined)")
    return y - d


def _positive(what: str, name: str, value, allow_zero: bool = False) -> float:
    value = float(value)
    if not (value > 0 or (allow_zero and value == 0)):
        bound = "≥ 0" if allow_zero else "> 0"
        raise ValueError(f"{what}: {name} must be {bound}, got {value!r}")
    return value


def huber(y, d, delta=1.0):
    """Huber loss, mean over all elements: L = mean(ℓ(y − d)) with

    ℓ(r) = ½ r² for |r| < δ, δ (|r| − ½ δ) for |r| ≥ δ.

    Shapes: ``y`` and ``d`` equal (any shape). ``delta`` > 0.
    Returns a float; equals ``torch.nn.HuberLoss(delta=delta)(y, d)``.
    """
    delta = _positive("huber", "delta", delta)
    a = np.abs(_residual("huber", y, d))
    return np.float64(np.mean(np.where(a < delta, 0.5 * a * a, delta * (a - 0.5 * delta))))


def smooth_l1(y, d, beta=1.0):
    """Smooth L1 loss, mean over all elements: L = mean(ℓ(y − d)) with

    ℓ(r) = ½ r² / β for |r| < β, |r| − ½ β for |r| ≥ β  (β = 0: ℓ(r) = |r|).

    Shapes: ``y`` and ``d`` equal (any shape). ``beta`` ≥ 0.
    Returns a float; equals ``torch.nn.SmoothL1Loss(beta=beta)(y, d)``.
    """
    beta = _positive("smooth_l1", "beta", beta, allow_zero=True)
    a = np.abs(_residual("smooth_l1", y, d))
    if beta == 0.0:
        return np.float64(np.mean(a))
    return np.float64(np.mean(np.where(a < beta, 0.5 * a * a / beta, a - 0.5 * beta)))


def hinge(scores, labels):
    """Hinge loss of a linear classifier (SVM), mean over all elements:

    L = mean(max(0, 1 − t · s)) for scores s and labels t ∈ {−1, +1}.

    Shapes: ``scores`` and ``labels`` equal (any shape). Returns a float; the
    torch expression ``torch.clamp(1 - t * s, min=0).mean()`` (reduction="mean").
    Raises ``ValueError`` for a label other than −1 or +1.
    """
    s, t = as_float(scores), as_float(labels)
    check_same_shape("hinge", s, t, names=("scores", "labels"))
    if s.size == 0:
        raise ValueError("hinge: scores and labels are empty")
    if not np.all((t == 1.0) | (t == -1.0)):
        raise ValueError(f"hinge: labels must be -1 or +1, got {np.unique(t).tolist()!r}")
    return np.float64(np.mean(np.maximum(0.0, 1.0 - t * s)))
