"""solvers.robust_losses: huber, smooth_l1, hinge (mean over all elements)."""

from __future__ import annotations

import numpy as np
import pytest

import solvers


def ro(*arrays):
    out = []
    for a in arrays:
        a = np.array(a, dtype=np.float64)
        a.flags.writeable = False
        out.append(a)
    return out


def test_huber_by_hand():
    # residuals 0.5 (quadratic: 0.125) and 3 (linear: 1 * (3 - 0.5) = 2.5)
    y, d = ro([0.5, 3.0], [0.0, 0.0])
    assert solvers.huber(y, d) == pytest.approx((0.125 + 2.5) / 2)
    # delta = 2: 0.5·0.25 = 0.125 and 2 (3 − 1) = 4
    assert solvers.huber(y, d, delta=2.0) == pytest.approx((0.125 + 4.0) / 2)


def test_smooth_l1_by_hand_and_relation_to_huber():
    y, d = ro([[0.5, -3.0], [1.0, 0.2]], [[0.0, 0.0], [0.0, 0.0]])
    expected = (0.5 * 0.25 + 2.5 + 0.5 + 0.5 * 0.04) / 4
    assert solvers.smooth_l1(y, d) == pytest.approx(expected)
    for beta in (0.5, 2.0):
        assert solvers.huber(y, d, delta=beta) == pytest.approx(
            beta * solvers.smooth_l1(y, d, beta)
        )
    assert solvers.smooth_l1(y, d, beta=0.0) == pytest.approx(np.mean(np.abs(y - d)))


def test_hinge_by_hand():
    s, t = ro([2.0, 0.5, -0.3, 0.4], [1, 1, -1, -1])
    # max(0, 1 − t s): 0, 0.5, 0.7, 1.4
    assert solvers.hinge(s, t) == pytest.approx((0 + 0.5 + 0.7 + 1.4) / 4)


def test_bad_inputs():
    with pytest.raises(ValueError, match="shape"):
        solvers.huber([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="delta"):
        solvers.huber([1.0], [0.0], delta=0)
    with pytest.raises(ValueError, match="beta"):
        solvers.smooth_l1([1.0], [0.0], beta=-1)
    with pytest.raises(ValueError, match="-1 or \\+1"):
        solvers.hinge([1.0, 2.0], [1, 0])
    with pytest.raises(ValueError, match="empty"):
        solvers.hinge([], [])
