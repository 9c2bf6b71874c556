"""L1 and L2 weight penalties over a list of weight arrays (added to the loss).

L1: Ω = λ Σ |w|, ∂Ω/∂w = λ·sign(w) (0 at w = 0, the subgradient torch's sign gives);
L2: Ω = λ/2 Σ w², ∂Ω/∂w = λ·w (the book's ``weight_decay_lambda`` term:
``0.5 * lambda * np.sum(W ** 2)`` with gradient ``lambda * W``).
Biases are usually left out of ``ws``.
"""

from __future__ import annotations

import numpy as np

from ._arrays import as_float

__all__ = ["l1_penalty", "l1_penalty_grad", "l2_penalty", "l2_penalty_grad"]


def _weights(fn, ws, lam):
    if isinstance(ws, np.ndarray):
        ws = [ws]
    try:
        arrays = [as_float(w) for w in ws]
    except TypeError:
        raise ValueError(f"{fn}: ws must be a list of weight arrays, got {ws!r}") from None
    try:
        lam = float(lam)
    except (TypeError, ValueError):
        raise ValueError(f"{fn}: lam must be a number, got {lam!r}") from None
    return arrays, lam


def l1_penalty(ws, lam) -> float:
    """λ Σ_l Σ |w| over every array of ``ws`` (one array is a list of one)."""
    arrays, lam = _weights("l1_penalty", ws, lam)
    return lam * float(sum(np.abs(w).sum() for w in arrays))


def l2_penalty(ws, lam) -> float:
    """λ/2 Σ_l Σ w² over every array of ``ws``."""
    arrays, lam = _weights("l2_penalty", ws, lam)
    return 0.5 * lam * float(sum((w * w).sum() for w in arrays))


def l1_penalty_grad(ws, lam) -> list:
    """[λ·sign(w) for w in ws]: new arrays of the shapes of ws (0 where w = 0)."""
    arrays, lam = _weights("l1_penalty_grad", ws, lam)
    return [lam * np.sign(w) for w in arrays]


def l2_penalty_grad(ws, lam) -> list:
    """[λ·w for w in ws]: new arrays of the shapes of ws."""
    arrays, lam = _weights("l2_penalty_grad", ws, lam)
    return [lam * w for w in arrays]
