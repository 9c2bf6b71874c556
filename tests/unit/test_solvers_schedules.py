"""solvers.lr_schedule and the L1/L2 penalties (solvers.regularization)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import solvers


def test_step_and_exponential():
    lrs = [solvers.lr_schedule("step", 0.1, t, step_size=3, gamma=0.5) for t in range(7)]
    assert lrs == pytest.approx([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025], rel=1e-15)
    assert solvers.lr_schedule("step", 1.0, 10, step_size=5) == pytest.approx(0.01)  # gamma 0.1
    assert solvers.lr_schedule("exponential", 0.2, 3, gamma=0.9) == pytest.approx(0.2 * 0.729)


def test_cosine():
    assert solvers.lr_schedule("cosine", 0.1, 0, T_max=10) == pytest.approx(0.1)
    assert solvers.lr_schedule("cosine", 0.1, 5, T_max=10) == pytest.approx(0.05)
    assert solvers.lr_schedule("cosine", 0.1, 10, T_max=10, lr_min=0.01) == pytest.approx(0.01)
    lr = solvers.lr_schedule("cosine", 0.1, 2, T_max=8, lr_min=0.02)
    assert lr == pytest.approx(0.02 + 0.08 * (1 + math.cos(math.pi / 4)) / 2, rel=1e-15)


def test_warmup_linear():
    kw = {"warmup": 4, "total": 12}
    lrs = [solvers.lr_schedule("warmup_linear", 1.0, t, **kw) for t in (0, 1, 4, 8, 12, 20)]
    assert lrs == pytest.approx([0.0, 0.25, 1.0, 0.5, 0.0, 0.0])


def test_noam():
    # d_model 512, warmup 4000: the peak at t = warmup is 512^-0.5 · 4000^-0.5
    peak = solvers.lr_schedule("noam", 1.0, 4000, d_model=512, warmup=4000)
    assert peak == pytest.approx(512**-0.5 * 4000**-0.5, rel=1e-12)
    assert solvers.lr_schedule("noam", 2.0, 1, d_model=16, warmup=4) == pytest.approx(
        2.0 * 16**-0.5 * 4**-1.5
    )
    assert solvers.lr_schedule("noam", 1.0, 100, d_model=16, warmup=4) == pytest.approx(0.025)
    with pytest.raises(ValueError, match="step must be at least 1"):
        solvers.lr_schedule("noam", 1.0, 0, d_model=16, warmup=4)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: solvers.lr_schedule("linear", 0.1, 0), "unknown lr_schedule 'linear'.*noam"),
        (lambda: solvers.lr_schedule("step", 0.1, 0, gamma=0.5), "missing step_size"),
        (lambda: solvers.lr_schedule("cosine", 0.1, 0, T_max=5, eta_min=0), "unknown hyperparameter 'eta_min'.*lr_min"),
        (lambda: solvers.lr_schedule("exponential", 0.1, -1, gamma=0.5), "step must be at least 0"),
        (lambda: solvers.lr_schedule("warmup_linear", 0.1, 1, warmup=5, total=5), "must exceed"),
    ],
)  # fmt: skip
def test_schedule_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_penalties_and_their_gradients():
    ws = [np.array([[1.0, -2.0], [0.0, 3.0]]), np.array([-0.5])]
    copies = [w.copy() for w in ws]
    assert solvers.l1_penalty(ws, 0.1) == pytest.approx(0.1 * 6.5)
    assert solvers.l2_penalty(ws, 0.1) == pytest.approx(0.05 * (1 + 4 + 9 + 0.25))
    g1 = solvers.l1_penalty_grad(ws, 0.1)
    np.testing.assert_array_equal(g1[0], [[0.1, -0.1], [0.0, 0.1]])  # 0 at w = 0
    np.testing.assert_array_equal(g1[1], [-0.1])
    g2 = solvers.l2_penalty_grad(ws, 0.1)
    np.testing.assert_allclose(g2[0], 0.1 * ws[0])
    for w, c in zip(ws, copies, strict=True):
        np.testing.assert_array_equal(w, c)
    pairs = [
        (solvers.l1_penalty, solvers.l1_penalty_grad),
        (solvers.l2_penalty, solvers.l2_penalty_grad),
    ]
    for penalty, penalty_grad in pairs:
        w = ws[0] + 0.25  # away from the kink of |w| at 0
        numeric = solvers.numerical_gradient(lambda v, f=penalty: f([v, ws[1]], 0.1), w)
        np.testing.assert_allclose(penalty_grad([w, ws[1]], 0.1)[0], numeric, atol=1e-9)
    assert solvers.l2_penalty(np.array([3.0, 4.0]), 2.0) == pytest.approx(25.0)
