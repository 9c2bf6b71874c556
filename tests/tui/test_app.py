"""The app: start-up (settings, worker, problems shown not raised), routing, keys, settings,
help, the command palette, the start-up probe."""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC

from textual.binding import Binding

from quizapp.i18n import has, t
from quizapp.packs.loader import PackIssue, load_catalog
from quizapp.progress.store import Store
from quizapp.study.session import Scope
from quizapp.tui.app import PROBE_ENV, QuizApp, create_app
from quizapp.tui.launch import open_store
from quizapp.tui.screens.help import HelpScreen, key_name
from quizapp.tui.screens.home import HomeScreen, PackTree
from quizapp.tui.screens.settings import SettingsScreen
from quizapp.tui.screens.study import StudyScreen
from quizapp.tui.screens.summary import SummaryScreen


async def home(pilot, tui) -> HomeScreen:
    await tui.wait_for(pilot, lambda: isinstance(pilot.app.screen, HomeScreen)
                       and pilot.app.screen.overview is not None)
    return pilot.app.screen


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


# --------------------------------------------------------------------------- start-up


async def test_stored_language_and_theme_apply_at_start(make_app, tmp_path, tui):
    with Store.open(tmp_path / "progress.sqlite3") as store:
        store.set_setting("language", "ja")
        store.set_setting("theme", "nord")
    app = make_app(lang=None)
    async with app.run_test(size=tui.SIZE) as pilot:
        await home(pilot, tui)
        assert app.lang == "ja" and app.theme == "nord"
        assert app.settings.language == "ja"


async def test_cli_language_wins_for_the_run_only(make_app, tmp_path, tui):
    with Store.open(tmp_path / "progress.sqlite3") as store:
        store.set_setting("language", "ja")
        store.set_setting("theme", "no-such-theme")
    app = make_app(lang="en")
    async with app.run_test(size=tui.SIZE) as pilot:
        await home(pilot, tui)
        assert app.lang == "en" and app.settings.language == "en"
        assert app.theme == "textual-dark"  # an unknown stored theme is ignored
        app.save_setting("daily_new_limit", 5)
    with Store.open(tmp_path / "progress.sqlite3") as store:
        assert store.get_setting("language") == "ja"  # --lang was not saved
        assert store.get_setting("daily_new_limit") == 5


async def test_packs_load_in_a_worker_after_the_first_frame(make_app, tui, catalog):
    calls = []

    def load():
        calls.append(1)
        return catalog

    app = make_app(catalog=None, load_catalog=load)
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await home(pilot, tui)
        assert calls == [1]
        assert str(screen.query_one(PackTree).root.label).startswith("All packs")


async def test_packs_that_fail_to_load_give_a_message(make_app, tui):
    def load():
        raise OSError("disk on fire")

    app = make_app(catalog=None, load_catalog=load)
    async with app.run_test(size=tui.SIZE) as pilot:
        await tui.wait_for(pilot, lambda: app.catalog_error is not None)
        await pilot.pause()
        root = str(app.screen.query_one(PackTree).root.label)
        assert "could not be loaded" in root and "disk on fire" in root
        await pilot.press("s")  # nothing to study: a message, no crash
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_bad_packs_and_store_notice_are_shown(tmp_path, tui, catalog, clock):
    bad = load_catalog([tui.GOOD], builtin=False)
    bad.issues.append(PackIssue("mine/broken.yaml", 3, 5, "templates[0].kind", "bad kind"))
    store = Store.open(tmp_path / "p.sqlite3")
    from quizapp.progress.store import StoreNotice

    store.notice = StoreNotice("store.corrupt_moved", {"aside": "p.sqlite3.corrupt-1"})
    app = create_app(store, catalog=bad, lang="en", clock=clock, tz=UTC)
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await home(pilot, tui)
        issues = tui.text_of(screen, "#home-issues")
        assert "Some packs could not be loaded and were skipped:" in issues
        assert "mine/broken.yaml:3:5: templates[0].kind: bad kind" in issues
        banner = tui.text_of(screen, "#home-banner")
        assert "moved to p.sqlite3.corrupt-1" in banner
        assert any("corrupt-1" in m for m in notifications(app))
    store.close()


async def test_a_locked_or_newer_store_runs_without_saving(tmp_path, tui, catalog, clock):
    path = tmp_path / "progress.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    store, problem = open_store(lambda: tmp_path, "en")
    assert store.path is None  # in memory
    assert "written by a newer quizapp" in problem
    app = create_app(store, catalog=catalog, lang="en", clock=clock, tz=UTC,
                     store_problem=problem)
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await home(pilot, tui)
        banner = tui.text_of(screen, "#home-banner")
        assert banner.startswith("Progress is not being saved.")
        await pilot.press("s")  # practising still works
        study = await tui.study_screen(pilot)
        assert study.session.problem is not None


