"""Issue #14 items 1–6 in the TUI: whatever a learner types into an answer box (while typing,
for the live "reads as" line, and on Enter) the app keeps running, records nothing, and says
the answer could not be read."""

from __future__ import annotations

import pytest

HOSTILE = [
    "()",
    "[]",
    "1e400/3",
    "1*10^400",
    "1e" + "9" * 5000 + "/3",
    "9" * 5000,
    "𐩀",
    "((((((((",
    "zeros(0)",
]

TYPED_KINDS = [
    "test.mini.sigmoid_grad",  # numeric
    "test.mini.softmax_grad",  # vector
    "test.mini.output_grad",  # matrix
    "test.mini.sigmoid_formula",  # formula
]


@pytest.mark.parametrize("template_id", TYPED_KINDS)
async def test_hostile_text_in_each_answer_box_is_invalid_and_nothing_is_lost(
    make_app, tui, template_id
):
    app = make_app(start=tui.study_args(template=template_id, seed=1))
    async with app.run_test(size=tui.SIZE) as pilot:
        screen = await tui.study_screen(pilot)
        for text in HOSTILE:
            box = app.focused
            assert box is not None and box.id == "answer"
            box.value = text  # as if typed or pasted: the live preview runs on each change
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running
            assert not screen.answered, text[:20]
            shown = tui.text_of(screen, "#invalid")
            assert shown and len(shown) < 400, text[:20]  # said, and a long paste is cut
        assert app.store.attempts() == []
