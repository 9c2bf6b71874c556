"""Schema migrations, written once for SQLite and PostgreSQL.

``MIGRATIONS[i]`` takes the schema from version ``i`` to ``i + 1``; the database records how
many ran (``Db.version``). Each runs in its own write transaction (DDL is transactional in
both dialects), so a failing migration changes nothing. To change the schema, append a
function: never edit one that has shipped.

Version 1: the single-user schema. Version 2: profiles. Every row belongs to a profile
(one database can hold a cohort); the rows of a version-1 file go to the profile given to
``migrate`` (the operating-system user name by default). Row ``uid`` values are unique per
profile, cards are keyed by (profile, template), settings by (profile, key).
"""

from __future__ import annotations

from collections.abc import Callable

from quizapp.progress.records import APPLICATION_ID, StoreError
from quizapp.progress.sql import SQLITE, Db

Migration = Callable[[Db, str], None]
"""A migration: ``(db, default_profile)``; runs inside the caller's transaction."""


def _statements(*sql: str) -> Migration:
    """A migration made of DDL/SQL statements run in order (``{id}`` … filled per dialect)."""

    def apply(db: Db, default_profile: str) -> None:
        for statement in sql:
            db.script(db.ddl(statement))

    return apply


_MODE_CHECK = "CHECK (mode IN ('study', 'cram', 'exam'))"
_STATUS_CHECK = "CHECK (status IN ('running', 'finished', 'abandoned'))"


def _tables(suffix: str, profiles: bool) -> list[str]:
    """CREATE TABLE statements of the schema (``profiles``: version 2)."""
    p = "profile TEXT NOT NULL," if profiles else ""
    unique = "UNIQUE (profile, uid)" if profiles else ""
    uid = "uid TEXT NOT NULL," if profiles else "uid TEXT NOT NULL UNIQUE,"
    comma = "," if profiles else ""
    return [
        f"""CREATE TABLE sessions{suffix} (
            id          {{id}}, {p}
            {uid}
            mode        TEXT NOT NULL {_MODE_CHECK},
            filter      TEXT,
            planned     {{int64}} CHECK (planned IS NULL OR planned >= 0),
            started_at  TEXT NOT NULL,
            ended_at    TEXT,
            summary     TEXT{comma} {unique}
        )""",
        f"""CREATE TABLE attempts{suffix} (
            id            {{id}}, {p}
            {uid}
            template_id   TEXT NOT NULL,
            pack_id       TEXT NOT NULL,
            pack_version  TEXT NOT NULL,
            seed          {{int64}} NOT NULL,
            raw_answer    TEXT NOT NULL,
            parsed        TEXT NOT NULL,
            correct       INTEGER NOT NULL CHECK (correct IN (0, 1)),
            misconception TEXT,
            seconds       {{real}} NOT NULL CHECK (seconds >= 0),
            answered_at   TEXT NOT NULL,
            session_id    {{int64}} REFERENCES sessions{suffix} (id) ON DELETE SET NULL,
            mode          TEXT NOT NULL {_MODE_CHECK}{comma} {unique}
        )""",
        f"""CREATE TABLE cards{suffix} ({p}
            template_id     TEXT NOT NULL,
            card_json       TEXT NOT NULL,
            due             TEXT NOT NULL,
            stability       {{real}},
            first_review_at TEXT NOT NULL,
            updated_at      TEXT NOT NULL,
            PRIMARY KEY ({"profile, " if profiles else ""}template_id)
        )""",
        f"""CREATE TABLE review_log{suffix} (
            id          {{id}}, {p}
            {uid}
            template_id TEXT NOT NULL,
            attempt_id  {{int64}} REFERENCES attempts{suffix} (id) ON DELETE SET NULL,
            rating      INTEGER,
            reviewed_at TEXT NOT NULL,
            log_json    TEXT NOT NULL{comma} {unique}
        )""",
        f"""CREATE TABLE settings{suffix} ({p}
            key        TEXT NOT NULL,
            value      TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY ({"profile, " if profiles else ""}key)
        )""",
        f"""CREATE TABLE exams{suffix} (
            id              {{id}}, {p}
            {uid}
            seed            {{int64}} NOT NULL,
            preset          TEXT,
            config_json     TEXT NOT NULL,
            started_at      TEXT NOT NULL,
            elapsed_seconds {{real}} NOT NULL DEFAULT 0 CHECK (elapsed_seconds >= 0),
            last_resumed_at TEXT,
            status          TEXT NOT NULL DEFAULT 'running' {_STATUS_CHECK},
            finished_at     TEXT,
            score_json      TEXT{comma} {unique}
        )""",
        f"""CREATE TABLE exam_answers{suffix} (
            exam_id    {{int64}} NOT NULL REFERENCES exams{suffix} (id) ON DELETE CASCADE,
            item_index INTEGER NOT NULL CHECK (item_index >= 0),
            answer     TEXT,
            flagged    INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (exam_id, item_index)
        ) {{without_rowid}}""",
    ]


