"""solvers.metrics: confusion matrix, binary metrics, ROC AUC, average precision."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import solvers

Y_TRUE = np.array([1, 0, 1, 1, 0, 0, 1, 0])
Y_PRED = np.array([1, 0, 0, 1, 1, 0, 1, 0])  # tp 3, fn 1, fp 1, tn 3
Y_TRUE.flags.writeable = False
Y_PRED.flags.writeable = False


def test_confusion_matrix_and_binary_metrics():
    np.testing.assert_array_equal(solvers.confusion_matrix(Y_TRUE, Y_PRED), [[3, 1], [1, 3]])
    assert solvers.precision(Y_TRUE, Y_PRED) == pytest.approx(0.75)
    assert solvers.recall(Y_TRUE, Y_PRED) == pytest.approx(0.75)
    assert solvers.f1_score(Y_TRUE, Y_PRED) == pytest.approx(0.75)
    assert solvers.specificity(Y_TRUE, Y_PRED) == pytest.approx(0.75)
    assert solvers.accuracy(Y_TRUE, Y_PRED) == pytest.approx(0.75)
    # class 0 as positive: precision 3/4, recall 3/4 too; all predicted 1 → precision of 0 is 0
    assert solvers.precision(Y_TRUE, np.ones(8), positive=0) == 0.0


def test_uneven_metrics():
    t, p = [1, 1, 1, 0], [1, 0, 0, 1]  # tp 1, fn 2, fp 1, tn 0
    assert solvers.precision(t, p) == pytest.approx(0.5)
    assert solvers.recall(t, p) == pytest.approx(1 / 3)
    assert solvers.f1_score(t, p) == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))
    assert solvers.specificity(t, p) == 0.0


def test_confusion_matrix_labels_order_and_multiclass():
    t, p = ["a", "b", "c", "c"], ["a", "c", "c", "b"]
    np.testing.assert_array_equal(solvers.confusion_matrix(t, p), [[1, 0, 0], [0, 0, 1], [0, 1, 1]])
    np.testing.assert_array_equal(
        solvers.confusion_matrix(t, p, labels=["c", "a"]), [[1, 0], [0, 1]]
    )


def brute_auc(y, s):
    pos = [v for v, t in zip(s, y, strict=True) if t == 1]
    neg = [v for v, t in zip(s, y, strict=True) if t == 0]
    total = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a, b in itertools.product(pos, neg))
    return total / (len(pos) * len(neg))


def test_roc_auc_with_ties():
    assert solvers.roc_auc([0, 1], [0.5, 0.5]) == pytest.approx(0.5)
    # pairs: (0.8 vs 0.1) 1, (0.8 vs 0.4) 1, (0.4 vs 0.1) 1, (0.4 vs 0.4) ½ → 3.5 / 4
    assert solvers.roc_auc([1, 0, 1, 0], [0.8, 0.1, 0.4, 0.4]) == pytest.approx(0.875)
    rng = np.random.default_rng(0)
    for _ in range(10):
        y = np.r_[0, 1, rng.integers(0, 2, size=10)]
        s = rng.integers(0, 4, size=12) / 4  # many ties
        assert solvers.roc_auc(y, s) == pytest.approx(brute_auc(y, s))
    assert solvers.roc_auc([-1, 1, 1], [0.1, 0.2, 0.05]) == pytest.approx(0.5)


def test_average_precision_step_definition():
    # ranked: + (P 1, R ½), − , + (P ⅔, R 1): AP = ½·1 + ½·⅔
    assert solvers.average_precision([1, 0, 1], [0.9, 0.5, 0.2]) == pytest.approx(0.5 + 1 / 3)
    # a tie between a positive and a negative enters together: P ½ at R 1
    assert solvers.average_precision([1, 0], [0.5, 0.5]) == pytest.approx(0.5)


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"expected equal shapes \(N,\)"):
        solvers.precision([1, 0], [1])
    with pytest.raises(ValueError, match="two classes"):
        solvers.roc_auc([1, 1], [0.2, 0.3])
    with pytest.raises(ValueError, match="distinct"):
        solvers.confusion_matrix([1], [1], labels=[1, 1])
