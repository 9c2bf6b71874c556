"""Scoring a submitted exam: totals by field and topic, pass or fail, the review.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quizapp.exam.building import Exam
from quizapp.exam.items import ExamQuestion, answer_text
from quizapp.exam.presets import (
    DEFAULT_PASS_THRESHOLD,
    field_label,
    format_duration,
    format_percent,
)
from quizapp.i18n import t
from quizapp.packs.model import FIELDS, canonical_field

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


def result_lines(
    score: ExamScore, lang: str, *, seed: int | None = None, spec: Any = None
) -> list[str]:
    """The summary a results screen shows, one line each. With ``spec`` (an ``ExamSpec``)
    the last line is the command that builds the same exam again (all its options)."""
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
    if spec is not None:
        lines.append(t("exam.again_line", lang, seed=spec.seed, command=spec.command()))
    elif seed is not None:
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
                t("exam.misconception", lang, message=q.problem.text(mistake.message, lang))
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
