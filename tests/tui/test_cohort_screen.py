"""Issue #15 item 4 on screen: the trainer's view (`g` on the statistics screen, or the
command palette) shows the group's aggregates over every profile of the database."""

from __future__ import annotations

from datetime import UTC, datetime

from quizapp.progress.store import Attempt, Store
from quizapp.tui.screens.cohort import CohortScreen
from quizapp.tui.screens.stats import StatsScreen


def attempt(template: str, seed: int, correct: bool) -> Attempt:
    return Attempt(
        template_id=template, pack_id="test.mini", pack_version="1", seed=seed,
        raw_answer="0", parsed={"value": 0}, correct=correct, misconception=None,
        seconds=3.0, answered_at=datetime(2025, 3, 9, 9, 0, tzinfo=UTC),
    )


async def test_the_cohort_screen_shows_every_profile_as_aggregates(make_app, tui, tmp_path):
    path = tmp_path / "progress.sqlite3"
    for profile, results in (("alice", [True, True]), ("bob", [False, True])):
        with Store.open(path, profile=profile) as other:
            for seed, ok in enumerate(results):
                other.record_attempt(attempt("test.mini.sigmoid_grad", seed, ok))
    app = make_app()
    async with app.run_test(size=tui.SIZE) as pilot:
        await tui.wait_for(pilot, lambda: app.catalog is not None)
        app.open_stats()
        await tui.wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        await pilot.press("g")
        await tui.wait_for(pilot, lambda: isinstance(app.screen, CohortScreen))
        screen = app.screen
        await tui.wait_for(pilot, lambda: bool(screen.text))
        report = tui.text_of(screen, "#cohort-report")
        assert "75" in report  # 3 of the group's 4 answers were correct
        await pilot.press("escape")
        await tui.wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
