"""A fully connected feedforward network (multilayer perceptron) and backpropagation.

Conventions (DESIGN.md, "Conventions of the math"):

* Layer l (0-based here) maps z_l to z_{l+1}: u_l = W_l z_l + b_l, z_{l+1} = f_l(u_l),
  with W_l of shape ``(out, in)`` (w_ji goes from unit i to unit j, as in
  ``torch.nn.Linear``). z_0 = x is the input, z_L = y the output.
* For a batch of rows Z of shape ``(N, in)``: U = Z Wᵀ + b.

Backpropagation, with δ_l = ∂E/∂u_l:

* output: δ_{L−1} = ∂E/∂y ⊙ f'(u_{L−1}), or, fused, δ = (y − t)/N for softmax
  with cross-entropy and (y − d)/N for sigmoid with binary cross-entropy
  (N = 1 for one sample); for a softmax output with another loss, the
  Jacobian of each sample is applied: δ = J_s g = s ⊙ (g − (g·s)).
* hidden: δ_l = (δ_{l+1} W_{l+1}) ⊙ f'(u_l)    (the chain rule, one layer back)
* parameters: ∂E/∂W_l = δ_lᵀ z_l (shape ``(out, in)``; outer(δ, z) for one
  sample), ∂E/∂b_l = Σ_batch δ_l.

In every layer, f' of sigmoid and tanh is computed from the layer output
z = f(u) already at hand: z(1 − z) and 1 − z² (as the book's layers do).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import activations as _act
from . import losses as _losses
from ._arrays import as_float, as_float_copy, check_same_shape

__all__ = ["MLP", "Gradients"]

# f'(u) written with z = f(u), already computed in the forward pass (as the book's
# Sigmoid.backward does): saves a second exp/tanh per layer. Equal to
# activation_grad(name, u) up to rounding (for a saturated unit, z(1 − z) may
# round to 0 where σ'(u) is ~1e-17).
_GRAD_FROM_OUTPUT = {
    "sigmoid": lambda z: z * (1.0 - z),  # σ' = σ(1 − σ)
    "tanh": lambda z: 1.0 - z * z,  # tanh' = 1 − tanh²
}


def _sigmoid_forward(u: np.ndarray) -> np.ndarray:
    """σ(u) = 1 / (1 + e^{−u}) in one fresh buffer (4 passes, no temporaries).

    No branches and no warning: for u < −709.78, e^{−u} overflows to inf and
    1/(1 + inf) = 0, where ``solvers.sigmoid`` gives the subnormal e^{u}
    (< 2.3e-308: an absolute difference below 1e-307). Elsewhere the two agree
    to a few ulp (``solvers.sigmoid`` computes e^{−|u|} in two branches).
    """
    t = np.negative(u)
    with np.errstate(over="ignore"):
        np.exp(t, out=t)
    t += 1.0
    return np.reciprocal(t, out=t)


# The forward function of a layer where a faster equivalent of the solvers
# activation exists (equal to rounding); the hot path of MLP.forward/backward.
_FAST_FORWARD = {"sigmoid": _sigmoid_forward}


@dataclass(frozen=True)
class Gradients:
    """The result of :meth:`MLP.backward`, for L layers.

    Attributes:
        weights: ∂E/∂W_l, a list of L arrays with the shapes of the weights ``(out, in)``.
        biases: ∂E/∂b_l, a list of L arrays of shape ``(out,)``.
        deltas: δ_l = ∂E/∂u_l, a list of L arrays, ``(out,)`` or ``(N, out)``.
        loss: E, the loss of the batch (the mean over its samples), a float.
        u: the pre-activations u_l = W_l z_l + b_l, a list of L arrays.
        z: the layer outputs, a list of L + 1 arrays: z[0] is the input x
            (read-only), z[l + 1] = f_l(u[l]), z[L] the output y.
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    deltas: list[np.ndarray]
    loss: float
    u: list[np.ndarray]
    z: list[np.ndarray]


