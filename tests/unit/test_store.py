"""The progress store: schema, records, corruption handling, locking, exams, export/import."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from quizapp.i18n import catalogue
from quizapp.progress import migrations as migrations_module
from quizapp.progress import store as store_module
from quizapp.progress.sql import SQLITE, Db
from quizapp.progress.store import (
    MIGRATIONS,
    Attempt,
    CardUpdate,
    Store,
    StoreError,
    StoreNotice,
    schema_version,
)

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


def make_attempt(i: int = 0, **changes) -> Attempt:
    fields = dict(
        template_id=f"ffn.t{i % 3}",
        pack_id="ffn",
        pack_version="1",
        seed=1000 + i,
        raw_answer=f"0.{i}",
        parsed={"value": i / 10},
        correct=i % 2 == 0,
        misconception=None if i % 2 == 0 else "sigmoid_not_grad",
        seconds=2.5 + i,
        answered_at=T0 + timedelta(minutes=i),
    )
    fields.update(changes)
    return Attempt(**fields)


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def aside_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".corrupt-*"))


# --------------------------------------------------------------------------- messages


def test_every_message_has_japanese_and_english_and_formats():
    params = dict(path="/p", aside="/p.corrupt", found=3, supported=1, detail="d",
                  version=2, where="attempts[0].seed", problem="expected an integer",
                  name="x/y", limit=64, low=0, high=9, count=2, tables="attempts")
    keys = [key for key in catalogue("en") if key.startswith("store.")]
    assert "store.locked" in keys and "store.import_invalid" in keys
    for key in keys:
        for lang in ("ja", "en"):
            catalogue(lang)[key].format(**params)  # no unknown placeholders
    err = StoreError("store.locked", path="/x/progress.sqlite3")
    assert "/x/progress.sqlite3" in str(err) and "locked" in str(err)
    assert "ロック" in err.text("ja")
    notice = StoreNotice("store.corrupt_moved", {"path": "/a", "aside": "/a.corrupt-1"})
    assert "/a.corrupt-1" in str(notice) and "/a.corrupt-1" in notice.text("ja")


def test_core_modules_import_no_ui_and_no_fsrs():
    code = (
        "import sys, quizapp.progress.store, quizapp.progress.scheduler, quizapp.progress.paths\n"
        "bad = [m for m in ('textual', 'rich', 'fsrs') if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- migrations


def test_fresh_file_gets_the_current_schema(tmp_path):
    path = tmp_path / "progress.sqlite3"
    with Store.open(path) as store:
        assert store.notice is None
        assert store.schema_version == schema_version() == len(MIGRATIONS)
    assert user_version(path) == len(MIGRATIONS)
    assert {"attempts", "cards", "review_log", "sessions", "settings", "exams",
            "exam_answers"} <= tables(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == store_module.APPLICATION_ID
    conn.close()


def test_reopen_is_idempotent_and_keeps_data(tmp_path):
    path = tmp_path / "progress.sqlite3"
    with Store.open(path) as store:
        store.record_attempt(make_attempt(1))
    for _ in range(2):
        with Store.open(path) as store:
            assert store.notice is None
            assert store.schema_version == len(MIGRATIONS)
            assert store.attempts() == [make_attempt(1)]
    assert aside_files(path) == []


def test_version_zero_files_are_upgraded(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.sqlite3"
    sqlite3.connect(blank).execute("PRAGMA user_version = 0").close()
    for path in (empty, blank):
        with Store.open(path) as store:
            # A zero-byte file is started as a new store, and the user is told (#14 item 17).
            if path == empty:
                assert store.notice.key == "store.empty_file"
                assert str(empty) in store.notice.text("en")
            else:
                assert store.notice is None
            assert store.schema_version == len(MIGRATIONS)
            store.record_attempt(make_attempt())


def make_v1_file(path: Path) -> None:
    """A v1 file built by hand: migration 1 only, with one attempt in it."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    MIGRATIONS[0](Db(conn, SQLITE), "nobody")
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO attempts (uid, template_id, pack_id, pack_version, seed, raw_answer,"
        " parsed, correct, misconception, seconds, answered_at, mode)"
        " VALUES ('u1', 'ffn.t0', 'ffn', '1', 7, '0.5', '0.5', 1, NULL, 1.0,"
        " '2025-03-10T09:00:00.000000+00:00', 'study')"
    )
    conn.execute("COMMIT")
    conn.close()


