"""The registry of functions pack expressions may call (quizapp.packs._exprfuncs)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import solvers
from quizapp.packs.expressions import FUNCTIONS, ExpressionError, evaluate

SOLVER_NAMES = [
    "sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad", "leaky_relu",
    "leaky_relu_grad", "step", "step_grad", "identity", "identity_grad", "softplus",
    "softplus_grad", "elu", "elu_grad", "silu", "silu_grad", "softmax", "softmax_jacobian",
    "mse", "mse_grad", "cross_entropy", "cross_entropy_grad", "binary_cross_entropy",
    "binary_cross_entropy_grad", "one_hot", "softmax_cross_entropy_grad", "activation",
    "activation_grad", "loss", "loss_grad", "xavier_std", "he_std", "param_count",
]  # fmt: skip
NUMPY_NAMES = [
    "abs", "exp", "log", "log2", "log10", "sqrt", "sin", "cos", "max", "min", "sum", "mean",
    "prod", "argmax", "argmin", "dot", "outer", "transpose", "reshape", "zeros", "ones", "eye",
    "full", "arange", "linspace", "array", "round", "floor", "ceil", "int", "float", "len",
    "clip", "where", "maximum", "minimum", "sign", "isclose", "allclose", "shape", "size",
    "concat", "stack", "norm", "all", "any",
]  # fmt: skip
NETWORK_NAMES = ["forward", "trace", "backward", "deltas", "optimizer_steps",
                 "optimizer_step_from"]


@pytest.fixture
def net():
    """A 3-2-2 network and one sample."""
    return {
        "x": np.array([1.0, 0.5, -1.0]),
        "d": np.array([1.0, 0.0]),
        "W1": np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]),
        "b1": np.array([0.1, -0.1]),
        "W2": np.array([[0.7, -0.8], [0.2, 0.9]]),
        "b2": np.array([0.0, 0.05]),
    }


def test_registry_holds_every_documented_name():
    for name in SOLVER_NAMES + NUMPY_NAMES + NETWORK_NAMES:
        assert name in FUNCTIONS, name
    assert "numerical_gradient" not in FUNCTIONS
    assert "optimizer_step" not in FUNCTIONS
    for unsafe in ("eval", "exec", "open", "getattr", "__import__", "compile", "globals"):
        assert unsafe not in FUNCTIONS


def test_tanh_is_the_solvers_one():
    assert FUNCTIONS["tanh"] is solvers.tanh


@pytest.mark.parametrize("name", ["sigmoid", "sigmoid_grad", "relu_grad", "softplus", "silu_grad"])
def test_solver_functions_match_solvers(name):
    x = np.array([-2.0, 0.0, 0.5, 3.0])
    np.testing.assert_array_equal(evaluate(f"{name}(x)", {"x": x}), getattr(solvers, name)(x))


def test_solver_keywords_pass_through():
    assert evaluate("leaky_relu(-1, alpha=0.1)", {}) == pytest.approx(-0.1)
    assert evaluate("activation('elu', -1.0, alpha=2.0)", {}) == pytest.approx(
        2 * (math.exp(-1) - 1)
    )


def test_losses():
    env = {"y": np.array([0.8, 0.3]), "d": np.array([1.0, 0.0])}
    assert evaluate("mse(y, d)", env) == pytest.approx(0.5 * (0.04 + 0.09))
    np.testing.assert_allclose(evaluate("loss_grad('mse', y, d)", env), [-0.2, 0.3])
    assert evaluate("cross_entropy(softmax([1, 2]), 1)", {}) == pytest.approx(
        -math.log(math.exp(2) / (math.exp(1) + math.exp(2)))
    )


def test_network_forward_matches_mlp(net):
    mlp = solvers.MLP([net["W1"], net["W2"]], [net["b1"], net["b2"]], ["sigmoid", "identity"])
    y = evaluate('forward(x, "sigmoid,identity", W1, b1, W2, b2)', net)
    np.testing.assert_allclose(y, mlp.forward(net["x"]))
    # the activations may also be a list of names
    y2 = evaluate('forward(x, ["sigmoid", "identity"], W1, b1, W2, b2)', net)
    np.testing.assert_array_equal(y, y2)


def test_network_trace_is_z0_u1_z1_u2_z2(net):
    t = evaluate('trace(x, "relu, sigmoid", W1, b1, W2, b2)', net)
    assert len(t) == 5
    np.testing.assert_array_equal(t[0], net["x"])
    u1 = net["W1"] @ net["x"] + net["b1"]
    np.testing.assert_allclose(t[1], u1)
    np.testing.assert_allclose(t[2], np.maximum(u1, 0))
    np.testing.assert_allclose(t[3], net["W2"] @ t[2] + net["b2"])
    np.testing.assert_allclose(t[4], solvers.sigmoid(t[3]))


def test_network_backward_and_deltas_match_mlp(net):
    mlp = solvers.MLP([net["W1"], net["W2"]], [net["b1"], net["b2"]], ["sigmoid", "identity"])
    g = mlp.backward(net["x"], net["d"], loss="mse")
    grads = evaluate('backward(x, d, "sigmoid,identity", "mse", W1, b1, W2, b2)', net)
    assert len(grads) == 4
    for got, want in zip(
        grads, [g.weights[0], g.biases[0], g.weights[1], g.biases[1]], strict=True
    ):
        np.testing.assert_allclose(got, want)
    deltas = evaluate('deltas(x, d, "sigmoid,identity", "mse", W1, b1, W2, b2)', net)
    for got, want in zip(deltas, g.deltas, strict=True):
        np.testing.assert_allclose(got, want)
    # ∂E/∂w_ji of the output layer: δ_j z_i, with 1-based j = 1, i = 2
    dw = evaluate('backward(x, d, "sigmoid,identity", "mse", W1, b1, W2, b2)[2][0, 1]', net)
    assert dw == pytest.approx(
        g.deltas[1][0] * solvers.sigmoid(net["W1"] @ net["x"] + net["b1"])[1]
    )


def test_network_argument_errors(net):
    with pytest.raises(ExpressionError, match=r"2 layer\(s\) \(sigmoid, identity\) need 4"):
        evaluate('forward(x, "sigmoid,identity", W1, b1)', net)
    with pytest.raises(ExpressionError, match="forward\\(\\): .*bias"):
        evaluate('forward(x, "sigmoid,identity", W1, b2, W2, b2)', {**net, "b2": np.zeros(3)})
    with pytest.raises(ExpressionError, match="activations are text"):
        evaluate("forward(x, 3, W1, b1)", net)


def test_optimizer_steps():
    steps = evaluate("optimizer_steps('momentum', 1.0, [0.5, 0.5], lr=0.1, momentum=0.9)", {})
    assert len(steps) == 2
    p, state = solvers.optimizer_step("momentum", 1.0, 0.5, None, lr=0.1, momentum=0.9)
    assert steps[0] == pytest.approx(p)
    p, _ = solvers.optimizer_step("momentum", p, 0.5, state, lr=0.1, momentum=0.9)
    assert steps[1] == pytest.approx(p)
    arrays = evaluate("optimizer_steps('adam', W, [W, W])", {"W": np.ones((2, 2))})
    assert [a.shape for a in arrays] == [(2, 2), (2, 2)]
    with pytest.raises(ExpressionError, match="optimizer_steps\\(\\): .*shape"):
        evaluate("optimizer_steps('sgd', [1, 2], [1, 2])", {})
    with pytest.raises(ExpressionError, match="list of gradients"):
        evaluate("optimizer_steps('sgd', 1.0, 0.5)", {})


def test_optimizer_step_from_a_given_state_is_the_solvers_step():
    """The canonical momentum and Adam templates start from a given velocity or given
    moments: one step of solvers.optimizer_step from that state."""
    got = evaluate("optimizer_step_from('momentum', 1.0, 0.5, v=-0.2, lr=0.1, momentum=0.9)", {})
    want, _ = solvers.optimizer_step("momentum", 1.0, 0.5, {"v": -0.2}, lr=0.1, momentum=0.9)
    assert got == pytest.approx(want) == pytest.approx(1.0 + 0.9 * -0.2 - 0.1 * 0.5)
    got = evaluate("optimizer_step_from('adam', 0.3, -1.0, m=0.1, v=0.04, t=1, lr=0.1, "
                   "beta1=0.9, beta2=0.99)", {})
    want, _ = solvers.optimizer_step("adam", 0.3, -1.0, {"m": 0.1, "v": 0.04, "t": 1},
                                     lr=0.1, beta1=0.9, beta2=0.99)
    assert got == pytest.approx(want)
    first = evaluate("optimizer_step_from('adam', 0.3, -1.0, lr=0.1)", {})  # no state: t = 0
    assert first == pytest.approx(evaluate("optimizer_steps('adam', 0.3, [-1.0], lr=0.1)[0]", {}))
    with pytest.raises(ExpressionError, match="state"):  # Adam's state needs m, v and t
        evaluate("optimizer_step_from('adam', 0.3, -1.0, m=0.1, lr=0.1)", {})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("abs(-2)", 2),
        ("abs([-1, 2])", [1.0, 2.0]),
        ("exp(0)", 1.0),
        ("log(e)", 1.0),
        ("log2(8)", 3.0),
        ("log10(1000)", 3.0),
        ("sqrt(16)", 4.0),
        ("sin(0) + cos(0)", 1.0),
        ("tanh(0)", 0.0),
        ("max(3, 5, 4)", 5),
        ("min([3, 1, 2])", 1.0),
        ("max([[1, 5], [7, 2]], axis=0)", [7.0, 5.0]),
        ("sum([1, 2, 3])", 6.0),
        ("sum([[1, 2], [3, 4]], axis=1)", [3.0, 7.0]),
        ("mean([1, 2, 3])", 2.0),
        ("prod([2, 3])", 6.0),
        ("argmax([1, 3, 2])", 1),
        ("argmin([1, 3, 2])", 0),
        ("dot([1, 2], [3, 4])", 11.0),
        ("outer([1, 2], [3, 4])", [[3.0, 4.0], [6.0, 8.0]]),
        ("transpose([[1, 2]])", [[1.0], [2.0]]),
        ("reshape([1, 2, 3, 4], (2, -1))", [[1.0, 2.0], [3.0, 4.0]]),
        ("zeros(2)", [0.0, 0.0]),
        ("ones((1, 2))", [[1.0, 1.0]]),
        ("eye(2)", [[1.0, 0.0], [0.0, 1.0]]),
        ("full((2,), 7)", [7.0, 7.0]),
        ("arange(3)", [0, 1, 2]),
        ("arange(1, 2, 0.5)", [1.0, 1.5]),
        ("linspace(0, 1, 3)", [0.0, 0.5, 1.0]),
        ("array((1, 2))", [1.0, 2.0]),
        ("round(2.5)", 2),
        ("round(0.12345, 2)", 0.12),
        ("round([0.123, 0.456], 1)", [0.1, 0.5]),
        ("floor(2.7)", 2),
        ("ceil(2.1)", 3),
        ("floor([2.7, -0.5])", [2.0, -1.0]),
        ("int(3.9)", 3),
        ("float(3)", 3.0),
        ("len([1, 2, 3])", 3),
        ("clip([-1, 0.5, 2], 0, 1)", [0.0, 0.5, 1.0]),
        ("where([1, -1] > 0, 1, 0)", [1.0, 0.0]),
        ("maximum([1, 5], [3, 2])", [3.0, 5.0]),
        ("minimum([1, 5], 2)", [1.0, 2.0]),
        ("sign([-2, 0, 3])", [-1.0, 0.0, 1.0]),
        ("isclose(0.1 + 0.2, 0.3)", True),
        ("allclose([1, 2], [1, 2.0000001])", True),
        ("shape([[1, 2, 3]])", (1, 3)),
        ("size([[1, 2, 3]])", 3),
        ("concat([[1, 2], [3]])", [1.0, 2.0, 3.0]),
        ("stack([[1, 2], [3, 4]], axis=1)", [[1.0, 3.0], [2.0, 4.0]]),
        ("norm([3, 4])", 5.0),
        ("all([1, 1])", True),
        ("any([0, 0])", False),
        ("one_hot(2, 3)", [0.0, 0.0, 1.0]),
        ("param_count([2, 3, 1])", 13),
        ("he_std(2)", 1.0),
        ("xavier_std(4)", 0.5),
    ],
)
def test_numpy_style_functions(source, expected):
    got = evaluate(source, {})
    if isinstance(expected, (list, tuple)) and not isinstance(got, tuple):
        np.testing.assert_allclose(got, expected)
    else:
        assert got == pytest.approx(expected)


def test_whole_number_results_are_python_ints():
    for source in (
        "round(2.6)",
        "floor(2.5)",
        "ceil(2.5)",
        "int(2.5)",
        "argmax([1, 2])",
        "len([1])",
    ):
        assert type(evaluate(source, {})) is int, source
    assert evaluate("[1, 2, 3][floor(2.5)]", {}) == 3.0


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("zeros(-1)", "sizes cannot be negative"),
        ("zeros(2.5)", "a size must be a whole number"),
        ("arange(0, 1, 0)", "arange(): the step cannot be 0"),
        ("max([1, 2], [3, 4])", "max(): expected one array, or several numbers; use maximum(a, b)"),
        ("min([1, 2], [3, 4])", "use minimum(a, b) for arrays"),
        ("int('5')", "int(): expected one number"),
        ("float([1, 2])", "float(): expected one number"),
        ("len(3)", "len(): object of type 'int' has no len()"),
        ("sum('abc')", "expected numbers"),
        ("sum([[1, 2], [3]])", "list of arrays of different shapes"),
        ("dot([[[1]]], [1])", "use @ for stacks of matrices"),
        ("dot([1, 2], [1, 2, 3])", "cannot multiply arrays of shapes (2,) and (3,)"),
        ("where([True, False], [1, 2, 3], 0)", "cannot combine arrays of shapes"),
        ("full(2, [1, 2])", "full(): the value must be one number"),
        ("exp(1, y=1)", "exp(): got an unexpected keyword argument 'y'"),
        ("maximum([1, 2], [1, 2], out=[0, 0])", "got an unexpected keyword argument 'out'"),
        ("sum([1, 2], out=[0])", "got an unexpected keyword argument 'out'"),
        ("loss('l1', [1], [1])", "loss(): unknown loss 'l1'"),
        ("one_hot(3, 3)", "one_hot(): class index out of range"),
    ],
)
def test_function_errors(source, words):
    with pytest.raises(ExpressionError) as info:
        evaluate(source, {})
    assert words in info.value.message
