"""solvers.optimizer_step: two steps of each optimizer against values computed by hand.

Every case starts from p = 1 with the gradients g1 then g2 given in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import solvers


def two_steps(name, g1, g2, p0=1.0, **hyper):
    p1, s1 = solvers.optimizer_step(name, p0, g1, None, **hyper)
    p2, s2 = solvers.optimizer_step(name, p1, g2, s1, **hyper)
    return p1, s1, p2, s2


def test_sgd():
    # lr = 0.1, g1 = 0.6, g2 = 0.8
    # p1 = 1 − 0.1·0.6 = 0.94;  p2 = 0.94 − 0.1·0.8 = 0.86
    p1, s1, p2, s2 = two_steps("sgd", 0.6, 0.8, lr=0.1)
    assert p1 == pytest.approx(0.94, rel=1e-15)
    assert p2 == pytest.approx(0.86, rel=1e-15)
    assert s1 == {} and s2 == {}


def test_sgd_default_learning_rate():
    # lr = 0.01 (default): p1 = 1 − 0.01·0.5 = 0.995
    p1, _ = solvers.optimizer_step("sgd", 1.0, 0.5, {})
    assert p1 == pytest.approx(0.995, rel=1e-15)


def test_momentum():
    # lr = 0.1, momentum = 0.9, g1 = 0.6, g2 = 0.8, v0 = 0
    # v1 = 0.9·0 − 0.1·0.6 = −0.06;            p1 = 1 − 0.06 = 0.94
    # v2 = 0.9·(−0.06) − 0.1·0.8 = −0.134;     p2 = 0.94 − 0.134 = 0.806
    p1, s1, p2, s2 = two_steps("momentum", 0.6, 0.8, lr=0.1, momentum=0.9)
    assert s1["v"] == pytest.approx(-0.06, rel=1e-15)
    assert p1 == pytest.approx(0.94, rel=1e-15)
    assert s2["v"] == pytest.approx(-0.134, rel=1e-15)
    assert p2 == pytest.approx(0.806, rel=1e-15)


def test_momentum_defaults():
    # lr = 0.01, momentum = 0.9 (defaults), g1 = g2 = 1
    # v1 = −0.01, p1 = 0.99;  v2 = 0.9·(−0.01) − 0.01 = −0.019, p2 = 0.99 − 0.019 = 0.971
    p1, s1, p2, s2 = two_steps("momentum", 1.0, 1.0)
    assert p1 == pytest.approx(0.99, rel=1e-15)
    assert p2 == pytest.approx(0.971, rel=1e-15)
    assert s2["v"] == pytest.approx(-0.019, rel=1e-15)


def test_nesterov():
    # lr = 0.1, momentum = 0.9, g1 = 0.6, g2 = 0.8, v0 = 0
    # v_new = 0.9·v − 0.1·g;  p_new = p + 0.9·v_new − 0.1·g
    # v1 = −0.06;   p1 = 1 + 0.9·(−0.06) − 0.06 = 1 − 0.054 − 0.06 = 0.886
    # v2 = 0.9·(−0.06) − 0.08 = −0.134
    # p2 = 0.886 + 0.9·(−0.134) − 0.08 = 0.886 − 0.1206 − 0.08 = 0.6854
    # (the same as p + 0.9²·v1 − 1.9·0.1·g2 = 0.886 − 0.0486 − 0.152)
    p1, s1, p2, s2 = two_steps("nesterov", 0.6, 0.8, lr=0.1, momentum=0.9)
    assert s1["v"] == pytest.approx(-0.06, rel=1e-15)
    assert p1 == pytest.approx(0.886, rel=1e-15)
    assert s2["v"] == pytest.approx(-0.134, rel=1e-15)
    assert p2 == pytest.approx(0.6854, rel=1e-14)


def test_adagrad():
    # lr = 0.1, eps = 1e-7 (default), g1 = 0.6, g2 = 0.8
    # h1 = 0.36, √h1 = 0.6:  p1 = 1 − 0.06 / 0.6000001 = 1 − 0.09999998333333611
    #                           = 0.9000000166666639
    # h2 = 0.36 + 0.64 = 1, √h2 = 1:  p2 = p1 − 0.08 / 1.0000001 = p1 − 0.0799999920000008
    #                                    = 0.8200000246666631
    p1, s1, p2, s2 = two_steps("adagrad", 0.6, 0.8, lr=0.1)
    assert s1["h"] == pytest.approx(0.36, rel=1e-15)
    assert p1 == pytest.approx(0.9000000166666639, rel=1e-14)
    assert s2["h"] == pytest.approx(1.0, rel=1e-15)
    assert p2 == pytest.approx(0.8200000246666631, rel=1e-14)


def test_adagrad_without_eps():
    # eps = 0: p1 = 1 − 0.1·0.6/0.6 = 0.9;  p2 = 0.9 − 0.1·0.8/1 = 0.82
    _, _, p2, _ = two_steps("adagrad", 0.6, 0.8, lr=0.1, eps=0.0)
    assert p2 == pytest.approx(0.82, rel=1e-15)


def test_rmsprop():
    # lr = 0.01, rho = 0.99, eps = 1e-7 (all defaults), g1 = 1, g2 = 0.1
    # h1 = 0.99·0 + 0.01·1 = 0.01, √h1 = 0.1
    # p1 = 1 − 0.01·1 / 0.1000001 = 1 − 0.0999999000001 = 0.9000000999999
    # h2 = 0.99·0.01 + 0.01·0.01 = 0.0099 + 0.0001 = 0.01, √h2 = 0.1
    # p2 = p1 − 0.01·0.1 / 0.1000001 = p1 − 0.00999999000001 = 0.89000010999989
    p1, s1, p2, s2 = two_steps("rmsprop", 1.0, 0.1)
    assert s1["h"] == pytest.approx(0.01, rel=1e-15)
    assert p1 == pytest.approx(0.9000000999999, rel=1e-14)
    assert s2["h"] == pytest.approx(0.01, rel=1e-14)
    assert p2 == pytest.approx(0.89000010999989, rel=1e-14)


@pytest.mark.parametrize("alias", ["decay", "decay_rate"])
def test_rmsprop_rho_aliases(alias):
    # rho = 0.75, lr = 0.1, eps = 0, g1 = 0.4, g2 = −0.2
    # h1 = 0.25·0.16 = 0.04, √ = 0.2: p1 = 1 − 0.1·0.4/0.2 = 0.8
    # h2 = 0.75·0.04 + 0.25·0.04 = 0.04, √ = 0.2: p2 = 0.8 + 0.1·0.2/0.2 = 0.9
    hyper = {"lr": 0.1, "eps": 0.0}
    expected = two_steps("rmsprop", 0.4, -0.2, rho=0.75, **hyper)
    got = two_steps("rmsprop", 0.4, -0.2, **{alias: 0.75}, **hyper)
    assert got[0] == pytest.approx(0.8, rel=1e-15)
    assert got[2] == pytest.approx(0.9, rel=1e-15)
    assert got[2] == expected[2]


def test_adam():
    # lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, g1 = 0.6, g2 = 0.8
    # t = 1: m1 = 0.1·0.6 = 0.06, v1 = 0.001·0.36 = 0.00036
    #        m̂ = 0.06/0.1 = 0.6, v̂ = 0.00036/0.001 = 0.36, √v̂ = 0.6
    #        p1 = 1 − 0.1·0.6/(0.6 + 1e-8) = 0.9000000016666666
    # t = 2: m2 = 0.9·0.06 + 0.1·0.8 = 0.134, v2 = 0.999·0.00036 + 0.001·0.64 = 0.00099964
    #        m̂ = 0.134/(1 − 0.81) = 0.7052631578947368
    #        v̂ = 0.00099964/(1 − 0.998001) = 0.5000700350175088, √v̂ = 0.7071563016883246
    #        p2 = p1 − 0.1·0.7052631578947368/0.7071563116883246 = 0.8002677152912637
    p1, s1, p2, s2 = two_steps("adam", 0.6, 0.8, lr=0.1)
    assert s1["t"] == 1 and s2["t"] == 2
    assert s1["m"] == pytest.approx(0.06, rel=1e-15)
    assert s1["v"] == pytest.approx(0.00036, rel=1e-14)
    assert p1 == pytest.approx(0.9000000016666666, rel=1e-14)
    assert s2["m"] == pytest.approx(0.134, rel=1e-15)
    assert s2["v"] == pytest.approx(0.00099964, rel=1e-14)
    assert p2 == pytest.approx(0.8002677152912637, rel=1e-14)


def test_adam_first_step_moves_by_about_lr_whatever_the_gradient():
    # m̂ = g, v̂ = g² at t = 1, so the step is lr·g/(|g| + eps) ≈ lr·sign(g) (lr = 0.001)
    p1, _ = solvers.optimizer_step("adam", np.array([0.0, 0.0]), np.array([1e-3, -50.0]), None)
    np.testing.assert_allclose(p1, [-0.001, 0.001], rtol=1e-4)


def test_arrays_are_updated_elementwise():
    p = np.array([[1.0, 2.0], [3.0, 4.0]])
    g = np.array([[0.5, -0.5], [0.0, 1.0]])
    p1, s1 = solvers.optimizer_step("momentum", p, g, {}, lr=0.1, momentum=0.9)
    np.testing.assert_allclose(p1, p - 0.1 * g, rtol=1e-15)
    assert s1["v"].shape == (2, 2)
    p2, _ = solvers.optimizer_step("momentum", p1, g, s1, lr=0.1, momentum=0.9)
    np.testing.assert_allclose(p2, p1 + 0.9 * (-0.1 * g) - 0.1 * g, rtol=1e-15)


@pytest.mark.parametrize("name", solvers.OPTIMIZERS)
def test_state_and_param_are_new_objects(name):
    p = np.array([1.0, 2.0])
    g = np.array([0.5, -0.5])
    p1, s1 = solvers.optimizer_step(name, p, g, None)
    p2, s2 = solvers.optimizer_step(name, p1, g, s1)
    assert s2 is not s1
    assert not np.shares_memory(p2, p1)
    for key, value in s2.items():
        if isinstance(value, np.ndarray):
            assert not np.shares_memory(value, s1[key])
    assert isinstance(solvers.optimizer_step(name, 1.0, 0.5, None)[0], np.floating)


def test_unknown_optimizer_or_hyperparameter():
    with pytest.raises(ValueError, match="unknown optimizer 'adamax'.*sgd.*adamw"):
        solvers.optimizer_step("adamax", 1.0, 1.0, None)
    with pytest.raises(ValueError, match="unknown hyperparameter 'beta1'.*valid: lr"):
        solvers.optimizer_step("sgd", 1.0, 1.0, None, beta1=0.9)
    with pytest.raises(ValueError, match="unknown hyperparameter 'momentum'.*rho.*decay"):
        solvers.optimizer_step("rmsprop", 1.0, 1.0, None, momentum=0.9)
    with pytest.raises(ValueError, match="both set 'rho'"):
        solvers.optimizer_step("rmsprop", 1.0, 1.0, None, rho=0.9, decay=0.8)
    with pytest.raises(ValueError, match="must be a number"):
        solvers.optimizer_step("sgd", 1.0, 1.0, None, lr="fast")


def test_shape_and_state_errors():
    with pytest.raises(ValueError, match=r"param has shape \(2,\), grad has shape \(3,\)"):
        solvers.optimizer_step("sgd", [1.0, 2.0], [1.0, 2.0, 3.0], None)
    with pytest.raises(ValueError, match=r"state\['v'\] has shape \(3,\), param has shape \(2,\)"):
        solvers.optimizer_step("momentum", [1.0, 2.0], [1.0, 2.0], {"v": np.zeros(3)})
    with pytest.raises(ValueError, match="state has keys"):
        solvers.optimizer_step("adam", 1.0, 1.0, {"h": 0.0})


def test_optimizer_names():
    assert solvers.OPTIMIZERS == (
        "sgd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "adamw",
    )


# --------------------------------------------------------------------------- weight decay, AdamW


def test_coupled_weight_decay_adds_to_the_gradient():
    # torch SGD(weight_decay=0.1): g' = g + 0.1·p = 0.5 + 0.1·2 = 0.7; p1 = 2 − 0.1·0.7
    p1, _ = solvers.optimizer_step("sgd", 2.0, 0.5, None, lr=0.1, weight_decay=0.1)
    assert p1 == pytest.approx(1.93, rel=1e-15)
    for name in ("momentum", "nesterov", "adagrad", "rmsprop", "adam"):
        with_wd = solvers.optimizer_step(name, 2.0, 0.5, None, weight_decay=0.1)[0]
        assert with_wd == solvers.optimizer_step(name, 2.0, 0.7, None)[0], name


def test_adamw_two_steps_by_hand():
    # torch AdamW: p ← p(1 − lr·λ), then Adam with the raw gradient
    lr, wd, b1, b2, eps = 0.1, 0.5, 0.9, 0.999, 1e-8
    p, m, v = 1.0, 0.0, 0.0
    for t, g in enumerate((0.6, -0.8), start=1):
        p *= 1 - lr * wd
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        p -= lr * (m / (1 - b1**t)) / (math.sqrt(v / (1 - b2**t)) + eps)
    p1, s1 = solvers.optimizer_step("adamw", 1.0, 0.6, None, lr=lr, weight_decay=wd)
    p2, s2 = solvers.optimizer_step("adamw", p1, -0.8, s1, lr=lr, weight_decay=wd)
    assert p2 == pytest.approx(p, rel=1e-14)
    assert s2["t"] == 2 and s2["m"] == pytest.approx(m, rel=1e-14)
    # default weight_decay 0.01 (torch's); with 0 it is Adam
    assert solvers.optimizer_step("adamw", 1.0, 0.6, None)[0] == pytest.approx(
        solvers.optimizer_step("adam", 1.0 * (1 - 0.001 * 0.01), 0.6, None)[0], rel=1e-15
    )
    assert (solvers.optimizer_step("adamw", 1.0, 0.6, None, weight_decay=0)[0]
            == solvers.optimizer_step("adam", 1.0, 0.6, None)[0])  # fmt: skip
