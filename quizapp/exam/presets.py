"""Exam presets and constants, the exam's errors and notes, and labels for them.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from quizapp.i18n import LocalizedError, t

# --------------------------------------------------------------------------- constants


FULL_EXAM_FIELDS: Mapping[str, float] = {
    "応用数学": 10,
    "機械学習": 15,
    "深層学習の基礎": 45,
    "深層学習の応用": 25,
    "開発・運用環境": 5,
}
"""The full mock exam's shares of items per field, in percent: an UNOFFICIAL estimate.
JDLA publishes the syllabus (2024) but no weights; this follows the syllabus's volume of
topics per field and what candidates report of recent exams (deep-learning basics, from
optimization to Transformer, is the bulk; applications second; applied mathematics and
machine learning each a tenth or more; the development environment a few items). See
docs/exams.md. A blueprint file (``--blueprint``, ``fields:``) overrides it."""


@dataclass(frozen=True)
class Preset:
    """A named exam size, and its shares of items per field (None: by template counts)."""

    name: str
    questions: int
    minutes: int
    fields: Mapping[str, float] | None = None


PRESETS: dict[str, Preset] = {
    "full": Preset("full", 100, 120, FULL_EXAM_FIELDS),
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



class ExamError(LocalizedError):
    """A problem to tell the user in their language (``text(lang)``); nothing was changed."""


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
    return f"{fraction * 100:.0f}%"


def preset_label(preset: str | None, lang: str) -> str:
    return t(f"exam.preset_name.{preset or 'custom'}", lang)


def _hint(name: str, known: Iterable[str], lang: str) -> str:
    known = sorted(set(known))
    near = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    if near:
        return t("exam.did_you_mean", lang, names=", ".join(near))
    return t("exam.known", lang, names=", ".join(known[:12]) + (" …" if len(known) > 12 else ""))
