"""After the mock exam: the results (scores by field and topic), the review of every
item (``exam_review``), and the history of past exams (a table and a plot of the score;
textual-plotext is imported only when the plot is drawn).

Every text comes from ``quizapp.exam`` (``result_lines``, ``field_rows``, ``topic_rows``).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from quizapp.exam import (
    Exam,
    ExamError,
    ExamScore,
    exam_history,
    field_rows,
    result_lines,
    topic_rows,
)
from quizapp.i18n import t
from quizapp.progress.store import StoreError
from quizapp.tui.localize import localize_bindings_from
from quizapp.tui.screens.exam_review import TITLE_CSS, ExamReviewScreen
from quizapp.tui.widgets.footer import Footer

__all__ = ["ExamHistoryScreen", "ExamResultsScreen", "ExamReviewScreen"]

_RESULT_BINDINGS = {
    "examres.review": ("examres.review", "examres.review_tip"),
    "examres.history": ("examres.history", "examres.history_tip"),
    "examres.close": ("examres.close", "examres.close_tip"),
    "examres.close_q": ("examres.close", "examres.close_tip"),
}


class ExamResultsScreen(Screen[None]):
    """Score overall, by field and by topic; time used; pace; the unofficial pass line."""

    DEFAULT_CSS = f"""
    ExamResultsScreen #res-title {{
        {TITLE_CSS}
    }}
    ExamResultsScreen #res-body {{
        padding: 1 2;
    }}
    ExamResultsScreen #res-summary {{
        height: auto;
        margin-bottom: 1;
    }}
    ExamResultsScreen #res-notes {{
        height: auto;
        color: $text-muted;
        margin-bottom: 1;
    }}
    ExamResultsScreen .res-box {{
        height: auto;
        margin-bottom: 1;
    }}
    ExamResultsScreen .res-box Static {{
        text-style: bold;
    }}
    ExamResultsScreen DataTable {{
        height: auto;
        width: auto;
    }}
    """

    BINDINGS = [
        Binding("r", "review", "Review", id="examres.review"),
        Binding("h", "history", "History", id="examres.history"),
        Binding("escape", "close", "Close", id="examres.close"),
        Binding("q", "close", "Close", show=False, id="examres.close_q"),
    ]

    def __init__(
        self,
        exam: Exam,
        score: ExamScore,
        *,
        lang: str,
        seed: int | None = None,
        store: Any = None,
        catalog: Any = None,
    ) -> None:
        super().__init__()
        self.exam = exam
        self.score = score
        self.lang = lang
        self.seed = seed
        self.store = store
        self.catalog = catalog
        localize_bindings_from(self, _RESULT_BINDINGS, lang)

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Static(t("examres.title", lang), id="res-title")
        with VerticalScroll(id="res-body"):
            yield Static(self._summary(), id="res-summary")
            if self.exam.notes:
                yield Static(
                    "\n".join(n.text(lang) for n in self.exam.notes), id="res-notes", markup=False
                )
            with Vertical(classes="res-box"):
                yield Static(t("examres.by_field", lang))
                yield DataTable(id="res-fields", cursor_type="none", zebra_stripes=True)
            with Vertical(classes="res-box"):
                yield Static(t("examres.by_topic", lang))
                yield DataTable(id="res-topics", cursor_type="none", zebra_stripes=True)
        yield Footer()

    def _summary(self) -> Text:
        lines = result_lines(self.score, self.lang, seed=self.seed, spec=self.exam.spec)
        text = Text()
        text.append(lines[0] + "\n", style="bold")
        text.append(lines[1] + "\n", style="bold green" if self.score.passed else "bold red")
        text.append("\n".join(lines[2:]))
        return text

    def on_mount(self) -> None:
        self._fill()

    def apply_language(self, lang: str) -> None:
        self.lang = lang
        localize_bindings_from(self, _RESULT_BINDINGS, lang)

        async def redraw() -> None:
            await self.recompose()
            self._fill()

        self.call_later(redraw)

    def _fill(self) -> None:
        lang = self.lang
        fields = self.query_one("#res-fields", DataTable)
        fields.add_columns(
            t("exam.col.field", lang), t("exam.col.score", lang), t("exam.col.percent", lang)
        )
        for row in field_rows(self.score, lang):
            fields.add_row(*row)
        topics = self.query_one("#res-topics", DataTable)
        topics.add_columns(
            t("exam.col.field", lang),
            t("exam.col.topic", lang),
            t("exam.col.score", lang),
            t("exam.col.percent", lang),
        )
        for row in topic_rows(self.score, self.exam, lang):
            topics.add_row(*row)

    def action_review(self) -> None:
        self.app.push_screen(ExamReviewScreen(self.exam, self.score, lang=self.lang))

    def action_history(self) -> None:
        if self.store is not None:
            self.app.push_screen(ExamHistoryScreen(self.store, self.lang, catalog=self.catalog))

    def action_close(self) -> None:
        self.dismiss(None)


_HISTORY_BINDINGS = {
    "examhist.open": ("examres.open", "examres.open_tip"),
    "examhist.close": ("examres.close", "examres.close_tip"),
    "examhist.close_q": ("examres.close", "examres.close_tip"),
}


class ExamHistoryScreen(Screen[None]):
    """Past exams: a table (enter opens one) and a plot of the score over time."""

    DEFAULT_CSS = f"""
    ExamHistoryScreen #hist-title {{
        {TITLE_CSS}
    }}
    ExamHistoryScreen #hist-body {{
        padding: 1 2;
    }}
    ExamHistoryScreen DataTable {{
        height: auto;
        max-height: 14;
        margin-bottom: 1;
    }}
    ExamHistoryScreen #hist-plot {{
        height: 16;
    }}
    ExamHistoryScreen #hist-empty {{
        color: $text-muted;
    }}
    """

    BINDINGS = [
        Binding("enter", "open", "Open results", id="examhist.open"),
        Binding("escape", "close", "Close", id="examhist.close"),
        Binding("q", "close", "Close", show=False, id="examhist.close_q"),
    ]

    def __init__(self, store: Any, lang: str, *, catalog: Any = None) -> None:
        super().__init__()
        self.store = store
        self.lang = lang
        self.catalog = catalog
        self.error: str | None = None
        try:
            self.history = exam_history(store)
        except StoreError as exc:
            self.history = []
            self.error = exc.text(lang)
        localize_bindings_from(self, _HISTORY_BINDINGS, lang)

    def compose(self) -> ComposeResult:
        yield Static(t("examres.history_title", self.lang), id="hist-title")
        with Vertical(id="hist-body"):
            if not self.history:
                yield Static(self.error or t("exam.history_empty", self.lang), id="hist-empty")
            else:
                yield DataTable(id="hist-table", cursor_type="row", zebra_stripes=True)
                if len(self.history) >= 1:
                    from textual_plotext import PlotextPlot

                    yield PlotextPlot(id="hist-plot")
        yield Footer()

    def on_mount(self) -> None:
        self._fill()

    def apply_language(self, lang: str) -> None:
        self.lang = lang
        localize_bindings_from(self, _HISTORY_BINDINGS, lang)

        async def redraw() -> None:
            await self.recompose()
            self._fill()

        self.call_later(redraw)

    def _fill(self) -> None:
        if not self.history:
            return
        lang = self.lang
        table = self.query_one("#hist-table", DataTable)
        table.add_columns(
            t("exam.col.date", lang),
            t("exam.col.preset", lang),
            t("exam.col.items", lang),
            t("exam.col.score", lang),
            t("exam.col.time", lang),
            t("exam.col.result", lang),
        )
        for summary in reversed(self.history):  # newest first
            table.add_row(*summary.row(lang), key=str(summary.id))
        table.focus()
        self._plot()

    def _plot(self) -> None:
        from textual_plotext import PlotextPlot

        widget = self.query_one("#hist-plot", PlotextPlot)
        plt = widget.plt
        xs = list(range(1, len(self.history) + 1))
        ys = [round(h.fraction * 100, 1) for h in self.history]
        plt.clear_data()
        plt.title(t("exam.history_plot_title", self.lang))
        plt.xlabel(t("exam.history_x", self.lang))
        plt.ylim(0, 100)
        plt.plot(xs, ys, marker="braille")
        plt.scatter(xs, ys)
        # the pass line of the newest exam (unofficial)
        try:
            record = self.store.exam(self.history[-1].id)
            threshold = float(record.score.get("threshold", 0.65)) * 100 if record else 65.0
        except (StoreError, AttributeError, TypeError, ValueError):
            threshold = 65.0
        plt.hline(threshold, "red")
        if len(xs) == 1:
            plt.xlim(0, 2)
        plt.xticks(xs)
        widget.refresh()

    @on(DataTable.RowSelected, "#hist-table")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_exam(int(str(event.row_key.value)))

    def action_open(self) -> None:
        if not self.history:
            return
        table = self.query_one("#hist-table", DataTable)
        try:
            row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:  # no row under the cursor
            return
        self.open_exam(int(str(row_key.value)))

    def open_exam(self, exam_id: int) -> None:
        """Show the results (and review) of a finished exam."""
        if self.catalog is None:
            return
        try:
            record = self.store.exam(exam_id)
            exam = Exam.from_config(self.catalog, record.config, record.seed)
            score = ExamScore.from_json(record.score)
        except ExamError as exc:
            self.notify(
                t("examres.cannot_open", self.lang, error=exc.text(self.lang)), severity="error"
            )
            return
        except (StoreError, KeyError, TypeError, ValueError, AttributeError) as exc:
            error = exc.text(self.lang) if isinstance(exc, StoreError) else str(exc)
            self.notify(t("examres.cannot_open", self.lang, error=error), severity="error")
            return
        self.app.push_screen(
            ExamResultsScreen(
                exam, score, lang=self.lang, seed=record.seed, store=None, catalog=self.catalog
            )
        )

    def action_close(self) -> None:
        self.dismiss(None)
