"""The trainer's view: aggregates over every profile of one database (``stats --cohort``).

Only aggregate numbers and profile names leave this module: per topic and field, how many
learners answered and their pooled accuracy; the most frequent misconceptions across the
group; who has reviews due. ``collect_cohort`` returns a JSON-ready dict (the TUI can render
it); ``format_cohort`` the text ``quizapp stats --cohort`` prints.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from quizapp.i18n import t
from quizapp.progress.stats_text import UNKNOWN, field_name, percent
from quizapp.progress.store import Store

MAX_MISCONCEPTIONS = 10
OVERDUE = timedelta(days=1)


def _group() -> dict[str, Any]:
    return {"learners": set(), "attempts": 0, "correct": 0}


def _rows(groups: Mapping[str, dict[str, Any]], titles: Mapping[str, str]) -> list[dict]:
    rows = []
    for key, g in groups.items():
        rows.append({
            "id": key,
            "title": titles.get(key, key),
            "learners": len(g["learners"]),
            "attempts": g["attempts"],
            "correct": g["correct"],
            "accuracy": round(g["correct"] / g["attempts"], 4) if g["attempts"] else None,
        })
    rows.sort(key=lambda r: (-r["learners"], r["accuracy"] or 0, r["id"]))
    return rows


def collect_cohort(store: Store, catalog: Any, now: datetime, lang: str = "en") -> dict:
    """Aggregates of every profile in ``store``'s database at ``now`` (see the module)."""
    from quizapp.i18n import text_in

    templates = getattr(catalog, "templates", {}) or {}
    titles: dict[str, str] = {}
    for loaded in getattr(catalog, "packs", ()) or ():
        for topic_id, topic in loaded.pack.topics.items():
            titles.setdefault(topic_id, text_in(topic.title, lang))
    by_topic: dict[str, dict[str, Any]] = defaultdict(_group)
    by_field: dict[str, dict[str, Any]] = defaultdict(_group)
    learners: set[str] = set()
    attempts = 0
    for profile, template_id, n, correct in store.cohort_attempts():
        ref = templates.get(template_id)
        topic = ref.template.topic if ref is not None else UNKNOWN
        field = ref.template.field if ref is not None else UNKNOWN
        for group in (by_topic[topic], by_field[field]):
            group["learners"].add(profile)
            group["attempts"] += n
            group["correct"] += correct
        learners.add(profile)
        attempts += n
    field_titles = {f: field_name(f, lang) for f in by_field}
    behind = [
        {"profile": p, "due": due, "overdue": late}
        for p, due, late in store.cohort_due(now, now - OVERDUE)
    ]
    return {
        "generated_at": now.isoformat(),
        "learners": len(learners | {b["profile"] for b in behind}),
        "profiles": store.profiles(),
        "attempts": attempts,
        "by_field": _rows(by_field, field_titles),
        "by_topic": _rows(by_topic, titles),
        "misconceptions": [
            {"template": tid, "tag": tag, "message": misconception_message(catalog, tid, tag,
                                                                           lang),
             "count": n, "learners": k}
            for tid, tag, n, k in store.cohort_misconceptions(MAX_MISCONCEPTIONS)
        ],
        "behind": behind,
    }


def misconception_message(catalog: Any, template_id: str, tag: str, lang: str) -> str:
    """What a misconception says (its message in the pack, fields shown as '…'), else its
    tag."""
    from quizapp.progress.stats import TemplateInfo

    return TemplateInfo(catalog, template_id).message(tag, None, lang) or tag


def format_cohort(data: Mapping[str, Any], lang: str) -> str:
    """The text of ``quizapp stats --cohort``."""
    lines = [t("cohort.title", lang, learners=data["learners"], attempts=data["attempts"])]
    if not data["attempts"] and not data["behind"]:
        lines.append("  " + t("cohort.empty", lang))
        return "\n".join(lines)
    for key, rows in (("cohort.by_field", data["by_field"]),
                      ("cohort.by_topic", data["by_topic"])):
        lines += ["", t(key, lang)]
        for r in rows:
            lines.append("  " + t("cohort.row", lang, name=r["title"], learners=r["learners"],
                                  attempts=r["attempts"],
                                  accuracy=percent(r["accuracy"], lang)))
    if data["misconceptions"]:
        lines += ["", t("cohort.misconceptions", lang)]
        for m in data["misconceptions"]:
            lines.append("  " + t("cohort.misconception_row", lang, template=m["template"],
                                  message=m["message"], count=m["count"],
                                  learners=m["learners"]))
    lines += ["", t("cohort.behind", lang)]
    if not data["behind"]:
        lines.append("  " + t("cohort.nobody_behind", lang))
    for b in data["behind"]:
        lines.append("  " + t("cohort.behind_row", lang, profile=b["profile"], due=b["due"],
                              overdue=b["overdue"]))
    return "\n".join(lines)
