"""What the learner sees after a valid answer: verdict, mistake, answer, worked solution.

The texts are ``ProseStatic``: Japanese line breaks, vectors kept whole, matrices as
blocks (``quizapp.tui.widgets.mathblock``)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from quizapp.i18n import t
from quizapp.tui.widgets.mathblock import ProseStatic


class FeedbackPanel(Vertical):
    """Built from a ``quizapp.study.session.FeedbackView`` (and an optional ``PlotData``)."""

    def __init__(self, view: Any, plot: Any = None, lang: str = "en") -> None:
        super().__init__(id="feedback")
        self.view = view
        self.plot = plot
        self.lang = lang

    def compose(self) -> ComposeResult:
        view = self.view
        verdict = "-correct" if view.correct else "-incorrect"
        yield Static(("✓ " if view.correct else "✗ ") + view.verdict, id="verdict",
                     classes=verdict, markup=False)
        if view.misconception:
            yield ProseStatic(view.misconception, id="misconception")
        yield ProseStatic(view.your_answer, id="your-answer")
        yield ProseStatic(view.answer, id="canonical")
        if view.cells:
            yield Static(view.cells, id="cells", markup=False)
        if view.summary or view.steps:
            yield Static(t("study.explanation", self.lang), classes="section", markup=False)
        if view.summary:
            yield ProseStatic(view.summary, id="explanation-summary")
        if view.steps:
            steps = "\n".join(f"{n}. {s}" for n, s in enumerate(view.steps, 1))
            yield ProseStatic(steps, id="explanation-steps")
        if self.plot is not None:
            from quizapp.tui.widgets.plot import ActivationPlot

            yield ActivationPlot(self.plot, id="activation-plot")
