"""Scaled dot-product and multi-head attention, sinusoidal positions, embeddings.

Attention: Q (..., Lq, d), K (..., Lk, d), V (..., Lk, dv) with the same
leading (batch) dimensions. A mask is a bool array broadcastable to
(..., Lq, Lk): True = the query may attend to that key (PyTorch's
``scaled_dot_product_attention`` convention); every query must be allowed at
least one key.
"""

from __future__ import annotations

import math

import numpy as np

from ._arrays import as_float
from ._layers import array_arg, int_arg, optional_array, shape_error

__all__ = [
    "attention_backward",
    "embedding",
    "embedding_backward",
    "multi_head_attention",
    "multi_head_attention_backward",
    "positional_encoding",
    "scaled_dot_product_attention",
]


def _mask(fn, mask, shape):
    if mask is None:
        return None
    m = np.asarray(mask)
    if m.dtype != np.bool_:
        raise ValueError(f"{fn}: mask must be a bool array (True = may attend), got {m.dtype}")
    try:
        m = np.broadcast_to(m, shape)
    except ValueError:
        raise shape_error(
            fn, "mask", f"broadcastable to (..., Lq, Lk) = {shape}", m.shape
        ) from None
    if not m.any(axis=-1).all():
        raise ValueError(f"{fn}: every query must be allowed to attend to at least one key")
    return m


def _qkv(fn, Q, K, V):
    Q = array_arg(fn, "Q", Q, tuple(range(2, 33)), "(..., Lq, d)")
    K = as_float(K)
    V = as_float(V)
    lead, d = Q.shape[:-2], Q.shape[-1]
    if K.shape[:-2] != lead or K.ndim != Q.ndim or K.shape[-1] != d:
        raise shape_error(fn, "K", f"(..., Lk, d) = {(*lead, 'Lk', d)}", K.shape)
    if V.shape[:-1] != K.shape[:-1] or V.ndim != K.ndim:
        raise shape_error(fn, "V", f"(..., Lk, dv) = {(*K.shape[:-1], 'dv')}", V.shape)
    if d == 0 or K.shape[-2] == 0:
        raise shape_error(fn, "K", "(..., Lk, d) with Lk, d ≥ 1", K.shape)
    return Q, K, V


def _weights(Q, K, mask):
    scores = Q @ np.swapaxes(K, -1, -2) / math.sqrt(Q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=-1, keepdims=True)


def scaled_dot_product_attention(Q, K, V, mask=None):
    """out = softmax(Q Kᵀ / √d, masked) V.

    Returns ``(out, weights)``: out (..., Lq, dv), weights (..., Lq, Lk) (rows sum to 1,
    0 where the mask is False). ``out`` equals
    ``torch.nn.functional.scaled_dot_product_attention(Q, K, V, attn_mask=mask)``.
    """
    fn = "scaled_dot_product_attention"
    Q, K, V = _qkv(fn, Q, K, V)
    w = _weights(Q, K, _mask(fn, mask, (*Q.shape[:-1], K.shape[-2])))
    return w @ V, w


def attention_backward(dout, Q, K, V, mask=None):
    """(dQ, dK, dV) of Σ dout·out for out = softmax(Q Kᵀ/√d) V:

    dV = Aᵀ dout;  dA = dout Vᵀ;  dS = A ⊙ (dA − Σ_k dA ⊙ A);  dQ = dS K/√d;  dK = dSᵀ Q/√d.
    """
    fn = "attention_backward"
    Q, K, V = _qkv(fn, Q, K, V)
    w = _weights(Q, K, _mask(fn, mask, (*Q.shape[:-1], K.shape[-2])))
    dout = as_float(dout)
    expected = (*Q.shape[:-1], V.shape[-1])
    if dout.shape != expected:
        raise shape_error(fn, "dout", f"(..., Lq, dv) = {expected}", dout.shape)
    dV = np.swapaxes(w, -1, -2) @ dout
    dA = dout @ np.swapaxes(V, -1, -2)
    dS = w * (dA - (dA * w).sum(axis=-1, keepdims=True)) / math.sqrt(Q.shape[-1])
    return dS @ K, np.swapaxes(dS, -1, -2) @ Q, dV


