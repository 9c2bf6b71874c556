"""Reinforcement learning: discounted return and tabular TD updates.

Tables: ``Q`` ``(S, A)`` action values, ``V`` ``(S,)`` state values; states and
actions are 0-based whole numbers. Each update returns a **new** table (the
argument is not modified). ``done=True`` marks s_next as terminal: the target
is r alone (no bootstrap from s_next).
"""

from __future__ import annotations

import numpy as np

from ._arrays import as_float, as_float_copy

__all__ = ["discounted_return", "q_learning_update", "sarsa_update", "td0_update"]


def discounted_return(rewards, gamma):
    """G_0 = Σ_t γ^t r_t = r_0 + γ r_1 + γ² r_2 + … for ``rewards`` ``(T,)``. Returns a float."""
    r = as_float(rewards)
    if r.ndim != 1:
        raise ValueError(f"discounted_return: rewards has shape {r.shape}, expected (T,)")
    gamma = float(gamma)
    g = 0.0
    for reward in r[::-1].tolist():  # Horner: G_t = r_t + γ G_{t+1}
        g = reward + gamma * g
    return np.float64(g)


def _index(what: str, name: str, i, size: int) -> int:
    if isinstance(i, (bool, np.bool_)) or np.ndim(i) != 0 or int(i) != i or not 0 <= i < size:
        raise ValueError(f"{what}: {name} must be a whole number in 0..{size - 1}, got {i!r}")
    return int(i)


def _q_table(what: str, Q) -> np.ndarray:
    Q = as_float_copy(Q)
    if Q.ndim != 2 or Q.size == 0:
        raise ValueError(f"{what}: Q has shape {Q.shape}, expected (S, A)")
    return Q


def q_learning_update(Q, s, a, r, s_next, alpha, gamma, done=False):
    """Q-learning (off-policy TD control):

    Q(s, a) ← Q(s, a) + α [r + γ max_a' Q(s', a') − Q(s, a)]   (target r if done).

    ``Q`` ``(S, A)``. Returns the new table ``(S, A)``.
    """
    Q = _q_table("q_learning_update", Q)
    s = _index("q_learning_update", "s", s, Q.shape[0])
    a = _index("q_learning_update", "a", a, Q.shape[1])
    s_next = _index("q_learning_update", "s_next", s_next, Q.shape[0])
    target = float(r) + (0.0 if done else float(gamma) * Q[s_next].max())
    Q[s, a] += float(alpha) * (target - Q[s, a])
    return Q


def sarsa_update(Q, s, a, r, s_next, a_next, alpha, gamma, done=False):
    """SARSA (on-policy TD control):

    Q(s, a) ← Q(s, a) + α [r + γ Q(s', a') − Q(s, a)]   (target r if done).

    ``Q`` ``(S, A)``; a' = ``a_next`` is the action actually taken in s'.
    Returns the new table ``(S, A)``.
    """
    Q = _q_table("sarsa_update", Q)
    s = _index("sarsa_update", "s", s, Q.shape[0])
    a = _index("sarsa_update", "a", a, Q.shape[1])
    s_next = _index("sarsa_update", "s_next", s_next, Q.shape[0])
    a_next = _index("sarsa_update", "a_next", a_next, Q.shape[1])
    target = float(r) + (0.0 if done else float(gamma) * Q[s_next, a_next])
    Q[s, a] += float(alpha) * (target - Q[s, a])
    return Q


def td0_update(V, s, r, s_next, alpha, gamma, done=False):
    """TD(0) state-value update: V(s) ← V(s) + α [r + γ V(s') − V(s)]   (target r if done).

    ``V`` ``(S,)``. Returns the new table ``(S,)``.
    """
    V = as_float_copy(V)
    if V.ndim != 1 or V.size == 0:
        raise ValueError(f"td0_update: V has shape {V.shape}, expected (S,)")
    s = _index("td0_update", "s", s, V.shape[0])
    s_next = _index("td0_update", "s_next", s_next, V.shape[0])
    target = float(r) + (0.0 if done else float(gamma) * V[s_next])
    V[s] += float(alpha) * (target - V[s])
    return V
