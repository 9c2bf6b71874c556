"""What an exam is asked to be (`ExamSpec`): from a preset, options or a blueprint file.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.exam.blueprint import BlueprintFile, read_blueprint
from quizapp.exam.presets import (
    DEFAULT_PASS_THRESHOLD,
    DEFAULT_PRESET,
    MAX_MINUTES,
    MAX_QUESTIONS,
    PASS_SETTING,
    PRESETS,
    SECONDS_PER_ITEM,
    ExamError,
    format_percent,
)

if TYPE_CHECKING:
    from quizapp.progress.store import Store

# --------------------------------------------------------------------------- the spec


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
    blueprint_file: str | None = None
    """The ``--blueprint FILE`` it was made from (for ``command``)."""

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

    def command(self) -> str:
        """The `quizapp exam …` command that builds this exam again (every option)."""
        import shlex

        parts = ["quizapp", "exam"]
        if self.preset is not None:
            parts += ["--preset", self.preset]
        else:
            minutes = int(self.minutes) if float(self.minutes).is_integer() else self.minutes
            parts += ["--questions", str(self.questions), "--minutes", str(minutes)]
        for topic in self.topics or ():
            parts += ["--topic", topic]
        for pack in self.packs or ():
            parts += ["--pack", pack]
        if self.blueprint_file:
            parts += ["--blueprint", self.blueprint_file]
        parts += ["--seed", str(self.seed)]
        return " ".join(shlex.quote(p) for p in parts)


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
    blueprint_file: str | None = None,
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
        field_weights=_field_weights(preset, blueprint, topics, packs),
        topic_weights=blueprint.topics if blueprint else None,
        blueprint_file=(str(Path(blueprint_file).resolve())
                        if blueprint is not None and blueprint_file else None),
    )


def _field_weights(
    preset: str | None,
    blueprint: BlueprintFile | None,
    topics: Sequence[str] | None,
    packs: Sequence[str] | None,
) -> Mapping[str, float] | None:
    """A blueprint file's field shares; else the preset's (``full``: the exam's fields in
    the proportions of ``FULL_EXAM_FIELDS``), unless the exam is limited to some topics or
    packs (then the chosen templates share the items by their counts)."""
    if blueprint is not None and blueprint.fields:
        return blueprint.fields
    if preset is None or topics or packs:
        return None
    return PRESETS[preset].fields


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
        blueprint_file=blueprint_path,
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
