"""Text helpers shared by `quizapp stats` and the TUI screen, and ``format_stats``.

No Textual or Rich here: plain strings, widths counted in terminal columns.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from quizapp.i18n import has, t

UNKNOWN = "unknown"
"""Topic and field of a template that is no longer in the catalogue."""

REVIEW_DAYS = 30
FORECAST_DAYS = 14
LEECH_MIN_ATTEMPTS = 4
LEECH_MAX_ACCURACY = 0.6
LEECH_LAPSES = 3
MAX_LEECHES = 10
MAX_MISCONCEPTIONS = 10


# --------------------------------------------------------------------------- text helpers
# (shared by `quizapp stats` and the TUI screen)


def percent(value: float | None, lang: str) -> str:
    """0.725 → '72.5%' ('—' when there is nothing to count)."""
    if value is None:
        return "—"
    text = f"{value * 100:.1f}".removesuffix(".0")
    return f"{text}%"


def field_name(field: str, lang: str) -> str:
    """The exam field in ``lang`` (the 'unknown' field of removed templates too)."""
    if field == UNKNOWN:
        return t("stats.unknown_field", lang)
    return t(f"field.{field}", lang)


def topic_name(entry: Mapping[str, Any], lang: str) -> str:
    """A ``by_topic`` entry's title (the 'unknown' topic of removed templates too)."""
    if entry["topic"] == UNKNOWN:
        return t("stats.unknown_topic", lang)
    return str(entry.get("title") or entry["topic"])


def item_name(item_id: str, lang: str) -> str:
    """A template id as shown, a part of an item set (``ID#2``) with its part number."""
    from quizapp.packs.itemsets import split_item_id

    base, part = split_item_id(item_id)
    return t("stats.item_part", lang, id=base, part=part) if part else item_id


def preset_name(preset: str | None, lang: str) -> str:
    """An exam preset as the exam screens name it ('ミニ' / 'quick'; None is custom)."""
    key = f"stats.preset.{preset or 'custom'}"
    return t(key, lang) if has(key) else str(preset)


def exam_status(status: str, lang: str) -> str:
    return t(f"stats.exam_status.{status}", lang)


