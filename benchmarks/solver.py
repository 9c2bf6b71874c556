"""Benchmark: solvers.MLP forward + backward against the same math in bare NumPy.

A 784-100-10 network (sigmoid hidden layer, softmax output, cross-entropy
with integer labels), batch 100, float64, random data from a fixed seed.
Prints the best and median time of each, their ratio (target ≤ 1.3) and
whether the two give the same loss and gradients (OK / MISMATCH). A second
case (:func:`one_hot_case`) times the same network with one-hot targets
``T`` of shape (N, 10) against the same bare NumPy written for one-hot rows.

Then the same figures for two layers (see ``layer_figures``): conv2d forward +
backward (N=8, C=16, 28×28, 32 filters 3×3, pad 1) against the book's
im2col/col2im written here, and an LSTM (T=20, N=16, D=32, H=64) forward +
backward against the book's per-step TimeLSTM, in PyTorch's gate layout.

Run: python benchmarks/solver.py [--repeat R] [--number K]
(BLAS runs on one thread unless OPENBLAS_NUM_THREADS / OMP_NUM_THREADS is set.)
"""

from __future__ import annotations

import argparse
import os
import statistics
import timeit

# One BLAS thread unless told otherwise: on a shared 2-core machine, threaded BLAS
# measures the scheduler (the MLP figure varied 2.5-70 ms), not the code.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402  (after the thread settings)

import solvers  # noqa: E402

SIZES = (784, 100, 10)
BATCH = 100
SEED = 20240601
TARGET_RATIO = 1.3


def make_problem(seed: int = SEED):
    """Weights, biases, a batch of inputs and integer labels (float64)."""
    rng = np.random.default_rng(seed)
    n_in, n_hidden, n_out = SIZES
    w1 = rng.normal(0.0, solvers.xavier_std(n_in), size=(n_hidden, n_in))
    b1 = rng.normal(0.0, 0.1, size=n_hidden)
    w2 = rng.normal(0.0, solvers.xavier_std(n_hidden), size=(n_out, n_hidden))
    b2 = rng.normal(0.0, 0.1, size=n_out)
    x = rng.random((BATCH, n_in))
    labels = rng.integers(0, n_out, size=BATCH)
    return w1, b1, w2, b2, x, labels


