"""Issue #14 item 8: while packs load (a slow user pack), the UI answers and ctrl+q quits."""

from __future__ import annotations

import threading

from quizapp.tui.screens.home import HomeScreen


async def test_ctrl_q_quits_while_packs_are_still_loading(make_app, tui, catalog):
    release = threading.Event()
    started = threading.Event()

    def slow_load():
        started.set()
        release.wait(60)  # a pack that takes a long time to load
        return catalog

    app = make_app(catalog=None, load_catalog=slow_load)
    try:
        async with app.run_test(size=tui.SIZE) as pilot:
            await tui.wait_for(pilot, started.is_set)
            assert isinstance(app.screen, HomeScreen)  # drawn, loading in the background
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert not app.is_running
        # the loading thread must not keep the process alive after quitting
        loaders = [t for t in threading.enumerate() if t.is_alive() and not t.daemon
                   and t is not threading.main_thread()]
        assert loaders == [], loaders
    finally:
        release.set()
