"""Probability distributions (densities and mass functions) and Bayes' rule.

Elementwise over broadcast arrays, like SciPy's ``pdf``/``pmf`` (argument
order as SciPy's: the point first, then the parameters); a 0-d result is an
``np.float64``. Mass functions are 0 off their support (a k that is not a whole
number in range), as in SciPy. Coefficients are exact integers for n ≤ 60;
beyond, factorials go through ``math.lgamma`` in log space, so large n stay finite.
"""

from __future__ import annotations

import math

import numpy as np

from ._arrays import as_float, finish

__all__ = [
    "bayes",
    "bernoulli_pmf",
    "binomial_pmf",
    "multinomial_pmf",
    "normal_pdf",
    "poisson_pmf",
]

_lgamma = np.frompyfunc(math.lgamma, 1, 1)
_comb = np.frompyfunc(math.comb, 2, 1)
#: Up to this n, binomial and multinomial coefficients are computed exactly
#: (C(60, 30) ≈ 1.2e17 is still a float with a 1e-16 error); beyond, in log space.
_EXACT_N = 60


def _log_factorial(k: np.ndarray) -> np.ndarray:
    """log k! for whole k ≥ 0 (elementwise)."""
    return np.asarray(_lgamma(k + 1.0), dtype=np.float64)


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x log y with 0 log 0 = 0 (so that p⁰ = 1 even for p = 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x * np.log(y))


def _whole(k: np.ndarray) -> np.ndarray:
    return np.isfinite(k) & (k == np.floor(k)) & (k >= 0)


def _probability(what: str, p) -> np.ndarray:
    p = as_float(p)
    if not np.all((p >= 0) & (p <= 1)):
        raise ValueError(f"{what}: p must be a probability in [0, 1]")
    return p


def normal_pdf(x, mu=0.0, sigma=1.0):
    """Normal density N(x; μ, σ²) = exp(−(x − μ)² / (2σ²)) / (σ √(2π)).

    Elementwise over broadcast ``x``, ``mu``, ``sigma`` (σ > 0: the standard
    deviation, not the variance). Equals ``scipy.stats.norm.pdf(x, mu, sigma)``.
    """
    x, mu, sigma = as_float(x), as_float(mu), as_float(sigma)
    if not np.all(sigma > 0):
        raise ValueError("normal_pdf: sigma (the standard deviation) must be > 0")
    z = (x - mu) / sigma
    return finish(np.exp(-0.5 * z * z) / (sigma * math.sqrt(2.0 * math.pi)))


def bernoulli_pmf(k, p):
    """Bernoulli mass P(k) = p^k (1 − p)^(1−k) for k ∈ {0, 1}, 0 for any other k.

    Elementwise over broadcast ``k`` and ``p`` (0 ≤ p ≤ 1).
    Equals ``scipy.stats.bernoulli.pmf(k, p)``.
    """
    k, p = as_float(k), _probability("bernoulli_pmf", p)
    return finish(np.where(k == 1, p, np.where(k == 0, 1.0 - p, 0.0)))


def binomial_pmf(k, n, p):
    """Binomial mass P(k) = C(n, k) p^k (1 − p)^(n−k) for whole 0 ≤ k ≤ n, else 0.

    Elementwise over broadcast ``k``, ``n`` (a whole number ≥ 0), ``p``.
    Equals ``scipy.stats.binom.pmf(k, n, p)``.
    """
    k, n, p = as_float(k), as_float(n), _probability("binomial_pmf", p)
    if not np.all(_whole(n)):
        raise ValueError("binomial_pmf: n must be a whole number ≥ 0")
    k, n, p = np.broadcast_arrays(k, n, p)
    ok = _whole(k) & (k <= n)
    kk = np.where(ok, k, 0.0)
    if n.size and n.max() <= _EXACT_N:  # C(n, k) exactly as an integer, then powers
        comb = np.asarray(_comb(n.astype(np.int64), kk.astype(np.int64)), dtype=np.float64)
        pmf = comb * np.power(p, kk) * np.power(1.0 - p, n - kk)
        return finish(np.where(ok, pmf, 0.0))
    log_c = _log_factorial(n) - _log_factorial(kk) - _log_factorial(n - kk)
    log_pmf = log_c + _xlogy(kk, p) + _xlogy(n - kk, 1.0 - p)
    return finish(np.where(ok, np.exp(log_pmf), 0.0))


