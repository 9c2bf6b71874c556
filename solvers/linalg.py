"""Linear algebra with deterministic signs: symmetric eigendecomposition, SVD, low rank.

Eigenvectors and singular vectors are defined up to sign; here every one is
made unique by the **sign rule**: each vector's entry of largest magnitude is
positive (the first such entry on a tie in magnitude). This is the rule of
scikit-learn's ``svd_flip`` (which PCA applies to its components).
"""

from __future__ import annotations

import numpy as np

from ._arrays import as_float

__all__ = ["eig_sym", "low_rank", "svd"]


def _signs(vectors: np.ndarray, axis: int) -> np.ndarray:
    """±1 for each vector along ``axis`` (0: columns, 1: rows) by the sign rule."""
    idx = np.argmax(np.abs(vectors), axis=axis)
    if axis == 0:
        largest = vectors[idx, np.arange(vectors.shape[1])]
    else:
        largest = vectors[np.arange(vectors.shape[0]), idx]
    return np.where(largest < 0, -1.0, 1.0)


def _matrix(what: str, A, square: bool = False) -> np.ndarray:
    A = as_float(A)
    expected = "(n, n)" if square else "(m, n)"
    if A.ndim != 2 or (square and A.shape[0] != A.shape[1]) or A.size == 0:
        raise ValueError(f"{what}: A has shape {A.shape}, expected a matrix {expected}")
    if not np.all(np.isfinite(A)):
        raise ValueError(f"{what}: A must hold finite numbers")
    return A


def eig_sym(A):
    """Eigendecomposition of a symmetric matrix: A = V diag(λ) Vᵀ.

    ``A`` ``(n, n)`` symmetric (to 1e-9 relative). Returns ``(values (n,),
    vectors (n, n))``: the eigenvalues in **descending** order and the unit
    eigenvectors as **columns** (``vectors[:, i]`` belongs to ``values[i]``),
    each with its largest-|entry| positive. Computed with ``numpy.linalg.eigh``.
    """
    A = _matrix("eig_sym", A, square=True)
    scale = max(1.0, float(np.abs(A).max()))
    if not np.allclose(A, A.T, rtol=0.0, atol=1e-9 * scale):
        raise ValueError("eig_sym: A must be symmetric (A == A.T)")
    values, vectors = np.linalg.eigh(A)
    values, vectors = values[::-1], vectors[:, ::-1]
    return values.copy(), vectors * _signs(vectors, axis=0)


def svd(A, full_matrices=False):
    """Singular value decomposition A = U diag(S) Vt.

    ``A`` ``(m, n)``, r = min(m, n). Thin (default): U ``(m, r)``, S ``(r,)``
    descending, Vt ``(r, n)``; ``full_matrices=True``: U ``(m, m)``, Vt ``(n, n)``.
    Signs: each column of U has its largest-|entry| positive, and the matching
    row of Vt is flipped with it (so U diag(S) Vt is unchanged); in the full
    form, rows of Vt beyond r (no partner in U) follow the same rule themselves.
    The singular values equal ``numpy.linalg.svd``'s.
    """
    A = _matrix("svd", A)
    U, S, Vt = np.linalg.svd(A, full_matrices=bool(full_matrices))
    r = S.shape[0]
    signs = _signs(U, axis=0)
    U = U * signs
    row_signs = np.ones(Vt.shape[0])
    row_signs[:r] = signs[:r]
    if Vt.shape[0] > r:
        row_signs[r:] = _signs(Vt[r:], axis=1)
    return U, S, Vt * row_signs[:, None]


def low_rank(A, k):
    """The best rank-k approximation of A (Eckart–Young): Σ_{i<k} S_i u_i v_iᵀ.

    ``A`` ``(m, n)``; ``k`` a whole number 0 ≤ k ≤ min(m, n). Returns an array
    ``(m, n)``; ``low_rank(A, rank(A))`` equals A (to rounding).
    """
    A = _matrix("low_rank", A)
    r = min(A.shape)
    if isinstance(k, (bool, np.bool_)) or int(k) != k or not 0 <= k <= r:
        raise ValueError(f"low_rank: k must be a whole number in 0..{r} for A of shape {A.shape}")
    k = int(k)
    U, S, Vt = np.linalg.svd(A, full_matrices=False)
    return (U[:, :k] * S[:k]) @ Vt[:k]