def bare_numpy(w1, b1, w2, b2, x, labels):
    """The same forward + backward written as bare NumPy expressions."""
    n = x.shape[0]
    u1 = x @ w1.T + b1
    z1 = 1.0 / (1.0 + np.exp(-u1))
    u2 = z1 @ w2.T + b2
    e = np.exp(u2 - u2.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    rows = np.arange(n)
    loss = -np.log(y[rows, labels]).sum() / n
    t = np.zeros_like(y)
    t[rows, labels] = 1.0
    d2 = (y - t) / n
    dw2 = d2.T @ z1
    db2 = d2.sum(axis=0)
    d1 = (d2 @ w2) * z1 * (1.0 - z1)
    dw1 = d1.T @ x
    db1 = d1.sum(axis=0)
    return loss, [dw1, dw2], [db1, db2]


def with_solvers(net, x, labels):
    """forward + backward through solvers.MLP."""
    g = net.backward(x, labels, loss="cross_entropy")
    return g.loss, g.weights, g.biases


def bare_numpy_one_hot(w1, b1, w2, b2, x, t):
    """The same forward + backward as bare NumPy, with one-hot targets t (N, K)."""
    n = x.shape[0]
    u1 = x @ w1.T + b1
    z1 = 1.0 / (1.0 + np.exp(-u1))
    u2 = z1 @ w2.T + b2
    e = np.exp(u2 - u2.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    loss = -(t * np.log(y)).sum() / n
    d2 = (y - t) / n
    dw2 = d2.T @ z1
    db2 = d2.sum(axis=0)
    d1 = (d2 @ w2) * z1 * (1.0 - z1)
    dw1 = d1.T @ x
    db1 = d1.sum(axis=0)
    return loss, [dw1, dw2], [db1, db2]


def same(a, b) -> bool:
    """Loss and every gradient equal to 1e-12 relative (or 1e-15 absolute)."""
    loss_a, ws_a, bs_a = a
    loss_b, ws_b, bs_b = b
    pairs = [(loss_a, loss_b), *zip(ws_a, ws_b, strict=True), *zip(bs_a, bs_b, strict=True)]
    return all(np.allclose(p, q, rtol=1e-12, atol=1e-15) for p, q in pairs)


def time_each(timers: dict, repeat: int, number: int) -> tuple[dict, dict]:
    """Best and median seconds per call of each callable ({name: seconds} twice).

    Each callable runs once to warm up; the repeats are interleaved so that every callable
    sees the same machine load."""
    for fn in timers.values():
        fn()
    runs: dict[str, list[float]] = {name: [] for name in timers}
    for _ in range(repeat):
        for name, fn in timers.items():
            runs[name].append(timeit.timeit(fn, number=number) / number)
    best = {name: min(times) for name, times in runs.items()}
    median = {name: statistics.median(times) for name, times in runs.items()}
    return best, median


def compare(timers: dict, repeat: int, number: int) -> tuple[float, float]:
    """Time each callable, print best/median; the ratio solvers/bare of best and of median."""
    best, median = time_each(timers, repeat, number)
    for name in timers:
        print(f"{name:12s}  best {best[name] * 1e3:8.3f} ms   median {median[name] * 1e3:8.3f} ms")
    return (best["solvers.MLP"] / best["bare numpy"],
            median["solvers.MLP"] / median["bare numpy"])


def report(ratio_best: float, ratio_median: float) -> None:
    verdict = "OK" if ratio_median <= TARGET_RATIO else "SLOW"
    print(
        f"ratio solvers/bare: best {ratio_best:.3f}, median {ratio_median:.3f} "
        f"(target <= {TARGET_RATIO}): {verdict}"
    )


def integer_label_case(repeat: int, number: int) -> bool:
    """The 784-100-10 network with integer labels (N,)."""
    w1, b1, w2, b2, x, labels = make_problem()
    net = solvers.MLP([w1, w2], [b1, b2], ["sigmoid", "softmax"])
    print("case: integer labels")
    ok = same(with_solvers(net, x, labels), bare_numpy(w1, b1, w2, b2, x, labels))
    print("gradients:", "OK" if ok else "MISMATCH")
    timers = {
        "bare numpy": lambda: bare_numpy(w1, b1, w2, b2, x, labels),
        "solvers.MLP": lambda: with_solvers(net, x, labels),
    }
    report(*compare(timers, repeat, number))
    return ok


def one_hot_case(repeat: int, number: int) -> bool:
    """The same network with one-hot targets T (N, 10) instead of labels."""
    w1, b1, w2, b2, x, labels = make_problem()
    t = np.eye(SIZES[-1])[labels]
    net = solvers.MLP([w1, w2], [b1, b2], ["sigmoid", "softmax"])
    print("case: one-hot targets")
    ok = same(with_solvers(net, x, t), bare_numpy_one_hot(w1, b1, w2, b2, x, t))
    print("gradients:", "OK" if ok else "MISMATCH")
    timers = {
        "bare numpy": lambda: bare_numpy_one_hot(w1, b1, w2, b2, x, t),
        "solvers.MLP": lambda: with_solvers(net, x, t),
    }
    report(*compare(timers, repeat, number))
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timing repeats")
    parser.add_argument("--number", type=int, default=50, help="calls per repeat")
    args = parser.parse_args()
    ok = integer_label_case(args.repeat, args.number)
    ok = one_hot_case(args.repeat, args.number) and ok
    layers_ok = layer_figures(args.repeat, max(1, args.number // 5))
    return 0 if ok and layers_ok else 1


# --------------------------------------------------------------------------- layers (solvers-a)


def _bare_im2col(x, kh, kw, stride, pad):
    """deep-learning-from-scratch common/util.py im2col."""
    n, c, h, w = x.shape
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    img = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)], "constant")
    col = np.zeros((n, c, kh, kw, oh, ow))
    for y in range(kh):
        y_max = y + stride * oh
        for x_ in range(kw):
            x_max = x_ + stride * ow
            col[:, :, y, x_, :, :] = img[:, :, y:y_max:stride, x_:x_max:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(n * oh * ow, -1)


def _bare_col2im(col, shape, kh, kw, stride, pad):
    """deep-learning-from-scratch common/util.py col2im."""
    n, c, h, w = shape
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    col = col.reshape(n, oh, ow, c, kh, kw).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((n, c, h + 2 * pad + stride - 1, w + 2 * pad + stride - 1))
    for y in range(kh):
        y_max = y + stride * oh
        for x_ in range(kw):
            x_max = x_ + stride * ow
            img[:, :, y:y_max:stride, x_:x_max:stride] += col[:, :, y, x_, :, :]
    return img[:, :, pad : h + pad, pad : w + pad]


def bare_conv(x, W, b, dout, pad=1):
    """The book's Convolution.forward + backward: out, dx, dW, db."""
    n, _, h, w = x.shape
    f, _, kh, kw = W.shape
    oh, ow = h + 2 * pad - kh + 1, w + 2 * pad - kw + 1
    col = _bare_im2col(x, kh, kw, 1, pad)
    col_w = W.reshape(f, -1).T
    out = (col @ col_w + b).reshape(n, oh, ow, -1).transpose(0, 3, 1, 2)
    d = dout.transpose(0, 2, 3, 1).reshape(-1, f)
    db = d.sum(axis=0)
    dW = (col.T @ d).transpose(1, 0).reshape(f, -1, kh, kw)
    dx = _bare_col2im(d @ col_w.T, x.shape, kh, kw, 1, pad)
    return out, dx, dW, db


def solvers_conv(x, W, b, dout, pad=1):
    out = solvers.conv2d(x, W, b, pad=pad)
    return (out, *solvers.conv2d_backward(dout, x, W, b, pad=pad))


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def bare_lstm(xs, h0, c0, W_ih, W_hh, b_ih, b_hh, dhs):
    """The book's TimeLSTM (forward caches per step, backward per step), torch layout.

    Returns hs, dxs, dh0, dc0, dW_ih, dW_hh, db (db is both db_ih and db_hh).
    """
    t_len, n, _ = xs.shape
    h_size = h0.shape[1]
    b = b_ih + b_hh
    hs = np.empty((t_len, n, h_size))
    h, c, cache = h0, c0, []
    for t in range(t_len):
        a = xs[t] @ W_ih.T + h @ W_hh.T + b
        i = _sigmoid(a[:, :h_size])
        f = _sigmoid(a[:, h_size : 2 * h_size])
        g = np.tanh(a[:, 2 * h_size : 3 * h_size])
        o = _sigmoid(a[:, 3 * h_size :])
        c_next = f * c + i * g
        tanh_c = np.tanh(c_next)
        cache.append((h, c, i, f, g, o, tanh_c))
        h, c = o * tanh_c, c_next
        hs[t] = h
    dxs = np.empty(xs.shape)
    dW_ih, dW_hh, db = np.zeros(W_ih.shape), np.zeros(W_hh.shape), np.zeros(b.shape)
    dh, dc = np.zeros(h0.shape), np.zeros(c0.shape)
    for t in reversed(range(t_len)):
        h_prev, c_prev, i, f, g, o, tanh_c = cache[t]
        dh = dh + dhs[t]
        ds = dc + dh * o * (1 - tanh_c**2)
        dc = ds * f
        di = ds * g * i * (1 - i)
        df = ds * c_prev * f * (1 - f)
        dg = ds * i * (1 - g**2)
        do = dh * tanh_c * o * (1 - o)
        da = np.hstack((di, df, dg, do))
        dW_ih += da.T @ xs[t]
        dW_hh += da.T @ h_prev
        db += da.sum(axis=0)
        dxs[t] = da @ W_ih
        dh = da @ W_hh
    return hs, dxs, dh, dc, dW_ih, dW_hh, db, db


def solvers_lstm(xs, h0, c0, W_ih, W_hh, b_ih, b_hh, dhs):
    """lstm_backward alone: it runs the forward pass itself, as MLP.backward does."""
    return solvers.lstm_backward(dhs, xs, h0, c0, W_ih, W_hh, b_ih, b_hh)


def solvers_lstm_both(xs, h0, c0, W_ih, W_hh, b_ih, b_hh, dhs):
    """lstm for hs, then lstm_backward (the forward pass runs twice)."""
    hs = solvers.lstm(xs, h0, c0, W_ih, W_hh, b_ih, b_hh)[0]
    return (hs, *solvers.lstm_backward(dhs, xs, h0, c0, W_ih, W_hh, b_ih, b_hh))


def make_layer_problems(seed: int = SEED):
    """(conv arguments, lstm arguments), float64 from a fixed seed."""
    rng = np.random.default_rng(seed + 1)
    conv = (
        rng.normal(size=(8, 16, 28, 28)),
        rng.normal(0.0, solvers.he_std(16 * 9), size=(32, 16, 3, 3)),
        rng.normal(0.0, 0.1, size=32),
        rng.normal(size=(8, 32, 28, 28)),
    )
    t_len, n, d, h = 20, 16, 32, 64
    lstm = (
        rng.normal(size=(t_len, n, d)),
        rng.normal(0.0, 0.5, size=(n, h)),
        rng.normal(0.0, 0.5, size=(n, h)),
        rng.normal(0.0, solvers.xavier_std(d), size=(4 * h, d)),
        rng.normal(0.0, solvers.xavier_std(h), size=(4 * h, h)),
        rng.normal(0.0, 0.1, size=4 * h),
        rng.normal(0.0, 0.1, size=4 * h),
        rng.normal(size=(t_len, n, h)),
    )
    return conv, lstm


def compare_layer(title, bare_fn, timed, args, repeat, number) -> bool:
    """Print equality, best/median of each (interleaved repeats) and the ratio; True if equal.

    ``timed``: {label: function}; the first is checked for equality and compared with
    the target ratio, the others are printed for information. Equal: every output and
    gradient to 1e-10 relative.
    """
    label = next(iter(timed))
    got, want = timed[label](*args), bare_fn(*args)
    ok = _all_close(got, want)
    print(f"\n{title}: outputs and gradients", "OK" if ok else "MISMATCH")
    timers = {"bare numpy": lambda: bare_fn(*args)}
    timers.update({name: (lambda fn=fn: fn(*args)) for name, fn in timed.items()})
    best, median = time_each(timers, repeat, number)
    width = max(len(name) for name in timers)
    for name in timers:
        print(
            f"{name:{width}s}  best {best[name] * 1e3:8.3f} ms   "
            f"median {median[name] * 1e3:8.3f} ms   ratio {median[name] / median['bare numpy']:.3f}"
        )
    ratio_best = best[label] / best["bare numpy"]
    ratio_median = median[label] / median["bare numpy"]
    verdict = "OK" if ratio_median <= TARGET_RATIO else "SLOW"
    print(
        f"ratio {label}/bare: best {ratio_best:.3f}, median {ratio_median:.3f} "
        f"(target <= {TARGET_RATIO}): {verdict}"
    )
    return ok


def _all_close(got, want) -> bool:
    return len(got) == len(want) and all(
        np.allclose(p, q, rtol=1e-10, atol=1e-12) for p, q in zip(got, want, strict=True)
    )


def _same_lstm(got, want) -> bool:
    """lstm_backward's gradients against bare's (without hs); db_ih, db_hh both equal db."""
    return _all_close(got, want[1:])


def layer_figures(repeat: int, number: int) -> bool:
    """conv2d and LSTM forward + backward, solvers against bare NumPy."""
    conv, lstm = make_layer_problems()
    ok = compare_layer(
        "conv2d 8x16x28x28, 32 3x3 filters, pad 1",
        bare_conv, {"conv2d + conv2d_backward": solvers_conv}, conv, repeat, number,
    )  # fmt: skip
    ok &= compare_layer(
        "LSTM T=20 N=16 D=32 H=64",
        bare_lstm,
        {"lstm + lstm_backward": solvers_lstm_both, "lstm_backward alone": solvers_lstm},
        lstm, repeat, 4 * number,
    )  # fmt: skip
    ok &= _same_lstm(solvers_lstm(*lstm), bare_lstm(*lstm))
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
