"""solvers.information: entropies, divergences, mutual information."""

from __future__ import annotations

import math

import numpy as np
import pytest

import solvers


def ro(a):
    a = np.array(a, dtype=np.float64)
    a.flags.writeable = False
    return a


def random_dist(rng, shape):
    x = rng.random(shape)
    return x / x.sum(axis=-1, keepdims=True)


def test_entropy_by_hand_and_bases():
    assert solvers.entropy(ro([0.5, 0.5])) == pytest.approx(math.log(2))
    assert solvers.entropy(ro([0.5, 0.5]), base=2) == pytest.approx(1.0)
    assert solvers.entropy(ro([0.25] * 4), base=2) == pytest.approx(2.0)
    assert solvers.entropy(ro([1.0, 0.0])) == 0.0  # 0 log 0 = 0
    # 2-D: the mean of the row entropies (1 bit and 0 bits)
    assert solvers.entropy(ro([[0.5, 0.5], [1.0, 0.0]]), base=2) == pytest.approx(0.5)


def test_cross_entropy_is_entropy_plus_kl():
    rng = np.random.default_rng(0)
    p, q = random_dist(rng, (3, 5)), random_dist(rng, (3, 5))
    assert solvers.cross_entropy_dist(p, q) == pytest.approx(
        solvers.entropy(p) + solvers.kl_divergence(p, q)
    )


def test_kl_by_hand_nonnegative_asymmetric():
    p, q = ro([0.5, 0.5]), ro([0.9, 0.1])
    expected = 0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(0.5 / 0.1)
    assert solvers.kl_divergence(p, q) == pytest.approx(expected)
    assert solvers.kl_divergence(q, p) != pytest.approx(solvers.kl_divergence(p, q))
    assert solvers.kl_divergence(p, p) == 0.0
    rng = np.random.default_rng(1)
    for _ in range(20):
        a, b = random_dist(rng, 4), random_dist(rng, 4)
        assert solvers.kl_divergence(a, b) >= 0
    # 0 log 0 = 0: a zero in p ignores q there; a zero in q under p > 0 is infinite
    assert solvers.kl_divergence(ro([1.0, 0.0]), ro([0.5, 0.5])) == pytest.approx(math.log(2))
    assert solvers.kl_divergence(ro([0.5, 0.5]), ro([1.0, 0.0])) == math.inf


def test_js_symmetric_bounded():
    assert solvers.js_divergence(ro([1.0, 0.0]), ro([0.0, 1.0])) == pytest.approx(math.log(2))
    assert solvers.js_divergence(ro([1.0, 0.0]), ro([0.0, 1.0]), base=2) == pytest.approx(1.0)
    rng = np.random.default_rng(2)
    p, q = random_dist(rng, (6, 3)), random_dist(rng, (6, 3))
    js = solvers.js_divergence(p, q)
    assert js == pytest.approx(solvers.js_divergence(q, p))
    assert 0 <= js <= math.log(2)
    m = (p + q) / 2
    direct = np.mean([0.5 * solvers.kl_divergence(a, c) + 0.5 * solvers.kl_divergence(b, c)
                      for a, b, c in zip(p, q, m, strict=True)])  # fmt: skip
    assert js == pytest.approx(direct)


def test_joint_table_by_hand():
    # X, Y fair bits with P(X = Y) = 3/4
    P = ro([[3 / 8, 1 / 8], [1 / 8, 3 / 8]])
    h_xy = -(2 * 3 / 8 * math.log(3 / 8) + 2 * 1 / 8 * math.log(1 / 8))
    assert solvers.joint_entropy(P) == pytest.approx(h_xy)
    assert solvers.conditional_entropy(P) == pytest.approx(h_xy - math.log(2))
    assert solvers.mutual_information(P) == pytest.approx(2 * math.log(2) - h_xy)


def test_mutual_information_identity_and_independence():
    rng = np.random.default_rng(3)
    P = rng.random((3, 4))
    P /= P.sum()
    P[0, 1] = 0.0
    P /= P.sum()
    hx, hy = solvers.entropy(P.sum(axis=1)), solvers.entropy(P.sum(axis=0))
    hxy = solvers.joint_entropy(P)
    assert solvers.mutual_information(P) == pytest.approx(hx + hy - hxy)
    assert solvers.conditional_entropy(P) == pytest.approx(hxy - hx)
    independent = np.outer([0.2, 0.8], [0.1, 0.3, 0.6])
    assert solvers.mutual_information(independent) == pytest.approx(0.0, abs=1e-15)


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"p has shape \(2, 2, 2\), expected \(K,\) or \(N, K\)"):
        solvers.entropy(np.ones((2, 2, 2)) / 8)
    with pytest.raises(ValueError, match="shape mismatch"):
        solvers.kl_divergence([0.5, 0.5], [1.0])
    with pytest.raises(ValueError, match="≥ 0"):
        solvers.entropy([1.5, -0.5])
    with pytest.raises(ValueError, match="joint table"):
        solvers.mutual_information([0.5, 0.5])
    with pytest.raises(ValueError, match="base"):
        solvers.entropy([0.5, 0.5], base=1)
