"""solvers.MLP: forward pass and backpropagation against numerical gradients."""

from __future__ import annotations

import dataclasses
import zlib

import numpy as np
import pytest

import solvers


def relative_error(a, b) -> float:
    """‖a − b‖ / max(‖a‖, ‖b‖) (0 when both are 0)."""
    a, b = np.asarray(a), np.asarray(b)
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def random_net(rng, sizes, acts):
    ws = [
        rng.normal(0.0, 0.8, size=(n_out, n_in))
        for n_in, n_out in zip(sizes, sizes[1:], strict=False)
    ]
    bs = [rng.normal(0.0, 0.3, size=n_out) for n_out in sizes[1:]]
    return ws, bs, acts


def random_targets(rng, y_shape, loss, target_kind):
    k_out = y_shape[-1]
    if loss == "cross_entropy":
        k = rng.integers(0, k_out, size=y_shape[:-1])
        if target_kind == "index":
            return k if k.ndim else int(k)
        return solvers.one_hot(k, k_out)
    if loss == "binary_cross_entropy":
        return rng.integers(0, 2, size=y_shape).astype(float)
    return rng.normal(size=y_shape)


def numerical_param_grads(ws, bs, acts, x, d, loss):
    """∂E/∂W_l and ∂E/∂b_l by central differences, E from forward() and solvers.loss."""

    def loss_with(layer, which):
        def f(p):
            ws2, bs2 = list(ws), list(bs)
            (ws2 if which == "w" else bs2)[layer] = p
            y = solvers.MLP(ws2, bs2, acts).forward(x)
            return solvers.loss(loss, y, d)

        return f

    gw = [solvers.numerical_gradient(loss_with(i, "w"), w, h=1e-5) for i, w in enumerate(ws)]
    gb = [solvers.numerical_gradient(loss_with(i, "b"), b, h=1e-5) for i, b in enumerate(bs)]
    return gw, gb


# (output activation, loss, target kind)
OUTPUTS = [
    ("identity", "mse", None),
    ("sigmoid", "mse", None),
    ("tanh", "mse", None),
    ("softmax", "mse", None),  # the Jacobian path
    ("softmax", "cross_entropy", "one_hot"),  # the fused path
    ("softmax", "cross_entropy", "index"),
    ("sigmoid", "binary_cross_entropy", None),  # the fused path
    ("identity", "cross_entropy", "one_hot"),  # the generic path with −d/y
]
HIDDEN = ["sigmoid", "tanh", "relu", "identity", "leaky_relu", "elu", "softplus", "silu"]


def cases():
    for out, loss, kind in OUTPUTS:
        for depth in (1, 2, 3):
            hiddens = HIDDEN if depth > 1 else [None]
            for hidden in hiddens:
                for batch in (None, 4):
                    if out == "identity" and loss == "cross_entropy" and (depth > 1 or batch):
                        continue  # needs positive outputs: one small case only
                    yield pytest.param(
                        out,
                        loss,
                        kind,
                        depth,
                        hidden,
                        batch,
                        id=f"{out}-{loss}-{kind}-L{depth}-{hidden}-N{batch}",
                    )


