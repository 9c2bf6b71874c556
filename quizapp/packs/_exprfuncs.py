"""The functions pack expressions may call: the registry behind ``expressions.FUNCTIONS``.

``build()`` puts it together from the core solvers (activations, losses and
initializations, called as they are) and the solver wrappers here (softmax
Jacobian, one-hot, the network helpers, optimizer steps), then the number and
array functions (:mod:`quizapp.packs._exprfuncs_arrays`), the math, ML and
application solvers (:mod:`quizapp.packs._exprfuncs_math`) and the layer
functions (:mod:`quizapp.packs._exprfuncs_layers`).

Imported on first use only (it imports numpy and ``solvers``). Every function
in the registry takes values of the expression language (numbers, float arrays,
text, lists) and checks the size of what it would create *before* creating it,
so that a hostile pack cannot allocate more than ``MAX_ELEMENTS`` numbers. Raw
numpy callables are never registered: their keywords (``out=``, ``dtype=``)
could write into arrays or build objects. Nothing is modified in place.

Network helpers take the parameters flat, one weight matrix and one bias
vector per layer, and the activations as one comma-separated text:
``forward(x, "sigmoid,identity", W1, b1, W2, b2)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import solvers
from quizapp.packs import _exprfuncs_arrays, _exprfuncs_layers
from quizapp.packs._exprfuncs_arrays import _array, _int
from quizapp.packs.expr_bounds import ExpressionError, check_shape

__all__ = ["build"]

_SOLVER_FUNCTIONS = (
    "sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad",
    "leaky_relu", "leaky_relu_grad", "step", "step_grad", "identity", "identity_grad",
    "softplus", "softplus_grad", "elu", "elu_grad", "silu", "silu_grad", "softmax",
    "mse", "mse_grad", "cross_entropy", "cross_entropy_grad",
    "binary_cross_entropy", "binary_cross_entropy_grad", "softmax_cross_entropy_grad",
    "loss", "loss_grad", "xavier_std", "he_std", "param_count",
)  # fmt: skip


# --------------------------------------------------------------------------- solvers


def softmax_jacobian(x: Any) -> np.ndarray:
    x = _array(x)
    check_shape((*x.shape, x.shape[-1] if x.ndim else 1))
    return solvers.softmax_jacobian(x)


def activation_grad(name: Any, x: Any, **kw: Any) -> Any:
    if name == "softmax":
        return softmax_jacobian(x)
    return solvers.activation_grad(name, x, **kw)


def one_hot(k: Any, n: Any) -> np.ndarray:
    check_shape((*np.shape(_array(k)), _int(n, "n")))
    return solvers.one_hot(k, n)


def _network(fname: str, x: Any, acts: Any, params: tuple[Any, ...]) -> solvers.MLP:
    """An MLP from flat (W1, b1, W2, b2, ...) and "act1,act2" text, sizes checked."""
    if isinstance(acts, str):
        names = [a.strip() for a in acts.split(",")]
    elif isinstance(acts, (list, tuple)) and all(isinstance(a, str) for a in acts):
        names = list(acts)
    else:
        raise ExpressionError('the activations are text such as "sigmoid,identity"')
    if len(params) != 2 * len(names):
        raise ExpressionError(
            f"{len(names)} layer(s) ({', '.join(names)}) need {2 * len(names)} parameter "
            f"arrays W1, b1, ..., got {len(params)}"
        )
    net = solvers.MLP(params[0::2], params[1::2], names)
    x = _array(x)
    rows = x.shape[0] if x.ndim == 2 else 1
    check_shape((rows, max(net.sizes)), f"{fname}(): a layer")
    return net


def forward(x: Any, acts: Any, *params: Any) -> Any:
    """The output y of the network with layers (W1, b1, act1), ... for input x."""
    return _network("forward", x, acts, params).forward(x)


def _backprop(fname: str, x: Any, d: Any, acts: Any, loss: Any, params: tuple[Any, ...]) -> Any:
    return _network(fname, x, acts, params).backward(x, d, loss=loss)


def trace(x: Any, acts: Any, *params: Any) -> list[Any]:
    """[z0 = x, u1, z1, u2, z2, ...]: every pre-activation and output of the forward pass."""
    net = _network("trace", x, acts, params)
    g = net.backward(x, net.forward(x), loss="mse")  # d = y: only u and z are used
    out: list[Any] = [g.z[0]]
    for u, z in zip(g.u, g.z[1:], strict=True):
        out += [u, z]
    return out


def backward(x: Any, d: Any, acts: Any, loss: Any, *params: Any) -> list[Any]:
    """[dW1, db1, dW2, db2, ...]: the gradients of the loss for the parameters."""
    g = _backprop("backward", x, d, acts, loss, params)
    return [p for pair in zip(g.weights, g.biases, strict=True) for p in pair]


def deltas(x: Any, d: Any, acts: Any, loss: Any, *params: Any) -> list[Any]:
    """[δ1, δ2, ...]: δ_l = ∂E/∂u_l of each layer."""
    return list(_backprop("deltas", x, d, acts, loss, params).deltas)


def optimizer_steps(name: Any, p: Any, grads: Any, **hyper: Any) -> list[Any]:
    """The parameter after each step of optimizer ``name``, one step per gradient in ``grads``."""
    if isinstance(grads, (str, int, float)) or grads is None:
        raise ExpressionError("grads must be a list of gradients, one per step")
    state = None
    out = []
    for g in grads:
        p, state = solvers.optimizer_step(name, p, g, state, **hyper)
        out.append(p)
    return out


_STATE_NAMES = ("m", "v", "h", "t")
"""The optimizers' state entries (momentum and Nesterov: v; AdaGrad and RMSProp: h; Adam:
m, v and t, the steps already taken). No hyper-parameter has one of these names."""


def optimizer_step_from(name: Any, p: Any, g: Any, **given: Any) -> Any:
    """The parameter after one step of optimizer ``name`` from a given state: the state's
    entries and the hyper-parameters as keywords, e.g.
    ``optimizer_step_from("adam", w, g, m=m, v=v, t=t - 1, lr=lr, beta1=b1, beta2=b2)``
    (``t`` counts the steps already taken, as ``solvers.optimizer_step``'s state does)."""
    state = {k: given.pop(k) for k in _STATE_NAMES if k in given}
    new_p, _state = solvers.optimizer_step(name, p, g, state or None, **given)
    return new_p


# --------------------------------------------------------------------------- the registry


def build() -> dict[str, Callable[..., Any]]:
    """A fresh name → function table (expressions.FUNCTIONS loads it once)."""
    functions: dict[str, Callable[..., Any]] = {
        name: getattr(solvers, name) for name in _SOLVER_FUNCTIONS
    }
    functions.update(
        softmax_jacobian=softmax_jacobian,
        activation=solvers.activation,
        activation_grad=activation_grad,
        one_hot=one_hot,
        forward=forward,
        trace=trace,
        backward=backward,
        deltas=deltas,
        optimizer_steps=optimizer_steps,
        optimizer_step_from=optimizer_step_from,
    )
    _exprfuncs_arrays.register(functions)  # numbers and arrays: abs ... norm
    from quizapp.packs import (
        _exprfuncs_math,  # solvers of SOLVER_API part B (math, ML, applications)
    )

    _exprfuncs_math.register(functions)
    _exprfuncs_layers.register(functions)  # conv, pooling, normalization, recurrent, attention
    return functions
