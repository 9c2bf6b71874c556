"""The statistics screen: accuracy by field and topic, activity, forecast, mistakes, exams.

Everything shown comes from ``quizapp.progress.stats.collect_stats`` (computed in a worker
thread); this module only lays it out. textual-plotext is imported when the data is
rendered, not when the app starts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static

from quizapp.i18n import t
from quizapp.progress.stats import (
    collect_stats,
)
from quizapp.progress.store import StoreError
from quizapp.tui.localize import localize_bindings_from
from quizapp.tui.screens.stats_sections import StatsSections
from quizapp.tui.widgets.footer import Footer

# Binding id → (description key, tooltip key): the Footer shows them in the user's language.
# (The keys follow the app's convention: ``key.<binding id>`` and ``key.<binding id>.tip``.)
_BINDING_TEXTS = {
    "stats.back": ("key.stats.back", "key.stats.back.tip"),
    "stats.back_q": ("key.stats.back", "key.stats.back.tip"),
    "stats.refresh": ("key.stats.refresh", "key.stats.refresh.tip"),
    "stats.cohort": ("key.stats.cohort", "key.stats.cohort.tip"),
}


class StatsScreen(Screen[None]):
    """Progress statistics. ``StatsScreen(store, catalog, lang)``; escape or q goes back.

    ``clock`` (an aware datetime factory) and ``tz`` (the zone whose days are counted)
    default to the app's ``scheduler.now`` and ``tz`` when it has them (else the system
    clock and the system's local zone).
    """

    DEFAULT_CSS = """
    StatsScreen #stats-title {
        dock: top;
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
        text-style: bold;
    }
    StatsScreen #stats-body {
        padding: 0 1;
    }
    StatsScreen #stats-summary {
        padding: 1 1 0 1;
        height: auto;
    }
    StatsScreen .stats-row {
        height: auto;
    }
    StatsScreen .stats-row.plots {
        height: 14;
    }
    StatsScreen .stats-box {
        width: 1fr;
        height: auto;
        border: round $primary 50%;
        border-title-color: $text;
        padding: 0 1;
    }
    StatsScreen .stats-row.plots > .stats-box {
        height: 14;
        padding: 0;
    }
    StatsScreen.-narrow .stats-row {
        layout: vertical;
    }
    StatsScreen.-narrow .stats-row.plots {
        height: auto;
    }
    StatsScreen #stats-store-problem {
        color: $warning;
        padding: 1 1 0 1;
    }
    StatsScreen #stats-error {
        color: $error;
        padding: 1 2;
    }
    StatsScreen LoadingIndicator {
        height: 5;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="stats.back", tooltip="Go back"),
        Binding("q", "back", "Back", show=False, id="stats.back_q"),
        Binding("r", "refresh", "Refresh", id="stats.refresh", tooltip="Compute again"),
        Binding("g", "cohort", "Group", id="stats.cohort", tooltip="The study group's figures"),
    ]

    class Loaded(Message):
        """The worker computed the statistics."""

        def __init__(self, data: dict[str, Any]) -> None:
            super().__init__()
            self.data = data

    class Failed(Message):
        """The worker could not compute the statistics (the text says why)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(
        self,
        store: Any,
        catalog: Any,
        lang: str,
        *,
        clock: Callable[[], datetime] | None = None,
        tz: tzinfo | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.store = store
        self.catalog = catalog
        self.lang = lang
        self.tz = tz
        self._clock = clock
        self.data: dict[str, Any] | None = None
        """The last ``collect_stats`` result shown (None while computing)."""
        localize_bindings_from(self, _BINDING_TEXTS, lang)

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Static(t("stats.screen_title", self.lang), id="stats-title")
        with VerticalScroll(id="stats-body"):
            yield Static(t("stats.loading", self.lang), id="stats-summary")
            yield LoadingIndicator()
        yield Footer()

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < self.NARROW, "-narrow")
        self.compute()

    def _now(self) -> datetime:
        clock = self._clock
        if clock is None:
            scheduler = getattr(self.app, "scheduler", None)
            clock = getattr(scheduler, "now", None)
        if clock is None:
            return datetime.now(UTC)
        return clock()

    # ----------------------------------------------------------------- work

    def compute(self) -> None:
        """Start computing the statistics (the clock and zone are read here, on the UI
        thread; the work runs in a thread)."""
        try:
            now = self._now()
        except StoreError as exc:  # the app's store failed while making its scheduler
            self.post_message(self.Failed(exc.text(self.lang)))
            return
        except Exception as exc:
            self.post_message(self.Failed(f"{type(exc).__name__}: {exc}"))
            return
        tz = self.tz if self.tz is not None else getattr(self.app, "tz", None)
        self._compute(now, tz)

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def _compute(self, now: datetime, tz: tzinfo | None) -> None:
        """Compute the statistics off the UI thread and post the result."""
        try:
            data = collect_stats(self.store, self.catalog, now, tz, lang=self.lang)
        except StoreError as exc:
            self.post_message(self.Failed(exc.text(self.lang)))
        except Exception as exc:  # never a traceback for the user
            self.post_message(self.Failed(f"{type(exc).__name__}: {exc}"))
        else:
            self.post_message(self.Loaded(data))

    async def on_stats_screen_loaded(self, message: StatsScreen.Loaded) -> None:
        self.data = message.data
        body = self.query_one("#stats-body", VerticalScroll)
        await body.remove_children()
        widgets = StatsSections(self.lang).build(message.data)
        problem = getattr(self.app, "store_problem", None)
        if isinstance(problem, str) and problem:  # the app runs on a temporary store
            widgets.insert(0, Static(problem, id="stats-store-problem", markup=False))
        await body.mount_all(widgets)

    async def on_stats_screen_failed(self, message: StatsScreen.Failed) -> None:
        body = self.query_one("#stats-body", VerticalScroll)
        await body.remove_children()
        await body.mount(Static(t("stats.failed", self.lang, error=message.text),
                                id="stats-error", markup=False))

    # ----------------------------------------------------------------- actions

    async def action_refresh(self) -> None:
        self.data = None
        body = self.query_one("#stats-body", VerticalScroll)
        await body.remove_children()
        await body.mount_all([
            Static(t("stats.loading", self.lang), id="stats-summary"),
            LoadingIndicator(),
        ])
        self.compute()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1 and self.app.screen is self:
            self.dismiss()

    def action_cohort(self) -> None:
        opener = getattr(self.app, "open_cohort", None)
        if opener is not None:
            opener()

    NARROW = 100
    """Below this many columns the paired tables are stacked, so that names keep a line."""

    def on_resize(self, event: Any) -> None:
        self.set_class(event.size.width < self.NARROW, "-narrow")
