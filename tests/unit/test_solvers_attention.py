"""solvers.attention: attention and multi-head attention, positions, embeddings."""

from __future__ import annotations

import math

import numpy as np
import pytest

import solvers

RNG = np.random.default_rng(20240905)


def check_backward(forward, backward, args, n_arrays, atol=1e-7, **kw):
    dout = RNG.normal(size=forward(*args, **kw)[0].shape)
    grads = backward(dout, *args, **kw)
    for i in range(n_arrays):
        if args[i] is None:
            assert grads[i] is None
            continue

        def loss(v, i=i):
            changed = list(args)
            changed[i] = v
            return np.sum(dout * forward(*changed, **kw)[0])

        np.testing.assert_allclose(grads[i], solvers.numerical_gradient(loss, args[i]), atol=atol)


def causal(lq, lk):
    return np.tril(np.ones((lq, lk), dtype=bool))


@pytest.mark.parametrize("lead", [(), (2,), (2, 3)])
@pytest.mark.parametrize("masked", [False, True])
def test_attention_backward(lead, masked):
    Q, K, V = (RNG.normal(size=(*lead, 3, 4)), RNG.normal(size=(*lead, 4, 4)),
               RNG.normal(size=(*lead, 4, 2)))  # fmt: skip
    mask = causal(3, 4) if masked else None
    check_backward(solvers.scaled_dot_product_attention, solvers.attention_backward,
                   [Q, K, V], 3, mask=mask)  # fmt: skip


def test_attention_by_hand():
    Q = np.array([[1.0, 0.0]])
    K = np.array([[1.0, 0.0], [0.0, 1.0]])
    V = np.array([[10.0], [20.0]])
    out, w = solvers.scaled_dot_product_attention(Q, K, V)
    a = math.exp(1 / math.sqrt(2))
    np.testing.assert_allclose(w, [[a / (a + 1), 1 / (a + 1)]], rtol=1e-15)
    np.testing.assert_allclose(out, [[(10 * a + 20) / (a + 1)]], rtol=1e-15)
    out, w = solvers.scaled_dot_product_attention(Q, K, V, mask=np.array([[False, True]]))
    np.testing.assert_array_equal(w, [[0.0, 1.0]])
    np.testing.assert_array_equal(out, [[20.0]])


def test_causal_mask_rows_sum_to_one_and_ignore_the_future():
    Q, K, V = RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3)), RNG.normal(size=(4, 2))
    out, w = solvers.scaled_dot_product_attention(Q, K, V, mask=causal(4, 4))
    np.testing.assert_allclose(w.sum(axis=-1), 1.0)
    assert np.all(w[np.triu_indices(4, 1)] == 0.0)
    V2 = V.copy()
    V2[3] += 100.0  # the last key is the future of rows 0..2
    np.testing.assert_allclose(solvers.scaled_dot_product_attention(Q, K, V2, causal(4, 4))[0][:3],
                               out[:3])  # fmt: skip


def mha_args(n=2, lq=3, lk=4, e=4, bias=True):
    x = [RNG.normal(size=(n, lq, e)), RNG.normal(size=(n, lk, e)), RNG.normal(size=(n, lk, e))]
    Ws = [RNG.normal(size=(e, e)) * 0.5 for _ in range(4)]
    bs = [RNG.normal(size=e) if bias else None for _ in range(4)]
    return x + Ws + bs


@pytest.mark.parametrize(
    "heads, masked, bias", [(1, False, True), (2, True, True), (4, False, False)]
)
def test_multi_head_attention_backward(heads, masked, bias):
    args = mha_args(bias=bias)
    mask = causal(3, 4) if masked else None
    forward = solvers.multi_head_attention
    check_backward(forward, solvers.multi_head_attention_backward, [*args, heads], 11, mask=mask)


def test_multi_head_attention_is_heads_of_attention():
    q, k, v, Wq, Wk, Wv, Wo, bq, bk, bv, bo = mha_args()
    out, w = solvers.multi_head_attention(q, k, v, Wq, Wk, Wv, Wo, bq, bk, bv, bo, 2)
    assert out.shape == (2, 3, 4) and w.shape == (2, 2, 3, 4)
    Q, K, V = q @ Wq.T + bq, k @ Wk.T + bk, v @ Wv.T + bv
    heads = []
    for h in range(2):
        part = slice(2 * h, 2 * h + 2)
        o, wh = solvers.scaled_dot_product_attention(Q[..., part], K[..., part], V[..., part])
        np.testing.assert_allclose(w[:, h], wh, atol=1e-14)
        heads.append(o)
    np.testing.assert_allclose(out, np.concatenate(heads, axis=-1) @ Wo.T + bo, atol=1e-13)


