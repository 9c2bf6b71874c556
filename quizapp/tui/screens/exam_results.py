"""After the mock exam: the results, the review of every item, and the history of exams.

Every text comes from ``quizapp.exam`` (``result_lines``, ``field_rows``, ``topic_rows``,
``ReviewEntry.lines``, ``exam_history``). textual-plotext is imported only when the
history screen draws its plot.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from quizapp.exam import (
    Exam,
    ExamError,
    ExamScore,
    exam_history,
    field_rows,
    result_lines,
    review_entries,
    topic_rows,
)
from quizapp.i18n import t
from quizapp.progress.store import StoreError
from quizapp.tui.localize import localize_bindings_from
from quizapp.tui.widgets.exam_grid import GridLegend, OptionLine, QuestionGrid

_RESULT_BINDINGS = {
    "examres.review": ("examres.review", "examres.review_tip"),
    "examres.history": ("examres.history", "examres.history_tip"),
    "examres.close": ("examres.close", "examres.close_tip"),
    "examres.close_q": ("examres.close", "examres.close_tip"),
}
_REVIEW_BINDINGS = {
    "examrev.prev": ("examres.prev", "examres.nav_tip"),
    "examrev.next": ("examres.next", "examres.nav_tip"),
    "examrev.prev_p": ("examres.prev", "examres.nav_tip"),
    "examrev.next_n": ("examres.next", "examres.nav_tip"),
    "examrev.wrong": ("examres.next_wrong", "examres.next_wrong_tip"),
    "examrev.close": ("examres.close", "examres.close_tip"),
}
_HISTORY_BINDINGS = {
    "examhist.open": ("examres.open", "examres.open_tip"),
    "examhist.close": ("examres.close", "examres.close_tip"),
    "examhist.close_q": ("examres.close", "examres.close_tip"),
}

_TITLE_CSS = """
    dock: top;
    height: 1;
    padding: 0 1;
    background: $panel;
    text-style: bold;
"""


class ExamResultsScreen(Screen[None]):
    """Score overall, by field and by topic; time used; pace; the unofficial pass line."""

    DEFAULT_CSS = f"""
    ExamResultsScreen #res-title {{
        {_TITLE_CSS}
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


