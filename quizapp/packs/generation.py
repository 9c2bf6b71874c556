"""Problems from templates: parameters drawn from a seed, answers computed by the solvers.

`generate(template, seed)` is deterministic: the same pack, template id and seed give
the same problem on any machine (parameters come from `random.Random` seeded with a
string, whose stream Python keeps stable). Numbers are rounded as they are drawn, so
the numbers a prompt shows are the numbers the answer is computed from.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from quizapp.packs.expressions import ExpressionError, evaluate, format_value, interpolate
from quizapp.packs.model import (
    ArrayParam,
    ChoiceParam,
    DerivedParam,
    IntParam,
    Option,
    RangeParam,
    SimplexParam,
    Template,
    Text,
    text_in,
)

MAX_DRAWS = 1000
MAX_ARRAY_SIZE = 10_000
LANGS = ("ja", "en")


MAX_SEED = 2**63 - 1  # seeds are stored as signed 64-bit integers


class GenerationError(Exception):
    """A template could not be instantiated. `where` is a key path inside the template."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where


@dataclass(frozen=True)
class Choice:
    """One option as shown: its text per language (or code), and what choosing it means."""

    texts: Mapping[str, str]
    code: str | None
    correct: bool
    tag: str | None = None
    message: Text | None = None

    def text(self, lang: str) -> str:
        if self.code is not None:
            return self.code
        return self.texts.get(lang) or self.texts.get("en") or self.texts.get("ja") or ""


@dataclass(frozen=True)
class MisconceptionValue:
    tag: str
    value: Any
    message: Text


@dataclass(frozen=True)
class Problem:
    """A template instantiated with a seed."""

    template: Template
    pack_id: str
    pack_version: str
    seed: int
    params: Mapping[str, Any]
    answer: Any
    choices: tuple[Choice, ...] | None = None
    misconceptions: tuple[MisconceptionValue, ...] = ()
    env: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def template_id(self) -> str:
        return self.template.id

    @property
    def kind(self) -> str:
        return self.template.kind

    def text(self, text: Text | None, lang: str) -> str:
        """Any text of the template (a misconception or option message), filled in."""
        try:
            return _fill(text, lang, self.env, "")
        except GenerationError:
            return text_in(text, lang)

    def prompt(self, lang: str) -> str:
        return _fill(self.template.prompt, lang, self.env, "prompt")

    def hint(self, lang: str) -> str:
        return _fill(self.template.hint, lang, self.env, "hint")

    def explanation_summary(self, lang: str) -> str:
        return _fill(self.template.explanation.summary, lang, self.env, "explanation.summary")

    def explanation_steps(self, lang: str) -> list[str]:
        return [
            _fill(step, lang, self.env, f"explanation.steps[{i}]")
            for i, step in enumerate(self.template.explanation.steps)
        ]

    def explanation(self, lang: str) -> str:
        """The worked solution as one text: the summary, then numbered steps."""
        parts = []
        summary = self.explanation_summary(lang)
        if summary:
            parts.append(summary)
        parts.extend(f"{n}. {s}" for n, s in enumerate(self.explanation_steps(lang), 1))
        return "\n".join(parts)

    def answer_text(self, lang: str) -> str:
        """The canonical answer as a person reads it."""
        from quizapp.i18n import t

        kind = self.kind
        if kind in ("single_choice", "multi_choice"):
            assert self.choices is not None
            indices = [self.answer] if kind == "single_choice" else list(self.answer)
            return ", ".join(f"{i}. {self.choices[i - 1].text(lang)}" for i in indices)
        if kind == "true_false":
            return t("bool.true" if self.answer else "bool.false", lang)
        if kind == "expression":
            return str(self.answer)
        return format_value(self.answer, "")

    def answer_json(self) -> Any:
        return to_json(self.answer)

    def params_json(self) -> dict[str, Any]:
        return {k: to_json(v) for k, v in self.params.items()}


def to_json(value: Any) -> Any:
    """Numpy values to plain JSON types (arrays as nested lists)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def _fill(text: Text | None, lang: str, env: Mapping[str, Any], where: str) -> str:
    raw = text_in(text, lang)
    if not raw:
        return ""
    try:
        return interpolate(raw, env)
    except ExpressionError as exc:
        raise GenerationError(exc.message, where) from exc


# --- drawing parameters ---------------------------------------------------------------------


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
        while True:
            value = rng.randint(lo, hi)
            if value not in spec.exclude:
                return value
    if isinstance(spec, ArrayParam):
        shape = _shape(spec, env, name)
        lo, hi = spec.range
        values = []
        for _ in range(math.prod(shape)):
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
        units = round(1 / spec.step)
        if abs(units * spec.step - 1) > 1e-9:
            raise GenerationError("1 must be a whole multiple of step", f"params.{name}.step")
        if not isinstance(n, (int, np.integer)) or not 1 <= n <= units:
            raise GenerationError(
                f"simplex needs a whole number of entries from 1 to {units}", f"params.{name}"
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
    for _ in range(MAX_DRAWS):
        env: dict[str, Any] = {}
        for name, spec in template.params.items():
            env[name] = draw_param(spec, rng, env, name)
        if all(_truth(_eval(cond, env, f"where[{i}]")) for i, cond in enumerate(template.where)):
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


# --- answers --------------------------------------------------------------------------------


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


def generate(
    template: Template, seed: int, *, pack_id: str = "", pack_version: str = ""
) -> Problem:
    """The problem of `template` for `seed`. Raises GenerationError (with `where`)."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise GenerationError(f"a seed is a whole number from 0 to {MAX_SEED}", "seed")
    params = draw_params(template, seed)
    env = dict(params)
    misconceptions = _misconceptions(template, env)
    choices = None
    if template.kind in ("single_choice", "multi_choice"):
        choices, answer = build_choices(
            template, env, rng_for(template.id + "/options", seed), misconceptions
        )
    elif template.kind == "expression":
        answer = template.answer.value
    else:
        answer = compute_value(template, env)
    env["answer"] = answer
    return Problem(
        template=template,
        pack_id=pack_id,
        pack_version=str(pack_version),
        seed=seed,
        params=params,
        answer=answer,
        choices=choices,
        misconceptions=misconceptions,
        env=env,
    )
