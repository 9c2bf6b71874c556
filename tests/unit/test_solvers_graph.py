"""solvers.graph: gcn_layer against explicit degree normalization."""

from __future__ import annotations

import numpy as np
import pytest

import solvers


def test_gcn_layer_matches_explicit_normalization():
    rng = np.random.default_rng(0)
    A = np.array([[0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 0]], dtype=float)
    X, W = rng.normal(size=(4, 3)), rng.normal(size=(3, 2))
    for a in (A, X, W):
        a.flags.writeable = False
    out = solvers.gcn_layer(A, X, W)
    A_hat = A + np.eye(4)
    expected = np.zeros((4, 2))
    deg = A_hat.sum(axis=1)
    for i in range(4):
        for j in range(4):
            expected[i] += A_hat[i, j] / np.sqrt(deg[i] * deg[j]) * (X[j] @ W)
    np.testing.assert_allclose(out, expected, atol=1e-12)


def test_gcn_isolated_node_keeps_its_features():
    out = solvers.gcn_layer(np.zeros((2, 2)), np.array([[1.0], [2.0]]), np.array([[3.0]]))
    np.testing.assert_allclose(out, [[3.0], [6.0]])


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"A has shape \(2, 3\), expected \(N, N\)"):
        solvers.gcn_layer(np.zeros((2, 3)), np.zeros((2, 1)), np.zeros((1, 1)))
    with pytest.raises(ValueError, match=r"W has shape \(2, 1\), expected \(1, F_out\)"):
        solvers.gcn_layer(np.zeros((2, 2)), np.zeros((2, 1)), np.zeros((2, 1)))
