"""Snapshots at 80×24, the default size of many terminals (issue #13 item 15): the home
and study screens (the exam and statistics ones are with their screens' snapshots).

Review the SVGs under __snapshots__ before updating them (--snapshot-update)."""

from __future__ import annotations

SMALL = (80, 24)


def test_home_japanese_80x24(make_app, tui, snap_compare):
    async def ready(pilot):
        await tui.wait_for(pilot, lambda: getattr(pilot.app.screen, "overview", None) is not None)
        await pilot.pause()

    assert snap_compare(make_app(lang="ja"), terminal_size=SMALL, run_before=ready)


def test_study_matrix_problem_japanese_80x24(make_app, tui, snap_compare):
    app = make_app(lang="ja", start=tui.study_args(template="test.mini.output_grad", seed=3))

    async def ready(pilot):
        await tui.study_screen(pilot)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SMALL, run_before=ready)
