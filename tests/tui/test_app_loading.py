"""Issue #14 item 8: while packs load (a slow user pack), the UI answers and ctrl+q quits."""

from __future__ import annotations

import threading
from pathlib import Path

from quizapp.tui.screens.home import HomeScreen

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"


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


async def test_the_tree_is_filled_from_the_index_before_the_packs_load(make_app, tui, catalog,
                                                                        tmp_path, monkeypatch):
    """Issue #10 item 6: the index (names only) fills the tree at once; a study request made
    before the packs are loaded opens the study screen when they are."""
    from quizapp.packs.index import read_index
    from quizapp.packs.loader import load_catalog
    from quizapp.tui.screens.study import StudyScreen

    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(tmp_path / "cache"))
    load_catalog([GOOD], builtin=False)  # writes the index
    release = threading.Event()

    def slow_load():
        release.wait(60)
        return catalog

    app = make_app(catalog=None, load_catalog=slow_load,
                   load_index=lambda: read_index([GOOD], "en", builtin=False))
    try:
        async with app.run_test(size=tui.SIZE) as pilot:
            await tui.wait_for(pilot, lambda: app.index is not None)
            await pilot.pause()
            home = app.screen
            assert isinstance(home, HomeScreen) and app.catalog is None
            tree = home.query_one("#packs")
            labels = [str(f.label) for f in tree.root.children]
            labels += [str(p.label) for f in tree.root.children for p in f.children]
            assert any("Test pack" in label for label in labels), labels
            await pilot.press("s")  # study everything, before the packs are in
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            release.set()
            study = await tui.study_screen(pilot)
            assert isinstance(study, StudyScreen) and study.session.problem is not None
            assert app.catalog is catalog and app.index is None
    finally:
        release.set()
