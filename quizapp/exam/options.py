"""Four options for every exam item: a choice template's own options, or options made
from a value answer (the correct value and near misses).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from quizapp.exam.presets import CHOICE_KINDS, OPTION_COUNT, VALUE_KINDS
from quizapp.packs.generation import Choice as ExamOption
from quizapp.packs.model import Text

if TYPE_CHECKING:
    from quizapp.packs.generation import Problem

# --------------------------------------------------------------------------- four options


class NotConvertible(Exception):
    """A value item that cannot be given four distinct options."""


def _same_text(value: str) -> dict[str, str]:
    return {"ja": value, "en": value}


def _scalar_perturbations(a: float, rng: random.Random) -> list[float]:
    if a == 0:
        first = [1.0, -1.0, 0.5, -0.5]
        second = [0.25, 2.0, -2.0, 0.1]
    elif float(a).is_integer():
        first = [a + 1, a - 1, 2 * a, -a]
        second = [a + 2, a - 2, a / 2, a * a, 10 * a]
    else:
        first = [-a, 2 * a, a / 2, 1 - a]
        second = [a * a, 1 / a, 10 * a, a / 10, 1.5 * a, 0.75 * a, a + 1, a - 1]
    rng.shuffle(first)
    rng.shuffle(second)
    return first + second


def _array_perturbations(a: Any, rng: random.Random) -> list[Any]:
    import numpy as np

    first = [-a, 2 * a, a / 2]
    if a.ndim == 2:
        first.append(a.T)
    second = [1 - a, 1.5 * a]
    flat = a.reshape(-1)
    nonzero = [i for i, v in enumerate(flat) if v != 0]
    if nonzero:
        flipped = flat.copy()
        flipped[nonzero[rng.randrange(len(nonzero))]] *= -1
        second.append(flipped.reshape(a.shape))
    if a.ndim == 1 and a.size > 1:
        second.append(a[::-1].copy())
    bumped = flat.copy()
    bumped[rng.randrange(flat.size)] += 0.1
    second.append(bumped.reshape(a.shape))
    rng.shuffle(first)
    rng.shuffle(second)
    return [np.asarray(x, dtype=float) + 0.0 for x in first + second]


def _formats(default: str) -> list[str]:
    out = [default] if default else []
    for fmt in (".4g", ".6g", ".10g", ".17g"):
        if fmt not in out:
            out.append(fmt)
    return out


def value_options(problem: Problem, rng: random.Random) -> tuple[ExamOption, ...]:
    """Four options for a numeric, vector or matrix problem (see the module docstring).

    Raises ``NotConvertible`` when four distinct options cannot be made.
    """
    import numpy as np

    from quizapp.grading import grade
    from quizapp.packs.expressions import format_value

    answer = problem.answer
    fmt = None
    for candidate in _formats(problem.template.answer.format):
        if grade(problem, format_value(answer, candidate)).correct:
            fmt = candidate
            break
    if fmt is None:
        raise NotConvertible("the correct answer cannot be written as an accepted option")
    correct_text = format_value(answer, fmt)
    options = [ExamOption(_same_text(correct_text), None, True)]
    seen = {correct_text}

    def offer(value: Any, tag: str | None = None, message: Text | None = None) -> None:
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return
        if arr.size == 0 or not np.all(np.isfinite(arr)):
            return
        if problem.kind == "numeric":
            if arr.size != 1:
                return
            value = float(arr.reshape(-1)[0]) + 0.0
        else:
            if arr.ndim == 0:
                return
            value = arr + 0.0
        text = format_value(value, fmt)
        if text in seen or grade(problem, text).correct:
            return
        seen.add(text)
        options.append(ExamOption(_same_text(text), None, False, tag, message))

    for m in problem.misconceptions:
        if len(options) == OPTION_COUNT:
            break
        offer(m.value, m.tag, m.message)
    if problem.kind == "numeric":
        slips: list[Any] = _scalar_perturbations(float(answer), rng)
    else:
        slips = _array_perturbations(np.asarray(answer, dtype=float), rng)
    for slip in slips:
        if len(options) == OPTION_COUNT:
            break
        offer(slip)
    if len(options) < OPTION_COUNT:
        raise NotConvertible(f"only {len(options)} distinct options")
    rng.shuffle(options)
    return tuple(options)


def exam_options(problem: Problem) -> tuple[tuple[ExamOption, ...], bool]:
    """The options of an exam item and whether several may be chosen.

    Choice problems keep their options; value problems get four (``value_options``),
    drawn from the problem's seed. Other kinds raise ``NotConvertible``.
    """
    from quizapp.packs.generation import rng_for

    kind = problem.kind
    if kind in CHOICE_KINDS:
        assert problem.choices is not None
        return tuple(problem.choices), kind == "multi_choice"
    if kind in VALUE_KINDS:
        return value_options(problem, rng_for(problem.template.id + "/exam", problem.seed)), False
    raise NotConvertible(f"{kind} items are not used in exams")
