"""The layer functions in pack expressions (quizapp._exprfuncs_layers): results, errors, limits."""

from __future__ import annotations

import numpy as np
import pytest
from quizapp._exprfuncs_layers import NAMES

import solvers
from quizapp.packs.expressions import FUNCTIONS, ExpressionError, evaluate

RNG = np.random.default_rng(20240906)


def test_every_layer_function_is_registered_under_its_solver_name():
    for name in NAMES:
        assert name in FUNCTIONS, name
        assert FUNCTIONS[name].__wrapped__ is getattr(solvers, name)
    for name in ("conv2d", "lstm", "multi_head_attention", "lr_schedule", "l2_penalty_grad"):
        assert name in NAMES


def test_conv_and_pool_through_expressions():
    env = {"x": RNG.normal(size=(1, 2, 5, 5)), "W": RNG.normal(size=(3, 2, 3, 3)), "b": np.ones(3)}
    np.testing.assert_array_equal(
        evaluate("conv2d(x, W, b, stride=2, pad=1)", env),
        solvers.conv2d(env["x"], env["W"], env["b"], stride=2, pad=1),
    )
    assert evaluate("conv_output_size(28, 3, 1, 1)", {}) == 28
    assert evaluate("im2col(x, 3, 3).shape", env) == (9, 18)
    assert evaluate("max_pool2d(x, 2)[0, 1, 0, 0]", env) == np.max(env["x"][0, 1, :2, :2])
    # the book's identity as a pack would write it: row 4 of im2col is (n 0, oh 1, ow 1)
    assert evaluate(
        "isclose((im2col(x, 3, 3) @ transpose(reshape(W, (3, -1))))[4, 1], conv2d(x, W)[0, 1, 1, 1])",
        env,
    )
    # r = 1 + 2·1 + 2·1 + 2·2 (the last layer's steps are 2 input pixels apart)
    assert evaluate("receptive_field([(3, 1, 1), (3, 2, 1), (3, 1, 1)])", {}) == 9
    assert evaluate("conv_params(3, 8, 3)", {}) == 8 * 27 + 8


def test_tuples_from_layers_can_be_indexed():
    T, N, D, H = 3, 2, 2, 2
    env = {
        "xs": RNG.normal(size=(T, N, D)), "h0": RNG.normal(size=(N, H)),
        "c0": RNG.normal(size=(N, H)), "Wi": RNG.normal(size=(4 * H, D)),
        "Wh": RNG.normal(size=(4 * H, H)), "bi": RNG.normal(size=4 * H),
        "bh": RNG.normal(size=4 * H),
    }  # fmt: skip
    expected = solvers.lstm(env["xs"], env["h0"], env["c0"], env["Wi"], env["Wh"], env["bi"],
                            env["bh"])  # fmt: skip
    np.testing.assert_array_equal(evaluate("lstm(xs, h0, c0, Wi, Wh, bi, bh)[2]", env), expected[2])
    dxs = evaluate("lstm_backward(ones((3, 2, 2)), xs, h0, c0, Wi, Wh, bi, bh)[0]", env)
    assert dxs.shape == (T, N, D)
    assert evaluate("rnn_backward(ones((3, 2, 2)), xs, h0, Wi[:2], Wh[:2], None, None)[4]",
                    env) is None  # fmt: skip


def test_attention_mask_as_a_list_of_0_and_1():
    env = {"Q": RNG.normal(size=(2, 3)), "K": RNG.normal(size=(2, 3)), "V": RNG.normal(size=(2, 1))}
    w = evaluate("scaled_dot_product_attention(Q, K, V, [[1, 0], [1, 1]])[1]", env)
    assert w[0, 1] == 0.0 and w[0, 0] == 1.0
    same = evaluate("scaled_dot_product_attention(Q, K, V, [[1, 0], [1, 1]] == 1)[1]", env)
    np.testing.assert_array_equal(w, same)
    with pytest.raises(ExpressionError, match="0/1 values"):
        evaluate("scaled_dot_product_attention(Q, K, V, [[2, 0], [1, 1]])", env)


def test_schedules_penalties_and_clipping():
    assert evaluate("lr_schedule('step', 0.1, 7, step_size=3, gamma=0.5)", {}) == pytest.approx(
        0.025
    )
    assert evaluate("l2_penalty([w], 0.1)", {"w": np.array([3.0, 4.0])}) == pytest.approx(1.25)
    env = {"g": np.array([3.0, 0.0]), "h": np.array([4.0])}  # total norm 5
    clipped, total = evaluate("clip_grad_norm([g, h], 1.0)", env)
    assert total == 5.0
    np.testing.assert_allclose(clipped[0], [0.6, 0.0], rtol=1e-6)
    np.testing.assert_allclose(clipped[1], [0.8], rtol=1e-6)
    # one array is a list of one: ‖g‖ = 3, g[0] scaled to 3 / (3 + 1e-6)
    assert evaluate("clip_grad_norm(g, 1.0)[0][0][0]", env) == pytest.approx(3 / (3 + 1e-6))
    np.testing.assert_allclose(evaluate("positional_encoding(3, 4)[1, 0]", {}), np.sin(1.0))


