"""Timed mock exams in the style of the E資格: blueprint, items, four options, clock, score.

The real exam has about 100 four-option items in 120 minutes, a countdown, items that can
be flagged and revisited, no feedback until the end and a score report by field
(応用数学 / 機械学習 / 深層学習の基礎 / 深層学習の応用 / 開発・運用環境). This module builds such an exam from the
installed packs and keeps it in the progress store; it never imports Textual.

**Blueprint.** The items are shared out among the *strata* (field, topic) in proportion to
their weight, by largest-remainder rounding. A stratum's weight is the number of its
templates, each counted with its topic's ``weight`` (a pack's ``topics: {t: {weight: 2}}``,
default 1; 0 leaves the topic out), or the weight a blueprint file gives the topic. A
blueprint file may also give field shares: the items are then first shared out among the
fields, then among each field's topics.

**Items.** An item is (template id, problem seed). When a stratum has fewer templates than
items, its templates with parameters repeat with fresh seeds ("N templates for M items:
some repeat with new numbers"); a fixed template (no parameters) is never repeated. The
items are shuffled. Everything comes from one ``random.Random`` seeded with the exam's
seed, so the same seed and the same catalogue give the same items in the same order.

**Four options.** Choice templates are used as they are (a template may show 3 or 5
options; multi-choice items are "choose all that apply"). Numeric, vector and matrix
items become four options: the correct value, then distractors from the template's
misconceptions, then plausible slips (sign, factor 2 or ½, 1 − x, transpose …), all
distinct once formatted, none accepted by the grader, in an order drawn from the
problem's seed. Formula (``expression``) and true/false items are left out: a formula has
no natural four options, and a two-way item is not the exam's format.

**Clock.** The exam clock counts only the time the exam was really running: from start or
resume until the app leaves the exam. It is folded into the store on every answer and
every ``CHECKPOINT_SECONDS``; time while the app was closed (or killed, after its last
checkpoint) is not counted. When the time is up the exam is submitted as it stands.

**After the exam.** The score (overall, by field, by topic, time used, pace, the
*unofficial* pass line) is stored with the exam. Every answered item is recorded as an
attempt with ``mode="exam"``; a template answered wrongly is reviewed as failed
(FSRS ``Again``), so it comes back soon in study. Correct answers do not move the
schedule: with four options a correct answer may be a guess. Unanswered items are not
recorded.
"""

from __future__ import annotations

import difflib
import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.i18n import t
from quizapp.packs.generation import Choice as ExamOption
from quizapp.packs.model import FIELDS, LEGACY_FIELDS, Text, canonical_field, text_in

if TYPE_CHECKING:
    from quizapp.packs.generation import Problem
    from quizapp.packs.loader import Catalog
    from quizapp.scheduler import Scheduler
    from quizapp.store import ExamRecord, Store

# --------------------------------------------------------------------------- constants


@dataclass(frozen=True)
class Preset:
    """A named exam size."""

    name: str
    questions: int
    minutes: int


PRESETS: dict[str, Preset] = {
    "full": Preset("full", 100, 120),
    "quick": Preset("quick", 20, 24),
}
DEFAULT_PRESET = "quick"
SECONDS_PER_ITEM = 72.0
"""The real exam's pace: 120 minutes for about 100 items."""
DEFAULT_PASS_THRESHOLD = 0.65
"""UNOFFICIAL pass line: JDLA publishes no pass mark. Change it in the setup dialog,
a blueprint file (``pass_percent``) or the setting ``exam.pass_threshold``."""
PASS_SETTING = "exam.pass_threshold"
CHECKPOINT_SECONDS = 5.0
"""How often a running exam folds its clock into the store (the most a kill can lose)."""
WARN_AT_SECONDS = (600.0, 60.0)
"""The countdown warns when 10 minutes and when 1 minute are left."""
OPTION_COUNT = 4
CHOICE_KINDS = ("single_choice", "multi_choice")
VALUE_KINDS = ("numeric", "vector", "matrix")
EXAM_KINDS = CHOICE_KINDS + VALUE_KINDS
SKIPPED_KINDS = ("expression", "true_false")
CONFIG_VERSION = 1
MAX_QUESTIONS = 500
MAX_MINUTES = 600
SEED_RETRIES = 6

FIELD_ALIASES: dict[str, str] = {
    "applied_math": "応用数学",
    "math": "応用数学",
    "machine_learning": "機械学習",
    "ml": "機械学習",
    "deep_learning": "深層学習の基礎",
    "dl": "深層学習の基礎",
    "dl_basics": "深層学習の基礎",
    "deep_learning_basics": "深層学習の基礎",
    "dl_applications": "深層学習の応用",
    "deep_learning_applications": "深層学習の応用",
    "dev_env": "開発・運用環境",
    "development": "開発・運用環境",
    "devops": "開発・運用環境",
}

# --------------------------------------------------------------------------- messages



class ExamError(Exception):
    """A problem to tell the user in their language (``text(lang)``); nothing was changed."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(t(key, "en", **params))

    def text(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.params)


@dataclass(frozen=True)
class Note:
    """Something the learner should know about how the exam was built (a message key)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.params)

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "params": dict(self.params)}


def field_label(name: str, lang: str) -> str:
    """The exam field in the learner's language (応用数学 → Applied mathematics)."""
    return t(f"field.{name}", lang)


