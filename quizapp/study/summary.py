"""The results of a study session and its summary (``summarize``); why a session has nothing
to show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizapp.grading import Grade
from quizapp.i18n import t
from quizapp.packs.generation import Problem
from quizapp.study.scope import topic_title
from quizapp.study.views import feedback_view, format_duration, format_when


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


def summarize(
    results: Sequence[Result],
    *,
    mode: str,
    scope: str,
    seconds: float,
    skipped: Sequence[tuple[str, str]],
    catalog: Any,
    lang: str,
) -> SessionSummary:
    """The summary of a session's ``results`` in ``lang``: the score per topic (in the
    order the topics were first answered), each wrong answer with the right one, and the
    templates ``skipped`` as ``(id, why)`` because they could not be generated."""
    topics: dict[str, list[int]] = {}
    mistakes = []
    for r in results:
        topic = r.problem.template.topic
        score = topics.setdefault(topic, [0, 0])
        score[0] += 1
        score[1] += int(r.grade.correct)
        if not r.grade.correct:
            view = feedback_view(r.problem, r.grade, lang, raw=r.raw, gave_up=r.gave_up)
            mistakes.append(
                Mistake(
                    template_id=r.problem.template_id,
                    seed=r.problem.seed,
                    prompt=r.problem.prompt(lang),
                    your_answer=view.your_answer,
                    answer=view.answer,
                    message=view.misconception,
                )
            )
    return SessionSummary(
        mode=mode,
        scope=scope,
        answered=len(results),
        correct=sum(1 for r in results if r.grade.correct),
        seconds=seconds,
        topics=tuple(
            TopicScore(topic, topic_title(catalog, topic, lang), n, c)
            for topic, (n, c) in topics.items()
        ),
        mistakes=tuple(mistakes),
        skipped=tuple(t("summary.skipped", lang, id=tid, msg=msg) for tid, msg in skipped),
        lang=lang,
    )


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
