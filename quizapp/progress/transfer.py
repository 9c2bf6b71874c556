"""Export and import of one profile's progress (mixed into ``Store``).

An export moves a profile between machines and between back ends (SQLite ↔ PostgreSQL):
rows refer to each other by ``uid``, never by local ids. Export reads defensively: a row
whose JSON is damaged is left out and counted in ``Store.damaged``, so a backup of the
readable rows is always possible.
"""

from __future__ import annotations

from typing import Any

from quizapp.progress.records import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    Attempt,
    _dt,
    _dumps,
    _iso,
    _utcnow,
)
from quizapp.progress.rows import DamagedRow, insert_attempt, loads
from quizapp.progress.sql import Db


def _reiso(text: str | None) -> str | None:
    """Normalise an imported timestamp to our stored form (validated beforehand)."""
    return None if text is None else _iso(_dt(text))


class TransferMixin:
    """``export_json`` and ``import_json`` of ``self.profile``."""

    profile: str
    _write: Any
    _snapshot: Any
    _damaged: Any

    def _rows(self, db: Db, table: str, sql: str, build: Any) -> list[dict[str, Any]]:
        """``build(row)`` for each row of ``sql`` (profile bound); damaged rows skipped."""
        result = []
        for row in db.all(sql, (self.profile,)):
            try:
                result.append(build(row))
            except DamagedRow:
                self._damaged(table, row[0])
        return result

    def export_json(self) -> dict[str, Any]:
        """This profile's progress as one JSON-serialisable, versioned dict.

        ``{"format": "quizapp-progress", "version": 1, "exported_at", "schema_version",
        "profile", "sessions", "attempts", "cards", "review_log", "settings", "exams"}``.
        """
        with self._snapshot() as db:
            session_uid = dict(db.all("SELECT id, uid FROM sessions WHERE profile = ?",
                                      (self.profile,)))
            attempt_uid = dict(db.all("SELECT id, uid FROM attempts WHERE profile = ?",
                                      (self.profile,)))
            sessions = self._rows(db, "sessions", (
                "SELECT id, uid, mode, filter, planned, started_at, ended_at, summary "
                "FROM sessions WHERE profile = ? ORDER BY id"
            ), lambda r: {
                "uid": r[1], "mode": r[2], "filter": r[3], "planned": r[4],
                "started_at": r[5], "ended_at": r[6],
                "summary": None if r[7] is None else loads(r[7]),
            })
            attempts = self._rows(db, "attempts", (
                "SELECT id, uid, template_id, pack_id, pack_version, seed, raw_answer, parsed, "
                "correct, misconception, seconds, answered_at, session_id, mode "
                "FROM attempts WHERE profile = ? ORDER BY id"
            ), lambda r: {
                "uid": r[1], "template_id": r[2], "pack_id": r[3], "pack_version": r[4],
                "seed": r[5], "raw_answer": r[6], "parsed": loads(r[7]),
                "correct": bool(r[8]), "misconception": r[9], "seconds": r[10],
                "answered_at": r[11], "session": session_uid.get(r[12]), "mode": r[13],
            })
            cards = self._rows(db, "cards", (
                "SELECT template_id, card_json, due, stability, first_review_at, updated_at "
                "FROM cards WHERE profile = ? ORDER BY template_id"
            ), lambda r: {
                "template_id": r[0], "card": loads(r[1]), "due": r[2], "stability": r[3],
                "first_review_at": r[4], "updated_at": r[5],
            })
            review_log = self._rows(db, "review_log", (
                "SELECT id, uid, template_id, attempt_id, rating, reviewed_at, log_json "
                "FROM review_log WHERE profile = ? ORDER BY id"
            ), lambda r: {
                "uid": r[1], "template_id": r[2], "attempt": attempt_uid.get(r[3]),
                "rating": r[4], "reviewed_at": r[5], "log": loads(r[6]),
            })
            settings = self._rows(db, "settings", (
                "SELECT key, value, updated_at FROM settings WHERE profile = ? ORDER BY key"
            ), lambda r: {"key": r[0], "value": loads(r[1]), "updated_at": r[2]})
            exams = self._rows(db, "exams", (
                "SELECT id, uid, seed, preset, config_json, started_at, elapsed_seconds, "
                "last_resumed_at, status, finished_at, score_json FROM exams "
                "WHERE profile = ? ORDER BY id"
            ), lambda r: {
                "uid": r[1], "seed": r[2], "preset": r[3], "config": loads(r[4]),
                "started_at": r[5], "elapsed_seconds": r[6], "last_resumed_at": r[7],
                "status": r[8], "finished_at": r[9],
                "score": None if r[10] is None else loads(r[10]),
                "answers": [
                    {"index": i, "answer": a, "flagged": bool(f), "updated_at": u}
                    for i, a, f, u in db.all(
                        "SELECT item_index, answer, flagged, updated_at FROM exam_answers "
                        "WHERE exam_id = ? ORDER BY item_index",
                        (r[0],),
                    )
                ],
            })
            version = db.version()
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": _iso(_utcnow()),
            "schema_version": version,
            "profile": self.profile,
            "sessions": sessions,
            "attempts": attempts,
            "cards": cards,
            "review_log": review_log,
            "settings": settings,
            "exams": exams,
        }

    def import_json(self, data: Any, merge: bool = True) -> dict[str, int]:
        """Load an ``export_json`` dict into this profile (one transaction) → rows added.

        ``merge=True`` keeps what is here and adds what is not (rows matched by ``uid``;
        cards and settings by key, the newer ``updated_at`` winning), so importing the
        same export twice adds nothing the second time. ``merge=False`` replaces this
        profile's progress with the export. A wrong file raises ``StoreError``
        (``store.import_*``) and changes nothing. Rows repeating a uid of the same export
        are counted in ``self.last_import_duplicates`` (table → how many were skipped).
        """
        from quizapp.progress.import_checks import TABLES, validate_export

        self.last_import_duplicates = validate_export(data)
        added = dict.fromkeys(TABLES, 0)
        p = self.profile
        with self._write("import") as db:
            if not merge:
                db.execute("DELETE FROM exam_answers WHERE exam_id IN "
                           "(SELECT id FROM exams WHERE profile = ?)", (p,))
                for table in ("exams", "review_log", "attempts", "sessions", "cards",
                              "settings"):
                    db.execute(f"DELETE FROM {table} WHERE profile = ?", (p,))
            session_ids: dict[str, int] = {}
            for s in data["sessions"]:
                row = db.one("SELECT id FROM sessions WHERE profile = ? AND uid = ?",
                             (p, s["uid"]))
                if row:
                    session_ids[s["uid"]] = row[0]
                    continue
                session_ids[s["uid"]] = db.insert(
                    """INSERT INTO sessions (profile, uid, mode, filter, planned, started_at,
                           ended_at, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    (p, s["uid"], s["mode"], s["filter"], s["planned"],
                     _reiso(s["started_at"]), _reiso(s["ended_at"]),
                     None if s["summary"] is None else _dumps(s["summary"])),
                )
                added["sessions"] += 1
            attempt_ids: dict[str, int] = {}
            for a in data["attempts"]:
                row = db.one("SELECT id FROM attempts WHERE profile = ? AND uid = ?",
                             (p, a["uid"]))
                if row:
                    attempt_ids[a["uid"]] = row[0]
                    continue
                attempt = Attempt(
                    template_id=a["template_id"], pack_id=a["pack_id"],
                    pack_version=a["pack_version"], seed=a["seed"], raw_answer=a["raw_answer"],
                    parsed=a["parsed"], correct=a["correct"], misconception=a["misconception"],
                    seconds=a["seconds"], answered_at=_dt(a["answered_at"]),
                    session_id=session_ids[a["session"]] if a["session"] else None,
                    mode=a["mode"],
                )
                attempt_ids[a["uid"]] = insert_attempt(db, p, attempt, a["uid"])
                added["attempts"] += 1
            for c in data["cards"]:
                cur = db.execute(
                    """INSERT INTO cards (profile, template_id, card_json, due, stability,
                           first_review_at, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (profile, template_id) DO UPDATE SET
                           card_json = excluded.card_json, due = excluded.due,
                           stability = excluded.stability,
                           first_review_at = {least}(cards.first_review_at,
                                                     excluded.first_review_at),
                           updated_at = excluded.updated_at
                       WHERE excluded.updated_at > cards.updated_at""",
                    (p, c["template_id"], _dumps(c["card"]), _reiso(c["due"]), c["stability"],
                     _reiso(c["first_review_at"]), _reiso(c["updated_at"])),
                )
                added["cards"] += cur.rowcount
            for r in data["review_log"]:
                cur = db.execute(
                    """INSERT INTO review_log (profile, uid, template_id, attempt_id, rating,
                           reviewed_at, log_json) VALUES (?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (profile, uid) DO NOTHING""",
                    (p, r["uid"], r["template_id"], attempt_ids.get(r["attempt"] or ""),
                     r["rating"], _reiso(r["reviewed_at"]), _dumps(r["log"])),
                )
                added["review_log"] += cur.rowcount
            for s in data["settings"]:
                cur = db.execute(
                    """INSERT INTO settings (profile, key, value, updated_at) VALUES (?, ?, ?, ?)
                       ON CONFLICT (profile, key) DO UPDATE SET
                           value = excluded.value, updated_at = excluded.updated_at
                       WHERE excluded.updated_at > settings.updated_at""",
                    (p, s["key"], _dumps(s["value"]), _reiso(s["updated_at"])),
                )
                added["settings"] += cur.rowcount
            for e in data["exams"]:
                if db.one("SELECT 1 FROM exams WHERE profile = ? AND uid = ?", (p, e["uid"])):
                    continue
                exam_id = db.insert(
                    """INSERT INTO exams (profile, uid, seed, preset, config_json, started_at,
                           elapsed_seconds, last_resumed_at, status, finished_at, score_json)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (p, e["uid"], e["seed"], e["preset"], _dumps(e["config"]),
                     _reiso(e["started_at"]), float(e["elapsed_seconds"]),
                     _reiso(e["last_resumed_at"]), e["status"], _reiso(e["finished_at"]),
                     None if e["score"] is None else _dumps(e["score"])),
                )
                for ans in e["answers"]:
                    db.execute(
                        """INSERT INTO exam_answers
                               (exam_id, item_index, answer, flagged, updated_at)
                           VALUES (?, ?, ?, ?, ?)
                           ON CONFLICT (exam_id, item_index) DO NOTHING""",
                        (exam_id, ans["index"], ans["answer"], int(ans["flagged"]),
                         _reiso(ans["updated_at"])),
                    )
                added["exams"] += 1
        return added