# --------------------------------------------------------------------------- multi-head


def _mha_args(fn, q, k, v, Ws, bs, num_heads):
    q = array_arg(fn, "q", q, 3, "(N, Lq, E)")
    n, _, e = q.shape
    k = array_arg(fn, "k", k, 3, f"(N, Lk, E) = ({n}, Lk, {e})")
    v = as_float(v)
    if k.shape[0] != n or k.shape[2] != e:
        raise shape_error(fn, "k", f"(N, Lk, E) = ({n}, Lk, {e})", k.shape)
    if v.shape != k.shape:
        raise shape_error(fn, "v", f"the shape of k {k.shape}", v.shape)
    names = ("W_q", "W_k", "W_v", "W_o")
    Ws = [
        optional_array(fn, nm, W, (e, e), f"(E, E) = ({e}, {e})")
        for nm, W in zip(names, Ws, strict=True)
    ]
    if any(W is None for W in Ws):
        raise ValueError(f"{fn}: W_q, W_k, W_v and W_o are required")
    bnames = ("b_q", "b_k", "b_v", "b_o")
    bs = [
        optional_array(fn, nm, b, (e,), f"(E,) = ({e},)") for nm, b in zip(bnames, bs, strict=True)
    ]
    h = int_arg(fn, "num_heads", num_heads, 1)
    if e % h:
        raise ValueError(f"{fn}: num_heads={h} must divide the embedding size E={e}")
    return q, k, v, Ws, bs, h


def _project(x, W, b):
    y = x @ W.T
    return y if b is None else y + b


