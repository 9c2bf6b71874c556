"""The part-B solvers through the expression language (quizapp._exprfuncs_math)."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from quizapp._exprfuncs_math import NAMES

import solvers
from quizapp.packs.expressions import FUNCTIONS, ExpressionError, evaluate


def test_every_name_is_registered_and_wraps_the_solver():
    for name in NAMES:
        assert name in FUNCTIONS, name
        assert FUNCTIONS[name].__wrapped__ is getattr(solvers, name)


def test_values_and_indexing():
    env = {
        "A": np.array([[2.0, 1.0], [1.0, 2.0]]),
        "P": np.array([[0.25, 0.25], [0.0, 0.5]]),
        "boxes": np.array([[0.0, 0.0, 2.0, 2.0], [0.1, 0.0, 2.1, 2.0], [3.0, 3.0, 4.0, 4.0]]),
    }
    assert evaluate("iou([0, 0, 2, 2], [1, 1, 3, 3])", env) == pytest.approx(1 / 7)
    assert evaluate("eig_sym(A)[0][0]", env) == pytest.approx(3.0)
    assert evaluate("eig_sym(A)[1][:, 0]", env).tolist() == pytest.approx([2**-0.5] * 2)
    assert evaluate("svd(A)[1]", env).tolist() == pytest.approx([3.0, 1.0])
    assert evaluate("mutual_information(P)", env) == pytest.approx(
        evaluate("entropy(sum(P, axis=1)) + entropy(sum(P, axis=0)) - joint_entropy(P)", env)
    )
    assert evaluate("entropy([0.5, 0.5], base=2)", env) == pytest.approx(1.0)
    assert evaluate("nms(boxes, [0.8, 0.9, 0.7], 0.5)", env).tolist() == [1, 2]
    assert evaluate("nms(boxes, [0.8, 0.9, 0.7], 0.5)[0]", env) == 1
    assert evaluate("bayes([0.5, 0.5], [0.8, 0.2])[0]", env) == pytest.approx(0.8)
    assert evaluate("gan_losses([0.9], [0.1])[2]", env) == pytest.approx(-math.log(0.1))
    assert evaluate("q_learning_update(zeros([2, 2]), 0, 1, 1.0, 1, 0.5, 0.9)[0, 1]", env) == 0.5


def test_labels_and_tokens():
    assert evaluate("precision([1, 0, 1, 1], [1, 1, 0, 1])", {}) == pytest.approx(2 / 3)
    assert evaluate("confusion_matrix([1, 0, 1], [1, 1, 1])", {}).tolist() == [[0, 1], [0, 2]]
    assert evaluate("roc_auc([0, 1], [0.5, 0.5])", {}) == pytest.approx(0.5)
    assert evaluate("bleu('the cat sat', ['the cat sat down'], max_n=3)", {}) == pytest.approx(
        math.exp(1 - 4 / 3)
    )
    assert evaluate("bleu(['a', 'b'], [['a', 'b']], max_n=2)", {}) == pytest.approx(1.0)
    # text labels come back as a list the language can index
    env = {"X": np.array([[0.0], [1.0]])}
    assert evaluate("knn_predict(X, ['a', 'b'], X, 1)[1]", env) == "b"


def test_solver_errors_become_expression_errors():
    with pytest.raises(ExpressionError, match=r"huber\(\): shape mismatch: y has shape \(2,\)"):
        evaluate("huber([1, 2], [1])", {})
    with pytest.raises(ExpressionError, match="symmetric"):
        evaluate("eig_sym([[1, 2], [0, 1]])", {})
    with pytest.raises(ExpressionError, match="expected numbers, not text"):
        evaluate("entropy('abc')", {})
    with pytest.raises(ExpressionError, match="arguments"):
        evaluate("huber(x=1)", {})
    with pytest.raises(ExpressionError, match="max_n must be in 1..10"):
        evaluate("bleu('a', ['a'], max_n=100)", {})
    with pytest.raises(ExpressionError, match="references"):
        evaluate("bleu('a', 3)", {})


HOSTILE = [
    "svd(zeros([1, 10000]), full_matrices=True)",
    "kmeans_step(zeros([1000, 5]), zeros([100, 5]))",
    "knn_predict(zeros([5000, 2]), zeros(5000), zeros([10, 2]), 1)",
    "iou(zeros([200, 4]), zeros([200, 4]))",
    "confusion_matrix(arange(1000), arange(1000) + 1)",
    "mean_iou([0], [0], 10**9)",
    "linear_regression(zeros([1, 10000]), [0.0])",
    "gcn_layer(zeros([100, 100]), zeros([100, 1]), zeros([1, 200]))",
    "eig_sym(eye(100))",
    "pca(zeros([100, 100]), 60)",
    "quantize([1.0], 1.0, 0, bits=10**6)",
    "binomial_pmf(zeros([100, 1]), zeros([1, 200]), 0.5)",
    "bleu([x], ['a'])",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_sizes_are_refused_fast(source):
    env = {"x": np.array([1.0, 2.0])}
    start = time.monotonic()
    with pytest.raises(ExpressionError) as info:
        evaluate(source, env)
    assert time.monotonic() - start < 1.0, source
    assert info.value.message
    assert env["x"].tolist() == [1.0, 2.0]


def test_inputs_are_not_modified():
    env = {"Q": np.zeros((2, 2)), "V": np.zeros(2)}
    new = evaluate("sarsa_update(Q, 0, 0, 1.0, 1, 1, 0.5, 0.9)", env)
    assert new[0, 0] == 0.5 and env["Q"][0, 0] == 0.0
    assert evaluate("td0_update(V, 0, 1.0, 1, 0.5, 0.9, done=True)", env)[0] == 0.5
    assert env["V"].tolist() == [0.0, 0.0]