def exam_score_text(entry: Mapping[str, Any], lang: str) -> str:
    """'65%', '65% (pass)' when the exam stored a pass/fail, or 'no score'."""
    pct = entry.get("percent")
    if pct is None:
        return t("stats.no_score", lang)
    passed = entry.get("passed")
    if passed is None:
        return f"{pct:g}%"
    return t("stats.score_pass" if passed else "stats.score_fail", lang, percent=f"{pct:g}%")


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide East Asian characters count twice)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns."""
    return text + " " * max(0, columns - width(text))


_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(fraction: float | None, columns: int = 20) -> str:
    """A horizontal bar of ``fraction`` (0..1) of ``columns`` cells, in eighths."""
    if fraction is None:
        return ""
    eighths = round(max(0.0, min(1.0, fraction)) * columns * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


_SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Iterable[int]) -> str:
    """One character per value, scaled to the largest ('·' for zero)."""
    values = list(values)
    top = max(values, default=0)
    if top <= 0:
        return "·" * len(values)
    return "".join(
        "·" if v <= 0 else _SPARKS[min(7, max(0, round(v / top * 7)))] for v in values
    )


def format_stats(data: Mapping[str, Any], lang: str) -> str:
    """The human text of ``quizapp stats`` for a ``collect_stats`` dict."""
    out: list[str] = []
    add = out.append
    totals = data["totals"]
    counts = data["counts"]
    add(t("stats.title", lang, date=data["today"]))
    if not totals["attempts"]:
        add("  " + t("stats.empty", lang))
    else:
        add(
            "  "
            + t(
                "stats.totals",
                lang,
                attempts=totals["attempts"],
                correct=totals["correct"],
                accuracy=percent(totals["accuracy"], lang),
            )
            + "   "
            + t("stats.streak", lang, days=data["streak"])
        )
    add("  " + t("stats.counts", lang, **counts))
    if not totals["attempts"]:
        if data["exams"]:
            add("")
            add(t("stats.exams", lang))
            out.extend(_exam_lines(data, lang))
        return "\n".join(out)

    add("")
    add(t("stats.by_field", lang))
    names = [field_name(e["field"], lang) for e in data["by_field"]]
    name_w = max(map(width, names), default=0)
    for name, e in zip(names, data["by_field"], strict=True):
        if e["attempts"]:
            detail = f"{percent(e['accuracy'], lang):>6}  {e['correct']:>4}/{e['attempts']:<4}"
            add(f"  {pad(name, name_w)}  {detail}  {bar(e['accuracy'])}")
        else:
            add(f"  {pad(name, name_w)}  {'—':>6}  {t('stats.no_answers_aside', lang)}")

    add("")
    add(t("stats.by_topic", lang))
    topics = [e for e in data["by_topic"] if e["attempts"]]
    names = [topic_name(e, lang) for e in topics]
    name_w = max(map(width, names), default=0)
    for name, e in zip(names, topics, strict=True):
        detail = f"{percent(e['accuracy'], lang):>6}  {e['correct']:>4}/{e['attempts']:<4}"
        add(f"  {pad(name, name_w)}  {detail}  {bar(e['accuracy'])}")
    rest = [topic_name(e, lang) for e in data["by_topic"] if not e["attempts"]]
    if rest:
        add("  " + t("stats.no_answers_line", lang, names=t("list.sep", lang).join(rest)))

    reviews = data["reviews_per_day"]
    add("")
    add(t("stats.reviews", lang, days=len(reviews)))
    if reviews:
        add(f"  {reviews[0]['date'][5:]} {sparkline(e['count'] for e in reviews)} "
            f"{reviews[-1]['date'][5:]}")
        active = sum(1 for e in reviews if e["count"])
        add("  " + t("stats.reviews_total", lang, total=sum(e["count"] for e in reviews),
                     active=active))

    forecast = data["due_forecast"]
    add("")
    add(t("stats.forecast", lang, days=len(forecast)))
    if forecast:
        top = max(e["count"] for e in forecast)
        for e in forecast:
            if e["count"]:
                add(f"  {e['date'][5:]}  {e['count']:>3}  {bar(e['count'] / top, 20)}")
        add("  " + t("stats.forecast_total", lang, total=sum(e["count"] for e in forecast),
                     today=forecast[0]["count"]))

    add("")
    add(t("stats.misconceptions", lang))
    if not data["misconceptions"]:
        add("  " + t("stats.none", lang))
    for m in data["misconceptions"]:
        times = t("stats.times", lang, n=m["count"])
        add(f"  {pad(times, 6)} {m['message'] or m['tag']}")
        add(f"         ({', '.join(m['templates'])})")

    add("")
    add(
        t(
            "stats.leeches",
            lang,
            max_accuracy=percent(LEECH_MAX_ACCURACY, lang),
            min_attempts=LEECH_MIN_ATTEMPTS,
            lapses=LEECH_LAPSES,
        )
    )
    if not data["leeches"]:
        add("  " + t("stats.none", lang))
    for e in data["leeches"]:
        detail = t(
            "stats.leech_line",
            lang,
            accuracy=percent(e["accuracy"], lang),
            attempts=e["attempts"],
            correct=e["correct"],
            lapses=e["lapses"],
        )
        add("  " + t("stats.leech_entry", lang, name=item_name(e["template"], lang),
                     detail=detail))

    add("")
    add(t("stats.exams", lang))
    out.extend(_exam_lines(data, lang))
    return "\n".join(out)


def _exam_lines(data: Mapping[str, Any], lang: str) -> list[str]:
    if not data["exams"]:
        return ["  " + t("stats.none", lang)]
    lines = []
    for e in reversed(data["exams"]):
        line = f"  #{e['id']:<3} {e['date']}  {pad(preset_name(e['preset'], lang), 8)} "
        line += f"{pad(exam_status(e['status'], lang), 10)} {exam_score_text(e, lang)}"
        if e["by_field"]:
            parts = [f"{field_name(f, lang)} {v:g}%" for f, v in e["by_field"].items()]
            line += "  " + t("stats.exam_by_field", lang, parts=t("list.sep", lang).join(parts))
        lines.append(line)
    return lines
