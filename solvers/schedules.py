"""Learning-rate schedules: lr at step t as a pure function of (lr0, t, hyperparameters).

``lr_schedule(name, lr0, step, **kw)``; ``step`` t counts from 0 (torch's
``last_epoch`` after t calls of ``scheduler.step()``), except noam (t ≥ 1):

===================  ==================================================  ===================
name                 lr(t)                                               as
===================  ==================================================  ===================
``step``             lr0 · gamma^⌊t / step_size⌋  (gamma = 0.1)          torch StepLR
``exponential``      lr0 · gamma^t                                       torch ExponentialLR
``cosine``           lr_min + (lr0 − lr_min)(1 + cos(π t / T_max)) / 2    torch CosineAnnealingLR
                     (lr_min = 0)                                        (closed form)
``warmup_linear``    lr0 · t / warmup for t < warmup, then               transformers'
                     lr0 · max(0, (total − t) / (total − warmup))         linear schedule
``noam``             lr0 · d_model^−½ · min(t^−½, t · warmup^−1.5)        Vaswani et al. 2017
===================  ==================================================  ===================
"""

from __future__ import annotations

import math

from ._layers import int_arg

__all__ = ["SCHEDULES", "lr_schedule"]

# name -> (required, optional with defaults)
_SPECS: dict[str, tuple[tuple[str, ...], dict[str, float]]] = {
    "step": (("step_size",), {"gamma": 0.1}),
    "exponential": (("gamma",), {}),
    "cosine": (("T_max",), {"lr_min": 0.0}),
    "warmup_linear": (("warmup", "total"), {}),
    "noam": (("d_model", "warmup"), {}),
}
_WHOLE = {"step_size", "T_max", "warmup", "total", "d_model"}

#: The schedule names accepted by :func:`lr_schedule`.
SCHEDULES: tuple[str, ...] = tuple(_SPECS)


def _hyper(name: str, given: dict) -> dict[str, float]:
    fn = f"lr_schedule {name!r}"
    required, optional = _SPECS[name]
    unknown = set(given) - set(required) - set(optional)
    if unknown:
        valid = ", ".join([*required, *(f"{k}={v}" for k, v in optional.items())])
        raise ValueError(f"{fn}: unknown hyperparameter {sorted(unknown)[0]!r}; valid: {valid}")
    missing = [k for k in required if k not in given]
    if missing:
        raise ValueError(f"{fn}: missing {', '.join(missing)} (needs {', '.join(required)})")
    out = dict(optional)
    for key, value in given.items():
        if key in _WHOLE:
            out[key] = int_arg(fn, key, value, 0 if key == "warmup" else 1)
        else:
            try:
                out[key] = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"{fn}: {key} must be a number, got {value!r}") from None
            if not math.isfinite(out[key]):
                raise ValueError(f"{fn}: {key} must be finite, got {value!r}")
    return out


def lr_schedule(name, lr0, step, **kw) -> float:
    """The learning rate at step ``step`` of schedule ``name`` (see the module docstring).

    Raises ``ValueError`` for an unknown name or hyperparameter (listing the
    valid ones), a missing hyperparameter, or a negative step (noam: step ≥ 1).
    """
    if name not in _SPECS:
        raise ValueError(f"unknown lr_schedule {name!r}; valid names: {', '.join(SCHEDULES)}")
    hp = _hyper(name, kw)
    lr0 = float(lr0)
    t = int_arg(f"lr_schedule {name!r}", "step", step, 1 if name == "noam" else 0)
    if name == "step":
        return lr0 * hp["gamma"] ** (t // hp["step_size"])
    if name == "exponential":
        return lr0 * hp["gamma"] ** t
    if name == "cosine":
        lo = hp["lr_min"]
        return lo + (lr0 - lo) * (1.0 + math.cos(math.pi * t / hp["T_max"])) / 2.0
    if name == "warmup_linear":
        warmup, total = hp["warmup"], hp["total"]
        if total <= warmup:
            raise ValueError(
                f"lr_schedule 'warmup_linear': total={total} must exceed warmup={warmup}"
            )
        if t < warmup:
            return lr0 * t / warmup
        return lr0 * max(0.0, (total - t) / (total - warmup))
    warmup = hp["warmup"]
    if warmup < 1:
        raise ValueError(f"lr_schedule 'noam': warmup must be at least 1, got {warmup}")
    return lr0 * hp["d_model"] ** -0.5 * min(t**-0.5, t * warmup**-1.5)
