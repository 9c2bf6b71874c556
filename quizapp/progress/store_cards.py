"""The store's attempts, cards, settings and sessions (mixed into ``Store``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from quizapp.progress.records import (
    MODES,
    Attempt,
    CardRecord,
    CardUpdate,
    SessionRecord,
    _dumps,
    _iso,
    _utcnow,
    new_uid,
)
from quizapp.progress.rows import (
    ATTEMPT_COLUMNS,
    CARD_COLUMNS,
    SESSION_COLUMNS,
    DamagedRow,
    attempt_from_row,
    card_from_row,
    insert_attempt,
    loads,
    session_from_row,
)


class CardsMixin:
    """Attempts, cards, settings and sessions of ``self.profile``."""

    profile: str
    _write: Any
    _query: Any
    _damaged: Any

    # ----------------------------------------------------------------- attempts

    def record_attempt(self, attempt: Attempt) -> int:
        """Record one attempt (its own transaction) and return its id."""
        with self._write() as db:
            return insert_attempt(db, self.profile, attempt, new_uid())

    def save_attempt_and_card(
        self,
        template_id: str,
        update: Callable[[str | None], CardUpdate],
        *,
        attempt: Attempt | None = None,
        now: datetime,
    ) -> int | None:
        """Record ``attempt`` and replace the card of ``template_id`` in ONE transaction.

        ``update`` receives the stored card JSON (None for a template never reviewed)
        and returns the new card; it runs inside the write transaction, under a lock of
        (profile, template), so two app instances reviewing the same template cannot
        overwrite each other's review. Returns the attempt id (None: no attempt given).
        """
        now_iso = _iso(now, "now")
        if attempt is not None and attempt.template_id != template_id:
            raise ValueError(
                f"attempt is for {attempt.template_id!r}, not for {template_id!r}"
            )
        with self._write("card", template_id) as db:
            row = db.one(
                "SELECT card_json FROM cards WHERE profile = ? AND template_id = ?",
                (self.profile, template_id),
            )
            new = update(row[0] if row else None)
            attempt_id = (
                insert_attempt(db, self.profile, attempt, new_uid())
                if attempt is not None else None
            )
            db.execute(
                """INSERT INTO cards (profile, template_id, card_json, due, stability,
                       first_review_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (profile, template_id) DO UPDATE SET
                       card_json = excluded.card_json, due = excluded.due,
                       stability = excluded.stability, updated_at = excluded.updated_at""",
                (self.profile, template_id, new.card_json, _iso(new.due, "due"),
                 new.stability, now_iso, now_iso),
            )
            if new.review_log_json is not None:
                db.execute(
                    """INSERT INTO review_log (profile, uid, template_id, attempt_id, rating,
                           reviewed_at, log_json)
                       VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    (self.profile, new_uid(), template_id, attempt_id, new.rating,
                     now_iso, new.review_log_json),
                )
            return attempt_id

    def attempts(
        self,
        template_id: str | None = None,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[Attempt]:
        """Attempts in time order, optionally for one template, from ``since`` (inclusive).

        With ``limit``, the latest ``limit`` of them (still oldest first). Damaged rows
        are skipped and counted in ``damaged["attempts"]``.
        """
        where, params = ["profile = ?"], [self.profile]
        if template_id is not None:
            where.append("template_id = ?")
            params.append(template_id)
        if since is not None:
            where.append("answered_at >= ?")
            params.append(_iso(since, "since"))
        sql = f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE " + " AND ".join(where)
        sql += " ORDER BY answered_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        result = []
        for row in reversed(self._query(sql, params)):
            try:
                result.append(attempt_from_row(row))
            except DamagedRow:
                self._damaged("attempts", row[12])
        return result

    # ----------------------------------------------------------------- cards

    def card(self, template_id: str) -> CardRecord | None:
        """The stored card of ``template_id`` (None: never reviewed or unreadable)."""
        rows = self._query(
            f"SELECT {CARD_COLUMNS} FROM cards WHERE profile = ? AND template_id = ?",
            (self.profile, template_id),
        )
        if not rows:
            return None
        try:
            return card_from_row(rows[0])
        except DamagedRow:
            self._damaged("cards", template_id)
            return None

    def cards(self) -> dict[str, CardRecord]:
        """Every readable stored card, by template id."""
        result = {}
        for row in self._query(
            f"SELECT {CARD_COLUMNS} FROM cards WHERE profile = ? ORDER BY due, template_id",
            (self.profile,),
        ):
            try:
                result[row[0]] = card_from_row(row)
            except DamagedRow:
                self._damaged("cards", row[0])
        return result

    def cards_introduced_since(self, since: datetime) -> int:
        """How many cards had their first review at or after ``since``."""
        rows = self._query(
            "SELECT COUNT(*) FROM cards WHERE profile = ? AND first_review_at >= ?",
            (self.profile, _iso(since, "since")),
        )
        return int(rows[0][0])

    # ----------------------------------------------------------------- settings

    def get_setting(self, key: str, default: Any = None) -> Any:
        """The stored value of setting ``key`` (JSON-decoded), or ``default``."""
        rows = self._query("SELECT value FROM settings WHERE profile = ? AND key = ?",
                           (self.profile, key))
        if not rows:
            return default
        try:
            return loads(rows[0][0])
        except DamagedRow:
            self._damaged("settings", key)
            return default

    def set_setting(self, key: str, value: Any, *, now: datetime | None = None) -> None:
        """Store a JSON-serialisable value for ``key`` (replacing the old one)."""
        text = _dumps(value)
        now_iso = _iso(now or _utcnow(), "now")
        with self._write() as db:
            db.execute(
                """INSERT INTO settings (profile, key, value, updated_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT (profile, key) DO UPDATE SET
                       value = excluded.value, updated_at = excluded.updated_at""",
                (self.profile, key, text, now_iso),
            )

    def settings(self) -> dict[str, Any]:
        """Every readable stored setting."""
        result = {}
        for k, v in self._query("SELECT key, value FROM settings WHERE profile = ?",
                                (self.profile,)):
            try:
                result[k] = loads(v)
            except DamagedRow:
                self._damaged("settings", k)
        return result

    # ----------------------------------------------------------------- sessions

    def start_session(
        self,
        mode: str,
        *,
        filter: str | None = None,
        planned: int | None = None,
        now: datetime | None = None,
    ) -> int:
        """Start a session (``mode`` in ``MODES``; ``filter`` describes pack/topic) → id."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        now_iso = _iso(now or _utcnow(), "now")
        with self._write() as db:
            return db.insert(
                """INSERT INTO sessions (profile, uid, mode, filter, planned, started_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (self.profile, new_uid(), mode, filter, planned, now_iso),
            )

    def end_session(
        self, session_id: int, summary: Mapping[str, Any], *, now: datetime | None = None
    ) -> None:
        """Close a session with a JSON summary (counts, accuracy … as the UI likes)."""
        now_iso = _iso(now or _utcnow(), "now")
        with self._write() as db:
            cur = db.execute(
                "UPDATE sessions SET ended_at = ?, summary = ? WHERE id = ? AND profile = ?",
                (now_iso, _dumps(dict(summary)), session_id, self.profile),
            )
            if cur.rowcount == 0:
                raise ValueError(f"no session with id {session_id}")

    def session(self, session_id: int) -> SessionRecord | None:
        """One session, or None."""
        rows = self._query(
            f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ? AND profile = ?",
            (session_id, self.profile),
        )
        return self._sessions(rows)[0] if rows and self._sessions(rows) else None

    def sessions(self, limit: int | None = None) -> list[SessionRecord]:
        """Sessions, newest first."""
        sql = (f"SELECT {SESSION_COLUMNS} FROM sessions WHERE profile = ? "
               "ORDER BY started_at DESC, id DESC")
        params: list[Any] = [self.profile]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self._sessions(self._query(sql, params))

    def _sessions(self, rows: list[tuple[Any, ...]]) -> list[SessionRecord]:
        result = []
        for row in rows:
            try:
                result.append(session_from_row(row))
            except DamagedRow:
                self._damaged("sessions", row[0])
        return result
