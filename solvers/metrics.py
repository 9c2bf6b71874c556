"""Classification metrics: confusion matrix, precision/recall/F1, ROC AUC, average precision.

Labels are any values that compare equal (ints, whole floats, text); ``y_true``
and ``y_pred`` have one shape ``(N,)``. The binary metrics take the class
``positive`` as positive and every other class as negative (one-vs-rest; for
two classes exactly scikit-learn's ``pos_label``). A ratio whose denominator
is 0 is 0.0, as scikit-learn's ``zero_division`` default gives (without its
warning).

For the ranking metrics (:func:`roc_auc`, :func:`average_precision`) ``y_true``
holds two distinct values, and the greater one is the positive class (as
scikit-learn's for {0, 1} and {−1, 1}); ``scores`` ``(N,)``: higher = more positive.
"""

from __future__ import annotations

import numpy as np

from ._arrays import as_float

__all__ = [
    "accuracy",
    "average_precision",
    "confusion_matrix",
    "f1_score",
    "precision",
    "recall",
    "roc_auc",
    "specificity",
]


def _labels_pair(what: str, y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    t, p = np.asarray(y_true), np.asarray(y_pred)
    if t.ndim != 1 or t.shape != p.shape or t.size == 0:
        raise ValueError(
            f"{what}: y_true has shape {t.shape}, y_pred has shape {p.shape}; "
            "expected equal shapes (N,) with N ≥ 1"
        )
    return t, p


def confusion_matrix(y_true, y_pred, labels=None):
    """C[i, j] = the number of samples of true class labels[i] predicted as labels[j].

    Rows are the true classes, columns the predicted ones; ``labels`` (default:
    the sorted union of both) fixes the order, and samples whose true or
    predicted class is not in ``labels`` are not counted. Returns an int array
    ``(L, L)``; equals ``sklearn.metrics.confusion_matrix``.
    """
    t, p = _labels_pair("confusion_matrix", y_true, y_pred)
    labels = np.unique(np.concatenate([t, p])) if labels is None else np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0 or np.unique(labels).size != labels.size:
        raise ValueError("confusion_matrix: labels must be distinct values, shape (L,)")
    n = labels.size
    where = {v: i for i, v in enumerate(labels.tolist())}
    ti = np.array([where.get(v, -1) for v in t.tolist()], dtype=np.int64)
    pi = np.array([where.get(v, -1) for v in p.tolist()], dtype=np.int64)
    keep = (ti >= 0) & (pi >= 0)
    return np.bincount(ti[keep] * n + pi[keep], minlength=n * n).reshape(n, n)


def _counts(what: str, y_true, y_pred, positive) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) for the class ``positive`` against the rest."""
    t, p = _labels_pair(what, y_true, y_pred)
    tp_true, pp = t == positive, p == positive
    tp = int(np.sum(tp_true & pp))
    fp = int(np.sum(~tp_true & pp))
    fn = int(np.sum(tp_true & ~pp))
    return tp, fp, fn, t.size - tp - fp - fn


def _ratio(num: int, den: int) -> np.float64:
    return np.float64(num / den if den else 0.0)


def precision(y_true, y_pred, positive=1):
    """Precision TP / (TP + FP) for the class ``positive`` [sklearn precision_score]."""
    tp, fp, _, _ = _counts("precision", y_true, y_pred, positive)
    return _ratio(tp, tp + fp)


def recall(y_true, y_pred, positive=1):
    """Recall (sensitivity, TPR) TP / (TP + FN) for the class ``positive`` [sklearn recall_score]."""
    tp, _, fn, _ = _counts("recall", y_true, y_pred, positive)
    return _ratio(tp, tp + fn)


def f1_score(y_true, y_pred, positive=1):
    """F1 = 2 TP / (2 TP + FP + FN), the harmonic mean of precision and recall [sklearn]."""
    tp, fp, fn, _ = _counts("f1_score", y_true, y_pred, positive)
    return _ratio(2 * tp, 2 * tp + fp + fn)


def specificity(y_true, y_pred, positive=1):
    """Specificity (TNR) TN / (TN + FP): the recall of the negative class(es)."""
    _, fp, _, tn = _counts("specificity", y_true, y_pred, positive)
    return _ratio(tn, tn + fp)


def accuracy(y_true, y_pred, positive=1):
    """Accuracy: the share of samples with y_pred == y_true, over every class.

    (``positive`` is accepted for a uniform signature and does not change the
    result.) Equals ``sklearn.metrics.accuracy_score``.
    """
    t, p = _labels_pair("accuracy", y_true, y_pred)
    return np.float64(np.mean(t == p))


def _ranking(what: str, y_true, scores) -> tuple[np.ndarray, np.ndarray]:
    """(positive mask, scores) with two classes present; the greater label is positive."""
    t, s = np.asarray(y_true), as_float(scores)
    if t.ndim != 1 or s.shape != t.shape:
        raise ValueError(
            f"{what}: y_true has shape {t.shape}, scores has shape {s.shape}; "
            "expected equal shapes (N,)"
        )
    values = np.unique(t)
    if values.size != 2:
        raise ValueError(
            f"{what}: y_true must hold exactly two classes (both present), got {values.tolist()!r}"
        )
    if not np.all(np.isfinite(s)):
        raise ValueError(f"{what}: scores must be finite numbers")
    return t == values[1], s


def roc_auc(y_true, scores):
    """Area under the ROC curve = P(score of a positive > score of a negative).

    Ties between a positive and a negative count ½ (the trapezoid through the
    tied threshold). Computed from average ranks (Mann–Whitney U):
    AUC = (R₊ − P(P + 1)/2) / (P N) for P positives, N negatives and R₊ the sum of
    the positives' ranks. Returns a float; equals ``sklearn.metrics.roc_auc_score``.
    """
    pos, s = _ranking("roc_auc", y_true, scores)
    order = np.argsort(s, kind="stable")
    sorted_s = s[order]
    # average rank (1-based) of each tie group
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_s)) + 1]
    ends = np.r_[starts[1:], s.size]
    group_rank = (starts + 1 + ends) / 2.0
    ranks = np.empty(s.size)
    ranks[order] = np.repeat(group_rank, ends - starts)
    n_pos = int(pos.sum())
    n_neg = s.size - n_pos
    u = ranks[pos].sum() - n_pos * (n_pos + 1) / 2.0
    return np.float64(u / (n_pos * n_neg))


def average_precision(y_true, scores):
    """Average precision AP = Σ_k (R_k − R_{k−1}) P_k (scikit-learn's step definition).

    Thresholds are the distinct scores, from the highest down; P_k and R_k are
    the precision and recall of predicting positive every score ≥ the k-th
    threshold (tied scores enter together), R_0 = 0. No interpolation. Returns a
    float; equals ``sklearn.metrics.average_precision_score``.
    """
    pos, s = _ranking("average_precision", y_true, scores)
    order = np.argsort(-s, kind="stable")
    s_desc, hits = s[order], pos[order]
    last_of_group = np.r_[np.flatnonzero(np.diff(s_desc)), s.size - 1]
    tps = np.cumsum(hits)[last_of_group]
    predicted = last_of_group + 1
    prec = tps / predicted
    rec = tps / tps[-1]
    return np.float64(np.sum(np.diff(np.r_[0.0, rec]) * prec))
