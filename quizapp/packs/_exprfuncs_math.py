"""Registry wrappers for the math, classical-ML and application solvers (SOLVER_API part B).

``register(functions)`` adds, under the solver's own name, one wrapper per
function of :mod:`solvers` listed in ``NAMES``. Each wrapper:

* checks the size of anything the solver would build beyond its inputs
  (distance tables, IoU matrices, confusion matrices, full SVD factors, …)
  *before* calling it, so a pack cannot allocate more than ``MAX_ELEMENTS``;
* turns the solver's ``ValueError`` into an :class:`ExpressionError` in the
  solver's words (the engine adds the ``name():`` prefix);
* returns values the language can index: tuples stay tuples, numeric arrays
  stay arrays, and an array of text labels becomes a list.

Inputs are language values (numbers, float arrays, text, lists), already
bounded by the engine; nothing is modified in place (the solvers copy).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

import solvers
from quizapp.packs.expr_bounds import MAX_ELEMENTS, ExpressionError, broadcast_shape, check_shape

__all__ = ["NAMES", "register"]

#: Every solver function this module registers (under the same name).
NAMES = (
    "huber", "smooth_l1", "hinge",
    "entropy", "cross_entropy_dist", "kl_divergence", "js_divergence",
    "joint_entropy", "conditional_entropy", "mutual_information",
    "gan_losses", "vae_kl", "distillation_loss",
    "normal_pdf", "bernoulli_pmf", "binomial_pmf", "poisson_pmf", "multinomial_pmf", "bayes",
    "eig_sym", "svd", "low_rank",
    "pca", "kmeans_step", "knn_predict", "linear_regression", "logistic_grad",
    "rbf_kernel", "polynomial_kernel", "svm_margin",
    "confusion_matrix", "precision", "recall", "f1_score", "accuracy", "specificity",
    "roc_auc", "average_precision",
    "iou", "nms", "voc_ap", "dice", "mean_iou",
    "bleu", "perplexity",
    "discounted_return", "q_learning_update", "sarsa_update", "td0_update",
    "gcn_layer", "quantize", "dequantize", "grad_cam",
)  # fmt: skip

#: The largest n of bleu's n-grams (the work grows with the square of max_n).
MAX_BLEU_N = 10


# --------------------------------------------------------------------------- helpers


def _numbers(x: Any, what: str) -> np.ndarray:
    """``x`` as a numeric array (not copied); text and None refused."""
    if isinstance(x, str) or x is None:
        raise ExpressionError(f"{what} must be numbers, not {'text' if x else 'None'}")
    try:
        a = np.asarray(x)
    except ValueError:
        raise ExpressionError(f"{what}: a list of arrays of different shapes") from None
    if a.dtype.kind not in "biuf":
        raise ExpressionError(f"{what} must be numbers or an array of numbers")
    return a


def _dims(x: Any, what: str, ndim: int) -> tuple[int, ...]:
    """The shape of ``x``, which must have ``ndim`` dimensions (else: the solver reports it)."""
    shape = _numbers(x, what).shape
    return shape if len(shape) == ndim else ()


def _whole(x: Any, what: str) -> int:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer, float, np.floating)):
        raise ExpressionError(f"{what} must be a whole number, not {x!r}")
    if not float(x).is_integer():
        raise ExpressionError(f"{what} must be a whole number, not {x!r}")
    return int(x)


def _indexable(v: Any) -> Any:
    """Tuples item by item; an array of text becomes a list (the language holds no such array)."""
    if isinstance(v, tuple):
        return tuple(_indexable(item) for item in v)
    if isinstance(v, np.ndarray) and v.dtype.kind not in "biuf":
        return v.tolist()
    return v


def _guard(fn: Callable[..., Any], check: Callable[..., None] | None = None) -> Callable[..., Any]:
    """``fn`` with ``check(*args, **kw)`` first and its ValueError as an ExpressionError."""
    prefix = f"{fn.__name__}: "

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if check is not None:
            check(*args, **kwargs)
        try:
            result = fn(*args, **kwargs)
        except ValueError as exc:
            message = str(exc)
            message = message[len(prefix) :] if message.startswith(prefix) else message
            if message.startswith("could not convert string"):
                message = f"expected numbers, not text ({message})"
            raise ExpressionError(message) from None
        return _indexable(result)

    return call


# --------------------------------------------------------------------------- size checks


def _elementwise(*args: Any, **kwargs: Any) -> None:
    """Elementwise functions of broadcast arguments: the broadcast shape must fit."""
    values = [_numbers(v, "the arguments") for v in (*args, *kwargs.values())]
    broadcast_shape("combine", *values)


def _distance_table(what: str, rows: Any, points: Any) -> None:
    """A table of differences (N, M, D) between N rows and M points."""
    a, b = _dims(rows, what, 2), _dims(points, what, 2)
    if a and b:
        check_shape((a[0], b[0], a[1]), f"the table of differences of {what}")


def _kmeans(X: Any, centers: Any) -> None:
    _distance_table("kmeans_step", X, centers)


def _knn(X_train: Any, y_train: Any, X: Any, k: Any) -> None:
    _distance_table("knn_predict", X, X_train)


def _iou(a: Any, b: Any) -> None:
    na, nb = _numbers(a, "a").shape, _numbers(b, "b").shape
    check_shape((na[0] if len(na) == 2 else 1, nb[0] if len(nb) == 2 else 1), "the IoU table")


def _confusion(y_true: Any, y_pred: Any, labels: Any = None) -> None:
    if labels is None:
        values = [*np.ravel(np.asarray(y_true)).tolist(), *np.ravel(np.asarray(y_pred)).tolist()]
        try:
            n = len(set(values))
        except TypeError:
            raise ExpressionError("labels must be numbers or text") from None
    else:
        n = int(np.size(np.asarray(labels)))
    check_shape((n, n), "the confusion matrix")


def _mean_iou(pred: Any, target: Any, num_classes: Any) -> None:
    check_shape((max(0, _whole(num_classes, "num_classes")),), "the per-class counts")


def _numbers_held(total: int, what: str) -> None:
    """A result tuple holding ``total`` numbers must fit the language's bound."""
    if total > MAX_ELEMENTS:
        raise ExpressionError(f"{what} would hold {total:,} numbers (at most {MAX_ELEMENTS:,})")


