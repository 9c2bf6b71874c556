"""A study session, without a screen: what to show next, grading, recording, the summary.

The TUI's study screen drives a ``StudySession``; everything it shows comes from here
(the hint under the input, the feedback after an answer, the plot data, the summary),
so all of it is unit-tested without a terminal.

Rules (DESIGN.md, issue 5):

- Order: in study mode ``Scheduler.queue`` (due reviews first, then new templates up to
  the daily limit), asked again after every answer, so a failed card can come back. In
  cram mode ``Scheduler.cram_queue``: every template of the selection once, and the
  schedule is not touched.
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

import difflib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from quizapp.grading import Grade, grade
from quizapp.i18n import t
from quizapp.packs.generation import GenerationError, Problem, generate, to_json
from quizapp.packs.model import text_in
from quizapp.progress.scheduler import DEFAULT_NEW_LIMIT, Scheduler
from quizapp.progress.store import Attempt, Counts, Store


def _system_seed() -> int:
    return random.SystemRandom().randrange(2**31)


# --------------------------------------------------------------------------- scopes


class ScopeError(ValueError):
    """A --pack / --topic / --template that names nothing; ``text(lang)`` says so."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def text(self, lang: str) -> str:
        params = dict(self.params)
        names = params.pop("near", ())
        hint = t("scope.did_you_mean", lang, names=", ".join(names)) if names else ""
        return t(self.key, lang, hint=hint, **params).strip()


@dataclass(frozen=True)
class Scope:
    """Which templates to study: all, one pack, one topic (of one pack or of any), one template."""

    pack: str | None = None
    topic: str | None = None
    template: str | None = None

    def template_ids(self, catalog: Any) -> list[str]:
        """The templates in the scope, in catalogue order (packs, then their templates).

        Raises ``ScopeError`` for a name that is not in the catalogue.
        """
        refs = catalog.templates
        if self.template is not None:
            if self.template not in refs:
                raise ScopeError("scope.no_template", id=self.template,
                                 near=catalog.suggest(self.template))
            return [self.template]
        packs = [loaded.pack for loaded in catalog.packs]
        if self.pack is not None and self.pack not in {p.id for p in packs}:
            raise ScopeError("scope.no_pack", id=self.pack,
                             near=difflib.get_close_matches(self.pack, [p.id for p in packs]))
        ids = [
            tid
            for tid, ref in refs.items()
            if (self.pack is None or ref.pack.id == self.pack)
            and (self.topic is None or ref.template.topic == self.topic)
        ]
        if self.topic is not None and not ids:
            topics = sorted({ref.template.topic for ref in refs.values()})
            raise ScopeError("scope.no_topic", id=self.topic,
                             near=difflib.get_close_matches(self.topic, topics))
        return ids

    def describe(self, catalog: Any, lang: str) -> str:
        """The scope as a person reads it: 'All packs', 'Pack: …', 'Topic: …'."""
        if self.template is not None:
            return t("scope.template", lang, id=self.template)
        if self.topic is not None:
            return t("scope.topic", lang, title=topic_title(catalog, self.topic, lang, self.pack))
        if self.pack is not None:
            for loaded in catalog.packs:
                if loaded.pack.id == self.pack:
                    return t("scope.pack", lang, title=text_in(loaded.pack.title, lang))
            return t("scope.pack", lang, title=self.pack)
        return t("scope.all", lang)

    def key(self) -> str:
        """A short machine-readable form, stored as the session's filter."""
        parts = [f"{k}={v}" for k, v in (("pack", self.pack), ("topic", self.topic),
                                          ("template", self.template)) if v is not None]
        return ",".join(parts) or "all"


def topic_title(catalog: Any, topic: str, lang: str, pack: str | None = None) -> str:
    """The declared title of a topic (from the first pack that declares it), else its id."""
    for loaded in catalog.packs:
        if pack is not None and loaded.pack.id != pack:
            continue
        declared = loaded.pack.topics.get(topic)
        if declared is not None:
            return text_in(declared.title, lang)
    return topic


def template_label(template: Any, lang: str) -> str:
    """A template in lists: the last part of its id and its kind ('sigmoid_grad · number')."""
    return f"{template.id.rsplit('.', 1)[-1]} · {t('kind.' + template.kind, lang)}"


# --------------------------------------------------------------------------- home screen


def counts_label(counts: Counts, lang: str) -> str:
    return t("counts.label", lang, due=counts.due, new=counts.new, mastered=counts.mastered)


