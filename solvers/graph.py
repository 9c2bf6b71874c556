"""Graph neural networks: one graph convolution layer (Kipf & Welling 2017)."""

from __future__ import annotations

import numpy as np

from ._arrays import as_float

__all__ = ["gcn_layer"]


def gcn_layer(A, X, W):
    """One GCN layer before the activation: Â X W with Â = D̃^−½ (A + I) D̃^−½.

    D̃ is the diagonal degree matrix of A + I: D̃_ii = Σ_j (A + I)_ij (self-loops
    added). Shapes: ``A`` ``(N, N)`` adjacency (weights ≥ 0, usually symmetric),
    ``X`` ``(N, F_in)`` node features, ``W`` ``(F_in, F_out)``. Returns
    ``(N, F_out)``. For a symmetric A this equals PyTorch Geometric's
    ``GCNConv`` (normalize=True, add_self_loops=True, bias=False) with weight Wᵀ.
    """
    A, X, W = as_float(A), as_float(X), as_float(W)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"gcn_layer: A has shape {A.shape}, expected (N, N)")
    n = A.shape[0]
    if X.ndim != 2 or X.shape[0] != n:
        raise ValueError(f"gcn_layer: X has shape {X.shape}, expected ({n}, F_in)")
    if W.ndim != 2 or W.shape[0] != X.shape[1]:
        raise ValueError(f"gcn_layer: W has shape {W.shape}, expected ({X.shape[1]}, F_out)")
    if np.any(A < 0):
        raise ValueError("gcn_layer: A must hold edge weights ≥ 0")
    A_hat = A + np.eye(n)
    d_inv_sqrt = 1.0 / np.sqrt(A_hat.sum(axis=1))
    return (d_inv_sqrt[:, None] * A_hat * d_inv_sqrt[None, :]) @ X @ W
