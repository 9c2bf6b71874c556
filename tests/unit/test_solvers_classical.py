"""solvers.classical: PCA, k-means, k-NN, regression, kernels."""

from __future__ import annotations

import math

import numpy as np
import pytest

import solvers


def ro(a):
    a = np.array(a, dtype=np.float64)
    a.flags.writeable = False
    return a


def test_pca_identities():
    rng = np.random.default_rng(0)
    X = ro(rng.normal(size=(20, 4)) @ rng.normal(size=(4, 4)) + 3.0)
    comps, var, ratio, scores = solvers.pca(X, 3)
    assert comps.shape == (3, 4) and var.shape == ratio.shape == (3,) and scores.shape == (20, 3)
    np.testing.assert_allclose(comps @ comps.T, np.eye(3), atol=1e-12)
    cov = np.cov(X, rowvar=False)  # n − 1
    eig = np.sort(np.linalg.eigvalsh(cov))[::-1]
    np.testing.assert_allclose(var, eig[:3], rtol=1e-10)
    np.testing.assert_allclose(ratio, eig[:3] / eig.sum(), rtol=1e-10)
    np.testing.assert_allclose(scores, (X - X.mean(axis=0)) @ comps.T, atol=1e-12)
    idx = np.argmax(np.abs(comps), axis=1)
    assert np.all(comps[np.arange(3), idx] > 0)
    # each component is an eigenvector of the covariance
    for c, v in zip(comps, var, strict=True):
        np.testing.assert_allclose(cov @ c, v * c, atol=1e-10)


def test_pca_by_hand():
    # points on the line y = x: one component (1, 1)/√2 holding all the variance
    X = ro([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    comps, var, ratio, scores = solvers.pca(X, 1)
    r = 1 / math.sqrt(2)
    np.testing.assert_allclose(comps, [[r, r]])
    assert var[0] == pytest.approx(2.0)  # Σ (√2 t)² / 2 over t = −1, 0, 1
    assert ratio[0] == pytest.approx(1.0)
    np.testing.assert_allclose(scores[:, 0], [-math.sqrt(2), 0, math.sqrt(2)], atol=1e-12)


def test_kmeans_step_ties_and_empty_cluster():
    X = ro([[0.0], [1.0], [2.0], [10.0]])
    centers = ro([[0.0], [2.0], [100.0]])
    labels, new = solvers.kmeans_step(X, centers)
    # x = 1 is equidistant from 0 and 2: the lower index wins
    np.testing.assert_array_equal(labels, [0, 0, 1, 1])
    np.testing.assert_allclose(new, [[0.5], [6.0], [100.0]])  # center 2 is empty: kept
    assert labels.dtype.kind == "i"


def test_knn_votes_and_tie_to_nearer_class():
    Xt = ro([[0.0], [1.0], [3.0], [4.0]])
    yt = np.array([0, 0, 1, 1])
    np.testing.assert_array_equal(solvers.knn_predict(Xt, yt, ro([[0.2], [3.8]]), 3), [0, 1])
    # k = 2 at 2.2: neighbours 3 (class 1, d 0.8) and 1 (class 0, d 1.2): a 1–1 tie → class 1
    assert solvers.knn_predict(Xt, yt, ro([[2.2]]), 2).tolist() == [1]
    assert solvers.knn_predict(Xt, yt, ro([[1.8]]), 2).tolist() == [0]


def test_linear_regression_normal_equation_and_ridge():
    rng = np.random.default_rng(1)
    X = ro(rng.normal(size=(30, 3)))
    y = ro(X @ [1.0, -2.0, 0.5] + 4.0 + 0.01 * rng.normal(size=30))
    w, b = solvers.linear_regression(X, y)
    Xa = np.c_[X, np.ones(30)]
    theta = np.linalg.solve(Xa.T @ Xa, Xa.T @ y)  # the normal equation
    np.testing.assert_allclose(w, theta[:3], rtol=1e-10)
    assert b == pytest.approx(theta[3])
    lam = 2.5
    wr, br = solvers.linear_regression(X, y, ridge=lam)
    # ridge with an unpenalized intercept: penalty matrix diag(λ, λ, λ, 0)
    theta_r = np.linalg.solve(Xa.T @ Xa + np.diag([lam, lam, lam, 0.0]), Xa.T @ y)
    np.testing.assert_allclose(np.r_[wr, br], theta_r, rtol=1e-10)
    w1, b1 = solvers.linear_regression([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])
    assert w1.tolist() == pytest.approx([2.0]) and b1 == pytest.approx(0.0, abs=1e-12)


def test_logistic_grad_vs_numerical_gradient():
    rng = np.random.default_rng(2)
    X, y = ro(rng.normal(size=(8, 3))), ro((rng.random(8) > 0.5).astype(float))
    w, b = ro(rng.normal(size=3)), 0.3

    def loss(wv, bv):
        p = 1 / (1 + np.exp(-(X @ wv + bv)))
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    dw, db = solvers.logistic_grad(w, b, X, y)
    np.testing.assert_allclose(dw, solvers.numerical_gradient(lambda v: loss(v, b), w), rtol=1e-6)
    assert db == pytest.approx(solvers.numerical_gradient(lambda v: loss(w, v), b), rel=1e-6)


def test_kernels_and_margin():
    x, y = ro([1.0, 2.0]), ro([2.0, 0.0])
    assert solvers.rbf_kernel(x, y, 0.5) == pytest.approx(math.exp(-0.5 * 5))
    assert solvers.polynomial_kernel(x, y, 2) == pytest.approx((2 + 1) ** 2)
    assert solvers.polynomial_kernel(x, y, 3, coef0=0, gamma=0.5) == pytest.approx(1.0)
    assert solvers.svm_margin(ro([3.0, 4.0])) == pytest.approx(0.4)


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"X has shape \(3,\), expected \(N, D\)"):
        solvers.pca(np.zeros(3), 1)
    with pytest.raises(ValueError, match="k must be a whole number in 1..2"):
        solvers.pca(np.zeros((3, 2)), 3)
    with pytest.raises(ValueError, match=r"expected centers \(K, 2\)"):
        solvers.kmeans_step(np.zeros((3, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="y_train"):
        solvers.knn_predict(np.zeros((3, 1)), [0, 1], np.zeros((1, 1)), 1)
    with pytest.raises(ValueError, match=r"expected X \(N, D\) and y \(N,\)"):
        solvers.linear_regression(np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="nonzero"):
        solvers.svm_margin([0.0, 0.0])
    with pytest.raises(ValueError, match="two vectors"):
        solvers.rbf_kernel([1.0], [1.0, 2.0], 1.0)