@dataclass(frozen=True)
class OverviewNode:
    """A pack, topic or template on the home screen, with its counts."""

    scope: Scope
    label: str
    counts: Counts
    children: tuple[OverviewNode, ...] = ()


@dataclass(frozen=True)
class Overview:
    """What the home screen shows."""

    packs: tuple[OverviewNode, ...]
    total: Counts
    due_today: int
    """Cards due by the end of the local day (overdue ones included)."""
    new_left: int
    """New templates that may still be introduced today."""
    streak: int
    templates: int


def overview(
    catalog: Any, scheduler: Scheduler, lang: str, *, new_limit: int = DEFAULT_NEW_LIMIT,
    now: datetime | None = None,
) -> Overview:
    """Packs → topics → templates with (due, new, mastered), the day's due count, the streak."""
    now = scheduler.now() if now is None else now
    packs = []
    all_ids: list[str] = []
    for loaded in catalog.packs:
        pack = loaded.pack
        ids = [tpl.id for tpl in pack.templates if tpl.id in catalog.templates
               and catalog.templates[tpl.id].pack is pack]
        all_ids.extend(ids)
        topics: dict[str, list[str]] = {}
        for tid in ids:
            topics.setdefault(catalog.templates[tid].template.topic, []).append(tid)
        topic_nodes = []
        for topic, tids in topics.items():
            declared = pack.topics.get(topic)
            title = text_in(declared.title, lang) if declared is not None else topic
            leaves = tuple(
                OverviewNode(
                    Scope(template=tid),
                    template_label(catalog.templates[tid].template, lang),
                    scheduler.counts([tid], now),
                )
                for tid in tids
            )
            topic_nodes.append(
                OverviewNode(Scope(pack=pack.id, topic=topic), title,
                             scheduler.counts(tids, now), leaves)
            )
        packs.append(
            OverviewNode(Scope(pack=pack.id), text_in(pack.title, lang),
                         scheduler.counts(ids, now), tuple(topic_nodes))
        )
    forecast = scheduler.store.due_forecast(1, now, tz=scheduler.tz, template_ids=all_ids)
    day = now.astimezone(scheduler.tz).date() if scheduler.tz else now.astimezone().date()
    return Overview(
        packs=tuple(packs),
        total=scheduler.counts(all_ids, now),
        due_today=forecast[0][1] if forecast else 0,
        new_left=max(0, new_limit - scheduler.new_today(now)),
        streak=scheduler.store.streak(day, tz=scheduler.tz),
        templates=len(all_ids),
    )


# --------------------------------------------------------------------------- what a screen shows


def answer_hint(problem: Problem, lang: str) -> str:
    """How to type the answer to this problem (the expected shape, never the answer)."""
    import numpy as np

    kind = problem.kind
    if kind == "vector":
        return t("hint.vector", lang, n=int(np.size(problem.answer)))
    if kind == "matrix":
        rows, cols = np.shape(problem.answer)
        example = "; ".join(" ".join(str(r * cols + c + 1) for c in range(cols))
                            for r in range(rows))
        return t("hint.matrix", lang, rows=rows, cols=cols, example=example)
    if kind == "expression":
        names = ", ".join(problem.template.answer.variables or {}) or "x"
        return t("hint.expression", lang, vars=names)
    if kind in ("single_choice", "multi_choice"):
        return t(f"hint.{kind}", lang, n=len(problem.choices or ()))
    return t(f"hint.{kind}", lang)


def read_preview(problem: Problem, raw: str, lang: str) -> str:
    """How a vector or matrix answer being typed reads so far: its shape, checked against
    the shape needed (shown live under the box; it never tells the values)."""
    import numpy as np

    from quizapp.grading import Unreadable, parse_array

    if not raw.strip():
        return ""
    try:
        value = parse_array(raw)
    except Unreadable as exc:
        return t(exc.key, lang, **exc.params)
    want = np.shape(problem.answer)
    got = value.shape
    if len(want) == 1 and 1 in got and value.size == want[0]:
        got = want
    shape = "×".join(map(str, got))
    if got == want:
        return t("preview.ok", lang, shape=shape)
    return t("preview.bad", lang, shape=shape, want="×".join(map(str, want)))


def choice_labels(problem: Problem, lang: str) -> list[str]:
    """The options of a choice or true/false item, in the order of the keys 1, 2, …"""
    if problem.kind == "true_false":
        return [t("bool.true", lang), t("bool.false", lang)]
    return [c.text(lang) for c in problem.choices or ()]