def _split(x, h):
    """(N, L, E) -> (N, heads, L, E / heads)."""
    n, length, e = x.shape
    return x.reshape(n, length, h, e // h).transpose(0, 2, 1, 3)


def _merge(x):
    n, h, length, dh = x.shape
    return x.transpose(0, 2, 1, 3).reshape(n, length, h * dh)


def _mha_forward(fn, q, k, v, Ws, bs, num_heads, mask):
    q, k, v, Ws, bs, h = _mha_args(fn, q, k, v, Ws, bs, num_heads)
    heads = [
        _split(_project(x, W, b), h) for x, W, b in zip((q, k, v), Ws[:3], bs[:3], strict=True)
    ]
    if mask is not None and np.shape(mask) != (q.shape[1], k.shape[1]):
        raise shape_error(fn, "mask", f"(Lq, Lk) = {(q.shape[1], k.shape[1])}", np.shape(mask))
    m = _mask(fn, mask, (q.shape[1], k.shape[1]))
    w = _weights(*heads[:2], m)
    return (q, k, v, Ws, bs, h, m), heads, w, _merge(w @ heads[2])


def multi_head_attention(q, k, v, W_q, W_k, W_v, W_o, b_q, b_k, b_v, b_o, num_heads, mask=None):
    """out = concat_h(softmax(Q_h K_hᵀ / √(E/heads)) V_h) W_oᵀ + b_o, Q = q W_qᵀ + b_q, ….

    q (N, Lq, E), k and v (N, Lk, E), W_* (E, E) as (out, in), b_* (E,) or None,
    mask (Lq, Lk) bool, True = may attend (the inverse of nn.MultiheadAttention's
    bool attn_mask). Returns ``(out (N, Lq, E), weights (N, heads, Lq, Lk))``, the
    weights per head, not averaged. Equal to ``torch.nn.MultiheadAttention(E, heads,
    batch_first=True)`` with in_proj_weight = [W_q; W_k; W_v], out_proj = W_o
    (``average_attn_weights=False``).
    """
    _, _, w, ctx = _mha_forward(
        "multi_head_attention",
        q,
        k,
        v,
        (W_q, W_k, W_v, W_o),
        (b_q, b_k, b_v, b_o),
        num_heads,
        mask,
    )
    return _project(ctx, W_o, b_o), w


def multi_head_attention_backward(
    dout, q, k, v, W_q, W_k, W_v, W_o, b_q, b_k, b_v, b_o, num_heads, mask=None
):
    """Gradients of Σ dout·out for :func:`multi_head_attention` (out is its first result).

    Returns ``(dq, dk, dv, dW_q, dW_k, dW_v, dW_o, db_q, db_k, db_v, db_o)``,
    ``None`` for biases that were ``None``.
    """
    fn = "multi_head_attention_backward"
    (q, k, v, Ws, bs, h, m), (Qh, Kh, Vh), w, ctx = _mha_forward(
        fn, q, k, v, (W_q, W_k, W_v, W_o), (b_q, b_k, b_v, b_o), num_heads, mask
    )
    dout = as_float(dout)
    if dout.shape != q.shape:
        raise shape_error(fn, "dout", f"(N, Lq, E) = {q.shape}", dout.shape)
    e = q.shape[2]
    dW_o = dout.reshape(-1, e).T @ ctx.reshape(-1, e)
    db_o = None if bs[3] is None else dout.sum(axis=(0, 1))
    dctx = _split(dout @ Ws[3], h)
    dV = np.swapaxes(w, -1, -2) @ dctx
    dA = dctx @ np.swapaxes(Vh, -1, -2)
    dS = w * (dA - (dA * w).sum(axis=-1, keepdims=True)) / math.sqrt(Qh.shape[-1])
    grads_in, grads_W, grads_b = [], [], []
    dprojs = (dS @ Kh, np.swapaxes(dS, -1, -2) @ Qh, dV)
    for x, W, b, dproj in zip((q, k, v), Ws[:3], bs[:3], dprojs, strict=True):
        dp = _merge(dproj)
        grads_in.append(dp @ W)
        grads_W.append(dp.reshape(-1, e).T @ x.reshape(-1, e))
        grads_b.append(None if b is None else dp.sum(axis=(0, 1)))
    return (*grads_in, *grads_W, dW_o, *grads_b, db_o)


# --------------------------------------------------------------------------- positions, embeddings


def positional_encoding(length, d_model) -> np.ndarray:
    """The sinusoidal encoding of Vaswani et al. (2017), (length, d_model):

    PE[pos, 2i] = sin(pos / 10000^(2i/d_model)),  PE[pos, 2i+1] = cos(pos / 10000^(2i/d_model)).
    """
    length = int_arg("positional_encoding", "length", length, 0)
    d_model = int_arg("positional_encoding", "d_model", d_model, 1)
    pos = np.arange(length, dtype=np.float64)[:, None]
    two_i = np.arange(d_model) // 2 * 2
    angle = pos / np.power(10000.0, two_i / d_model)
    return np.where(np.arange(d_model) % 2 == 0, np.sin(angle), np.cos(angle))


def _ids(fn, ids, vocab):
    a = np.asarray(ids)
    if a.dtype.kind not in "iuf" or (a.dtype.kind == "f" and not np.all(np.mod(a, 1) == 0)):
        raise ValueError(f"{fn}: ids must be whole numbers (token indices), got {a.dtype} {a!r}")
    a = a.astype(np.int64)
    if a.size and (a.min() < 0 or a.max() >= vocab):
        raise ValueError(f"{fn}: ids must be in [0, {vocab}), got values {a.min()} … {a.max()}")
    return a


def embedding(ids, E) -> np.ndarray:
    """E[ids]: the rows of the table E (V, D) for token ids of any shape -> ids.shape + (D,).

    As ``torch.nn.functional.embedding(ids, E)``; ids may be whole floats (2.0).
    """
    E = array_arg("embedding", "E", E, 2, "(V, D)")
    return E[_ids("embedding", ids, E.shape[0])]


def embedding_backward(dout, ids, vocab_size) -> np.ndarray:
    """dE (V, D) of Σ dout·E[ids]: row v is the sum of dout over the positions where ids = v."""
    fn = "embedding_backward"
    vocab = int_arg(fn, "vocab_size", vocab_size, 1)
    ids = _ids(fn, ids, vocab)
    dout = as_float(dout)
    if dout.shape[:-1] != ids.shape or dout.ndim != ids.ndim + 1:
        raise shape_error(fn, "dout", f"ids.shape + (D,) = {(*ids.shape, 'D')}", dout.shape)
    dE = np.zeros((vocab, dout.shape[-1]))
    np.add.at(dE, ids.reshape(-1), dout.reshape(-1, dout.shape[-1]))
    return dE
