"""The progress store: one SQLite file with the user's attempts, cards, sessions and exams.

Only the standard library is used (``sqlite3``); the store knows nothing of fsrs: the
scheduler computes cards and hands the store opaque JSON (see ``save_attempt_and_card``).

Guarantees:

- **Durable writes.** Every write method runs in its own ``BEGIN IMMEDIATE`` transaction
  and has committed (``synchronous=FULL``, WAL journal) when it returns: killing the
  process afterwards loses nothing; killing it during a write loses only that write.
- **Several app instances.** Two ``Store`` objects on one file (two terminals) never lose
  each other's rows: writes insert or update single rows, never rewrite tables, and a
  writer waits up to the busy timeout (5 s) for the other's lock.
- **Threads.** One ``Store`` may be shared by threads (e.g. Textual workers); calls are
  serialised by a lock.
- **Time.** Every timestamp is stored as UTC ISO-8601 text with microseconds (so text
  order is time order). Methods accept only timezone-aware datetimes (``ValueError``
  otherwise) and return aware UTC datetimes.
- **Bad files.** A file that is not a SQLite database, fails ``PRAGMA quick_check`` or is
  another program's database is moved aside to ``<name>.corrupt-YYYYmmdd-HHMMSS`` (with
  its ``-wal``/``-shm``), a fresh store is started, and ``Store.notice`` says so. A file
  written by a newer quizapp (schema version above ``SCHEMA_VERSION``) is left alone and
  ``StoreError("store.too_new")`` is raised. A lock held longer than the busy timeout
  raises ``StoreError("store.locked")``; no raw ``sqlite3`` exception leaves this module.

Schema changes: append one function to ``MIGRATIONS``; ``PRAGMA user_version`` records
how many have been applied, and each runs in its own transaction.
"""

from __future__ import annotations

import json
import math
import operator
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any, NamedTuple

from quizapp.i18n import t


class StoreError(Exception):
    """A problem with the progress store that the user must be told about.

    ``key`` names a message of the catalogue (``store.*``); ``params`` fill it in. ``str()`` is
    the English text; ``text(lang)`` renders another language.
    """

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(t(key, "en", **params))

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` ("ja" or "en")."""
        return t(self.key, lang, **self.params)


@dataclass(frozen=True)
class StoreNotice:
    """Something the UI should show once after opening the store (e.g. a file moved aside)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` ("ja" or "en")."""
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.text("en")


# --------------------------------------------------------------------------- constants

MODES = ("study", "cram", "exam")
"""How an attempt was made: scheduled study, cramming (no scheduling), an exam."""

EXAM_STATUSES = ("running", "finished", "abandoned")

MASTERED_STABILITY_DAYS = 21.0
"""A card counts as *mastered* when its FSRS stability is at least this many days
(the interval after which recall probability falls to about 90 %)."""

APPLICATION_ID = 0x51415050  # "QAPP" in the SQLite header: marks the file as ours
EXPORT_FORMAT = "quizapp-progress"
EXPORT_VERSION = 1
DEFAULT_BUSY_TIMEOUT = 5.0

_INT64 = (-(2**63), 2**63 - 1)


# --------------------------------------------------------------------------- time helpers


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime, name: str = "datetime") -> str:
    """UTC ISO-8601 text of an aware datetime; naive ones are refused."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got the naive {value!r})")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:  # never written by us; be lenient with hand-made files
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _dt_or_none(text: str | None) -> datetime | None:
    return None if text is None else _dt(text)


def _local_date(value: datetime, tz: tzinfo | None) -> date:
    """The calendar day of ``value`` in ``tz`` (None: the system's local time zone)."""
    return (value.astimezone(tz) if tz is not None else value.astimezone()).date()


def _local_midnight(day: date, tz: tzinfo | None) -> datetime:
    """The aware instant at which ``day`` starts in ``tz`` (None: system local time)."""
    if tz is not None:
        return datetime.combine(day, time(), tzinfo=tz)
    return datetime.combine(day, time()).astimezone()


def _today(tz: tzinfo | None) -> date:
    return _local_date(_utcnow(), tz)


def _json_default(value: Any) -> Any:
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    if isinstance(value, datetime):
        return _iso(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Attempt:
    """One answer to one problem. Only valid (readable) answers are recorded.

    ``parsed`` is how the answer was read (any JSON value; numpy values are converted).
    ``pack_version`` is kept as text. ``answered_at`` must be timezone-aware.
    """

    template_id: str
    pack_id: str
    pack_version: str
    seed: int
    raw_answer: str
    parsed: Any
    correct: bool
    misconception: str | None
    seconds: float
    answered_at: datetime
    session_id: int | None = None
    mode: str = "study"

    def __post_init__(self) -> None:
        _iso(self.answered_at, "answered_at")
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {self.mode!r}")
        if isinstance(self.seed, bool):
            raise TypeError("seed must be an int, not bool")
        seed = operator.index(self.seed)  # accepts numpy integers too
        if not _INT64[0] <= seed <= _INT64[1]:
            raise ValueError("seed must fit in 64 bits")
        object.__setattr__(self, "seed", seed)
        seconds = float(self.seconds)
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"seconds must be a finite number >= 0, not {self.seconds!r}")
        object.__setattr__(self, "seconds", seconds)
        object.__setattr__(self, "pack_version", str(self.pack_version))
        object.__setattr__(self, "correct", bool(self.correct))


@dataclass(frozen=True)
class CardUpdate:
    """What the scheduler wants stored for a card after a review (opaque to the store)."""

    card_json: str
    due: datetime
    stability: float | None
    review_log_json: str | None = None
    rating: int | None = None


@dataclass(frozen=True)
class CardRecord:
    """A stored card: the scheduler's JSON plus the columns the store queries."""

    template_id: str
    card_json: str
    due: datetime
    stability: float | None
    first_review_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class SessionRecord:
    """A study, cram or exam session."""

    id: int
    mode: str
    started_at: datetime
    ended_at: datetime | None
    filter: str | None
    planned: int | None
    summary: dict[str, Any] | None


