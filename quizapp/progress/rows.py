"""Rows ↔ records: the column lists and converters shared by the store's parts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from quizapp.progress.records import (
    Attempt,
    CardRecord,
    ExamAnswer,
    ExamRecord,
    SessionRecord,
    _dt,
    _dt_or_none,
    _dumps,
    _iso,
)
from quizapp.progress.sql import Db

ATTEMPT_COLUMNS = (
    "template_id, pack_id, pack_version, seed, raw_answer, parsed, correct, misconception, "
    "seconds, answered_at, session_id, mode, id"
)
CARD_COLUMNS = "template_id, card_json, due, stability, first_review_at, updated_at"
SESSION_COLUMNS = "id, mode, started_at, ended_at, filter, planned, summary"
EXAM_COLUMNS = (
    "id, seed, preset, config_json, started_at, elapsed_seconds, last_resumed_at, status, "
    "finished_at, score_json"
)


class DamagedRow(Exception):
    """A stored row whose JSON or timestamps cannot be read."""


def loads(text: Any) -> Any:
    """JSON text of a stored row → value (``DamagedRow`` when unreadable)."""
    try:
        return json.loads(text)
    except (TypeError, ValueError, RecursionError) as exc:
        raise DamagedRow(str(exc)) from None


def insert_attempt(db: Db, profile: str, attempt: Attempt, uid: str) -> int:
    if not isinstance(attempt, Attempt):
        raise TypeError(f"expected an Attempt, not {type(attempt).__name__}")
    if attempt.session_id is not None:  # the session must be this profile's
        row = db.one("SELECT profile FROM sessions WHERE id = ?", (attempt.session_id,))
        if row is None or row[0] != profile:
            raise ValueError(f"no session with id {attempt.session_id}")
    return db.insert(
        """INSERT INTO attempts (profile, uid, template_id, pack_id, pack_version, seed,
               raw_answer, parsed, correct, misconception, seconds, answered_at, session_id,
               mode)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            profile, uid, attempt.template_id, attempt.pack_id, attempt.pack_version,
            attempt.seed, attempt.raw_answer, _dumps(attempt.parsed), int(attempt.correct),
            attempt.misconception, attempt.seconds, _iso(attempt.answered_at, "answered_at"),
            attempt.session_id, attempt.mode,
        ),
    )


def attempt_from_row(row: Sequence[Any]) -> Attempt:
    try:
        return Attempt(
            template_id=row[0], pack_id=row[1], pack_version=row[2], seed=row[3],
            raw_answer=row[4], parsed=loads(row[5]), correct=bool(row[6]),
            misconception=row[7], seconds=row[8], answered_at=_dt(row[9]),
            session_id=row[10], mode=row[11],
        )
    except (TypeError, ValueError) as exc:
        raise DamagedRow(str(exc)) from None


def card_from_row(row: Sequence[Any]) -> CardRecord:
    try:
        return CardRecord(row[0], row[1], _dt(row[2]), row[3], _dt(row[4]), _dt(row[5]))
    except (TypeError, ValueError) as exc:
        raise DamagedRow(str(exc)) from None


def session_from_row(row: Sequence[Any]) -> SessionRecord:
    try:
        return SessionRecord(
            id=row[0], mode=row[1], started_at=_dt(row[2]), ended_at=_dt_or_none(row[3]),
            filter=row[4], planned=row[5], summary=None if row[6] is None else loads(row[6]),
        )
    except (TypeError, ValueError) as exc:
        raise DamagedRow(str(exc)) from None


def exam_from_row(db: Db, row: Sequence[Any]) -> ExamRecord:
    try:
        answers = {
            index: ExamAnswer(answer, bool(flagged), _dt(updated))
            for index, answer, flagged, updated in db.all(
                "SELECT item_index, answer, flagged, updated_at FROM exam_answers "
                "WHERE exam_id = ? ORDER BY item_index",
                (row[0],),
            )
        }
        return ExamRecord(
            id=row[0], seed=row[1], preset=row[2], config=loads(row[3]),
            started_at=_dt(row[4]), elapsed_seconds=float(row[5]),
            last_resumed_at=_dt_or_none(row[6]), status=row[7],
            finished_at=_dt_or_none(row[8]),
            score=None if row[9] is None else loads(row[9]), answers=answers,
        )
    except (TypeError, ValueError) as exc:
        raise DamagedRow(str(exc)) from None


def require_running(db: Db, profile: str, exam_id: int) -> None:
    row = db.one("SELECT status FROM exams WHERE id = ? AND profile = ?", (exam_id, profile))
    if row is None:
        raise ValueError(f"no exam with id {exam_id}")
    if row[0] != "running":
        raise ValueError(f"exam {exam_id} is {row[0]}, not running")


def checkpoint(
    db: Db, profile: str, exam_id: int, now: datetime, resume_iso: str | None
) -> float:
    row = db.one(
        "SELECT elapsed_seconds, last_resumed_at FROM exams WHERE id = ? AND profile = ?",
        (exam_id, profile),
    )
    if row is None:
        raise ValueError(f"no exam with id {exam_id}")
    elapsed, resumed = float(row[0]), row[1]
    if resumed is not None:
        elapsed += max(0.0, (now - _dt(resumed)).total_seconds())
    db.execute(
        "UPDATE exams SET elapsed_seconds = ?, last_resumed_at = ? WHERE id = ?",
        (elapsed, resume_iso, exam_id),
    )
    return elapsed
