"""FSRS scheduling over the store, with a fixed clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from quizapp.progress.scheduler import CardInfo, Scheduler
from quizapp.progress.store import Attempt, Store

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
JST = timezone(timedelta(hours=9))


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_attempt(template_id: str, correct: bool, at: datetime, **changes) -> Attempt:
    fields = dict(
        template_id=template_id, pack_id="ffn", pack_version="1", seed=3,
        raw_answer="0.25", parsed=0.25, correct=correct, misconception=None, seconds=4.0,
        answered_at=at,
    )
    fields.update(changes)
    return Attempt(**fields)


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def scheduler(clock) -> Scheduler:
    return Scheduler(Store.memory(), clock=clock, tz=UTC)


def test_good_is_due_later_than_again(scheduler):
    good = scheduler.review("ffn.good", True)
    again = scheduler.review("ffn.again", False)
    assert isinstance(good, CardInfo)
    assert T0 < again.due < good.due
    assert good.state == "learning" and good.last_review == T0
    assert good.stability > again.stability
    assert scheduler.card_info("ffn.good") == good
    assert scheduler.card_info("ffn.never") is None


def test_review_records_attempt_card_and_log_together(scheduler):
    store = scheduler.store
    a = make_attempt("ffn.t", True, T0)
    info = scheduler.review("ffn.t", True, a)
    assert store.attempts() == [a]
    card = store.card("ffn.t")
    assert card.due == info.due and card.stability == info.stability
    (log,) = store.export_json()["review_log"]
    assert log["rating"] == 3 and log["attempt"] is not None
    assert log["log"]["review_duration"] == 4000
    with pytest.raises(ValueError):
        scheduler.review("ffn.t", False, make_attempt("ffn.t", True, T0))
    with pytest.raises(ValueError):
        scheduler.review("ffn.other", True, make_attempt("ffn.t", True, T0))
    with pytest.raises(ValueError):
        scheduler.review("ffn.t", True, make_attempt("ffn.t", True, T0, mode="cram"))
    assert len(store.attempts()) == 1


def test_a_failed_attempt_write_does_not_move_the_card(scheduler):
    scheduler.review("ffn.t", True)
    before = scheduler.store.card("ffn.t")
    bad = make_attempt("ffn.t", True, T0 + timedelta(days=1), session_id=404)
    with pytest.raises(ValueError):
        scheduler.review("ffn.t", True, bad, now=T0 + timedelta(days=1))
    assert scheduler.store.card("ffn.t") == before


def test_schedules_are_deterministic():
    def run() -> list[str]:
        s = Scheduler(Store.memory(), clock=Clock(T0), tz=UTC)
        for day, ok in enumerate([True, False, True, True]):
            s.review("ffn.t", ok, now=T0 + timedelta(days=day))
        return [s.store.card("ffn.t").card_json]

    assert run() == run()


def test_queue_puts_most_overdue_first_then_new(scheduler, clock):
    for i, template_id in enumerate(["b", "a", "c"]):
        scheduler.review(template_id, True, now=T0 + timedelta(minutes=i))
    # First reviews: due 10 minutes later (learning step), in review order b, a, c.
    later = T0 + timedelta(minutes=11)  # b and a are due, c not yet
    ids = ["new1", "a", "c", "b", "new2"]
    assert scheduler.queue(ids, now=later) == ["b", "a", "new1", "new2"]
    assert scheduler.due_count(ids, now=later) == 2
    assert scheduler.counts(ids, now=later) == (2, 2, 0)
    clock.now = T0 + timedelta(hours=1)
    assert scheduler.queue(ids) == ["b", "a", "c", "new1", "new2"]
    assert scheduler.queue(["a", "a", "zz"], now=later) == ["a", "zz"]


def test_new_limit_counts_cards_introduced_today(clock):
    scheduler = Scheduler(Store.memory(), clock=clock, tz=JST)  # T0 is 18:00 in Tokyo
    ids = [f"n{i}" for i in range(6)]
    assert scheduler.queue(ids, new_limit=3) == ["n0", "n1", "n2"]
    scheduler.review("n0", True)
    scheduler.review("n1", False)
    assert scheduler.new_today() == 2
    # n1 (Again) comes back after its one-minute step; one new card is left for today.
    assert scheduler.queue(ids, new_limit=3, now=T0 + timedelta(minutes=2)) == ["n1", "n2"]
    scheduler.review("n2", True)
    assert scheduler.queue(ids, new_limit=3) == []
    # Reviewing an old card again does not use up the new limit.
    scheduler.review("n0", True, now=T0 + timedelta(minutes=20))
    assert scheduler.new_today(T0 + timedelta(minutes=20)) == 3
    # 00:30 the next day in Tokyo (still the 10th in UTC): a fresh allowance.
    tomorrow = datetime(2025, 3, 11, 0, 30, tzinfo=JST)
    assert scheduler.new_today(tomorrow) == 0
    assert [t for t in scheduler.queue(ids, now=tomorrow, new_limit=3) if t.startswith("n")
            and t not in {"n0", "n1", "n2"}] == ["n3", "n4", "n5"]
    assert scheduler.queue(ids, now=tomorrow, new_limit=0)[:3] != ["n3", "n4", "n5"]


def test_cram_records_the_attempt_but_not_the_card(scheduler):
    scheduler.review("ffn.t", True)
    before = scheduler.store.card("ffn.t")
    attempt_id = scheduler.record_cram(make_attempt("ffn.t", False, T0 + timedelta(hours=1)))
    assert attempt_id > 0
    assert scheduler.store.card("ffn.t") == before
    (cram,) = scheduler.store.attempts()
    assert cram.mode == "cram" and not cram.correct
    assert len(scheduler.store.export_json()["review_log"]) == 1
    # Cramming a never-reviewed template leaves it new.
    scheduler.record_cram(make_attempt("ffn.fresh", True, T0))
    assert scheduler.store.card("ffn.fresh") is None


def test_cram_queue_is_a_seeded_shuffle_of_everything():
    ids = [f"t{i}" for i in range(20)]
    first = Scheduler.cram_queue(ids, 7)
    assert sorted(first) == sorted(ids) and first != ids
    assert Scheduler.cram_queue(ids, 7) == first
    assert Scheduler.cram_queue(ids, 8) != first
    assert Scheduler.cram_queue(["a", "a", "b"], 1) in (["a", "b"], ["b", "a"])


def test_progress_is_kept_across_pack_versions(scheduler):
    v1 = make_attempt("ffn.sigmoid_grad", True, T0, pack_version="1")
    first = scheduler.review(v1.template_id, True, v1)
    second_time = first.due + timedelta(minutes=1)
    v1b = make_attempt("ffn.sigmoid_grad", True, second_time, pack_version="1")
    second = scheduler.review(v1b.template_id, True, v1b)
    assert second.state == "review"

    # The pack is edited: version 2 of the same template continues the same card.
    when = second.due + timedelta(hours=1)
    assert scheduler.queue(["ffn.sigmoid_grad"], now=when) == ["ffn.sigmoid_grad"]
    assert scheduler.counts(["ffn.sigmoid_grad"], now=when).new == 0
    v2 = make_attempt("ffn.sigmoid_grad", True, when, pack_version="2", seed=99)
    third = scheduler.review(v2.template_id, True, v2)
    assert third.stability > second.stability >= first.stability
    assert third.due - when > second.due - second_time
    assert [a.pack_version for a in scheduler.store.attempts()] == ["1", "1", "2"]
    assert list(scheduler.store.cards()) == ["ffn.sigmoid_grad"]


def test_mastered_after_enough_good_reviews(scheduler):
    now = T0
    info = scheduler.review("ffn.t", True, now=now)
    for _ in range(12):
        if info.stability >= 21:
            break
        now = info.due
        info = scheduler.review("ffn.t", True, now=now)
    assert info.stability >= 21
    assert scheduler.counts(["ffn.t", "ffn.u"], now=now) == (0, 1, 1)


def test_clock_and_times_must_be_aware():
    naive = Scheduler(Store.memory(), clock=lambda: datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        naive.queue(["a"])
    s = Scheduler(Store.memory(), clock=Clock(T0))
    with pytest.raises(ValueError):
        s.review("a", True, now=datetime(2025, 1, 1))
    # A non-UTC aware time is fine: stored and returned as UTC.
    info = s.review("a", True, now=datetime(2025, 3, 10, 18, 0, tzinfo=JST))
    assert info.last_review == T0
    assert json.loads(s.store.card("a").card_json)["last_review"].startswith("2025-03-10T09:00")
    with pytest.raises(ValueError):
        Scheduler(Store.memory(), desired_retention=1.5)


def test_default_clock_is_now():
    s = Scheduler(Store.memory())
    before = datetime.now(UTC)
    assert before <= s.now() <= datetime.now(UTC)
    assert s.review("a", True).last_review >= before


def test_counter_counts_like_counts_with_one_read(scheduler, clock, monkeypatch):
    """The home overview counts hundreds of groups with one read of the cards."""
    for i, tid in enumerate(["a", "b", "c", "d"]):
        scheduler.review(tid, i % 2 == 0, now=T0 - timedelta(days=30 * i))
    groups = [["a"], ["a", "b"], ["b", "c", "d", "e"], [], ["e", "e", "a"]]
    expected = [scheduler.counts(g) for g in groups]
    reads = []
    real = scheduler.store.card_states
    monkeypatch.setattr(scheduler.store, "card_states", lambda: reads.append(1) or real())
    count = scheduler.counter()
    assert [count(g) for g in groups] == expected
    assert len(reads) == 1
    assert expected[2].new == 1 and sum(c.due for c in expected) > 0
