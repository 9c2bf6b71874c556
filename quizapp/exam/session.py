"""The running exam: answers saved as given, flags, the clock, submitting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from quizapp.exam.building import Exam, build_exam
from quizapp.exam.presets import ExamError
from quizapp.exam.scoring import ExamScore, score_exam
from quizapp.exam.spec import ExamSpec

if TYPE_CHECKING:
    from quizapp.packs.loader import Catalog
    from quizapp.progress.scheduler import Scheduler
    from quizapp.progress.store import ExamRecord, Store

# --------------------------------------------------------------------------- the running exam


def _utcnow() -> datetime:
    return datetime.now(UTC)


OPEN_ITEM_SETTING = "exam.open_item"
"""The item open on screen, ``{"exam": id, "index": i}`` (a setting, so that the store's
schema stays as it is); ``--resume`` reopens there."""


def _stored_open_index(store: Store, exam_id: int, count: int) -> int | None:
    try:
        value = store.get_setting(OPEN_ITEM_SETTING)
    except Exception:  # a broken setting must not stop a resume
        return None
    if not isinstance(value, dict) or value.get("exam") != exam_id:
        return None
    index = value.get("index")
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < count:
        return index
    return None


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
        self.open_index: int | None = None
        """The item that was open when the exam was left (set by ``resume``)."""

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
        session = cls(
            store,
            record.id,
            exam,
            clock=clock,
            elapsed=record.elapsed_seconds,
            running_since=now,
            answers=answers,
            started_at=record.started_at,
        )
        session.open_index = _stored_open_index(store, record.id, len(exam.questions))
        return session

    def set_open(self, index: int) -> None:
        """Remember that item ``index`` is open (``resume`` reopens it)."""
        if index == self.open_index or self.score is not None:
            return
        self.store.set_setting(OPEN_ITEM_SETTING, {"exam": self.exam_id, "index": index},
                               now=self.clock())
        self.open_index = index

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
    from quizapp.progress.store import Attempt

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
