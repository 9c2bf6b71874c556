"""Statistics of the user's progress, and the `stats`, `export` and `import` commands.

``collect_stats(store, catalog, now)`` gathers everything the statistics screen and
``quizapp stats`` show into one JSON-ready dict (see its docstring for the keys);
``format_stats(data, lang)`` turns that dict into the text ``quizapp stats`` prints.
No Textual or Rich here: the TUI screen renders the same dict.

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

import json
import os
import re
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

from quizapp.i18n import has, t
from quizapp.packs.fields import FIELDS, canonical_field
from quizapp.progress.store import Store, StoreError

UNKNOWN = "unknown"
"""Topic and field of a template that is no longer in the catalogue."""

REVIEW_DAYS = 30
FORECAST_DAYS = 14
LEECH_MIN_ATTEMPTS = 4
LEECH_MAX_ACCURACY = 0.6
LEECH_LAPSES = 3
MAX_LEECHES = 10
MAX_MISCONCEPTIONS = 10



# --------------------------------------------------------------------------- collecting


def _ratio(correct: int, attempts: int) -> float | None:
    return round(correct / attempts, 4) if attempts else None


def _local_date(value: datetime, tz: tzinfo | None) -> date:
    return (value.astimezone(tz) if tz is not None else value.astimezone()).date()


def _tz_name(now: datetime, tz: tzinfo | None) -> str:
    local = now.astimezone(tz) if tz is not None else now.astimezone()
    return local.tzname() or str(local.utcoffset())


class _TemplateInfo:
    """What the catalogue says about one template id (or 'unknown' when it is gone)."""

    __slots__ = ("ref", "topic", "field", "pack", "messages")

    def __init__(self, catalog: Any, template_id: str) -> None:
        ref = catalog.templates.get(template_id) if catalog is not None else None
        self.ref = ref
        self.messages: dict[str, Any] = {}
        """Misconception tag → its message (a Text: fields are filled per problem)."""
        if ref is None:
            self.topic, self.field, self.pack = UNKNOWN, UNKNOWN, None
            return
        template = ref.template
        self.topic, self.field, self.pack = template.topic, template.field, ref.pack.id
        for m in template.misconceptions:
            self.messages.setdefault(m.tag, m.message)
        for option in template.answer.options or ():
            if option.tag and option.message is not None:
                self.messages.setdefault(option.tag, option.message)

    def message(self, tag: str, seed: int | None, lang: str) -> str:
        """The message of ``tag`` in ``lang``; ``{…}`` fields filled from the problem of
        ``seed`` (the last time the user made this mistake), or shown as '…'."""
        from quizapp.packs.model import text_in

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
    from quizapp.packs.model import text_in

    titles: dict[str, str] = {}
    for loaded in getattr(catalog, "packs", ()) or ():
        for topic_id, topic in loaded.pack.topics.items():
            titles.setdefault(topic_id, text_in(topic.title, lang))
    return titles


def _fraction(value: Any) -> float | None:
    """A score as a fraction 0..1, from a number (0..1 or a percentage) or a score dict."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        v = float(value)
        if v != v or v < 0:
            return None
        if v <= 1:
            return v
        return v / 100 if v <= 100 else None
    if isinstance(value, Mapping):
        correct = value.get("correct")
        total = next(
            (value[k] for k in ("total", "items", "count", "questions") if k in value), None
        )
        if (
            isinstance(correct, int | float)
            and isinstance(total, int | float)
            and not isinstance(correct, bool)
            and not isinstance(total, bool)
            and total > 0
        ):
            return max(0.0, min(1.0, correct / total))
        for key in ("fraction", "ratio", "accuracy", "percent", "percentage", "score", "rate"):
            if key in value:
                found = _fraction(value[key])
                if found is not None:
                    return found
    return None


def _exam_entry(exam: Any, tz: tzinfo | None) -> dict[str, Any]:
    score = exam.score
    overall = None
    by_field: dict[str, float] = {}
    if isinstance(score, Mapping):
        overall = _fraction(score.get("overall", score))
        fields = score.get("by_field")
        if isinstance(fields, Mapping):
            for name, value in fields.items():
                frac = _fraction(value)
                if frac is not None:
                    by_field[canonical_field(str(name))] = round(frac, 4)
    passed = score.get("passed") if isinstance(score, Mapping) else None
    if not isinstance(passed, bool):
        passed = None
    items = None
    config_items = exam.config.get("items") if isinstance(exam.config, Mapping) else None
    if isinstance(config_items, list):
        items = len(config_items)
    when = exam.finished_at or exam.started_at
    return {
        "id": exam.id,
        "date": _local_date(when, tz).isoformat(),
        "started_at": exam.started_at.isoformat(),
        "finished_at": exam.finished_at.isoformat() if exam.finished_at else None,
        "preset": exam.preset,
        "status": exam.status,
        "items": items,
        "answered": sum(1 for a in exam.answers.values() if a.answer is not None),
        "elapsed_seconds": round(exam.elapsed_seconds, 1),
        "percent": None if overall is None else round(overall * 100, 1),
        "passed": passed,
        "by_field": {k: round(v * 100, 1) for k, v in by_field.items()},
        "score": score,
    }


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

    infos: dict[str, _TemplateInfo] = {}

    def info(template_id: str) -> _TemplateInfo:
        found = infos.get(template_id)
        if found is None:
            found = infos[template_id] = _TemplateInfo(catalog, template_id)
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
    exams = [_exam_entry(e, tz) for e in reversed(store.exams())]

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
            add(f"  {pad(name, name_w)}  {'—':>6}  ({t('stats.no_answers', lang)})")

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
        add(f"  ({t('stats.no_answers', lang)}: {', '.join(rest)})")

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
        add(f"  {e['template']}: {detail}")

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
            line += "  (" + ", ".join(parts) + ")"
        lines.append(line)
    return lines