@dataclass(frozen=True)
class ExamAnswer:
    """The saved answer to one exam item (``answer`` None: not answered yet)."""

    answer: str | None
    flagged: bool
    updated_at: datetime


@dataclass(frozen=True)
class ExamRecord:
    """A stored exam. ``config`` is whatever the exam module saved (blueprint + items).

    Time: ``elapsed_seconds`` is the time already counted; while the exam is open,
    ``last_resumed_at`` is the instant from which the running interval is counted
    (see ``Store.checkpoint_exam_time``).
    """

    id: int
    seed: int
    preset: str | None
    config: dict[str, Any]
    started_at: datetime
    elapsed_seconds: float
    last_resumed_at: datetime | None
    status: str
    finished_at: datetime | None
    score: dict[str, Any] | None
    answers: dict[int, ExamAnswer]


class TemplateAccuracy(NamedTuple):
    """Attempts and correct answers for one template."""

    attempts: int
    correct: int
    last_answered_at: datetime

    @property
    def accuracy(self) -> float:
        return self.correct / self.attempts if self.attempts else 0.0


class Counts(NamedTuple):
    """Due cards, never-reviewed templates and mastered cards among some templates."""

    due: int
    new: int
    mastered: int


# --------------------------------------------------------------------------- migrations

Migration = Callable[[sqlite3.Connection], None]


def _statements(*sql: str) -> Migration:
    """A migration made of SQL statements run in order (inside the caller's transaction)."""

    def apply(conn: sqlite3.Connection) -> None:
        for statement in sql:
            conn.execute(statement)

    return apply


_MODE_CHECK = "CHECK (mode IN ('study', 'cram', 'exam'))"

_migration_1 = _statements(
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"""CREATE TABLE sessions (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        mode        TEXT NOT NULL {_MODE_CHECK},
        filter      TEXT,
        planned     INTEGER CHECK (planned IS NULL OR planned >= 0),
        started_at  TEXT NOT NULL,
        ended_at    TEXT,
        summary     TEXT
    )""",
    f"""CREATE TABLE attempts (
        id            INTEGER PRIMARY KEY,
        uid           TEXT NOT NULL UNIQUE,
        template_id   TEXT NOT NULL,
        pack_id       TEXT NOT NULL,
        pack_version  TEXT NOT NULL,
        seed          INTEGER NOT NULL,
        raw_answer    TEXT NOT NULL,
        parsed        TEXT NOT NULL,
        correct       INTEGER NOT NULL CHECK (correct IN (0, 1)),
        misconception TEXT,
        seconds       REAL NOT NULL CHECK (seconds >= 0),
        answered_at   TEXT NOT NULL,
        session_id    INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
        mode          TEXT NOT NULL {_MODE_CHECK}
    )""",
    "CREATE INDEX attempts_by_template ON attempts (template_id, answered_at)",
    "CREATE INDEX attempts_by_time ON attempts (answered_at)",
    "CREATE INDEX attempts_by_session ON attempts (session_id)",
    """CREATE TABLE cards (
        template_id     TEXT PRIMARY KEY,
        card_json       TEXT NOT NULL,
        due             TEXT NOT NULL,
        stability       REAL,
        first_review_at TEXT NOT NULL,
        updated_at      TEXT NOT NULL
    )""",
    "CREATE INDEX cards_by_due ON cards (due)",
    """CREATE TABLE review_log (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        template_id TEXT NOT NULL,
        attempt_id  INTEGER REFERENCES attempts (id) ON DELETE SET NULL,
        rating      INTEGER,
        reviewed_at TEXT NOT NULL,
        log_json    TEXT NOT NULL
    )""",
    "CREATE INDEX review_log_by_template ON review_log (template_id, reviewed_at)",
    "CREATE INDEX review_log_by_attempt ON review_log (attempt_id)",
    """CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE exams (
        id              INTEGER PRIMARY KEY,
        uid             TEXT NOT NULL UNIQUE,
        seed            INTEGER NOT NULL,
        preset          TEXT,
        config_json     TEXT NOT NULL,
        started_at      TEXT NOT NULL,
        elapsed_seconds REAL NOT NULL DEFAULT 0 CHECK (elapsed_seconds >= 0),
        last_resumed_at TEXT,
        status          TEXT NOT NULL DEFAULT 'running'
                        CHECK (status IN ('running', 'finished', 'abandoned')),
        finished_at     TEXT,
        score_json      TEXT
    )""",
    "CREATE INDEX exams_by_status ON exams (status, started_at)",
    """CREATE TABLE exam_answers (
        exam_id    INTEGER NOT NULL REFERENCES exams (id) ON DELETE CASCADE,
        item_index INTEGER NOT NULL CHECK (item_index >= 0),
        answer     TEXT,
        flagged    INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (exam_id, item_index)
    ) WITHOUT ROWID""",
)

MIGRATIONS: list[Migration] = [
    _migration_1,  # 1: the initial schema
]
"""Schema migrations, applied in order; ``PRAGMA user_version`` = how many ran."""


def schema_version() -> int:
    """The schema version this code writes (the number of migrations)."""
    return len(MIGRATIONS)


# --------------------------------------------------------------------------- errors

_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_UNREADABLE = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def _code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF  # primary result code