def test_a_later_migration_upgrades_a_v1_file(tmp_path, monkeypatch):
    path = tmp_path / "progress.sqlite3"
    make_v1_file(path)
    v2 = migrations_module._statements("ALTER TABLE attempts ADD COLUMN hint_used INTEGER")
    monkeypatch.setattr(migrations_module, "MIGRATIONS", [*MIGRATIONS, v2])
    with Store.open(path) as store:
        assert store.schema_version == len(MIGRATIONS) + 1
        assert [a.seed for a in store.attempts()] == [7]
    with sqlite3.connect(path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(attempts)")]
    assert "hint_used" in columns


def test_a_failing_migration_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "progress.sqlite3"
    make_v1_file(path)
    broken = migrations_module._statements(
        "ALTER TABLE attempts ADD COLUMN hint_used INTEGER",
        "INSERT INTO no_such_table VALUES (1)",
    )
    monkeypatch.setattr(migrations_module, "MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert info.value.key == "store.open_failed"
    assert user_version(path) == len(MIGRATIONS)  # the shipped ones ran, the broken did not
    with sqlite3.connect(path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(attempts)")]
    assert "hint_used" not in columns


def test_a_newer_schema_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "progress.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        Store.open(path)
    err = info.value
    assert err.key == "store.too_new"
    assert err.params["found"] == len(MIGRATIONS) + 5
    assert "newer quizapp" in str(err) and str(path) in str(err)
    assert path.read_bytes() == before
    assert aside_files(path) == []


# --------------------------------------------------------------------------- corruption


def _check_moved_aside(path: Path, original: bytes, store: Store) -> Path:
    assert isinstance(store.notice, StoreNotice)
    assert store.notice.key == "store.corrupt_moved"
    (aside,) = [p for p in aside_files(path) if not p.name.endswith(("-wal", "-shm"))]
    assert re.fullmatch(r"progress\.sqlite3\.corrupt-\d{8}-\d{6}", aside.name)
    assert aside.read_bytes() == original
    assert store.notice.params["aside"] == str(aside)
    assert str(aside) in str(store.notice)
    # The fresh store works.
    store.record_attempt(make_attempt())
    assert len(store.attempts()) == 1
    return aside


def test_garbage_file_is_moved_aside_with_its_wal_and_shm(tmp_path):
    path = tmp_path / "progress.sqlite3"
    original = b"this is not a database, just some text\n" * 200
    path.write_bytes(original)
    Path(f"{path}-wal").write_bytes(b"wal junk")
    Path(f"{path}-shm").write_bytes(b"shm junk")
    with Store.open(path) as store:
        aside = _check_moved_aside(path, original, store)
    assert Path(f"{aside}-wal").read_bytes() == b"wal junk"
    assert Path(f"{aside}-shm").read_bytes() == b"shm junk"


def test_truncated_database_is_moved_aside(tmp_path):
    path = tmp_path / "progress.sqlite3"
    with Store.open(path) as store:
        for i in range(300):
            store.record_attempt(make_attempt(i, raw_answer="x" * 200))
    full = path.read_bytes()
    assert len(full) > 8 * 4096
    truncated = full[: len(full) // 2]
    path.write_bytes(truncated)
    with Store.open(path) as store:
        _check_moved_aside(path, truncated, store)


def test_overwritten_pages_are_detected(tmp_path):
    path = tmp_path / "progress.sqlite3"
    with Store.open(path) as store:
        for i in range(300):
            store.record_attempt(make_attempt(i, raw_answer="y" * 200))
    data = bytearray(path.read_bytes())
    data[4096 * 3: 4096 * 5] = b"\xa5" * (4096 * 2)  # scribble over two b-tree pages
    path.write_bytes(bytes(data))
    with Store.open(path) as store:
        _check_moved_aside(path, bytes(data), store)


def test_another_programs_database_is_moved_aside(tmp_path):
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    original = path.read_bytes()
    with Store.open(path) as store:
        _check_moved_aside(path, original, store)


# --------------------------------------------------------------------------- locks, dirs


def test_write_while_another_connection_holds_an_exclusive_lock(tmp_path):
    path = tmp_path / "progress.sqlite3"
    Store.open(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        store = Store.open(path, busy_timeout=0.2)  # WAL: readers are not blocked
        started = time.monotonic()
        with pytest.raises(StoreError) as info:
            store.record_attempt(make_attempt())
        assert time.monotonic() - started < 3
        assert info.value.key == "store.locked"
        assert str(path) in str(info.value)
        assert store.attempts() == []  # reads still work
        store.close()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_open_while_another_connection_holds_an_exclusive_lock(tmp_path):
    path = tmp_path / "progress.sqlite3"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode = DELETE")
    other.execute("CREATE TABLE t (x)")  # a rollback-journal file, exclusively locked
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as info:
            Store.open(path, busy_timeout=0.2)
        assert info.value.key == "store.locked"
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert aside_files(path) == []


def test_unwritable_directory(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError) as info:
        Store.open(blocker / "progress.sqlite3")
    assert info.value.key == "store.dir_unwritable"


def test_a_folder_in_place_of_the_file(tmp_path):
    path = tmp_path / "progress.sqlite3"
    path.mkdir()
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert info.value.key == "store.open_failed"


# --------------------------------------------------------------------------- attempts


def test_attempt_round_trip_and_filters(new_store):
    store = new_store()
    attempts = [make_attempt(i) for i in range(6)]
    ids = [store.record_attempt(a) for a in attempts]
    assert ids == sorted(ids) and len(set(ids)) == 6
    assert store.attempts() == attempts
    assert store.attempts(template_id="ffn.t1") == [attempts[1], attempts[4]]
    assert store.attempts(since=T0 + timedelta(minutes=4)) == attempts[4:]
    assert store.attempts(limit=2) == attempts[4:]
    assert store.attempts(template_id="nothing") == []


def test_attempt_validation(new_store):
    naive = datetime(2025, 3, 10, 9, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        make_attempt(answered_at=naive)
    with pytest.raises(ValueError):
        make_attempt(mode="practice")
    with pytest.raises(ValueError):
        make_attempt(seconds=-1)
    with pytest.raises(ValueError):
        make_attempt(seed=2**70)
    with pytest.raises(TypeError):
        make_attempt(seed="12")
    a = make_attempt(pack_version=3, answered_at=datetime(2025, 3, 10, 18, 0,
                                                          tzinfo=timezone(timedelta(hours=9))))
    assert a.pack_version == "3"
    store = new_store()
    store.record_attempt(a)
    (back,) = store.attempts()
    assert back.answered_at == T0 and back.answered_at.tzinfo == UTC
    with pytest.raises(ValueError, match="timezone-aware"):
        store.attempts(since=naive)


def test_numpy_values_in_parsed_are_stored_as_json(new_store):
    np = pytest.importorskip("numpy")
    store = new_store()
    store.record_attempt(make_attempt(parsed=np.array([[1.5, 2.0]]), seed=np.int64(5)))
    (back,) = store.attempts()
    assert back.parsed == [[1.5, 2.0]] and back.seed == 5


def test_attempt_with_an_unknown_session_is_refused(new_store):
    store = new_store()
    with pytest.raises(ValueError):
        store.record_attempt(make_attempt(session_id=99))
    assert store.attempts() == []


# --------------------------------------------------------------------------- cards


def _update(card: str, due: datetime, stability: float | None = 1.0):
    seen: list[str | None] = []

    def update(old: str | None) -> CardUpdate:
        seen.append(old)
        return CardUpdate(card_json=card, due=due, stability=stability,
                          review_log_json='{"rating": 3}', rating=3)

    return update, seen


def test_save_attempt_and_card_is_one_transaction(new_store):
    store = new_store()
    update, seen = _update('{"n": 1}', T0 + timedelta(days=1))
    attempt_id = store.save_attempt_and_card("ffn.t0", update, attempt=make_attempt(0), now=T0)
    assert isinstance(attempt_id, int) and seen == [None]
    card = store.card("ffn.t0")
    assert card.card_json == '{"n": 1}' and card.due == T0 + timedelta(days=1)
    assert card.first_review_at == T0 and card.updated_at == T0

    # A failing attempt insert (unknown session) leaves the card as it was.
    update2, seen2 = _update('{"n": 2}', T0 + timedelta(days=5))
    with pytest.raises(ValueError):
        store.save_attempt_and_card("ffn.t0", update2, attempt=make_attempt(3, session_id=42,
                                    template_id="ffn.t0"), now=T0 + timedelta(days=1))
    assert seen2 == ['{"n": 1}']
    assert store.card("ffn.t0").card_json == '{"n": 1}'
    assert len(store.attempts()) == 1

    # A failing update callback leaves everything as it was.
    def boom(old):
        raise RuntimeError("card math failed")

    with pytest.raises(RuntimeError):
        store.save_attempt_and_card("ffn.t0", boom, attempt=make_attempt(0), now=T0)
    assert len(store.attempts()) == 1

    # The first review time is kept on later reviews.
    update3, _ = _update('{"n": 3}', T0 + timedelta(days=9), 30.0)
    store.save_attempt_and_card("ffn.t0", update3, now=T0 + timedelta(days=2))
    card = store.card("ffn.t0")
    assert card.first_review_at == T0 and card.updated_at == T0 + timedelta(days=2)
    assert card.stability == 30.0
    assert list(store.cards()) == ["ffn.t0"]

    with pytest.raises(ValueError):  # the attempt must be for the same template
        store.save_attempt_and_card("ffn.t9", update3, attempt=make_attempt(0), now=T0)


# --------------------------------------------------------------------------- settings, sessions


def test_settings(new_store):
    store = new_store()
    assert store.get_setting("lang", "ja") == "ja"
    store.set_setting("lang", "en")
    store.set_setting("new_limit", 15)
    store.set_setting("topics", {"ffn": True, "cnn": False})
    store.set_setting("lang", "ja")
    assert store.get_setting("lang") == "ja"
    assert store.get_setting("topics") == {"ffn": True, "cnn": False}
    assert store.settings() == {"lang": "ja", "new_limit": 15,
                                "topics": {"ffn": True, "cnn": False}}
    with pytest.raises(TypeError):
        store.set_setting("bad", object())


def test_sessions(new_store):
    store = new_store()
    sid = store.start_session("study", filter="topic=activation", planned=10, now=T0)
    store.record_attempt(make_attempt(0, session_id=sid))
    assert store.session(sid).ended_at is None
    store.end_session(sid, {"answered": 1, "correct": 1}, now=T0 + timedelta(minutes=5))
    s = store.session(sid)
    assert (s.mode, s.filter, s.planned) == ("study", "topic=activation", 10)
    assert s.summary == {"answered": 1, "correct": 1}
    assert s.ended_at == T0 + timedelta(minutes=5)
    assert store.attempts()[0].session_id == sid
    assert [x.id for x in store.sessions()] == [sid]
    with pytest.raises(ValueError):
        store.end_session(999, {})
    with pytest.raises(ValueError):
        store.start_session("nap")
    with pytest.raises(ValueError):
        store.start_session("study", now=datetime(2025, 1, 1))


# --------------------------------------------------------------------------- exams


def test_exam_lifecycle(new_store):
    store = new_store()
    config = {"blueprint": {"ffn": 2}, "minutes": 10, "items": [["ffn.t0", 1], ["ffn.t1", 2]]}
    exam_id = store.create_exam(42, config, preset="mini", now=T0)
    running = store.running_exam()
    assert running.id == exam_id and running.status == "running"
    assert running.config == config and running.last_resumed_at == T0
    assert running.answers == {}

    store.save_exam_answer(exam_id, 0, "0.25", now=T0 + timedelta(seconds=30))
    store.save_exam_answer(exam_id, 1, None, flagged=True, now=T0 + timedelta(seconds=40))
    store.save_exam_answer(exam_id, 0, "0.5", now=T0 + timedelta(seconds=50))
    exam = store.exam(exam_id)
    assert exam.answers[0].answer == "0.5" and not exam.answers[0].flagged
    assert exam.answers[1].answer is None and exam.answers[1].flagged

    # Time: checkpoints fold the running interval in; a pause stops the clock.
    assert store.checkpoint_exam_time(exam_id, now=T0 + timedelta(seconds=60)) == 60
    assert store.checkpoint_exam_time(exam_id, now=T0 + timedelta(seconds=90), pause=True) == 90
    assert store.exam(exam_id).last_resumed_at is None
    # The app was closed for an hour: not counted.
    store.resume_exam(exam_id, now=T0 + timedelta(hours=1))
    assert store.add_exam_time(exam_id, 5) == 95
    store.finish_exam(exam_id, {"correct": 1, "total": 2},
                      now=T0 + timedelta(hours=1, seconds=10))
    exam = store.exam(exam_id)
    assert exam.status == "finished" and exam.score == {"correct": 1, "total": 2}
    assert exam.elapsed_seconds == pytest.approx(105)
    assert exam.finished_at == T0 + timedelta(hours=1, seconds=10)
    assert store.running_exam() is None
    with pytest.raises(ValueError, match="finished"):
        store.save_exam_answer(exam_id, 0, "1")

    other = store.create_exam(7, {"items": []}, now=T0 + timedelta(days=1))
    store.set_exam_status(other, "abandoned", now=T0 + timedelta(days=1, minutes=1))
    assert store.exam(other).status == "abandoned"
    assert store.exam(other).elapsed_seconds == 60
    assert [e.id for e in store.exams()] == [other, exam_id]
    assert store.exam(12345) is None
    with pytest.raises(ValueError):
        store.set_exam_status(other, "paused")
    with pytest.raises(ValueError):
        store.save_exam_answer(12345, 0, "x")


# --------------------------------------------------------------------------- export / import


def populated_store(new_store) -> Store:
    from quizapp.progress.scheduler import Scheduler

    store = new_store()
    scheduler = Scheduler(store, clock=lambda: T0)
    sid = store.start_session("study", filter="pack=ffn", planned=3, now=T0)
    for i in range(3):
        a = make_attempt(i, session_id=sid)
        scheduler.review(a.template_id, a.correct, a, now=a.answered_at)
    scheduler.record_cram(make_attempt(5))
    store.end_session(sid, {"answered": 3}, now=T0 + timedelta(minutes=10))
    store.set_setting("lang", "en", now=T0)
    exam_id = store.create_exam(9, {"items": [["ffn.t0", 3]]}, preset="mini", now=T0)
    store.save_exam_answer(exam_id, 0, "0.1", flagged=True, now=T0)
    store.finish_exam(exam_id, {"correct": 0}, now=T0 + timedelta(minutes=1))
    return store


def comparable(export: dict) -> dict:
    return {k: v for k, v in export.items() if k not in ("exported_at", "profile")}


def test_export_is_versioned_json(new_store):
    data = populated_store(new_store).export_json()
    assert data["format"] == "quizapp-progress" and data["version"] == 1
    assert len(data["attempts"]) == 4 and len(data["cards"]) == 3
    assert len(data["review_log"]) == 3 and len(data["exams"]) == 1
    assert json.loads(json.dumps(data)) == data


def test_import_round_trip_and_idempotence(new_store):
    source = populated_store(new_store)
    data = json.loads(json.dumps(source.export_json()))
    target = new_store()
    added = target.import_json(data)
    assert added == {"sessions": 1, "attempts": 4, "cards": 3, "review_log": 3,
                     "settings": 1, "exams": 1}
    assert comparable(target.export_json()) == comparable(source.export_json())
    again = target.import_json(data)
    assert set(again.values()) == {0}
    assert comparable(target.export_json()) == comparable(source.export_json())
    # Importing a store's own export into itself adds nothing either.
    assert set(source.import_json(source.export_json()).values()) == {0}


def test_merge_keeps_local_rows_and_replace_does_not(new_store):
    data = populated_store(new_store).export_json()
    target = new_store()
    target.record_attempt(make_attempt(7, template_id="local.only"))
    target.import_json(data, merge=True)
    assert len(target.attempts()) == 5
    target.import_json(data, merge=False)
    assert len(target.attempts()) == 4
    assert "local.only" not in {a.template_id for a in target.attempts()}


def test_import_newer_card_wins(new_store):
    data = populated_store(new_store).export_json()
    target = new_store()
    target.import_json(data)
    newer = json.loads(json.dumps(data))
    newer["cards"][0]["updated_at"] = "2030-01-01T00:00:00+00:00"
    newer["cards"][0]["stability"] = 99.0
    assert target.import_json(newer)["cards"] == 1
    assert target.card(newer["cards"][0]["template_id"]).stability == 99.0
    assert target.import_json(data)["cards"] == 0  # the older one does not come back


@pytest.mark.parametrize(
    ("mutate", "key", "where"),
    [
        (lambda d: [], "store.import_not_progress", None),
        (lambda d: {"format": "something-else"}, "store.import_not_progress", None),
        (lambda d: {**d, "version": 2}, "store.import_too_new", None),
        (lambda d: {**d, "attempts": "nope"}, "store.import_invalid", "attempts"),
        (lambda d: d["attempts"][0].update(seed="12") or d, "store.import_invalid",
         "attempts[0].seed"),
        (lambda d: d["attempts"][1].pop("answered_at") and d, "store.import_invalid",
         "attempts[1].answered_at"),
        (lambda d: d["attempts"][0].update(answered_at="2025-01-01T00:00:00") or d,
         "store.import_invalid", "attempts[0].answered_at"),
        (lambda d: d["attempts"][0].update(session="ghost") or d, "store.import_invalid",
         "attempts[0].session"),
        (lambda d: d["exams"][0]["answers"][0].update(flagged=1) or d, "store.import_invalid",
         "exams[0].answers[0].flagged"),
    ],
)
def test_import_rejects_wrong_files_and_changes_nothing(mutate, key, where, new_store):
    data = json.loads(json.dumps(populated_store(new_store).export_json()))
    target = new_store()
    target.record_attempt(make_attempt(1))
    before = comparable(target.export_json())
    with pytest.raises(StoreError) as info:
        target.import_json(mutate(data))
    assert info.value.key == key
    if where is not None:
        assert info.value.params["where"] == where
        assert where in str(info.value)
    assert comparable(target.export_json()) == before
