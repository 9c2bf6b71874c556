"""Model compression: affine (asymmetric) integer quantization."""

from __future__ import annotations

import numpy as np

from ._arrays import as_float, finish

__all__ = ["dequantize", "quantize"]


def _scale_and_zero(what: str, scale, zero_point) -> tuple[float, float]:
    scale = float(scale)
    if not scale > 0 or not np.isfinite(scale):
        raise ValueError(f"{what}: scale must be a finite number > 0, got {scale!r}")
    zp = float(zero_point)
    if not np.isfinite(zp) or zp != int(zp):
        raise ValueError(f"{what}: zero_point must be a whole number, got {zero_point!r}")
    return scale, zp


def quantize(x, scale, zero_point, bits=8):
    """q = clip(round(x / scale) + zero_point, 0, 2^bits − 1), as integers (int64).

    Rounding is half to even (NumPy's and PyTorch's ``round``), before adding
    the zero point. ``bits`` a whole number 1 … 32; ``scale`` > 0; ``zero_point``
    a whole number. Shape: same as ``x``. Equals torch's
    ``quantize_per_tensor(x, scale, zero_point, torch.quint8).int_repr()`` for
    bits = 8 when scale is exact (torch multiplies by 1/scale).
    """
    scale, zp = _scale_and_zero("quantize", scale, zero_point)
    if isinstance(bits, (bool, np.bool_)) or int(bits) != bits or not 1 <= bits <= 32:
        raise ValueError(f"quantize: bits must be a whole number in 1..32, got {bits!r}")
    x = as_float(x)
    if not np.all(np.isfinite(x)):
        raise ValueError("quantize: x must hold finite numbers")
    q = np.clip(np.round(x / scale) + zp, 0, 2 ** int(bits) - 1)
    return finish(q.astype(np.int64))


def dequantize(q, scale, zero_point):
    """x̂ = (q − zero_point) · scale, as floats. Shape: same as ``q``."""
    scale, zp = _scale_and_zero("dequantize", scale, zero_point)
    return finish((as_float(q) - zp) * scale)