def _parse_activation(spec) -> tuple[str, dict]:
    """An activation given as ``"name"`` or ``("name", {"alpha": ...})``."""
    if isinstance(spec, str):
        name, kw = spec, {}
    elif isinstance(spec, Sequence) and len(spec) == 2 and isinstance(spec[1], dict):
        name, kw = spec[0], dict(spec[1])
    else:
        raise ValueError(f"an activation is a name or a (name, keyword-dict) pair, got {spec!r}")
    _act.lookup(name, kw)  # raises ValueError for an unknown name or keyword
    return name, kw


class MLP:
    """A multilayer perceptron with L fully connected layers.

    Args:
        weights: L matrices, W_l of shape ``(out_l, in_l)``, with in_{l+1} = out_l.
        biases: L vectors, b_l of shape ``(out_l,)``.
        activations: L activations, one per layer (the last one is the output
            function): names from ``solvers.ACTIVATIONS``, or ``(name, kw)``
            pairs such as ``("leaky_relu", {"alpha": 0.1})``.

    The parameters are copied (float64) and kept read-only: later changes to
    the caller's arrays do not affect the network.
    """

    def __init__(self, weights, biases, activations) -> None:
        ws = [as_float_copy(w) for w in weights]
        bs = [as_float_copy(b) for b in biases]
        if isinstance(activations, str):
            raise ValueError(
                f"give one activation per layer as a list, got the string {activations!r}"
            )
        acts = [_parse_activation(a) for a in activations]
        if not ws:
            raise ValueError("an MLP needs at least one layer")
        if not len(ws) == len(bs) == len(acts):
            raise ValueError(
                f"{len(ws)} weight matrices, {len(bs)} bias vectors and {len(acts)} "
                "activations: give one of each per layer"
            )
        for i, (w, b) in enumerate(zip(ws, bs, strict=True)):
            if w.ndim != 2:
                raise ValueError(f"weights[{i}] must be 2-D (out, in), got shape {w.shape}")
            if b.shape != (w.shape[0],):
                raise ValueError(
                    f"biases[{i}] has shape {b.shape}, weights[{i}] has shape {w.shape}: "
                    f"expected a bias of shape {(w.shape[0],)}"
                )
            if i > 0 and w.shape[1] != ws[i - 1].shape[0]:
                raise ValueError(
                    f"weights[{i}] has shape {w.shape}, weights[{i - 1}] has shape "
                    f"{ws[i - 1].shape}: layer {i} must take {ws[i - 1].shape[0]} inputs"
                )
            w.flags.writeable = False
            b.flags.writeable = False
        self._w = tuple(ws)
        self._b = tuple(bs)
        self._acts = tuple(acts)

    # ------------------------------------------------------------------ description

    @property
    def weights(self) -> list[np.ndarray]:
        """Copies of the weight matrices W_l, shapes ``(out, in)``."""
        return [w.copy() for w in self._w]

    @property
    def biases(self) -> list[np.ndarray]:
        """Copies of the bias vectors b_l, shapes ``(out,)``."""
        return [b.copy() for b in self._b]

    @property
    def activations(self) -> list[str]:
        """The activation name of each layer."""
        return [name for name, _ in self._acts]

    @property
    def sizes(self) -> list[int]:
        """Layer sizes ``[in, h1, ..., out]``."""
        return [self._w[0].shape[1]] + [w.shape[0] for w in self._w]

    def __repr__(self) -> str:
        return f"MLP(sizes={self.sizes}, activations={self.activations})"

    # ------------------------------------------------------------------ computation

    def _input(self, x) -> np.ndarray:
        x = as_float(x)
        n_in = self._w[0].shape[1]
        if x.ndim not in (1, 2) or x.shape[-1] != n_in:
            raise ValueError(
                f"input x has shape {x.shape}, expected ({n_in},) or (N, {n_in}) "
                f"for weights[0] of shape {self._w[0].shape}"
            )
        return x

    def _layer(self, index: int, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(u, f(u)) for layer ``index``: u = z Wᵀ + b."""
        name, kw = self._acts[index]
        u = z @ self._w[index].T
        u += self._b[index]  # u is a fresh array: adding in place is safe
        fast = _FAST_FORWARD.get(name)
        if fast is not None:
            return u, fast(u)
        return u, _act.lookup(name, kw)[0](u, **kw)

    def forward(self, x) -> np.ndarray:
        """The network output y for input ``x``.

        Shapes: ``x`` ``(in,)`` → y ``(out,)``; ``x`` ``(N, in)`` → y ``(N, out)``.
        """
        z = self._input(x)
        for i in range(len(self._w)):
            z = self._layer(i, z)[1]
        return z

    def _delta(self, index: int, u: np.ndarray, z: np.ndarray, g: np.ndarray) -> np.ndarray:
        """δ = ∂E/∂u of layer ``index`` from g = ∂E/∂z, where z = f(u)."""
        name, kw = self._acts[index]
        if name == "softmax":
            # J g per sample, with J = diag(s) − s sᵀ: s ⊙ (g − s·g)
            return z * (g - (g * z).sum(axis=-1, keepdims=True))
        if name in _GRAD_FROM_OUTPUT:
            return g * _GRAD_FROM_OUTPUT[name](z)
        return g * _act.lookup(name, kw)[1](u, **kw)

    def backward(self, x, d, loss: str = "mse") -> Gradients:
        """Forward pass, loss and backpropagation for input ``x`` and target ``d``.

        Shapes: ``x`` ``(in,)`` (one sample; every result is then 1-D and the
        parameter gradients are outer(δ, z)) or ``(N, in)`` (a batch; the loss
        is the mean over N). ``d`` as the loss requires (see ``solvers.losses``):
        the shape of y, or class indices for ``cross_entropy``.

        Returns :class:`Gradients` with ∂E/∂W_l = δ_lᵀ z_l and ∂E/∂b_l = Σ δ_l.
        """
        loss_fn, loss_grad = _losses.lookup(loss)
        x = self._input(x)
        x_view = x.view()
        x_view.flags.writeable = False
        us: list[np.ndarray] = []
        zs: list[np.ndarray] = [x_view]
        for i in range(len(self._w)):
            u, z = self._layer(i, zs[-1])
            us.append(u)
            zs.append(z)
        y = zs[-1]
        n = y.shape[0] if y.ndim == 2 else 1
        last = self._acts[-1][0]

        if last == "softmax" and loss == "cross_entropy":
            # one pass over the targets for both the loss and δ = (y − t)/N
            value, delta = _losses.softmax_cross_entropy_fused(y, d)
        elif last == "sigmoid" and loss == "binary_cross_entropy":
            value = float(loss_fn(y, d))  # also checks the shape of d
            d = as_float(d)
            check_same_shape(loss, y, d)
            delta = (y - d) / n
        else:
            value = float(loss_fn(y, d))  # also checks the shape of d
            delta = self._delta(len(self._w) - 1, us[-1], y, loss_grad(y, d))

        n_layers = len(self._w)
        deltas: list[np.ndarray] = [delta] * n_layers
        grad_w: list[np.ndarray] = [delta] * n_layers
        grad_b: list[np.ndarray] = [delta] * n_layers
        for i in range(n_layers - 1, -1, -1):
            deltas[i] = delta
            z_in = zs[i]
            if delta.ndim == 2:
                grad_w[i] = delta.T @ z_in
                grad_b[i] = delta.sum(axis=0)
            else:
                grad_w[i] = np.outer(delta, z_in)
                grad_b[i] = delta.copy()
            if i > 0:
                delta = self._delta(i - 1, us[i - 1], zs[i], delta @ self._w[i])
        return Gradients(weights=grad_w, biases=grad_b, deltas=deltas, loss=value, u=us, z=zs)