@pytest.mark.parametrize(
    "source, message",
    [
        ("conv2d(x, W)", r"W must have shape \(F, C // groups = 2"),
        ("max_pool2d(x, 2, pad=2)", "pad must be at most"),
        ("lr_schedule('linear', 0.1, 1)", "unknown lr_schedule"),
        ("conv2d(x)", "missing a required argument: 'W'"),
        ("embedding([7], eye(3))", r"ids must be in \[0, 3\)"),
    ],
)
def test_solver_errors_become_expression_errors(source, message):
    env = {"x": np.ones((1, 2, 4, 4)), "W": np.ones((1, 3, 2, 2))}
    with pytest.raises(ExpressionError, match=message) as info:
        evaluate(source, env)
    assert "conv2d: conv2d" not in str(info.value)


HOSTILE = [  # each result (or an array built on the way) would pass 10,000 elements
    ("im2col(x, 1, 1, pad=60)", "padded input"),
    ("im2col(ones((1, 4, 20, 20)), 5, 5)", "im2col matrix"),
    ("col2im(zeros((1, 1)), (1, 1, 200, 200), 200, 200)", "image"),
    ("conv2d(x, W, pad=10**6)", "padded input"),
    ("conv2d(ones((1, 1, 50, 50)), ones((50, 1, 1, 1)))", "output"),
    ("conv2d_backward(ones((1, 2, 1, 1)), x, W, pad=10**6)", "padded input"),
    ("conv_transpose2d(ones((1, 1, 10, 10)), ones((1, 1, 1, 1)), stride=10**5)", "padded output"),
    ("conv_transpose2d(ones((1, 1, 50, 50)), ones((1, 100, 1, 1)))", "column matrix"),
    ("max_pool2d(ones((1, 1, 100, 100)), 50, 1)", "pooling windows"),
    ("avg_pool2d(x, 3, pad=10**9)", "padded input"),
    ("max_pool2d_backward(ones((1, 1, 51, 51)), ones((1, 1, 100, 100)), 50, 1)", "pooling windows"),
    ("avg_pool2d_backward(ones((1, 1, 51, 51)), ones((1, 1, 100, 100)), 50, 1)", "pooling windows"),
    ("rnn(ones((1000, 10, 1)), None, ones((100, 1)), ones((100, 100)), None, None)", "gates"),
    ("lstm(ones((500, 20, 1)), None, None, ones((200, 1)), ones((200, 50)), None, None)", "gates"),
    (
        "lstm_backward(ones((100, 10, 10)), ones((100, 10, 1)), None, None, ones((40, 1)), "
        "ones((40, 10)), None, None)",
        "gates",
    ),  # fmt: skip
    ("gru(ones((1000, 10, 1)), None, ones((150, 1)), ones((150, 50)), None, None)", "gates"),
    (
        "gru_backward(ones((100, 10, 10)), ones((100, 10, 1)), None, ones((30, 1)), "
        "ones((30, 10)), None, None)",
        "gates",
    ),  # fmt: skip
    (
        "rnn_backward(ones((100, 10, 10)), ones((100, 10, 1)), None, ones((10, 1)), "
        "ones((10, 10)), None, None)",
        "inputs with the states",
    ),  # fmt: skip
    (
        "scaled_dot_product_attention(ones((5000, 1)), ones((5000, 1)), ones((5000, 1)))",
        "attention weights",
    ),  # fmt: skip
    (
        "attention_backward(ones((5000, 1)), ones((5000, 1)), ones((5000, 1)), ones((5000, 1)))",
        "attention weights",
    ),  # fmt: skip
    ("multi_head_attention(q, q, q, E, E, E, E, None, None, None, None, 1)", "attention weights"),
    (
        "multi_head_attention_backward(q, q, q, q, E, E, E, E, None, None, None, None, 1)",
        "attention weights",
    ),  # fmt: skip
    ("positional_encoding(10**6, 10**6)", "encoding"),
    ("embedding(zeros(5000), ones((1, 100)))", "embeddings"),
    ("embedding_backward(ones((1, 100)), [0], 10**5)", "gradient of the table"),
    ("receptive_field([(3, 10**20, 1), (3, 10**20, 1)])", "strides is too large"),
]


@pytest.mark.parametrize("source, what", HOSTILE)
def test_hostile_sizes_are_refused_before_allocating(source, what):
    env = {"x": np.ones((1, 1, 3, 3)), "W": np.ones((2, 1, 3, 3)),
           "q": np.ones((1, 200, 1)), "E": np.ones((1, 1))}  # fmt: skip
    with pytest.raises(ExpressionError, match=what):
        evaluate(source, env)
