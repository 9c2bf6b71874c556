"""Snapshots of the study screen: a problem (ja), feedback after a wrong answer (en), a
choice item after a known mistake (ja). Fixed pack, seed, clock and size.

Review the SVGs under __snapshots__ before updating them (--snapshot-update)."""

from __future__ import annotations


def _ready(tui, keys=()):
    async def run(pilot):
        screen = await tui.study_screen(pilot)
        for key in keys:
            await pilot.press(key)
        if keys:
            await tui.wait_for(pilot, lambda: screen.answered)
        await pilot.pause()

    return run


def test_matrix_problem_japanese(make_app, tui, snap_compare):
    app = make_app(lang="ja", start=tui.study_args(template="test.mini.output_grad", seed=3))
    assert snap_compare(app, terminal_size=tui.SIZE, run_before=_ready(tui))


def test_feedback_after_a_wrong_answer_english(make_app, tui, snap_compare):
    app = make_app(lang="en", start=tui.study_args(template="test.mini.sigmoid_grad", seed=2))
    keys = [*"0.3775", "enter"]
    assert snap_compare(app, terminal_size=tui.SIZE, run_before=_ready(tui, keys))


def test_choice_feedback_japanese(make_app, tui, snap_compare):
    app = make_app(lang="ja", start=tui.study_args(template="test.mini.chain", seed=1))
    # seed 1 puts the circular distractor ∂E/∂w third
    assert snap_compare(app, terminal_size=tui.SIZE, run_before=_ready(tui, ["3"]))