def raw_for_choice(problem: Problem, numbers: Sequence[int]) -> str:
    """The answer text the grader reads for the chosen option numbers (1-based)."""
    if problem.kind == "true_false":
        return "true" if list(numbers) == [1] else "false"
    return ",".join(str(n) for n in sorted(numbers))


@dataclass(frozen=True)
class FeedbackView:
    """The feedback after a valid answer, every part a text in one language."""

    verdict: str
    correct: bool
    your_answer: str
    misconception: str
    answer: str
    cells: str
    summary: str
    steps: tuple[str, ...]


def _parsed_text(problem: Problem, parsed: Any) -> str:
    from quizapp.packs.expressions import format_value

    if parsed is None:
        return ""
    if problem.kind in ("single_choice", "multi_choice"):
        return ", ".join(str(n) for n in (parsed if isinstance(parsed, list) else [parsed]))
    if problem.kind == "true_false":
        return "true" if parsed else "false"
    if isinstance(parsed, str):
        return parsed
    return format_value(to_json(parsed))


def _worth_showing(raw: str, parsed: str, kind: str) -> bool:
    """Whether "read as …" tells the learner something (not for a plain number typed)."""
    text = raw.strip()
    if kind == "numeric":
        try:
            float(text)
        except ValueError:
            return True
        return False
    if kind in ("single_choice", "multi_choice", "true_false"):
        return text.lower() != parsed.lower() and not text.isdigit()
    return "".join(text.split()) != "".join(parsed.split())


def feedback_view(
    problem: Problem, result: Grade, lang: str, *, raw: str = "", gave_up: bool = False
) -> FeedbackView:
    """What to show after a valid answer: verdict, misconception, answer, worked solution."""
    if gave_up:
        your = t("study.gave_up", lang)
    elif problem.kind in ("single_choice", "multi_choice", "true_false"):
        labels = choice_labels(problem, lang)
        picked = result.parsed if isinstance(result.parsed, list) else [result.parsed]
        if problem.kind == "true_false":
            picked = [1 if result.parsed else 2]
        shown = ", ".join(f"{n}. {labels[n - 1]}" for n in picked if 1 <= n <= len(labels))
        your = t("study.your_answer", lang, raw=shown)
    else:
        your = t("study.your_answer", lang, raw=raw.strip())
        parsed = _parsed_text(problem, result.parsed)
        if parsed and _worth_showing(raw, parsed, problem.kind):
            your += " " + t("study.read_as", lang, parsed=parsed)
    cells = ""
    import numpy as np

    if result.cells and len(result.cells) < np.size(problem.answer):  # not when all are wrong
        key = "study.cells_vector" if problem.kind == "vector" else "study.cells"
        shown = ", ".join("(" + ", ".join(str(i + 1) for i in c) + ")" for c in result.cells)
        if problem.kind == "vector":
            shown = ", ".join(str(c[0] + 1) for c in result.cells)
        cells = t(key, lang, cells=shown)
    return FeedbackView(
        verdict=result.verdict(lang),
        correct=result.correct,
        your_answer=your,
        misconception=problem.text(result.message, lang) if result.message else "",
        answer=t("study.answer", lang, answer=problem.answer_text(lang)),
        cells=cells,
        summary=problem.explanation_summary(lang),
        steps=tuple(problem.explanation_steps(lang)),
    )


def invalid_text(result: Grade, lang: str) -> str:
    """Why an answer could not be read and how it was read, and that it cost nothing."""
    return f"{result.verdict(lang)}: {result.feedback(lang)}\n{t('study.try_again', lang)}"