_V1_INDEXES = [
    "CREATE INDEX attempts_by_template ON attempts (template_id, answered_at)",
    "CREATE INDEX attempts_by_time ON attempts (answered_at)",
    "CREATE INDEX attempts_by_session ON attempts (session_id)",
    "CREATE INDEX cards_by_due ON cards (due)",
    "CREATE INDEX review_log_by_template ON review_log (template_id, reviewed_at)",
    "CREATE INDEX review_log_by_attempt ON review_log (attempt_id)",
    "CREATE INDEX exams_by_status ON exams (status, started_at)",
]

_V2_INDEXES = [
    "CREATE INDEX attempts_by_template ON attempts (profile, template_id, answered_at)",
    "CREATE INDEX attempts_by_time ON attempts (profile, answered_at)",
    "CREATE INDEX attempts_by_session ON attempts (session_id)",
    "CREATE INDEX cards_by_due ON cards (profile, due)",
    "CREATE INDEX review_log_by_template ON review_log (profile, template_id, reviewed_at)",
    "CREATE INDEX review_log_by_attempt ON review_log (attempt_id)",
    "CREATE INDEX exams_by_status ON exams (profile, status, started_at)",
]


def _migration_1(db: Db, default_profile: str) -> None:
    if db.dialect == SQLITE:
        db.script(f"PRAGMA application_id = {APPLICATION_ID}")
    for statement in [*_tables("", profiles=False), *_V1_INDEXES]:
        db.script(db.ddl(statement))


# Columns copied from a version-1 table into its version-2 table (profile added).
_V2_COPY = {
    "sessions": "id, uid, mode, filter, planned, started_at, ended_at, summary",
    "attempts": "id, uid, template_id, pack_id, pack_version, seed, raw_answer, parsed, "
                "correct, misconception, seconds, answered_at, session_id, mode",
    "cards": "template_id, card_json, due, stability, first_review_at, updated_at",
    "review_log": "id, uid, template_id, attempt_id, rating, reviewed_at, log_json",
    "settings": "key, value, updated_at",
    "exams": "id, uid, seed, preset, config_json, started_at, elapsed_seconds, "
             "last_resumed_at, status, finished_at, score_json",
}
_ORDER = ["sessions", "attempts", "cards", "review_log", "settings", "exams", "exam_answers"]


def _migration_2(db: Db, default_profile: str) -> None:
    """Profiles: rebuild every table with a ``profile`` column (old rows → the default)."""
    for statement in _tables("_v2", profiles=True):
        db.script(db.ddl(statement))
    for table in _ORDER:
        if table == "exam_answers":
            db.execute("INSERT INTO exam_answers_v2 SELECT * FROM exam_answers")
            continue
        columns = _V2_COPY[table]
        db.execute(
            f"INSERT INTO {table}_v2 (profile, {columns}) SELECT ?, {columns} FROM {table}",
            (default_profile,),
        )
    for table in reversed(_ORDER):
        db.script(f"DROP TABLE {table}")
    for table in _ORDER:
        db.script(f"ALTER TABLE {table}_v2 RENAME TO {table}")
    for statement in _V2_INDEXES:
        db.script(statement)
    if db.dialect != SQLITE:  # identity columns continue after the copied ids
        for table in ("sessions", "attempts", "review_log", "exams"):
            db.script(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )


MIGRATIONS: list[Migration] = [
    _migration_1,  # 1: the initial schema
    _migration_2,  # 2: profiles
]
"""Schema migrations, applied in order; the database records how many ran."""


def schema_version() -> int:
    """The schema version this code writes (the number of migrations)."""
    return len(MIGRATIONS)


def migrate(db: Db, where: str, default_profile: str) -> None:
    """Apply the missing migrations, each in its own transaction.

    Raises ``StoreError("store.too_new")`` for a database of a newer quizapp and
    ``store.bad_version`` for a version number no quizapp writes (negative).
    """
    known = len(MIGRATIONS)
    while True:
        version = db.version()
        check_version(version, where)
        if version == known:
            return
        db.begin_write()
        try:
            db.lock_migrations()
            # Another process may have migrated while we waited for the lock.
            if db.version() == version:
                MIGRATIONS[version](db, default_profile)
                db.set_version(version + 1)
            db.commit()
        except BaseException:
            db.rollback()
            raise


def check_version(version: int, where: str) -> None:
    """Refuse a schema version this code cannot read."""
    if version < 0:
        raise StoreError("store.bad_version", path=where, found=version)
    if version > len(MIGRATIONS):
        raise StoreError("store.too_new", path=where, found=version, supported=len(MIGRATIONS))
