"""What the learner sees after a valid answer: verdict, mistake, answer, worked solution."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from quizapp.i18n import t


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
            yield Static(view.misconception, id="misconception", markup=False)
        yield Static(view.your_answer, id="your-answer", markup=False)
        yield Static(view.answer, id="canonical", markup=False)
        if view.cells:
            yield Static(view.cells, id="cells", markup=False)
        if view.summary or view.steps:
            yield Static(t("study.explanation", self.lang), classes="section", markup=False)
        if view.summary:
            yield Static(view.summary, id="explanation-summary", markup=False)
        if view.steps:
            steps = "\n".join(f"{n}. {s}" for n, s in enumerate(view.steps, 1))
            yield Static(steps, id="explanation-steps", markup=False)
        if self.plot is not None:
            from quizapp.tui.widgets.plot import ActivationPlot

            yield ActivationPlot(self.plot, id="activation-plot")
