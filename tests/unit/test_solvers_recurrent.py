"""solvers.recurrent: RNN, LSTM, GRU forward by hand, BPTT against central differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

import solvers

RNG = np.random.default_rng(20240904)
T, N, D, H = 4, 2, 3, 3


def sig(x):
    return 1.0 / (1.0 + math.exp(-x))


def params(blocks, with_c=False, bias=True):
    args = [RNG.normal(size=(T, N, D)), RNG.normal(size=(N, H))]
    if with_c:
        args.append(RNG.normal(size=(N, H)))
    args += [
        RNG.normal(size=(blocks * H, D)) * 0.6,
        RNG.normal(size=(blocks * H, H)) * 0.6,
        RNG.normal(size=blocks * H) if bias else None,
        RNG.normal(size=blocks * H) if bias else None,
    ]
    return args


def check_bptt(forward, backward, args, atol=1e-7, **kw):
    dhs = RNG.normal(size=(T, N, H))
    grads = backward(dhs, *args, **kw)
    assert len(grads) == len(args)
    for i, (a, g) in enumerate(zip(args, grads, strict=True)):
        if a is None:
            assert g is None
            continue

        def loss(v, i=i):
            changed = list(args)
            changed[i] = v
            return np.sum(dhs * forward(*changed, **kw)[0])

        np.testing.assert_allclose(g, solvers.numerical_gradient(loss, a), atol=atol)


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("bias", [True, False])
def test_rnn_backward(nonlinearity, bias):
    check_bptt(solvers.rnn, solvers.rnn_backward, params(1, bias=bias), nonlinearity=nonlinearity)


@pytest.mark.parametrize("bias", [True, False])
def test_lstm_backward(bias):
    check_bptt(solvers.lstm, solvers.lstm_backward, params(4, with_c=True, bias=bias))


@pytest.mark.parametrize("bias", [True, False])
def test_gru_backward(bias):
    check_bptt(solvers.gru, solvers.gru_backward, params(3, bias=bias))


def test_zero_initial_state_when_none():
    xs, _, W_ih, W_hh, b_ih, b_hh = params(1)
    hs, h_last = solvers.rnn(xs, None, W_ih, W_hh, b_ih, b_hh)
    np.testing.assert_array_equal(hs, solvers.rnn(xs, np.zeros((N, H)), W_ih, W_hh, b_ih, b_hh)[0])
    np.testing.assert_array_equal(h_last, hs[-1])
    grads = solvers.lstm_backward(np.ones((T, N, H)), xs, None, None, *params(4)[2:])
    assert grads[1].shape == (N, H) and grads[2].shape == (N, H)


def test_rnn_by_hand():
    # one unit, one input: h1 = tanh(0.5·1 + 0.1 + 2·0.3 + 0.2) = tanh(1.4)
    args = ([[[1.0]], [[-1.0]]], [[0.3]], [[0.5]], [[2.0]], [0.1], [0.2])
    hs, h_last = solvers.rnn(*args)
    h1 = math.tanh(1.4)
    h2 = math.tanh(-0.5 + 0.3 + 2.0 * h1)
    np.testing.assert_allclose(hs[:, 0, 0], [h1, h2], rtol=1e-15)
    relu_hs, _ = solvers.rnn(*args, nonlinearity="relu")
    np.testing.assert_allclose(relu_hs[:, 0, 0], [1.4, max(0.0, -0.2 + 2.8)], rtol=1e-15)


def test_one_lstm_step_by_hand():
    # H = 1, D = 1: rows of W_ih / W_hh are the gates i, f, g, o
    x, h0, c0 = 0.5, 0.2, -0.4
    wi, wh = [1.0, -1.0, 2.0, 0.5], [0.3, 0.7, -0.2, 1.5]
    bi, bh = [0.1, 0.2, 0.0, -0.1], [0.0, 0.1, 0.3, 0.2]
    pre = [wi[k] * x + wh[k] * h0 + bi[k] + bh[k] for k in range(4)]
    i, f, g, o = sig(pre[0]), sig(pre[1]), math.tanh(pre[2]), sig(pre[3])
    c1 = f * c0 + i * g
    h1 = o * math.tanh(c1)
    col = np.array(wi)[:, None]
    hs, h_last, c_last = solvers.lstm([[[x]]], [[h0]], [[c0]], col, np.array(wh)[:, None], bi, bh)
    assert hs[0, 0, 0] == pytest.approx(h1, rel=1e-14)
    assert h_last[0, 0] == pytest.approx(h1, rel=1e-14)
    assert c_last[0, 0] == pytest.approx(c1, rel=1e-14)


def test_one_gru_step_by_hand():
    x, h0 = -0.3, 0.6
    wi, wh = [0.4, -0.8, 1.2], [0.9, 0.2, -0.7]
    bi, bh = [0.1, 0.0, -0.2], [0.05, 0.3, 0.25]
    r = sig(wi[0] * x + bi[0] + wh[0] * h0 + bh[0])
    z = sig(wi[1] * x + bi[1] + wh[1] * h0 + bh[1])
    n = math.tanh(wi[2] * x + bi[2] + r * (wh[2] * h0 + bh[2]))  # r scales W_hn h + b_hn
    h1 = (1 - z) * n + z * h0
    hs, h_last = solvers.gru([[[x]]], [[h0]], np.array(wi)[:, None], np.array(wh)[:, None], bi, bh)
    assert hs[0, 0, 0] == pytest.approx(h1, rel=1e-14)
    assert h_last[0, 0] == pytest.approx(h1, rel=1e-14)


def test_gru_with_z_always_1_keeps_h0():
    xs, h0, W_ih, W_hh, b_ih, b_hh = params(3)
    b_ih = b_ih.copy()
    b_ih[H : 2 * H] = 1000.0  # z = σ(huge) = 1: h' = h
    hs, h_last = solvers.gru(xs, h0, W_ih, W_hh, b_ih, b_hh)
    for t in range(T):
        np.testing.assert_allclose(hs[t], h0, atol=1e-12)
    np.testing.assert_allclose(h_last, h0, atol=1e-12)


def test_lstm_forget_gate_closed_and_input_gate_open():
    # f = 0, i = 1, o = 1: c_t = g_t = tanh(W_ig x_t); the past is forgotten every step
    xs, h0, c0, W_ih, W_hh, _, _ = params(4, with_c=True)
    b = np.zeros(4 * H)
    b[:H], b[H : 2 * H], b[3 * H :] = 1000.0, -1000.0, 1000.0
    W_hh = W_hh.copy()
    W_hh[2 * H : 3 * H] = 0.0
    hs, _, c_last = solvers.lstm(xs, h0, c0, W_ih, W_hh, b, None)
    g = np.tanh(xs @ W_ih[2 * H : 3 * H].T)
    np.testing.assert_allclose(c_last, g[-1], atol=1e-12)
    np.testing.assert_allclose(hs, np.tanh(g), atol=1e-12)


def test_clip_grad_norm():
    grads = [np.array([3.0, 0.0]), np.array([[4.0]])]  # total norm 5
    clipped, total = solvers.clip_grad_norm(grads, 1.0)
    assert total == 5.0
    coef = 1.0 / (5.0 + 1e-6)
    np.testing.assert_allclose(clipped[0], [3 * coef, 0.0], rtol=1e-15)
    np.testing.assert_allclose(clipped[1], [[4 * coef]], rtol=1e-15)
    kept, total = solvers.clip_grad_norm(grads, 10.0)
    np.testing.assert_array_equal(kept[0], grads[0])
    assert kept[0] is not grads[0] and total == 5.0
    np.testing.assert_array_equal(grads[0], [3.0, 0.0])


def test_inputs_are_not_modified():
    args = params(4, with_c=True)
    dhs = RNG.normal(size=(T, N, H))
    copies = [a.copy() for a in args] + [dhs.copy()]
    solvers.lstm(*args)
    solvers.lstm_backward(dhs, *args)
    gru_args = [args[0], args[1], args[3][: 3 * H], args[4][: 3 * H], args[5][: 3 * H], None]
    solvers.gru(*gru_args)
    solvers.gru_backward(dhs, *gru_args)
    for a, c in zip([*args, dhs], copies, strict=True):
        np.testing.assert_array_equal(a, c)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: solvers.rnn(np.zeros((2, 3)), None, np.zeros((4, 3)), np.zeros((4, 4)), None, None), r"xs must have shape \(T, N, D\)"),
        (lambda: solvers.lstm(np.zeros((2, 1, 3)), None, None, np.zeros((8, 3)), np.zeros((8, 3)), None, None), r"W_hh must have shape \(4\*H, H\)"),
        (lambda: solvers.gru(np.zeros((2, 1, 3)), None, np.zeros((6, 2)), np.zeros((6, 2)), None, None), r"W_ih must have shape \(3\*H, D\) = \(6, 3\)"),
        (lambda: solvers.gru(np.zeros((2, 1, 3)), np.zeros((2, 2)), np.zeros((6, 3)), np.zeros((6, 2)), None, None), r"h0 must have shape \(N, H\) = \(1, 2\)"),
        (lambda: solvers.rnn(np.zeros((2, 1, 3)), None, np.zeros((2, 3)), np.zeros((2, 2)), np.zeros(3), None), r"b_ih must have shape \(H,\) = \(2,\)"),
        (lambda: solvers.rnn_backward(np.zeros((2, 1, 3)), np.zeros((2, 1, 3)), None, np.zeros((2, 3)), np.zeros((2, 2)), None, None), r"dhs must have shape \(T, N, H\) = \(2, 1, 2\)"),
        (lambda: solvers.rnn(np.zeros((2, 1, 3)), None, np.zeros((2, 3)), np.zeros((2, 2)), None, None, "sigmoid"), "nonlinearity must be"),
        (lambda: solvers.clip_grad_norm([np.ones(2)], -1.0), "max_norm must be"),
    ],
)  # fmt: skip
def test_shape_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
