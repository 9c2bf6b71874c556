"""Losses of generative models and of knowledge distillation.

* :func:`gan_losses`: the discriminator loss and both generator losses of a GAN
  (Goodfellow et al. 2014), from D's output probabilities.
* :func:`vae_kl`: the KL term of a VAE with a diagonal Gaussian encoder.
* :func:`distillation_loss`: Hinton et al. 2015, soft targets at temperature T.

log(0) guard: the argument of every log is clipped from below to
``solvers.losses.TINY`` (1e-300), as in :mod:`solvers.losses`.
"""

from __future__ import annotations

import numpy as np

from ._arrays import as_float
from .activations import _softmax_array
from .losses import TINY, _class_indices

__all__ = ["distillation_loss", "gan_losses", "vae_kl"]


def _probabilities(what: str, name: str, x) -> np.ndarray:
    x = as_float(x)
    if x.size == 0:
        raise ValueError(f"{what}: {name} is empty; expected D's probabilities, shape (N,)")
    if not np.all((x >= 0) & (x <= 1)):
        raise ValueError(f"{what}: {name} must hold probabilities in [0, 1]")
    return x


def gan_losses(d_real, d_fake):
    """(d_loss, g_loss_minimax, g_loss_nonsaturating) from D's probabilities.

    ``d_real`` = D(x) on real samples, ``d_fake`` = D(G(z)) on generated ones
    (any shapes, e.g. ``(N,)``; each mean is over all its elements):

    * d_loss = −mean log D(x) − mean log(1 − D(G(z)))   (no ½; BCE on real + fake)
    * g_loss_minimax = mean log(1 − D(G(z)))            (G minimizes it; saturates)
    * g_loss_nonsaturating = −mean log D(G(z))          (the practical G loss)

    Equals ``BCELoss()(d_real, 1) + BCELoss()(d_fake, 0)`` and
    ``BCELoss()(d_fake, 1)`` in torch for the first and the last.
    """
    real = _probabilities("gan_losses", "d_real", d_real)
    fake = _probabilities("gan_losses", "d_fake", d_fake)
    log_real = np.log(np.maximum(real, TINY))
    log_fake = np.log(np.maximum(fake, TINY))
    log_1m_fake = np.log(np.maximum(1.0 - fake, TINY))
    d_loss = -log_real.mean() - log_1m_fake.mean()
    return np.float64(d_loss), np.float64(log_1m_fake.mean()), np.float64(-log_fake.mean())


def vae_kl(mu, logvar):
    """KL(N(μ, σ²) ‖ N(0, I)) = −½ Σ_j (1 + log σ_j² − μ_j² − σ_j²), mean over the batch.

    Shapes: ``mu`` and ``logvar`` (= log σ²) equal: ``(D,)`` one sample (the
    sum over D), ``(N, D)`` a batch (the sum per sample, then the mean over N).
    Returns a float ≥ 0.
    """
    mu, logvar = as_float(mu), as_float(logvar)
    if mu.shape != logvar.shape or mu.ndim not in (1, 2) or mu.size == 0:
        raise ValueError(
            f"vae_kl: mu has shape {mu.shape}, logvar has shape {logvar.shape}; "
            "expected equal shapes (D,) or (N, D)"
        )
    per_sample = -0.5 * np.sum(1.0 + logvar - mu * mu - np.exp(logvar), axis=-1)
    return np.float64(np.mean(per_sample))


def distillation_loss(student_logits, teacher_logits, labels, T, alpha):
    """Knowledge distillation: the mean over the batch of

    α T² KL(softmax(t/T) ‖ softmax(s/T)) + (1 − α) CE(softmax(s), labels)

    with student logits s, teacher logits t, temperature T > 0 and 0 ≤ α ≤ 1
    (Hinton et al. 2015; T² keeps the soft gradients' scale). CE is −log of
    the student's probability of the true class at temperature 1.

    Shapes: ``student_logits`` and ``teacher_logits`` equal, ``(K,)`` one sample
    or ``(N, K)``; ``labels`` class indices, a scalar or ``(N,)``. Returns a float;
    equals torch's ``alpha * T**2 * kl_div(log_softmax(s/T), softmax(t/T),
    reduction="batchmean") + (1 - alpha) * cross_entropy(s, labels)``.
    """
    s, t = as_float(student_logits), as_float(teacher_logits)
    if s.shape != t.shape or s.ndim not in (1, 2) or s.shape[-1] == 0:
        raise ValueError(
            f"distillation_loss: student_logits has shape {s.shape}, teacher_logits has "
            f"shape {t.shape}; expected equal shapes (K,) or (N, K)"
        )
    T, alpha = float(T), float(alpha)
    if not T > 0:
        raise ValueError(f"distillation_loss: the temperature T must be > 0, got {T!r}")
    if not 0 <= alpha <= 1:
        raise ValueError(f"distillation_loss: alpha must be in [0, 1], got {alpha!r}")
    labels = np.asarray(labels)
    if labels.shape != s.shape[:-1]:
        raise ValueError(
            f"distillation_loss: labels has shape {labels.shape}, expected {s.shape[:-1]} "
            "(one class index per sample)"
        )
    k = _class_indices(labels, s.shape[-1])

    def log_softmax(x: np.ndarray) -> np.ndarray:
        shifted = x - x.max(axis=-1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))

    log_ps, log_pt = log_softmax(s / T), log_softmax(t / T)
    pt = _softmax_array(t / T)
    kl = np.sum(pt * (log_pt - log_ps), axis=-1)  # pt > 0 after the softmax (or underflow: 0)
    ce = -np.take_along_axis(log_softmax(s), k[..., None], axis=-1)[..., 0]
    return np.float64(np.mean(alpha * T * T * kl + (1.0 - alpha) * ce))
