"""Weight initialization scales and parameter counts."""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["he_std", "param_count", "xavier_std"]


def _positive_int(name: str, n) -> int:
    if isinstance(n, bool) or int(n) != n or n < 1:
        raise ValueError(f"{name} must be a positive integer, got {n!r}")
    return int(n)


def xavier_std(n_in: int, n_out: int | None = None) -> float:
    """Standard deviation of Xavier (Glorot) initialization.

    * ``xavier_std(n_in)`` = √(1/n_in): the form of the E資格 course and of
      deep-learning-from-scratch (``1 / np.sqrt(n)``), n_in = number of
      inputs of the layer (nodes of the previous layer).
    * ``xavier_std(n_in, n_out)`` = √(2/(n_in + n_out)): Glorot & Bengio (2010).
    """
    n_in = _positive_int("n_in", n_in)
    if n_out is None:
        return math.sqrt(1.0 / n_in)
    n_out = _positive_int("n_out", n_out)
    return math.sqrt(2.0 / (n_in + n_out))


def he_std(n_in: int) -> float:
    """Standard deviation of He (Kaiming) initialization for ReLU layers: √(2/n_in)."""
    return math.sqrt(2.0 / _positive_int("n_in", n_in))


def param_count(sizes: Sequence[int]) -> int:
    """Number of parameters (weights + biases) of an MLP with layer sizes ``[in, h1, ..., out]``.

    Σ_l (n_l · n_{l+1} + n_{l+1}); e.g. [2, 3, 1] → (2·3 + 3) + (3·1 + 1) = 13.
    """
    ns = [_positive_int("a layer size", n) for n in sizes]
    if len(ns) < 2:
        raise ValueError(f"give at least two layer sizes [in, ..., out], got {list(sizes)!r}")
    return sum(a * b + b for a, b in zip(ns[:-1], ns[1:], strict=False))
