"""solvers.explain: Grad-CAM."""

from __future__ import annotations

import numpy as np
import pytest

import solvers


def test_grad_cam_by_hand():
    A = np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 2.0], [2.0, 0.0]]])
    G = np.array([[[1.0, 1.0], [1.0, 1.0]], [[-1.0, -1.0], [-1.0, -3.0]]])
    for a in (A, G):
        a.flags.writeable = False
    # α = (1, −1.5): map = A0 − 1.5 A1 = [[1, −3], [−3, 1]] → ReLU
    np.testing.assert_allclose(solvers.grad_cam(A, G), [[1.0, 0.0], [0.0, 1.0]])


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"expected equal shapes \(C, H, W\)"):
        solvers.grad_cam(np.zeros((2, 2)), np.zeros((2, 2)))
