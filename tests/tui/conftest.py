"""Shared pieces of the Textual tests: the fixed pack, a fixed clock, an app factory.

Every app here uses ``tests/data/good`` (not the built-in packs, which change), a
progress file in ``tmp_path``, a fixed clock and time zone, and fixed session seeds,
so Pilot tests and snapshots are deterministic.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from quizapp.packs.loader import load_catalog
from quizapp.progress.store import Store
from quizapp.tui.app import StartRequest, create_app

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"
T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _no_locale_language(monkeypatch):
    monkeypatch.setenv("QUIZAPP_LANG", "en")
    monkeypatch.delenv("QUIZAPP_STARTUP_PROBE", raising=False)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog([GOOD], builtin=False)


class Clock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def study_args(**kw: Any) -> StartRequest:
    ns = argparse.Namespace(command="study", pack=None, topic=None, template=None, seed=None,
                            cram=False)
    for key, value in kw.items():
        setattr(ns, key, value)
    return StartRequest("study", ns)


@pytest.fixture
def make_app(tmp_path, catalog, clock):
    """make_app(lang="en", start=None, **kw) → an app on tmp_path/progress.sqlite3."""
    stores: list[Store] = []

    def make(lang: str | None = "en", *, data_dir: Path | None = None, **kw: Any):
        store = Store.open((data_dir or tmp_path) / "progress.sqlite3")
        stores.append(store)
        kw.setdefault("catalog", catalog)
        kw.setdefault("clock", clock)
        kw.setdefault("tz", UTC)
        kw.setdefault("session_seed", 7)
        return create_app(store, lang=lang, **kw)

    yield make
    for store in stores:
        try:
            store.close()
        except Exception:
            pass


async def wait_for(pilot: Any, predicate: Callable[[], bool], tries: int = 50) -> None:
    """Let the app run until ``predicate()`` holds (fails the test after ``tries`` pauses)."""
    for _ in range(tries):
        if predicate():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app did not reach the expected state")


async def study_screen(pilot: Any) -> Any:
    from quizapp.tui.screens.study import StudyScreen

    await wait_for(pilot, lambda: isinstance(pilot.app.screen, StudyScreen)
                   and (pilot.app.screen.session.problem is not None or pilot.app.screen.empty)
                   and bool(pilot.app.screen.query("#answer") or pilot.app.screen.empty))
    await pilot.pause()
    return pilot.app.screen


def text_of(screen: Any, selector: str) -> str:
    """The plain text a Static shows (Rich renderables are rendered 200 columns wide)."""
    widget = screen.query_one(selector)
    content = getattr(widget, "content", None)
    if content is not None and not isinstance(content, str) and not hasattr(content, "plain"):
        import io

        from rich.console import Console

        console = Console(width=200, record=True, file=io.StringIO())
        console.print(content)
        return console.export_text()
    return str(widget.render())


class Helpers:
    """The helpers above, as a fixture (test modules do not import conftest)."""

    wait_for = staticmethod(wait_for)
    study_screen = staticmethod(study_screen)
    text_of = staticmethod(text_of)
    study_args = staticmethod(study_args)
    T0 = T0
    SIZE = SIZE
    GOOD = GOOD


@pytest.fixture
def tui() -> type[Helpers]:
    return Helpers