@dataclass(frozen=True)
class PlotData:
    """Functions of one variable sampled on the template's range, and the marked point."""

    xs: tuple[float, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    at: float | None
    marks: tuple[tuple[str, float], ...]
    """(function, value at `at`) for each function."""


def plot_data(problem: Problem, points: int = 121) -> PlotData | None:
    """The plot of an activation item (``template.plot``), or None when it has none."""
    spec = problem.template.plot
    if spec is None:
        return None
    import numpy as np

    from quizapp.packs.expressions import FUNCTIONS, ExpressionError, evaluate

    lo, hi = float(spec.range[0]), float(spec.range[1])
    xs = np.linspace(lo, hi, points)
    at = None
    if spec.at is not None:
        try:
            at = float(np.asarray(evaluate(spec.at, problem.env), dtype=float).reshape(-1)[0])
        except (ExpressionError, TypeError, ValueError):
            at = None
    series, marks = [], []
    for name in spec.functions:
        try:
            fn = FUNCTIONS[name]
            ys = np.asarray(fn(xs), dtype=float).reshape(-1)
            if ys.shape != xs.shape:
                continue
            series.append((name, tuple(float(y) for y in ys)))
            if at is not None:
                marks.append((name, float(np.asarray(fn(np.array([at])), dtype=float)[0])))
        except (KeyError, ExpressionError, TypeError, ValueError):
            continue
    if not series:
        return None
    return PlotData(tuple(float(x) for x in xs), tuple(series), at, tuple(marks))


def format_duration(seconds: float, lang: str) -> str:
    total = max(0, round(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    if h:
        return t("duration.h", lang, h=h, m=m)
    if m:
        return t("duration.ms", lang, m=m, s=s)
    return t("duration.s", lang, s=s)


def format_when(delta: timedelta, lang: str) -> str:
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 60:
        return t("when.minutes", lang, n=minutes)
    if minutes < 48 * 60:
        return t("when.hours", lang, n=round(minutes / 60))
    return t("when.days", lang, n=round(minutes / 1440))


# --------------------------------------------------------------------------- the session


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


@dataclass
class _Current:
    problem: Problem
    shown_at: datetime
    extra: bool = False
    result: Result | None = None


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


class StudySession:
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

    # ------------------------------------------------------------- queue

    def _queue(self) -> list[str]:
        if self.mode == "cram":
            rest = self._cram_order[self._cram_pos :]
            return [x for x in rest if x not in self._excluded]
        ids = self.scheduler.queue(self.template_ids, self._clock(), self.new_limit)
        return [x for x in ids if x not in self._excluded]

    def upcoming(self) -> list[str]:
        """The templates still to come (not counting the problem on screen)."""
        queue = self._queue()
        cur = self.current
        if cur is not None and cur.result is None and not cur.extra and self.mode == "study":
            queue = [x for x in queue if x != cur.problem.template_id]
        if self._first is not None:
            queue = [self._first[0]] + [x for x in queue if x != self._first[0]]
        return queue

    def progress(self) -> tuple[int, int]:
        """(done, planned): answered queue items, and those plus what is still to come."""
        cur = self.current
        pending = 1 if cur is not None and cur.result is None and not cur.extra else 0
        return self._done, self._done + pending + len(self.upcoming())

    def _pick(self) -> tuple[str, int | None] | None:
        if self._first is not None:
            first, self._first = self._first, None
            if self.mode == "cram":
                self._cram_pos += 1
            return first
        if self.mode == "cram":
            while self._cram_pos < len(self._cram_order):
                tid = self._cram_order[self._cram_pos]
                self._cram_pos += 1
                if tid not in self._excluded:
                    return tid, None
            return None
        queue = self._queue()
        last = self.current.problem.template_id if self.current else None
        if len(queue) > 1 and queue[0] == last:
            queue = queue[1:] + queue[:1]  # not the same template twice in a row
        return (queue[0], None) if queue else None

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
            template_id=problem.template_id,
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
        if mode == "study":
            self.scheduler.review(problem.template_id, result.correct, attempt, now=now)
        else:
            self.scheduler.record_cram(attempt)
        cur.result = Result(problem, result, raw, seconds, mode, cur.extra, gave_up)
        self.results.append(cur.result)
        if not cur.extra:
            self._done += 1

    def another_like_this(self) -> Problem:
        """A new seed of the answered problem's template (recorded as cram)."""
        cur = self._require_current()
        if cur.result is None:
            raise RuntimeError("answer the problem first")
        problem = self._generate(cur.problem.template_id, None)
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
        topics: dict[str, list[int]] = {}
        mistakes = []
        for r in self.results:
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
            mode=self.mode,
            scope=self.scope.describe(self.catalog, lang),
            answered=len(self.results),
            correct=sum(1 for r in self.results if r.grade.correct),
            seconds=max(0.0, (self._clock() - self.started_at).total_seconds()),
            topics=tuple(
                TopicScore(topic, topic_title(self.catalog, topic, lang), n, c)
                for topic, (n, c) in topics.items()
            ),
            mistakes=tuple(mistakes),
            skipped=tuple(t("summary.skipped", lang, id=tid, msg=msg)
                          for tid, msg in self.skipped),
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
    "invalid_text",
    "overview",
    "plot_data",
    "raw_for_choice",
    "read_preview",
    "template_label",
]