class _Unreadable(Exception):
    """Internal: the file is not a usable quizapp database (moved aside by ``open``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- the store


class Store:
    """The progress store over one SQLite file. Make one with ``open`` or ``memory``."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        self.notice: StoreNotice | None = None
        """Set by ``open`` when the UI must tell the user something (a file moved aside)."""

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    ) -> Store:
        """Open (creating or upgrading) the store at ``path``.

        An unreadable file is moved aside and a fresh store started (``notice`` set).
        Raises ``StoreError``: ``store.too_new``, ``store.locked`` (another process held
        the lock longer than ``busy_timeout`` seconds), ``store.dir_unwritable``,
        ``store.open_failed``, ``store.move_failed``.
        """
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                "store.dir_unwritable", path=str(path.parent), detail=str(exc)
            ) from exc
        if not os.access(path.parent, os.W_OK):
            raise StoreError(
                "store.dir_unwritable", path=str(path.parent), detail="permission denied"
            )
        try:
            return cls._open_checked(path, busy_timeout)
        except _Unreadable as exc:
            aside = _move_aside(path)
            store = cls._open_checked(path, busy_timeout)
            store.notice = StoreNotice(
                "store.corrupt_moved",
                {"path": str(path), "aside": str(aside), "reason": exc.reason},
            )
            return store

    @classmethod
    def _open_checked(cls, path: Path, busy_timeout: float) -> Store:
        _check_header(path)
        try:
            conn = sqlite3.connect(
                path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError("store.open_failed", path=str(path), detail=str(exc)) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            _check_readable(conn)
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # e.g. a file system without shared memory
                conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            _migrate(conn, path)
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.Error):
                code = _code(exc)
                if code in _UNREADABLE:
                    raise _Unreadable(str(exc)) from exc
                if code in _BUSY:
                    raise StoreError("store.locked", path=str(path)) from exc
                raise StoreError("store.open_failed", path=str(path), detail=str(exc)) from exc
            raise
        return cls(conn, path)

    @classmethod
    def memory(cls) -> Store:
        """A fresh in-memory store (for tests and ``--data-dir``-less dry runs)."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn, None)
        return cls(conn, None)

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The schema version of the open file."""
        return int(self._query("PRAGMA user_version")[0][0])

    # ----------------------------------------------------------------- plumbing

    def _error(self, exc: sqlite3.Error, key: str) -> Exception:
        where = str(self.path) if self.path else ":memory:"
        if isinstance(exc, sqlite3.IntegrityError):
            return ValueError(f"rejected by the progress database: {exc}")
        if _code(exc) in _BUSY:
            return StoreError("store.locked", path=where)
        return StoreError(key, path=where, detail=str(exc))

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction, committed on exit, rolled back on error."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._error(exc, "store.write_failed") from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self._error(exc, "store.write_failed") from exc
                raise

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: several queries see one consistent state."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN")
                yield conn
            except sqlite3.Error as exc:
                raise self._error(exc, "store.read_failed") from exc
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise self._error(exc, "store.read_failed") from exc

    # ----------------------------------------------------------------- attempts

    def record_attempt(self, attempt: Attempt) -> int:
        """Record one attempt (its own transaction) and return its id."""
        with self._write() as conn:
            return _insert_attempt(conn, attempt, uuid.uuid4().hex)

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
        and returns the new card; it runs inside the write transaction, so two app
        instances reviewing the same template cannot overwrite each other's review.
        Returns the attempt id (None when no attempt was given).
        """
        now_iso = _iso(now, "now")
        if attempt is not None and attempt.template_id != template_id:
            raise ValueError(
                f"attempt is for {attempt.template_id!r}, not for {template_id!r}"
            )
        with self._write() as conn:
            row = conn.execute(
                "SELECT card_json FROM cards WHERE template_id = ?", (template_id,)
            ).fetchone()
            new = update(row[0] if row else None)
            attempt_id = (
                _insert_attempt(conn, attempt, uuid.uuid4().hex) if attempt is not None else None
            )
            conn.execute(
                """INSERT INTO cards
                       (template_id, card_json, due, stability, first_review_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (template_id) DO UPDATE SET
                       card_json = excluded.card_json, due = excluded.due,
                       stability = excluded.stability, updated_at = excluded.updated_at""",
                (template_id, new.card_json, _iso(new.due, "due"), new.stability, now_iso, now_iso),
            )
            if new.review_log_json is not None:
                conn.execute(
                    """INSERT INTO review_log
                           (uid, template_id, attempt_id, rating, reviewed_at, log_json)
                       VALUES (?, ?, ?, ?, ?, ?)""",
                    (uuid.uuid4().hex, template_id, attempt_id, new.rating, now_iso,
                     new.review_log_json),
                )
            return attempt_id

    def attempts(
        self,
        template_id: str | None = None,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[Attempt]:
        """Attempts in time order, optionally for one template, from ``since`` (inclusive).

        With ``limit``, the latest ``limit`` of them (still oldest first).
        """
        where, params = [], []
        if template_id is not None:
            where.append("template_id = ?")
            params.append(template_id)
        if since is not None:
            where.append("answered_at >= ?")
            params.append(_iso(since, "since"))
        sql = f"SELECT {_ATTEMPT_COLUMNS} FROM attempts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY answered_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        rows = self._query(sql, params)
        return [_attempt_from_row(row) for row in reversed(rows)]

    # ----------------------------------------------------------------- cards

    def card(self, template_id: str) -> CardRecord | None:
        """The stored card of ``template_id`` (None: never reviewed)."""
        rows = self._query(f"SELECT {_CARD_COLUMNS} FROM cards WHERE template_id = ?",
                           (template_id,))
        return _card_from_row(rows[0]) if rows else None

    def cards(self) -> dict[str, CardRecord]:
        """Every stored card, by template id."""
        rows = self._query(f"SELECT {_CARD_COLUMNS} FROM cards ORDER BY due, template_id")
        return {row[0]: _card_from_row(row) for row in rows}

    def cards_introduced_since(self, since: datetime) -> int:
        """How many cards had their first review at or after ``since``."""
        rows = self._query("SELECT COUNT(*) FROM cards WHERE first_review_at >= ?",
                           (_iso(since, "since"),))
        return int(rows[0][0])

    # ----------------------------------------------------------------- settings

    def get_setting(self, key: str, default: Any = None) -> Any:
        """The stored value of setting ``key`` (JSON-decoded), or ``default``."""
        rows = self._query("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: Any, *, now: datetime | None = None) -> None:
        """Store a JSON-serialisable value for ``key`` (replacing the old one)."""
        text = _dumps(value)
        now_iso = _iso(now or _utcnow(), "now")
        with self._write() as conn:
            conn.execute(
                """INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
                   ON CONFLICT (key) DO UPDATE SET
                       value = excluded.value, updated_at = excluded.updated_at""",
                (key, text, now_iso),
            )

    def settings(self) -> dict[str, Any]:
        """Every stored setting."""
        return {k: json.loads(v) for k, v in self._query("SELECT key, value FROM settings")}

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
        with self._write() as conn:
            cur = conn.execute(
                """INSERT INTO sessions (uid, mode, filter, planned, started_at)
                   VALUES (?, ?, ?, ?, ?)""",
                (uuid.uuid4().hex, mode, filter, planned, now_iso),
            )
            return int(cur.lastrowid)

    def end_session(
        self, session_id: int, summary: Mapping[str, Any], *, now: datetime | None = None
    ) -> None:
        """Close a session with a JSON summary (counts, accuracy … as the UI likes)."""
        now_iso = _iso(now or _utcnow(), "now")
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE sessions SET ended_at = ?, summary = ? WHERE id = ?",
                (now_iso, _dumps(dict(summary)), session_id),
            )
            if cur.rowcount == 0:
                raise ValueError(f"no session with id {session_id}")

    def session(self, session_id: int) -> SessionRecord | None:
        """One session, or None."""
        rows = self._query(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?",
                           (session_id,))
        return _session_from_row(rows[0]) if rows else None

    def sessions(self, limit: int | None = None) -> list[SessionRecord]:
        """Sessions, newest first."""
        sql = f"SELECT {_SESSION_COLUMNS} FROM sessions ORDER BY started_at DESC, id DESC"
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [_session_from_row(row) for row in self._query(sql, params)]

    # ----------------------------------------------------------------- exams

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
        with self._write() as conn:
            cur = conn.execute(
                """INSERT INTO exams
                       (uid, seed, preset, config_json, started_at, last_resumed_at, status)
                   VALUES (?, ?, ?, ?, ?, ?, 'running')""",
                (uuid.uuid4().hex, int(seed), preset, _dumps(dict(config)), now_iso, now_iso),
            )
            return int(cur.lastrowid)

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
        with self._write() as conn:
            _require_running(conn, exam_id)
            conn.execute(
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
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE exams SET elapsed_seconds = elapsed_seconds + ? WHERE id = ?",
                (float(seconds), exam_id),
            )
            if cur.rowcount == 0:
                raise ValueError(f"no exam with id {exam_id}")
            return float(conn.execute("SELECT elapsed_seconds FROM exams WHERE id = ?",
                                      (exam_id,)).fetchone()[0])

    def resume_exam(self, exam_id: int, *, now: datetime | None = None) -> None:
        """Restart the clock of a running exam from ``now`` (after reopening the app).

        Time between the last checkpoint and ``now`` (e.g. the app was closed or killed)
        is not counted.
        """
        now_iso = _iso(now or _utcnow(), "now")
        with self._write() as conn:
            _require_running(conn, exam_id)
            conn.execute("UPDATE exams SET last_resumed_at = ? WHERE id = ?", (now_iso, exam_id))

    def checkpoint_exam_time(
        self, exam_id: int, *, now: datetime | None = None, pause: bool = False
    ) -> float:
        """Fold the time since ``last_resumed_at`` into ``elapsed_seconds`` → the new total.

        Call it on every answer or timer tick so a killed app loses at most one tick;
        ``pause=True`` stops the clock (``last_resumed_at`` cleared) when the user leaves.
        """
        now_value = now or _utcnow()
        now_iso = _iso(now_value, "now")
        with self._write() as conn:
            return _checkpoint(conn, exam_id, now_value, None if pause else now_iso)

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
        with self._write() as conn:
            if status == "running":
                cur = conn.execute(
                    """UPDATE exams SET status = 'running', finished_at = NULL,
                           last_resumed_at = ? WHERE id = ?""",
                    (now_iso, exam_id),
                )
                if cur.rowcount == 0:
                    raise ValueError(f"no exam with id {exam_id}")
                return
            _checkpoint(conn, exam_id, now_value, None)
            conn.execute(
                "UPDATE exams SET status = ?, finished_at = ? WHERE id = ?",
                (status, now_iso, exam_id),
            )

    def finish_exam(
        self, exam_id: int, score: Mapping[str, Any], *, now: datetime | None = None
    ) -> None:
        """Mark the exam finished with its score (JSON), stopping its clock."""
        now_value = now or _utcnow()
        now_iso = _iso(now_value, "now")
        with self._write() as conn:
            _checkpoint(conn, exam_id, now_value, None)
            conn.execute(
                """UPDATE exams SET status = 'finished', finished_at = ?, score_json = ?
                   WHERE id = ?""",
                (now_iso, _dumps(dict(score)), exam_id),
            )

    def exam(self, exam_id: int) -> ExamRecord | None:
        """One exam with its answers, or None."""
        with self._snapshot() as conn:
            row = conn.execute(f"SELECT {_EXAM_COLUMNS} FROM exams WHERE id = ?",
                               (exam_id,)).fetchone()
            return _exam_from_row(conn, row) if row else None

    def running_exam(self) -> ExamRecord | None:
        """The most recently started exam still running (to offer "resume"), or None."""
        with self._snapshot() as conn:
            row = conn.execute(
                f"""SELECT {_EXAM_COLUMNS} FROM exams WHERE status = 'running'
                    ORDER BY started_at DESC, id DESC LIMIT 1"""
            ).fetchone()
            return _exam_from_row(conn, row) if row else None

    def exams(self) -> list[ExamRecord]:
        """Every exam with its answers, newest first."""
        with self._snapshot() as conn:
            rows = conn.execute(
                f"SELECT {_EXAM_COLUMNS} FROM exams ORDER BY started_at DESC, id DESC"
            ).fetchall()
            return [_exam_from_row(conn, row) for row in rows]

    # ----------------------------------------------------------------- statistics

    def accuracy_by_template(self) -> dict[str, TemplateAccuracy]:
        """Attempts, correct answers and last answer time per template (every mode)."""
        rows = self._query(
            """SELECT template_id, COUNT(*), SUM(correct), MAX(answered_at)
               FROM attempts GROUP BY template_id ORDER BY template_id"""
        )
        return {t: TemplateAccuracy(n, int(c), _dt(last)) for t, n, c, last in rows}

    def misconception_counts(self, template_id: str | None = None) -> dict[str, int]:
        """How often each misconception tag was matched, most frequent first."""
        sql = "SELECT misconception, COUNT(*) AS n FROM attempts WHERE misconception IS NOT NULL"
        params: list[Any] = []
        if template_id is not None:
            sql += " AND template_id = ?"
            params.append(template_id)
        sql += " GROUP BY misconception ORDER BY n DESC, misconception"
        return {tag: int(n) for tag, n in self._query(sql, params)}

    def reviews_per_day(
        self, days: int, *, today: date | None = None, tz: tzinfo | None = None
    ) -> list[tuple[date, int]]:
        """Attempts (every mode) per local day for the ``days`` days ending ``today``.

        Oldest day first, days without attempts included with 0. ``tz`` None means the
        system's local time zone.
        """
        today = today or _today(tz)
        first = today - timedelta(days=days - 1)
        start = _local_midnight(first, tz)
        end = _local_midnight(today + timedelta(days=1), tz)
        counts = dict.fromkeys((first + timedelta(days=i) for i in range(days)), 0)
        for (answered,) in self._query(
            "SELECT answered_at FROM attempts WHERE answered_at >= ? AND answered_at < ?",
            (_iso(start), _iso(end)),
        ):
            day = _local_date(_dt(answered), tz)
            if day in counts:
                counts[day] += 1
        return sorted(counts.items())

    def due_forecast(
        self,
        days: int,
        now: datetime,
        *,
        tz: tzinfo | None = None,
        template_ids: Iterable[str] | None = None,
    ) -> list[tuple[date, int]]:
        """Cards falling due on each local day, from today for ``days`` days.

        Overdue cards count on today. Cards due after the window are left out. With
        ``template_ids``, only those templates' cards are counted.
        """
        today = _local_date(now, tz)
        end = _local_midnight(today + timedelta(days=days), tz)
        wanted = set(template_ids) if template_ids is not None else None
        counts = dict.fromkeys((today + timedelta(days=i) for i in range(days)), 0)
        for template_id, due in self._query(
            "SELECT template_id, due FROM cards WHERE due < ?", (_iso(end),)
        ):
            if wanted is not None and template_id not in wanted:
                continue
            day = max(_local_date(_dt(due), tz), today)
            if day in counts:
                counts[day] += 1
        return sorted(counts.items())

    def streak(self, today: date | None = None, *, tz: tzinfo | None = None) -> int:
        """Consecutive local days with at least one attempt, ending today or yesterday.

        A streak still counts in the morning before the first answer of the day; two
        days without an answer break it (0).
        """
        today = today or _today(tz)
        end = _local_midnight(today + timedelta(days=1), tz)
        count = 0
        expected: date | None = None
        with self._lock:
            try:
                cursor = self._conn.execute(
                    "SELECT answered_at FROM attempts WHERE answered_at < ? "
                    "ORDER BY answered_at DESC",
                    (_iso(end),),
                )
                for (answered,) in cursor:
                    day = _local_date(_dt(answered), tz)
                    if day > today:
                        continue
                    if expected is None:
                        if day < today - timedelta(days=1):
                            return 0
                        count, expected = 1, day - timedelta(days=1)
                    elif day == expected:
                        count += 1
                        expected = day - timedelta(days=1)
                    elif day < expected:
                        break
            except sqlite3.Error as exc:
                raise self._error(exc, "store.read_failed") from exc
        return count

    def counts_for(self, template_ids: Iterable[str], now: datetime) -> Counts:
        """(due, new, mastered) among ``template_ids`` at ``now``.

        due: cards with ``due <= now``; new: templates never reviewed; mastered: cards
        whose stability is at least ``MASTERED_STABILITY_DAYS`` (21 days).
        """
        now_iso = _iso(now, "now")
        ids = list(dict.fromkeys(template_ids))
        known = {
            t: (due, stability)
            for t, due, stability in self._query("SELECT template_id, due, stability FROM cards")
        }
        due = new = mastered = 0
        for template_id in ids:
            card = known.get(template_id)
            if card is None:
                new += 1
                continue
            if card[0] <= now_iso:
                due += 1
            if card[1] is not None and card[1] >= MASTERED_STABILITY_DAYS:
                mastered += 1
        return Counts(due, new, mastered)

    # ----------------------------------------------------------------- export / import

    def export_json(self) -> dict[str, Any]:
        """Everything in the store as one JSON-serialisable, versioned dict.

        ``{"format": "quizapp-progress", "version": 1, "exported_at", "schema_version",
        "sessions", "attempts", "cards", "review_log", "settings", "exams"}``. Rows refer
        to each other by ``uid`` (stable across machines), not by local ids.
        """
        with self._snapshot() as conn:
            session_uid = dict(conn.execute("SELECT id, uid FROM sessions"))
            attempt_uid = dict(conn.execute("SELECT id, uid FROM attempts"))
            sessions = [
                {
                    "uid": uid, "mode": mode, "filter": flt, "planned": planned,
                    "started_at": started, "ended_at": ended,
                    "summary": None if summary is None else json.loads(summary),
                }
                for uid, mode, flt, planned, started, ended, summary in conn.execute(
                    "SELECT uid, mode, filter, planned, started_at, ended_at, summary "
                    "FROM sessions ORDER BY id"
                )
            ]
            attempts = [
                {
                    "uid": r[0], "template_id": r[1], "pack_id": r[2], "pack_version": r[3],
                    "seed": r[4], "raw_answer": r[5], "parsed": json.loads(r[6]),
                    "correct": bool(r[7]), "misconception": r[8], "seconds": r[9],
                    "answered_at": r[10], "session": session_uid.get(r[11]), "mode": r[12],
                }
                for r in conn.execute(
                    "SELECT uid, template_id, pack_id, pack_version, seed, raw_answer, parsed, "
                    "correct, misconception, seconds, answered_at, session_id, mode "
                    "FROM attempts ORDER BY id"
                )
            ]
            cards = [
                {
                    "template_id": t, "card": json.loads(card), "due": due,
                    "stability": stability, "first_review_at": first, "updated_at": updated,
                }
                for t, card, due, stability, first, updated in conn.execute(
                    "SELECT template_id, card_json, due, stability, first_review_at, "
                    "updated_at FROM cards ORDER BY template_id"
                )
            ]
            review_log = [
                {
                    "uid": uid, "template_id": t, "attempt": attempt_uid.get(attempt_id),
                    "rating": rating, "reviewed_at": reviewed, "log": json.loads(log),
                }
                for uid, t, attempt_id, rating, reviewed, log in conn.execute(
                    "SELECT uid, template_id, attempt_id, rating, reviewed_at, log_json "
                    "FROM review_log ORDER BY id"
                )
            ]
            settings = [
                {"key": k, "value": json.loads(v), "updated_at": updated}
                for k, v, updated in conn.execute(
                    "SELECT key, value, updated_at FROM settings ORDER BY key"
                )
            ]
            exams = []
            for row in conn.execute(
                "SELECT id, uid, seed, preset, config_json, started_at, elapsed_seconds, "
                "last_resumed_at, status, finished_at, score_json FROM exams ORDER BY id"
            ).fetchall():
                answers = [
                    {"index": i, "answer": a, "flagged": bool(f), "updated_at": u}
                    for i, a, f, u in conn.execute(
                        "SELECT item_index, answer, flagged, updated_at FROM exam_answers "
                        "WHERE exam_id = ? ORDER BY item_index",
                        (row[0],),
                    )
                ]
                exams.append({
                    "uid": row[1], "seed": row[2], "preset": row[3],
                    "config": json.loads(row[4]), "started_at": row[5],
                    "elapsed_seconds": row[6], "last_resumed_at": row[7], "status": row[8],
                    "finished_at": row[9],
                    "score": None if row[10] is None else json.loads(row[10]),
                    "answers": answers,
                })
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": _iso(_utcnow()),
            "schema_version": version,
            "sessions": sessions,
            "attempts": attempts,
            "cards": cards,
            "review_log": review_log,
            "settings": settings,
            "exams": exams,
        }

    def import_json(self, data: Any, merge: bool = True) -> dict[str, int]:
        """Load an ``export_json`` dict (one transaction) → rows added/updated per table.

        ``merge=True`` keeps what is here and adds what is not (rows matched by ``uid``;
        cards and settings by key, the newer ``updated_at`` winning), so importing the
        same export twice adds nothing the second time. ``merge=False`` replaces all
        progress with the export. A wrong file raises ``StoreError`` (``store.import_*``)
        and changes nothing.
        """
        _validate_export(data)
        added = dict.fromkeys(
            ("sessions", "attempts", "cards", "review_log", "settings", "exams"), 0
        )
        with self._write() as conn:
            if not merge:
                for table in ("exam_answers", "exams", "review_log", "attempts", "sessions",
                              "cards", "settings"):
                    conn.execute(f"DELETE FROM {table}")
            session_ids: dict[str, int] = {}
            for s in data["sessions"]:
                row = conn.execute("SELECT id FROM sessions WHERE uid = ?", (s["uid"],)).fetchone()
                if row:
                    session_ids[s["uid"]] = row[0]
                    continue
                cur = conn.execute(
                    """INSERT INTO sessions
                           (uid, mode, filter, planned, started_at, ended_at, summary)
                       VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    (s["uid"], s["mode"], s["filter"], s["planned"], _reiso(s["started_at"]),
                     _reiso(s["ended_at"]),
                     None if s["summary"] is None else _dumps(s["summary"])),
                )
                session_ids[s["uid"]] = int(cur.lastrowid)
                added["sessions"] += 1
            attempt_ids: dict[str, int] = {}
            for a in data["attempts"]:
                row = conn.execute("SELECT id FROM attempts WHERE uid = ?", (a["uid"],)).fetchone()
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
                attempt_ids[a["uid"]] = _insert_attempt(conn, attempt, a["uid"])
                added["attempts"] += 1
            for c in data["cards"]:
                cur = conn.execute(
                    """INSERT INTO cards
                           (template_id, card_json, due, stability, first_review_at, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?)
                       ON CONFLICT (template_id) DO UPDATE SET
                           card_json = excluded.card_json, due = excluded.due,
                           stability = excluded.stability,
                           first_review_at = MIN(first_review_at, excluded.first_review_at),
                           updated_at = excluded.updated_at
                       WHERE excluded.updated_at > cards.updated_at""",
                    (c["template_id"], _dumps(c["card"]), _reiso(c["due"]), c["stability"],
                     _reiso(c["first_review_at"]), _reiso(c["updated_at"])),
                )
                added["cards"] += cur.rowcount
            for r in data["review_log"]:
                cur = conn.execute(
                    """INSERT OR IGNORE INTO review_log
                           (uid, template_id, attempt_id, rating, reviewed_at, log_json)
                       VALUES (?, ?, ?, ?, ?, ?)""",
                    (r["uid"], r["template_id"], attempt_ids.get(r["attempt"] or ""),
                     r["rating"], _reiso(r["reviewed_at"]), _dumps(r["log"])),
                )
                added["review_log"] += cur.rowcount
            for s in data["settings"]:
                cur = conn.execute(
                    """INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
                       ON CONFLICT (key) DO UPDATE SET
                           value = excluded.value, updated_at = excluded.updated_at
                       WHERE excluded.updated_at > settings.updated_at""",
                    (s["key"], _dumps(s["value"]), _reiso(s["updated_at"])),
                )
                added["settings"] += cur.rowcount
            for e in data["exams"]:
                if conn.execute("SELECT 1 FROM exams WHERE uid = ?", (e["uid"],)).fetchone():
                    continue
                cur = conn.execute(
                    """INSERT INTO exams (uid, seed, preset, config_json, started_at,
                           elapsed_seconds, last_resumed_at, status, finished_at, score_json)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (e["uid"], e["seed"], e["preset"], _dumps(e["config"]),
                     _reiso(e["started_at"]), float(e["elapsed_seconds"]),
                     _reiso(e["last_resumed_at"]), e["status"], _reiso(e["finished_at"]),
                     None if e["score"] is None else _dumps(e["score"])),
                )
                exam_id = int(cur.lastrowid)
                for ans in e["answers"]:
                    conn.execute(
                        """INSERT INTO exam_answers
                               (exam_id, item_index, answer, flagged, updated_at)
                           VALUES (?, ?, ?, ?, ?)""",
                        (exam_id, ans["index"], ans["answer"], int(ans["flagged"]),
                         _reiso(ans["updated_at"])),
                    )
                added["exams"] += 1
        return added


# --------------------------------------------------------------------------- row helpers

_ATTEMPT_COLUMNS = (
    "template_id, pack_id, pack_version, seed, raw_answer, parsed, correct, misconception, "
    "seconds, answered_at, session_id, mode"
)
_CARD_COLUMNS = "template_id, card_json, due, stability, first_review_at, updated_at"
_SESSION_COLUMNS = "id, mode, started_at, ended_at, filter, planned, summary"
_EXAM_COLUMNS = (
    "id, seed, preset, config_json, started_at, elapsed_seconds, last_resumed_at, status, "
    "finished_at, score_json"
)


def _insert_attempt(conn: sqlite3.Connection, attempt: Attempt, uid: str) -> int:
    if not isinstance(attempt, Attempt):
        raise TypeError(f"expected an Attempt, not {type(attempt).__name__}")
    cur = conn.execute(
        """INSERT INTO attempts (uid, template_id, pack_id, pack_version, seed, raw_answer,
               parsed, correct, misconception, seconds, answered_at, session_id, mode)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            uid, attempt.template_id, attempt.pack_id, attempt.pack_version, attempt.seed,
            attempt.raw_answer, _dumps(attempt.parsed), int(attempt.correct),
            attempt.misconception, attempt.seconds, _iso(attempt.answered_at, "answered_at"),
            attempt.session_id, attempt.mode,
        ),
    )
    return int(cur.lastrowid)


