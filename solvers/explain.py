"""Explaining CNN decisions: Grad-CAM (Selvaraju et al. 2017)."""

from __future__ import annotations

import numpy as np

from ._arrays import as_float

__all__ = ["grad_cam"]


def grad_cam(activations, grads):
    """Grad-CAM map L = ReLU(Σ_c α_c A_c), α_c = (1 / HW) Σ_ij ∂y/∂A_c[i, j].

    ``activations`` A ``(C, H, W)``: the feature maps of a convolution layer;
    ``grads`` ``(C, H, W)``: the gradient of the class score with respect to them.
    Returns the ``(H, W)`` map (not upsampled, not normalized).
    """
    A, G = as_float(activations), as_float(grads)
    if A.ndim != 3 or A.shape != G.shape:
        raise ValueError(
            f"grad_cam: activations has shape {A.shape}, grads has shape {G.shape}; "
            "expected equal shapes (C, H, W)"
        )
    alpha = G.mean(axis=(1, 2))
    return np.maximum(np.tensordot(alpha, A, axes=1), 0.0)
