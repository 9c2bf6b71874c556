"""Past exams from the progress store, and the clock's warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from quizapp.exam.presets import WARN_AT_SECONDS, format_duration, format_percent, preset_label
from quizapp.exam.scoring import ExamScore
from quizapp.i18n import t

if TYPE_CHECKING:
    from quizapp.progress.store import Store

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