def test_positional_encoding_known_values():
    pe = solvers.positional_encoding(50, 6)
    assert pe.shape == (50, 6)
    np.testing.assert_array_equal(pe[0], [0, 1, 0, 1, 0, 1])
    pos = 3
    expected = [math.sin(pos), math.cos(pos), math.sin(pos / 10000 ** (2 / 6)),
                math.cos(pos / 10000 ** (2 / 6)), math.sin(pos / 10000 ** (4 / 6)),
                math.cos(pos / 10000 ** (4 / 6))]  # fmt: skip
    np.testing.assert_allclose(pe[pos], expected, rtol=1e-14)
    assert solvers.positional_encoding(2, 3)[1, 2] == pytest.approx(math.sin(1 / 10000 ** (2 / 3)))


def test_embedding_and_its_backward():
    E = RNG.normal(size=(5, 3))
    ids = np.array([[1, 4, 1], [0, 0, 2]])
    out = solvers.embedding(ids, E)
    assert out.shape == (2, 3, 3)
    np.testing.assert_array_equal(out[0, 1], E[4])
    np.testing.assert_array_equal(solvers.embedding([2.0, 3.0], E), E[[2, 3]])
    dout = RNG.normal(size=out.shape)
    dE = solvers.embedding_backward(dout, ids, 5)
    np.testing.assert_allclose(dE[1], dout[0, 0] + dout[0, 2])  # repeated ids add up
    np.testing.assert_array_equal(dE[3], 0.0)
    numeric = solvers.numerical_gradient(lambda v: np.sum(dout * solvers.embedding(ids, v)), E)
    np.testing.assert_allclose(dE, numeric, atol=1e-9)


def test_inputs_are_not_modified():
    args = mha_args()
    mask = causal(3, 4)
    copies = [a.copy() for a in args] + [mask.copy()]
    dout = RNG.normal(size=(2, 3, 4))
    solvers.multi_head_attention(*args, 2, mask=mask)
    solvers.multi_head_attention_backward(dout, *args, 2, mask=mask)
    solvers.attention_backward(dout, args[0], args[1], args[2], mask)
    for a, c in zip([*args, mask], copies, strict=True):
        np.testing.assert_array_equal(a, c)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: solvers.scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((2, 1))), r"K must have shape \(\.\.\., Lk, d\)"),
        (lambda: solvers.scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((4, 3)), np.zeros((3, 1))), r"V must have shape \(\.\.\., Lk, dv\)"),
        (lambda: solvers.scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((4, 3)), np.zeros((4, 1)), np.ones((2, 4))), "mask must be a bool array"),
        (lambda: solvers.scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((4, 3)), np.zeros((4, 1)), np.ones((3, 4), bool)), "mask must have shape"),
        (lambda: solvers.scaled_dot_product_attention(np.zeros((2, 3)), np.zeros((4, 3)), np.zeros((4, 1)), np.zeros((2, 4), bool)), "at least one key"),
        (lambda: solvers.multi_head_attention(*mha_args(), 3), "num_heads=3 must divide"),
        (lambda: solvers.multi_head_attention(*mha_args(), 2, mask=np.ones((4, 4), bool)), r"mask must have shape \(Lq, Lk\) = \(3, 4\)"),
        (lambda: solvers.embedding([0, 5], np.zeros((5, 2))), r"ids must be in \[0, 5\)"),
        (lambda: solvers.embedding([0.5], np.zeros((5, 2))), "ids must be whole numbers"),
        (lambda: solvers.embedding_backward(np.zeros((2, 3)), [1, 2, 3], 5), r"dout must have shape ids.shape \+ \(D,\)"),
        (lambda: solvers.positional_encoding(4, 0), "d_model must be at least 1"),
    ],
)  # fmt: skip
def test_shape_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
