"""Checking a progress export completely before anything is written.

Every row's shape and every number's range is checked, and every card and review-log object
must be one fsrs can load (so answering a template later cannot fail on an imported card).
A problem raises ``StoreError`` (``store.import_invalid`` with the place and the problem, or
``store.import_range`` with the place and the allowed range).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from quizapp.progress.records import (
    EXAM_STATUSES,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    INT64,
    MODES,
    StoreError,
    check_profile,
)

SEED = (0, INT64[1])
RATING = (1, 4)
PLANNED = (0, 100_000)
SECONDS = (0, 10**9)
ITEM_INDEX = (0, 100_000)
FSRS_STATES = (1, 3)  # Learning, Review, Relearning


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v: Any) -> bool:
    return (is_int(v) or isinstance(v, float)) and math.isfinite(v)


def is_dt(v: Any) -> bool:
    if not isinstance(v, str) or len(v) > 64:
        return False
    try:
        value = datetime.fromisoformat(v)
    except ValueError:
        return False
    return value.tzinfo is not None


_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "str": (lambda v: isinstance(v, str), "expected text"),
    "int": (is_int, "expected an integer"),
    "num": (is_num, "expected a number"),
    "bool": (lambda v: isinstance(v, bool), "expected true or false"),
    "dt": (is_dt, "expected a date-time with a time zone"),
    "obj": (lambda v: isinstance(v, dict), "expected an object"),
    "list": (lambda v: isinstance(v, list), "expected a list"),
    "mode": (lambda v: v in MODES, f"expected one of {', '.join(MODES)}"),
    "status": (lambda v: v in EXAM_STATUSES, f"expected one of {', '.join(EXAM_STATUSES)}"),
    "any": (lambda v: True, ""),
}

ROW_SPECS: dict[str, dict[str, str]] = {
    "sessions": {
        "uid": "str", "mode": "mode", "filter": "str?", "planned": "int?",
        "started_at": "dt", "ended_at": "dt?", "summary": "obj?",
    },
    "attempts": {
        "uid": "str", "template_id": "str", "pack_id": "str", "pack_version": "str",
        "seed": "int", "raw_answer": "str", "parsed": "any", "correct": "bool",
        "misconception": "str?", "seconds": "num", "answered_at": "dt", "session": "str?",
        "mode": "mode",
    },
    "cards": {
        "template_id": "str", "card": "obj", "due": "dt", "stability": "num?",
        "first_review_at": "dt", "updated_at": "dt",
    },
    "review_log": {
        "uid": "str", "template_id": "str", "attempt": "str?", "rating": "int?",
        "reviewed_at": "dt", "log": "obj",
    },
    "settings": {"key": "str", "value": "any", "updated_at": "dt"},
    "exams": {
        "uid": "str", "seed": "int", "preset": "str?", "config": "obj", "started_at": "dt",
        "elapsed_seconds": "num", "last_resumed_at": "dt?", "status": "status",
        "finished_at": "dt?", "score": "obj?", "answers": "list",
    },
    "exam_answers": {"index": "int", "answer": "str?", "flagged": "bool", "updated_at": "dt"},
}

# Numeric fields and their allowed ranges (inclusive), checked after the shapes.
RANGES: dict[str, dict[str, tuple[int, int]]] = {
    "sessions": {"planned": PLANNED},
    "attempts": {"seed": INT64, "seconds": SECONDS},
    "cards": {"stability": (0, 10**9)},
    "review_log": {"rating": RATING},
    "exams": {"seed": SEED, "elapsed_seconds": SECONDS},
    "exam_answers": {"index": ITEM_INDEX},
}

TABLES = ("sessions", "attempts", "cards", "review_log", "settings", "exams")


def _invalid(where: str, problem: str) -> StoreError:
    return StoreError("store.import_invalid", where=where, problem=problem)


def check_row(row: Any, table: str, where: str) -> None:
    if not isinstance(row, dict):
        raise _invalid(where, "expected an object")
    for name, kind in ROW_SPECS[table].items():
        optional = kind.endswith("?")
        kind = kind.rstrip("?")
        if name not in row:
            raise _invalid(f"{where}.{name}", "missing")
        value = row[name]
        if value is None and optional:
            continue
        check, problem = _KINDS[kind]
        if not check(value):
            raise _invalid(f"{where}.{name}", problem)
    for name, (low, high) in RANGES.get(table, {}).items():
        value = row[name]
        if value is not None and not low <= value <= high:
            raise StoreError("store.import_range", where=f"{where}.{name}", low=low, high=high)


def check_fsrs_card(card: Mapping[str, Any], where: str) -> None:
    """``card`` must be an fsrs card dict (the scheduler loads it on the next answer)."""
    spec = {
        "card_id": ("int", INT64), "state": ("int", FSRS_STATES), "step": ("int?", (0, 1000)),
        "stability": ("num?", (0, 10**9)), "difficulty": ("num?", (0, 100)),
        "due": ("dt", None), "last_review": ("dt?", None),
    }
    _check_fields(card, spec, where)
    _fsrs_loads("Card", card, where)


def check_fsrs_log(log: Mapping[str, Any], where: str) -> None:
    """``log`` must be an fsrs review-log dict."""
    spec = {
        "card_id": ("int", INT64), "rating": ("int", RATING),
        "review_datetime": ("dt", None), "review_duration": ("int?", (0, 10**9)),
    }
    _check_fields(log, spec, where)
    _fsrs_loads("ReviewLog", log, where)


def _check_fields(obj: Mapping[str, Any], spec: Mapping[str, Any], where: str) -> None:
    for name, (kind, bounds) in spec.items():
        if name not in obj:
            raise _invalid(f"{where}.{name}", "missing")
        value = obj[name]
        if value is None and kind.endswith("?"):
            continue
        check, problem = _KINDS[kind.rstrip("?")]
        if not check(value):
            raise _invalid(f"{where}.{name}", problem)
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            raise StoreError("store.import_range", where=f"{where}.{name}",
                             low=bounds[0], high=bounds[1])
    extra = sorted(set(obj) - set(spec))
    if extra:
        raise _invalid(f"{where}.{extra[0]}", "unknown field")


def _fsrs_loads(kind: str, obj: Mapping[str, Any], where: str) -> None:
    import fsrs  # only when importing: the store itself never needs it

    try:
        getattr(fsrs, kind).from_dict(dict(obj))
    except Exception as exc:  # whatever fsrs refuses
        raise _invalid(where, f"not an fsrs {kind}: {type(exc).__name__}") from None


def validate_export(data: Any) -> dict[str, int]:
    """Check an export's shape completely → duplicate uids within it per table."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise StoreError("store.import_not_progress")
    version = data.get("version")
    if not is_int(version) or version < 1:
        raise _invalid("version", "expected an integer")
    if version > EXPORT_VERSION:
        raise StoreError("store.import_too_new", version=version, supported=EXPORT_VERSION)
    if data.get("profile") is not None and check_profile(data["profile"], strict=False) is None:
        raise _invalid("profile", "expected a profile name")
    for table in TABLES:
        rows = data.get(table)
        if not isinstance(rows, list):
            raise _invalid(table, "expected a list")
        for i, row in enumerate(rows):
            check_row(row, table, f"{table}[{i}]")
            if table == "cards":
                check_fsrs_card(row["card"], f"cards[{i}].card")
            elif table == "review_log":
                check_fsrs_log(row["log"], f"review_log[{i}].log")
            elif table == "exams":
                for j, ans in enumerate(row["answers"]):
                    check_row(ans, "exam_answers", f"exams[{i}].answers[{j}]")
    sessions = {s["uid"] for s in data["sessions"]}
    for i, row in enumerate(data["attempts"]):
        if row["session"] is not None and row["session"] not in sessions:
            raise _invalid(f"attempts[{i}].session",
                           "refers to a session that is not in the export")
    duplicates = {}
    for table in ("sessions", "attempts", "review_log", "exams"):
        counts = Counter(row["uid"] for row in data[table])
        extra = sum(n - 1 for n in counts.values() if n > 1)
        if extra:
            duplicates[table] = extra
    return duplicates
