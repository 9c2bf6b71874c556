"""The mock exam screens in a tiny App: the full flow in both languages, the clock,
resume, the setup dialog, store errors."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, Static

from quizapp.packs.loader import load_catalog
from quizapp.progress.scheduler import Scheduler
from quizapp.progress.store import Store, StoreError
from quizapp.tui.screens.exam import (
    ConfirmSubmitScreen,
    ExamScreen,
    ExamSetupScreen,
    JumpScreen,
    ResumeOrNewScreen,
    open_exam,
)
from quizapp.tui.screens.exam_results import (
    ExamHistoryScreen,
    ExamResultsScreen,
    ExamReviewScreen,
)
from quizapp.tui.widgets.exam_grid import Countdown, GridCell, OptionLine

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"
SIZE = (120, 40)
T0 = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class ExamApp(App[None]):
    """What the real app provides to the exam: store, scheduler, catalog, lang."""

    def __init__(self, store, catalog, lang, options=None, clock=None, open_on_mount=True):
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.lang = lang
        self.clock = clock or FakeClock()
        self.scheduler = Scheduler(store, clock=self.clock)
        self.options = options
        self.open_on_mount = open_on_mount

    def on_mount(self) -> None:
        if self.open_on_mount:
            open_exam(self, self.options)


def exam_options(**kw) -> argparse.Namespace:
    base = dict(
        preset=None, questions=None, minutes=None, seed=None, resume=False, topic=None, pack=None
    )
    base.update(kw)
    return argparse.Namespace(**base)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([GOOD], builtin=False)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "progress.sqlite3")
    yield s
    s.close()


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def screen_text(screen) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Static) if w.display)


# --------------------------------------------------------------------------- the full flow


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            {
                "score": "Score",
                "pass": "UNOFFICIAL",
                "wrong": "Incorrect",
                "unanswered": "Not answered",
                "item": "Item 1 of 20",
            },
        ),
        (
            "ja",
            {
                "score": "得点",
                "pass": "非公式",
                "wrong": "不正解",
                "unanswered": "未回答",
                "item": "第 1 問 / 20",
            },
        ),
    ],
)
async def test_answer_flag_jump_submit_results_review(store, catalog, lang, words):
    app = ExamApp(store, catalog, lang, exam_options(preset="quick", seed=3))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        session = screen.session
        assert len(session.exam.questions) == 20
        assert words["item"] in text_of(screen, "#exam-item-head")
        # answer item 1 with option 2, flag it: both saved at once
        await pilot.press("2")
        await pilot.press("f")
        record = store.exam(session.exam_id)
        assert record.answers[0].answer == "2" and record.answers[0].flagged
        assert screen.query_one("#option-2", OptionLine).has_class("-selected")
        cell = screen.query_one("#cell-0", GridCell)
        assert cell.has_class("-answered") and cell.has_class("-flagged")
        assert "⚑" in str(cell.render())
        # no correctness anywhere during the exam
        assert not screen.query(".-right") and not screen.query(".-wrong")
        assert not screen.query(".-correct") and not screen.query(".-incorrect")
        # next, previous, and a click on the grid
        await pilot.press("right")
        assert screen.current == 1
        await pilot.press("left")
        assert screen.current == 0
        await pilot.click("#cell-4")
        assert screen.current == 4
        assert screen.query_one("#cell-4", GridCell).has_class("-current")
        # go to an item by number
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, JumpScreen)
        await pilot.press("9", "9", "enter")  # out of range: a message, stays open
        assert isinstance(app.screen, JumpScreen)
        assert "20" in str(app.screen.query_one("#jump-error", Static).render())
        app.screen.query_one(Input).value = ""
        await pilot.press("1", "2", "enter")
        await pilot.pause()
        assert app.screen is screen and screen.current == 11
        await pilot.press("1")
        # the next unanswered item after 12 is 13; flagged items are found again
        await pilot.press("u")
        assert screen.current == 12
        await pilot.press("v")
        assert screen.current == 0
        # submit: the confirmation lists the unanswered and flagged items
        await pilot.press("s")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmSubmitScreen)
        assert confirm.unanswered == [i for i in range(20) if i not in (0, 11)]
        assert confirm.flagged == [0]
        listed = text_of(confirm, "#confirm-unanswered")
        assert "18" in listed and "2, 3, 4" in listed
        assert text_of(confirm, "#confirm-flagged").endswith((": 1", "：1"))
        await pilot.press("n")  # back to the exam: nothing submitted
        await pilot.pause()
        assert app.screen is screen and store.exam(session.exam_id).status == "running"
        await pilot.press("s")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        record = store.exam(session.exam_id)
        assert record.status == "finished" and record.score["overall"]["total"] == 20
        summary = text_of(results, "#res-summary")
        assert words["score"] in summary and words["pass"] in summary
        assert results.query_one("#res-fields", DataTable).row_count == 1
        assert results.query_one("#res-topics", DataTable).row_count == 2
        # review: your answer, the correct one, the explanation
        await pilot.press("r")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ExamReviewScreen)
        entry = review.entries[0]
        head = text_of(review, "#rev-head")
        assert (words["wrong"] in head) != entry.correct
        verdict = text_of(review, "#rev-verdict")
        q = entry.question
        assert q.options[q.correct_options[0] - 1].text(lang) in verdict
        assert text_of(review, "#rev-explanation")
        right = review.query(".-right")
        assert len(right) == len(q.correct_options)
        await pilot.press("right")
        assert words["unanswered"] in text_of(review, "#rev-head")
        assert review.query_one("#cell-1", GridCell).has_class("-unanswered")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is results
        # history: the exam is there
        await pilot.press("h")
        await pilot.pause()
        history = app.screen
        assert isinstance(history, ExamHistoryScreen)
        assert history.query_one("#hist-table", DataTable).row_count == 1
        await pilot.press("enter")  # opens that exam's results again
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen) and app.screen is not results


async def test_a_misconception_is_shown_in_review(store, catalog):
    app = ExamApp(store, catalog, "en", exam_options(preset="quick", seed=3))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        qs = screen.session.exam.questions
        target = next(
            q for q in qs if any(o.tag and o.message and not o.correct for o in q.options)
        )
        n = next(i for i, o in enumerate(target.options, 1) if o.tag and not o.correct)
        screen.show_item(target.index)
        await pilot.press(str(n))
        screen._finish(False)
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        review = app.screen
        review.show_item(target.index)
        await pilot.pause()
        assert "A common slip: " in text_of(review, "#rev-verdict")


# --------------------------------------------------------------------------- the clock


async def test_countdown_warns_and_time_up_submits(store, catalog):
    clock = FakeClock()
    app = ExamApp(store, catalog, "en", exam_options(questions=5, minutes=12, seed=1), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        countdown = screen.query_one(Countdown)
        assert "12:00 left" in str(countdown.render())
        await pilot.press("1")
        clock.advance(2 * 60 + 1)  # 9:59 left
        screen.tick()
        await pilot.pause()
        assert countdown.has_class("-warning")
        assert any("10 minutes left" in n.message for n in app._notifications)
        clock.advance(9 * 60)  # 0:59 left
        screen.tick()
        await pilot.pause()
        assert countdown.has_class("-danger")
        assert any("1 minute left" in n.message for n in app._notifications)
        # the tick also folded the clock into the store
        assert store.exam(screen.session.exam_id).elapsed_seconds == pytest.approx(661)
        clock.advance(60)
        screen.tick()
        await pilot.pause()
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        assert "(time ran out)" in text_of(results, "#res-summary")
        assert any("Time is up" in n.message for n in app._notifications)
        record = store.exam(screen.session.exam_id)
        assert record.status == "finished" and record.score["timed_out"]
        assert record.answers[0].answer == "1"


async def test_time_up_also_closes_an_open_dialog(store, catalog):
    clock = FakeClock()
    app = ExamApp(store, catalog, "ja", exam_options(questions=3, minutes=1, seed=1), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSubmitScreen)
        clock.advance(61)
        screen.tick()
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        assert "時間切れ" in text_of(app.screen, "#res-summary")


# --------------------------------------------------------------------------- resume


async def test_quit_pauses_and_resume_restores_answers_flags_and_time(store, catalog):
    clock = FakeClock()
    app = ExamApp(store, catalog, "en", exam_options(preset="quick", seed=5), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        exam_id = screen.session.exam_id
        await pilot.press("3", "right", "f", "right", "1", "f")
        clock.advance(90)
    record = store.exam(exam_id)
    assert record.last_resumed_at is None  # quitting stopped the clock
    assert record.elapsed_seconds == pytest.approx(90)
    clock.advance(3600)  # away for an hour
    app = ExamApp(store, catalog, "en", exam_options(resume=True), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen) and screen.session.exam_id == exam_id
        assert screen.current == 2  # the item that was open (issue 13 #17)
        cells = [screen.query_one(f"#cell-{i}", GridCell) for i in range(3)]
        assert cells[0].has_class("-answered") and not cells[0].has_class("-flagged")
        assert cells[1].has_class("-flagged") and not cells[1].has_class("-answered")
        assert cells[2].has_class("-answered") and cells[2].has_class("-flagged")
        assert "22:30 left" in str(screen.query_one(Countdown).render())


async def test_resuming_an_exam_whose_time_ran_out_submits_it(store, catalog):
    clock = FakeClock()
    app = ExamApp(store, catalog, "en", exam_options(questions=3, minutes=2, seed=1), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        exam_id = app.screen.session.exam_id
        await pilot.press("2")
    store.add_exam_time(exam_id, 500)  # e.g. killed just as the time ran out
    app = ExamApp(store, catalog, "en", exam_options(resume=True), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ExamResultsScreen)
        record = store.exam(exam_id)
        assert record.status == "finished" and record.score["timed_out"]
        assert record.score["time_used"] == 120
        assert record.answers[0].answer == "2"


async def test_resume_with_nothing_running_opens_the_setup(store, catalog):
    app = ExamApp(store, catalog, "en", exam_options(resume=True))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ExamSetupScreen)
        assert any("no unfinished exam" in n.message for n in app._notifications)


async def test_a_running_exam_asks_resume_or_new(store, catalog):
    clock = FakeClock()
    app = ExamApp(store, catalog, "ja", exam_options(questions=4, seed=1), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = app.screen.session.exam_id
    app = ExamApp(store, catalog, "ja", exam_options(questions=4, seed=2), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ResumeOrNewScreen)
        summary = text_of(app.screen, "#running-summary")
        assert summary.startswith("中断中の模擬試験：カスタム・4 問・回答 0")
        await pilot.click("#running-new")
        await settle(app, pilot)
        assert isinstance(app.screen, ExamScreen)
        assert app.screen.session.exam_id != first
        assert store.exam(first).status == "abandoned"


# --------------------------------------------------------------------------- setup dialog


async def test_setup_dialog_custom_exam_with_one_topic(store, catalog):
    app = ExamApp(store, catalog, "en", None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        setup = app.screen
        assert isinstance(setup, ExamSetupScreen)
        await pilot.click("#preset-custom")
        await pilot.pause()
        questions = setup.query_one("#setup-questions", Input)
        assert not questions.disabled
        questions.value = "0"
        setup.query_one("#setup-minutes", Input).value = "5"
        setup.query_one("#setup-seed", Input).value = "7"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is setup  # an error, nothing lost
        assert "1 to 500" in text_of(setup, "#setup-error")
        questions.value = "6"
        setup.query_one("#setup-topics").deselect("backprop")
        setup.query_one("#setup-pass", Input).value = "abc"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "0 to 100" in text_of(setup, "#setup-error")
        setup.query_one("#setup-pass", Input).value = "70"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        exam = screen.session.exam
        assert len(exam.questions) == 6 and exam.spec.minutes == 5 and exam.spec.seed == 7
        assert {q.item.topic for q in exam.questions} == {"activation"}
        assert exam.spec.pass_threshold == pytest.approx(0.7)


async def test_setup_dialog_offers_resume_and_history(store, catalog):
    clock = FakeClock()
    app = ExamApp(store, catalog, "ja", exam_options(questions=3, seed=1), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
    app = ExamApp(store, catalog, "ja", None, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        setup = app.screen
        assert "回答 1" in text_of(setup, "#setup-running")
        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, ExamScreen)
        assert app.screen.session.answer_of(0) == "2"
    app = ExamApp(store, catalog, "en", None, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        assert isinstance(app.screen, ExamHistoryScreen)
        assert "No finished exams yet." in text_of(app.screen, "#hist-empty")


async def test_bad_cli_options_show_the_setup_with_the_message(store, catalog):
    app = ExamApp(store, catalog, "en", exam_options(topic=["backprob"]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ExamSetupScreen)
        assert "Did you mean: backprop?" in text_of(app.screen, "#setup-error")


# --------------------------------------------------------------------------- errors


async def test_a_store_error_is_shown_and_loses_nothing(store, catalog, monkeypatch):
    app = ExamApp(store, catalog, "en", exam_options(questions=3, seed=1))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen

        def locked(*args, **kwargs):
            raise StoreError("store.locked", path="progress.sqlite3")

        monkeypatch.setattr(store, "save_exam_answer", locked)
        await pilot.press("1")
        await pilot.pause()
        assert any("locked by another program" in n.message for n in app._notifications)
        assert screen.session.answer_of(0) is None  # not pretended saved
        assert not screen.query_one("#option-1", OptionLine).has_class("-selected")
        monkeypatch.undo()
        await pilot.press("1")
        assert store.exam(screen.session.exam_id).answers[0].answer == "1"


async def test_language_switch_redraws_the_exam(store, catalog):
    app = ExamApp(store, catalog, "en", exam_options(questions=3, seed=1))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("right")
        screen.apply_language("ja")
        await pilot.pause()
        await pilot.pause()
        assert "第 2 問 / 3" in text_of(screen, "#exam-item-head")
        assert "残り" in str(screen.query_one(Countdown).render())
