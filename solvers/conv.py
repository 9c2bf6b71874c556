"""Convolution the way deep-learning-from-scratch computes it: im2col, then one matrix product.

Layouts are PyTorch's (also the book's): images ``x`` of shape (N, C, H, W),
filters ``W`` of shape (F, C // groups, kh, kw), bias ``b`` of shape (F,).
Like ``torch.nn.functional.conv2d`` this is a cross-correlation (the kernel
is not flipped). ``stride``, ``pad`` and ``dilation`` are whole numbers used
for both the height and the width; padding is with zeros.

The im2col matrix has one row per output position (rows in the order
n, oh, ow) and one column per input value a filter sees (columns c, i, j),
as the book's ``common/util.py``; ``col2im`` is its adjoint (overlaps add up).
"""

from __future__ import annotations

import numpy as np

from ._layers import array_arg, int_arg, optional_array, shape_error

__all__ = [
    "col2im",
    "conv2d",
    "conv2d_backward",
    "conv_flops",
    "conv_output_size",
    "conv_params",
    "conv_transpose2d",
    "im2col",
    "receptive_field",
]


def conv_output_size(size, kernel, stride=1, pad=0, dilation=1) -> int:
    """The output length ⌊(size + 2·pad − dilation·(kernel − 1) − 1) / stride⌋ + 1.

    The formula of ``torch.nn.Conv2d`` (and, for dilation 1, of the book's
    ``(H + 2P − FH) / S + 1``). Raises ``ValueError`` when the (dilated)
    kernel does not fit in the padded input.
    """
    fn = "conv_output_size"
    size = int_arg(fn, "size", size, 1)
    kernel = int_arg(fn, "kernel", kernel, 1)
    stride = int_arg(fn, "stride", stride, 1)
    pad = int_arg(fn, "pad", pad, 0)
    dilation = int_arg(fn, "dilation", dilation, 1)
    span = dilation * (kernel - 1) + 1
    if span > size + 2 * pad:
        raise ValueError(
            f"{fn}: the kernel spans {span} (kernel {kernel}, dilation {dilation}) but the "
            f"padded input has only {size + 2 * pad} (size {size}, pad {pad})"
        )
    return (size + 2 * pad - span) // stride + 1


def _geometry(fn, x_shape, kh, kw, stride, pad, dilation):
    """Checked (kh, kw, stride, pad, dilation, oh, ow)."""
    kh = int_arg(fn, "kh", kh, 1)
    kw = int_arg(fn, "kw", kw, 1)
    stride = int_arg(fn, "stride", stride, 1)
    pad = int_arg(fn, "pad", pad, 0)
    dilation = int_arg(fn, "dilation", dilation, 1)
    try:
        oh = conv_output_size(x_shape[2], kh, stride, pad, dilation)
        ow = conv_output_size(x_shape[3], kw, stride, pad, dilation)
    except ValueError as exc:
        raise ValueError(f"{fn}: input of shape {tuple(x_shape)}: {exc}") from None
    return kh, kw, stride, pad, dilation, oh, ow


def _im2col(x, kh, kw, stride, pad, dilation, oh, ow) -> np.ndarray:
    """(N*oh*ow, C*kh*kw): one strided view of the padded input, copied once."""
    if pad:
        x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, c = x.shape[:2]
    s0, s1, s2, s3 = x.strides
    windows = np.lib.stride_tricks.as_strided(
        x,
        shape=(n, oh, ow, c, kh, kw),
        strides=(s0, s2 * stride, s3 * stride, s1, s2 * dilation, s3 * dilation),
        writeable=False,
    )
    col = windows.reshape(n * oh * ow, c * kh * kw)  # a copy, except in trivial layouts
    return col.copy() if np.may_share_memory(col, x) else col


def _col2im(cols, x_shape, kh, kw, stride, pad, dilation, oh, ow) -> np.ndarray:
    """The adjoint of :func:`_im2col`: each column value added back where it was read."""
    n, c, h, w = x_shape
    blocks = cols.reshape(n, oh, ow, c, kh, kw).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((n, c, h + 2 * pad, w + 2 * pad))
    for i in range(kh):
        top = i * dilation
        for j in range(kw):
            left = j * dilation
            img[:, :, top : top + stride * oh : stride, left : left + stride * ow : stride] += (
                blocks[:, :, i, j]
            )
    return img[:, :, pad : pad + h, pad : pad + w] if pad else img


