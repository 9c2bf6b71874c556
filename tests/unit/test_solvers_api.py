"""solvers as a package: exported names, init helpers, numerical_gradient,
no in-place modification, and no imports beyond NumPy and the standard library."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import numpy as np
import pytest

import solvers

REQUIRED = """
activation activation_grad loss loss_grad MLP numerical_gradient optimizer_step
xavier_std he_std param_count
sigmoid sigmoid_grad tanh tanh_grad relu relu_grad leaky_relu leaky_relu_grad step
identity identity_grad softplus softplus_grad elu elu_grad silu silu_grad softmax
softmax_jacobian mse mse_grad cross_entropy cross_entropy_grad binary_cross_entropy
binary_cross_entropy_grad one_hot softmax_cross_entropy_grad
""".split()


def test_public_names_are_exported():
    missing = [n for n in REQUIRED if not hasattr(solvers, n)]
    assert missing == []
    assert set(REQUIRED) <= set(solvers.__all__)
    assert all(hasattr(solvers, n) for n in solvers.__all__)


def test_public_functions_have_docstrings():
    for name in solvers.__all__:
        obj = getattr(solvers, name)
        if callable(obj):
            assert obj.__doc__ and obj.__doc__.strip(), name


# ----------------------------------------------------------------- init


def test_param_count():
    assert solvers.param_count([2, 3, 1]) == 13  # (2·3 + 3) + (3·1 + 1)
    assert solvers.param_count([3, 2]) == 8  # 3·2 + 2
    assert solvers.param_count([784, 100, 10]) == 79_510  # 78,400 + 100 + 1,000 + 10
    assert solvers.param_count((4, 5, 5, 2)) == 25 + 30 + 12
    with pytest.raises(ValueError, match="at least two"):
        solvers.param_count([5])
    with pytest.raises(ValueError, match="positive integer"):
        solvers.param_count([3, 0, 2])


def test_xavier_and_he():
    assert solvers.xavier_std(100) == 0.1  # √(1/100)
    assert solvers.xavier_std(4) == 0.5
    assert solvers.xavier_std(2, 6) == 0.5  # √(2/(2 + 6))
    assert solvers.xavier_std(100, 100) == 0.1  # √(2/200)
    assert solvers.he_std(8) == 0.5  # √(2/8)
    assert solvers.he_std(2) == 1.0
    assert solvers.he_std(50) == pytest.approx(0.2, rel=1e-15)  # √(2/50)
    with pytest.raises(ValueError):
        solvers.he_std(0)
    with pytest.raises(ValueError):
        solvers.xavier_std(3, -1)


# ----------------------------------------------------------------- numerical_gradient


def test_numerical_gradient_of_a_quadratic():
    x = np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.5]])
    before = x.copy()
    g = solvers.numerical_gradient(lambda v: (v**2).sum(), x)
    np.testing.assert_allclose(g, 2 * x, rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(x, before)
    assert g.shape == x.shape


def test_numerical_gradient_of_scalars_and_lists():
    g = solvers.numerical_gradient(lambda v: v**3, 2.0)
    assert np.ndim(g) == 0
    assert g == pytest.approx(12.0, rel=1e-7)  # 3·2², error h² = 1e-8
    np.testing.assert_allclose(
        solvers.numerical_gradient(lambda v: v[0] * v[1], [3, 4]), [4.0, 3.0], rtol=1e-10
    )


def test_numerical_gradient_works_on_any_shape_and_passes_an_array_of_that_shape():
    x = np.arange(24.0).reshape(2, 3, 4)
    shapes = set()

    def f(v):
        shapes.add(v.shape)
        return float((v * x).sum())

    np.testing.assert_allclose(solvers.numerical_gradient(f, x), x, atol=1e-8)
    assert shapes == {(2, 3, 4)}


def test_numerical_gradient_rejects_a_bad_step():
    with pytest.raises(ValueError, match="positive"):
        solvers.numerical_gradient(lambda v: v, 1.0, h=0.0)


# ----------------------------------------------------------------- nothing in place


def _calls():
    """(label, function, args, kwargs) for every public function."""
    rng = np.random.default_rng(99)
    x = rng.normal(size=(3, 4))
    y = solvers.softmax(rng.normal(size=(3, 4)))
    d = solvers.one_hot(np.array([0, 3, 1]), 4)
    k = np.array([0, 3, 1])
    ws = [rng.normal(size=(5, 4)), rng.normal(size=(4, 5))]
    bs = [rng.normal(size=5), rng.normal(size=4)]
    calls = []
    for name in solvers.ACTIVATIONS:
        for fn in (solvers.activation, solvers.activation_grad):
            calls.append((f"{fn.__name__}:{name}", fn, (name, x), {}))
    elementwise = """
        sigmoid sigmoid_grad tanh tanh_grad relu relu_grad leaky_relu leaky_relu_grad step
        step_grad identity identity_grad softplus softplus_grad elu elu_grad silu silu_grad
        softmax softmax_jacobian
    """.split()
    for name in elementwise:
        calls.append((name, getattr(solvers, name), (x,), {}))
    for name in solvers.LOSSES:
        for fn in (solvers.loss, solvers.loss_grad):
            calls.append((f"{fn.__name__}:{name}", fn, (name, y, d), {}))
    loss_functions = "mse mse_grad cross_entropy cross_entropy_grad binary_cross_entropy"
    for name in [*loss_functions.split(), "binary_cross_entropy_grad"]:
        calls.append((name, getattr(solvers, name), (y, d), {}))
    calls.append(("cross_entropy:index", solvers.cross_entropy, (y, k), {}))
    calls.append(("softmax_cross_entropy_grad", solvers.softmax_cross_entropy_grad, (x, k), {}))
    calls.append(("one_hot", solvers.one_hot, (k, 4), {}))
    calls.append(
        ("numerical_gradient", solvers.numerical_gradient, (lambda v: float((v**2).sum()), x), {})
    )
    calls.append(("MLP", solvers.MLP, (ws, bs, ["relu", "softmax"]), {}))
    net = solvers.MLP(ws, bs, ["relu", "softmax"])
    calls.append(("MLP.forward", net.forward, (x,), {}))
    calls.append(("MLP.backward", net.backward, (x, k), {"loss": "cross_entropy"}))
    calls.append(("MLP.backward:onehot", net.backward, (x[0], d[0]), {"loss": "mse"}))
    for name in solvers.OPTIMIZERS:
        p1, state = solvers.optimizer_step(name, x, y, None)
        calls.append((f"optimizer_step:{name}", solvers.optimizer_step, (name, p1, y, state), {}))
    calls.append(("param_count", solvers.param_count, ([2, 3, 1],), {}))
    return calls


def _equal(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_equal(a[key], b[key]) for key in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_equal(p, q) for p, q in zip(a, b, strict=True))
    return a == b if not callable(a) else a is b


@pytest.mark.parametrize("call", _calls(), ids=lambda c: c[0])
def test_arguments_are_never_modified(call):
    _, fn, args, kwargs = call
    before = copy.deepcopy((args, kwargs))
    result = fn(*args, **kwargs)
    assert _equal((args, kwargs), before)
    # and the result does not alias an argument
    arrays_in = [a for a in args if isinstance(a, np.ndarray)]
    results = result if isinstance(result, tuple) else (result,)
    for r in results:
        if isinstance(r, np.ndarray):
            assert not any(np.shares_memory(r, a) for a in arrays_in)


def test_identity_returns_a_copy():
    x = np.array([1.0, 2.0])
    r = solvers.identity(x)
    r[0] = 9.0
    assert x[0] == 1.0


# ----------------------------------------------------------------- import hygiene


def test_import_pulls_in_only_numpy_and_the_standard_library():
    code = (
        "import sys, json\n"
        "before = set(sys.modules)\n"
        "import solvers\n"
        "new = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(json.dumps(sorted(new)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    new = set(json.loads(out.stdout))
    assert "solvers" in new
    foreign = {m for m in new - {"solvers", "numpy"} if m not in sys.stdlib_module_names}
    assert foreign == set(), f"solvers imports non-stdlib modules: {sorted(foreign)}"
