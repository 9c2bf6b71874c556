"""Answer boxes: one line for numbers and formulas; vectors and matrices show how they read.

Enter submits (``Input.Submitted`` bubbles to the screen). While the box has focus it
takes every printable key, so the study screen's own keys are ctrl- and function keys.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static


class AnswerInput(Input):
    """The answer box (id ``answer``): the learner types, Enter submits."""

    def __init__(self, placeholder: str = "", **kwargs: Any) -> None:
        super().__init__(placeholder=placeholder, id="answer", select_on_focus=False, **kwargs)


class MatrixField(Vertical):
    """A vector/matrix answer: `1 2; 3 4` or `[[1, 2], [3, 4]]`, with a live
    "read as 2×3" line under the box so a shape slip shows before Enter."""

    def __init__(self, problem: Any, lang: str, placeholder: str = "") -> None:
        super().__init__(id="matrix-field")
        self.problem = problem
        self.lang = lang
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield AnswerInput(self._placeholder)
        yield Static("", id="matrix-preview", markup=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        from quizapp.study.session import read_preview

        self.query_one("#matrix-preview", Static).update(
            read_preview(self.problem, event.value, self.lang)
        )
