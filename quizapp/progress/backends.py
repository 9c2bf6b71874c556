"""Opening a database: a SQLite file (checked, moved aside when damaged) or PostgreSQL.

``open_sqlite`` and ``open_postgresql`` return a migrated ``Db``; the store wraps it.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

from quizapp.progress.migrations import check_version, migrate
from quizapp.progress.records import APPLICATION_ID, StoreError, StoreNotice, default_profile
from quizapp.progress.sql import POSTGRESQL, SQLITE, Db, classify_pg

_SQLITE_HEADER = b"SQLite format 3\x00"


class Unreadable(Exception):
    """The file is not a usable quizapp database (the caller moves it aside)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_postgresql_url(target: Any) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def writable(path: Path) -> bool:
    """Whether we may write ``path``: permission bits say so (even for root) and access."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & stat.S_IWUSR) and os.access(path, os.W_OK)


# --------------------------------------------------------------------------- SQLite


def sqlite_precheck(path: Path, read_only: bool) -> StoreNotice | None:
    """Refuse what SQLite must not touch; a notice for a zero-byte file."""
    if read_only:
        if not path.is_file():
            raise StoreError("store.open_failed", path=str(path), detail="no such file")
        return None
    if path.exists() and not path.is_file():
        raise StoreError("store.open_failed", path=str(path), detail="not a regular file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError("store.dir_unwritable", path=str(path.parent), detail=str(exc)) from exc
    if path.exists() and not writable(path):
        raise StoreError("store.read_only", path=str(path))
    if not writable(path.parent):
        raise StoreError("store.dir_unwritable", path=str(path.parent), detail="permission denied")
    if path.exists() and path.stat().st_size == 0:
        return StoreNotice("store.empty_file", {"path": str(path)})
    return None


def check_header(path: Path) -> None:
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
        raise Unreadable("not a SQLite database")


def check_readable(conn: sqlite3.Connection, where: str) -> None:
    """Raise ``Unreadable`` if the file is damaged or is not a quizapp database."""
    result = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    if result != ["ok"]:
        raise Unreadable("; ".join(str(r) for r in result[:5]))
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id not in (0, APPLICATION_ID):
        raise Unreadable(f"another program's database (application_id {app_id})")
    if version == 0 and conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
        raise Unreadable("a database with tables but no quizapp schema version")
    check_version(version, where)


def open_sqlite(path: Path, busy_timeout: float, read_only: bool) -> Db:
    """Connect, check, set the pragmas and migrate (read-only: check the version only)."""
    check_header(path)
    where = str(path)
    try:
        if read_only:
            uri = path.resolve().as_uri()
            try:
                conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=busy_timeout,
                                       isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA schema_version").fetchone()
            except sqlite3.OperationalError:  # a WAL file in a folder we cannot write
                conn = sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=busy_timeout,
                                       isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None,
                                   check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError("store.open_failed", path=where, detail=str(exc)) from exc
    db = Db(conn, SQLITE, read_only=read_only)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        check_readable(conn, where)
        if read_only:
            from quizapp.progress.migrations import schema_version

            if db.version() != schema_version():
                raise StoreError("store.read_only_old", path=where)
        else:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # e.g. a file system without shared memory
                conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            migrate(db, where, default_profile())
    except BaseException as exc:
        conn.close()
        kind = db.classify(exc)
        if kind == "unreadable":
            raise Unreadable(str(exc)) from exc
        if kind == "busy":
            raise StoreError("store.locked", path=where) from exc
        if kind == "read_only":
            raise StoreError("store.read_only", path=where) from exc
        if kind is not None:
            raise StoreError("store.open_failed", path=where, detail=str(exc)) from exc
        raise
    return db


def move_aside(path: Path) -> Path:
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


# --------------------------------------------------------------------------- PostgreSQL


def shown_url(url: str) -> str:
    """``url`` without its password (for messages)."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return "postgresql://…"
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def open_postgresql(url: str, busy_timeout: float, read_only: bool) -> Db:
    """Connect to PostgreSQL through psycopg 3 and migrate (imported only here)."""
    where = shown_url(url)
    try:
        import psycopg
    except ImportError as exc:
        raise StoreError("store.pg_missing", path=where) from exc
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(busy_timeout)))
    except psycopg.Error as exc:
        raise StoreError("store.open_failed", path=where,
                         detail=str(exc).strip().splitlines()[0]) from exc
    db = Db(conn, POSTGRESQL, read_only=read_only)
    try:
        conn.execute(f"SET lock_timeout = {int(busy_timeout * 1000)}")
        conn.execute("SET client_min_messages = warning")
        if read_only:
            from quizapp.progress.migrations import schema_version

            if db.version() != schema_version():
                raise StoreError("store.read_only_old", path=where)
        else:
            migrate(db, where, default_profile())
    except BaseException as exc:
        conn.close()
        kind = classify_pg(exc)
        if kind == "busy":
            raise StoreError("store.locked", path=where) from exc
        if kind is not None:
            raise StoreError("store.open_failed", path=where, detail=str(exc)) from exc
        raise
    return db
