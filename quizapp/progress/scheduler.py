"""Spaced repetition: which template to study next, and what a review does to its card.

A *card* is the FSRS state of one template for this user, keyed by the template id
alone: template ids are stable across pack versions, so editing a template (a new pack
version) keeps its progress. Grading is pass/fail, as the FSRS maintainers recommend for
automatically graded items: correct → ``Rating.Good``, wrong → ``Rating.Again``.

fsrs is imported lazily (it costs ~25 ms at start-up). Fuzzing is off, so the same
reviews at the same times give the same schedule on every machine and in tests.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, tzinfo
from typing import TYPE_CHECKING, Any

from quizapp.progress.store import Attempt, CardUpdate, Counts, Store

if TYPE_CHECKING:
    import fsrs

DEFAULT_NEW_LIMIT = 20
"""New templates introduced per local day, unless the caller says otherwise."""


@dataclass(frozen=True)
class CardInfo:
    """What the UI may show about a card after a review (no fsrs types leak out)."""

    template_id: str
    due: datetime
    stability: float | None
    difficulty: float | None
    state: str
    """'learning', 'review' or 'relearning'."""
    last_review: datetime | None


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _aware_utc(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got the naive {value!r})")
    return value.astimezone(UTC)


def _card_id(template_id: str) -> int:
    """A stable fsrs card id for a template (fsrs's default is the creation time)."""
    return zlib.crc32(template_id.encode("utf-8")) + 1


def _info(template_id: str, card: fsrs.Card) -> CardInfo:
    return CardInfo(
        template_id=template_id,
        due=card.due,
        stability=card.stability,
        difficulty=card.difficulty,
        state=card.state.name.lower(),
        last_review=card.last_review,
    )


class Scheduler:
    """FSRS scheduling over a ``Store``.

    ``clock`` returns the current time as an aware datetime (default: the system clock
    in UTC); every method also takes an explicit ``now``. ``tz`` is the time zone whose
    calendar days the daily new-card limit counts (None: the system's local zone).
    """

    def __init__(
        self,
        store: Store,
        desired_retention: float = 0.9,
        clock: Callable[[], datetime] | None = None,
        *,
        tz: tzinfo | None = None,
    ) -> None:
        if not 0 < desired_retention < 1:
            raise ValueError("desired_retention must be between 0 and 1")
        self.store = store
        self.desired_retention = desired_retention
        self.tz = tz
        self._clock = clock or _utcnow
        self._engine: Any = None

    # ----------------------------------------------------------------- helpers

    def now(self) -> datetime:
        """The clock's current time, as an aware UTC datetime."""
        return _aware_utc(self._clock(), "clock()")

    def _resolve(self, now: datetime | None) -> datetime:
        return self.now() if now is None else _aware_utc(now, "now")

    def _fsrs(self) -> Any:
        if self._engine is None:
            import fsrs

            self._engine = fsrs.Scheduler(
                desired_retention=self.desired_retention, enable_fuzzing=False
            )
        return self._engine

    # ----------------------------------------------------------------- reviews

    def review(
        self,
        template_id: str,
        correct: bool,
        attempt: Attempt | None = None,
        now: datetime | None = None,
    ) -> CardInfo:
        """Review ``template_id`` (correct → Good, wrong → Again) and persist it.

        The new card and ``attempt`` (if given; its ``correct`` must agree) are saved
        in one store transaction, with an fsrs review-log entry. A never-reviewed
        template starts from a fresh card. Cram attempts are refused (``record_cram``).
        The review time is ``now``, else the attempt's ``answered_at``, else the clock.
        """
        import fsrs

        if now is None and attempt is not None:
            now = attempt.answered_at
        now = self._resolve(now)
        if attempt is not None:
            if attempt.mode == "cram":
                raise ValueError("cram attempts do not touch the schedule: use record_cram")
            if attempt.correct != bool(correct):
                raise ValueError("attempt.correct disagrees with correct")
        rating = fsrs.Rating.Good if correct else fsrs.Rating.Again
        duration = round(attempt.seconds * 1000) if attempt is not None else None
        engine = self._fsrs()
        reviewed: list[fsrs.Card] = []

        def update(card_json: str | None) -> CardUpdate:
            card = (
                fsrs.Card.from_json(card_json)
                if card_json is not None
                else fsrs.Card(card_id=_card_id(template_id), due=now)
            )
            new, log = engine.review_card(
                card, rating, review_datetime=now, review_duration=duration
            )
            reviewed.append(new)
            return CardUpdate(
                card_json=new.to_json(),
                due=new.due,
                stability=new.stability,
                review_log_json=log.to_json(),
                rating=int(rating),
            )

        self.store.save_attempt_and_card(template_id, update, attempt=attempt, now=now)
        return _info(template_id, reviewed[-1])

    def record_cram(self, attempt: Attempt) -> int:
        """Record a cram-mode attempt (mode set to 'cram'); the schedule is not touched."""
        return self.store.record_attempt(replace(attempt, mode="cram"))

    def card_info(self, template_id: str) -> CardInfo | None:
        """The current card of ``template_id`` (None: never reviewed)."""
        import fsrs

        record = self.store.card(template_id)
        if record is None:
            return None
        return _info(template_id, fsrs.Card.from_json(record.card_json))

    # ----------------------------------------------------------------- queues

    def new_today(self, now: datetime | None = None) -> int:
        """New templates introduced (first reviewed) since local midnight, in any pack."""
        now = self._resolve(now)
        if self.tz is not None:
            midnight = datetime.combine(now.astimezone(self.tz).date(), time(), tzinfo=self.tz)
        else:  # the system's zone: a naive local midnight, made aware by astimezone()
            midnight = datetime.combine(now.astimezone().date(), time()).astimezone()
        return self.store.cards_introduced_since(midnight)

    def queue(
        self,
        template_ids: Sequence[str],
        now: datetime | None = None,
        new_limit: int = DEFAULT_NEW_LIMIT,
    ) -> list[str]:
        """The study order among ``template_ids``.

        First the due reviews (``due <= now``), most overdue first; then templates never
        reviewed, in the given order, up to ``new_limit`` minus the new templates
        already introduced today (``new_today``). Learning steps are minutes long, so
        call again after each review: a failed card comes back within the session.
        """
        now = self._resolve(now)
        ids = list(dict.fromkeys(template_ids))
        cards = self.store.cards()
        due = sorted(
            (cards[t].due, i, t) for i, t in enumerate(ids) if t in cards and cards[t].due <= now
        )
        new = [t for t in ids if t not in cards]
        allowance = max(0, new_limit - self.new_today(now))
        return [t for _, _, t in due] + new[:allowance]

    def due_count(self, template_ids: Sequence[str], now: datetime | None = None) -> int:
        """How many of ``template_ids`` are due for review at ``now``."""
        return self.store.counts_for(template_ids, self._resolve(now)).due

    def counts(self, template_ids: Sequence[str], now: datetime | None = None) -> Counts:
        """(due, new, mastered) among ``template_ids``: see ``Store.counts_for``."""
        return self.store.counts_for(template_ids, self._resolve(now))

    def counter(self, now: datetime | None = None) -> Callable[[Sequence[str]], Counts]:
        """``counts`` for many groups of templates at one time, reading the cards once."""
        from quizapp.progress.store_queries import count_cards

        states = self.store.card_states()
        at = self._resolve(now)
        return lambda template_ids: count_cards(states, template_ids, at)

    @staticmethod
    def cram_queue(template_ids: Sequence[str], rng_seed: int | None) -> list[str]:
        """Every template once, shuffled (the same seed gives the same order)."""
        ids = list(dict.fromkeys(template_ids))
        random.Random(rng_seed).shuffle(ids)
        return ids