def poisson_pmf(k, lam):
    """Poisson mass P(k) = λ^k e^{−λ} / k! for whole k ≥ 0, else 0.

    Elementwise over broadcast ``k`` and ``lam`` (λ ≥ 0).
    Equals ``scipy.stats.poisson.pmf(k, lam)``.
    """
    k, lam = as_float(k), as_float(lam)
    if not np.all(lam >= 0):
        raise ValueError("poisson_pmf: lam must be ≥ 0")
    k, lam = np.broadcast_arrays(k, lam)
    ok = _whole(k)
    kk = np.where(ok, k, 0.0)
    log_pmf = _xlogy(kk, lam) - lam - _log_factorial(kk)
    return finish(np.where(ok, np.exp(log_pmf), 0.0))


def multinomial_pmf(counts, probs):
    """Multinomial mass P(x) = n! / Π_i x_i! · Π_i p_i^{x_i}, with n = Σ_i x_i.

    Shapes: ``counts`` ``(K,)`` whole numbers ≥ 0 and ``probs`` ``(K,)`` summing
    to 1 (to 1e-9). Returns a float. Equals ``scipy.stats.multinomial.pmf(counts,
    n=sum(counts), p=probs)`` (SciPy's order: the counts, then the parameters).
    """
    x, p = as_float(counts), as_float(probs)
    if x.ndim != 1 or p.shape != x.shape or x.size == 0:
        raise ValueError(
            f"multinomial_pmf: counts has shape {x.shape}, probs has shape {p.shape}; "
            "expected equal shapes (K,)"
        )
    if not np.all(_whole(x)):
        raise ValueError("multinomial_pmf: counts must be whole numbers ≥ 0")
    if not np.all((p >= 0) & (p <= 1)) or abs(p.sum() - 1.0) > 1e-9:
        raise ValueError("multinomial_pmf: probs must be probabilities that sum to 1")
    n = x.sum()
    if n <= _EXACT_N:
        coef = math.factorial(int(n))
        for c in x.astype(np.int64).tolist():
            coef //= math.factorial(c)
        return np.float64(float(coef) * np.prod(np.power(p, x)))
    log_pmf = _log_factorial(n) - _log_factorial(x).sum() + _xlogy(x, p).sum()
    return np.float64(np.exp(log_pmf))


def bayes(prior, likelihoods):
    """Posterior P(H_i | E) = P(E | H_i) P(H_i) / Σ_j P(E | H_j) P(H_j).

    Shapes: ``prior`` ``(K,)`` (P(H_i), ≥ 0; normalized here if it does not
    sum to 1) and ``likelihoods`` ``(K,)`` (P(E | H_i) ≥ 0). Returns the
    posterior ``(K,)``, summing to 1. Raises ``ValueError`` when the evidence
    Σ_j P(E | H_j) P(H_j) is 0.
    """
    prior, lik = as_float(prior), as_float(likelihoods)
    if prior.ndim != 1 or lik.shape != prior.shape or prior.size == 0:
        raise ValueError(
            f"bayes: prior has shape {prior.shape}, likelihoods has shape {lik.shape}; "
            "expected equal shapes (K,)"
        )
    if np.any(prior < 0) or np.any(lik < 0) or not np.all(np.isfinite(prior * lik)):
        raise ValueError("bayes: prior and likelihoods must be finite and ≥ 0")
    joint = prior * lik
    evidence = joint.sum()
    if evidence <= 0:
        raise ValueError("bayes: the evidence Σ P(E | H) P(H) is 0; no posterior exists")
    return joint / evidence
