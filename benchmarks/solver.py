"""Benchmark: solvers.MLP forward + backward against the same math in bare NumPy.

A 784-100-10 network (sigmoid hidden layer, softmax output, cross-entropy
with integer labels), batch 100, float64, random data from a fixed seed.
Prints the best and median time of each, their ratio (target ≤ 1.3) and
whether the two give the same loss and gradients (OK / MISMATCH). A second
case (:func:`one_hot_case`) times the same network with one-hot targets
``T`` of shape (N, 10) against the same bare NumPy written for one-hot rows.

Run: python benchmarks/solver.py [--repeat R] [--number K]
"""

from __future__ import annotations

import argparse
import statistics
import timeit

import numpy as np

import solvers

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


def compare(timers: dict, repeat: int, number: int) -> tuple[float, float]:
    """Time each callable (repeats interleaved), print best/median; the ratio best, median."""
    for fn in timers.values():  # warm up
        fn()
    # interleave the repeats so that both see the same machine load
    runs: dict[str, list[float]] = {name: [] for name in timers}
    for _ in range(repeat):
        for name, fn in timers.items():
            runs[name].append(timeit.timeit(fn, number=number) / number)
    results = {}
    for name, times in runs.items():
        results[name] = (min(times), statistics.median(times))
        best, median = results[name]
        print(f"{name:12s}  best {best * 1e3:8.3f} ms   median {median * 1e3:8.3f} ms")
    bare, ours = results["bare numpy"], results["solvers.MLP"]
    return ours[0] / bare[0], ours[1] / bare[1]


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
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
