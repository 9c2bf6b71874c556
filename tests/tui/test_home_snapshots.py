"""Snapshot of the home screen (fixed pack, clock, size; a store in tmp_path).

Review the SVGs under __snapshots__ before updating them (--snapshot-update)."""

from __future__ import annotations


def test_home_english(make_app, tui, snap_compare):
    async def ready(pilot):
        await tui.wait_for(pilot, lambda: getattr(pilot.app.screen, "overview", None) is not None)
        await pilot.press("down", "down")
        await pilot.pause()

    assert snap_compare(make_app(lang="en"), terminal_size=tui.SIZE, run_before=ready)
