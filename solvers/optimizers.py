"""One step of the gradient-descent optimizers, as pure functions.

``optimizer_step(name, param, grad, state, **hyper) -> (new_param, new_state)``

``state`` is a dict of the optimizer's running quantities: ``None`` or ``{}``
on the first step (they start at zero). A **new** dict with new arrays is
returned; ``param``, ``grad`` and ``state`` are never modified. Updates
follow the published rules, with the hyperparameter names of the literature
(η = ``lr``); defaults are those of deep-learning-from-scratch
(``common/optimizer.py``) and, for Adam, of Kingma & Ba (2015):

=============  ====================================  =====================================
name           state                                 update
=============  ====================================  =====================================
``sgd``        (none)                                p ← p − lr·g                (lr=0.01)
``momentum``   v (velocity)                          v ← momentum·v − lr·g;  p ← p + v
                                                     (lr=0.01, momentum=0.9)
``nesterov``   v                                     v ← momentum·v − lr·g;
                                                     p ← p + momentum·v − lr·g  (new v)
                                                     (lr=0.01, momentum=0.9)
``adagrad``    h (sum of squared gradients)          h ← h + g²;  p ← p − lr·g/(√h + eps)
                                                     (lr=0.01, eps=1e-7)
``rmsprop``    h (moving average of g²)              h ← rho·h + (1 − rho)·g²;
                                                     p ← p − lr·g/(√h + eps)
                                                     (lr=0.01, rho=0.99, eps=1e-7;
                                                     ``decay``/``decay_rate`` = rho)
``adam``       m, v (moments), t (step count)        t ← t + 1; m ← β1·m + (1 − β1)·g;
                                                     v ← β2·v + (1 − β2)·g²;
                                                     m̂ = m/(1 − β1^t); v̂ = v/(1 − β2^t);
                                                     p ← p − lr·m̂/(√v̂ + eps)
                                                     (lr=0.001, beta1=0.9, beta2=0.999,
                                                     eps=1e-8)
``adamw``      m, v, t                               p ← p·(1 − lr·weight_decay), then the
                                                     adam update with the raw g
                                                     (as adam, weight_decay=0.01)
=============  ====================================  =====================================

Weight decay (``weight_decay=λ``, every optimizer, default 0; PyTorch's
semantics): all but adamw add the L2 gradient to the gradient first,
g ← g + λ·p (coupled, as ``torch.optim.SGD/Adagrad/RMSprop/Adam``); adamw
decays the parameter itself, decoupled from the moments (Loshchilov & Hutter,
2019; ``torch.optim.AdamW``). As in torch, Adam's eps is added outside the
square root after the bias correction, and adam/adamw equal ``torch.optim.Adam``
/ ``AdamW`` to rounding. (torch's Adagrad and RMSprop differ in their default
eps and where eps is added; the book's forms are kept for those.)

Momentum is the form of deep-learning-from-scratch and the E資格 course
(v holds −lr × the accumulated gradient), not PyTorch's v ← μv + g, p ← p − lr·v
(the two agree while lr is constant).

Nesterov is the reformulation of Bengio, Boulanger-Lewandowski & Pascanu
(2012, arXiv:1212.0901, the paper the book cites) of Sutskever et al. (2013):
with the gradient g taken at the current parameters,

    v_new = momentum·v − lr·g
    p_new = p + momentum·v_new − lr·g   (= p + momentum²·v − (1 + momentum)·lr·g)

which equals PyTorch's ``SGD(nesterov=True)`` for a constant lr. Note: the
current code of deep-learning-from-scratch updates v first and then adds
momentum²·v_new (not momentum²·v_old); that ordering is not followed here.
"""

from __future__ import annotations

import math

import numpy as np

from ._arrays import as_float, check_same_shape, finish

__all__ = ["OPTIMIZERS", "optimizer_step"]