def test_open_store_with_an_unusable_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")

    def data_dir():
        from quizapp.progress.paths import data_dir as real

        return real(str(blocker / "sub"))

    store, problem = open_store(data_dir, "ja")
    assert store.path is None and "データフォルダ" in problem


# --------------------------------------------------------------------------- routing


async def test_statistics_and_exam_route_lazily(make_app, tui, monkeypatch):
    app = make_app()
    async with app.run_test(size=tui.SIZE) as pilot:
        await home(pilot, tui)
        monkeypatch.setitem(sys.modules, "quizapp.tui.screens.stats", None)
        monkeypatch.setitem(sys.modules, "quizapp.tui.screens.exam", None)
        await pilot.press("t")
        await pilot.press("e")
        await pilot.pause()
        assert "Statistics is not available yet." in notifications(app)
        assert "The mock exam is not available yet." in notifications(app)
        assert isinstance(app.screen, HomeScreen)
        monkeypatch.undo()
        seen = []
        import quizapp.tui.screens.exam as exam_module

        monkeypatch.setattr(exam_module, "open_exam", lambda a, options: seen.append((a, options)))
        await pilot.press("e")
        assert seen == [(app, None)]


async def test_statistics_screen_opens_when_present(make_app, tui):
    try:
        from quizapp.tui.screens.stats import StatsScreen
    except ImportError:  # the colleague's screen is not there yet
        return
    app = make_app()
    async with app.run_test(size=tui.SIZE) as pilot:
        await home(pilot, tui)
        await pilot.press("t")
        await tui.wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))


async def test_ctrl_q_quits_from_any_screen(make_app, tui):
    for keys in ([], ["o"], ["f1"], ["s"]):
        app = make_app()
        async with app.run_test(size=tui.SIZE) as pilot:
            await home(pilot, tui)
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            await pilot.press("ctrl+q")
            await pilot.pause()
        assert app.return_code == 0, keys


async def test_start_with_exam_options_calls_open_exam(make_app, tui, monkeypatch):
    import argparse

    import quizapp.tui.screens.exam as exam_module
    from quizapp.tui.app import StartRequest

    seen = []
    monkeypatch.setattr(exam_module, "open_exam", lambda a, options: seen.append(options))
    options = argparse.Namespace(command="exam", preset="quick")
    app = make_app(start=StartRequest("exam", options))
    async with app.run_test(size=tui.SIZE) as pilot:
        await home(pilot, tui)
        assert seen == [options]


# --------------------------------------------------------------------------- keys and help


def _screens():
    from quizapp.tui.screens.home import PackTree

    return [QuizApp, HomeScreen, PackTree, StudyScreen, SummaryScreen, SettingsScreen,
            HelpScreen]


def test_every_binding_has_an_id_and_texts_in_both_languages():
    for cls in _screens():
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding)
            assert binding.id, (cls.__name__, binding.key)
            key = f"key.{binding.id}"
            assert has(key), key
            assert t(key, "ja") and t(key, "en")
            if binding.show:
                assert has(f"{key}.tip"), key


async def test_help_lists_every_key(make_app, tui):
    app = make_app()
    async with app.run_test(size=tui.SIZE) as pilot:
        await home(pilot, tui)
        await pilot.press("f1")
        await tui.wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        tables = dict(app.screen.tables("en"))
        study = dict((d, k) for k, d in tables["Study"])
        assert study["Next"] == "Enter"
        assert study["Another like this"] == "Ctrl+N / n"
        assert tables["Everywhere"][0] == ("Ctrl+Q", "Quit")
        answering = dict(tables["Answering"])
        assert "1–4" in answering
        keys_shown = " ".join(k for rows in tables.values() for k, _ in rows)
        for cls in (HomeScreen, StudyScreen, SummaryScreen, SettingsScreen):
            for binding in cls.BINDINGS:
                assert key_name(binding.key) in keys_shown, binding
        content = tui.text_of(app.screen, "#help-content")
        assert "Answer formats" in content
        app.set_language("ja")
        await pilot.pause()
        assert "回答の書き方" in tui.text_of(app.screen, "#help-content")
        await pilot.press("escape")
        await tui.wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


# --------------------------------------------------------------------------- settings


