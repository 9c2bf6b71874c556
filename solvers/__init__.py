"""solvers: the NumPy network math that grades every answer.

NumPy and the standard library only, float64 throughout; nothing is modified
in place. One module per concept:

* :mod:`solvers.activations`: activation functions f and derivatives f'
* :mod:`solvers.losses`: losses E(y, d) and ∂E/∂y (mean over a batch)
* :mod:`solvers.network`: :class:`MLP` (forward, backpropagation)
* :mod:`solvers.gradcheck`: :func:`numerical_gradient` (central differences)
* :mod:`solvers.optimizers`: :func:`optimizer_step` (sgd … adam)
* :mod:`solvers.init`: Xavier/He scales, :func:`param_count`
* :mod:`solvers.conv`, :mod:`solvers.pooling`: im2col convolution, pooling
* :mod:`solvers.normalization`: batch/layer/group norm, dropout
* :mod:`solvers.recurrent`: RNN, LSTM, GRU with BPTT, gradient clipping
* :mod:`solvers.attention`: attention, multi-head attention, positions, embeddings
* :mod:`solvers.schedules`, :mod:`solvers.regularization`: lr schedules, L1/L2 penalties

Math, classical ML and applications (solvers-b): :mod:`solvers.robust_losses`
(huber, smooth_l1, hinge), :mod:`solvers.information`, :mod:`solvers.generative`,
:mod:`solvers.probability`, :mod:`solvers.linalg`, :mod:`solvers.classical`,
:mod:`solvers.metrics`, :mod:`solvers.detection`, :mod:`solvers.nlp`,
:mod:`solvers.rl`, :mod:`solvers.graph`, :mod:`solvers.compression`,
:mod:`solvers.explain`.

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

# --- math, ML, applications (solvers-b)
# isort: split
from .classical import (
    kmeans_step,
    knn_predict,
    linear_regression,
    logistic_grad,
    pca,
    polynomial_kernel,
    rbf_kernel,
    svm_margin,
)
from .compression import (
    dequantize,
    quantize,
)
from .detection import (
    dice,
    iou,
    mean_iou,
    nms,
    voc_ap,
)
from .explain import (
    grad_cam,
)
from .generative import (
    distillation_loss,
    gan_losses,
    vae_kl,
)
from .graph import (
    gcn_layer,
)
from .information import (
    conditional_entropy,
    cross_entropy_dist,
    entropy,
    joint_entropy,
    js_divergence,
    kl_divergence,
    mutual_information,
)
from .linalg import (
    eig_sym,
    low_rank,
    svd,
)
from .metrics import (
    accuracy,
    average_precision,
    confusion_matrix,
    f1_score,
    precision,
    recall,
    roc_auc,
    specificity,
)
from .nlp import (
    bleu,
    perplexity,
)
from .probability import (
    bayes,
    bernoulli_pmf,
    binomial_pmf,
    multinomial_pmf,
    normal_pdf,
    poisson_pmf,
)
from .rl import (
    discounted_return,
    q_learning_update,
    sarsa_update,
    td0_update,
)
from .robust_losses import (
    hinge,
    huber,
    smooth_l1,
)

# --- layers (solvers-a)
# isort: split
from .attention import (
    attention_backward,
    embedding,
    embedding_backward,
    multi_head_attention,
    multi_head_attention_backward,
    positional_encoding,
    scaled_dot_product_attention,
)
from .conv import (
    col2im,
    conv2d,
    conv2d_backward,
    conv_flops,
    conv_output_size,
    conv_params,
    conv_transpose2d,
    im2col,
    receptive_field,
)
from .normalization import (
    batch_norm,
    batch_norm_backward,
    batch_norm_running,
    dropout,
    dropout_backward,
    group_norm,
    group_norm_backward,
    layer_norm,
    layer_norm_backward,
)
from .pooling import (
    avg_pool2d,
    avg_pool2d_backward,
    global_avg_pool2d,
    max_pool2d,
    max_pool2d_backward,
)
from .recurrent import (
    clip_grad_norm,
    gru,
    gru_backward,
    lstm,
    lstm_backward,
    rnn,
    rnn_backward,
)
from .regularization import l1_penalty, l1_penalty_grad, l2_penalty, l2_penalty_grad
from .schedules import SCHEDULES, lr_schedule

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
    # --- math, ML, applications (solvers-b)
    "accuracy",
    "average_precision",
    "bayes",
    "bernoulli_pmf",
    "binomial_pmf",
    "bleu",
    "conditional_entropy",
    "confusion_matrix",
    "cross_entropy_dist",
    "dequantize",
    "dice",
    "discounted_return",
    "distillation_loss",
    "eig_sym",
    "entropy",
    "f1_score",
    "gan_losses",
    "gcn_layer",
    "grad_cam",
    "hinge",
    "huber",
    "iou",
    "joint_entropy",
    "js_divergence",
    "kl_divergence",
    "kmeans_step",
    "knn_predict",
    "linear_regression",
    "logistic_grad",
    "low_rank",
    "mean_iou",
    "multinomial_pmf",
    "mutual_information",
    "nms",
    "normal_pdf",
    "pca",
    "perplexity",
    "poisson_pmf",
    "polynomial_kernel",
    "precision",
    "q_learning_update",
    "quantize",
    "rbf_kernel",
    "recall",
    "roc_auc",
    "sarsa_update",
    "smooth_l1",
    "specificity",
    "svd",
    "svm_margin",
    "td0_update",
    "vae_kl",
    "voc_ap",
]

__all__ += [  # --- layers (solvers-a)
    "SCHEDULES", "attention_backward", "avg_pool2d", "avg_pool2d_backward", "batch_norm",
    "batch_norm_backward", "batch_norm_running", "clip_grad_norm", "col2im", "conv2d",
    "conv2d_backward", "conv_flops", "conv_output_size", "conv_params", "conv_transpose2d",
    "dropout", "dropout_backward", "embedding", "embedding_backward", "global_avg_pool2d",
    "group_norm", "group_norm_backward", "gru", "gru_backward", "im2col", "l1_penalty",
    "l1_penalty_grad", "l2_penalty", "l2_penalty_grad", "layer_norm", "layer_norm_backward",
    "lr_schedule", "lstm", "lstm_backward", "max_pool2d", "max_pool2d_backward",
    "multi_head_attention", "multi_head_attention_backward", "positional_encoding",
    "receptive_field", "rnn", "rnn_backward", "scaled_dot_product_attention",
]  # fmt: skip