# name -> (default hyperparameters, state keys)
_SPECS: dict[str, tuple[dict[str, float], tuple[str, ...]]] = {
    "sgd": ({"lr": 0.01}, ()),
    "momentum": ({"lr": 0.01, "momentum": 0.9}, ("v",)),
    "nesterov": ({"lr": 0.01, "momentum": 0.9}, ("v",)),
    "adagrad": ({"lr": 0.01, "eps": 1e-7}, ("h",)),
    "rmsprop": ({"lr": 0.01, "rho": 0.99, "eps": 1e-7}, ("h",)),
    "adam": ({"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, ("m", "v", "t")),
    "adamw": (
        {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01},
        ("m", "v", "t"),
    ),
}
for _name, (_defaults, _) in _SPECS.items():
    _defaults.setdefault("weight_decay", 0.0)  # torch's default: 0 (AdamW: 0.01)
_ALIASES: dict[str, dict[str, str]] = {"rmsprop": {"decay": "rho", "decay_rate": "rho"}}

#: The optimizer names accepted by :func:`optimizer_step`.
OPTIMIZERS: tuple[str, ...] = tuple(_SPECS)


def _hyperparameters(name: str, given: dict) -> dict[str, float]:
    try:
        defaults, _ = _SPECS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown optimizer {name!r}; valid names: {', '.join(OPTIMIZERS)}"
        ) from None
    aliases = _ALIASES.get(name, {})
    hyper = dict(defaults)
    seen: dict[str, str] = {}
    for key, value in given.items():
        canonical = aliases.get(key, key)
        if canonical not in defaults:
            valid = ", ".join(list(defaults) + [f"{a} (= {c})" for a, c in aliases.items()])
            raise ValueError(
                f"optimizer {name!r} got unknown hyperparameter {key!r}; valid: {valid}"
            )
        if canonical in seen:
            raise ValueError(
                f"optimizer {name!r}: {seen[canonical]!r} and {key!r} both set {canonical!r}"
            )
        seen[canonical] = key
        try:
            hyper[canonical] = float(value)
        except (TypeError, ValueError):
            raise ValueError(
                f"optimizer {name!r}: hyperparameter {key!r} must be a number, got {value!r}"
            ) from None
        if not math.isfinite(hyper[canonical]):
            raise ValueError(f"optimizer {name!r}: hyperparameter {key!r} must be finite")
    return hyper


def _read_state(name: str, state, keys: tuple[str, ...], shape: tuple) -> dict:
    """The previous state as float64 arrays (zeros and t = 0 on the first step)."""
    if state is None or (isinstance(state, dict) and not state):
        return {k: (0 if k == "t" else np.zeros(shape)) for k in keys}
    if not isinstance(state, dict):
        raise ValueError(f"optimizer {name!r}: state must be a dict or None, got {state!r}")
    if set(state) != set(keys):
        raise ValueError(
            f"optimizer {name!r}: state has keys {sorted(state)}, expected {sorted(keys)} "
            "(or an empty dict / None for the first step)"
        )
    out: dict = {}
    for k in keys:
        if k == "t":
            t = state[k]
            if isinstance(t, bool) or int(t) != t or t < 0:
                raise ValueError(f"optimizer {name!r}: state['t'] must be a step count, got {t!r}")
            out[k] = int(t)
        else:
            a = as_float(state[k])
            if a.shape != shape:
                raise ValueError(
                    f"optimizer {name!r}: state[{k!r}] has shape {a.shape}, param has shape {shape}"
                )
            out[k] = a
    return out


def optimizer_step(name: str, param, grad, state=None, **hyper):
    """One update of ``param`` by the optimizer ``name`` (see the module docstring).

    Args:
        name: sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw.
        param: the parameter p (scalar or array of any shape).
        grad: ∂E/∂p, the same shape as ``param``.
        state: the state returned by the previous step, or ``None`` / ``{}``.
        **hyper: hyperparameters by their literature names (lr, momentum, eps,
            rho (alias decay, decay_rate), beta1, beta2, weight_decay).

    Returns:
        ``(new_param, new_state)``: a new array of the shape of ``param`` (an
        np.float64 for a scalar) and a new dict (``{}`` for sgd; ``{"v"}``,
        ``{"h"}`` or ``{"m", "v", "t"}`` (adam, adamw)).

    Raises ``ValueError`` for an unknown optimizer or hyperparameter (listing
    the valid ones), a state that does not fit, or mismatched shapes.
    """
    hp = _hyperparameters(name, hyper)
    p, g = as_float(param), as_float(grad)
    check_same_shape(f"optimizer {name!r}", p, g, names=("param", "grad"))
    s = _read_state(name, state, _SPECS[name][1], p.shape)
    lr, wd = hp["lr"], hp["weight_decay"]
    if wd and name == "adamw":
        p = p * (1.0 - lr * wd)  # decoupled: the decay does not enter the moments
    elif wd:
        g = g + wd * p  # coupled L2: the gradient of wd/2·‖p‖²

    if name == "sgd":
        new_p, new_s = p - lr * g, {}
    elif name == "momentum":
        v = hp["momentum"] * s["v"] - lr * g
        new_p, new_s = p + v, {"v": v}
    elif name == "nesterov":
        mu = hp["momentum"]
        v = mu * s["v"] - lr * g
        new_p, new_s = p + mu * v - lr * g, {"v": v}
    elif name == "adagrad":
        h = s["h"] + g * g
        new_p, new_s = p - lr * g / (np.sqrt(h) + hp["eps"]), {"h": h}
    elif name == "rmsprop":
        rho = hp["rho"]
        h = rho * s["h"] + (1.0 - rho) * g * g
        new_p, new_s = p - lr * g / (np.sqrt(h) + hp["eps"]), {"h": h}
    else:  # adam, adamw
        b1, b2 = hp["beta1"], hp["beta2"]
        t = s["t"] + 1
        m = b1 * s["m"] + (1.0 - b1) * g
        v = b2 * s["v"] + (1.0 - b2) * g * g
        m_hat = m / (1.0 - b1**t)
        v_hat = v / (1.0 - b2**t)
        new_p = p - lr * m_hat / (np.sqrt(v_hat) + hp["eps"])
        new_s = {"m": m, "v": v, "t": t}

    new_s = {
        k: (val if k == "t" else finish(np.array(val, dtype=np.float64)))
        for k, val in new_s.items()
    }
    return finish(np.array(new_p, dtype=np.float64)), new_s
