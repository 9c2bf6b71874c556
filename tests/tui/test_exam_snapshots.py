"""Snapshots of the mock exam screens: fixed pack, seed, clock, size and data folder."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.app import App

from quizapp.packs.loader import load_catalog
from quizapp.progress.scheduler import Scheduler
from quizapp.progress.store import Store
from quizapp.tui.screens.exam import open_exam

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"
SIZE = (120, 40)
T0 = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)


class FixedClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class SnapApp(App[None]):
    def __init__(self, data_dir: Path, lang: str, **options) -> None:
        super().__init__()
        self.store = Store.open(data_dir / "progress.sqlite3")
        self.catalog = load_catalog([GOOD], builtin=False)
        self.lang = lang
        self.clock = FixedClock()
        self.scheduler = Scheduler(self.store, clock=self.clock)
        base = dict(
            preset="quick",
            questions=None,
            minutes=None,
            seed=3,
            resume=False,
            topic=None,
            pack=None,
        )
        base.update(options)
        self.options = argparse.Namespace(**base)

    def on_mount(self) -> None:
        open_exam(self, self.options)


async def ready(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_exam_screen_english(snap_compare, tmp_path):
    app = SnapApp(tmp_path, "en")

    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("2", "f", "right", "right", "4")
        app.clock.now = T0 + timedelta(minutes=15, seconds=30)  # 8:30 left: a warning
        app.screen.tick()
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_confirm_submit_japanese(snap_compare, tmp_path):
    app = SnapApp(tmp_path, "ja")

    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("1", "f", "right", "3", "s")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_results_japanese(snap_compare, tmp_path):
    app = SnapApp(tmp_path, "ja")

    async def run_before(pilot) -> None:
        await ready(pilot)
        screen = pilot.app.screen
        for q in screen.session.exam.questions[:12]:
            for n in q.correct_options:
                screen.session.choose(q.index, n)
        app.clock.now = T0 + timedelta(minutes=14, seconds=24)
        await pilot.press("s", "y")
        await pilot.pause()
        pilot.app.clear_notifications()  # a timer tick may have warned "10 minutes left"
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_review_english_with_a_misconception(snap_compare, tmp_path):
    app = SnapApp(tmp_path, "en")

    async def run_before(pilot) -> None:
        await ready(pilot)
        screen = pilot.app.screen
        target = next(
            q
            for q in screen.session.exam.questions
            if q.problem.template.id == "test.mini.sigmoid_grad"
        )
        slip = next(i for i, o in enumerate(target.options, 1) if o.tag and not o.correct)
        screen.session.choose(target.index, slip)
        app.clock.now = T0 + timedelta(minutes=3)
        await pilot.press("s", "y")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        pilot.app.screen.show_item(target.index)
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


@pytest.fixture(autouse=True)
def _no_color_env(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_exam_screen_japanese_80x24(snap_compare, tmp_path):
    app = SnapApp(tmp_path, "ja")

    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("2", "f", "right")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
