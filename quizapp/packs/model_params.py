"""The parameters of a template (its `params:`): how each value is drawn per seed.

A parameter is one value from a list (``choice``), a number on a grid (``range``), a
whole number (``int``), a vector or matrix of nice numbers (``array``), a probability
vector (``simplex``) or a value computed from earlier ones (``expr``); ``ParamSpec``
tells them apart by their key. The sizes are checked here against ``MAX_PARAM_ELEMENTS``
and ``MAX_GRID_VALUES`` before anything is built (a pack is untrusted);
:mod:`quizapp.packs.drawing` draws the values.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from quizapp.packs.model_base import Expression, Number, Strict

# Limits a parameter is checked against before anything is built (a pack is untrusted).
MAX_PARAM_ELEMENTS = 10_000  # entries of an array or simplex parameter
MAX_GRID_VALUES = 1_000_000  # values on the grid of a range (range/step, 1/step)


def _check_grid(lo: float, hi: float, step: float) -> None:
    """A range [lo, hi] on a grid of `step`: finite numbers, at most MAX_GRID_VALUES values."""
    if not all(math.isfinite(v) for v in (lo, hi, step)):
        raise ValueError("range and step must be finite numbers")
    if lo > hi:
        raise ValueError("range must be [low, high] with low <= high")
    if step <= 0:
        raise ValueError("step must be positive")
    if (hi - lo) / step > MAX_GRID_VALUES:
        raise ValueError(f"range/step gives more than {MAX_GRID_VALUES:,} values")


class ChoiceParam(Strict):
    """One value from a list: `{choice: [0.5, 1.0, 2.0]}` (values may be any YAML scalar/list)."""

    choice: list[Any] = Field(min_length=1, max_length=1000)


class RangeParam(Strict):
    """A number from `range: [lo, hi]` on a grid of `step` (lo + k·step, both ends included)."""

    range: tuple[Number, Number]
    step: Number = 1
    exclude: list[Number] = []

    @model_validator(mode="after")
    def _check(self) -> RangeParam:
        _check_grid(*self.range, self.step)
        return self


class IntParam(Strict):
    """An integer from `int: [lo, hi]`, both ends included."""

    int: tuple[int, int]
    exclude: list[int] = []

    @model_validator(mode="after")
    def _check(self) -> IntParam:
        if self.int[0] > self.int[1]:
            raise ValueError("int must be [low, high] with low <= high")
        return self


class ArrayParam(Strict):
    """A vector or matrix of nice numbers: `array: [2, 3]` (the shape; entries may be
    expressions of earlier parameters), with entries from `range` on a grid of `step`."""

    array: list[int | Expression] = Field(min_length=1, max_length=3)
    range: tuple[Number, Number] = (-1, 1)
    step: Number = 0.1
    nonzero: bool = False

    @model_validator(mode="after")
    def _check(self) -> ArrayParam:
        _check_grid(*self.range, self.step)
        fixed = [d for d in self.array if isinstance(d, int)]
        if any(d < 1 for d in fixed):
            raise ValueError("a dimension must be a positive whole number")
        if math.prod(fixed) > MAX_PARAM_ELEMENTS:
            raise ValueError(
                f"the array would have {math.prod(fixed):,} entries (at most {MAX_PARAM_ELEMENTS:,})"
            )
        return self


class SimplexParam(Strict):
    """A probability vector of `simplex: n` entries, each a positive multiple of `step`,
    summing to exactly 1 (for softmax outputs and cross-entropy items)."""

    simplex: int | Expression
    step: Number = 0.05

    @field_validator("step")
    @classmethod
    def _step(cls, v: Number) -> Number:
        if not (math.isfinite(v) and 0 < v <= 0.5):
            raise ValueError("step must be in (0, 0.5]")
        if 1 / v > MAX_GRID_VALUES:
            raise ValueError(f"1/step must be at most {MAX_GRID_VALUES:,}")
        if abs(round(1 / v) * v - 1) > 1e-9:
            raise ValueError("1 must be a whole multiple of step")
        return v

    @model_validator(mode="after")
    def _check(self) -> SimplexParam:
        n = self.simplex
        if isinstance(n, int):
            limit = min(MAX_PARAM_ELEMENTS, round(1 / self.step))
            if not 1 <= n <= limit:
                raise ValueError(
                    f"simplex needs a whole number of entries from 1 to {limit:,} "
                    f"(at most {MAX_PARAM_ELEMENTS:,}, and at most 1/step)"
                )
        return self


class DerivedParam(Strict):
    """A value computed from earlier parameters: `expr: "W @ z + b"`; `round: 4` rounds it
    (do this for any derived value the prompt shows, so shown numbers are the ones used)."""

    expr: Expression
    round: int | None = Field(default=None, ge=0, le=12)


def _param_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for tag in ("array", "simplex", "expr", "choice", "int", "range"):
            if tag in value:
                return f"{tag} parameter"
        return None
    for tag, cls in (
        ("choice", ChoiceParam),
        ("range", RangeParam),
        ("int", IntParam),
        ("array", ArrayParam),
        ("simplex", SimplexParam),
        ("expr", DerivedParam),
    ):
        if isinstance(value, cls):
            return f"{tag} parameter"
    return None


ParamSpec = Annotated[
    Annotated[ChoiceParam, Tag("choice parameter")]
    | Annotated[RangeParam, Tag("range parameter")]
    | Annotated[IntParam, Tag("int parameter")]
    | Annotated[ArrayParam, Tag("array parameter")]
    | Annotated[SimplexParam, Tag("simplex parameter")]
    | Annotated[DerivedParam, Tag("expr parameter")],
    Discriminator(
        _param_tag,
        custom_error_type="param_kind",
        custom_error_message=(
            "a parameter needs one of the keys choice, range, int, array, simplex, expr"
        ),
    ),
]

