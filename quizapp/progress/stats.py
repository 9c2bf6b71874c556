"""Statistics of the user's progress, for the statistics screen and `quizapp stats`.

``collect_stats(store, catalog, now)`` gathers everything the statistics screen and
``quizapp stats`` show into one JSON-ready dict (see its docstring for the keys); its
exams come from ``stats_exams``. ``format_stats(data, lang)`` (in ``stats_text``) turns
that dict into the text ``quizapp stats`` prints; the commands themselves are in
``commands``. No Textual or Rich here: the TUI screen renders the same dict.

Definitions (documented here, shown to the user by the screen and the command):

- *accuracy*: correct attempts / attempts, over every mode (study, cram, exam).
- *lapse*: a wrong answer to a template whose previous answer was right (the user knew it
  and forgot it).
- *leech* (苦手): a template with at least ``LEECH_LAPSES`` lapses, or with at least
  ``LEECH_MIN_ATTEMPTS`` attempts and an accuracy below ``LEECH_MAX_ACCURACY``; the
  worst first.
- Templates that are no longer in the catalogue (a removed pack) keep their attempts,
  counted under their id with the topic and field ``"unknown"``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, tzinfo
from typing import Any

from quizapp.packs.fields import FIELDS
from quizapp.progress.records import _local_date
from quizapp.progress.stats_exams import exam_entry
from quizapp.progress.stats_text import (  # noqa: F401  (re-exported for the screen)
    FORECAST_DAYS,
    LEECH_LAPSES,
    LEECH_MAX_ACCURACY,
    LEECH_MIN_ATTEMPTS,
    MAX_LEECHES,
    MAX_MISCONCEPTIONS,
    REVIEW_DAYS,
    UNKNOWN,
    bar,
    exam_score_text,
    exam_status,
    field_name,
    format_stats,
    item_name,
    pad,
    percent,
    preset_name,
    sparkline,
    topic_name,
    width,
)
from quizapp.progress.store import Store

# --------------------------------------------------------------------------- collecting


def _ratio(correct: int, attempts: int) -> float | None:
    return round(correct / attempts, 4) if attempts else None


def _tz_name(now: datetime, tz: tzinfo | None) -> str:
    local = now.astimezone(tz) if tz is not None else now.astimezone()
    return local.tzname() or str(local.utcoffset())


class TemplateInfo:
    """What the catalogue says about one template id (or 'unknown' when it is gone)."""

    __slots__ = ("ref", "topic", "field", "pack", "messages")

    def __init__(self, catalog: Any, template_id: str) -> None:
        if catalog is not None and template_id not in catalog.templates:
            from quizapp.packs.itemsets import split_item_id

            template_id = split_item_id(template_id)[0]  # `ID#n`: a part of an item set
        ref = catalog.templates.get(template_id) if catalog is not None else None
        self.ref = ref
        self.messages: dict[str, Any] = {}
        """Misconception tag → its message (a Text: fields are filled per problem)."""
        if ref is None:
            self.topic, self.field, self.pack = UNKNOWN, UNKNOWN, None
            return
        template = ref.template
        self.topic, self.field, self.pack = template.topic, template.field, ref.pack.id
        for own in [template, *template.parts]:  # an item set: its parts' mistakes
            for m in own.misconceptions:
                self.messages.setdefault(m.tag, m.message)
            for option in own.answer.options or ():
                if option.tag and option.message is not None:
                    self.messages.setdefault(option.tag, option.message)

    def message(self, tag: str, seed: int | None, lang: str) -> str:
        """The message of ``tag`` in ``lang``; ``{…}`` fields filled from the problem of
        ``seed`` (the last time the user made this mistake), or shown as '…'."""
        from quizapp.i18n import text_in

        raw = self.messages.get(tag)
        text = text_in(raw, lang)
        if "{" not in text or self.ref is None:
            return text
        if seed is not None:
            try:
                from quizapp.packs.generation import generate

                problem = generate(self.ref.template, seed, pack_id=self.ref.pack.id,
                                   pack_version=str(self.ref.pack.version))
                filled = problem.text(raw, lang)
                if "{" not in filled:
                    return filled
            except Exception:  # a template that no longer builds: show the bare text
                pass
        return _FIELD.sub("…", text)


_FIELD = re.compile(r"\{[^{}]*\}")


def _topic_titles(catalog: Any, lang: str) -> dict[str, str]:
    """Topic id → its title in ``lang`` (the first pack that declares it)."""
    from quizapp.i18n import text_in

    titles: dict[str, str] = {}
    for loaded in getattr(catalog, "packs", ()) or ():
        for topic_id, topic in loaded.pack.topics.items():
            titles.setdefault(topic_id, text_in(topic.title, lang))
    return titles


def collect_stats(
    store: Store,
    catalog: Any,
    now: datetime,
    tz: tzinfo | None = None,
    *,
    lang: str = "en",
) -> dict[str, Any]:
    """Everything the statistics views show, as one JSON-ready dict.

    ``now`` must be timezone-aware; ``tz`` is the zone whose calendar days are counted
    (None: the system's local zone); ``lang`` picks the language of misconception
    messages and topic titles. Keys:

    - ``generated_at``, ``today`` (local date), ``timezone``
    - ``totals``: ``attempts``, ``correct``, ``accuracy`` (0..1 or None),
      ``templates_seen``, ``seconds``, ``by_mode`` ({mode: attempts})
    - ``by_field``: the five exam fields in syllabus order (then ``unknown`` if any),
      each ``{field, attempts, correct, accuracy}``
    - ``by_topic``: ``{topic, title, field, attempts, correct, accuracy, templates}``,
      topics with answers first (by field, then topic), then untouched catalogue topics
    - ``reviews_per_day``: ``REVIEW_DAYS`` entries ``{date, count}``, oldest first
    - ``due_forecast``: ``FORECAST_DAYS`` entries ``{date, count}`` from today (overdue
      cards count on today); only templates in the catalogue
    - ``streak``: consecutive days with an answer, ending today or yesterday
    - ``counts``: ``due``, ``new``, ``mastered``, ``total`` over the catalogue
    - ``misconceptions``: ``{tag, count, message, templates}``, most frequent first
    - ``leeches``: ``{template, topic, field, attempts, correct, accuracy, lapses,
      last_answered_at}``, worst first (see the module docstring)
    - ``exams``: oldest first, ``{id, date, started_at, finished_at, preset, status,
      items, answered, elapsed_seconds, percent (0..100 or None), passed (the exam's own
      unofficial pass line: true/false, None when not stored), by_field ({field: percent}),
      score (as stored)}``
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    today = _local_date(now, tz)
    catalog_ids = list(catalog.templates) if catalog is not None else []

    infos: dict[str, TemplateInfo] = {}

    def info(template_id: str) -> TemplateInfo:
        found = infos.get(template_id)
        if found is None:
            found = infos[template_id] = TemplateInfo(catalog, template_id)
        return found

    # One pass over the attempts: per template, per mode, misconceptions and lapses.
    attempts_n: Counter[str] = Counter()
    correct_n: Counter[str] = Counter()
    lapses: Counter[str] = Counter()
    last_at: dict[str, datetime] = {}
    last_correct: dict[str, bool] = {}
    by_mode: Counter[str] = Counter()
    seconds = 0.0
    mis_count: Counter[str] = Counter()
    mis_templates: dict[str, Counter[str]] = defaultdict(Counter)
    mis_seed: dict[tuple[str, str], int] = {}  # the last seed of each (tag, template)
    for attempt in store.attempts():
        tid = attempt.template_id
        attempts_n[tid] += 1
        by_mode[attempt.mode] += 1
        seconds += attempt.seconds
        if attempt.correct:
            correct_n[tid] += 1
        elif last_correct.get(tid):
            lapses[tid] += 1
        last_correct[tid] = attempt.correct
        last_at[tid] = attempt.answered_at
        if attempt.misconception and not attempt.correct:
            mis_count[attempt.misconception] += 1
            mis_templates[attempt.misconception][tid] += 1
            mis_seed[(attempt.misconception, tid)] = attempt.seed

    total_attempts = sum(attempts_n.values())
    total_correct = sum(correct_n.values())

    # By field and by topic.
    field_acc: dict[str, list[int]] = {f: [0, 0] for f in FIELDS}
    topic_acc: dict[str, dict[str, Any]] = {}
    for tid, n in attempts_n.items():
        i = info(tid)
        field_acc.setdefault(i.field, [0, 0])
        field_acc[i.field][0] += n
        field_acc[i.field][1] += correct_n[tid]
        entry = topic_acc.setdefault(
            i.topic, {"field": i.field, "attempts": 0, "correct": 0, "templates": set()}
        )
        entry["attempts"] += n
        entry["correct"] += correct_n[tid]
        entry["templates"].add(tid)
    by_field = [
        {"field": f, "attempts": a, "correct": c, "accuracy": _ratio(c, a)}
        for f, (a, c) in field_acc.items()
        if f in FIELDS or a
    ]
    titles = _topic_titles(catalog, lang)
    field_order = {f: n for n, f in enumerate((*FIELDS, UNKNOWN))}
    by_topic = [
        {
            "topic": topic,
            "title": titles.get(topic, topic),
            "field": e["field"],
            "attempts": e["attempts"],
            "correct": e["correct"],
            "accuracy": _ratio(e["correct"], e["attempts"]),
            "templates": len(e["templates"]),
        }
        for topic, e in sorted(
            topic_acc.items(),
            key=lambda kv: (kv[0] == UNKNOWN, field_order.get(kv[1]["field"], 9), kv[0]),
        )
    ]
    untouched: dict[str, dict[str, Any]] = {}
    for tid in catalog_ids:
        i = info(tid)
        if i.topic in topic_acc:
            continue
        e = untouched.setdefault(i.topic, {"field": i.field, "templates": 0})
        e["templates"] += 1
    for topic, e in sorted(
        untouched.items(), key=lambda kv: (field_order.get(kv[1]["field"], 9), kv[0])
    ):
        by_topic.append(
            {
                "topic": topic,
                "title": titles.get(topic, topic),
                "field": e["field"],
                "attempts": 0,
                "correct": 0,
                "accuracy": None,
                "templates": e["templates"],
            }
        )

    # Misconceptions the user keeps making.
    misconceptions = []
    for tag, count in sorted(mis_count.items(), key=lambda kv: (-kv[1], kv[0])):
        templates = [tid for tid, _ in sorted(
            mis_templates[tag].items(), key=lambda kv: (-kv[1], kv[0])
        )]
        source = next((tid for tid in templates if tag in info(tid).messages), None)
        message = "" if source is None else info(source).message(
            tag, mis_seed.get((tag, source)), lang
        )
        misconceptions.append(
            {"tag": tag, "count": count, "message": message, "templates": templates}
        )

    # Leeches.
    leeches = []
    for tid, n in attempts_n.items():
        accuracy = correct_n[tid] / n
        if lapses[tid] >= LEECH_LAPSES or (
            n >= LEECH_MIN_ATTEMPTS and accuracy < LEECH_MAX_ACCURACY
        ):
            i = info(tid)
            leeches.append(
                {
                    "template": tid,
                    "topic": i.topic,
                    "field": i.field,
                    "attempts": n,
                    "correct": correct_n[tid],
                    "accuracy": round(accuracy, 4),
                    "lapses": lapses[tid],
                    "last_answered_at": last_at[tid].isoformat(),
                }
            )
    leeches.sort(key=lambda e: (e["accuracy"], -e["lapses"], -e["attempts"], e["template"]))

    counts = store.counts_for(catalog_ids, now)
    reviews = store.reviews_per_day(REVIEW_DAYS, today=today, tz=tz)
    forecast = store.due_forecast(FORECAST_DAYS, now, tz=tz, template_ids=catalog_ids)
    exams = [exam_entry(e, tz) for e in reversed(store.exams())]

    return {
        "generated_at": now.isoformat(),
        "today": today.isoformat(),
        "timezone": _tz_name(now, tz),
        "totals": {
            "attempts": total_attempts,
            "correct": total_correct,
            "accuracy": _ratio(total_correct, total_attempts),
            "templates_seen": len(attempts_n),
            "seconds": round(seconds, 1),
            "by_mode": dict(sorted(by_mode.items())),
        },
        "by_field": by_field,
        "by_topic": by_topic,
        "reviews_per_day": [{"date": d.isoformat(), "count": n} for d, n in reviews],
        "due_forecast": [{"date": d.isoformat(), "count": n} for d, n in forecast],
        "streak": store.streak(today, tz=tz),
        "counts": {
            "due": counts.due,
            "new": counts.new,
            "mastered": counts.mastered,
            "total": len(catalog_ids),
        },
        "misconceptions": misconceptions[:MAX_MISCONCEPTIONS],
        "leeches": leeches[:MAX_LEECHES],
        "exams": exams,
    }