# --------------------------------------------------------------------------- commands


def _open_store(ctx: Any) -> Store:
    """Open the progress store of ``ctx`` (``StoreError`` for the caller to print)."""
    from quizapp.progress.paths import db_path

    store = Store.open(db_path(ctx.data_dir))
    if store.notice is not None:
        print(store.notice.text(ctx.lang), file=sys.stderr)
    return store


def _fail(message: str) -> int:
    print(f"quizapp: {message}", file=sys.stderr)
    return 1


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def stats_command(ctx: Any) -> int:
    """``quizapp stats [--json]``: the progress report (exit 1 on a store error)."""
    try:
        store = _open_store(ctx)
    except StoreError as exc:
        return _fail(exc.text(ctx.lang))
    try:
        catalog = ctx.catalog()
        data = collect_stats(store, catalog, datetime.now(UTC), lang=ctx.lang)
    except StoreError as exc:
        return _fail(exc.text(ctx.lang))
    finally:
        store.close()
    if getattr(ctx.args, "json", False):
        print(_dump(data))
    else:
        print(format_stats(data, ctx.lang))
    return 0


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder + rename.

    Either the old file stays or the new one is complete; never half a file.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def export_command(ctx: Any) -> int:
    """``quizapp export FILE``: the whole store as JSON (``-``: standard output)."""
    target = ctx.args.file
    try:
        store = _open_store(ctx)
    except StoreError as exc:
        return _fail(exc.text(ctx.lang))
    try:
        data = store.export_json()
    except StoreError as exc:
        return _fail(exc.text(ctx.lang))
    finally:
        store.close()
    text = _dump(data) + "\n"
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    path = Path(target).expanduser()
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory")
        write_atomic(path, text)
    except OSError as exc:
        return _fail(t("export.failed", ctx.lang, path=str(path), error=exc.strerror or exc))
    print(
        t(
            "export.done",
            ctx.lang,
            path=str(path),
            attempts=len(data["attempts"]),
            cards=len(data["cards"]),
            exams=len(data["exams"]),
        ),
        file=sys.stderr,
    )
    return 0


def read_export(source: str, lang: str) -> Any:
    """Read and parse an export file (``-``: standard input).

    Raises ``ValueError`` with a message for the user (missing file, not text, bad JSON).
    """
    shown = "<stdin>" if source == "-" else source
    try:
        if source == "-":
            raw = sys.stdin.buffer.read()
        else:
            raw = Path(source).expanduser().read_bytes()
    except FileNotFoundError:
        raise ValueError(t("import.not_found", lang, path=shown)) from None
    except OSError as exc:
        raise ValueError(
            t("import.unreadable", lang, path=shown, error=exc.strerror or exc)
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(t("import.not_text", lang, path=shown)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            t("import.bad_json", lang, path=shown, line=exc.lineno, col=exc.colno, error=exc.msg)
        ) from None
    except RecursionError:
        raise ValueError(
            t("import.bad_json", lang, path=shown, line="?", col="?", error="nested too deeply")
        ) from None


def import_command(ctx: Any) -> int:
    """``quizapp import FILE``: merge an export into the store (nothing is duplicated)."""
    source = ctx.args.file
    shown = "<stdin>" if source == "-" else source
    try:
        data = read_export(source, ctx.lang)
    except ValueError as exc:
        return _fail(str(exc))
    try:
        store = _open_store(ctx)
    except StoreError as exc:
        return _fail(exc.text(ctx.lang))
    try:
        added = store.import_json(data)
    except StoreError as exc:
        if exc.key.startswith("store.import"):
            return _fail(t("import.rejected", ctx.lang, path=shown, error=exc.text(ctx.lang)))
        return _fail(exc.text(ctx.lang))
    except (ValueError, TypeError) as exc:  # a row the database refused: nothing written
        return _fail(t("import.rejected", ctx.lang, path=shown, error=str(exc)))
    finally:
        store.close()
    if not any(added.values()):
        print(t("import.nothing", ctx.lang, path=shown))
    else:
        print(t("import.done", ctx.lang, path=shown, **added))
    return 0
