"""Classical machine learning: PCA, k-means, k-NN, linear and logistic regression, kernels.

Data matrices hold one sample per row: ``X`` ``(N, D)``.
"""

from __future__ import annotations

import numpy as np

from ._arrays import as_float
from .activations import sigmoid
from .linalg import _signs

__all__ = [
    "kmeans_step",
    "knn_predict",
    "linear_regression",
    "logistic_grad",
    "pca",
    "polynomial_kernel",
    "rbf_kernel",
    "svm_margin",
]


def _data(what: str, X, name: str = "X") -> np.ndarray:
    X = as_float(X)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"{what}: {name} has shape {X.shape}, expected (N, D) with N ≥ 1")
    return X


def _whole_number(what: str, name: str, k, lo: int, hi: int) -> int:
    if isinstance(k, (bool, np.bool_)) or int(k) != k or not lo <= k <= hi:
        raise ValueError(f"{what}: {name} must be a whole number in {lo}..{hi}, got {k!r}")
    return int(k)


def _sq_distances(X: np.ndarray, C: np.ndarray) -> np.ndarray:
    """‖x_i − c_j‖² as an (N, K) matrix, from the differences (exact for ties)."""
    diff = X[:, None, :] - C[None, :, :]
    return np.einsum("nkd,nkd->nk", diff, diff)


def pca(X, k):
    """Principal component analysis of the rows of X (centred; sample variance, n − 1).

    ``X`` ``(N, D)`` with N ≥ 2; ``k`` whole, 1 ≤ k ≤ min(N, D). Returns
    ``(components (k, D), explained_variance (k,), explained_variance_ratio (k,),
    scores (N, k))``: the unit principal axes as rows (largest-|entry| positive),
    the variances along them (the top eigenvalues of the sample covariance
    XcᵀXc/(N − 1), descending), their share of the total variance, and the
    projections Xc componentsᵀ. Equals ``sklearn.decomposition.PCA(k)``'s
    ``components_``, ``explained_variance_``, ``explained_variance_ratio_`` and
    ``fit_transform`` (scikit-learn ≥ 1.5 applies the same sign rule).
    """
    X = _data("pca", X)
    n, d = X.shape
    if n < 2:
        raise ValueError(f"pca: X has shape {X.shape}; the sample variance needs N ≥ 2 rows")
    k = _whole_number("pca", "k", k, 1, min(n, d))
    Xc = X - X.mean(axis=0)
    _, S, Vt = np.linalg.svd(Xc, full_matrices=False)
    variance = S * S / (n - 1)
    total = variance.sum()
    components = Vt[:k] * _signs(Vt[:k], axis=1)[:, None]
    ratio = variance[:k] / total if total > 0 else np.zeros(k)
    return components, variance[:k].copy(), ratio, Xc @ components.T


def kmeans_step(X, centers):
    """One Lloyd iteration of k-means: assign each row to its nearest center, then update.

    ``X`` ``(N, D)``, ``centers`` ``(K, D)``. Returns ``(labels (N,) int, new_centers
    (K, D))``: labels by squared Euclidean distance, **ties to the lower center
    index**; each new center is the mean of its rows, and a center with no rows
    keeps its old position.
    """
    X = _data("kmeans_step", X)
    C = _data("kmeans_step", centers, "centers")
    if C.shape[1] != X.shape[1]:
        raise ValueError(
            f"kmeans_step: X has shape {X.shape}, centers has shape {C.shape}; "
            f"expected centers (K, {X.shape[1]})"
        )
    labels = np.argmin(_sq_distances(X, C), axis=1)  # argmin: the first minimum
    counts = np.bincount(labels, minlength=C.shape[0])
    sums = np.zeros_like(C)
    np.add.at(sums, labels, X)
    empty = counts == 0
    new = np.where(empty[:, None], C, sums / np.maximum(counts, 1)[:, None])
    return labels, new


def knn_predict(X_train, y_train, X, k):
    """k-nearest-neighbour classification (Euclidean distance, majority vote).

    ``X_train`` ``(M, D)``, ``y_train`` ``(M,)`` labels, ``X`` ``(N, D)``, 1 ≤ k ≤ M.
    Returns the predicted labels ``(N,)`` (values of ``y_train``). Neighbours at
    equal distance are taken in training order; **a tie in votes goes to the
    nearer class**: the tied class whose nearest member among the k is closest.
    """
    Xt = _data("knn_predict", X_train, "X_train")
    Xq = _data("knn_predict", X, "X")
    y = np.asarray(y_train)
    if y.shape != (Xt.shape[0],) or Xq.shape[1] != Xt.shape[1]:
        raise ValueError(
            f"knn_predict: X_train {Xt.shape}, y_train {y.shape}, X {Xq.shape}; "
            f"expected y_train ({Xt.shape[0]},) and X (N, {Xt.shape[1]})"
        )
    k = _whole_number("knn_predict", "k", k, 1, Xt.shape[0])
    order = np.argsort(_sq_distances(Xq, Xt), axis=1, kind="stable")[:, :k]
    out = []
    for row in order:
        labels = y[row]  # nearest first
        values, counts = np.unique(labels, return_counts=True)
        tied = set(values[counts == counts.max()].tolist())
        out.append(next(lab for lab in labels if lab.item() in tied))
    return np.array(out, dtype=y.dtype)