def _windows_nhwc(x, kh, kw, stride, pad, dilation, oh, ow) -> np.ndarray:
    """The im2col matrix with columns in the order (i, j, c): (N*oh*ow, kh*kw*C).

    conv2d uses this layout internally: the copy reads runs of C contiguous
    values (x is moved to (N, H, W, C) once), several times faster than the
    book's (c, i, j) order. The filters are reordered to match.
    """
    xt = x.transpose(0, 2, 3, 1)
    if pad:
        xp = np.pad(xt, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    else:
        xp = np.ascontiguousarray(xt)
    n, _, _, c = xp.shape
    s0, s1, s2, s3 = xp.strides
    windows = np.lib.stride_tricks.as_strided(
        xp,
        shape=(n, oh, ow, kh, kw, c),
        strides=(s0, s1 * stride, s2 * stride, s1 * dilation, s2 * dilation, s3),
        writeable=False,
    )
    col = windows.reshape(n * oh * ow, kh * kw * c)
    return col.copy() if np.may_share_memory(col, x) else col


def _col2im_nhwc(cols, x_shape, kh, kw, stride, pad, dilation, oh, ow) -> np.ndarray:
    """The adjoint of :func:`_windows_nhwc`, returned as (N, C, H, W) (a transposed view)."""
    n, c, h, w = x_shape
    blocks = cols.reshape(n, oh, ow, kh, kw, c)
    img = np.zeros((n, h + 2 * pad, w + 2 * pad, c))
    for i in range(kh):
        top = i * dilation
        for j in range(kw):
            left = j * dilation
            img[:, top : top + stride * oh : stride, left : left + stride * ow : stride] += blocks[
                :, :, :, i, j
            ]
    return img[:, pad : pad + h, pad : pad + w].transpose(0, 3, 1, 2)


def im2col(x, kh, kw, stride=1, pad=0) -> np.ndarray:
    """The book's im2col: every kh×kw window of the zero-padded ``x`` as one row.

    Args:
        x: images (N, C, H, W).
        kh, kw: the window height and width.

    Returns:
        (N·OH·OW, C·kh·kw), rows in the order (n, oh, ow), columns (c, i, j):
        ``col[(n·OH + oh)·OW + ow, (c·kh + i)·kw + j] = x_pad[n, c, oh·stride + i, ow·stride + j]``.
        The same matrix as ``common/util.py`` of deep-learning-from-scratch and as
        ``torch.nn.functional.unfold(x, (kh, kw), padding=pad, stride=stride)``
        transposed to (N·L, C·kh·kw).
    """
    x = array_arg("im2col", "x", x, 4, "(N, C, H, W)")
    kh, kw, stride, pad, _, oh, ow = _geometry("im2col", x.shape, kh, kw, stride, pad, 1)
    return _im2col(x, kh, kw, stride, pad, 1, oh, ow)


def col2im(cols, x_shape, kh, kw, stride=1, pad=0) -> np.ndarray:
    """The adjoint of :func:`im2col`: an array of ``x_shape`` where overlapping windows add up.

    ``<im2col(x), cols> = <x, col2im(cols)>`` for every x; the book's
    ``col2im`` and ``torch.nn.functional.fold`` compute the same sum.
    ``cols`` must have shape (N·OH·OW, C·kh·kw) for ``x_shape = (N, C, H, W)``.
    """
    fn = "col2im"
    try:
        x_shape = tuple(int_arg(fn, "x_shape", d, 1) for d in x_shape)
    except TypeError:
        raise ValueError(f"{fn}: x_shape must be (N, C, H, W), got {x_shape!r}") from None
    if len(x_shape) != 4:
        raise ValueError(f"{fn}: x_shape must be (N, C, H, W), got {x_shape!r}")
    kh, kw, stride, pad, _, oh, ow = _geometry(fn, x_shape, kh, kw, stride, pad, 1)
    n, c = x_shape[:2]
    cols = array_arg(fn, "cols", cols, 2, "(N*OH*OW, C*kh*kw)")
    if cols.shape != (n * oh * ow, c * kh * kw):
        raise shape_error(
            fn, "cols", f"(N*OH*OW, C*kh*kw) = {(n * oh * ow, c * kh * kw)}", cols.shape
        )
    return _col2im(cols, x_shape, kh, kw, stride, pad, 1, oh, ow)


def _conv_args(fn, x, W, b, stride, pad, dilation, groups):
    x = array_arg(fn, "x", x, 4, "(N, C, H, W)")
    W = array_arg(fn, "W", W, 4, "(F, C // groups, kh, kw)")
    groups = int_arg(fn, "groups", groups, 1)
    n, c = x.shape[:2]
    f = W.shape[0]
    if c % groups or f % groups:
        raise ValueError(
            f"{fn}: groups={groups} must divide the input channels C={c} and the filters F={f}"
        )
    if W.shape[1] != c // groups:
        raise shape_error(fn, "W", f"(F, C // groups = {c // groups}, kh, kw)", W.shape)
    b = optional_array(fn, "b", b, (f,), f"(F,) = ({f},)")
    geo = _geometry(fn, x.shape, W.shape[2], W.shape[3], stride, pad, dilation)
    return x, W, b, groups, geo


def _groups(x, W, groups):
    """[(x's channels, W's filters) of each group] as slices."""
    cg, fg = x.shape[1] // groups, W.shape[0] // groups
    return [(slice(g * cg, (g + 1) * cg), slice(g * fg, (g + 1) * fg)) for g in range(groups)]


def _filter_matrix(W) -> np.ndarray:
    """W (F, C, kh, kw) as an (F, kh*kw*C) matrix, columns (i, j, c) like _windows_nhwc."""
    return W.transpose(0, 2, 3, 1).reshape(W.shape[0], -1)


def conv2d(x, W, b=None, stride=1, pad=0, dilation=1, groups=1) -> np.ndarray:
    """y[n, f] = Σ_{c in f's group, i, j} W[f, c, i, j] · x_pad[n, c, oh·s + i·d, ow·s + j·d] + b[f].

    Args:
        x: (N, C, H, W); W: (F, C // groups, kh, kw); b: (F,) or None.
        stride, pad, dilation: whole numbers for both directions; groups divides C and F.

    Returns:
        (N, F, OH, OW) with OH = :func:`conv_output_size` (H, kh, stride, pad, dilation).
        Computed as ``im2col(x) @ W.reshape(F, -1).T`` (per group; internally with the
        columns in (i, j, c) order and W reordered to match); equal to
        ``torch.nn.functional.conv2d(x, W, b, stride, pad, dilation, groups)``.
    """
    x, W, b, groups, (kh, kw, stride, pad, dilation, oh, ow) = _conv_args(
        "conv2d", x, W, b, stride, pad, dilation, groups
    )
    n, f = x.shape[0], W.shape[0]
    geo = (kh, kw, stride, pad, dilation, oh, ow)
    if groups == 1:
        out = _windows_nhwc(x, *geo) @ _filter_matrix(W).T
    else:
        out = np.empty((n * oh * ow, f))
        for chans, rows in _groups(x, W, groups):
            out[:, rows] = _windows_nhwc(x[:, chans], *geo) @ _filter_matrix(W[rows]).T
    if b is not None:
        out += b
    return out.reshape(n, oh, ow, f).transpose(0, 3, 1, 2)


def conv2d_backward(dout, x, W, b=None, stride=1, pad=0, dilation=1, groups=1):
    """Gradients of Σ dout · conv2d(x, W, b, …), by hand through im2col (the book's Convolution).

    With ``col = im2col(x)`` and ``D = dout`` as an (N·OH·OW, F) matrix (per group):
    ``dW = (Dᵀ col).reshape(W.shape)``, ``db = Σ_rows D``, ``dx = col2im(D W_mat)``.
    (Internally the columns are ordered (i, j, c) rather than (c, i, j), a faster copy;
    the result is the same.)

    Returns:
        ``(dx, dW, db)`` of the shapes of x, W, b (``db`` is None when ``b`` is None);
        equal to PyTorch's autograd for conv2d.
    """
    fn = "conv2d_backward"
    x, W, b, groups, (kh, kw, stride, pad, dilation, oh, ow) = _conv_args(
        fn, x, W, b, stride, pad, dilation, groups
    )
    n, f = x.shape[0], W.shape[0]
    dout = array_arg(fn, "dout", dout, 4, f"(N, F, OH, OW) = {(n, f, oh, ow)}")
    if dout.shape != (n, f, oh, ow):
        raise shape_error(fn, "dout", f"(N, F, OH, OW) = {(n, f, oh, ow)}", dout.shape)
    geo = (kh, kw, stride, pad, dilation, oh, ow)
    d = dout.transpose(0, 2, 3, 1).reshape(-1, f)
    dW = np.empty(W.shape)
    dx = None if groups == 1 else np.empty(x.shape)
    for chans, rows in _groups(x, W, groups):
        xg, dg = x[:, chans], d[:, rows]
        col = _windows_nhwc(xg, *geo)
        cg = xg.shape[1]
        dW[rows] = (dg.T @ col).reshape(-1, kh, kw, cg).transpose(0, 3, 1, 2)
        dxg = _col2im_nhwc(dg @ _filter_matrix(W[rows]), xg.shape, *geo)
        if dx is None:
            dx = dxg
        else:
            dx[:, chans] = dxg
    db = None if b is None else d.sum(axis=0)
    return dx, dW, db


def conv_transpose2d(x, W, b=None, stride=1, pad=0) -> np.ndarray:
    """The transposed convolution: the gradient of conv2d with respect to its input.

    Args:
        x: (N, C_in, H, W); W: (C_in, C_out, kh, kw); b: (C_out,) or None.

    Returns:
        (N, C_out, OH, OW), OH = (H − 1)·stride − 2·pad + kh. Every input value
        x[n, c] scatters x[n, c]·W[c] into the output at (h·stride − pad, w·stride − pad);
        overlaps add up. Equal to ``torch.nn.functional.conv_transpose2d(x, W, b, stride,
        pad)`` (output_padding 0, dilation 1, groups 1), and to
        ``conv2d_backward(x, z, W)[0]`` for any z of shape (N, C_out, OH, OW).
    """
    fn = "conv_transpose2d"
    x = array_arg(fn, "x", x, 4, "(N, C_in, H, W)")
    W = array_arg(fn, "W", W, 4, "(C_in, C_out, kh, kw)")
    n, c_in, h, w = x.shape
    if W.shape[0] != c_in:
        raise shape_error(fn, "W", f"(C_in = {c_in}, C_out, kh, kw)", W.shape)
    c_out, kh, kw = W.shape[1:]
    if kh == 0 or kw == 0 or c_out == 0:
        raise shape_error(fn, "W", "(C_in, C_out, kh, kw) with sizes ≥ 1", W.shape)
    stride = int_arg(fn, "stride", stride, 1)
    pad = int_arg(fn, "pad", pad, 0)
    b = optional_array(fn, "b", b, (c_out,), f"(C_out,) = ({c_out},)")
    out_h, out_w = (h - 1) * stride - 2 * pad + kh, (w - 1) * stride - 2 * pad + kw
    if out_h < 1 or out_w < 1:
        raise ValueError(
            f"{fn}: the output would be {out_h}×{out_w}: pad={pad} is too large for "
            f"an input of {h}×{w} and a {kh}×{kw} kernel"
        )
    cols = x.transpose(0, 2, 3, 1).reshape(n * h * w, c_in) @ W.reshape(c_in, -1)
    out = _col2im(cols, (n, c_out, out_h, out_w), kh, kw, stride, pad, 1, h, w)
    if b is not None:
        out = out + b[:, None, None]
    return out


def receptive_field(layers) -> int:
    """The receptive field of the last layer's units on the input, in input pixels.

    ``layers``: [(kernel, stride, dilation), ...] from the input to the output
    ((kernel,) and (kernel, stride) are accepted, with stride 1 and dilation 1).
    r = 1 + Σ_l dilation_l·(kernel_l − 1)·Π_{m<l} stride_m (Araujo et al., 2019).
    """
    fn = "receptive_field"
    r, jump = 1, 1
    for index, layer in enumerate(layers):
        spec = tuple(layer) if isinstance(layer, (tuple, list, np.ndarray)) else (layer,)
        if not 1 <= len(spec) <= 3:
            raise ValueError(
                f"{fn}: layers[{index}] must be (kernel, stride, dilation), got {layer!r}"
            )
        k, s, d = (*spec, 1, 1)[:3]
        k = int_arg(fn, f"layers[{index}] kernel", k, 1)
        s = int_arg(fn, f"layers[{index}] stride", s, 1)
        d = int_arg(fn, f"layers[{index}] dilation", d, 1)
        r += d * (k - 1) * jump
        jump *= s
    return r


def _kernel_area(fn, k) -> int:
    if isinstance(k, (tuple, list)):
        if len(k) != 2:
            raise ValueError(f"{fn}: k must be a whole number or (kh, kw), got {k!r}")
        return int_arg(fn, "kh", k[0], 1) * int_arg(fn, "kw", k[1], 1)
    k = int_arg(fn, "k", k, 1)
    return k * k


def _channels(fn, c_in, c_out, groups):
    c_in = int_arg(fn, "c_in", c_in, 1)
    c_out = int_arg(fn, "c_out", c_out, 1)
    groups = int_arg(fn, "groups", groups, 1)
    if c_in % groups or c_out % groups:
        raise ValueError(f"{fn}: groups={groups} must divide c_in={c_in} and c_out={c_out}")
    return c_in, c_out, groups


def conv_params(c_in, c_out, k, bias=True, groups=1) -> int:
    """The number of parameters c_out·(c_in / groups)·k² (+ c_out with a bias), as torch's Conv2d.

    ``k`` is a whole number (a k×k kernel) or a pair (kh, kw).
    """
    c_in, c_out, groups = _channels("conv_params", c_in, c_out, groups)
    area = _kernel_area("conv_params", k)
    return c_out * (c_in // groups) * area + (c_out if bias else 0)


def conv_flops(c_in, c_out, k, h_out, w_out, groups=1) -> int:
    """Multiply-adds of one image through the layer: c_out·h_out·w_out·(c_in / groups)·k².

    (The bias is not counted; ``k`` may be a pair (kh, kw).)
    """
    fn = "conv_flops"
    c_in, c_out, groups = _channels(fn, c_in, c_out, groups)
    area = _kernel_area(fn, k)
    h_out = int_arg(fn, "h_out", h_out, 1)
    w_out = int_arg(fn, "w_out", w_out, 1)
    return c_out * h_out * w_out * (c_in // groups) * area
