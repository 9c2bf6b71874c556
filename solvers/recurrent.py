"""Recurrent layers (Elman RNN, LSTM, GRU) with full backpropagation through time.

Shapes and parameter layouts are PyTorch's (``batch_first=False``, one layer):
``xs`` (T, N, D), ``h0``/``c0`` (N, H) or None (zeros), ``W_ih`` (G·H, D),
``W_hh`` (G·H, H), ``b_ih``/``b_hh`` (G·H,) or None, where G is the number of
gate blocks stacked along the rows: 1 (RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n).

Each backward function recomputes the forward pass, keeps its gates, and
walks back from t = T − 1 to 0. The loss is Σ dhs·hs (the first output of the
forward function); the gradients come back in the order of the forward
arguments, ``None`` for inputs that were ``None``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._arrays import as_float
from ._layers import array_arg, optional_array, shape_error

__all__ = [
    "clip_grad_norm",
    "gru",
    "gru_backward",
    "lstm",
    "lstm_backward",
    "rnn",
    "rnn_backward",
]


class _Args(NamedTuple):
    xs: np.ndarray
    h0: np.ndarray
    W_ih: np.ndarray
    W_hh: np.ndarray
    b_ih: np.ndarray | None
    b_hh: np.ndarray | None
    c0: np.ndarray | None


def _args(fn, blocks, xs, h0, W_ih, W_hh, b_ih, b_hh, c0=None, with_c=False) -> _Args:
    g = {1: "", 3: "3*", 4: "4*"}[blocks]
    xs = array_arg(fn, "xs", xs, 3, "(T, N, D)")
    t, n, d = xs.shape
    if t == 0:
        raise shape_error(fn, "xs", "(T, N, D) with T ≥ 1", xs.shape)
    W_hh = array_arg(fn, "W_hh", W_hh, 2, f"({g}H, H)")
    h = W_hh.shape[1]
    if h == 0 or W_hh.shape[0] != blocks * h:
        raise shape_error(fn, "W_hh", f"({g}H, H)", W_hh.shape)
    W_ih = as_float(W_ih)
    if W_ih.shape != (blocks * h, d):
        raise shape_error(fn, "W_ih", f"({g}H, D) = {(blocks * h, d)}", W_ih.shape)
    state = f"(N, H) = {(n, h)}"
    h0 = np.zeros((n, h)) if h0 is None else optional_array(fn, "h0", h0, (n, h), state)
    if with_c:
        c0 = np.zeros((n, h)) if c0 is None else optional_array(fn, "c0", c0, (n, h), state)
    bias = f"({g}H,) = ({blocks * h},)"
    b_ih = optional_array(fn, "b_ih", b_ih, (blocks * h,), bias)
    b_hh = optional_array(fn, "b_hh", b_hh, (blocks * h,), bias)
    return _Args(xs, h0, W_ih, W_hh, b_ih, b_hh, c0)


def _input_part(a: _Args, with_hh_bias: bool = True, scale=None) -> np.ndarray:
    """xs W_ihᵀ + b_ih (+ b_hh) for every step at once, times ``scale``: (T, N, G·H)."""
    t, n, d = a.xs.shape
    W = a.W_ih if scale is None else a.W_ih * scale[:, None]
    out = a.xs.reshape(t * n, d) @ W.T
    for b in (a.b_ih, a.b_hh if with_hh_bias else None):
        if b is not None:
            out += b if scale is None else b * scale
    return out.reshape(t, n, -1)


def _sigmoid(x):
    """σ(x) = (1 + tanh(x/2)) / 2: the logistic function without overflow."""
    return 0.5 + 0.5 * np.tanh(0.5 * x)


def _dout(fn, dhs, xs_shape, h) -> np.ndarray:
    dhs = as_float(dhs)
    expected = (xs_shape[0], xs_shape[1], h)
    if dhs.shape != expected:
        raise shape_error(fn, "dhs", f"(T, N, H) = {expected}", dhs.shape)
    return dhs


def _param_grads(a: _Args, da, hs, dh0, da_hh=None, dc0=None):
    """dxs, dh0, (dc0,) dW_ih, dW_hh, db_ih, db_hh from the pre-activation gradients."""
    t, n, d = a.xs.shape
    da_hh = da if da_hh is None else da_hh
    hprev = np.concatenate([a.h0[None], hs[:-1]]).reshape(t * n, -1)
    da2, dah2 = da.reshape(t * n, -1), da_hh.reshape(t * n, -1)
    dxs = (da2 @ a.W_ih).reshape(t, n, d)
    dW_ih = da2.T @ a.xs.reshape(t * n, d)
    dW_hh = dah2.T @ hprev
    db_ih = None if a.b_ih is None else da2.sum(axis=0)
    db_hh = None if a.b_hh is None else dah2.sum(axis=0)
    states = (dh0,) if dc0 is None else (dh0, dc0)
    return (dxs, *states, dW_ih, dW_hh, db_ih, db_hh)


# --------------------------------------------------------------------------- Elman RNN


def _rnn_forward(a: _Args, nonlinearity: str) -> np.ndarray:
    pre = _input_part(a)
    hs = np.empty((*a.xs.shape[:2], a.h0.shape[1]))
    h, W = a.h0, np.ascontiguousarray(a.W_hh.T)
    for t in range(len(pre)):
        u = pre[t] + h @ W
        h = np.tanh(u) if nonlinearity == "tanh" else np.maximum(u, 0.0)
        hs[t] = h
    return hs


def _nonlinearity(fn, name) -> str:
    if name not in ("tanh", "relu"):
        raise ValueError(f"{fn}: nonlinearity must be 'tanh' or 'relu', got {name!r}")
    return name


def rnn(xs, h0, W_ih, W_hh, b_ih, b_hh, nonlinearity="tanh"):
    """h_t = f(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh), f = tanh or relu.

    Returns ``(hs, h_T)``: hs (T, N, H) and the last state (N, H). Equal to
    ``torch.nn.RNN(D, H, nonlinearity)`` with these weights.
    """
    nonlinearity = _nonlinearity("rnn", nonlinearity)
    hs = _rnn_forward(_args("rnn", 1, xs, h0, W_ih, W_hh, b_ih, b_hh), nonlinearity)
    return hs, hs[-1].copy()


def rnn_backward(dhs, xs, h0, W_ih, W_hh, b_ih, b_hh, nonlinearity="tanh"):
    """BPTT of Σ dhs·hs: δ_t = (dhs_t + δ_{t+1} W_hh) ⊙ f'(u_t).

    Returns ``(dxs, dh0, dW_ih, dW_hh, db_ih, db_hh)``.
    """
    fn = "rnn_backward"
    nonlinearity = _nonlinearity(fn, nonlinearity)
    a = _args(fn, 1, xs, h0, W_ih, W_hh, b_ih, b_hh)
    hs = _rnn_forward(a, nonlinearity)
    dhs = _dout(fn, dhs, a.xs.shape, a.h0.shape[1])
    dact = 1.0 - hs * hs if nonlinearity == "tanh" else (hs > 0.0).astype(np.float64)
    da = np.empty(hs.shape)
    dh = np.zeros(a.h0.shape)
    for t in range(len(hs) - 1, -1, -1):
        da[t] = (dhs[t] + dh) * dact[t]
        dh = da[t] @ a.W_hh
    return _param_grads(a, da, hs, dh)


# --------------------------------------------------------------------------- LSTM


def _lstm_forward(a: _Args):
    """hs, cs, tanh(cs) and the activated gates (T, N, 4, H) [i, f, g, o] of every step.

    Each step is one matrix product [h_{t−1}, x_t, 1] @ [W_hh; W_ih; b]ᵀ (h is written
    straight into the next step's row), and one tanh for all four gates:
    σ(u) = (1 + tanh(u/2)) / 2, the columns of i, f, o halved once (an exact scaling).
    """
    t_len, n, d = a.xs.shape
    h_size = a.h0.shape[1]
    half = np.full(4 * h_size, 0.5)
    half[2 * h_size : 3 * h_size] = 1.0  # the g gate takes tanh itself
    add = np.where(half == 0.5, 0.5, 0.0)
    rows = np.empty((t_len + 1, n, h_size + d + 1))  # [h_{t-1}, x_t, 1]
    rows[0, :, :h_size] = a.h0
    rows[:-1, :, h_size:-1] = a.xs
    rows[:, :, -1] = 1.0
    bias = np.zeros(4 * h_size)
    for b in (a.b_ih, a.b_hh):
        bias = bias if b is None else bias + b
    W = np.concatenate([a.W_hh, a.W_ih, np.zeros((4 * h_size, 1)) + bias[:, None]], axis=1)
    W = np.ascontiguousarray(W.T * half)
    gates = np.empty((t_len, n, 4 * h_size))
    cs, tanh_c = np.empty((t_len, n, h_size)), np.empty((t_len, n, h_size))
    c, ig = a.c0, np.empty((n, h_size))
    i, f, g, o = (slice(k * h_size, (k + 1) * h_size) for k in range(4))
    for t in range(t_len):
        s = np.matmul(rows[t], W, out=gates[t])
        np.tanh(s, out=s)
        s *= half
        s += add
        c = np.multiply(s[:, f], c, out=cs[t])
        c += np.multiply(s[:, i], s[:, g], out=ig)
        np.multiply(s[:, o], np.tanh(c, out=tanh_c[t]), out=rows[t + 1, :, :h_size])
    hs = rows[1:, :, :h_size].copy()
    return hs, cs, tanh_c, gates.reshape(t_len, n, 4, h_size)


def lstm(xs, h0, c0, W_ih, W_hh, b_ih, b_hh):
    """One LSTM layer, gates stacked in the order i, f, g, o (PyTorch's):

    (i, f, g, o) = (σ, σ, tanh, σ)(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh)
    c_t = f ⊙ c_{t−1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)

    Returns ``(hs, h_T, c_T)``; equal to ``torch.nn.LSTM(D, H)`` with these weights.
    """
    a = _args("lstm", 4, xs, h0, W_ih, W_hh, b_ih, b_hh, c0, with_c=True)
    hs, cs, _, _ = _lstm_forward(a)
    return hs, hs[-1].copy(), cs[-1].copy()


def lstm_backward(dhs, xs, h0, c0, W_ih, W_hh, b_ih, b_hh):
    """BPTT of Σ dhs·hs through the LSTM (the cell state carries dc back, scaled by f).

    dh_t = dhs_t + δ_{t+1} W_hh;  dc_t = dc_{t+1}·f_{t+1} + dh_t·o_t·(1 − tanh² c_t);
    δ_t = [dc·g·i(1 − i), dc·c_{t−1}·f(1 − f), dc·i·(1 − g²), dh·tanh c_t·o(1 − o)].
    Returns ``(dxs, dh0, dc0, dW_ih, dW_hh, db_ih, db_hh)``.
    """
    fn = "lstm_backward"
    a = _args(fn, 4, xs, h0, W_ih, W_hh, b_ih, b_hh, c0, with_c=True)
    hs, cs, tanh_c, gates = _lstm_forward(a)
    t_len, n, h_size = hs.shape
    dhs = _dout(fn, dhs, a.xs.shape, h_size)
    i, f, g, o = (gates[:, :, k] for k in range(4))
    # everything but dh and dc, for all steps at once: δ_{i,f,g} = dc·ifg, δ_o = dh·od
    slope = gates * (1.0 - gates)  # σ' for i, f, o
    ifg = np.empty((t_len, n, 3, h_size))
    np.multiply(g, slope[:, :, 0], out=ifg[:, :, 0])
    np.multiply(cs[:-1], slope[1:, :, 1], out=ifg[1:, :, 1])
    np.multiply(a.c0, slope[0, :, 1], out=ifg[0, :, 1])
    np.multiply(i, 1.0 - g * g, out=ifg[:, :, 2])
    od = tanh_c * slope[:, :, 3]
    dc_from_h = o * (1.0 - tanh_c * tanh_c)
    da = np.empty((t_len, n, 4, h_size))
    dh, dc = np.zeros((n, h_size)), np.zeros((n, h_size))
    for t in range(t_len - 1, -1, -1):
        dh += dhs[t]
        dc += dh * dc_from_h[t]
        np.multiply(ifg[t], dc[:, None, :], out=da[t, :, :3])
        np.multiply(dh, od[t], out=da[t, :, 3])
        dc *= f[t]
        dh = da[t].reshape(n, 4 * h_size) @ a.W_hh
    return _param_grads(a, da.reshape(t_len, n, 4 * h_size), hs, dh, dc0=dc)


# --------------------------------------------------------------------------- GRU


def _gru_forward(a: _Args):
    """hs and the gates r, z, n and W_hn h + b_hn of every step."""
    pre = _input_part(a, with_hh_bias=False)
    t_len, n, gh = pre.shape
    h_size = gh // 3
    hs, rz, ns, hn = (np.empty((t_len, n, k * h_size)) for k in (1, 2, 1, 1))
    h, W = a.h0, np.ascontiguousarray(a.W_hh.T)
    for t in range(t_len):
        u = h @ W
        if a.b_hh is not None:
            u += a.b_hh
        rz[t] = _sigmoid(pre[t, :, : 2 * h_size] + u[:, : 2 * h_size])
        r, z = rz[t, :, :h_size], rz[t, :, h_size:]
        hn[t] = u[:, 2 * h_size :]
        ns[t] = np.tanh(pre[t, :, 2 * h_size :] + r * hn[t])
        h = (1.0 - z) * ns[t] + z * h
        hs[t] = h
    return hs, rz, ns, hn


def gru(xs, h0, W_ih, W_hh, b_ih, b_hh):
    """One GRU layer, gates stacked in the order r, z, n (PyTorch's):

    r = σ(W_ir x + b_ir + W_hr h + b_hr);  z = σ(W_iz x + b_iz + W_hz h + b_hz)
    n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn));  h' = (1 − z) ⊙ n + z ⊙ h

    Returns ``(hs, h_T)``; equal to ``torch.nn.GRU(D, H)`` with these weights.
    """
    hs = _gru_forward(_args("gru", 3, xs, h0, W_ih, W_hh, b_ih, b_hh))[0]
    return hs, hs[-1].copy()


def gru_backward(dhs, xs, h0, W_ih, W_hh, b_ih, b_hh):
    """BPTT of Σ dhs·hs through the GRU.

    dn = dh(1 − z), dz = dh(h_{t−1} − n), and dh_{t−1} = dh·z + (the gate pre-activation
    gradients)·W_hh, where the n block on the hidden side is scaled by r.
    Returns ``(dxs, dh0, dW_ih, dW_hh, db_ih, db_hh)``.
    """
    fn = "gru_backward"
    a = _args(fn, 3, xs, h0, W_ih, W_hh, b_ih, b_hh)
    hs, rz, ns, hn = _gru_forward(a)
    h_size = a.h0.shape[1]
    dhs = _dout(fn, dhs, a.xs.shape, h_size)
    hprev = np.concatenate([a.h0[None], hs[:-1]])
    drz_act = rz * (1.0 - rz)
    dn_act = 1.0 - ns * ns
    d_in, d_hid = np.empty(rz.shape[:2] + (3 * h_size,)), np.empty(rz.shape[:2] + (3 * h_size,))
    dh = np.zeros(a.h0.shape)
    for t in range(len(hs) - 1, -1, -1):
        r, z = rz[t, :, :h_size], rz[t, :, h_size:]
        dh = dhs[t] + dh
        dn = dh * (1.0 - z) * dn_act[t]
        di, dd = d_in[t], d_hid[t]
        di[:, :h_size] = dn * hn[t]
        di[:, h_size : 2 * h_size] = dh * (hprev[t] - ns[t])
        di[:, : 2 * h_size] *= drz_act[t]
        di[:, 2 * h_size :] = dn
        dd[:, : 2 * h_size] = di[:, : 2 * h_size]
        dd[:, 2 * h_size :] = dn * r
        dh = dh * z + dd @ a.W_hh
    return _param_grads(a, d_in, hs, dh, da_hh=d_hid)


# --------------------------------------------------------------------------- clipping


def clip_grad_norm(grads, max_norm):
    """Scale every gradient by min(1, max_norm / (‖g‖ + 1e-6)), ‖g‖ the norm of all of them.

    ``grads``: a list of arrays (one array is taken as a list of one). Returns
    ``(clipped, total_norm)``: a list of new arrays and ‖g‖ = √(Σ Σ g²), as
    ``torch.nn.utils.clip_grad_norm_`` (which scales in place; this does not).
    """
    if isinstance(grads, np.ndarray):
        grads = [grads]
    arrays = [as_float(g) for g in grads]
    max_norm = float(max_norm)
    if not max_norm >= 0:
        raise ValueError(f"clip_grad_norm: max_norm must be ≥ 0, got {max_norm!r}")
    total = math.sqrt(sum(float(np.sum(g * g)) for g in arrays))
    coef = min(1.0, max_norm / (total + 1e-6))
    return [g * coef for g in arrays], total
