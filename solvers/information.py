"""Information theory: entropy, cross-entropy, KL and JS divergences, mutual information.

Distributions are used as given (not renormalized); every entry must be ≥ 0.
A 1-D ``p`` is one distribution; a 2-D ``p`` holds one distribution per row and
the result is the **mean over the rows**. ``base`` selects the unit: e (nats,
the default), 2 (bits). The convention 0 log 0 = 0 holds everywhere: a term
with p_i = 0 contributes exactly 0, whatever q_i is. A term with p_i > 0 and
q_i = 0 makes a cross-entropy or KL divergence infinite (``inf``, no warning).

Joint tables ``P`` (2-D) have rows X and columns Y: P[i, j] = P(X = x_i, Y = y_j).
"""

from __future__ import annotations

import math

import numpy as np

from ._arrays import as_float, check_same_shape

__all__ = [
    "conditional_entropy",
    "cross_entropy_dist",
    "entropy",
    "js_divergence",
    "joint_entropy",
    "kl_divergence",
    "mutual_information",
]


def _distribution(what: str, p, name: str = "p", ndims=(1, 2)) -> np.ndarray:
    p = as_float(p)
    if p.ndim not in ndims:
        expected = " or ".join({1: "(K,)", 2: "(N, K)"}[n] for n in ndims)
        raise ValueError(f"{what}: {name} has shape {p.shape}, expected {expected}")
    if p.shape[-1] == 0 or p.size == 0:
        raise ValueError(f"{what}: {name} is empty (shape {p.shape})")
    if not np.all(np.isfinite(p)) or np.any(p < 0):
        raise ValueError(f"{what}: {name} must hold finite probabilities ≥ 0")
    return p


def _log_base(what: str, base) -> float:
    base = float(base)
    if not (base > 0 and base != 1 and math.isfinite(base)):
        raise ValueError(f"{what}: base must be positive and not 1, got {base!r}")
    return math.log(base)


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x log y elementwise, 0 where x = 0 (also when y = 0); −inf where x > 0 = y."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x * np.log(y))


def _mean_of_rows(terms: np.ndarray) -> np.float64:
    """Σ over the last axis, then the mean over rows (if any)."""
    per_row = terms.sum(axis=-1)
    return np.float64(per_row.mean() if per_row.ndim else per_row)


def entropy(p, base=math.e):
    """Shannon entropy H(p) = −Σ_i p_i log p_i (0 log 0 = 0).

    Shapes: ``p`` ``(K,)`` → a float; ``(N, K)`` → the mean of the N row entropies.
    Equals ``scipy.stats.entropy(p, base=base)`` for normalized p (SciPy
    normalizes; this function does not).
    """
    p = _distribution("entropy", p)
    return np.float64(-_mean_of_rows(_xlogy(p, p)) / _log_base("entropy", base))


def _pair(what: str, p, q) -> tuple[np.ndarray, np.ndarray]:
    p, q = _distribution(what, p, "p"), _distribution(what, q, "q")
    check_same_shape(what, p, q, names=("p", "q"))
    return p, q


def cross_entropy_dist(p, q, base=math.e):
    """Cross-entropy of two distributions H(p, q) = −Σ_i p_i log q_i.

    Shapes: ``p``, ``q`` equal, ``(K,)`` or ``(N, K)`` (mean over rows).
    H(p, q) = H(p) + KL(p ‖ q); ``inf`` when some q_i = 0 < p_i.
    """
    p, q = _pair("cross_entropy_dist", p, q)
    return np.float64(-_mean_of_rows(_xlogy(p, q)) / _log_base("cross_entropy_dist", base))


def _kl_nats(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Σ_i p_i log(p_i / q_i) over the last axis, in nats (0 where p_i = 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p == 0, 0.0, p * (np.log(p) - np.log(q)))
    return terms.sum(axis=-1)


def kl_divergence(p, q, base=math.e):
    """Kullback–Leibler divergence KL(p ‖ q) = Σ_i p_i log(p_i / q_i) (≥ 0, not symmetric).

    Shapes: ``p``, ``q`` equal, ``(K,)`` or ``(N, K)`` (mean over rows).
    Equals ``scipy.stats.entropy(p, q, base=base)`` for normalized p, q;
    ``inf`` when some q_i = 0 < p_i.
    """
    p, q = _pair("kl_divergence", p, q)
    per_row = _kl_nats(p, q)
    value = per_row.mean() if per_row.ndim else per_row
    return np.float64(value / _log_base("kl_divergence", base))


def js_divergence(p, q, base=math.e):
    """Jensen–Shannon divergence JS(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2.

    Symmetric, finite, 0 ≤ JS ≤ log 2 (1 bit with base=2). Shapes: ``p``, ``q``
    equal, ``(K,)`` or ``(N, K)`` (mean over rows). This is the *divergence*:
    ``scipy.spatial.distance.jensenshannon`` returns its square root.
    """
    p, q = _pair("js_divergence", p, q)
    m = 0.5 * (p + q)
    per_row = 0.5 * _kl_nats(p, m) + 0.5 * _kl_nats(q, m)
    value = per_row.mean() if per_row.ndim else per_row
    return np.float64(value / _log_base("js_divergence", base))


def _table(what: str, P) -> np.ndarray:
    return _distribution(what, P, "P (a joint table, rows X, columns Y)", ndims=(2,))


def joint_entropy(P, base=math.e):
    """Joint entropy H(X, Y) = −Σ_ij P_ij log P_ij of a joint table ``P`` (n_x, n_y).

    Returns a float. (``base`` as in :func:`entropy`.)
    """
    P = _table("joint_entropy", P)
    return np.float64(-_xlogy(P, P).sum() / _log_base("joint_entropy", base))


def conditional_entropy(P, base=math.e):
    """Conditional entropy H(Y | X) = −Σ_ij P_ij log(P_ij / P_i·) = H(X, Y) − H(X).

    ``P`` (n_x, n_y): rows X, columns Y; P_i· = Σ_j P_ij is the marginal of X.
    Returns a float ≥ 0.
    """
    P = _table("conditional_entropy", P)
    px = P.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(P == 0, 0.0, P * (np.log(P) - np.log(px)))
    return np.float64(-terms.sum() / _log_base("conditional_entropy", base))


def mutual_information(P, base=math.e):
    """Mutual information I(X; Y) = Σ_ij P_ij log(P_ij / (P_i· P_·j)) = H(X) + H(Y) − H(X, Y).

    ``P`` (n_x, n_y): a joint table (rows X, columns Y). Returns a float ≥ 0
    (0 for independent X and Y).
    """
    P = _table("mutual_information", P)
    px = P.sum(axis=1, keepdims=True)
    py = P.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(P == 0, 0.0, P * (np.log(P) - np.log(px) - np.log(py)))
    return np.float64(terms.sum() / _log_base("mutual_information", base))
