"""The sections of the statistics screen: the summary, tables (by field, by topic,
misconceptions, leeches, exams) and plots, laid out from ``collect_stats`` data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static

from quizapp.i18n import t
from quizapp.progress.stats import (
    LEECH_LAPSES,
    LEECH_MAX_ACCURACY,
    LEECH_MIN_ATTEMPTS,
    bar,
    exam_score_text,
    exam_status,
    field_name,
    item_name,
    percent,
    preset_name,
    topic_name,
)


class StatsSections:
    """Builds the statistics widgets in one language: ``StatsSections(lang).build(data)``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def build(self, data: Mapping[str, Any]) -> list[Widget]:
        """The widgets of the statistics screen below its title, for ``data``."""
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
            table.add_row(item_name(e["template"], lang), percent(e["accuracy"], lang),
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
