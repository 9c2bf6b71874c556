"""The trainer's view of a study group (``quizapp stats --cohort`` on screen).

Everything shown comes from ``quizapp.progress.cohort`` (computed in a worker thread):
per field and topic how many learners answered and their accuracy, the most frequent
mistakes across the group, who is behind on reviews. Only aggregates and profile names.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from quizapp.i18n import t
from quizapp.progress.store import StoreError
from quizapp.tui.localize import localize_bindings_from
from quizapp.tui.widgets.footer import Footer

_BINDING_TEXTS = {
    "cohort.back": ("key.stats.back", "key.stats.back.tip"),
    "cohort.back_q": ("key.stats.back", "key.stats.back.tip"),
    "cohort.refresh": ("key.stats.refresh", "key.stats.refresh.tip"),
}


class CohortScreen(Screen[None]):
    """``CohortScreen(store, catalog, lang)``: the group's figures; escape or q goes back."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="cohort.back"),
        Binding("q", "back", "Back", show=False, id="cohort.back_q"),
        Binding("r", "refresh", "Refresh", id="cohort.refresh"),
    ]

    class Ready(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, store: Any, catalog: Any, lang: str) -> None:
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.lang = lang
        self.text = ""
        """The report shown (empty while computing)."""
        localize_bindings_from(self, _BINDING_TEXTS, lang)

    def compose(self) -> ComposeResult:
        yield Static(t("cohort.screen_title", self.lang), id="cohort-title")
        with VerticalScroll(id="cohort-body"):
            yield Static(t("stats.loading", self.lang), id="cohort-report", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.compute()

    @work(thread=True, exclusive=True)
    def compute(self) -> None:
        from quizapp.progress.cohort import collect_cohort, format_cohort

        try:
            data = collect_cohort(self.store, self.catalog, datetime.now(UTC), lang=self.lang)
            text = format_cohort(data, self.lang)
        except StoreError as exc:
            text = str(exc)
        self.post_message(self.Ready(text))

    def on_cohort_screen_ready(self, message: Ready) -> None:
        self.text = message.text
        self.query_one("#cohort-report", Static).update(message.text)

    def action_refresh(self) -> None:
        self.query_one("#cohort-report", Static).update(t("stats.loading", self.lang))
        self.compute()

    def action_back(self) -> None:
        self.app.pop_screen()
