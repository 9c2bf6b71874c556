"""A study session, without a screen: what to show next, grading, recording, the summary.

The TUI's study screen drives a ``StudySession``; everything it shows comes from here
(the hint under the input, the feedback after an answer, the plot data, the summary),
so all of it is unit-tested without a terminal.

Rules (DESIGN.md, issue 5):

- Order (``quizapp.study.queue``): in study mode ``Scheduler.queue`` (due reviews first,
  then new templates up to the daily limit), asked again after every answer, so a failed
  card can come back. In cram mode ``Scheduler.cram_queue``: every template of the
  selection once, and the schedule is not touched.
- Every review draws a fresh seed (the learner learns the method, not the numbers);
  ``--template ID --seed N`` starts with exactly that problem.
- An unreadable answer is *invalid*: nothing is recorded and the learner may try again.
  A valid answer is recorded in ONE store transaction (``Scheduler.review`` in study
  mode, ``Scheduler.record_cram`` in cram mode) with the seconds it took.
- "Another one like this" draws a new seed of the same template; it is recorded as
  cram, so one template is not rescheduled twice for one review.
- Home screen figures (``overview``) count due, new and mastered templates per pack and
  topic, with the day's due count and the streak.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizapp.grading import Grade, grade
from quizapp.i18n import t
from quizapp.packs.generation import GenerationError, Problem, generate, to_json
from quizapp.progress.scheduler import DEFAULT_NEW_LIMIT, Scheduler
from quizapp.progress.store import Attempt, Store
from quizapp.study.overview import Overview, OverviewNode, counts_label, overview
from quizapp.study.queue import QueueMixin
from quizapp.study.scope import Scope, ScopeError, template_label, topic_title
from quizapp.study.summary import (
    EmptyInfo,
    Mistake,
    Result,
    SessionSummary,
    TopicScore,
    summarize,
)
from quizapp.study.views import (
    FeedbackView,
    PlotData,
    answer_hint,
    choice_labels,
    feedback_view,
    format_duration,
    format_when,
    invalid_text,
    plot_data,
    raw_for_choice,
    read_preview,
)


def _system_seed() -> int:
    return random.SystemRandom().randrange(2**31)


@dataclass
class _Current:
    problem: Problem
    shown_at: datetime
    extra: bool = False
    result: Result | None = None



class StudySession(QueueMixin):
    """One sitting of study or cram over a scope of templates.

    ``seed``: makes the session reproducible (the seeds drawn and the cram order); with
    ``first`` it is exactly the seed of that first problem. Without it, seeds come from
    ``random.SystemRandom``. ``clock`` defaults to the scheduler's clock.
    """

    def __init__(
        self,
        catalog: Any,
        store: Store,
        scheduler: Scheduler,
        *,
        scope: Scope | None = None,
        first: str | None = None,
        seed: int | None = None,
        cram: bool = False,
        new_limit: int = DEFAULT_NEW_LIMIT,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.scheduler = scheduler
        self.scope = scope or Scope()
        self.mode = "cram" if cram else "study"
        self.new_limit = new_limit
        self._clock = clock or scheduler.now
        self.template_ids = self.scope.template_ids(catalog)
        if first is not None and first not in catalog.templates:
            raise ScopeError("scope.no_template", id=first, near=catalog.suggest(first))
        if not catalog.templates:
            raise ScopeError("scope.no_packs")
        if not self.template_ids and first is None:
            raise ScopeError("scope.empty")
        rng = random.Random(seed) if seed is not None else None
        self._draw_seed: Callable[[], int] = (
            (lambda: rng.randrange(2**31)) if rng is not None else _system_seed
        )
        self._first: tuple[str, int | None] | None = (first, seed) if first else None
        self._cram_order = (
            Scheduler.cram_queue(self.template_ids, seed if seed is not None else _system_seed())
            if cram else []
        )
        if cram and first is not None:
            self._cram_order = [first] + [x for x in self._cram_order if x != first]
            self._first = (first, seed)
        self._cram_pos = 0
        self._excluded: set[str] = set()
        self.current: _Current | None = None
        self.results: list[Result] = []
        self.skipped: list[tuple[str, str]] = []
        self.started_at = self._clock()
        self.session_id: int | None = None
        self.closed = False
        self._done = 0
        self.item_set: Problem | None = None
        """The item set being studied: its parts come one after another."""
        self.set_results: list[Result] = []
        """The results of the item set's parts answered so far."""

    @property
    def set_open(self) -> bool:
        """An item set is on screen with parts still to answer."""
        return self.item_set is not None and len(self.set_results) < len(self.item_set.parts)

    def _start(self, problem: Problem) -> Problem:
        """The problem to show first: an item set's first part (the set is remembered)."""
        self.item_set, self.set_results = (problem, []) if problem.parts else (None, [])
        return problem.parts[0] if problem.parts else problem

    # ------------------------------------------------------------- problems

    def _generate(self, template_id: str, seed: int | None) -> Problem:
        ref = self.catalog.templates[template_id]
        return generate(
            ref.template,
            self._draw_seed() if seed is None else seed,
            pack_id=ref.pack.id,
            pack_version=str(ref.pack.version),
        )

    def next_problem(self) -> Problem | None:
        """The next problem (the current one while it is unanswered); None when done."""
        if self.closed:
            return None
        if self.current is not None and self.current.result is None:
            return self.current.problem
        if self.set_open and self.current is not None:  # the item set's next part
            part = self.item_set.parts[len(self.set_results)]  # type: ignore[union-attr]
            self.current = _Current(part, self._clock(), extra=self.current.extra)
            return part
        while (picked := self._pick()) is not None:
            tid, seed = picked
            try:
                problem = self._generate(tid, seed)
            except GenerationError as exc:
                self._excluded.add(tid)
                self.skipped.append((tid, f"{exc.where}: {exc.message}" if exc.where
                                     else exc.message))
                continue
            if self.session_id is None:
                self.session_id = self.store.start_session(
                    self.mode, filter=self.scope.key(), planned=1 + len(self._queue()),
                    now=self._clock(),
                )
            problem = self._start(problem)
            self.current = _Current(problem, self._clock())
            return problem
        self.current = None
        return None

    @property
    def problem(self) -> Problem | None:
        return self.current.problem if self.current else None

    @property
    def answered(self) -> bool:
        return self.current is not None and self.current.result is not None

    def submit(self, raw: str) -> Grade:
        """Grade ``raw``; a valid answer is recorded (one transaction), an invalid one not.

        A ``StoreError`` from recording leaves the problem unanswered (try again).
        After a valid answer, further calls return the same grade.
        """
        cur = self._require_current()
        if cur.result is not None:
            return cur.result.grade
        result = grade(cur.problem, raw)
        if result.valid:
            self._record(cur, raw, result)
        return result

    def reveal(self) -> Grade:
        """Give up and see the answer: recorded as an incorrect answer."""
        cur = self._require_current()
        if cur.result is not None:
            return cur.result.grade
        problem = cur.problem
        result = Grade(
            valid=True,
            correct=False,
            parsed=None,
            _feedback=lambda lang: t("feedback.incorrect", lang,
                                     answer=problem.answer_text(lang)),
        )
        self._record(cur, "", result, gave_up=True)
        return result

    def _require_current(self) -> _Current:
        if self.current is None:
            raise RuntimeError("no problem is shown: call next_problem() first")
        return self.current

    def _record(self, cur: _Current, raw: str, result: Grade, gave_up: bool = False) -> None:
        now = self._clock()
        seconds = max(0.0, (now - cur.shown_at).total_seconds())
        mode = "cram" if self.mode == "cram" or cur.extra else "study"
        problem = cur.problem
        attempt = Attempt(
            template_id=problem.item_id,  # `ID#n` for a part of an item set
            pack_id=problem.pack_id,
            pack_version=problem.pack_version,
            seed=problem.seed,
            raw_answer=raw,
            parsed=to_json(result.parsed),
            correct=result.correct,
            misconception=result.misconception,
            seconds=seconds,
            answered_at=now,
            session_id=self.session_id,
            mode=mode,
        )
        if problem.part:  # an item set: each part recorded, the card reviewed after the last
            self._record_part(cur, attempt, Result(problem, result, raw, seconds, mode,
                                                   cur.extra, gave_up))
            return
        if mode == "study":
            self.scheduler.review(problem.template_id, result.correct, attempt, now=now)
        else:
            self.scheduler.record_cram(attempt)
        cur.result = Result(problem, result, raw, seconds, mode, cur.extra, gave_up)
        self.results.append(cur.result)
        if not cur.extra:
            self._done += 1

    def _record_part(self, cur: _Current, attempt: Attempt, result: Result) -> None:
        """A part's attempt (`ID#n`); after the last part the set's ONE card is reviewed:
        Good when every part was correct, else Again (``itemsets.set_correct``)."""
        from quizapp.packs.itemsets import set_correct

        if attempt.mode == "study":
            self.store.record_attempt(attempt)
        else:
            self.scheduler.record_cram(attempt)
        cur.result = result
        self.results.append(result)
        self.set_results.append(result)
        if not self.set_open:
            if attempt.mode == "study":
                correct = set_correct(r.grade.correct for r in self.set_results)
                self.scheduler.review(result.problem.template_id, correct, None,
                                      now=attempt.answered_at)
            if not cur.extra:
                self._done += 1

    def another_like_this(self) -> Problem:
        """A new seed of the answered problem's template (recorded as cram)."""
        cur = self._require_current()
        if cur.result is None or self.set_open:
            raise RuntimeError("answer the problem (every part of an item set) first")
        problem = self._start(self._generate(cur.problem.template_id, None))
        self.current = _Current(problem, self._clock(), extra=True)
        return problem

    def restart_timer(self) -> None:
        """Count the current problem's seconds from now (e.g. after the app was away)."""
        if self.current is not None and self.current.result is None:
            self.current.shown_at = self._clock()

    # ------------------------------------------------------------- empty and summary

    def empty_info(self) -> EmptyInfo:
        """Why there is nothing to study now (next due time, new templates held back)."""
        cards = self.store.cards()
        dues = [cards[x].due for x in self.template_ids if x in cards]
        now = self._clock()
        later = [d for d in dues if d > now]
        new = sum(1 for x in self.template_ids if x not in cards)
        return EmptyInfo(min(later) if later else None, new, self.new_limit)

    def summary(self, lang: str) -> SessionSummary:
        """The session so far in ``lang`` (``quizapp.study.summary.summarize``)."""
        return summarize(
            self.results,
            mode=self.mode,
            scope=self.scope.describe(self.catalog, lang),
            seconds=max(0.0, (self._clock() - self.started_at).total_seconds()),
            skipped=self.skipped,
            catalog=self.catalog,
            lang=lang,
        )

    def close(self, lang: str = "en") -> SessionSummary:
        """End the session: its record gets the summary (once). Returns the summary."""
        summary = self.summary(lang)
        if not self.closed and self.session_id is not None:
            self.store.end_session(self.session_id, summary.to_json(), now=self._clock())
        self.closed = True
        return summary


__all__ = [
    "EmptyInfo",
    "FeedbackView",
    "Mistake",
    "Overview",
    "OverviewNode",
    "PlotData",
    "Result",
    "Scope",
    "ScopeError",
    "SessionSummary",
    "StudySession",
    "TopicScore",
    "answer_hint",
    "choice_labels",
    "counts_label",
    "feedback_view",
    "format_duration",
    "format_when",
    "invalid_text",
    "overview",
    "plot_data",
    "raw_for_choice",
    "read_preview",
    "template_label",
    "topic_title",
]