@pytest.mark.parametrize(("out", "loss", "kind", "depth", "hidden", "batch"), list(cases()))
def test_backward_matches_numerical_gradients(out, loss, kind, depth, hidden, batch):
    rng = np.random.default_rng(zlib.crc32(f"{out}{loss}{kind}{depth}{hidden}{batch}".encode()))
    sizes = [3, 4, 5, 3][:depth] + [3]
    acts = [hidden] * (depth - 1) + [out]
    ws, bs, acts = random_net(rng, sizes, acts)
    x = rng.normal(size=(batch, sizes[0]) if batch else (sizes[0],))
    if out == "identity" and loss == "cross_entropy":
        ws, bs = [np.abs(w) for w in ws], [np.abs(b) + 0.5 for b in bs]
        x = np.abs(x) + 0.1  # positive outputs, a valid −Σ d log y
    y_shape = (batch, sizes[-1]) if batch else (sizes[-1],)
    d = random_targets(rng, y_shape, loss, kind)

    grads = solvers.MLP(ws, bs, acts).backward(x, d, loss=loss)
    gw, gb = numerical_param_grads(ws, bs, acts, x, d, loss)
    for i in range(depth):
        assert grads.weights[i].shape == ws[i].shape
        assert grads.biases[i].shape == bs[i].shape
        assert relative_error(grads.weights[i], gw[i]) < 1e-6, f"dW[{i}]"
        assert relative_error(grads.biases[i], gb[i]) < 1e-6, f"db[{i}]"
    y = solvers.MLP(ws, bs, acts).forward(x)
    assert grads.loss == pytest.approx(solvers.loss(loss, y, d), rel=1e-15)


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu"])
def test_deltas_match_numerical_gradient_wrt_u(hidden):
    """δ_l = ∂E/∂u_l: perturb u_l and run the rest of the network by hand."""
    rng = np.random.default_rng(21)
    ws, bs, acts = random_net(rng, [3, 4, 2], [hidden, "softmax"])
    x = rng.normal(size=(5, 3))
    d = rng.integers(0, 2, size=5)
    g = solvers.MLP(ws, bs, acts).backward(x, d, loss="cross_entropy")

    def loss_from_u0(u0):
        z1 = solvers.activation(hidden, u0)
        y = solvers.softmax(z1 @ ws[1].T + bs[1])
        return solvers.cross_entropy(y, d)

    def loss_from_u1(u1):
        return solvers.cross_entropy(solvers.softmax(u1), d)

    np.testing.assert_allclose(
        g.deltas[0], solvers.numerical_gradient(loss_from_u0, g.u[0], h=1e-6), atol=1e-9
    )
    np.testing.assert_allclose(
        g.deltas[1], solvers.numerical_gradient(loss_from_u1, g.u[1], h=1e-6), atol=1e-9
    )


# ----------------------------------------------------------------- the seed's formula


def test_linear_output_with_mse_gives_error_times_input():
    """∂E/∂w_ji = (y_j − d_j) z_i for a linear output layer with E = ½ Σ (y − d)²."""
    rng = np.random.default_rng(31)
    w = rng.normal(size=(3, 4))
    b = rng.normal(size=3)
    z = rng.normal(size=4)
    d = rng.normal(size=3)
    net = solvers.MLP([w], [b], ["identity"])
    y = w @ z + b
    g = net.backward(z, d, loss="mse")
    for j in range(3):
        assert g.biases[0][j] == pytest.approx(y[j] - d[j], rel=1e-14)
        for i in range(4):
            assert g.weights[0][j, i] == pytest.approx((y[j] - d[j]) * z[i], rel=1e-13)


def test_linear_output_formula_holds_for_the_last_layer_of_a_deep_net():
    rng = np.random.default_rng(32)
    ws, bs, acts = random_net(rng, [2, 3, 2], ["sigmoid", "identity"])
    x = rng.normal(size=2)
    d = np.array([0.3, -0.2])
    g = solvers.MLP(ws, bs, acts).backward(x, d)
    y, z = g.z[2], g.z[1]  # output and the hidden layer feeding it
    np.testing.assert_allclose(g.weights[1], np.outer(y - d, z), rtol=1e-14)