def _attempt_from_row(row: Sequence[Any]) -> Attempt:
    return Attempt(
        template_id=row[0], pack_id=row[1], pack_version=row[2], seed=row[3],
        raw_answer=row[4], parsed=json.loads(row[5]), correct=bool(row[6]),
        misconception=row[7], seconds=row[8], answered_at=_dt(row[9]), session_id=row[10],
        mode=row[11],
    )


def _card_from_row(row: Sequence[Any]) -> CardRecord:
    return CardRecord(row[0], row[1], _dt(row[2]), row[3], _dt(row[4]), _dt(row[5]))


def _session_from_row(row: Sequence[Any]) -> SessionRecord:
    return SessionRecord(
        id=row[0], mode=row[1], started_at=_dt(row[2]), ended_at=_dt_or_none(row[3]),
        filter=row[4], planned=row[5], summary=None if row[6] is None else json.loads(row[6]),
    )


def _exam_from_row(conn: sqlite3.Connection, row: Sequence[Any]) -> ExamRecord:
    answers = {
        index: ExamAnswer(answer, bool(flagged), _dt(updated))
        for index, answer, flagged, updated in conn.execute(
            "SELECT item_index, answer, flagged, updated_at FROM exam_answers "
            "WHERE exam_id = ? ORDER BY item_index",
            (row[0],),
        )
    }
    return ExamRecord(
        id=row[0], seed=row[1], preset=row[2], config=json.loads(row[3]),
        started_at=_dt(row[4]), elapsed_seconds=float(row[5]),
        last_resumed_at=_dt_or_none(row[6]), status=row[7], finished_at=_dt_or_none(row[8]),
        score=None if row[9] is None else json.loads(row[9]), answers=answers,
    )


