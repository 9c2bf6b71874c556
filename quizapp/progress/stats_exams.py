"""The exams in the statistics: one stored exam as an entry of ``collect_stats``'s ``exams``.

A stored score is read leniently: the overall score and each field's may be a fraction,
a percentage, or a dict of correct and total (or of a fraction or percentage under one of
several names); exams stored under the field names used before the 2024 syllabus count
under the official names. What cannot be read is None.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

from quizapp.packs.fields import canonical_field
from quizapp.progress.records import _local_date


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


def exam_entry(exam: Any, tz: tzinfo | None) -> dict[str, Any]:
    """One exam of the store as an entry of ``collect_stats``'s ``exams`` (see its keys)."""
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
