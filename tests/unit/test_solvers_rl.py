"""solvers.rl: discounted return and TD updates (new tables, done without bootstrap)."""

from __future__ import annotations

import numpy as np
import pytest

import solvers


def table(values):
    a = np.array(values, dtype=np.float64)
    a.flags.writeable = False
    return a


def test_discounted_return():
    assert solvers.discounted_return([1.0, 2.0, 3.0], 0.5) == pytest.approx(1 + 1 + 0.75)
    assert solvers.discounted_return([], 0.9) == 0.0


def test_q_learning_update():
    Q = table([[0.0, 1.0], [2.0, 4.0]])
    new = solvers.q_learning_update(Q, 0, 0, 1.0, 1, 0.5, 0.9)
    # target 1 + 0.9 · max(2, 4) = 4.6; 0 + 0.5 (4.6 − 0) = 2.3
    assert new[0, 0] == pytest.approx(2.3)
    new[0, 0] = Q[0, 0]
    np.testing.assert_array_equal(new, Q)  # only Q(s, a) changed
    done = solvers.q_learning_update(Q, 0, 0, 1.0, 1, 0.5, 0.9, done=True)
    assert done[0, 0] == pytest.approx(0.5)


def test_sarsa_update():
    Q = table([[0.0, 1.0], [2.0, 4.0]])
    new = solvers.sarsa_update(Q, 0, 1, 1.0, 1, 0, 0.5, 0.9)
    # target 1 + 0.9 · Q(1, 0) = 2.8; 1 + 0.5 (2.8 − 1) = 1.9
    assert new[0, 1] == pytest.approx(1.9)
    assert solvers.sarsa_update(Q, 0, 1, 1.0, 1, 0, 0.5, 0.9, done=True)[0, 1] == 1.0


def test_td0_update():
    V = table([0.0, 10.0])
    assert solvers.td0_update(V, 0, 1.0, 1, 0.1, 0.9)[0] == pytest.approx(0.1 * 10.0)
    assert solvers.td0_update(V, 0, 1.0, 1, 0.1, 0.9, done=True)[0] == pytest.approx(0.1)


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"Q has shape \(2,\), expected \(S, A\)"):
        solvers.q_learning_update(np.zeros(2), 0, 0, 1.0, 1, 0.5, 0.9)
    with pytest.raises(ValueError, match="a must be a whole number in 0..1"):
        solvers.q_learning_update(np.zeros((2, 2)), 0, 2, 1.0, 1, 0.5, 0.9)
    with pytest.raises(ValueError, match="s_next"):
        solvers.td0_update(np.zeros(2), 0, 1.0, 1.5, 0.5, 0.9)