def _require_running(conn: sqlite3.Connection, exam_id: int) -> None:
    row = conn.execute("SELECT status FROM exams WHERE id = ?", (exam_id,)).fetchone()
    if row is None:
        raise ValueError(f"no exam with id {exam_id}")
    if row[0] != "running":
        raise ValueError(f"exam {exam_id} is {row[0]}, not running")


def _checkpoint(
    conn: sqlite3.Connection, exam_id: int, now: datetime, resume_iso: str | None
) -> float:
    row = conn.execute(
        "SELECT elapsed_seconds, last_resumed_at FROM exams WHERE id = ?", (exam_id,)
    ).fetchone()
    if row is None:
        raise ValueError(f"no exam with id {exam_id}")
    elapsed, resumed = float(row[0]), row[1]
    if resumed is not None:
        elapsed += max(0.0, (now - _dt(resumed)).total_seconds())
    conn.execute(
        "UPDATE exams SET elapsed_seconds = ?, last_resumed_at = ? WHERE id = ?",
        (elapsed, resume_iso, exam_id),
    )
    return elapsed


# --------------------------------------------------------------------------- opening helpers


_SQLITE_HEADER = b"SQLite format 3\x00"


def _check_header(path: Path) -> None:
    """Refuse a non-empty file that is not SQLite before SQLite touches it.

    (Closing a connection to such a file would delete its -wal and -shm companions,
    which the user may want to keep with the file moved aside.)
    """
    try:
        with open(path, "rb") as f:
            head = f.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError("store.open_failed", path=str(path), detail=str(exc)) from exc
    if head and head != _SQLITE_HEADER:
        raise _Unreadable("not a SQLite database")


