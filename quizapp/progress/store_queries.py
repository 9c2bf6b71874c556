"""The store's statistics queries of one profile (mixed into ``Store``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from quizapp.progress.records import (
    MASTERED_STABILITY_DAYS,
    Counts,
    TemplateAccuracy,
    _dt,
    _iso,
    _local_date,
    _local_midnight,
    _today,
)


def _day(text: Any, tz: tzinfo | None) -> date | None:
    """The local day of a stored timestamp (None: a damaged one, skipped)."""
    try:
        return _local_date(_dt(text), tz)
    except (TypeError, ValueError):
        return None


class QueriesMixin:
    """Aggregates over ``self.profile``'s attempts and cards."""

    profile: str
    _query: Any

    def accuracy_by_template(self) -> dict[str, TemplateAccuracy]:
        """Attempts, correct answers and last answer time per template (every mode)."""
        rows = self._query(
            """SELECT template_id, COUNT(*), SUM(correct), MAX(answered_at)
               FROM attempts WHERE profile = ? GROUP BY template_id ORDER BY template_id""",
            (self.profile,),
        )
        result = {}
        for t, n, c, last in rows:
            try:
                result[t] = TemplateAccuracy(int(n), int(c), _dt(last))
            except (TypeError, ValueError):
                continue
        return result

    def misconception_counts(self, template_id: str | None = None) -> dict[str, int]:
        """How often each misconception tag was matched, most frequent first."""
        sql = ("SELECT misconception, COUNT(*) AS n FROM attempts "
               "WHERE profile = ? AND misconception IS NOT NULL")
        params: list[Any] = [self.profile]
        if template_id is not None:
            sql += " AND template_id = ?"
            params.append(template_id)
        sql += " GROUP BY misconception ORDER BY n DESC, misconception"
        return {tag: int(n) for tag, n in self._query(sql, params)}

    def reviews_per_day(
        self, days: int, *, today: date | None = None, tz: tzinfo | None = None
    ) -> list[tuple[date, int]]:
        """Attempts (every mode) per local day for the ``days`` days ending ``today``.

        Oldest day first, days without attempts included with 0. ``tz`` None means the
        system's local time zone.
        """
        today = today or _today(tz)
        first = today - timedelta(days=days - 1)
        start = _local_midnight(first, tz)
        end = _local_midnight(today + timedelta(days=1), tz)
        counts = dict.fromkeys((first + timedelta(days=i) for i in range(days)), 0)
        for (answered,) in self._query(
            "SELECT answered_at FROM attempts "
            "WHERE profile = ? AND answered_at >= ? AND answered_at < ?",
            (self.profile, _iso(start), _iso(end)),
        ):
            day = _day(answered, tz)
            if day in counts:
                counts[day] += 1
        return sorted(counts.items())

    def due_forecast(
        self,
        days: int,
        now: datetime,
        *,
        tz: tzinfo | None = None,
        template_ids: Iterable[str] | None = None,
    ) -> list[tuple[date, int]]:
        """Cards falling due on each local day, from today for ``days`` days.

        Overdue cards count on today. Cards due after the window are left out. With
        ``template_ids``, only those templates' cards are counted.
        """
        today = _local_date(now, tz)
        end = _local_midnight(today + timedelta(days=days), tz)
        wanted = set(template_ids) if template_ids is not None else None
        counts = dict.fromkeys((today + timedelta(days=i) for i in range(days)), 0)
        for template_id, due in self._query(
            "SELECT template_id, due FROM cards WHERE profile = ? AND due < ?",
            (self.profile, _iso(end)),
        ):
            if wanted is not None and template_id not in wanted:
                continue
            day = _day(due, tz)
            if day is None:
                continue
            day = max(day, today)
            if day in counts:
                counts[day] += 1
        return sorted(counts.items())

    def streak(self, today: date | None = None, *, tz: tzinfo | None = None) -> int:
        """Consecutive local days with at least one attempt, ending today or yesterday.

        A streak still counts in the morning before the first answer of the day; two
        days without an answer break it (0).
        """
        today = today or _today(tz)
        end = _local_midnight(today + timedelta(days=1), tz)
        count = 0
        expected: date | None = None
        rows = self._query(
            "SELECT answered_at FROM attempts WHERE profile = ? AND answered_at < ? "
            "ORDER BY answered_at DESC",
            (self.profile, _iso(end)),
        )
        for (answered,) in rows:
            day = _day(answered, tz)
            if day is None or day > today:
                continue
            if expected is None:
                if day < today - timedelta(days=1):
                    return 0
                count, expected = 1, day - timedelta(days=1)
            elif day == expected:
                count += 1
                expected = day - timedelta(days=1)
            elif day < expected:
                break
        return count

    def counts_for(self, template_ids: Iterable[str], now: datetime) -> Counts:
        """(due, new, mastered) among ``template_ids`` at ``now``.

        due: cards with ``due <= now``; new: templates never reviewed; mastered: cards
        whose stability is at least ``MASTERED_STABILITY_DAYS`` (21 days).
        """
        return count_cards(self.card_states(), template_ids, now)

    def card_states(self) -> dict[str, tuple[str, float | None]]:
        """Every card of the profile as template id → (due, stability): one read, for
        counting many groups of templates with ``count_cards``."""
        return {
            t: (due, stability)
            for t, due, stability in self._query(
                "SELECT template_id, due, stability FROM cards WHERE profile = ?",
                (self.profile,),
            )
        }

    # ----------------------------------------------------------------- every profile

    def cohort_attempts(self) -> list[tuple[str, str, int, int]]:
        """(profile, template, attempts, correct) over every profile of the database."""
        return [
            (p, t, int(n), int(c or 0))
            for p, t, n, c in self._query(
                "SELECT profile, template_id, COUNT(*), SUM(correct) FROM attempts "
                "GROUP BY profile, template_id"
            )
        ]

    def cohort_misconceptions(self, limit: int) -> list[tuple[str, str, int, int]]:
        """(template, tag, times, learners) of the most frequent misconceptions over every
        profile (a tag names a mistake within its template: two templates' tags differ)."""
        return [
            (template, tag, int(n), int(learners))
            for template, tag, n, learners in self._query(
                "SELECT template_id, misconception, COUNT(*) AS n, COUNT(DISTINCT profile) "
                "FROM attempts WHERE misconception IS NOT NULL "
                "GROUP BY template_id, misconception "
                "ORDER BY n DESC, template_id, misconception LIMIT ?",
                (int(limit),),
            )
        ]

    def cohort_due(self, now: datetime, overdue_before: datetime) -> list[tuple[str, int, int]]:
        """(profile, cards due at ``now``, of them due before ``overdue_before``)."""
        return [
            (p, int(due), int(late or 0))
            for p, due, late in self._query(
                "SELECT profile, COUNT(*), "
                "SUM(CASE WHEN due < ? THEN 1 ELSE 0 END) FROM cards WHERE due <= ? "
                "GROUP BY profile ORDER BY COUNT(*) DESC, profile",
                (_iso(overdue_before), _iso(now)),
            )
        ]

    def profiles(self) -> list[str]:
        """Every profile with answers or cards in the database."""
        return [
            p for (p,) in self._query(
                "SELECT profile FROM attempts UNION SELECT profile FROM cards ORDER BY 1"
            )
        ]


def count_cards(
    states: dict[str, tuple[str, float | None]], template_ids: Iterable[str], now: datetime
) -> Counts:
    """(due, new, mastered) among ``template_ids``, from ``card_states()`` (see counts_for)."""
    now_iso = _iso(now, "now")
    due = new = mastered = 0
    for template_id in dict.fromkeys(template_ids):
        card = states.get(template_id)
        if card is None:
            new += 1
            continue
        if card[0] <= now_iso:
            due += 1
        if card[1] is not None and card[1] >= MASTERED_STABILITY_DAYS:
            mastered += 1
    return Counts(due, new, mastered)
