"""solvers.generative: GAN losses, the VAE KL term, knowledge distillation."""

from __future__ import annotations

import math

import numpy as np
import pytest

import solvers


def ro(a):
    a = np.array(a, dtype=np.float64)
    a.flags.writeable = False
    return a


def test_gan_losses_by_hand():
    real, fake = ro([0.9, 0.8]), ro([0.1, 0.4])
    d_loss, g_minimax, g_ns = solvers.gan_losses(real, fake)
    assert d_loss == pytest.approx(
        -(math.log(0.9) + math.log(0.8)) / 2 - (math.log(0.9) + math.log(0.6)) / 2
    )
    assert g_minimax == pytest.approx((math.log(0.9) + math.log(0.6)) / 2)
    assert g_ns == pytest.approx(-(math.log(0.1) + math.log(0.4)) / 2)


def test_gan_losses_guard_log_zero():
    d_loss, g_minimax, g_ns = solvers.gan_losses([1.0], [0.0])
    assert d_loss == 0.0 and g_minimax == 0.0 and math.isfinite(g_ns) and g_ns > 600


def test_vae_kl_matches_direct_formula():
    rng = np.random.default_rng(0)
    mu, logvar = ro(rng.normal(size=(4, 3))), ro(rng.normal(size=(4, 3)))
    sigma2 = np.exp(logvar)
    # KL of N(mu, sigma2) to N(0, 1) per dimension: ½ (σ² + μ² − 1 − log σ²)
    direct = np.mean(np.sum(0.5 * (sigma2 + mu**2 - 1 - logvar), axis=1))
    assert solvers.vae_kl(mu, logvar) == pytest.approx(direct)
    assert solvers.vae_kl(np.zeros(3), np.zeros(3)) == 0.0
    assert solvers.vae_kl(ro([1.0, 0.0]), ro([0.0, 0.0])) == pytest.approx(0.5)


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_distillation_loss_direct():
    rng = np.random.default_rng(1)
    s, t = ro(rng.normal(size=(3, 4))), ro(rng.normal(size=(3, 4)))
    labels = np.array([0, 3, 1])
    T, alpha = 2.0, 0.3
    ps, pt = softmax(s / T), softmax(t / T)
    kl = np.sum(pt * np.log(pt / ps), axis=1)
    ce = -np.log(softmax(s)[np.arange(3), labels])
    expected = np.mean(alpha * T * T * kl + (1 - alpha) * ce)
    assert solvers.distillation_loss(s, t, labels, T, alpha) == pytest.approx(expected)
    # alpha = 0: plain cross-entropy; equal logits and alpha = 1: zero
    assert solvers.distillation_loss(s, t, labels, T, 0.0) == pytest.approx(np.mean(ce))
    assert solvers.distillation_loss(s, s, labels, T, 1.0) == pytest.approx(0.0, abs=1e-15)
    # one sample
    assert solvers.distillation_loss(s[0], t[0], 0, T, alpha) == pytest.approx(
        alpha * T * T * kl[0] + (1 - alpha) * ce[0]
    )


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"expected equal shapes \(D,\) or \(N, D\)"):
        solvers.vae_kl(np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match="probabilities"):
        solvers.gan_losses([1.5], [0.5])
    with pytest.raises(ValueError, match=r"labels has shape \(2,\), expected \(3,\)"):
        solvers.distillation_loss(np.zeros((3, 2)), np.zeros((3, 2)), [0, 1], 1.0, 0.5)
    with pytest.raises(ValueError, match="temperature"):
        solvers.distillation_loss(np.zeros(2), np.zeros(2), 0, 0.0, 0.5)
