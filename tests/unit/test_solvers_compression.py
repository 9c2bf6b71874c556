"""solvers.compression: quantize (round half to even, clip) and dequantize."""

from __future__ import annotations

import numpy as np
import pytest

import solvers


def test_quantize_round_half_even_and_clip():
    x = np.array([0.5, 1.5, 2.5, -1.0, 300.0, 0.26])
    x.flags.writeable = False
    q = solvers.quantize(x, 1.0, 0)
    np.testing.assert_array_equal(q, [0, 2, 2, 0, 255, 0])
    assert q.dtype == np.int64
    # scale 0.1, zero point 128: round(x / 0.1) + 128
    np.testing.assert_array_equal(solvers.quantize([-0.3, 0.04, 20.0], 0.1, 128), [125, 128, 255])
    assert solvers.quantize(9.0, 1.0, 0, bits=3) == 7


def test_dequantize_round_trip_error_bounded():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=50)
    scale, zp = 2 / 255, 128
    back = solvers.dequantize(solvers.quantize(x, scale, zp), scale, zp)
    assert np.max(np.abs(back - x)) <= scale / 2 + 1e-12
    assert solvers.dequantize(130, 0.5, 128) == 1.0


def test_bad_inputs():
    with pytest.raises(ValueError, match="scale"):
        solvers.quantize([1.0], 0.0, 0)
    with pytest.raises(ValueError, match="zero_point"):
        solvers.quantize([1.0], 1.0, 0.5)
    with pytest.raises(ValueError, match="bits"):
        solvers.quantize([1.0], 1.0, 0, bits=64)
