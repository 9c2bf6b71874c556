"""The end of a session: score, time, topics, and the mistakes with what went wrong."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from quizapp.i18n import t
from quizapp.tui.localize import localize_bindings
from quizapp.tui.widgets.footer import Footer
from quizapp.tui.widgets.mathblock import Prose


class SummaryScreen(Screen[None]):
    """Shows ``session.summary(lang)``; Enter or Escape goes back home."""

    DEFAULT_CSS = """
    #summary-body {
        padding: 1 2;
    }
    #summary-title {
        text-style: bold;
        margin-bottom: 1;
    }
    #summary-score {
        margin-bottom: 1;
    }
    #summary-topics, #summary-mistakes {
        margin-bottom: 1;
        height: auto;
    }
    """

    BINDINGS = [
        Binding("escape", "home", "Home", id="summary.home"),
        Binding("enter", "home", "Home", id="summary.home_enter", show=False),
    ]

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session
        localize_bindings(self, self.app.lang)

    @property
    def lang(self) -> str:
        return self.app.lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary-body"):
            yield Static(id="summary-title", markup=False)
            yield Static(id="summary-score", markup=False)
            yield Static(id="summary-topics")
            yield Static(id="summary-mistakes")
            yield Button(id="btn-home")
        yield Footer()

    def on_mount(self) -> None:
        self._render_texts()
        self.query_one("#btn-home", Button).focus()

    def apply_language(self, lang: str) -> None:
        localize_bindings(self, lang)
        if self.is_mounted:
            self._render_texts()

    def _render_texts(self) -> None:
        lang = self.lang
        summary = self.session.summary(lang)
        self.query_one("#summary-title", Static).update(
            f"{t('summary.title', lang)} · {t('summary.mode.' + summary.mode, lang)} · "
            f"{summary.scope}"
        )
        lines = [summary.score_text(), summary.time_text(), *summary.skipped]
        self.query_one("#summary-score", Static).update("\n".join(lines))
        topics = Table(title=t("summary.topics", lang), title_justify="left", expand=False)
        topics.add_column(t("summary.topic", lang))
        topics.add_column(t("summary.result", lang), justify="right")
        for score in summary.topics:
            topics.add_row(Text(score.title), f"{score.correct} / {score.answered}")
        self.query_one("#summary-topics", Static).update(topics)
        parts: list[Any] = [Text(t("summary.mistakes", lang), style="bold")]
        if not summary.mistakes:
            parts.append(Text(t("summary.no_mistakes", lang)))
        for n, m in enumerate(summary.mistakes, 1):
            # laid out like the study screen's prompt: matrices as blocks, Japanese breaks
            parts.append(Prose(m.prompt, prefix=f"{n}. ", end="\n"))
            hang = " " * cell_len(f"{n}. ")
            parts.append(Prose(m.your_answer, prefix=hang, end="\n"))
            parts.append(Prose(m.answer, "bold", prefix=hang, end="\n"))
            if m.message:
                parts.append(Prose(m.message, "italic", prefix=hang, end="\n"))
            again = t("summary.again", lang, id=m.template_id, seed=m.seed)
            parts.append(Prose(again, "dim", prefix=hang, end="\n"))
            parts.append(Text(""))
        self.query_one("#summary-mistakes", Static).update(Group(*parts))
        self.query_one("#btn-home", Button).label = t("summary.btn.home", lang)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_home()

    def action_home(self) -> None:
        self.dismiss()