def format_duration(seconds: float) -> str:
    """``m:ss`` below an hour, ``h:mm:ss`` from an hour (negative values show as 0:00)."""
    total = max(0, int(math.ceil(seconds - 1e-9)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def format_percent(fraction: float) -> str:
    return f"{fraction * 100:.0f} %"


def preset_label(preset: str | None, lang: str) -> str:
    return t(f"exam.preset_name.{preset or 'custom'}", lang)


def _hint(name: str, known: Iterable[str], lang: str) -> str:
    known = sorted(set(known))
    near = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    if near:
        return t("exam.did_you_mean", lang, names=", ".join(near))
    return t("exam.known", lang, names=", ".join(known[:12]) + (" …" if len(known) > 12 else ""))


# --------------------------------------------------------------------------- the spec


@dataclass(frozen=True)
class BlueprintFile:
    """A YAML blueprint: any of questions, minutes, pass_percent, fields, topics."""

    path: str
    questions: int | None = None
    minutes: int | None = None
    pass_threshold: float | None = None
    fields: Mapping[str, float] | None = None
    topics: Mapping[str, float] | None = None


@dataclass(frozen=True)
class ExamSpec:
    """What the learner asked for. ``seed`` fixes everything else."""

    questions: int
    minutes: float
    seed: int
    preset: str | None = None
    topics: tuple[str, ...] | None = None
    packs: tuple[str, ...] | None = None
    pass_threshold: float = DEFAULT_PASS_THRESHOLD
    field_weights: Mapping[str, float] | None = None
    topic_weights: Mapping[str, float] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.questions, int) or not 1 <= self.questions <= MAX_QUESTIONS:
            raise ExamError("exam.bad_questions", max=MAX_QUESTIONS, got=self.questions)
        if not (isinstance(self.minutes, (int, float)) and 0 < self.minutes <= MAX_MINUTES):
            raise ExamError("exam.bad_minutes", max=MAX_MINUTES, got=self.minutes)
        if not 0 <= self.pass_threshold <= 1:
            raise ExamError("exam.bad_threshold", got=format_percent(self.pass_threshold))

    @property
    def time_limit(self) -> float:
        return float(self.minutes) * 60.0


def new_seed() -> int:
    return random.SystemRandom().randrange(2**31)


def make_spec(
    *,
    preset: str | None = None,
    questions: int | None = None,
    minutes: float | None = None,
    seed: int | None = None,
    topics: Sequence[str] | None = None,
    packs: Sequence[str] | None = None,
    pass_threshold: float | None = None,
    blueprint: BlueprintFile | None = None,
) -> ExamSpec:
    """An ``ExamSpec`` from the command-line style choices.

    A preset gives the size; ``questions``/``minutes`` override it (the exam is then
    "custom"). With only one of the two, the other follows the real exam's pace
    (72 seconds an item). A blueprint file fills what the command line leaves open.
    """
    if preset is not None and preset not in PRESETS:
        raise ExamError("exam.unknown_preset", name=preset, names=", ".join(PRESETS))
    if blueprint is not None:
        questions = questions if questions is not None else blueprint.questions
        minutes = minutes if minutes is not None else blueprint.minutes
        if pass_threshold is None:
            pass_threshold = blueprint.pass_threshold
    base = PRESETS[preset or DEFAULT_PRESET]
    if questions is None and minutes is None:
        questions, minutes = base.questions, base.minutes
        name: str | None = base.name
    else:
        name = None
        if questions is None:
            questions = max(1, int((minutes or 0) * 60 // SECONDS_PER_ITEM))
        if minutes is None:
            minutes = max(1, math.ceil(questions * SECONDS_PER_ITEM / 60))
        if preset is not None and (questions, minutes) == (base.questions, base.minutes):
            name = base.name
    return ExamSpec(
        questions=questions,
        minutes=minutes,
        seed=new_seed() if seed is None else int(seed),
        preset=name,
        topics=tuple(topics) if topics else None,
        packs=tuple(packs) if packs else None,
        pass_threshold=DEFAULT_PASS_THRESHOLD if pass_threshold is None else pass_threshold,
        field_weights=blueprint.fields if blueprint else None,
        topic_weights=blueprint.topics if blueprint else None,
    )


def spec_from_options(options: Any, *, pass_threshold: float | None = None) -> ExamSpec:
    """The spec of ``quizapp exam ...`` (an argparse namespace; missing attributes are None).

    ``--blueprint FILE`` is read when the namespace has it.
    """
    blueprint_path = getattr(options, "blueprint", None)
    blueprint = read_blueprint(blueprint_path) if blueprint_path else None
    return make_spec(
        preset=getattr(options, "preset", None),
        questions=getattr(options, "questions", None),
        minutes=getattr(options, "minutes", None),
        seed=getattr(options, "seed", None),
        topics=getattr(options, "topic", None),
        packs=getattr(options, "pack", None),
        pass_threshold=pass_threshold,
        blueprint=blueprint,
    )


def stored_pass_threshold(store: Store | None) -> float | None:
    """The setting ``exam.pass_threshold`` (a fraction 0–1), or None when unset or invalid."""
    if store is None:
        return None
    try:
        value = store.get_setting(PASS_SETTING)
    except Exception:  # a broken setting must not stop an exam
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
        return float(value)
    return None


# --------------------------------------------------------------------------- blueprint files


def _node_pos(node: Any) -> tuple[int, int]:
    mark = getattr(node, "start_mark", None)
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _scalar(node: Any) -> Any:
    import yaml

    return yaml.safe_load(yaml.serialize(node))


def read_blueprint(path: str | Path, lang: str = "en") -> BlueprintFile:
    """Read and check a blueprint YAML file; every problem is reported as ``path:line:col``.

    ```yaml
    questions: 100          # optional
    minutes: 120            # optional
    pass_percent: 65        # optional, the (unofficial) pass line
    fields:                 # optional: shares of the items per field (any positive numbers)
      応用数学: 10            # or applied_math, machine_learning, dl_basics, dl_applications, devops
      深層学習の基礎: 80
    topics:                 # optional: topic weights (override the packs' weights)
      backprop: 2
    ```
    Raises ``ExamError("exam.blueprint_invalid")`` listing every problem.
    """
    import yaml

    name = str(path)
    problems: list[str] = []

    def add(node: Any, key: str, message: str) -> None:
        line, col = _node_pos(node)
        problems.append(
            f"{name}:{line}:{col}: {key}: {message}" if key else f"{name}:{line}:{col}: {message}"
        )

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        error = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ExamError(
            "exam.blueprint_invalid",
            problems=f"{name}:1:1: " + t("exam.bp.unreadable", lang, error=error),
        ) from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ExamError(
            "exam.blueprint_invalid",
            problems=f"{name}:{line}:{col}: "
            + t("exam.bp.yaml", lang, problem=getattr(exc, "problem", None) or str(exc)),
        ) from exc
    if root is None:
        return BlueprintFile(name)
    if not isinstance(root, yaml.MappingNode):
        add(root, "", t("exam.bp.not_mapping", lang))
        raise ExamError("exam.blueprint_invalid", problems="\n".join(problems))
    known = ("questions", "minutes", "pass_percent", "fields", "topics")
    values: dict[str, Any] = {}
    for key_node, value_node in root.value:
        key = str(key_node.value)
        if key not in known:
            near = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
            hint = t("exam.bp.hint", lang, name=near[0]) if near else ""
            add(key_node, "", t("exam.bp.unknown_key", lang, key=key, hint=hint))
            continue
        if key in ("questions", "minutes"):
            limit = MAX_QUESTIONS if key == "questions" else MAX_MINUTES
            value = _scalar(value_node) if isinstance(value_node, yaml.ScalarNode) else None
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
                add(
                    value_node,
                    key,
                    t(
                        "exam.bp.not_whole",
                        lang,
                        max=limit,
                        got=value_node.value if isinstance(value_node, yaml.ScalarNode) else "…",
                    ),
                )
            else:
                values[key] = value
        elif key == "pass_percent":
            value = _scalar(value_node) if isinstance(value_node, yaml.ScalarNode) else None
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not 0 <= value <= 100
            ):
                add(
                    value_node,
                    key,
                    t("exam.bp.percent", lang, got=getattr(value_node, "value", "…")),
                )
            else:
                values["pass_threshold"] = float(value) / 100
        else:
            if not isinstance(value_node, yaml.MappingNode):
                add(value_node, key, t("exam.bp.not_weights", lang))
                continue
            weights: dict[str, float] = {}
            for k_node, v_node in value_node.value:
                item = str(k_node.value)
                where = f"{key}.{item}"
                if key == "fields":
                    canonical = (
                        canonical_field(item)
                        if item in FIELDS or item in LEGACY_FIELDS
                        else FIELD_ALIASES.get(item.lower())
                    )
                    if canonical is None:
                        names = ", ".join([*FIELDS, *FIELD_ALIASES])
                        add(k_node, where, t("exam.bp.unknown_field", lang, name=item, names=names))
                        continue
                    item = canonical
                value = _scalar(v_node) if isinstance(v_node, yaml.ScalarNode) else None
                if (
                    isinstance(value, bool)
                    or not isinstance(value, (int, float))
                    or not math.isfinite(value)
                    or value < 0
                ):
                    add(
                        v_node,
                        where,
                        t("exam.bp.not_number", lang, got=getattr(v_node, "value", "…")),
                    )
                    continue
                weights[item] = float(value)
            if weights and not any(weights.values()):
                add(value_node, key, t("exam.bp.all_zero", lang))
            values[key] = weights
    if problems:
        raise ExamError("exam.blueprint_invalid", problems="\n".join(problems))
    return BlueprintFile(name, **values)


# --------------------------------------------------------------------------- blueprint


@dataclass(frozen=True)
class Stratum:
    """The templates of one (field, topic) in the exam, and its share of the items."""

    field: str
    topic: str
    templates: tuple[str, ...]
    weight: float
    fixed: tuple[str, ...] = ()
    """The templates without parameters: each can give only one distinct item."""

    @property
    def key(self) -> tuple[int, str]:
        return (FIELDS.index(self.field), self.topic)

    @property
    def capacity(self) -> int | None:
        """The most items this stratum can give (None: no limit, templates repeat)."""
        return None if len(self.fixed) < len(self.templates) else len(self.templates)


def largest_remainder(
    weights: Mapping[Any, float],
    total: int,
    capacity: Mapping[Any, int | None] | None = None,
) -> dict[Any, int]:
    """Share ``total`` among the keys in proportion to ``weights`` (Hamilton's method).

    Each key gets the whole part of its quota; the items left go to the largest
    remainders (ties: larger weight, then key order). A key never gets more than its
    ``capacity``; what it cannot take is shared again among the others. The sum is
    ``total`` unless every key is full.
    """
    capacity = capacity or {}
    order = {k: i for i, k in enumerate(sorted(weights))}
    counts = {k: 0 for k in weights}
    remaining = total

    def room(k: Any) -> float:
        cap = capacity.get(k)
        return math.inf if cap is None else cap - counts[k]

    while remaining > 0:
        active = [k for k in weights if weights[k] > 0 and room(k) > 0]
        if not active:
            break
        total_weight = sum(weights[k] for k in active)
        quotas = {k: remaining * weights[k] / total_weight for k in active}
        shares = {k: math.floor(quotas[k]) for k in active}
        left = remaining - sum(shares.values())
        ranked = sorted(active, key=lambda k: (-(quotas[k] - shares[k]), -weights[k], order[k]))
        for k in ranked[:left]:
            shares[k] += 1
        given = 0
        for k in active:
            take = int(min(shares[k], room(k)))
            counts[k] += take
            given += take
        remaining -= given
        if given == 0:
            break
    return counts


@dataclass(frozen=True)
class Blueprint:
    """How many items each (field, topic) gives."""

    strata: tuple[Stratum, ...]
    counts: Mapping[tuple[str, str], int]
    notes: tuple[Note, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def by_field(self) -> dict[str, int]:
        out = {f: 0 for f in FIELDS}
        for (f, _), n in self.counts.items():
            out[f] += n
        return {f: n for f, n in out.items() if n}

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "field": s.field,
                "topic": s.topic,
                "templates": len(s.templates),
                "items": self.counts.get((s.field, s.topic), 0),
            }
            for s in self.strata
        ]


def plan_blueprint(
    strata: Sequence[Stratum], questions: int, field_weights: Mapping[str, float] | None = None
) -> Blueprint:
    """Share ``questions`` among ``strata`` (by field first when ``field_weights`` is given)."""
    strata = sorted(strata, key=lambda s: s.key)
    caps = {s.key: s.capacity for s in strata}
    weights = {s.key: s.weight for s in strata}
    notes: list[Note] = []
    if field_weights:
        present = {s.field for s in strata if s.weight > 0}
        for f, w in field_weights.items():
            if w > 0 and f not in present:
                notes.append(Note("exam.note.field_missing", {"field": f}))
        fw = {f: field_weights.get(f, 0.0) for f in present}
        if not any(fw.values()):
            fw = {f: 1.0 for f in present}
        field_caps: dict[str, int | None] = {}
        for f in present:
            members = [caps[s.key] for s in strata if s.field == f and s.weight > 0]
            field_caps[f] = None if any(c is None for c in members) else sum(members)  # type: ignore[arg-type]
        per_field = largest_remainder(fw, questions, field_caps)
        shortfall = questions - sum(per_field.values())
        if shortfall > 0:  # fields with zero share take what the others cannot
            extra = largest_remainder(
                {f: 1.0 for f in present},
                shortfall,
                {
                    f: None if field_caps[f] is None else field_caps[f] - per_field[f]  # type: ignore[operator]
                    for f in present
                },
            )
            for f, n in extra.items():
                per_field[f] += n
        counts_by_key: dict[tuple[int, str], int] = {}
        for f, n in per_field.items():
            members = {s.key: s.weight for s in strata if s.field == f and s.weight > 0}
            counts_by_key.update(largest_remainder(members, n, caps))
    else:
        counts_by_key = largest_remainder(weights, questions, caps)
    counts = {(s.field, s.topic): counts_by_key.get(s.key, 0) for s in strata}
    return Blueprint(tuple(strata), counts, tuple(notes))


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


# --------------------------------------------------------------------------- items


@dataclass(frozen=True)
class ExamItem:
    """One item of an exam: a template and the seed of its problem."""

    template_id: str
    seed: int
    pack_id: str
    pack_version: str
    topic: str
    field: str

    def to_json(self) -> dict[str, Any]:
        return {
            "template": self.template_id,
            "seed": self.seed,
            "pack": self.pack_id,
            "pack_version": self.pack_version,
            "topic": self.topic,
            "field": self.field,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ExamItem:
        return cls(
            template_id=str(data["template"]),
            seed=int(data["seed"]),
            pack_id=str(data.get("pack", "")),
            pack_version=str(data.get("pack_version", "")),
            topic=str(data.get("topic", "")),
            field=canonical_field(str(data.get("field", "深層学習の基礎"))),
        )


def parse_answer(answer: str | None, n: int) -> tuple[int, ...]:
    """Option numbers (1-based, sorted) from a saved answer ``"2"`` or ``"1,3"``.

    Anything unreadable or out of range reads as no answer.
    """
    if not answer:
        return ()
    picked = set()
    for part in answer.replace(" ", "").split(","):
        if not part.isdigit() or not 1 <= int(part) <= n:
            return ()
        picked.add(int(part))
    return tuple(sorted(picked))


def answer_text(picked: Iterable[int]) -> str | None:
    """The saved form of chosen options (None when nothing is chosen)."""
    numbers = sorted(set(picked))
    return ",".join(map(str, numbers)) if numbers else None


@dataclass(frozen=True)
class ExamQuestion:
    """An item made into a problem with its options, as the exam shows it."""

    index: int
    item: ExamItem
    problem: Problem
    options: tuple[ExamOption, ...]
    multi: bool

    @property
    def correct_options(self) -> tuple[int, ...]:
        return tuple(i for i, o in enumerate(self.options, 1) if o.correct)

    @property
    def converted(self) -> bool:
        """True for numeric/vector/matrix items shown with generated options."""
        return self.problem.kind in VALUE_KINDS

    def prompt(self, lang: str) -> str:
        return self.problem.prompt(lang)

    @property
    def code(self) -> str | None:
        return self.problem.template.code

    def picked(self, answer: str | None) -> tuple[int, ...]:
        return parse_answer(answer, len(self.options))

    def is_correct(self, answer: str | None) -> bool:
        picked = self.picked(answer)
        return bool(picked) and picked == self.correct_options

    def toggled(self, answer: str | None, number: int) -> str | None:
        """The answer after pressing option ``number``: select it (single choice), or
        add/remove it (multiple choice)."""
        if not 1 <= number <= len(self.options):
            return answer
        if not self.multi:
            return str(number)
        picked = set(self.picked(answer))
        picked ^= {number}
        return answer_text(picked)

    def mistake(self, answer: str | None) -> ExamOption | None:
        """The wrongly chosen option that carries a misconception, if any."""
        if self.is_correct(answer):
            return None
        for n in self.picked(answer):
            option = self.options[n - 1]
            if not option.correct and (option.tag or option.message):
                return option
        return None

    def options_text(self, numbers: Iterable[int], lang: str) -> str:
        parts = []
        for n in numbers:
            text = self.options[n - 1].text(lang)
            first = text.splitlines()[0] if text else ""
            more = " …" if "\n" in text else ""
            parts.append(f"{n}. {first}{more}")
        return " / ".join(parts)

    def explanation(self, lang: str) -> str:
        return self.problem.explanation(lang)


def _build_question(index: int, item: ExamItem, catalog: Catalog) -> ExamQuestion:
    from quizapp.packs.generation import generate

    ref = catalog.templates[item.template_id]
    problem = generate(
        ref.template, item.seed, pack_id=ref.pack.id, pack_version=str(ref.pack.version)
    )
    options, multi = exam_options(problem)
    return ExamQuestion(index, item, problem, options, multi)


def _instance_key(q: ExamQuestion) -> tuple[str, ...]:
    return (q.item.template_id, q.prompt("en"), *(o.text("en") for o in q.options))


# --------------------------------------------------------------------------- the exam


@dataclass
class Exam:
    """An exam's items made into questions, with its spec, blueprint and notes."""

    spec: ExamSpec
    questions: list[ExamQuestion]
    blueprint: list[dict[str, Any]]
    notes: list[Note]
    topic_titles: dict[str, dict[str, str]]

    @property
    def items(self) -> list[ExamItem]:
        return [q.item for q in self.questions]

    @property
    def time_limit(self) -> float:
        return self.spec.time_limit

    @property
    def target_pace(self) -> float:
        return self.time_limit / max(1, len(self.questions))

    def topic_title(self, topic: str, lang: str) -> str:
        titles = self.topic_titles.get(topic)
        if not titles:
            return topic
        return titles.get(lang) or titles.get("en") or titles.get("ja") or topic

    def config(self) -> dict[str, Any]:
        """The JSON the store keeps: enough to rebuild the exam from the catalogue."""
        s = self.spec
        return {
            "version": CONFIG_VERSION,
            "preset": s.preset,
            "questions": s.questions,
            "minutes": s.minutes,
            "pass_threshold": s.pass_threshold,
            "topics": list(s.topics) if s.topics else None,
            "packs": list(s.packs) if s.packs else None,
            "field_weights": dict(s.field_weights) if s.field_weights else None,
            "topic_weights": dict(s.topic_weights) if s.topic_weights else None,
            "blueprint": self.blueprint,
            "notes": [n.to_json() for n in self.notes],
            "topic_titles": self.topic_titles,
            "items": [i.to_json() for i in self.items],
        }

    @classmethod
    def from_config(cls, catalog: Catalog, config: Mapping[str, Any], seed: int) -> Exam:
        """Rebuild a stored exam (to resume it or review it).

        Raises ``ExamError``: ``exam.missing_templates`` when a template is gone,
        ``exam.broken_config`` when the stored JSON is not an exam.
        """
        from quizapp.packs.generation import GenerationError

        try:
            items = [ExamItem.from_json(d) for d in config["items"]]
            spec = ExamSpec(
                questions=int(config["questions"]),
                minutes=float(config["minutes"]),
                seed=int(seed),
                preset=config.get("preset"),
                topics=tuple(config["topics"]) if config.get("topics") else None,
                packs=tuple(config["packs"]) if config.get("packs") else None,
                pass_threshold=float(config.get("pass_threshold", DEFAULT_PASS_THRESHOLD)),
                field_weights=config.get("field_weights"),
                topic_weights=config.get("topic_weights"),
            )
            notes = [Note(n["key"], n.get("params", {})) for n in config.get("notes", [])]
        except (KeyError, TypeError, ValueError) as exc:
            raise ExamError("exam.broken_config", detail=f"{type(exc).__name__}: {exc}") from exc
        missing = sorted({i.template_id for i in items if i.template_id not in catalog.templates})
        if missing:
            raise ExamError("exam.missing_templates", ids=", ".join(missing))
        changed: dict[str, tuple[str, str]] = {}
        questions = []
        for index, item in enumerate(items):
            pack = catalog.templates[item.template_id].pack
            if item.pack_version and str(pack.version) != item.pack_version:
                changed[pack.id] = (item.pack_version, str(pack.version))
            try:
                questions.append(_build_question(index, item, catalog))
            except (GenerationError, NotConvertible) as exc:
                detail = getattr(exc, "message", None) or str(exc)
                raise ExamError(
                    "exam.broken_config", detail=f"{item.template_id} seed {item.seed}: {detail}"
                ) from exc
        for pack_id, (old, new) in sorted(changed.items()):
            notes.append(Note("exam.note.pack_changed", {"pack": pack_id, "old": old, "new": new}))
        return cls(
            spec=spec,
            questions=questions,
            blueprint=list(config.get("blueprint") or []),
            notes=notes,
            topic_titles=dict(config.get("topic_titles") or {}),
        )


def _eligible(catalog: Catalog, spec: ExamSpec, lang: str) -> tuple[list[Any], int]:
    """Templates the exam may use (kind, packs, topics), and how many were left out by kind."""
    refs = sorted(catalog.templates.values(), key=lambda r: r.template.id)
    if spec.packs:
        known = {r.pack.id for r in refs}
        for name in spec.packs:
            if name not in known:
                raise ExamError("exam.unknown_pack", name=name, hint=_hint(name, known, lang))
        refs = [r for r in refs if r.pack.id in spec.packs]
    if spec.topics:
        known = {r.template.topic for r in refs}
        for name in spec.topics:
            if name not in known:
                raise ExamError("exam.unknown_topic", name=name, hint=_hint(name, known, lang))
        refs = [r for r in refs if r.template.topic in spec.topics]
    if spec.topic_weights:
        known = {r.template.topic for r in catalog.templates.values()}
        for name in spec.topic_weights:
            if name not in known:
                raise ExamError("exam.bp.unknown_topic", name=name, hint=_hint(name, known, lang))
    skipped = sum(1 for r in refs if r.template.kind in SKIPPED_KINDS)
    return [r for r in refs if r.template.kind in EXAM_KINDS], skipped


def _topic_weight(ref: Any, spec: ExamSpec) -> float:
    topic = ref.template.topic
    if spec.topic_weights and topic in spec.topic_weights:
        return float(spec.topic_weights[topic])
    declared = ref.pack.topics.get(topic)
    return float(getattr(declared, "weight", 1.0)) if declared is not None else 1.0


def _topic_titles(refs: Sequence[Any]) -> dict[str, dict[str, str]]:
    titles: dict[str, dict[str, str]] = {}
    for ref in refs:
        topic = ref.template.topic
        declared = ref.pack.topics.get(topic)
        if topic in titles or declared is None:
            continue
        titles[topic] = {lang: text_in(declared.title, lang) for lang in ("ja", "en")}
    return titles


def build_exam(catalog: Catalog, spec: ExamSpec, lang: str = "en") -> Exam:
    """Draw the exam's items from ``catalog`` (deterministic in ``spec.seed``).

    Raises ``ExamError`` (unknown pack/topic, nothing to ask).
    """
    from quizapp.packs.generation import GenerationError

    refs, skipped = _eligible(catalog, spec, lang)
    notes: list[Note] = []
    if skipped:
        notes.append(Note("exam.note.skipped", {"count": skipped}))
    groups: dict[tuple[str, str], list[Any]] = {}
    for ref in refs:
        groups.setdefault((ref.template.field, ref.template.topic), []).append(ref)
    strata = []
    for (fld, topic), members in groups.items():
        weight = sum(_topic_weight(r, spec) for r in members)
        strata.append(
            Stratum(
                field=fld,
                topic=topic,
                templates=tuple(r.template.id for r in members),
                weight=weight,
                fixed=tuple(r.template.id for r in members if r.template.is_fixed),
            )
        )
    if not strata or not any(s.weight > 0 for s in strata):
        raise ExamError("exam.no_templates")
    rng = random.Random(f"quizapp-exam#{spec.seed}")
    blueprint = plan_blueprint(strata, spec.questions, spec.field_weights)
    notes.extend(blueprint.notes)
    refs_by_id = {r.template.id: r for r in refs}

    questions: list[ExamQuestion] = []
    seen: set[tuple[str, ...]] = set()
    dropped: set[str] = set()
    used_templates: set[str] = set()
    for stratum in blueprint.strata:
        count = blueprint.counts[(stratum.field, stratum.topic)]
        if not count:
            continue
        ordered = list(stratum.templates)
        if count <= len(ordered):
            chosen = rng.sample(ordered, count)
        else:
            chosen = list(ordered)
            varied = [tid for tid in ordered if tid not in stratum.fixed]
            while len(chosen) < count:
                cycle = list(varied)
                rng.shuffle(cycle)
                chosen.extend(cycle[: count - len(chosen)])
        fallbacks = [tid for tid in ordered if tid not in stratum.fixed]
        for template_id in chosen:
            question = None
            last_error = ""
            candidates = [template_id] + [f for f in fallbacks if f != template_id]
            for tid in candidates:
                if tid in dropped:
                    continue
                ref = refs_by_id[tid]
                item_seed = None
                for _ in range(SEED_RETRIES):
                    seed = rng.randrange(2**31)
                    item = ExamItem(
                        template_id=tid,
                        seed=seed,
                        pack_id=ref.pack.id,
                        pack_version=str(ref.pack.version),
                        topic=ref.template.topic,
                        field=ref.template.field,
                    )
                    try:
                        q = _build_question(len(questions), item, catalog)
                    except (GenerationError, NotConvertible) as exc:
                        last_error = getattr(exc, "message", None) or str(exc)
                        continue
                    item_seed = seed
                    if _instance_key(q) in seen and not ref.template.is_fixed:
                        continue  # the same numbers again: draw another seed
                    break
                if item_seed is None:
                    dropped.add(tid)
                    notes.append(Note("exam.note.dropped", {"id": tid, "msg": last_error}))
                    continue
                if _instance_key(q) in seen and ref.template.is_fixed:
                    continue
                question = q
                break
            if question is not None:
                seen.add(_instance_key(question))
                used_templates.add(question.item.template_id)
                questions.append(question)
    if not questions:
        raise ExamError("exam.no_templates")
    if len(questions) > len(used_templates):
        notes.insert(
            0,
            Note("exam.note.repeats", {"templates": len(used_templates), "items": len(questions)}),
        )
    if len(questions) < spec.questions:
        notes.insert(
            0, Note("exam.note.shrunk", {"count": len(questions), "asked": spec.questions})
        )
    rng.shuffle(questions)
    questions = [
        ExamQuestion(i, q.item, q.problem, q.options, q.multi) for i, q in enumerate(questions)
    ]
    return Exam(
        spec=spec,
        questions=questions,
        blueprint=blueprint.rows(),
        notes=notes,
        topic_titles=_topic_titles(refs),
    )


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Tally:
    correct: int = 0
    total: int = 0
    answered: int = 0

    @property
    def fraction(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def add(self, correct: bool, answered: bool) -> Tally:
        return Tally(self.correct + int(correct), self.total + 1, self.answered + int(answered))

    def to_json(self) -> dict[str, Any]:
        return {
            "correct": self.correct,
            "total": self.total,
            "answered": self.answered,
            "percent": round(self.fraction * 100, 1),
        }


@dataclass(frozen=True)
class ItemResult:
    index: int
    template_id: str
    seed: int
    topic: str
    field: str
    answer: str | None
    correct: bool
    flagged: bool
    misconception: str | None

    @property
    def answered(self) -> bool:
        return self.answer is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "template": self.template_id,
            "seed": self.seed,
            "topic": self.topic,
            "field": self.field,
            "answer": self.answer,
            "correct": self.correct,
            "flagged": self.flagged,
            "misconception": self.misconception,
        }


@dataclass(frozen=True)
class ExamScore:
    """The result of an exam: what ``store.finish_exam`` keeps and the results screen shows."""

    overall: Tally
    by_field: Mapping[str, Tally]
    by_topic: Mapping[str, Tally]
    time_used: float
    time_limit: float
    threshold: float
    timed_out: bool
    items: tuple[ItemResult, ...]

    @property
    def passed(self) -> bool:
        return self.overall.fraction >= self.threshold - 1e-12

    @property
    def answered(self) -> int:
        return self.overall.answered

    @property
    def pace(self) -> float:
        """Seconds per answered item (the time used when none was answered)."""
        return self.time_used / self.answered if self.answered else self.time_used

    @property
    def target_pace(self) -> float:
        return self.time_limit / max(1, self.overall.total)

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_json(),
            "by_field": {k: v.to_json() for k, v in self.by_field.items()},
            "by_topic": {k: v.to_json() for k, v in self.by_topic.items()},
            "time_used": round(self.time_used, 3),
            "time_limit": self.time_limit,
            "pace": round(self.pace, 3),
            "target_pace": round(self.target_pace, 3),
            "threshold": self.threshold,
            "passed": self.passed,
            "timed_out": self.timed_out,
            "items": [i.to_json() for i in self.items],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ExamScore:
        def tally(d: Mapping[str, Any]) -> Tally:
            return Tally(int(d["correct"]), int(d["total"]), int(d.get("answered", 0)))

        items = tuple(
            ItemResult(
                index=int(i["index"]),
                template_id=str(i["template"]),
                seed=int(i["seed"]),
                topic=str(i.get("topic", "")),
                field=canonical_field(str(i.get("field", ""))),
                answer=i.get("answer"),
                correct=bool(i["correct"]),
                flagged=bool(i.get("flagged", False)),
                misconception=i.get("misconception"),
            )
            for i in data.get("items", [])
        )
        return cls(
            overall=tally(data["overall"]),
            by_field={canonical_field(k): tally(v) for k, v in data.get("by_field", {}).items()},
            by_topic={k: tally(v) for k, v in data.get("by_topic", {}).items()},
            time_used=float(data.get("time_used", 0.0)),
            time_limit=float(data.get("time_limit", 0.0)),
            threshold=float(data.get("threshold", DEFAULT_PASS_THRESHOLD)),
            timed_out=bool(data.get("timed_out", False)),
            items=items,
        )


def score_exam(
    exam: Exam,
    answers: Mapping[int, tuple[str | None, bool]],
    time_used: float,
    *,
    timed_out: bool = False,
) -> ExamScore:
    """Score ``answers`` ({index: (answer, flagged)}); unanswered items count as wrong."""
    overall = Tally()
    by_field: dict[str, Tally] = {}
    by_topic: dict[str, Tally] = {}
    results = []
    for q in exam.questions:
        raw, flagged = answers.get(q.index, (None, False))
        picked = q.picked(raw)
        answer = answer_text(picked)
        correct = q.is_correct(answer)
        mistake = q.mistake(answer)
        overall = overall.add(correct, answer is not None)
        f, topic = q.item.field, q.item.topic
        by_field[f] = by_field.get(f, Tally()).add(correct, answer is not None)
        by_topic[topic] = by_topic.get(topic, Tally()).add(correct, answer is not None)
        results.append(
            ItemResult(
                index=q.index,
                template_id=q.item.template_id,
                seed=q.item.seed,
                topic=topic,
                field=f,
                answer=answer,
                correct=correct,
                flagged=bool(flagged),
                misconception=mistake.tag if mistake else None,
            )
        )
    field_order = {f: i for i, f in enumerate(FIELDS)}
    return ExamScore(
        overall=overall,
        by_field=dict(sorted(by_field.items(), key=lambda kv: field_order.get(kv[0], 99))),
        by_topic=dict(sorted(by_topic.items())),
        time_used=min(max(0.0, time_used), exam.time_limit),
        time_limit=exam.time_limit,
        threshold=exam.spec.pass_threshold,
        timed_out=timed_out,
        items=tuple(results),
    )


def result_lines(score: ExamScore, lang: str, *, seed: int | None = None) -> list[str]:
    """The summary a results screen shows, one line each."""
    verdict = t("exam.pass" if score.passed else "exam.fail", lang)
    used = t(
        "exam.time_used",
        lang,
        used=format_duration(score.time_used),
        limit=format_duration(score.time_limit),
    )
    if score.timed_out:
        used += " " + t("exam.timed_out", lang)
    lines = [
        t(
            "exam.score_line",
            lang,
            correct=score.overall.correct,
            total=score.overall.total,
            percent=format_percent(score.overall.fraction),
        ),
        t("exam.pass_line", lang, verdict=verdict, threshold=format_percent(score.threshold)),
        t(
            "exam.answered_line",
            lang,
            answered=score.answered,
            total=score.overall.total,
            unanswered=score.overall.total - score.answered,
        ),
        used,
        t(
            "exam.pace",
            lang,
            pace=format_duration(score.pace),
            target=format_duration(score.target_pace),
        ),
    ]
    if seed is not None:
        lines.append(t("exam.seed_line", lang, seed=seed))
    return lines


def field_rows(score: ExamScore, lang: str) -> list[tuple[str, str, str]]:
    """(field, correct/total, percent) per field, in the exam's field order."""
    return [
        (field_label(f, lang), f"{v.correct}/{v.total}", format_percent(v.fraction))
        for f, v in score.by_field.items()
    ]


def topic_rows(score: ExamScore, exam: Exam, lang: str) -> list[tuple[str, str, str, str]]:
    """(field, topic title, correct/total, percent) per topic, weakest first."""
    field_of = {q.item.topic: q.item.field for q in exam.questions}
    rows = sorted(score.by_topic.items(), key=lambda kv: (kv[1].fraction, kv[0]))
    return [
        (
            field_label(field_of.get(topic, ""), lang) if topic in field_of else "",
            exam.topic_title(topic, lang),
            f"{v.correct}/{v.total}",
            format_percent(v.fraction),
        )
        for topic, v in rows
    ]


@dataclass(frozen=True)
class ReviewEntry:
    """One item as the review shows it after the exam."""

    question: ExamQuestion
    answer: str | None
    correct: bool
    flagged: bool

    @property
    def status(self) -> str:
        if self.answer is None:
            return "unanswered"
        return "correct" if self.correct else "incorrect"

    def lines(self, lang: str) -> dict[str, Any]:
        """Texts for the review: verdict, your answer, the correct one, the slip, the
        explanation (``misconception`` None when no known slip matched)."""
        q = self.question
        mine = (
            q.options_text(q.picked(self.answer), lang)
            if self.answer
            else t("exam.no_answer", lang)
        )
        mistake = q.mistake(self.answer)
        return {
            "verdict": t(f"exam.item_result.{self.status}", lang),
            "yours": t("exam.your_answer", lang, answer=mine),
            "correct": t(
                "exam.correct_answer", lang, answer=q.options_text(q.correct_options, lang)
            ),
            "misconception": (
                t("exam.misconception", lang, message=text_in(mistake.message, lang))
                if mistake is not None and mistake.message is not None
                else None
            ),
            "explanation": q.explanation(lang),
        }


def review_entries(exam: Exam, score: ExamScore) -> list[ReviewEntry]:
    by_index = {r.index: r for r in score.items}
    out = []
    for q in exam.questions:
        r = by_index.get(q.index)
        out.append(
            ReviewEntry(
                q,
                r.answer if r else None,
                bool(r and r.correct),
                bool(r and r.flagged),
            )
        )
    return out


# --------------------------------------------------------------------------- the running exam


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ExamSession:
    """A running exam over the store: answers, flags and the clock, saved as they happen.

    ``clock`` returns an aware datetime (default: the system clock, UTC). Every answer
    and flag is written at once (``store.save_exam_answer``); the clock is folded into
    the store on each answer and ``checkpoint``.
    """

    def __init__(
        self,
        store: Store,
        exam_id: int,
        exam: Exam,
        *,
        clock: Callable[[], datetime] | None = None,
        elapsed: float = 0.0,
        running_since: datetime | None = None,
        answers: Mapping[int, tuple[str | None, bool]] | None = None,
        started_at: datetime | None = None,
    ) -> None:
        self.store = store
        self.exam_id = exam_id
        self.exam = exam
        self.clock = clock or _utcnow
        self._elapsed = float(elapsed)
        self._since = running_since
        self.answers: dict[int, tuple[str | None, bool]] = dict(answers or {})
        self.started_at = started_at
        self.score: ExamScore | None = None

    # -- opening

    @classmethod
    def start(
        cls,
        store: Store,
        catalog: Catalog,
        spec: ExamSpec,
        *,
        clock: Callable[[], datetime] | None = None,
        lang: str = "en",
    ) -> ExamSession:
        """Build a new exam and store it; its clock starts now.

        A running exam left from before is marked abandoned (one exam runs at a time).
        """
        exam = build_exam(catalog, spec, lang)
        clock = clock or _utcnow
        old = store.running_exam()
        now = clock()
        if old is not None:
            store.set_exam_status(old.id, "abandoned", now=now)
        exam_id = store.create_exam(spec.seed, exam.config(), preset=spec.preset, now=now)
        return cls(store, exam_id, exam, clock=clock, running_since=now, started_at=now)

    @classmethod
    def resume(
        cls,
        store: Store,
        catalog: Catalog,
        record: ExamRecord | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> ExamSession:
        """Continue the running exam (``record``, else the newest running one).

        Its clock restarts now: time while the app was closed is not counted.
        Raises ``ExamError`` (``exam.nothing_to_resume``, ``exam.missing_templates``, …).
        """
        record = record if record is not None else store.running_exam()
        if record is None or record.status != "running":
            raise ExamError("exam.nothing_to_resume")
        exam = Exam.from_config(catalog, record.config, record.seed)
        clock = clock or _utcnow
        now = clock()
        store.resume_exam(record.id, now=now)
        answers = {i: (a.answer, a.flagged) for i, a in record.answers.items()}
        return cls(
            store,
            record.id,
            exam,
            clock=clock,
            elapsed=record.elapsed_seconds,
            running_since=now,
            answers=answers,
            started_at=record.started_at,
        )

    # -- the clock

    @property
    def running(self) -> bool:
        return self._since is not None and self.score is None

    def elapsed(self, now: datetime | None = None) -> float:
        """Seconds counted so far (the stored total plus the running interval)."""
        if self._since is None:
            return self._elapsed
        now = now or self.clock()
        return self._elapsed + max(0.0, (now - self._since).total_seconds())

    def remaining(self, now: datetime | None = None) -> float:
        return max(0.0, self.exam.time_limit - self.elapsed(now))

    def time_up(self, now: datetime | None = None) -> bool:
        return self.elapsed(now) >= self.exam.time_limit - 1e-9

    def checkpoint(self) -> float:
        """Fold the running interval into the store (call every ``CHECKPOINT_SECONDS``)."""
        if self._since is None or self.score is not None:
            return self._elapsed
        now = self.clock()
        self._elapsed = self.store.checkpoint_exam_time(self.exam_id, now=now)
        self._since = now
        return self._elapsed

    def pause(self) -> None:
        """Stop the clock (the learner leaves the exam or closes the app)."""
        if self._since is None or self.score is not None:
            return
        now = self.clock()
        self._elapsed = self.store.checkpoint_exam_time(self.exam_id, now=now, pause=True)
        self._since = None

    def unpause(self) -> None:
        """Start the clock again after ``pause``."""
        if self._since is not None or self.score is not None:
            return
        now = self.clock()
        self.store.resume_exam(self.exam_id, now=now)
        self._since = now

    # -- answers and flags

    def answer_of(self, index: int) -> str | None:
        return self.answers.get(index, (None, False))[0]

    def flagged(self, index: int) -> bool:
        return self.answers.get(index, (None, False))[1]

    def _save(self, index: int, answer: str | None, flagged: bool) -> None:
        now = self.clock()
        self.store.save_exam_answer(self.exam_id, index, answer, flagged, now=now)
        self.answers[index] = (answer, flagged)
        if self._since is not None:
            self._elapsed = self.store.checkpoint_exam_time(self.exam_id, now=now)
            self._since = now

    def choose(self, index: int, number: int) -> str | None:
        """Press option ``number`` of item ``index`` (toggles for multi-choice); saved."""
        q = self.exam.questions[index]
        answer = q.toggled(self.answer_of(index), number)
        self._save(index, answer, self.flagged(index))
        return answer

    def clear(self, index: int) -> None:
        self._save(index, None, self.flagged(index))

    def set_flag(self, index: int, flagged: bool) -> None:
        self._save(index, self.answer_of(index), flagged)

    def toggle_flag(self, index: int) -> bool:
        flagged = not self.flagged(index)
        self.set_flag(index, flagged)
        return flagged

    def unanswered(self) -> list[int]:
        return [q.index for q in self.exam.questions if self.answer_of(q.index) is None]

    def flagged_items(self) -> list[int]:
        return [q.index for q in self.exam.questions if self.flagged(q.index)]

    def answered_count(self) -> int:
        return len(self.exam.questions) - len(self.unanswered())

    # -- the end

    def finish(self, scheduler: Scheduler | None = None, *, timed_out: bool = False) -> ExamScore:
        """Score the exam, store the score, and feed the schedule (see the module docstring)."""
        if self.score is not None:
            return self.score
        now = self.clock()
        elapsed = self.elapsed(now)
        timed_out = timed_out or elapsed >= self.exam.time_limit - 1e-9
        score = score_exam(self.exam, self.answers, elapsed, timed_out=timed_out)
        self.store.finish_exam(self.exam_id, score.to_json(), now=now)
        self._elapsed = elapsed
        self._since = None
        self.score = score
        record_exam_attempts(
            self.store, scheduler, self.exam, score, now=now, started_at=self.started_at
        )
        return score

    def abandon(self) -> None:
        self.store.set_exam_status(self.exam_id, "abandoned", now=self.clock())
        self._since = None


def record_exam_attempts(
    store: Store,
    scheduler: Scheduler | None,
    exam: Exam,
    score: ExamScore,
    *,
    now: datetime,
    started_at: datetime | None = None,
) -> int | None:
    """Record each answered item as an ``exam`` attempt; review wrongly answered templates
    as failed (one review per template). Returns the session id (None: nothing answered)."""
    from quizapp.store import Attempt

    answered = [r for r in score.items if r.answered]
    if not answered:
        return None
    session_id = store.start_session(
        "exam", filter=None, planned=len(exam.questions), now=started_at or now
    )
    questions = {q.index: q for q in exam.questions}
    attempts: dict[str, list[Attempt]] = {}
    for r in answered:
        q = questions[r.index]
        attempts.setdefault(r.template_id, []).append(
            Attempt(
                template_id=r.template_id,
                pack_id=q.item.pack_id,
                pack_version=q.item.pack_version,
                seed=r.seed,
                raw_answer=r.answer or "",
                parsed=list(q.picked(r.answer)),
                correct=r.correct,
                misconception=r.misconception,
                seconds=score.pace,
                answered_at=now,
                session_id=session_id,
                mode="exam",
            )
        )
    for template_id, group in attempts.items():
        wrong = [a for a in group if not a.correct]
        reviewed = None
        if wrong and scheduler is not None:
            reviewed = wrong[0]
            scheduler.review(template_id, False, attempt=reviewed, now=now)
        for a in group:
            if a is not reviewed:
                store.record_attempt(a)
    store.end_session(
        session_id,
        {
            "exam": True,
            "correct": score.overall.correct,
            "total": score.overall.total,
            "answered": score.answered,
        },
        now=now,
    )
    return session_id


# --------------------------------------------------------------------------- history


@dataclass(frozen=True)
class ExamSummary:
    """A finished exam in the history."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    preset: str | None
    seed: int
    total: int
    correct: int
    fraction: float
    passed: bool
    time_used: float

    def row(self, lang: str) -> tuple[str, str, str, str, str, str]:
        when = (self.finished_at or self.started_at).astimezone().strftime("%Y-%m-%d %H:%M")
        return (
            when,
            preset_label(self.preset, lang),
            str(self.total),
            f"{self.correct}/{self.total} ({format_percent(self.fraction)})",
            format_duration(self.time_used),
            t("exam.pass" if self.passed else "exam.fail", lang),
        )


def exam_history(store: Store) -> list[ExamSummary]:
    """Finished exams with a score, oldest first (a record without one is skipped)."""
    out = []
    for record in store.exams():
        if record.status != "finished" or not record.score:
            continue
        try:
            score = ExamScore.from_json(record.score)
        except (KeyError, TypeError, ValueError):
            continue
        out.append(
            ExamSummary(
                id=record.id,
                started_at=record.started_at,
                finished_at=record.finished_at,
                preset=record.preset,
                seed=record.seed,
                total=score.overall.total,
                correct=score.overall.correct,
                fraction=score.overall.fraction,
                passed=score.passed,
                time_used=score.time_used,
            )
        )
    out.sort(key=lambda s: (s.finished_at or s.started_at, s.id))
    return out


def running_summary(store: Store, lang: str) -> str | None:
    """One line about the unfinished exam (for "resume"), or None when there is none."""
    record = store.running_exam()
    if record is None:
        return None
    config = record.config if isinstance(record.config, dict) else {}
    items = config.get("items") or []
    try:
        limit = float(config.get("minutes", 0)) * 60
    except (TypeError, ValueError):
        limit = 0.0
    answered = sum(1 for a in record.answers.values() if a.answer is not None)
    flagged = sum(1 for a in record.answers.values() if a.flagged)
    return t(
        "exam.running_summary",
        lang,
        preset=preset_label(record.preset, lang),
        total=len(items),
        answered=answered,
        flagged=flagged,
        left=format_duration(max(0.0, limit - record.elapsed_seconds)),
    )


def clock_warning(before: float, after: float) -> str | None:
    """The warning key when the remaining time crosses 10 or 1 minutes (else None)."""
    for mark, key in zip(WARN_AT_SECONDS, ("exam.warn_10", "exam.warn_1"), strict=True):
        if before > mark >= after:
            return key
    return None


def clock_level(remaining: float) -> str:
    """'ok', 'warning' (10 minutes or less) or 'danger' (1 minute or less)."""
    if remaining <= WARN_AT_SECONDS[1]:
        return "danger"
    if remaining <= WARN_AT_SECONDS[0]:
        return "warning"
    return "ok"
