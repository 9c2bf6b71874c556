"""solvers: the NumPy network math that grades every answer.

NumPy and the standard library only, float64 throughout; nothing is modified
in place. One module per concept:

* :mod:`solvers.activations`: activation functions f and derivatives f'
* :mod:`solvers.losses`: losses E(y, d) and ∂E/∂y (mean over a batch)
* :mod:`solvers.network`: :class:`MLP` (forward, backpropagation)
* :mod:`solvers.gradcheck`: :func:`numerical_gradient` (central differences)
* :mod:`solvers.optimizers`: :func:`optimizer_step` (sgd … adam)
* :mod:`solvers.init`: Xavier/He scales, :func:`param_count`

Conventions: DESIGN.md, "Conventions of the math".
"""

from .activations import (
    ACTIVATIONS,
    activation,
    activation_grad,
    elu,
    elu_grad,
    identity,
    identity_grad,
    leaky_relu,
    leaky_relu_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    silu,
    silu_grad,
    softmax,
    softmax_jacobian,
    softplus,
    softplus_grad,
    step,
    step_grad,
    tanh,
    tanh_grad,
)
from .gradcheck import numerical_gradient
from .init import he_std, param_count, xavier_std
from .losses import (
    LOSSES,
    binary_cross_entropy,
    binary_cross_entropy_grad,
    cross_entropy,
    cross_entropy_grad,
    loss,
    loss_grad,
    mse,
    mse_grad,
    one_hot,
    softmax_cross_entropy_grad,
)
from .network import MLP, Gradients
from .optimizers import OPTIMIZERS, optimizer_step

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "MLP",
    "OPTIMIZERS",
    "Gradients",
    "activation",
    "activation_grad",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "cross_entropy",
    "cross_entropy_grad",
    "elu",
    "elu_grad",
    "he_std",
    "identity",
    "identity_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "loss",
    "loss_grad",
    "mse",
    "mse_grad",
    "numerical_gradient",
    "one_hot",
    "optimizer_step",
    "param_count",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "silu",
    "silu_grad",
    "softmax",
    "softmax_cross_entropy_grad",
    "softmax_jacobian",
    "softplus",
    "softplus_grad",
    "step",
    "step_grad",
    "tanh",
    "tanh_grad",
    "xavier_std",
]
