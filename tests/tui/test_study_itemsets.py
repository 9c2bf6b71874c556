"""The study screen with an item set (大問): the stem once, (1) answered and judged, then
(2) on the same screen with (1)'s verdict above it (Pilot)."""

from __future__ import annotations

from pathlib import Path

from quizapp.packs.loader import load_catalog

SETS = Path(__file__).resolve().parents[1] / "data" / "itemsets"
SET_ID = "test.sets.neuron"


async def test_study_screen_answers_part_1_then_part_2(make_app, tui):
    catalog = load_catalog([SETS], builtin=False)
    app = make_app(catalog=catalog, start=tui.study_args(template=SET_ID, seed=3))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        first = screen.session.problem
        assert first.part == 1
        stem = tui.text_of(screen, "#stem")
        assert "One unit (identity activation)" in stem
        assert "Part 1 of 3" in tui.text_of(screen, "#prompt")
        assert "(1) Compute the output" in tui.text_of(screen, "#prompt")
        assert "One unit" not in tui.text_of(screen, "#prompt")  # the stem is shown once
        assert app.focused is not None and app.focused.id == "answer"
        await pilot.press(*repr(float(first.answer)))
        await pilot.press("enter")
        await tui.wait_for(pilot, lambda: bool(screen.query("#verdict")))
        assert tui.text_of(screen, "#verdict") == "✓ Correct"
        assert [a.template_id for a in app.store.attempts()] == [f"{SET_ID}#1"]
        assert app.store.card(SET_ID) is None
        await pilot.press("enter")  # on to (2), same set, same numbers
        await tui.wait_for(pilot, lambda: screen.session.problem.part == 2
                           and bool(screen.query("#answer")) and not screen.query("#verdict"))
        await pilot.pause()
        assert tui.text_of(screen, "#stem") == stem
        assert "(1) Correct" in tui.text_of(screen, "#set-done")
        assert "(2) Which is ∂E/∂y?" in tui.text_of(screen, "#prompt")
        second = screen.session.problem
        wrong = 1 if second.answer != 1 else 2
        await pilot.press(str(wrong))
        await tui.wait_for(pilot, lambda: bool(screen.query("#verdict")))
        assert tui.text_of(screen, "#verdict") == "✗ Incorrect"
        attempts = sorted(app.store.attempts(), key=lambda a: a.template_id)
        assert [(a.template_id, a.correct) for a in attempts] == [
            (f"{SET_ID}#1", True), (f"{SET_ID}#2", False)]
        assert not screen.check_action("another", ())  # not in the middle of a set
