"""Issue 13 #8–#11 on the study screen: no answer from a double Enter, check marks and
brackets shown as text, full-width digits, the hint key."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.packs.loader import load_catalog
from quizapp.tui.widgets.choices import ChoiceList

PACK = """\
id: test.keys
version: 1
title: {ja: キー, en: Keys}
languages: [ja, en]
topics:
  t: {title: {ja: トピック, en: Topic}}
templates:
  - id: test.keys.brackets
    topic: t
    kind: multi_choice
    prompt: {ja: "W[0] の形状 [2, 3] について正しいものを選べ。",
             en: "Which are true of W[0] with shape [2, 3]?"}
    answer:
      options:
        - {text: "W[0] = [1, 2]", correct: true}
        - {text: "[bold]b[/bold]", correct: true}
        - {text: "x[i]"}
        - {text: "[link=x]y[/link]"}
    explanation:
      steps: ["[2, 3]"]
  - id: test.keys.hinted
    topic: t
    kind: numeric
    params:
      x: {range: [1, 3]}
    prompt: {ja: "{x} + 1 を求めよ。", en: "Compute {x} + 1."}
    hint: {ja: "1 を足します。", en: "Add one."}
    answer:
      value: x + 1
    explanation:
      steps: ["{x} + 1"]
"""


@pytest.fixture
def keys_catalog(tmp_path_factory, tui):
    folder = tmp_path_factory.mktemp("keys")
    (folder / "keys.yaml").write_text(PACK, encoding="utf-8")
    return load_catalog([Path(tui.GOOD), folder], builtin=False)


def lines_of(widget) -> str:
    return "\n".join("".join(seg.text for seg in widget.render_line(y))
                     for y in range(widget.size.height))


async def test_enter_after_another_choice_item_answers_nothing(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.chain", seed=1))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        await pilot.press("2")
        await tui.wait_for(pilot, lambda: screen.answered)
        await pilot.press("n")  # another choice item of the same template
        await tui.wait_for(pilot, lambda: not screen.answered and bool(screen.query(ChoiceList)))
        choices = screen.query_one(ChoiceList)
        assert choices.highlighted is None
        await pilot.press("enter")  # the double press: must not answer
        await pilot.pause()
        assert not screen.answered
        assert len(app.store.attempts()) == 1
        assert "Nothing is chosen" in tui.text_of(screen, "#invalid")


async def test_double_enter_after_feedback_never_answers_the_next_choice(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.relu_choice", seed=2))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        await pilot.press("1")
        await tui.wait_for(pilot, lambda: screen.answered)
        for _ in range(3):
            await pilot.press("enter")  # next, then Enters that must answer nothing
            await pilot.pause()
            problem = screen.session.problem
            if problem is not None and problem.kind in ("single_choice", "true_false"):
                assert not screen.answered
        assert len(app.store.attempts()) <= 2  # at most one more: a typed (non-choice) item


async def test_multi_choice_marks_and_brackets_are_shown_as_text(make_app, tui, keys_catalog):
    app = make_app(catalog=keys_catalog,
                   start=tui.study_args(template="test.keys.brackets", seed=1))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        choices = screen.query_one(ChoiceList)
        await pilot.press("1")
        await pilot.pause()
        shown = lines_of(choices)
        marked = screen.session.problem.choices[0].text("en")
        assert f"[x] 1. {marked}" in shown
        assert shown.count("[ ] ") == 3
        assert "[bold]b[/bold]" in shown
        assert "x[i]" in shown and "[link=x]y[/link]" in shown


async def test_full_width_digits_answer_a_choice_item(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.chain", seed=1))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        await pilot.press("２")
        await tui.wait_for(pilot, lambda: screen.answered)
        (attempt,) = app.store.attempts()
        assert attempt.parsed == 2


async def test_full_width_digits_mark_multi_choice_options(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.which_true", seed=3))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        await pilot.press("１")
        await pilot.pause()
        assert screen.query_one(ChoiceList).marked == {1}


def footer_keys(app) -> dict[str, str]:
    return {key: active.binding.description for key, active in app.active_bindings.items()
            if active.binding.show and active.enabled}


async def test_hint_key_in_the_footer_only_with_a_hint(make_app, tui, keys_catalog):
    app = make_app(catalog=keys_catalog,
                   start=tui.study_args(template="test.keys.hinted", seed=1))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        assert footer_keys(app).get("ctrl+t") == "Hint"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "Add one." in tui.text_of(screen, "#hint-text")


async def test_hint_key_without_a_hint_says_why(make_app, tui):
    app = make_app(start=tui.study_args(template="test.mini.sigmoid_grad", seed=1))
    async with app.run_test(size=tui.SIZE) as pilot:
        await tui.study_screen(pilot)
        assert "ctrl+t" not in footer_keys(app)
        await pilot.press("ctrl+t")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("no hint" in m for m in messages)
