"""The results of a study session and its summary; why a session has nothing to show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizapp.grading import Grade
from quizapp.i18n import t
from quizapp.packs.generation import Problem
from quizapp.study.views import format_duration, format_when


@dataclass(frozen=True)
class Result:
    """One recorded answer of the session."""

    problem: Problem
    grade: Grade
    raw: str
    seconds: float
    mode: str
    """'study' (rescheduled) or 'cram' (recorded only)."""
    extra: bool = False
    """An "another one like this" problem."""
    gave_up: bool = False


@dataclass(frozen=True)
class TopicScore:
    topic: str
    title: str
    answered: int
    correct: int


@dataclass(frozen=True)
class Mistake:
    template_id: str
    seed: int
    prompt: str
    your_answer: str
    answer: str
    message: str


@dataclass(frozen=True)
class SessionSummary:
    """The end of a session, in one language (``StudySession.summary(lang)``)."""

    mode: str
    scope: str
    answered: int
    correct: int
    seconds: float
    topics: tuple[TopicScore, ...]
    mistakes: tuple[Mistake, ...]
    skipped: tuple[str, ...]
    lang: str

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.answered) if self.answered else 0

    def score_text(self) -> str:
        if not self.answered:
            return t("summary.none", self.lang)
        return t("summary.score", self.lang, correct=self.correct, answered=self.answered,
                 percent=self.percent)

    def time_text(self) -> str:
        return t("summary.time", self.lang, time=format_duration(self.seconds, self.lang))

    def to_json(self) -> dict[str, Any]:
        """What is stored with the session record."""
        return {
            "mode": self.mode,
            "answered": self.answered,
            "correct": self.correct,
            "seconds": round(self.seconds, 1),
            "topics": {s.topic: [s.correct, s.answered] for s in self.topics},
            "mistakes": [m.template_id for m in self.mistakes],
        }


@dataclass(frozen=True)
class EmptyInfo:
    """Why a study session has nothing to show, for the "nothing due" panel."""

    next_due: datetime | None
    new_waiting: int
    new_limit: int

    def lines(self, now: datetime, lang: str) -> list[str]:
        out = [t("empty.nothing_due", lang)]
        if self.next_due is not None:
            out.append(t("empty.next_due", lang, when=format_when(self.next_due - now, lang)))
        if self.new_waiting:
            out.append(t("empty.new_held", lang, n=self.new_waiting, limit=self.new_limit))
        elif self.next_due is None:
            out.append(t("empty.all_studied", lang))
        return out
