"""Widgets of the mock exam: the question grid, the countdown and an option line.

The grid shows every item's state (answered, unanswered, flagged; after the exam:
correct, incorrect) and posts ``QuestionGrid.Selected`` when a cell is clicked. The
countdown only shows a remaining time it is given; the screen owns the clock.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.events import Click
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, Static

from quizapp.exam import clock_level, format_duration
from quizapp.i18n import t
from quizapp.tui.widgets.mathblock import ProseStatic

STATES = ("answered", "unanswered", "correct", "incorrect")

FLAG = "⚑"


class GridCell(Static):
    """One item of the grid: ``▸12⚑`` (current, number, flag), its state as a CSS class."""

    DEFAULT_CSS = """
    GridCell {
        width: 5;
        height: 1;
        background: $surface-lighten-1;
        color: $text-muted;
    }
    GridCell.-answered {
        background: $primary;
        color: $text;
    }
    GridCell.-correct {
        background: $success-darken-1;
        color: $text;
    }
    GridCell.-incorrect {
        background: $error-darken-1;
        color: $text;
    }
    GridCell.-flagged {
        color: $warning-lighten-1;
    }
    GridCell.-current {
        text-style: bold;
    }
    GridCell:hover {
        background: $accent;
    }
    """

    def __init__(self, index: int, *, id: str | None = None) -> None:
        super().__init__(self.label(index, False, False), id=id, markup=False)
        self.index = index

    @staticmethod
    def label(index: int, flagged: bool, current: bool) -> str:
        return f"{'▸' if current else ' '}{index + 1}{FLAG if flagged else ''}"

    def set_state(self, state: str, flagged: bool, current: bool) -> None:
        if getattr(self, "_shown", None) == (state, flagged, current):
            return  # unchanged: a 100-item grid redraws only what changed
        self._shown = (state, flagged, current)
        for name in STATES:
            self.set_class(name == state, f"-{name}")
        self.set_class(flagged, "-flagged")
        self.set_class(current, "-current")
        self.update(self.label(self.index, flagged, current))

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(QuestionGrid.Selected(self.index))


class LegendChip(GridCell):
    """A sample cell in the legend (same colours as the grid; clicking does nothing)."""

    DEFAULT_CSS = """
    LegendChip {
        width: 3;
        margin-right: 1;
    }
    """

    def on_click(self, event: Click) -> None:
        event.stop()


class QuestionGrid(Widget):
    """Every item of an exam as a grid of numbered cells; click one to go there."""

    DEFAULT_CSS = """
    QuestionGrid {
        height: auto;
    }
    QuestionGrid Grid {
        grid-size: 6;
        grid-gutter: 0 1;
        grid-columns: 5;
        height: auto;
    }
    """

    class Selected(Message):
        """A cell was clicked: go to item ``index`` (0-based)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, count: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.count = count
        self.cells = [GridCell(i, id=f"cell-{i}") for i in range(count)]

    def compose(self) -> ComposeResult:
        with Grid():
            yield from self.cells

    def show(
        self,
        states: Iterable[str],
        flagged: Iterable[bool],
        current: int | None,
    ) -> None:
        """Set every cell: its state ('answered', …), flag, and which one is current."""
        for cell, state, flag in zip(self.cells, states, flagged, strict=True):
            cell.set_state(state, flag, cell.index == current)


class GridLegend(Widget):
    """The key to the grid's colours, in ``lang`` (``review``: correct/incorrect)."""

    DEFAULT_CSS = """
    GridLegend {
        height: auto;
        layout: grid;
        grid-size: 2;
        grid-rows: 1;
        grid-columns: 1fr 1fr;
    }
    GridLegend > Horizontal {
        height: 1;
    }
    GridLegend Label {
        color: $text-muted;
    }
    """

    def __init__(self, lang: str, *, review: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang
        self.review = review

    def compose(self) -> ComposeResult:
        if self.review:
            entries = [
                ("correct", False, "exam-grid.legend_correct"),
                ("incorrect", False, "exam-grid.legend_incorrect"),
                ("unanswered", False, "exam-grid.legend_unanswered"),
                ("unanswered", True, "exam-grid.legend_flagged"),
            ]
        else:
            entries = [
                ("answered", False, "exam-grid.legend_answered"),
                ("unanswered", False, "exam-grid.legend_unanswered"),
                ("unanswered", True, "exam-grid.legend_flagged"),
                ("unanswered", False, "exam-grid.legend_current"),
            ]
        for state, flagged, key in entries:
            chip = LegendChip(0)
            current = key.endswith("current")
            chip.set_state(state, flagged, current)
            chip.update("▸" if current else (FLAG if flagged else ""))
            with Horizontal():
                yield chip
                yield Label(t(key, self.lang))


class Countdown(Static):
    """The time left, ``mm:ss``; warning colours from 10 minutes, danger from 1 minute."""

    DEFAULT_CSS = """
    Countdown {
        width: auto;
        min-width: 16;
        height: 1;
        padding: 0 1;
        text-style: bold;
        content-align: right middle;
        background: $panel;
    }
    Countdown.-warning {
        background: $warning;
        color: black;
    }
    Countdown.-danger {
        background: $error;
        color: white;
    }
    """

    def __init__(self, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.lang = lang
        self.level = "ok"

    def show_remaining(self, seconds: float) -> None:
        self.level = clock_level(seconds)
        self.set_class(self.level == "warning", "-warning")
        self.set_class(self.level == "danger", "-danger")
        self.update(t("exam.remaining", self.lang, time=format_duration(seconds)))


class OptionLine(ProseStatic):
    """One option of the current item: ``(n) text``; clicking chooses it."""

    DEFAULT_CSS = """
    OptionLine {
        height: auto;
        padding: 0 1;
        margin: 0 0 1 0;
        background: $boost;
    }
    OptionLine.-selected {
        background: $primary;
        color: $text;
        text-style: bold;
    }
    OptionLine.-right {
        background: $success-darken-2;
    }
    OptionLine.-wrong {
        background: $error-darken-2;
    }
    OptionLine:hover {
        background: $accent-darken-1;
    }
    """

    class Chosen(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, number: int) -> None:
        super().__init__(id=f"option-{number}")
        self.number = number

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Chosen(self.number))
