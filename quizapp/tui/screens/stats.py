"""The statistics screen: accuracy by field and topic, activity, forecast, mistakes, exams.

Everything shown comes from ``quizapp.progress.stats.collect_stats`` (computed in a worker
thread); this module only lays it out. textual-plotext is imported when the data is
rendered, not when the app starts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, tzinfo
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, LoadingIndicator, Static

from quizapp.i18n import t
from quizapp.progress.stats import (
    LEECH_LAPSES,
    LEECH_MAX_ACCURACY,
    LEECH_MIN_ATTEMPTS,
    bar,
    collect_stats,
    exam_score_text,
    exam_status,
    field_name,
    percent,
    preset_name,
    topic_name,
)
from quizapp.progress.store import StoreError

# Binding id → (description key, tooltip key): the Footer shows them in the user's language.
# (The keys follow the app's convention: ``key.<binding id>`` and ``key.<binding id>.tip``.)
_BINDING_TEXTS = {
    "stats.back": ("key.stats.back", "key.stats.back.tip"),
    "stats.back_q": ("key.stats.back", "key.stats.back.tip"),
    "stats.refresh": ("key.stats.refresh", "key.stats.refresh.tip"),
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
        self._localize_bindings()

    def _localize_bindings(self) -> None:
        for key, bindings in list(self._bindings.key_to_bindings.items()):
            localized = []
            for binding in bindings:
                texts = _BINDING_TEXTS.get(binding.id or "")
                if texts is not None:
                    binding = replace(
                        binding,
                        description=t(texts[0], self.lang),
                        tooltip=t(texts[1], self.lang),
                    )
                localized.append(binding)
            self._bindings.key_to_bindings[key] = localized

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Static(t("stats.screen_title", self.lang), id="stats-title")
        with VerticalScroll(id="stats-body"):
            yield Static(t("stats.loading", self.lang), id="stats-summary")
            yield LoadingIndicator()
        yield Footer()

    def on_mount(self) -> None:
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
        widgets = self._sections(message.data)
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

    # ----------------------------------------------------------------- sections

    def _sections(self, data: Mapping[str, Any]) -> list[Widget]:
        lang = self.lang
        widgets: list[Widget] = [Static(self._summary(data), id="stats-summary")]
        has_answers = bool(data["totals"]["attempts"])
        if has_answers:
            widgets.append(self._row(
                self._box("stats-fields", t("stats.by_field", lang), self._field_table(data)),
                self._box("stats-topics", t("stats.by_topic", lang), self._topic_table(data)),
            ))
            widgets.append(self._row(
                self._reviews_plot(data), self._forecast_plot(data), classes="plots"
            ))
            widgets.append(self._row(
                self._box("stats-mistakes", t("stats.misconceptions", lang),
                          self._mistake_table(data)),
                self._box("stats-leeches", t("stats.leeches_short", lang),
                          self._leech_table(data)),
            ))
        if has_answers or data["exams"]:
            widgets.append(self._row(
                self._box("stats-exams", t("stats.exams", lang), self._exam_table(data)),
                self._exam_plot(data),
                classes="plots" if self._scored_exams(data) else "",
            ))
        return widgets

    @staticmethod
    def _row(*children: Widget, classes: str = "") -> Horizontal:
        return Horizontal(*children, classes=f"stats-row {classes}".strip())

    @staticmethod
    def _box(widget_id: str, title: str, body: Any) -> Static:
        box = Static(body, id=widget_id, classes="stats-box")
        box.border_title = title
        return box

    def _summary(self, data: Mapping[str, Any]) -> Text:
        lang = self.lang
        totals = data["totals"]
        text = Text()
        if totals["attempts"]:
            text.append(
                t("stats.totals", lang, attempts=totals["attempts"], correct=totals["correct"],
                  accuracy=percent(totals["accuracy"], lang)),
                style="bold",
            )
            text.append("    ")
            text.append(t("stats.streak", lang, days=data["streak"]))
        else:
            text.append(t("stats.empty_tui", lang), style="bold")
        text.append("\n")
        text.append(t("stats.counts", lang, **data["counts"]))
        return text

    def _table(self, *columns: tuple[str, str], grow: int = 0) -> Table:
        """A borderless table filling its box; column ``grow`` takes the spare width and
        wraps, the others keep their natural width."""
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False,
                      header_style="bold")
        for i, (header, justify) in enumerate(columns):
            table.add_column(
                header, justify=justify,  # type: ignore[arg-type]
                overflow="fold", ratio=1 if i == grow else None, no_wrap=i != grow,
            )
        return table

    def _field_table(self, data: Mapping[str, Any]) -> Table:
        lang = self.lang
        table = self._table((t("stats.col.field", lang), "left"),
                            (t("stats.col.answers", lang), "right"),
                            (t("stats.col.accuracy", lang), "right"), ("", "left"))
        for e in data["by_field"]:
            if e["attempts"]:
                table.add_row(field_name(e["field"], lang), f"{e['correct']}/{e['attempts']}",
                              percent(e["accuracy"], lang), _bar_text(e["accuracy"]))
            else:
                table.add_row(field_name(e["field"], lang), "0", "—",
                              Text(t("stats.no_answers", lang), style="dim"))
        return table

    def _topic_table(self, data: Mapping[str, Any]) -> Table:
        lang = self.lang
        table = self._table((t("stats.col.topic", lang), "left"),
                            (t("stats.col.answers", lang), "right"),
                            (t("stats.col.accuracy", lang), "right"), ("", "left"))
        for e in data["by_topic"]:
            if e["attempts"]:
                table.add_row(topic_name(e, lang), f"{e['correct']}/{e['attempts']}",
                              percent(e["accuracy"], lang), _bar_text(e["accuracy"]))
            else:
                table.add_row(Text(topic_name(e, lang), style="dim"), "0", "—",
                              Text(t("stats.no_answers", lang), style="dim"))
        return table

    def _mistake_table(self, data: Mapping[str, Any]) -> Table | Text:
        lang = self.lang
        if not data["misconceptions"]:
            return Text(t("stats.none", lang), style="dim")
        table = self._table((t("stats.col.count", lang), "right"),
                            (t("stats.col.mistake", lang), "left"), grow=1)
        for m in data["misconceptions"]:
            what = Text()  # the learner reads the message; the raw tag only when there is none
            what.append(m["message"] or m["tag"], style="bold")
            what.append("\n" + ", ".join(m["templates"]), style="dim")
            table.add_row(t("stats.times", lang, n=m["count"]), what)
        return table

    def _leech_table(self, data: Mapping[str, Any]) -> Table | Text:
        lang = self.lang
        rule = Text(
            t("stats.leech_rule", lang, max_accuracy=percent(LEECH_MAX_ACCURACY, lang),
              min_attempts=LEECH_MIN_ATTEMPTS, lapses=LEECH_LAPSES),
            style="dim italic",
        )
        if not data["leeches"]:
            return Text.assemble((t("stats.none", lang), "dim"), "\n", rule)
        table = self._table((t("stats.col.template", lang), "left"),
                            (t("stats.col.accuracy", lang), "right"),
                            (t("stats.col.correct", lang), "right"),
                            (t("stats.col.lapses", lang), "right"))
        for e in data["leeches"]:
            table.add_row(e["template"], percent(e["accuracy"], lang),
                          f"{e['correct']}/{e['attempts']}", str(e["lapses"]))
        table.caption = rule
        table.caption_justify = "left"
        return table

    def _exam_table(self, data: Mapping[str, Any]) -> Table | Text:
        lang = self.lang
        if not data["exams"]:
            return Text(t("stats.none", lang), style="dim")
        table = self._table(("#", "right"), (t("stats.col.date", lang), "left"),
                            (t("stats.col.preset", lang), "left"),
                            (t("stats.col.status", lang), "left"),
                            (t("stats.col.score", lang), "right"), grow=4)
        for e in reversed(data["exams"]):
            score = exam_score_text(e, lang)
            if e["by_field"]:
                parts = [f"{field_name(f, lang)} {v:g}%" for f, v in e["by_field"].items()]
                score = Text.assemble(score, ("\n" + " · ".join(parts), "dim"))
            table.add_row(str(e["id"]), e["date"], preset_name(e["preset"], lang),
                          exam_status(e["status"], lang), score)
        return table

    # ----------------------------------------------------------------- plots

    @staticmethod
    def _scored_exams(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        return [e for e in data["exams"] if e["percent"] is not None]

    def _plot(self, widget_id: str, title: str) -> Any:
        from textual_plotext import PlotextPlot

        plot = PlotextPlot(id=widget_id, classes="stats-box")
        plot.border_title = title
        return plot

    def _day_bars(self, widget_id: str, title: str, days: Sequence[Mapping[str, Any]],
                  every: int, *, from_end: bool) -> Any:
        """Bars of ``{date, count}`` days; a date label every ``every`` days, today included
        (the last day when ``from_end``, else the first)."""
        plot = self._plot(widget_id, title)
        plt = plot.plt
        xs = list(range(len(days)))
        counts = [e["count"] for e in days]
        plt.bar(xs, counts, width=0.6, marker="sd")
        if from_end:
            ticks = sorted(range(len(days) - 1, -1, -every))
        else:
            ticks = list(range(0, len(days), every))
        plt.xticks(ticks, [days[i]["date"][5:] for i in ticks])
        top = max(counts, default=0)
        plt.yticks(_int_ticks(top))
        plt.ylim(0, max(top, 1))
        return plot

    def _reviews_plot(self, data: Mapping[str, Any]) -> Any:
        days = data["reviews_per_day"]
        return self._day_bars("stats-reviews", t("stats.reviews", self.lang, days=len(days)),
                              days, 7, from_end=True)

    def _forecast_plot(self, data: Mapping[str, Any]) -> Any:
        days = data["due_forecast"]
        return self._day_bars("stats-forecast", t("stats.forecast", self.lang, days=len(days)),
                              days, 3, from_end=False)

    def _exam_plot(self, data: Mapping[str, Any]) -> Widget:
        scored = self._scored_exams(data)
        title = t("stats.exam_scores", self.lang)
        if not scored:
            return self._box("stats-exam-plot", title,
                             Text(t("stats.no_exam_scores", self.lang), style="dim"))
        plot = self._plot("stats-exam-plot", title)
        plt = plot.plt
        xs = list(range(1, len(scored) + 1))
        plt.plot(xs, [e["percent"] for e in scored], marker="dot")
        plt.scatter(xs, [e["percent"] for e in scored], marker="●")
        plt.ylim(0, 100)
        plt.yticks([0, 25, 50, 75, 100])
        step = max(1, len(xs) // 5)
        ticks = xs[::step]
        plt.xticks(ticks, [scored[i - 1]["date"][5:] for i in ticks])
        plt.xlim(0.5, len(xs) + 0.5)
        return plot


def _bar_text(fraction: float | None) -> Text:
    style = "green" if (fraction or 0) >= 0.8 else "yellow" if (fraction or 0) >= 0.6 else "red"
    return Text(bar(fraction, 12), style=style)


def _int_ticks(top: int) -> list[int]:
    """A few whole-number ticks from 0 to ``top`` (plotext would pick 0.5 steps)."""
    if top <= 4:
        return list(range(top + 1)) if top else [0, 1]
    step = max(1, round(top / 4))
    return list(range(0, top + 1, step))