async def test_settings_screen_changes_apply_and_are_saved(make_app, tui, tmp_path):
    app = make_app()
    async with app.run_test(size=tui.SIZE) as pilot:
        await home(pilot, tui)
        await pilot.press("o")
        await tui.wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        screen = app.screen
        assert tui.text_of(screen, "#label-daily_new_limit") == "New templates per day"
        limit = screen.query_one("#set-daily_new_limit")
        limit.focus()
        await pilot.press(*["backspace"] * 3, "a", "b", "c", "enter")
        await pilot.pause()
        assert "Enter a whole number from 0 to 500" in tui.text_of(screen, "#error-daily_new_limit")
        await pilot.press(*["backspace"] * 3, "5", "enter")
        await pilot.pause()
        assert tui.text_of(screen, "#error-daily_new_limit") == ""
        assert app.settings.daily_new_limit == 5
        retention = screen.query_one("#set-desired_retention")
        retention.focus()
        await pilot.press(*["backspace"] * 4, "0", ".", "5", "enter")
        await pilot.pause()
        assert "0.7 to 0.99" in tui.text_of(screen, "#error-desired_retention")
        assert app.settings.desired_retention == 0.9
        app.set_theme("nord")
        # the language radio: press 日本語
        await pilot.click("#lang-ja")
        await tui.wait_for(pilot, lambda: app.lang == "ja")
        assert tui.text_of(screen, "#settings-title") == "設定"
        assert tui.text_of(screen, "#label-daily_new_limit") == "1 日の新規問題数"
        await pilot.press("escape")
        await tui.wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "今日の新規（残り）：5" in tui.text_of(app.screen, "#today")
    with Store.open(tmp_path / "progress.sqlite3") as store:
        saved = store.settings()
    assert saved["daily_new_limit"] == 5
    assert saved["language"] == "ja"
    assert saved["theme"] == "nord"
    assert "desired_retention" not in saved


async def test_a_typed_setting_is_saved_on_ctrl_q(make_app, tui, tmp_path):
    app = make_app()
    async with app.run_test(size=tui.SIZE) as pilot:
        await home(pilot, tui)
        await pilot.press("o")
        await tui.wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        app.screen.query_one("#set-daily_new_limit").focus()
        await pilot.press(*["backspace"] * 3, "7")
        await pilot.press("ctrl+q")
        await pilot.pause()
    with Store.open(tmp_path / "progress.sqlite3") as store:
        assert store.get_setting("daily_new_limit") == 7


# --------------------------------------------------------------------------- palette, probe


async def test_command_palette_finds_a_topic_and_studies_it(make_app, tui):
    from quizapp.tui.commands import QuizCommands

    app = make_app()
    async with app.run_test(size=tui.SIZE) as pilot:
        await home(pilot, tui)
        provider = QuizCommands(app.screen)
        hits = [hit async for hit in provider.search("Study: Topic: Backpropagation")]
        assert hits, "no hit"
        best = max(hits, key=lambda h: h.score)
        assert best.text.startswith("Study: Topic: Backpropagation")
        best.command()
        study = await tui.study_screen(pilot)
        assert study.session.scope == Scope(pack="test.mini", topic="backprop")
        template_hits = [hit async for hit in provider.search("test.mini.probs")]
        assert any("test.mini.probs" in (h.text or "") for h in template_hits)


async def test_startup_probe_records_and_exits(make_app, tui, tmp_path, monkeypatch, catalog):
    probe = tmp_path / "probe.txt"
    monkeypatch.setenv(PROBE_ENV, str(probe))
    app = make_app(catalog=None, load_catalog=lambda: catalog)
    async with app.run_test(size=tui.SIZE) as pilot:
        await tui.wait_for(pilot, lambda: probe.exists() and "catalog" in probe.read_text())
        await pilot.pause()
    events = [line.split()[0] for line in probe.read_text().splitlines()]
    assert events == ["ready", "loaded", "catalog"]
    assert app.return_code == 0


async def test_a_screen_that_fails_to_open_is_a_message_not_a_crash(make_app, tui, monkeypatch):
    import quizapp.tui.screens.stats as stats_module
    from quizapp.tui.screens.home import HomeScreen

    class Broken:  # a screen whose construction fails
        def __init__(self, *args):
            raise RuntimeError("boom")

    monkeypatch.setattr(stats_module, "StatsScreen", Broken)
    app = make_app()
    async with app.run_test(size=tui.SIZE) as pilot:
        await pilot.pause()
        app.open_stats()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("boom" in m for m in notifications(app))
