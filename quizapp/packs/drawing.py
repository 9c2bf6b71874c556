"""Drawing a template's parameters from a seed, with its `where` constraints met."""

from __future__ import annotations

import contextlib
import math
import random
import time
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any

import numpy as np

from quizapp.packs.expressions import ExpressionError, evaluate
from quizapp.packs.model import (
    MAX_GRID_VALUES,
    MAX_PARAM_ELEMENTS,
    ArrayParam,
    ChoiceParam,
    DerivedParam,
    IntParam,
    RangeParam,
    SimplexParam,
    Template,
)
from quizapp.packs.problem import GenerationError

MAX_DRAWS = 1000
MAX_ARRAY_SIZE = MAX_PARAM_ELEMENTS
PROBLEM_SECONDS = 2.0  # wall-clock budget of one problem, every `where` draw included

# The deadline (time.monotonic()) of the problem being generated in this thread, if any.
_DEADLINE: ContextVar[float | None] = ContextVar("quizapp_problem_deadline", default=None)


@contextlib.contextmanager
def problem_budget(seconds: float | None = None) -> Iterator[None]:
    """Bound the time of everything inside (one problem). Nested budgets keep the outer one."""
    if _DEADLINE.get() is not None:
        yield
        return
    token = _DEADLINE.set(time.monotonic() + (PROBLEM_SECONDS if seconds is None else seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_budget(where: str) -> None:
    """Raise GenerationError when the problem's time budget is spent."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise GenerationError.of("gen.too_slow", where, seconds=f"{PROBLEM_SECONDS:g}")


def _decimals(step: float) -> int:
    text = repr(float(step))
    if "e" in text:
        mantissa, exp = text.split("e")
        frac = mantissa.split(".")[1] if "." in mantissa else ""
        return max(0, len(frac.rstrip("0")) - int(exp))
    frac = text.split(".")[1]
    return len(frac.rstrip("0"))


def _grid_value(rng: random.Random, lo: float, hi: float, step: float) -> float:
    n = int(math.floor((hi - lo) / step + 1e-9))
    k = rng.randint(0, n)
    return round(lo + k * step, _decimals(step) + _decimals(lo))


def _all_int(*values: Any) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _as_value(value: Any) -> Any:
    """YAML lists of numbers become float arrays; everything else stays."""
    if isinstance(value, list):
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return value
        return arr
    return value


def _shape(spec: ArrayParam, env: Mapping[str, Any], name: str) -> tuple[int, ...]:
    dims = []
    for i, dim in enumerate(spec.array):
        value = dim if isinstance(dim, int) else _eval(dim, env, f"params.{name}.array[{i}]")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
            raise GenerationError(
                f"a dimension must be a positive whole number, got {value!r}",
                f"params.{name}.array[{i}]",
            )
        dims.append(int(value))
    if math.prod(dims) > MAX_ARRAY_SIZE:
        raise GenerationError(
            f"the array would have {math.prod(dims)} entries (at most {MAX_ARRAY_SIZE})",
            f"params.{name}.array",
        )
    return tuple(dims)


def _eval(source: str, env: Mapping[str, Any], where: str) -> Any:
    check_budget(where)
    try:
        return evaluate(source, env)
    except ExpressionError as exc:
        raise GenerationError(exc.message, where) from exc


def draw_param(spec: Any, rng: random.Random, env: Mapping[str, Any], name: str) -> Any:
    """One parameter's value, drawn with rng, from the values drawn so far (env)."""
    if isinstance(spec, ChoiceParam):
        return _as_value(spec.choice[rng.randrange(len(spec.choice))])
    if isinstance(spec, RangeParam):
        lo, hi = spec.range
        for _ in range(MAX_DRAWS):
            value = _grid_value(rng, lo, hi, spec.step)
            if not any(abs(value - e) < 1e-12 for e in spec.exclude):
                break
        else:
            raise GenerationError("every value of the range is excluded", f"params.{name}")
        return int(round(value)) if _all_int(lo, hi, spec.step) else float(value)
    if isinstance(spec, IntParam):
        lo, hi = spec.int
        allowed = hi - lo + 1 - sum(1 for e in set(spec.exclude) if lo <= e <= hi)
        if allowed <= 0:
            raise GenerationError("every value of the range is excluded", f"params.{name}")
        for tries in range(10**9):
            value = rng.randint(lo, hi)
            if value not in spec.exclude:
                return value
            if tries % 1000 == 999:
                check_budget(f"params.{name}")
    if isinstance(spec, ArrayParam):
        shape = _shape(spec, env, name)
        lo, hi = spec.range
        values = []
        for count in range(math.prod(shape)):
            if count % 500 == 499:
                check_budget(f"params.{name}")
            for _ in range(MAX_DRAWS):
                v = _grid_value(rng, lo, hi, spec.step)
                if not (spec.nonzero and v == 0):
                    break
            else:
                raise GenerationError("no nonzero value in the range", f"params.{name}")
            values.append(v + 0.0)
        return np.array(values, dtype=float).reshape(shape)
    if isinstance(spec, SimplexParam):
        n = spec.simplex
        if not isinstance(n, int):
            n = _eval(n, env, f"params.{name}.simplex")
        if not (math.isfinite(spec.step) and 0 < spec.step and 1 / spec.step <= MAX_GRID_VALUES):
            raise GenerationError(
                f"1/step must be at most {MAX_GRID_VALUES:,}", f"params.{name}.step"
            )
        units = round(1 / spec.step)
        if abs(units * spec.step - 1) > 1e-9:
            raise GenerationError("1 must be a whole multiple of step", f"params.{name}.step")
        limit = min(units, MAX_PARAM_ELEMENTS)
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= limit:
            raise GenerationError(
                f"simplex needs a whole number of entries from 1 to {limit:,}", f"params.{name}"
            )
        cuts = sorted(rng.sample(range(1, units), int(n) - 1))
        bounds = [0, *cuts, units]
        decimals = _decimals(spec.step)
        return np.array(
            [round((b - a) * spec.step, decimals) for a, b in zip(bounds, bounds[1:], strict=False)]
        )
    if isinstance(spec, DerivedParam):
        value = _eval(spec.expr, env, f"params.{name}.expr")
        if spec.round is not None:
            value = _round(value, spec.round)
        return value
    raise GenerationError(f"unknown parameter spec {type(spec).__name__}", f"params.{name}")


def _round(value: Any, digits: int) -> Any:
    if isinstance(value, np.ndarray):
        return np.round(value, digits) + 0.0
    if isinstance(value, (float, np.floating)):
        return round(float(value), digits) + 0.0
    return value


def rng_for(template_id: str, seed: int) -> random.Random:
    return random.Random(f"{template_id}#{seed}")


def draw_params(template: Template, seed: int) -> dict[str, Any]:
    """Every parameter of the template for this seed, with the `where` constraints met."""
    rng = rng_for(template.id, seed)
    with problem_budget():
        for _ in range(MAX_DRAWS):
            check_budget("where")
            env: dict[str, Any] = {}
            for name, spec in template.params.items():
                env[name] = draw_param(spec, rng, env, name)
            if all(
                _truth(_eval(cond, env, f"where[{i}]")) for i, cond in enumerate(template.where)
            ):
                return env
    raise GenerationError(
        f"the constraints in `where` were not met in {MAX_DRAWS} draws; widen the ranges "
        "or relax the constraints",
        "where",
    )


def _truth(value: Any) -> bool:
    if isinstance(value, np.ndarray):
        return bool(value.all())
    return bool(value)

