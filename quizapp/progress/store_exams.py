"""The store's exams (mixed into ``Store``): created, answered, timed, finished."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from quizapp.progress.records import (
    EXAM_STATUSES,
    ExamRecord,
    _dumps,
    _iso,
    _utcnow,
    new_uid,
)
from quizapp.progress.rows import (
    EXAM_COLUMNS,
    DamagedRow,
    checkpoint,
    exam_from_row,
    require_running,
)
from quizapp.progress.sql import Db


class ExamsMixin:
    """Exams of ``self.profile``."""

    profile: str
    _write: Any
    _snapshot: Any
    _damaged: Any

    def create_exam(
        self,
        seed: int,
        config: Mapping[str, Any],
        *,
        preset: str | None = None,
        now: datetime | None = None,
    ) -> int:
        """Store a new running exam (``config``: blueprint and items as JSON) → id.

        Its clock starts now: ``elapsed_seconds`` 0, ``last_resumed_at`` = ``now``.
        """
        now_iso = _iso(now or _utcnow(), "now")
        with self._write() as db:
            return db.insert(
                """INSERT INTO exams (profile, uid, seed, preset, config_json, started_at,
                       last_resumed_at, status)
                   VALUES (?, ?, ?, ?, ?, ?, ?, 'running')""",
                (self.profile, new_uid(), int(seed), preset, _dumps(dict(config)),
                 now_iso, now_iso),
            )

    def save_exam_answer(
        self,
        exam_id: int,
        index: int,
        answer: str | None,
        flagged: bool = False,
        *,
        now: datetime | None = None,
    ) -> None:
        """Save (replace) the answer and flag of item ``index`` of a running exam."""
        if index < 0:
            raise ValueError("index must be >= 0")
        now_iso = _iso(now or _utcnow(), "now")
        with self._write() as db:
            require_running(db, self.profile, exam_id)
            db.execute(
                """INSERT INTO exam_answers (exam_id, item_index, answer, flagged, updated_at)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (exam_id, item_index) DO UPDATE SET
                       answer = excluded.answer, flagged = excluded.flagged,
                       updated_at = excluded.updated_at""",
                (exam_id, index, answer, int(bool(flagged)), now_iso),
            )

    def add_exam_time(self, exam_id: int, seconds: float) -> float:
        """Add ``seconds`` to the exam's elapsed time (atomically) → the new total."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("seconds must be a finite number >= 0")
        with self._write() as db:
            cur = db.execute(
                "UPDATE exams SET elapsed_seconds = elapsed_seconds + ? "
                "WHERE id = ? AND profile = ?",
                (float(seconds), exam_id, self.profile),
            )
            if cur.rowcount == 0:
                raise ValueError(f"no exam with id {exam_id}")
            return float(db.one("SELECT elapsed_seconds FROM exams WHERE id = ?",
                                (exam_id,))[0])

    def resume_exam(self, exam_id: int, *, now: datetime | None = None) -> None:
        """Restart the clock of a running exam from ``now`` (after reopening the app).

        Time between the last checkpoint and ``now`` (e.g. the app was closed or killed)
        is not counted.
        """
        now_iso = _iso(now or _utcnow(), "now")
        with self._write() as db:
            require_running(db, self.profile, exam_id)
            db.execute("UPDATE exams SET last_resumed_at = ? WHERE id = ?", (now_iso, exam_id))

    def checkpoint_exam_time(
        self, exam_id: int, *, now: datetime | None = None, pause: bool = False
    ) -> float:
        """Fold the time since ``last_resumed_at`` into ``elapsed_seconds`` → the new total.

        Call it on every answer or timer tick so a killed app loses at most one tick;
        ``pause=True`` stops the clock (``last_resumed_at`` cleared) when the user leaves.
        """
        now_value = now or _utcnow()
        now_iso = _iso(now_value, "now")
        with self._write() as db:
            return checkpoint(db, self.profile, exam_id, now_value, None if pause else now_iso)

    def set_exam_status(
        self, exam_id: int, status: str, *, now: datetime | None = None
    ) -> None:
        """Set ``status`` ('running', 'finished', 'abandoned').

        Leaving 'running' folds the running interval into the elapsed time and stops the
        clock; 'finished'/'abandoned' set ``finished_at``.
        """
        if status not in EXAM_STATUSES:
            raise ValueError(f"status must be one of {EXAM_STATUSES}, not {status!r}")
        now_value = now or _utcnow()
        now_iso = _iso(now_value, "now")
        with self._write() as db:
            if status == "running":
                cur = db.execute(
                    """UPDATE exams SET status = 'running', finished_at = NULL,
                           last_resumed_at = ? WHERE id = ? AND profile = ?""",
                    (now_iso, exam_id, self.profile),
                )
                if cur.rowcount == 0:
                    raise ValueError(f"no exam with id {exam_id}")
                return
            checkpoint(db, self.profile, exam_id, now_value, None)
            db.execute(
                "UPDATE exams SET status = ?, finished_at = ? WHERE id = ?",
                (status, now_iso, exam_id),
            )

    def finish_exam(
        self, exam_id: int, score: Mapping[str, Any], *, now: datetime | None = None
    ) -> None:
        """Mark the exam finished with its score (JSON), stopping its clock."""
        now_value = now or _utcnow()
        now_iso = _iso(now_value, "now")
        with self._write() as db:
            checkpoint(db, self.profile, exam_id, now_value, None)
            db.execute(
                """UPDATE exams SET status = 'finished', finished_at = ?, score_json = ?
                   WHERE id = ?""",
                (now_iso, _dumps(dict(score)), exam_id),
            )

    def exam(self, exam_id: int) -> ExamRecord | None:
        """One exam with its answers, or None."""
        with self._snapshot() as db:
            rows = db.all(f"SELECT {EXAM_COLUMNS} FROM exams WHERE id = ? AND profile = ?",
                          (exam_id, self.profile))
            found = self._exams(db, rows)
            return found[0] if found else None

    def running_exam(self) -> ExamRecord | None:
        """The most recently started readable exam still running (to offer "resume")."""
        with self._snapshot() as db:
            rows = db.all(
                f"""SELECT {EXAM_COLUMNS} FROM exams WHERE profile = ? AND status = 'running'
                    ORDER BY started_at DESC, id DESC""",
                (self.profile,),
            )
            found = self._exams(db, rows[:1]) or self._exams(db, rows[1:])
            return found[0] if found else None

    def exams(self) -> list[ExamRecord]:
        """Every readable exam with its answers, newest first."""
        with self._snapshot() as db:
            rows = db.all(
                f"SELECT {EXAM_COLUMNS} FROM exams WHERE profile = ? "
                "ORDER BY started_at DESC, id DESC",
                (self.profile,),
            )
            return self._exams(db, rows)

    def _exams(self, db: Db, rows: list[tuple[Any, ...]]) -> list[ExamRecord]:
        result = []
        for row in rows:
            try:
                result.append(exam_from_row(db, row))
            except DamagedRow:
                self._damaged("exams", row[0])
        return result
