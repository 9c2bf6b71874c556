"""Issue 13 #17: `exam --resume` reopens at the item that was open."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp.exam import ExamSession, make_spec
from quizapp.packs.loader import load_catalog
from quizapp.progress.store import Store

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"


def clock() -> datetime:
    return datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([GOOD], builtin=False)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "progress.sqlite3")
    yield s
    s.close()


def test_resume_knows_the_item_that_was_open(store, catalog):
    session = ExamSession.start(store, catalog, make_spec(questions=5, seed=2), clock=clock)
    session.set_open(3)
    session.pause()
    again = ExamSession.resume(store, catalog, clock=clock)
    assert again.exam_id == session.exam_id
    assert again.open_index == 3


def test_the_open_item_of_another_exam_is_ignored(store, catalog):
    first = ExamSession.start(store, catalog, make_spec(questions=5, seed=2), clock=clock)
    first.set_open(4)
    second = ExamSession.start(store, catalog, make_spec(questions=3, seed=3), clock=clock)
    second.pause()
    again = ExamSession.resume(store, catalog, clock=clock)
    assert again.exam_id == second.exam_id
    assert again.open_index is None