def test_hand_computed_two_layer_example():
    # hidden u = 0 → z = σ(0) = [0.5, 0.5]; y = 1·0.5 + 1·0.5 = 1; d = 0; E = ½ · 1² = 0.5
    # δ2 = y − d = 1; dW2 = δ2 · z = [[0.5, 0.5]]; db2 = [1]
    # δ1 = (δ2 W2) ⊙ σ'(0) = [1, 1] · 0.25 = [0.25, 0.25]
    # dW1 = outer(δ1, x) with x = [1, 2]: [[0.25, 0.5], [0.25, 0.5]]
    net = solvers.MLP(
        [np.zeros((2, 2)), np.array([[1.0, 1.0]])],
        [np.zeros(2), np.zeros(1)],
        ["sigmoid", "identity"],
    )
    g = net.backward([1.0, 2.0], [0.0])
    assert g.loss == 0.5
    np.testing.assert_array_equal(g.z[1], [0.5, 0.5])
    np.testing.assert_array_equal(g.weights[1], [[0.5, 0.5]])
    np.testing.assert_array_equal(g.biases[1], [1.0])
    np.testing.assert_array_equal(g.deltas[0], [0.25, 0.25])
    np.testing.assert_array_equal(g.weights[0], [[0.25, 0.5], [0.25, 0.5]])
    np.testing.assert_array_equal(g.biases[0], [0.25, 0.25])


# ----------------------------------------------------------------- shapes and conventions


def test_forward_follows_u_equals_w_z_plus_b():
    rng = np.random.default_rng(41)
    ws, bs, acts = random_net(rng, [3, 4, 2], ["tanh", "identity"])
    net = solvers.MLP(ws, bs, acts)
    x = rng.normal(size=(6, 3))
    y = net.forward(x)
    np.testing.assert_allclose(y, np.tanh(x @ ws[0].T + bs[0]) @ ws[1].T + bs[1], rtol=1e-14)
    np.testing.assert_allclose(net.forward(x[2]), ws[1] @ np.tanh(ws[0] @ x[2] + bs[0]) + bs[1])
    assert net.sizes == [3, 4, 2]
    assert net.activations == ["tanh", "identity"]


def test_single_sample_results_are_one_dimensional():
    rng = np.random.default_rng(42)
    ws, bs, acts = random_net(rng, [3, 4, 2], ["relu", "softmax"])
    g = solvers.MLP(ws, bs, acts).backward(rng.normal(size=3), 1, loss="cross_entropy")
    assert [dl.shape for dl in g.deltas] == [(4,), (2,)]
    assert [u.shape for u in g.u] == [(4,), (2,)]
    assert [z.shape for z in g.z] == [(3,), (4,), (2,)]
    assert [w.shape for w in g.weights] == [(4, 3), (2, 4)]
    assert [b.shape for b in g.biases] == [(4,), (2,)]
    assert isinstance(g.loss, float)


def test_batch_results_and_intermediates():
    rng = np.random.default_rng(43)
    ws, bs, acts = random_net(rng, [3, 4, 2], ["relu", "softmax"])
    x = rng.normal(size=(5, 3))
    g = solvers.MLP(ws, bs, acts).backward(x, [0, 1, 1, 0, 1], loss="cross_entropy")
    assert [dl.shape for dl in g.deltas] == [(5, 4), (5, 2)]
    np.testing.assert_array_equal(g.z[0], x)
    np.testing.assert_allclose(g.u[0], x @ ws[0].T + bs[0], rtol=1e-15)
    np.testing.assert_array_equal(g.z[1], np.maximum(g.u[0], 0.0))
    np.testing.assert_allclose(g.weights[0], g.deltas[0].T @ x, rtol=1e-15)
    np.testing.assert_allclose(g.biases[1], g.deltas[1].sum(axis=0), rtol=1e-15)


def test_batch_gradient_is_the_mean_of_sample_gradients():
    rng = np.random.default_rng(44)
    ws, bs, acts = random_net(rng, [3, 4, 2], ["sigmoid", "identity"])
    net = solvers.MLP(ws, bs, acts)
    x, d = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    batch = net.backward(x, d)
    singles = [net.backward(x[n], d[n]) for n in range(6)]
    for i in range(2):
        mean_w = np.mean([s.weights[i] for s in singles], axis=0)
        np.testing.assert_allclose(batch.weights[i], mean_w, rtol=1e-12)
    assert batch.loss == pytest.approx(np.mean([s.loss for s in singles]), rel=1e-14)


