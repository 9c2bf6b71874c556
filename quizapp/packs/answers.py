"""The answer of a problem: values, misconceptions and the options of choice items."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

import numpy as np

from quizapp.packs.drawing import _eval, _truth
from quizapp.packs.expressions import ExpressionError, format_value
from quizapp.packs.model import Option, Template
from quizapp.packs.problem import LANGS, Choice, GenerationError, MisconceptionValue, _fill


def _numeric(value: Any, where: str) -> float:
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(-1)[0]
    if isinstance(value, (bool, np.bool_)):
        raise GenerationError("the answer is a true/false value, not a number", where)
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise GenerationError(f"the answer is not a number: {value!r}", where) from exc
    if not math.isfinite(number):
        raise GenerationError(f"the answer is not a finite number ({number})", where)
    return number


def _array(value: Any, ndim: int, where: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise GenerationError(f"the answer is not an array of numbers: {value!r}", where) from exc
    if ndim == 1 and arr.ndim == 2 and 1 in arr.shape:
        arr = arr.reshape(-1)
    if ndim == 1 and arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != ndim:
        name = "a vector" if ndim == 1 else "a matrix"
        raise GenerationError(f"the answer should be {name}, got shape {arr.shape}", where)
    if not np.all(np.isfinite(arr)):
        raise GenerationError("the answer has entries that are not finite numbers", where)
    return arr


def compute_value(template: Template, env: Mapping[str, Any]) -> Any:
    """The canonical answer of a numeric, vector, matrix or true/false template."""
    spec = template.answer
    kind = template.kind
    if kind == "true_false":
        if spec.value is None:
            return bool(spec.correct)
        value = _eval(spec.value, env, "answer.value")
        if not isinstance(value, (bool, np.bool_)):
            raise GenerationError("a true_false answer must be true or false", "answer.value")
        return bool(value)
    assert spec.value is not None
    value = _eval(spec.value, env, "answer.value")
    if kind == "numeric":
        return _numeric(value, "answer.value")
    arr = _array(value, 1 if kind == "vector" else 2, "answer.value")
    if spec.shape is not None:
        want = tuple(
            int(d) if isinstance(d, int) else int(_eval(d, env, "answer.shape")) for d in spec.shape
        )
        if arr.shape != want:
            raise GenerationError(
                f"the answer has shape {arr.shape}, the template says {want}", "answer.shape"
            )
    return arr


def _misconceptions(template: Template, env: Mapping[str, Any]) -> tuple[MisconceptionValue, ...]:
    out = []
    for i, m in enumerate(template.misconceptions):
        if template.kind == "expression":  # a formula, compared by evaluation when grading
            out.append(MisconceptionValue(m.tag, m.value, m.message))
            continue
        value = _eval(m.value, env, f"misconceptions[{i}].value")
        if template.kind == "numeric":
            value = _numeric(value, f"misconceptions[{i}].value")
        elif template.kind in ("vector", "matrix"):
            try:
                value = np.asarray(value, dtype=float)
            except (TypeError, ValueError) as exc:
                raise GenerationError(
                    "a misconception must be an array of numbers", f"misconceptions[{i}].value"
                ) from exc
        out.append(MisconceptionValue(m.tag, value, m.message))
    return tuple(out)


def _option_choice(opt: Option, env: Mapping[str, Any], where: str, fmt: str) -> Choice:
    correct = opt.correct
    if isinstance(correct, str):
        correct = _truth(_eval(correct, env, f"{where}.correct"))
    if opt.code is not None:
        return Choice({}, opt.code.rstrip("\n"), bool(correct), opt.tag, opt.message)
    if opt.value is not None:
        value = _eval(opt.value, env, f"{where}.value")
        text = _format(value, opt.format or fmt, f"{where}.format")
        return Choice({lang: text for lang in LANGS}, None, bool(correct), opt.tag, opt.message)
    texts = {lang: _fill(opt.text, lang, env, f"{where}.text") for lang in LANGS}
    return Choice(texts, None, bool(correct), opt.tag, opt.message)


def _format(value: Any, fmt: str, where: str) -> str:
    try:
        return format_value(value, fmt)
    except (ExpressionError, ValueError, TypeError) as exc:
        raise GenerationError(f"cannot format {value!r} with {fmt!r}", where) from exc


def build_choices(
    template: Template,
    env: Mapping[str, Any],
    rng: random.Random,
    misconceptions: tuple[MisconceptionValue, ...],
) -> tuple[tuple[Choice, ...], Any]:
    """The options shown (all correct ones plus distractors up to `count`) and the answer
    as 1-based option numbers (an int for single choice, a sorted list for multi choice)."""
    spec = template.answer
    pool = [
        _option_choice(opt, env, f"answer.options[{i}]", spec.format)
        for i, opt in enumerate(spec.options or [])
    ]
    if spec.from_misconceptions:
        for m in misconceptions:
            text = _format(m.value, spec.format, "answer.format")
            pool.append(Choice({lang: text for lang in LANGS}, None, False, m.tag, m.message))
    correct = [c for c in pool if c.correct]
    if template.kind == "single_choice" and len(correct) != 1:
        raise GenerationError(
            f"a single_choice item needs exactly one correct option, this one has {len(correct)}",
            "answer.options",
        )
    if not correct:
        raise GenerationError("no option is marked correct", "answer.options")
    seen = {_key(c) for c in correct}
    if len(seen) != len(correct):
        raise GenerationError("two correct options read the same", "answer.options")
    distractors = []
    for c in pool:
        if c.correct:
            continue
        key = _key(c)
        if key in seen:
            if any(_key(x) == key for x in correct):
                raise GenerationError(
                    f"a distractor reads the same as a correct option: {c.text('en')!r}",
                    "answer.options",
                )
            continue
        seen.add(key)
        distractors.append(c)
    need = spec.count - len(correct)
    if need < 0:
        raise GenerationError(
            f"{len(correct)} correct options but only {spec.count} are shown", "answer.count"
        )
    if len(distractors) < need:
        raise GenerationError(
            f"{spec.count} options are shown but only {len(correct) + len(distractors)} "
            "distinct ones exist",
            "answer.options",
        )
    chosen_distractors = rng.sample(distractors, need) if spec.shuffle else distractors[:need]
    if spec.shuffle:
        shown = correct + chosen_distractors
        rng.shuffle(shown)
    else:
        keep = set(map(id, chosen_distractors))
        shown = [c for c in pool if c.correct or id(c) in keep]
    numbers = [i for i, c in enumerate(shown, 1) if c.correct]
    answer: Any = numbers[0] if template.kind == "single_choice" else numbers
    return tuple(shown), answer


def _key(choice: Choice) -> tuple[str, ...]:
    if choice.code is not None:
        return ("code", choice.code.strip())
    return tuple(" ".join(choice.texts.get(lang, "").split()) for lang in LANGS)

