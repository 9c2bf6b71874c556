"""The progress store: attempts, cards, sessions, settings and exams of one or many profiles.

Two back ends behind one API: a SQLite file (the default; only the standard library) or a
PostgreSQL database shared by a cohort (``postgresql://…``; psycopg 3, imported only then).
The store knows nothing of fsrs: the scheduler computes cards and hands the store opaque JSON
(see ``save_attempt_and_card``).

Guarantees (both back ends):

- **Profiles.** Every row belongs to the store's ``profile``; a store reads and writes only
  its own profile's rows (``quizapp.progress.cohort`` reads the aggregates of all).
- **Durable writes.** Every write method runs in its own transaction and has committed
  when it returns (SQLite: ``synchronous=FULL``, WAL journal): killing the process afterwards
  loses nothing; killing it during a write loses only that write.
- **Several app instances.** Two ``Store`` objects on one database never lose each other's
  rows: writes insert or update single rows, never rewrite tables; a card update runs
  read-modify-write under a lock of its (profile, template) (SQLite: ``BEGIN IMMEDIATE``,
  PostgreSQL: an advisory transaction lock), and a writer waits up to the busy timeout.
- **Threads.** One ``Store`` may be shared by threads; calls are serialised by a lock.
- **Time.** UTC ISO-8601 text with microseconds; only timezone-aware datetimes accepted.
- **Bad files.** A file that is not a SQLite database, fails ``PRAGMA quick_check`` or is
  another program's database is moved aside to ``<name>.corrupt-YYYYmmdd-HHMMSS`` (with
  its ``-wal``/``-shm``), a fresh store is started, and ``Store.notice`` says so. A zero-byte
  file is started as a new store, with a notice. A schema version above ours
  (``store.too_new``) or below zero (``store.bad_version``) is refused and left alone; a
  read-only file (``store.read_only``) too, unless opened with ``read_only=True``. A lock held
  longer than the busy timeout raises ``store.locked``; no driver exception leaves the store.
- **Damaged rows.** A row whose JSON cannot be read is skipped by the readers and counted
  in ``Store.damaged`` (table → row ids), so statistics and export still work.

Schema changes: append a function to ``quizapp.progress.migrations.MIGRATIONS``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from quizapp.progress.backends import (
    Unreadable,
    is_postgresql_url,
    move_aside,
    open_postgresql,
    open_sqlite,
    shown_url,
    sqlite_precheck,
)
from quizapp.progress.migrations import MIGRATIONS, migrate, schema_version
from quizapp.progress.records import (
    APPLICATION_ID,
    DEFAULT_BUSY_TIMEOUT,
    EXAM_STATUSES,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    MASTERED_STABILITY_DAYS,
    MODES,
    Attempt,
    CardRecord,
    CardUpdate,
    Counts,
    ExamAnswer,
    ExamRecord,
    SessionRecord,
    StoreError,
    StoreNotice,
    TemplateAccuracy,
    check_profile,
    default_profile,
)
from quizapp.progress.sql import SQLITE, Db
from quizapp.progress.store_cards import CardsMixin
from quizapp.progress.store_exams import ExamsMixin
from quizapp.progress.store_queries import QueriesMixin
from quizapp.progress.transfer import TransferMixin

__all__ = [
    "APPLICATION_ID", "DEFAULT_BUSY_TIMEOUT", "EXAM_STATUSES", "EXPORT_FORMAT",
    "EXPORT_VERSION", "MASTERED_STABILITY_DAYS", "MIGRATIONS", "MODES", "Attempt",
    "CardRecord", "CardUpdate", "Counts", "ExamAnswer", "ExamRecord", "SessionRecord",
    "Store", "StoreError", "StoreNotice", "TemplateAccuracy", "default_profile",
    "schema_version",
]


class Store(CardsMixin, QueriesMixin, ExamsMixin, TransferMixin):
    """The progress store of one profile. Make one with ``open`` or ``memory``."""

    def __init__(self, db: Db, path: Path | None, profile: str | None = None,
                 *, url: str | None = None) -> None:
        self._db = db
        self._lock = threading.RLock()
        self.path = path
        """The SQLite file (None for memory and PostgreSQL stores)."""
        self.url = url
        """The PostgreSQL URL (None for SQLite)."""
        self.profile = check_profile(profile) if profile is not None else default_profile()
        self.notice: StoreNotice | None = None
        """Set by ``open`` when the UI must tell the user something (a file moved aside)."""
        self.damaged: dict[str, list[int]] = {}
        """Rows skipped by the readers because their JSON is damaged (table → ids)."""

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str],
        *,
        profile: str | None = None,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        read_only: bool = False,
    ) -> Store:
        """Open (creating or upgrading) the store at ``target``: a path or a PostgreSQL URL.

        An unreadable SQLite file is moved aside and a fresh store started (``notice`` set).
        ``read_only``: never write (for commands that only read): no migration, no move.
        Raises ``StoreError``: ``store.too_new``, ``store.bad_version``, ``store.read_only``,
        ``store.locked``, ``store.dir_unwritable``, ``store.open_failed``,
        ``store.move_failed``, ``store.bad_profile``, ``store.pg_missing``.
        """
        profile = check_profile(profile) if profile is not None else default_profile()
        if is_postgresql_url(target):
            url = str(target)
            db = open_postgresql(url, busy_timeout, read_only)
            return cls(db, None, profile, url=url)
        path = Path(target)
        notice = sqlite_precheck(path, read_only)
        try:
            store = cls(open_sqlite(path, busy_timeout, read_only), path, profile)
        except Unreadable as exc:
            if read_only:
                raise StoreError("store.open_failed", path=str(path), detail=exc.reason) from exc
            aside = move_aside(path)
            store = cls(open_sqlite(path, busy_timeout, read_only), path, profile)
            notice = StoreNotice(
                "store.corrupt_moved",
                {"path": str(path), "aside": str(aside), "reason": exc.reason},
            )
        store.notice = notice
        return store

    @classmethod
    def memory(cls, profile: str | None = None) -> Store:
        """A fresh in-memory SQLite store (for tests and dry runs)."""
        import sqlite3

        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        db = Db(conn, SQLITE)
        migrate(db, ":memory:", default_profile())
        return cls(db, None, profile)

    def for_profile(self, profile: str) -> Store:
        """Another profile on the same open database (shares the connection)."""
        other = type(self)(self._db, self.path, profile, url=self.url)
        other._lock = self._lock
        return other

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite)."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._db.dialect

    @property
    def read_only(self) -> bool:
        return self._db.read_only

    @property
    def where(self) -> str:
        """The database, for messages (a PostgreSQL URL without its password)."""
        if self.url is not None:
            return shown_url(self.url)
        return str(self.path) if self.path else ":memory:"

    @property
    def schema_version(self) -> int:
        """The schema version of the open database."""
        with self._lock:
            return self._db.version()

    # ----------------------------------------------------------------- plumbing

    def _error(self, exc: BaseException, key: str) -> Exception | None:
        kind = self._db.classify(exc)
        if kind is None:
            return None
        if kind == "integrity":
            return ValueError(f"rejected by the progress database: {exc}")
        if kind == "busy":
            return StoreError("store.locked", path=self.where)
        if kind == "read_only" or (self.read_only and key == "store.write_failed"):
            return StoreError("store.read_only", path=self.where)
        return StoreError(key, path=self.where, detail=str(exc))

    @contextmanager
    def _write(self, *lock_key: str) -> Iterator[Db]:
        """One write transaction, committed on exit, rolled back on error.

        ``lock_key``: serialise writers of that row group (see ``Db.lock``).
        """
        with self._lock:
            db = self._db
            if db.read_only:
                raise StoreError("store.read_only", path=self.where)
            try:
                db.begin_write()
                if lock_key:
                    db.lock(self.profile, *lock_key)
            except Exception as exc:
                db.rollback()
                mapped = self._error(exc, "store.write_failed")
                if mapped is None:
                    raise
                raise mapped from exc
            try:
                yield db
                db.commit()
            except BaseException as exc:
                try:
                    db.rollback()
                except Exception:  # the connection itself is gone
                    pass
                mapped = self._error(exc, "store.write_failed")
                if mapped is None:
                    raise
                raise mapped from exc

    @contextmanager
    def _snapshot(self) -> Iterator[Db]:
        """A read transaction: several queries see one consistent state."""
        with self._lock:
            db = self._db
            try:
                db.begin_read()
                yield db
            except Exception as exc:
                mapped = self._error(exc, "store.read_failed")
                if mapped is None:
                    raise
                raise mapped from exc
            finally:
                if db.in_transaction:
                    db.commit()

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._db.all(sql, params)
            except Exception as exc:
                mapped = self._error(exc, "store.read_failed")
                if mapped is None:
                    raise
                raise mapped from exc

    def _damaged(self, table: str, row_id: Any) -> None:
        ids = self.damaged.setdefault(table, [])
        if row_id not in ids:
            ids.append(row_id)
