"""Profiles, PostgreSQL, moving a profile between back ends, the cohort view (issue #15)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_stats_cli import fsrs_card
from test_store import comparable, make_attempt, make_v1_file, populated_store

from quizapp.cli import main
from quizapp.progress.cohort import collect_cohort, format_cohort
from quizapp.progress.migrations import MIGRATIONS
from quizapp.progress.records import CardUpdate, default_profile
from quizapp.progress.sql import SQLITE, Db
from quizapp.progress.store import Store, StoreError

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def test_profiles_see_only_their_own_rows(new_store):
    alice = new_store()
    bob = alice.for_profile(alice.profile + "-bob")
    alice.record_attempt(make_attempt(0))
    alice.set_setting("lang", "en")
    sid = alice.start_session("study", now=T0)
    exam = alice.create_exam(1, {"items": []}, now=T0)
    bob.record_attempt(make_attempt(1))
    assert [a.seed for a in alice.attempts()] == [1000]
    assert [a.seed for a in bob.attempts()] == [1001]
    assert bob.get_setting("lang") is None and bob.settings() == {}
    assert bob.session(sid) is None and bob.sessions() == []
    assert bob.exam(exam) is None and bob.running_exam() is None
    with pytest.raises(ValueError):  # another profile's session
        bob.record_attempt(make_attempt(2, session_id=sid))
    with pytest.raises(ValueError):
        bob.save_exam_answer(exam, 0, "x")
    assert list(bob.accuracy_by_template()) == ["ffn.t1"]
    assert bob.export_json()["attempts"][0]["seed"] == 1001
    assert {alice.profile, bob.profile} <= set(alice.profiles())


def test_a_v1_file_migrates_into_the_default_profile(tmp_path):
    path = tmp_path / "progress.sqlite3"
    make_v1_file(path)
    with Store.open(path) as store:
        assert store.schema_version == len(MIGRATIONS) == 2
        assert store.profile == default_profile()
        assert [a.seed for a in store.attempts()] == [7]
        store.record_attempt(make_attempt(1))  # ids continue after the copied ones
    with Store.open(path, profile="someone-else") as other:
        assert other.attempts() == []


def test_bad_profile_names_are_refused():
    for name in ("", " x", "a/b", "x" * 65, "tab\there"):
        with pytest.raises(StoreError) as info:
            Store.memory(name)
        assert info.value.key == "store.bad_profile"


def test_export_import_moves_a_profile_between_sqlite_and_postgresql(tmp_path, pg_url):
    source = populated_store(lambda: Store.memory("mover"))
    data = json.loads(json.dumps(source.export_json()))
    with Store.open(pg_url, profile="mover-on-pg") as pg:
        assert pg.backend == "postgresql"
        assert sum(pg.import_json(data).values()) > 0
        on_pg = pg.export_json()
        assert comparable(on_pg) == comparable(data)
        assert set(pg.import_json(on_pg).values()) == {0}
    with Store.open(tmp_path / "back.sqlite3", profile="mover") as back:
        back.import_json(json.loads(json.dumps(on_pg)))
        assert comparable(back.export_json()) == comparable(data)
        assert back.running_exam() is None and len(back.exams()) == 1


def test_cli_db_and_profile_options(tmp_path, pg_url, capsys):
    db = tmp_path / "elsewhere.sqlite3"
    with Store.open(db, profile="ann") as store:
        store.record_attempt(make_attempt(0, template_id="test.mini.chain"))
    assert main(["--lang", "en", "--data-dir", str(tmp_path / "d"), "--db", str(db),
                 "--profile", "ann", "export", "-"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["profile"] == "ann" and len(out["attempts"]) == 1
    (tmp_path / "ann.json").write_text(json.dumps(out))
    assert main(["--db", pg_url, "--profile", "ann-cli", "import", str(tmp_path / "ann.json")]) == 0
    assert main(["--db", pg_url, "--profile", "ann-cli", "export", "-"]) == 0
    assert len(json.loads(capsys.readouterr().out.split("\n", 1)[1])["attempts"]) == 1


def test_cohort_aggregates_every_profile(new_store, mini, capsys):
    first = new_store()
    prefix = first.profile
    learners = [first.for_profile(f"{prefix}-{name}") for name in ("ann", "ben", "cy")]
    for n, learner in enumerate(learners):
        for i in range(n + 1):
            learner.record_attempt(make_attempt(
                i, template_id="test.mini.sigmoid_grad", pack_id="test.mini",
                correct=i == 0, misconception=None if i == 0 else "sigma_not_derivative"))
    learners[2].save_attempt_and_card(
        "test.mini.chain",
        lambda _old: CardUpdate(card_json=fsrs_card(), due=T0, stability=1.0),
        now=T0,
    )
    data = collect_cohort(first, mini, T0 + timedelta(days=3))
    mine = [p for p in data["profiles"] if p.startswith(prefix)]
    assert sorted(mine) == sorted(learner.profile for learner in learners)
    if new_store.backend == "sqlite":  # a database of its own: exact totals
        assert data["attempts"] == 6 and data["learners"] == 3
        (topic,) = data["by_topic"]
        assert topic["learners"] == 3 and topic["attempts"] == 6 and topic["correct"] == 3
        assert data["misconceptions"] == [
            {"template": "test.mini.sigmoid_grad", "tag": "sigma_not_derivative",
             "message": "That is σ(x), not σ'(x).", "count": 3, "learners": 2}]
    behind = {b["profile"]: b for b in data["behind"]}
    assert behind[learners[2].profile] == {"profile": learners[2].profile, "due": 1,
                                           "overdue": 1}
    assert learners[0].profile not in behind
    text = format_cohort(data, "ja")
    assert learners[2].profile in text and "復習" in text
    if new_store.backend == "sqlite":  # the mistake in words, not its tag
        text = format_cohort(collect_cohort(first, mini, T0 + timedelta(days=3), "ja"), "ja")
        assert "test.mini.sigmoid_grad：σ(x) を答えています。（3 回、2 人）" in text
        assert "sigma_not_derivative" not in text
    # Nothing of another profile shows on a learner's own statistics.
    assert learners[0].misconception_counts() == {}
    assert len(learners[0].attempts()) == 1


def test_stats_cohort_command(tmp_path, capsys):
    db = tmp_path / "cohort.sqlite3"
    for name, correct in (("ann", True), ("ben", False)):
        with Store.open(db, profile=name) as store:
            store.record_attempt(make_attempt(0, template_id="x.gone", correct=correct))
    assert main(["--lang", "en", "--data-dir", str(tmp_path), "--db", str(db),
                 "stats", "--cohort", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["learners"] == 2 and data["by_field"][0]["accuracy"] == 0.5
    assert data["profiles"] == ["ann", "ben"]
    assert main(["--lang", "en", "--data-dir", str(tmp_path), "--db", str(db),
                 "stats", "--cohort"]) == 0
    assert "learners: 2" in capsys.readouterr().out


_KILLED_EXAM = textwrap.dedent("""
    import os, signal, sys
    from datetime import UTC, datetime
    from quizapp.progress.store import Store
    store = Store.open(sys.argv[1], profile=sys.argv[2])
    exam = store.create_exam(7, {"items": [["a", 1], ["b", 2]]}, preset="mini")
    store.save_exam_answer(exam, 0, "0.5", flagged=True)
    store.checkpoint_exam_time(exam)
    print(exam, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
""")


def test_an_exam_resumes_after_a_kill_on_postgresql(pg_url):
    proc = subprocess.run([sys.executable, "-c", _KILLED_EXAM, pg_url, "killed"],
                          capture_output=True, text=True, cwd=ROOT, env=dict(os.environ))
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    exam_id = int(proc.stdout.strip())
    with Store.open(pg_url, profile="killed") as store:
        record = store.running_exam()
        assert record is not None and record.id == exam_id
        assert record.answers[0].answer == "0.5" and record.answers[0].flagged
        store.resume_exam(exam_id)


def test_migrations_run_on_a_fresh_postgresql_database_and_are_idempotent(pg_url):
    with Store.open(pg_url) as a, Store.open(pg_url) as b:
        assert a.schema_version == b.schema_version == len(MIGRATIONS)


def test_db_wrapper_translates_placeholders():
    import sqlite3

    db = Db(sqlite3.connect(":memory:"), SQLITE)
    assert db.sql("SELECT {least}(1, 2) WHERE ? = ?") == "SELECT MIN(1, 2) WHERE ? = ?"
    pg = Db(None, "postgresql")
    assert pg.sql("SELECT {least}(a, b), '5%' WHERE x = ?") == (
        "SELECT LEAST(a, b), '5%%' WHERE x = %s")
