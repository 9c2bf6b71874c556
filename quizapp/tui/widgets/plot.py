"""The plot of an activation item: the functions over their range and the point marked.

textual-plotext (and plotext) are imported when a plot is first shown, not at start-up.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical


class ActivationPlot(Vertical):
    """Draws a ``quizapp.study.session.PlotData``."""

    def __init__(self, data: Any, title: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data = data
        self.title = title

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        yield PlotextPlot(id="plot")

    def on_mount(self) -> None:
        from textual_plotext import PlotextPlot

        plt = self.query_one(PlotextPlot).plt
        data = self.data
        xs = list(data.xs)
        for name, ys in data.series:
            plt.plot(xs, list(ys), label=name)
        if data.at is not None:
            plt.vline(data.at)
            for name, y in data.marks:
                plt.scatter([data.at], [y], marker="dot")
                plt.text(f"{name}={y:.4g}", data.at, y)
        if self.title:
            plt.title(self.title)
