"""A running exam over the store: answers and flags saved at once, the clock, resume, finish."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.exam import (
    ExamError,
    ExamSession,
    exam_history,
    make_spec,
    running_summary,
)
from quizapp.packs.loader import load_catalog
from quizapp.progress.scheduler import Scheduler
from quizapp.progress.store import Store

GOOD = Path(__file__).resolve().parent.parent / "data" / "good"
T0 = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([GOOD], builtin=False)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "progress.sqlite3")
    yield s
    s.close()


def correct_number(q) -> int:
    return q.correct_options[0]


def answer_right(session, q) -> None:
    for n in q.correct_options:  # all of them for a multi-choice item
        session.choose(q.index, n)


def wrong_number(q) -> int:
    return next(i for i, o in enumerate(q.options, 1) if not o.correct)


def test_answers_and_flags_are_saved_the_moment_they_are_given(store, catalog):
    clock = FakeClock()
    session = ExamSession.start(store, catalog, make_spec(preset="quick", seed=3), clock=clock)
    q0, q1 = session.exam.questions[:2]
    clock.advance(30)
    session.choose(0, correct_number(q0))
    session.toggle_flag(1)
    record = store.exam(session.exam_id)
    assert record.answers[0].answer == str(correct_number(q0))
    assert record.answers[1].answer is None and record.answers[1].flagged
    assert record.elapsed_seconds == pytest.approx(30)
    assert record.seed == 3 and record.preset == "quick"
    assert len(record.config["items"]) == 20
    session.clear(0)
    assert store.exam(session.exam_id).answers[0].answer is None
    assert session.unanswered()[:2] == [0, 1] and session.flagged_items() == [1]


def test_time_counts_only_while_running_across_pause_and_resume(store, catalog):
    clock = FakeClock()
    session = ExamSession.start(store, catalog, make_spec(questions=5, seed=1), clock=clock)
    assert session.exam.time_limit == 6 * 60
    clock.advance(40)
    assert session.elapsed() == pytest.approx(40)
    session.checkpoint()
    clock.advance(20)
    session.pause()  # the learner closes the app after 60 s
    assert store.exam(session.exam_id).elapsed_seconds == pytest.approx(60)
    clock.advance(3600)  # an hour away: not counted
    resumed = ExamSession.resume(store, catalog, clock=clock)
    assert resumed.exam_id == session.exam_id
    assert resumed.elapsed() == pytest.approx(60)
    clock.advance(15)
    assert resumed.elapsed() == pytest.approx(75)
    assert resumed.remaining() == pytest.approx(360 - 75)
    resumed.checkpoint()
    assert store.exam(resumed.exam_id).elapsed_seconds == pytest.approx(75)
    # a kill after the last checkpoint loses only the time since it
    clock.advance(4)
    crashed_then_resumed = ExamSession.resume(store, catalog, clock=clock)
    assert crashed_then_resumed.elapsed() == pytest.approx(75)
    assert crashed_then_resumed.exam.items == session.exam.items


def test_resume_keeps_answers_and_flags(store, catalog):
    clock = FakeClock()
    session = ExamSession.start(store, catalog, make_spec(preset="quick", seed=8), clock=clock)
    for q in session.exam.questions[:5]:
        session.choose(q.index, wrong_number(q))
    session.set_flag(2, True)
    session.set_flag(7, True)
    session.pause()
    again = ExamSession.resume(store, catalog, clock=clock)
    assert again.answers == session.answers
    assert again.flagged_items() == [2, 7]
    assert again.answered_count() == 5
    summary = running_summary(store, "en")
    assert summary == ("Unfinished exam: quick, 20 items, 5 answered, 2 flagged, 24:00 left")
    assert "中断中" in running_summary(store, "ja")


def test_starting_a_new_exam_abandons_the_running_one(store, catalog):
    first = ExamSession.start(store, catalog, make_spec(questions=3, seed=1), clock=FakeClock())
    second = ExamSession.start(store, catalog, make_spec(questions=3, seed=2), clock=FakeClock())
    assert store.exam(first.exam_id).status == "abandoned"
    assert store.running_exam().id == second.exam_id


def test_resume_without_a_running_exam_is_a_clear_error(store, catalog):
    with pytest.raises(ExamError) as info:
        ExamSession.resume(store, catalog)
    assert info.value.text("en") == "There is no unfinished exam to resume."
    assert running_summary(store, "en") is None


def test_finish_scores_stores_and_feeds_the_schedule(store, catalog):
    clock = FakeClock()
    scheduler = Scheduler(store, clock=clock)
    session = ExamSession.start(store, catalog, make_spec(preset="quick", seed=3), clock=clock)
    qs = session.exam.questions
    for q in qs[:10]:
        answer_right(session, q)
    for q in qs[10:14]:
        session.choose(q.index, wrong_number(q))
    session.set_flag(15, True)
    clock.advance(700)
    score = session.finish(scheduler)
    assert (score.overall.correct, score.answered, score.overall.total) == (10, 14, 20)
    assert score.time_used == pytest.approx(700) and not score.timed_out
    record = store.exam(session.exam_id)
    assert record.status == "finished" and record.elapsed_seconds == pytest.approx(700)
    assert record.score["overall"]["correct"] == 10
    assert set(record.score) >= {"overall", "by_field", "by_topic", "time_used", "items"}
    assert len(record.score["items"]) == 20
    # every answered item is an exam attempt; templates answered wrongly are due again
    attempts = store.attempts()
    assert len(attempts) == 14 and {a.mode for a in attempts} == {"exam"}
    wrong_templates = {qs[i].item.template_id for i in range(10, 14)}
    assert set(store.cards()) == wrong_templates
    for tid in wrong_templates:
        assert store.cards()[tid].due <= clock() + timedelta(minutes=30)
    # finishing twice does nothing more
    assert session.finish(scheduler) is score
    assert len(store.attempts()) == 14
    history = exam_history(store)
    assert [h.id for h in history] == [session.exam_id]
    assert history[0].row("en")[3] == "10/20 (50%)" and history[0].row("en")[5] == "FAIL"
    assert history[0].row("ja")[1] == "ミニ"


def test_time_up_submits_what_is_there(store, catalog):
    clock = FakeClock()
    session = ExamSession.start(
        store, catalog, make_spec(questions=5, minutes=1, seed=4), clock=clock
    )
    answer_right(session, session.exam.questions[0])
    clock.advance(59)
    assert not session.time_up()
    clock.advance(2)
    assert session.time_up() and session.remaining() == 0
    score = session.finish()
    assert score.timed_out and score.time_used == 60
    assert score.overall.correct == 1


def test_exam_answers_refused_after_finish(store, catalog):
    session = ExamSession.start(store, catalog, make_spec(questions=3, seed=4), clock=FakeClock())
    session.finish()
    with pytest.raises(ValueError):
        store.save_exam_answer(session.exam_id, 0, "1")


# --------------------------------------------------------------------------- killed process

CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from quizapp.exam import ExamSession, make_spec
    from quizapp.packs.loader import load_catalog
    from quizapp.progress.store import Store

    db, packs = sys.argv[1], sys.argv[2]
    catalog = load_catalog([Path(packs)], builtin=False)
    store = Store.open(db)
    session = ExamSession.start(store, catalog, make_spec(preset="quick", seed=21))
    for q in session.exam.questions[:6]:
        session.choose(q.index, 1 + q.index % len(q.options))
        if q.index % 2:
            session.toggle_flag(q.index)
        print("saved", q.index, flush=True)
    while True:                       # the exam keeps running until the process is killed
        time.sleep(0.2)
        session.checkpoint()
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")
def test_a_killed_exam_resumes_with_nothing_lost(tmp_path, catalog):
    db = tmp_path / "progress.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(GOOD)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    saved = []
    for line in child.stdout:
        saved.append(int(line.split()[1]))
        if len(saved) == 6:
            break
    started = time.monotonic()
    time.sleep(1.0)  # let the clock run and be checkpointed a few times
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    ran = time.monotonic() - started
    assert child.returncode == -signal.SIGKILL

    store = Store.open(db)
    try:
        session = ExamSession.resume(store, catalog)
        assert session.exam.spec.seed == 21
        for index in saved:
            q = session.exam.questions[index]
            assert session.answer_of(index) == str(1 + index % len(q.options))
            assert session.flagged(index) == bool(index % 2)
        assert session.answered_count() == 6
        # the clock kept what was checkpointed (every 0.2 s in the child): at most a
        # checkpoint interval (plus scheduling slack) is lost, and nothing is invented
        elapsed = session.elapsed()
        assert ran - 0.8 <= elapsed <= ran + 0.5
        assert session.remaining() > 24 * 60 - ran - 3
    finally:
        store.close()
