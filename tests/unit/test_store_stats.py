"""Statistics aggregates of the store, with fixed times and explicit time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from quizapp.progress.store import MASTERED_STABILITY_DAYS, Attempt, CardUpdate, Counts, Store

JST = timezone(timedelta(hours=9))
NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)  # 18:00 in Tokyo


def attempt(at: datetime, template_id: str = "ffn.a", correct: bool = True,
            misconception: str | None = None, mode: str = "study") -> Attempt:
    return Attempt(
        template_id=template_id, pack_id="ffn", pack_version="1", seed=1, raw_answer="1",
        parsed=1, correct=correct, misconception=misconception, seconds=3.0,
        answered_at=at, mode=mode,
    )


@pytest.fixture
def store(new_store) -> Store:
    s = new_store()
    for at in [
        datetime(2025, 3, 8, 10, 0, tzinfo=JST),
        datetime(2025, 3, 8, 11, 0, tzinfo=JST),
        datetime(2025, 3, 9, 23, 30, tzinfo=JST),
        datetime(2025, 3, 10, 0, 30, tzinfo=JST),  # 3/9 15:30 UTC
        datetime(2025, 3, 10, 18, 0, tzinfo=JST),
    ]:
        s.record_attempt(attempt(at))
    return s


def test_reviews_per_day_counts_local_days(store):
    assert store.reviews_per_day(4, today=date(2025, 3, 10), tz=JST) == [
        (date(2025, 3, 7), 0), (date(2025, 3, 8), 2), (date(2025, 3, 9), 1),
        (date(2025, 3, 10), 2),
    ]
    assert store.reviews_per_day(4, today=date(2025, 3, 10), tz=UTC) == [
        (date(2025, 3, 7), 0), (date(2025, 3, 8), 2), (date(2025, 3, 9), 2),
        (date(2025, 3, 10), 1),
    ]
    assert store.reviews_per_day(1, today=date(2025, 3, 20), tz=JST) == [(date(2025, 3, 20), 0)]
    assert len(store.reviews_per_day(30)) == 30  # system time zone, today


def test_streak_ends_today_or_yesterday(store, new_store):
    assert store.streak(date(2025, 3, 10), tz=JST) == 3
    assert store.streak(date(2025, 3, 11), tz=JST) == 3  # not broken before today's answer
    assert store.streak(date(2025, 3, 12), tz=JST) == 0
    assert store.streak(date(2025, 3, 9), tz=JST) == 2  # later attempts are ignored
    assert store.streak(date(2025, 3, 8), tz=JST) == 1
    store.record_attempt(attempt(datetime(2025, 3, 6, 12, 0, tzinfo=JST)))  # after a gap
    assert store.streak(date(2025, 3, 10), tz=JST) == 3
    store.record_attempt(attempt(datetime(2025, 3, 7, 12, 0, tzinfo=JST)))  # gap filled
    assert store.streak(date(2025, 3, 10), tz=JST) == 5
    assert new_store().streak(date(2025, 3, 10), tz=JST) == 0


def save_card(store: Store, template_id: str, due: datetime, stability: float) -> None:
    update = CardUpdate(card_json="{}", due=due, stability=stability)
    store.save_attempt_and_card(template_id, lambda old: update, now=NOW - timedelta(days=30))


def test_due_forecast_and_counts(new_store):
    store = new_store()
    save_card(store, "overdue", datetime(2025, 3, 1, tzinfo=UTC), 2.0)
    save_card(store, "tonight", datetime(2025, 3, 10, 20, 0, tzinfo=JST), 5.0)
    save_card(store, "after_midnight", datetime(2025, 3, 11, 1, 0, tzinfo=JST), 30.0)
    save_card(store, "in_three_days", datetime(2025, 3, 13, 9, 0, tzinfo=JST), 21.0)
    save_card(store, "far", datetime(2025, 4, 30, tzinfo=UTC), 80.0)

    assert store.due_forecast(4, NOW, tz=JST) == [
        (date(2025, 3, 10), 2), (date(2025, 3, 11), 1), (date(2025, 3, 12), 0),
        (date(2025, 3, 13), 1),
    ]
    assert store.due_forecast(2, NOW, tz=UTC) == [(date(2025, 3, 10), 3), (date(2025, 3, 11), 0)]
    assert store.due_forecast(2, NOW, tz=JST, template_ids=["tonight", "nope"]) == [
        (date(2025, 3, 10), 1), (date(2025, 3, 11), 0),
    ]

    ids = ["overdue", "tonight", "after_midnight", "in_three_days", "far", "new1", "new2"]
    assert MASTERED_STABILITY_DAYS == 21
    assert store.counts_for(ids, NOW) == Counts(due=1, new=2, mastered=3)
    assert store.counts_for(ids, datetime(2025, 3, 10, 20, 0, tzinfo=JST)) == (2, 2, 3)
    assert store.counts_for(["far", "far"], NOW) == (0, 0, 1)
    assert store.counts_for([], NOW) == (0, 0, 0)
    with pytest.raises(ValueError):
        store.counts_for(ids, datetime(2025, 3, 10))


def test_accuracy_and_misconceptions(new_store):
    store = new_store()
    t = NOW
    store.record_attempt(attempt(t, "a", True))
    store.record_attempt(attempt(t + timedelta(minutes=1), "a", False, "sigma_not_grad"))
    store.record_attempt(attempt(t + timedelta(minutes=2), "a", False, "sigma_not_grad",
                                 mode="cram"))
    store.record_attempt(attempt(t + timedelta(minutes=3), "b", False, "y_minus_b"))
    acc = store.accuracy_by_template()
    assert set(acc) == {"a", "b"}
    assert (acc["a"].attempts, acc["a"].correct) == (3, 1)
    assert acc["a"].accuracy == pytest.approx(1 / 3)
    assert acc["a"].last_answered_at == t + timedelta(minutes=2)
    assert acc["b"].accuracy == 0
    assert store.misconception_counts() == {"sigma_not_grad": 2, "y_minus_b": 1}
    assert list(store.misconception_counts()) == ["sigma_not_grad", "y_minus_b"]
    assert store.misconception_counts("b") == {"y_minus_b": 1}
