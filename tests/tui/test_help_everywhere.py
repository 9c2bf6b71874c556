"""Issue 13 #14: help lists the exam and statistics keys and opens from any screen;
Textual's own English texts are translated."""

from __future__ import annotations

import argparse

from quizapp.tui.app import StartRequest
from quizapp.tui.screens.help import HelpScreen


def exam_request(**kw) -> StartRequest:
    base = dict(preset=None, questions=3, minutes=5, seed=2, resume=False, topic=None, pack=None)
    base.update(kw)
    return StartRequest("exam", argparse.Namespace(**base))


async def test_help_from_the_exam_lists_exam_and_stats_keys(make_app, tui):
    from quizapp.tui.screens.exam import ExamScreen

    app = make_app(start=exam_request())
    async with app.run_test(size=tui.SIZE) as pilot:
        await tui.wait_for(pilot, lambda: isinstance(app.screen, ExamScreen), tries=200)
        await pilot.press("f1")
        await tui.wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        tables = app.screen.tables("en")
        names = [title for title, _ in tables]
        assert names[:2] == ["Everywhere", "Mock exam"]  # the screen it came from first
        exam = dict((d, k) for k, d in dict(tables)["Mock exam"])
        assert exam["Flag"] == "f" and exam["Submit"] == "s"
        stats = dict((d, k) for k, d in dict(tables)["Statistics"])
        assert stats["Refresh"] == "r"
        assert "Exam results, review and history" in names
        await pilot.press("f1")  # F1 again closes it
        await tui.wait_for(pilot, lambda: isinstance(app.screen, ExamScreen))


async def test_help_opens_from_a_dialog_in_japanese(make_app, tui):
    from quizapp.tui.screens.exam import ExamSetupScreen

    app = make_app(lang="ja")
    async with app.run_test(size=tui.SIZE) as pilot:
        await pilot.pause()
        app.open_exam(None)
        await tui.wait_for(pilot, lambda: isinstance(app.screen, ExamSetupScreen), tries=200)
        await pilot.press("f1")
        await tui.wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        tables = app.screen.tables("ja")
        names = [title for title, _ in tables]
        assert "模擬試験" in names and "統計" in names
        exam = dict((d, k) for k, d in dict(tables)["模擬試験"])
        assert exam.get("提出") == "s" and exam.get("フラグ") == "f", exam  # not "Submit"
        for title, rows in tables:  # no English description left in any section
            english = [d for _, d in rows if d.isascii() and any(c.isalpha() for c in d)]
            assert english == [], (title, english)


async def test_ctrl_c_and_the_palette_speak_japanese(make_app, tui):
    from textual.command import CommandInput, CommandPalette

    app = make_app(lang="ja")
    async with app.run_test(size=tui.SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        notes = list(app._notifications)
        assert notes and notes[-1].title == "終了しますか？"
        assert "Ctrl+Q" in notes[-1].message and "Do you want" not in notes[-1].title
        await pilot.press("ctrl+p")
        await tui.wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        placeholder = app.screen.query_one(CommandInput).placeholder
        assert placeholder == "コマンド・パック・トピック・問題を検索…"
