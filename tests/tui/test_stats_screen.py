"""The statistics screen in a tiny App: worker, sections, languages, keys, errors, snapshot."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import Static

from quizapp.packs.loader import load_catalog
from quizapp.progress.store import Attempt, CardUpdate, Store
from quizapp.tui.screens.stats import StatsScreen

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"
NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
SIZE = (120, 40)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2025, 3, day, hour, 0, tzinfo=UTC)


def attempt(template_id: str, when: datetime, correct: bool,
            misconception: str | None = None) -> Attempt:
    return Attempt(
        template_id=template_id, pack_id="test.mini", pack_version="1", seed=3,
        raw_answer="x", parsed="x", correct=correct, misconception=misconception,
        seconds=8.0, answered_at=when,
    )


def fill(store: Store) -> None:
    sg = "test.mini.sigmoid_grad"
    for day, ok in [(1, False), (2, True), (3, False), (4, True), (5, False)]:
        store.record_attempt(attempt(sg, at(day), ok, None if ok else "sigma_not_derivative"))
    for i, (ok, tag) in enumerate([(True, None), (False, "transposed"), (True, None),
                                   (False, "transposed"), (True, None), (False, None)]):
        store.record_attempt(attempt("test.mini.output_grad", at(5, 8 + i), ok, tag))
    for day in (8, 9, 10):
        store.record_attempt(attempt("test.mini.chain", at(day, 8), True))
    store.record_attempt(attempt("gone.pack.old", at(4, 8), False, "old_tag"))
    for template_id, due in [("test.mini.chain", NOW + timedelta(days=2)),
                             ("test.mini.probs", NOW - timedelta(days=1)),
                             ("test.mini.tanh_sym", NOW + timedelta(days=6))]:
        store.save_attempt_and_card(
            template_id, lambda _old, due=due: CardUpdate("{}", due, 3.0), now=at(1)
        )
    for i, (overall, deep) in enumerate([(0.45, 0.5), (0.6, 0.55), (0.7, 0.8)]):
        exam = store.create_exam(i, {"items": [["test.mini.chain", i]] * 20}, preset="quick",
                                 now=at(2 + 2 * i))
        store.finish_exam(exam, {"overall": overall, "by_field": {"深層学習の基礎": deep}},
                          now=at(2 + 2 * i, 13))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([GOOD], builtin=False)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "progress.sqlite3")
    fill(s)
    yield s
    s.close()


class StatsApp(App[None]):
    """Pushes the screen over an empty base screen, like the real app does from home."""

    def __init__(self, store, catalog, lang: str = "en") -> None:
        super().__init__()
        self.stats_args = (store, catalog, lang)

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(*self.stats_args, clock=lambda: NOW, tz=UTC))


def text_of(widget: Static) -> str:
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


async def loaded(pilot) -> StatsScreen:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    assert screen.data is not None
    return screen


async def test_shows_every_section_in_english(store, catalog):
    app = StatsApp(store, catalog, "en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        summary = text_of(screen.query_one("#stats-summary", Static))
        assert "Answers: 15, correct: 8 (53.3%)" in summary
        assert "Days in a row: 3" in summary
        assert "Due 1 · new 6 · mastered 0 (questions in all: 9)" in summary
        fields = text_of(screen.query_one("#stats-fields", Static))
        assert re.search(r"Deep learning foundations\s+8/14\s+57.1%", fields)
        assert "no answers" in fields
        assert screen.query_one("#stats-fields").border_title == "Accuracy by exam field"
        topics = text_of(screen.query_one("#stats-topics", Static))
        assert re.search(r"Backpropagation\s+6/9\s+66.7%", topics)
        assert "unknown (removed pack)" in topics
        mistakes = text_of(screen.query_one("#stats-mistakes", Static))
        assert "sigma_not_derivative" not in mistakes and "That is σ(x), not σ'(x)." in mistakes
        assert "3×" in mistakes and "2×" in mistakes
        leeches = text_of(screen.query_one("#stats-leeches", Static))
        assert re.search(r"test.mini.sigmoid_grad\s+40%\s+2/5\s+2", leeches)
        assert re.search(r"test.mini.output_grad\s+50%\s+3/6\s+3", leeches)
        exams = text_of(screen.query_one("#stats-exams", Static))
        assert re.search(r"3\s+2025-03-06\s+quick\s+finished\s+70%", exams)
        assert "Deep learning foundations 80%" in exams
        for plot_id, label in [("#stats-reviews", "03-10"), ("#stats-forecast", "03-22"),
                               ("#stats-exam-plot", "03-06")]:
            plot = screen.query_one(plot_id)
            assert label in re.sub(r"\x1b\[[0-9;]*m", "", plot.plt.build())
        assert screen.query_one("#stats-reviews").border_title == "Answers per day, last 30 days"


async def test_shows_every_section_in_japanese(store, catalog):
    app = StatsApp(store, catalog, "ja")
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert "解答 15 問・正解 8 問（正答率 53.3%）" in text_of(screen.query_one("#stats-summary"))
        assert "深層学習の基礎" in text_of(screen.query_one("#stats-fields"))
        assert "誤差逆伝播法" in text_of(screen.query_one("#stats-topics"))
        assert "σ(x) を答えています。" in text_of(screen.query_one("#stats-mistakes"))
        assert "完了" in text_of(screen.query_one("#stats-exams"))
        assert screen.query_one("#stats-forecast").border_title == "今後 14 日の復習予定"
        descriptions = {b.binding.id: b.binding.description
                        for b in screen.active_bindings.values()}
        assert descriptions["stats.back"] == "戻る"
        assert descriptions["stats.refresh"] == "再集計"


@pytest.mark.parametrize("key", ["escape", "q"])
async def test_escape_and_q_go_back(store, catalog, key):
    app = StatsApp(store, catalog)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        depth = len(app.screen_stack)
        await pilot.press(key)
        await pilot.pause()
        assert len(app.screen_stack) == depth - 1
        assert not isinstance(app.screen, StatsScreen)


async def test_refresh_picks_up_new_answers(store, catalog):
    app = StatsApp(store, catalog)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert screen.data["totals"]["attempts"] == 15
        store.record_attempt(attempt("test.mini.probs", at(10, 8), True))
        await pilot.press("r")
        screen = await loaded(pilot)
        assert screen.data["totals"]["attempts"] == 16
        assert "Answers: 16, correct: 9" in text_of(screen.query_one("#stats-summary"))


async def test_empty_store_says_how_to_start(tmp_path, catalog):
    with Store.open(tmp_path / "p.sqlite3") as empty:
        app = StatsApp(empty, catalog, "en")
        async with app.run_test(size=SIZE) as pilot:
            screen = await loaded(pilot)
            assert "No answers recorded yet" in text_of(screen.query_one("#stats-summary"))
            assert not screen.query("#stats-fields")
            assert not screen.query("#stats-exams")


async def test_a_store_error_is_shown_not_raised(catalog):
    broken = Store.memory()
    broken.close()  # every query now fails inside the store → StoreError
    app = StatsApp(broken, catalog, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        error = text_of(screen.query_one("#stats-error", Static))
        assert "The statistics cannot be shown" in error
        assert "Could not read progress" in error
        await pilot.press("escape")  # still usable
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)


async def test_the_apps_store_problem_is_shown(store, catalog):
    class AppOnATemporaryStore(StatsApp):
        store_problem = "Your progress is not being saved: the file is locked."

    async with AppOnATemporaryStore(store, catalog).run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        problem = text_of(screen.query_one("#stats-store-problem", Static))
        assert "not being saved" in problem


async def test_clock_defaults_to_the_apps_scheduler(store, catalog):
    class Scheduler:
        @staticmethod
        def now() -> datetime:
            return NOW + timedelta(days=3)

    class AppWithScheduler(App[None]):
        scheduler = Scheduler()
        tz = timezone(timedelta(hours=-12))  # the app's zone: still 3/12 there

        def on_mount(self) -> None:
            self.push_screen(StatsScreen(store, catalog, "en"))

    async with AppWithScheduler().run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert screen.data["today"] == "2025-03-12"


def test_snapshot_english(store, catalog, snap_compare):
    async def ready(pilot) -> None:
        await loaded(pilot)

    assert snap_compare(StatsApp(store, catalog, "en"), terminal_size=SIZE, run_before=ready)


def test_snapshot_japanese_scrolled_to_the_exams(store, catalog, snap_compare):
    async def ready(pilot) -> None:
        await loaded(pilot)
        await pilot.press("end")
        await pilot.pause()

    assert snap_compare(StatsApp(store, catalog, "ja"), terminal_size=SIZE, run_before=ready)


def test_snapshot_japanese_80x24(store, catalog, snap_compare):
    async def ready(pilot) -> None:
        await loaded(pilot)

    assert snap_compare(StatsApp(store, catalog, "ja"), terminal_size=(80, 24), run_before=ready)


async def test_at_80_columns_the_tables_are_stacked_so_topic_names_keep_one_line(store, catalog):
    """Issue #13.15: side by side at 80×24 the name column was 10 cells and Japanese topic
    names broke mid-word（「活性化関」/「数」）."""
    app = StatsApp(store, catalog, "ja")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert screen.has_class("-narrow")
        topics = screen.query_one("#stats-topics")
        fields = screen.query_one("#stats-fields")
        assert topics.region.y > fields.region.y  # below, not beside
        assert topics.region.width >= 70
        assert "活性化関数" in text_of(topics)
    app = StatsApp(store, catalog, "ja")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        assert not screen.has_class("-narrow")