def _check_readable(conn: sqlite3.Connection) -> None:
    """Raise ``_Unreadable`` if the file is damaged or is not a quizapp database."""
    result = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    if result != ["ok"]:
        raise _Unreadable("; ".join(str(r) for r in result[:5]))
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id not in (0, APPLICATION_ID):
        raise _Unreadable(f"another program's database (application_id {app_id})")
    if version == 0 and conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
        raise _Unreadable("a database with tables but no quizapp schema version")


def _migrate(conn: sqlite3.Connection, path: Path | None) -> None:
    """Apply the missing migrations, each in its own transaction."""
    known = len(MIGRATIONS)
    while True:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > known:
            raise StoreError(
                "store.too_new", path=str(path or ":memory:"), found=version, supported=known
            )
        if version == known:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current == version:
                MIGRATIONS[version](conn)
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _move_aside(path: Path) -> Path:
    """Rename ``path`` (and its -wal/-shm) to ``<name>.corrupt-YYYYmmdd-HHMMSS``."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        os.replace(path, aside)
        for suffix in ("-wal", "-shm"):
            side = Path(f"{path}{suffix}")
            if side.exists():
                os.replace(side, Path(f"{aside}{suffix}"))
    except OSError as exc:
        raise StoreError("store.move_failed", path=str(path), detail=str(exc)) from exc
    return aside


# --------------------------------------------------------------------------- import checks


def _reiso(text: str | None) -> str | None:
    """Normalise an imported timestamp to our stored form (validated beforehand)."""
    return None if text is None else _iso(_dt(text))


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v: Any) -> bool:
    return (_is_int(v) or isinstance(v, float)) and math.isfinite(v)


def _is_dt(v: Any) -> bool:
    if not isinstance(v, str):
        return False
    try:
        value = datetime.fromisoformat(v)
    except ValueError:
        return False
    return value.tzinfo is not None


_KINDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "str": (lambda v: isinstance(v, str), "expected text"),
    "int": (_is_int, "expected an integer"),
    "num": (_is_num, "expected a number"),
    "bool": (lambda v: isinstance(v, bool), "expected true or false"),
    "dt": (_is_dt, "expected a date-time with a time zone"),
    "obj": (lambda v: isinstance(v, dict), "expected an object"),
    "list": (lambda v: isinstance(v, list), "expected a list"),
    "mode": (lambda v: v in MODES, f"expected one of {', '.join(MODES)}"),
    "status": (lambda v: v in EXAM_STATUSES, f"expected one of {', '.join(EXAM_STATUSES)}"),
    "any": (lambda v: True, ""),
}

_ROW_SPECS: dict[str, dict[str, str]] = {
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


def _check_row(row: Any, spec: Mapping[str, str], where: str) -> None:
    if not isinstance(row, dict):
        raise StoreError("store.import_invalid", where=where, problem="expected an object")
    for name, kind in spec.items():
        optional = kind.endswith("?")
        kind = kind.rstrip("?")
        if name not in row:
            raise StoreError("store.import_invalid", where=f"{where}.{name}",
                             problem="missing")
        value = row[name]
        if value is None and optional:
            continue
        check, problem = _KINDS[kind]
        if not check(value):
            raise StoreError("store.import_invalid", where=f"{where}.{name}", problem=problem)


def _validate_export(data: Any) -> None:
    """Check an export's shape completely before anything is written."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise StoreError("store.import_not_progress")
    version = data.get("version")
    if not _is_int(version) or version < 1:
        raise StoreError("store.import_invalid", where="version", problem="expected an integer")
    if version > EXPORT_VERSION:
        raise StoreError("store.import_too_new", version=version, supported=EXPORT_VERSION)
    for table in ("sessions", "attempts", "cards", "review_log", "settings", "exams"):
        rows = data.get(table)
        if not isinstance(rows, list):
            raise StoreError("store.import_invalid", where=table, problem="expected a list")
        for i, row in enumerate(rows):
            _check_row(row, _ROW_SPECS[table], f"{table}[{i}]")
        if table == "attempts":
            for i, row in enumerate(rows):
                if not _INT64[0] <= row["seed"] <= _INT64[1] or row["seconds"] < 0:
                    raise StoreError("store.import_invalid", where=f"attempts[{i}]",
                                     problem="seed or seconds out of range")
        if table == "exams":
            for i, row in enumerate(rows):
                for j, ans in enumerate(row["answers"]):
                    _check_row(ans, _ROW_SPECS["exam_answers"], f"exams[{i}].answers[{j}]")
                    if ans["index"] < 0:
                        raise StoreError("store.import_invalid",
                                         where=f"exams[{i}].answers[{j}].index",
                                         problem="expected an integer >= 0")
    sessions = {s["uid"] for s in data["sessions"]}
    for i, row in enumerate(data["attempts"]):
        if row["session"] is not None and row["session"] not in sessions:
            raise StoreError("store.import_invalid", where=f"attempts[{i}].session",
                             problem="refers to a session that is not in the export")