def linear_regression(X, y, ridge=0.0):
    """Least squares with an intercept: minimize ‖y − X w − b‖² + ridge ‖w‖².

    ``X`` ``(N, D)`` (or ``(N,)``: one feature), ``y`` ``(N,)``, ``ridge`` ≥ 0
    (the intercept b is not penalized). Returns ``(w (D,), b)``. With centred
    Xc, yc: w solves (XcᵀXc + ridge I) w = Xcᵀ yc (the minimum-norm least-squares
    solution when ridge = 0), b = ȳ − x̄·w. Equals scikit-learn's
    ``LinearRegression`` (ridge = 0) and ``Ridge(alpha=ridge)``.
    """
    X = as_float(X)
    if X.ndim == 1:
        X = X[:, None]
    y = as_float(y)
    if X.ndim != 2 or y.shape != (X.shape[0],) or X.shape[0] == 0:
        raise ValueError(
            f"linear_regression: X has shape {X.shape}, y has shape {y.shape}; "
            "expected X (N, D) and y (N,)"
        )
    ridge = float(ridge)
    if not ridge >= 0:
        raise ValueError(f"linear_regression: ridge must be ≥ 0, got {ridge!r}")
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc, yc = X - x_mean, y - y_mean
    if ridge == 0.0:
        w = np.linalg.lstsq(Xc, yc, rcond=None)[0]
    else:
        w = np.linalg.solve(Xc.T @ Xc + ridge * np.eye(X.shape[1]), Xc.T @ yc)
    return w, np.float64(y_mean - x_mean @ w)


def logistic_grad(w, b, X, y):
    """Gradient of the mean binary cross-entropy of logistic regression.

    E = −(1/N) Σ_i [y_i log p_i + (1 − y_i) log(1 − p_i)], p = σ(X w + b).
    Returns ``(dw, db)`` = (Xᵀ (p − y) / N, mean(p − y)). Shapes: ``w`` ``(D,)``,
    ``b`` a number, ``X`` ``(N, D)``, ``y`` ``(N,)`` targets in [0, 1].
    """
    w, X, y = as_float(w), _data("logistic_grad", X), as_float(y)
    if w.shape != (X.shape[1],) or y.shape != (X.shape[0],):
        raise ValueError(
            f"logistic_grad: w {w.shape}, X {X.shape}, y {y.shape}; expected w "
            f"({X.shape[1]},) and y ({X.shape[0]},)"
        )
    b = as_float(b)
    if b.ndim != 0:
        raise ValueError(f"logistic_grad: b has shape {b.shape}, expected one number")
    r = sigmoid(X @ w + b) - y
    return X.T @ r / X.shape[0], np.float64(r.mean())


def _two_vectors(what: str, x, y) -> tuple[np.ndarray, np.ndarray]:
    x, y = as_float(x), as_float(y)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(
            f"{what}: x has shape {x.shape}, y has shape {y.shape}; "
            "expected two vectors of one length (D,)"
        )
    return x, y


def rbf_kernel(x, y, gamma):
    """Gaussian (RBF) kernel k(x, y) = exp(−γ ‖x − y‖²) of two vectors ``(D,)``.

    Returns a float; equals ``sklearn.metrics.pairwise.rbf_kernel([x], [y], gamma)``.
    """
    x, y = _two_vectors("rbf_kernel", x, y)
    diff = x - y
    return np.float64(np.exp(-float(gamma) * float(diff @ diff)))


def polynomial_kernel(x, y, degree, coef0=1, gamma=1):
    """Polynomial kernel k(x, y) = (γ xᵀy + c₀)^degree of two vectors ``(D,)``.

    Returns a float; equals ``sklearn.metrics.pairwise.polynomial_kernel([x], [y],
    degree, gamma, coef0)``.
    """
    x, y = _two_vectors("polynomial_kernel", x, y)
    base = float(gamma) * float(x @ y) + float(coef0)
    return np.float64(np.power(np.float64(base), float(degree)))


def svm_margin(w):
    """The margin of a linear SVM with normal vector w: 2 / ‖w‖ (between ±1 planes).

    ``w`` ``(D,)``, not zero. Returns a float.
    """
    w = as_float(w)
    norm = float(np.linalg.norm(w))
    if w.ndim != 1 or norm == 0:
        raise ValueError(f"svm_margin: w has shape {w.shape}; expected a nonzero vector (D,)")
    return np.float64(2.0 / norm)