class ExamReviewScreen(Screen[None]):
    """Every item after the exam: your answer, the correct one, the slip, the explanation."""

    DEFAULT_CSS = f"""
    ExamReviewScreen #rev-title {{
        {_TITLE_CSS}
    }}
    ExamReviewScreen #rev-main {{
        height: 1fr;
    }}
    ExamReviewScreen #rev-item {{
        width: 1fr;
        padding: 1 2;
    }}
    ExamReviewScreen #rev-head {{
        text-style: bold;
        margin-bottom: 1;
    }}
    ExamReviewScreen #rev-prompt, ExamReviewScreen #rev-code {{
        margin-bottom: 1;
    }}
    ExamReviewScreen #rev-code {{
        background: $boost;
        padding: 0 1;
    }}
    ExamReviewScreen #rev-options {{
        height: auto;
    }}
    ExamReviewScreen #rev-verdict {{
        margin-bottom: 1;
        height: auto;
    }}
    ExamReviewScreen #rev-explanation {{
        border-top: solid $panel-lighten-2;
        padding-top: 1;
    }}
    ExamReviewScreen #rev-side {{
        width: 42;
        padding: 1 1;
        border-left: vkey $panel-lighten-1;
    }}
    ExamReviewScreen #rev-legend {{
        margin-top: 1;
        color: $text-muted;
    }}
    """

    BINDINGS = [
        Binding("left", "move(-1)", "Previous", key_display="←", priority=True, id="examrev.prev"),
        Binding("right", "move(1)", "Next", key_display="→", priority=True, id="examrev.next"),
        Binding("p", "move(-1)", "Previous", show=False, id="examrev.prev_p"),
        Binding("n", "move(1)", "Next", show=False, id="examrev.next_n"),
        Binding("w", "next_wrong", "Next wrong", id="examrev.wrong"),
        Binding("escape,q", "close", "Close", id="examrev.close"),
    ]

    def __init__(self, exam: Exam, score: ExamScore, *, lang: str, start_at: int = 0) -> None:
        super().__init__()
        self.exam = exam
        self.score = score
        self.lang = lang
        self.entries = review_entries(exam, score)
        self.current = start_at
        localize_bindings_from(self, _REVIEW_BINDINGS, lang)

    def compose(self) -> ComposeResult:
        yield Static(t("examres.review_title", self.lang), id="rev-title")
        with Horizontal(id="rev-main"):
            with VerticalScroll(id="rev-item"):
                yield Static("", id="rev-head", markup=False)
                yield Static("", id="rev-prompt", markup=False)
                yield Static("", id="rev-code", markup=False)
                with Vertical(id="rev-options"):
                    for n in range(1, 9):
                        yield OptionLine(n)
                yield Static("", id="rev-verdict")
                yield Static("", id="rev-explanation", markup=False)
            with VerticalScroll(id="rev-side"):
                yield QuestionGrid(len(self.entries), id="rev-grid")
                yield GridLegend(self.lang, review=True, id="rev-legend")
        yield Footer()

    def on_mount(self) -> None:
        self.show_item(self.current)

    def apply_language(self, lang: str) -> None:
        self.lang = lang
        localize_bindings_from(self, _REVIEW_BINDINGS, lang)

        async def redraw() -> None:
            await self.recompose()
            self.show_item(self.current)

        self.call_later(redraw)

    def show_item(self, index: int) -> None:
        self.current = max(0, min(len(self.entries) - 1, index))
        entry = self.entries[self.current]
        q = entry.question
        lang = self.lang
        lines = entry.lines(lang)
        self.query_one("#rev-head", Static).update(
            t(
                "exam.review_header",
                lang,
                n=self.current + 1,
                total=len(self.entries),
                verdict=lines["verdict"],
            )
        )
        self.query_one("#rev-prompt", Static).update(Text(q.prompt(lang)))
        code = self.query_one("#rev-code", Static)
        code.display = bool(q.code)
        code.update(Text(q.code.rstrip("\n")) if q.code else "")
        picked = set(q.picked(entry.answer))
        for line in self.query(OptionLine):
            n = line.number
            if n <= len(q.options):
                option = q.options[n - 1]
                mark = "✓" if option.correct else ("✗" if n in picked else " ")
                line.display = True
                line.update(Text(f"{mark} ({n}) {option.text(lang)}"))
                line.set_class(option.correct, "-right")
                line.set_class(n in picked and not option.correct, "-wrong")
            else:
                line.display = False
        verdict = Text()
        style = {"correct": "bold green", "incorrect": "bold red"}.get(entry.status, "bold")
        verdict.append(lines["yours"] + "\n", style=style)
        verdict.append(lines["correct"])
        if lines["misconception"]:
            verdict.append("\n" + lines["misconception"], style="yellow")
        self.query_one("#rev-verdict", Static).update(verdict)
        explanation = lines["explanation"]
        self.query_one("#rev-explanation", Static).update(
            t("exam.explanation", lang) + "\n" + explanation if explanation else ""
        )
        states = [e.status for e in self.entries]
        self.query_one(QuestionGrid).show(states, [e.flagged for e in self.entries], self.current)
        self.query_one("#rev-item", VerticalScroll).scroll_home(animate=False)

    def action_move(self, step: int) -> None:
        self.show_item((self.current + step) % len(self.entries))

    def action_next_wrong(self) -> None:
        wrong = [i for i, e in enumerate(self.entries) if e.status != "correct"]
        if not wrong:
            self.notify(t("examres.all_right", self.lang))
            return
        later = [i for i in wrong if i > self.current]
        self.show_item(later[0] if later else wrong[0])

    @on(QuestionGrid.Selected)
    def grid_clicked(self, event: QuestionGrid.Selected) -> None:
        self.show_item(event.index)

    def action_close(self) -> None:
        self.dismiss(None)


class ExamHistoryScreen(Screen[None]):
    """Past exams: a table (enter opens one) and a plot of the score over time."""

    DEFAULT_CSS = f"""
    ExamHistoryScreen #hist-title {{
        {_TITLE_CSS}
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
