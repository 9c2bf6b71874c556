"""solvers.linalg: eig_sym, svd, low_rank with the sign rule."""

from __future__ import annotations

import math

import numpy as np
import pytest

import solvers


def ro(a):
    a = np.array(a, dtype=np.float64)
    a.flags.writeable = False
    return a


def largest_entries_positive(vectors, axis):
    idx = np.argmax(np.abs(vectors), axis=axis)
    picked = np.take_along_axis(vectors, np.expand_dims(idx, axis), axis=axis)
    return bool(np.all(picked > 0))


def test_eig_sym_2x2_by_hand():
    values, vectors = solvers.eig_sym(ro([[2.0, 1.0], [1.0, 2.0]]))
    np.testing.assert_allclose(values, [3.0, 1.0])
    r = 1 / math.sqrt(2)
    # (1, 1)/√2 for 3; (1, −1)/√2 for 1: first entry wins the |entry| tie, positive
    np.testing.assert_allclose(vectors, [[r, r], [r, -r]])


def test_eig_sym_random_reconstructs_with_sign_rule():
    rng = np.random.default_rng(0)
    B = rng.normal(size=(5, 5))
    A = ro(B + B.T)
    values, V = solvers.eig_sym(A)
    assert np.all(np.diff(values) <= 0)
    assert largest_entries_positive(V, axis=0)
    np.testing.assert_allclose(V @ np.diag(values) @ V.T, A, atol=1e-12)
    np.testing.assert_allclose(V.T @ V, np.eye(5), atol=1e-12)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4)])
def test_svd_thin_and_full(shape):
    rng = np.random.default_rng(1)
    A = ro(rng.normal(size=shape))
    U, S, Vt = solvers.svd(A)
    r = min(shape)
    assert U.shape == (shape[0], r) and S.shape == (r,) and Vt.shape == (r, shape[1])
    np.testing.assert_allclose((U * S) @ Vt, A, atol=1e-12)
    assert largest_entries_positive(U, axis=0)
    np.testing.assert_allclose(S, np.linalg.svd(A, compute_uv=False))
    Uf, Sf, Vtf = solvers.svd(A, full_matrices=True)
    assert Uf.shape == (shape[0], shape[0]) and Vtf.shape == (shape[1], shape[1])
    np.testing.assert_allclose((Uf[:, :r] * Sf) @ Vtf[:r], A, atol=1e-12)
    np.testing.assert_allclose(Uf[:, :r], U, atol=1e-12)
    np.testing.assert_allclose(Uf.T @ Uf, np.eye(shape[0]), atol=1e-12)
    np.testing.assert_allclose(Vtf @ Vtf.T, np.eye(shape[1]), atol=1e-12)
    assert largest_entries_positive(Uf, axis=0)


def test_low_rank():
    rng = np.random.default_rng(2)
    A = ro(rng.normal(size=(6, 2)) @ rng.normal(size=(2, 5)))  # rank 2
    np.testing.assert_allclose(solvers.low_rank(A, 2), A, atol=1e-12)
    A1 = solvers.low_rank(A, 1)
    assert np.linalg.matrix_rank(A1) == 1
    S = np.linalg.svd(A, compute_uv=False)
    # Eckart–Young: the Frobenius error is the dropped singular value
    assert np.linalg.norm(A - A1) == pytest.approx(S[1])
    np.testing.assert_array_equal(solvers.low_rank(A, 0), np.zeros_like(A))


def test_bad_inputs():
    with pytest.raises(ValueError, match="symmetric"):
        solvers.eig_sym([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match=r"A has shape \(2, 3\), expected a matrix \(n, n\)"):
        solvers.eig_sym(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"expected a matrix \(m, n\)"):
        solvers.svd(np.zeros(3))
    with pytest.raises(ValueError, match="0..2"):
        solvers.low_rank(np.ones((2, 3)), 3)