def _eig_sym(A: Any) -> None:
    shape = _dims(A, "A", 2)
    if shape:
        _numbers_held(shape[0] + shape[0] * shape[1], "the eigenvalues and eigenvectors")


def _svd(A: Any, full_matrices: Any = False) -> None:
    shape = _dims(A, "A", 2)
    if shape:
        m, n = shape
        r = min(m, n)
        if full_matrices:
            check_shape((m, m), "U of the full SVD")
            check_shape((n, n), "Vt of the full SVD")
        u, vt = (m * m, n * n) if full_matrices else (m * r, r * n)
        _numbers_held(u + r + vt, "U, S and Vt")


def _pca(X: Any, k: Any) -> None:
    shape = _dims(X, "X", 2)
    if shape and isinstance(k, (int, np.integer)):
        n, d = shape
        _numbers_held(k * d + 2 * k + n * k, "the components, variances and scores")


def _regression(X: Any, y: Any, ridge: Any = 0.0) -> None:
    shape = _dims(X, "X", 2)
    if shape:
        check_shape((shape[1], shape[1]), "XᵀX")


def _gcn(A: Any, X: Any, W: Any) -> None:
    a, w = _dims(A, "A", 2), _dims(W, "W", 2)
    if a and w:
        check_shape((a[0], w[1]), "the output")


def _token_sequence(seq: Any, what: str) -> None:
    if isinstance(seq, str):
        return
    items = seq.tolist() if isinstance(seq, np.ndarray) else seq
    if not isinstance(items, (list, tuple)) or not all(
        isinstance(t, (str, int, float)) and not isinstance(t, bool) for t in items
    ):
        raise ExpressionError(f"{what} must be a text or a list of tokens (text or numbers)")


def _bleu(candidate: Any, references: Any, max_n: Any = 4) -> None:
    n = _whole(max_n, "max_n")
    if not 1 <= n <= MAX_BLEU_N:
        raise ExpressionError(f"max_n must be in 1..{MAX_BLEU_N}, not {n}")
    _token_sequence(candidate, "the candidate")
    if isinstance(references, str):
        return
    if isinstance(references, np.ndarray) and references.ndim == 2:
        return
    if not isinstance(references, (list, tuple)):
        raise ExpressionError("references must be a list of references (texts or token lists)")
    for ref in references:
        _token_sequence(ref, "each reference")


_CHECKS: dict[str, Callable[..., None]] = {
    "normal_pdf": _elementwise,
    "bernoulli_pmf": _elementwise,
    "binomial_pmf": _elementwise,
    "poisson_pmf": _elementwise,
    "kmeans_step": _kmeans,
    "knn_predict": _knn,
    "iou": _iou,
    "confusion_matrix": _confusion,
    "mean_iou": _mean_iou,
    "svd": _svd,
    "eig_sym": _eig_sym,
    "pca": _pca,
    "linear_regression": _regression,
    "gcn_layer": _gcn,
    "bleu": _bleu,
}


def register(functions: dict[str, Callable[..., Any]]) -> None:
    """Add a guarded wrapper of every solver in ``NAMES`` to ``functions``."""
    for name in NAMES:
        functions[name] = _guard(getattr(solvers, name), _CHECKS.get(name))
