"""The layer functions of ``solvers`` (convolution to attention) for pack expressions.

``register(functions)`` adds one wrapper per solver function, under the
solver's own name. Each wrapper

* binds the arguments to the solver's signature (so a wrong call reads as
  "missing argument W", with the solver's parameter names);
* checks, *before* calling the solver, that every array the call would create
  (the result, and the padded input, im2col matrix, gates or attention weights
  it builds on the way) stays within the expression language's element limit;
* turns the solver's ``ValueError`` into an ``ExpressionError`` with its message;
* returns arrays, numbers, tuples and lists, which expressions can index.

A mask for attention may be a bool array (a comparison such as ``m > 0``) or
an array of 0/1 numbers (a list literal such as ``[[1, 0], [1, 1]]``).
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
from typing import Any

import numpy as np

import solvers
from quizapp.packs.expr_bounds import MAX_INT, ExpressionError, check_shape

__all__ = ["register"]


# --------------------------------------------------------------------------- reading arguments


def _shape(v: Any) -> tuple[int, ...]:
    """The shape of an array argument (lists included); () when it is not numeric."""
    try:
        return tuple(np.shape(v))
    except ValueError:  # a ragged list: the solver reports it
        return ()


def _whole(v: Any) -> int | None:
    """v as an int when the solver would read it as one (ints, whole floats), else None."""
    if isinstance(v, (bool, np.bool_)):
        return None
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)) and math.isfinite(v) and float(v).is_integer():
        return int(v)
    return None


def _out(size: int | None, k: int | None, stride: int | None, pad: int | None, dil: int = 1):
    """conv_output_size, or None when the solver will refuse the arguments."""
    if None in (size, k, stride, pad) or stride < 1 or pad < 0 or k < 1 or dil < 1:
        return None
    span = dil * (k - 1) + 1
    return None if span > size + 2 * pad else (size + 2 * pad - span) // stride + 1


def _check(what: str, *shape: int | None) -> None:
    """check_shape when every size is known (unknown sizes: the solver raises first)."""
    if all(isinstance(d, int) and d >= 0 for d in shape):
        check_shape(tuple(shape), what)


def _padded(x_shape: tuple[int, ...], pad: int | None) -> None:
    if len(x_shape) == 4 and pad is not None and pad >= 0:
        n, c, h, w = x_shape
        _check("the padded input", n, c, h + 2 * pad, w + 2 * pad)


# --------------------------------------------------------------------------- size checks


def _conv_sizes(x, W, stride, pad, dilation, groups, **_: Any) -> None:
    xs, ws = _shape(x), _shape(W)
    if len(xs) != 4 or len(ws) != 4:
        return
    pad, stride, dilation = _whole(pad), _whole(stride), _whole(dilation)
    _padded(xs, pad)
    groups = _whole(groups) or 1
    oh = _out(xs[2], ws[2], stride, pad, dilation or 1)
    ow = _out(xs[3], ws[3], stride, pad, dilation or 1)
    if oh is not None and ow is not None:
        _check("the im2col matrix", xs[0] * oh * ow, max(1, xs[1] // groups) * ws[2] * ws[3])
        _check("the output", xs[0], ws[0], oh, ow)


def _im2col_sizes(x, kh, kw, stride, pad, **_: Any) -> None:
    xs = _shape(x)
    if len(xs) != 4:
        return
    pad, stride, kh, kw = _whole(pad), _whole(stride), _whole(kh), _whole(kw)
    _padded(xs, pad)
    oh, ow = _out(xs[2], kh, stride, pad), _out(xs[3], kw, stride, pad)
    if oh is not None and ow is not None:
        _check("the im2col matrix", xs[0] * oh * ow, xs[1] * kh * kw)


def _col2im_sizes(x_shape, pad, **_: Any) -> None:
    shape = tuple(_whole(d) for d in x_shape) if isinstance(x_shape, (tuple, list)) else ()
    if len(shape) == 4 and None not in shape:
        _check("the image", *shape)
        _padded(shape, _whole(pad))


def _transpose_sizes(x, W, stride, pad, **_: Any) -> None:
    xs, ws, stride = _shape(x), _shape(W), _whole(stride)
    if len(xs) != 4 or len(ws) != 4 or stride is None or stride < 1:
        return
    n, _, h, w = xs
    _check("the column matrix", n * h * w, ws[1] * ws[2] * ws[3])
    _check("the padded output", n, ws[1], (h - 1) * stride + ws[2], (w - 1) * stride + ws[3])


def _pool_sizes(x, k, stride, pad, **_: Any) -> None:
    xs, k, pad = _shape(x), _whole(k), _whole(pad)
    if len(xs) != 4 or k is None:
        return
    stride = k if stride is None else _whole(stride)
    _padded(xs, pad)
    oh, ow = _out(xs[2], k, stride, pad), _out(xs[3], k, stride, pad)
    if oh is not None and ow is not None:
        _check("the pooling windows", xs[0] * oh * ow, xs[1] * k * k)


def _recurrent_sizes(xs, W_hh, **_: Any) -> None:
    x_shape, w_shape = _shape(xs), _shape(W_hh)
    if len(x_shape) == 3 and len(w_shape) == 2:
        t, n, d = x_shape
        _check("the gates", t, n, w_shape[0])
        _check("the inputs with the states", t + 1, n, w_shape[1] + d + 1)


def _attention_sizes(Q, K, **_: Any) -> None:
    q, k = _shape(Q), _shape(K)
    if len(q) >= 2 and len(k) >= 2:
        _check("the attention weights", *q[:-1], k[-2])


def _mha_sizes(q, k, num_heads, **_: Any) -> None:
    qs, ks, heads = _shape(q), _shape(k), _whole(num_heads)
    if len(qs) == 3 and len(ks) == 3 and heads is not None and heads >= 1:
        _check("the attention weights", qs[0], heads, qs[1], ks[1])


def _positional_sizes(length, d_model, **_: Any) -> None:
    _check("the encoding", _whole(length), _whole(d_model))


def _embedding_sizes(ids, E, **_: Any) -> None:
    es = _shape(E)
    if len(es) == 2:
        _check("the embeddings", *_shape(ids), es[1])


def _embedding_backward_sizes(dout, vocab_size, **_: Any) -> None:
    ds = _shape(dout)
    if ds:
        _check("the gradient of the table", _whole(vocab_size), ds[-1])


def _receptive_sizes(layers, **_: Any) -> None:
    """Refuse layers whose stride product passes MAX_INT (it would grow without bound)."""
    if not isinstance(layers, (list, tuple)):
        return
    jump = 1
    for layer in layers:
        spec = tuple(layer) if isinstance(layer, (list, tuple, np.ndarray)) else (layer,)
        stride = _whole(spec[1]) if len(spec) > 1 else 1
        jump *= max(1, stride or 1)
        if jump > MAX_INT:
            raise ExpressionError("the product of the strides is too large")


# --------------------------------------------------------------------------- wrapping


def _bool_mask(mask: Any) -> Any:
    """A 0/1 numeric mask as bool (a list literal arrives as floats); bool masks unchanged."""
    if mask is None:
        return None
    m = np.asarray(mask)
    if m.dtype == np.bool_:
        return m
    if m.dtype.kind not in "iuf" or not np.all((m == 0) | (m == 1)):
        raise ExpressionError("the mask holds true/false or 0/1 values (1 = may attend)")
    return m == 1


def _wrap(name: str, check: Callable[..., None] | None = None) -> Callable[..., Any]:
    fn = getattr(solvers, name)
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)  # TypeError: the language names the problem
        bound.apply_defaults()
        if "mask" in bound.arguments:
            bound.arguments["mask"] = _bool_mask(bound.arguments["mask"])
        if check is not None:
            check(**bound.arguments)
        try:
            result = fn(*bound.args, **bound.kwargs)
        except ExpressionError:
            raise
        except ValueError as exc:
            text = str(exc)
            raise ExpressionError(text.removeprefix(f"{name}: ")) from None
        return _plain(result)

    return call


def _plain(v: Any) -> Any:
    """np.float64 scalars stay; 0-d arrays become numbers; tuples and lists keep their items."""
    if isinstance(v, np.ndarray) and v.ndim == 0:
        return v[()]
    if isinstance(v, tuple):
        return tuple(_plain(item) for item in v)
    if isinstance(v, list):
        return [_plain(item) for item in v]
    return v


_CHECKS: dict[str, Callable[..., None] | None] = {
    "conv_output_size": None,
    "im2col": _im2col_sizes,
    "col2im": _col2im_sizes,
    "conv2d": _conv_sizes,
    "conv2d_backward": _conv_sizes,
    "conv_transpose2d": _transpose_sizes,
    "receptive_field": _receptive_sizes,
    "conv_params": None,
    "conv_flops": None,
    "max_pool2d": _pool_sizes,
    "max_pool2d_backward": _pool_sizes,
    "avg_pool2d": _pool_sizes,
    "avg_pool2d_backward": _pool_sizes,
    "global_avg_pool2d": None,
    "batch_norm": None,
    "batch_norm_backward": None,
    "batch_norm_running": None,
    "layer_norm": None,
    "layer_norm_backward": None,
    "group_norm": None,
    "group_norm_backward": None,
    "dropout": None,
    "dropout_backward": None,
    "rnn": _recurrent_sizes,
    "rnn_backward": _recurrent_sizes,
    "lstm": _recurrent_sizes,
    "lstm_backward": _recurrent_sizes,
    "gru": _recurrent_sizes,
    "gru_backward": _recurrent_sizes,
    "clip_grad_norm": None,
    "scaled_dot_product_attention": _attention_sizes,
    "attention_backward": _attention_sizes,
    "multi_head_attention": _mha_sizes,
    "multi_head_attention_backward": _mha_sizes,
    "positional_encoding": _positional_sizes,
    "embedding": _embedding_sizes,
    "embedding_backward": _embedding_backward_sizes,
    "lr_schedule": None,
    "l1_penalty": None,
    "l2_penalty": None,
    "l1_penalty_grad": None,
    "l2_penalty_grad": None,
}

#: The names :func:`register` adds.
NAMES: tuple[str, ...] = tuple(_CHECKS)


def register(functions: dict[str, Callable[..., Any]]) -> None:
    """Add the layer functions to the expression registry ``functions`` (name -> callable)."""
    for name, check in _CHECKS.items():
        functions[name] = _wrap(name, check)