def test_fused_softmax_cross_entropy_delta_is_y_minus_t_over_n():
    rng = np.random.default_rng(45)
    ws, bs, acts = random_net(rng, [3, 4], ["softmax"])
    x = rng.normal(size=(5, 3))
    k = np.array([0, 3, 2, 2, 1])
    g = solvers.MLP(ws, bs, acts).backward(x, k, loss="cross_entropy")
    np.testing.assert_allclose(g.deltas[0], (g.z[1] - solvers.one_hot(k, 4)) / 5, rtol=1e-15)


def test_leaky_relu_with_keywords():
    rng = np.random.default_rng(46)
    ws, bs, _ = random_net(rng, [3, 4, 2], [])
    acts = [("leaky_relu", {"alpha": 0.2}), "identity"]
    x, d = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    g = solvers.MLP(ws, bs, acts).backward(x, d)
    gw, gb = numerical_param_grads(ws, bs, acts, x, d, "mse")
    assert relative_error(g.weights[0], gw[0]) < 1e-6
    np.testing.assert_allclose(g.z[1], solvers.leaky_relu(g.u[0], alpha=0.2))


def test_gradients_is_frozen():
    net = solvers.MLP([np.eye(2)], [np.zeros(2)], ["identity"])
    g = net.backward([1.0, 2.0], [0.0, 0.0])
    assert dataclasses.is_dataclass(g)
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.loss = 0.0  # type: ignore[misc]


def test_network_keeps_its_own_copy_of_the_parameters():
    w, b = np.eye(2), np.zeros(2)
    net = solvers.MLP([w], [b], ["identity"])
    w[0, 0] = 100.0
    b[:] = 5.0
    np.testing.assert_array_equal(net.forward([1.0, 2.0]), [1.0, 2.0])
    net.weights[0][1, 1] = 7.0  # a copy: no effect either
    np.testing.assert_array_equal(net.forward([1.0, 2.0]), [1.0, 2.0])


def test_input_of_backward_is_returned_read_only():
    x = np.array([1.0, 2.0])
    g = solvers.MLP([np.eye(2)], [np.zeros(2)], ["identity"]).backward(x, [0.0, 0.0])
    with pytest.raises(ValueError):
        g.z[0][0] = 5.0
    assert x.flags.writeable


# ----------------------------------------------------------------- errors


def test_constructor_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"weights\[1\] has shape \(2, 5\).*\(4, 3\)"):
        solvers.MLP(
            [np.zeros((4, 3)), np.zeros((2, 5))], [np.zeros(4), np.zeros(2)], ["relu", "identity"]
        )
    with pytest.raises(ValueError, match=r"biases\[0\] has shape \(3,\).*\(4, 3\)"):
        solvers.MLP([np.zeros((4, 3))], [np.zeros(3)], ["relu"])
    with pytest.raises(ValueError, match="one of each per layer"):
        solvers.MLP([np.zeros((4, 3))], [np.zeros(4)], ["relu", "relu"])
    with pytest.raises(ValueError, match="unknown activation 'ReLU'"):
        solvers.MLP([np.zeros((4, 3))], [np.zeros(4)], ["ReLU"])
    with pytest.raises(ValueError, match="one activation per layer"):
        solvers.MLP([np.zeros((4, 3))], [np.zeros(4)], "relu")
    with pytest.raises(ValueError, match="at least one layer"):
        solvers.MLP([], [], [])


def test_input_and_target_errors():
    net = solvers.MLP([np.zeros((4, 3))], [np.zeros(4)], ["softmax"])
    with pytest.raises(ValueError, match=r"input x has shape \(2,\).*\(3,\)"):
        net.forward([1.0, 2.0])
    with pytest.raises(ValueError, match=r"input x has shape \(1, 1, 3\)"):
        net.forward(np.zeros((1, 1, 3)))
    with pytest.raises(ValueError, match=r"\(4,\).*\(3,\)"):
        net.backward([1.0, 2.0, 3.0], [0.0, 1.0, 0.0])
    with pytest.raises(ValueError, match="unknown loss"):
        net.backward([1.0, 2.0, 3.0], 1, loss="nll")
