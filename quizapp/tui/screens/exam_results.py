"""After the mock exam: the results (scores by field and topic), with the review of
every item (``exam_review``) and the history of exams (``exam_history``) one key away.

Every text comes from ``quizapp.exam`` (``result_lines``, ``field_rows``, ``topic_rows``).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from quizapp.exam import Exam, ExamScore, field_rows, result_lines, topic_rows
from quizapp.i18n import t
from quizapp.tui.localize import localize_bindings_from
from quizapp.tui.screens.exam_history import ExamHistoryScreen
from quizapp.tui.screens.exam_review import TITLE_CSS, ExamReviewScreen

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
        lines = result_lines(self.score, self.lang, seed=self.seed)
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
