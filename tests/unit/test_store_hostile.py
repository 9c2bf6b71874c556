"""Issue #14 items 14–18: nothing a backup or a damaged row contains may break later commands."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from test_store import make_attempt, populated_store

from quizapp.cli import main
from quizapp.progress.paths import db_path
from quizapp.progress.store import Store, StoreError


@pytest.fixture(autouse=True)
def _quiet_env(monkeypatch):
    for var in ("QUIZAPP_HOME", "QUIZAPP_PACKS", "QUIZAPP_DB", "QUIZAPP_PROFILE"):
        monkeypatch.delenv(var, raising=False)


def export_of(new_store) -> dict:
    return json.loads(json.dumps(populated_store(new_store).export_json()))


# --------------------------------------------------------------------------- item 14


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda d: d["cards"][0].update(card={"evil": True}), "cards[0].card.card_id"),
        (lambda d: d["cards"][0]["card"].update(state=9), "cards[0].card.state"),
        (lambda d: d["cards"][0]["card"].update(due="tomorrow"), "cards[0].card.due"),
        (lambda d: d["cards"][0]["card"].update(extra=1), "cards[0].card.extra"),
        (lambda d: d["review_log"][0].update(log={}), "review_log[0].log.card_id"),
        (lambda d: d["review_log"][0]["log"].update(rating=7), "review_log[0].log.rating"),
    ],
)
def test_a_card_fsrs_cannot_load_is_refused_and_nothing_imported(new_store, mutate, where):
    data = export_of(new_store)
    mutate(data)
    target = new_store()
    with pytest.raises(StoreError) as info:
        target.import_json(data)
    assert info.value.params["where"] == where and where in info.value.text("ja")
    assert target.export_json()["attempts"] == [] and target.cards() == {}


def test_cli_import_of_an_evil_card_exits_1_and_answering_still_works(tmp_path, capsys):
    data = export_of(Store.memory)
    data["cards"][0]["card"] = {"evil": True}
    (tmp_path / "evil.json").write_text(json.dumps(data))
    home = tmp_path / "home"
    assert main(["--lang", "en", "--data-dir", str(home), "import",
                 str(tmp_path / "evil.json")]) == 1
    assert "cards[0].card.card_id" in capsys.readouterr().err
    from quizapp.progress.scheduler import Scheduler

    with Store.open(db_path(home)) as store:
        assert store.cards() == {}
        Scheduler(store).review("ffn.t0", True, make_attempt(0))


# --------------------------------------------------------------------------- item 15


def damaged_data_dir(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    with Store.open(db_path(home)) as store:
        for i in range(3):
            store.record_attempt(make_attempt(i, template_id="test.mini.sigmoid_grad"))
        exam = store.create_exam(3, {"items": []})
        store.set_setting("lang", "en")
    conn = sqlite3.connect(db_path(home))
    conn.execute("UPDATE attempts SET parsed = '{\"value\": 0.' WHERE id = 2")
    conn.execute("UPDATE exams SET config_json = '[' WHERE id = ?", (exam,))
    conn.execute("UPDATE settings SET value = 'nope'")
    conn.commit()
    conn.close()
    return home


def test_a_damaged_row_is_skipped_by_stats_and_export(tmp_path, capsys):
    home = damaged_data_dir(tmp_path)
    assert main(["--lang", "en", "--data-dir", str(home), "stats", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["totals"]["attempts"] == 2
    assert "damaged" in err and "attempts [2]" in err
    assert main(["--lang", "ja", "--data-dir", str(home), "export", "-"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert [a["seed"] for a in data["attempts"]] == [1000, 1002]
    assert data["exams"] == [] and data["settings"] == []
    assert "破損" in err
    with Store.open(db_path(home)) as store:  # the readers of the TUI too
        assert len(store.attempts()) == 2 and store.running_exam() is None
        assert store.get_setting("lang", "ja") == "ja"
        assert store.damaged == {"attempts": [2], "exams": [1], "settings": ["lang"]}


# --------------------------------------------------------------------------- item 16


@pytest.mark.parametrize(
    ("table", "field", "where", "low", "high"),
    [
        ("review_log", "rating", "review_log[0].rating", 1, 4),
        ("sessions", "planned", "sessions[0].planned", 0, 100_000),
        ("exams", "seed", "exams[0].seed", 0, 2**63 - 1),
        ("attempts", "seed", "attempts[0].seed", -(2**63), 2**63 - 1),
    ],
)
def test_numbers_out_of_range_name_the_field_and_the_range(new_store, table, field, where,
                                                           low, high):
    data = export_of(new_store)
    data[table][0][field] = 10**30
    target = new_store()
    with pytest.raises(StoreError) as info:
        target.import_json(data)
    err = info.value
    assert err.key == "store.import_range"
    assert (err.params["where"], err.params["low"], err.params["high"]) == (where, low, high)
    assert where in str(err) and str(high) in err.text("ja")
    assert target.export_json()["attempts"] == []


# --------------------------------------------------------------------------- item 17


def test_a_negative_schema_version_is_a_clear_message(tmp_path, capsys):
    path = tmp_path / "progress.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = -5")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert info.value.key == "store.bad_version" and info.value.params["found"] == -5
    assert path.read_bytes() == before
    assert main(["--lang", "en", "--data-dir", str(tmp_path), "stats"]) == 1
    assert "-5" in capsys.readouterr().err


def test_a_read_only_database_says_so(tmp_path, capsys):
    path = db_path(tmp_path)
    with Store.open(path) as store:
        store.record_attempt(make_attempt(0, template_id="test.mini.sigmoid_grad"))
    path.chmod(0o444)
    try:
        with pytest.raises(StoreError) as info:
            Store.open(path)
        assert info.value.key == "store.read_only"
        assert "read-only" in str(info.value) and "読み取り専用" in info.value.text("ja")
        from quizapp.tui.launch import open_store

        store, problem = open_store(lambda: tmp_path, "en")
        store.close()
        assert "read-only" in problem
        # Commands that only read still work, and write nothing.
        assert main(["--lang", "en", "--data-dir", str(tmp_path), "stats", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["totals"]["attempts"] == 1
        with Store.open(path, read_only=True) as store:
            assert store.read_only and len(store.attempts()) == 1
            with pytest.raises(StoreError) as info:
                store.record_attempt(make_attempt(1))
            assert info.value.key == "store.read_only"
    finally:
        path.chmod(0o644)


def test_a_read_only_data_folder_still_allows_stats_and_export(tmp_path, capsys):
    home = tmp_path / "home"
    with Store.open(db_path(home)) as store:
        store.record_attempt(make_attempt(0, template_id="test.mini.sigmoid_grad"))
    home.chmod(0o555)
    try:
        assert main(["--lang", "en", "--data-dir", str(home), "stats", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["totals"]["attempts"] == 1
        assert main(["--lang", "en", "--data-dir", str(home), "export", "-"]) == 0
        assert len(json.loads(capsys.readouterr().out)["attempts"]) == 1
        assert main(["--lang", "en", "--data-dir", str(home), "import", "-"]) == 1
        capsys.readouterr()
    finally:
        home.chmod(0o755)


@pytest.mark.parametrize("kind", ["file", "below_a_file"])
def test_commands_without_a_store_ignore_an_unusable_data_folder(tmp_path, capsys, kind):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    folder = blocker if kind == "file" else blocker / "sub"
    args = ["--lang", "en", "--data-dir", str(folder)]
    assert main([*args, "packs", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["packs"]
    assert main([*args, "sample", "ffn.activation.sigmoid_value", "--seed", "1"]) == 0
    assert main([*args, "grade", "ffn.activation.sigmoid_value", "--seed", "1",
                 "--answer", "0.5"]) == 0
    capsys.readouterr()
    assert main([*args, "stats"]) == 1  # a store is needed: a message, not a crash
    assert "Cannot write to the data folder" in capsys.readouterr().err


# --------------------------------------------------------------------------- item 18


def test_importing_many_rows_sharing_one_uid_reports_the_duplicates(tmp_path, capsys):
    one = export_of(Store.memory)["attempts"][0]
    one["session"] = None
    data = {"format": "quizapp-progress", "version": 1, "sessions": [], "cards": [],
            "review_log": [], "settings": [], "exams": [], "attempts": [one] * 100_000}
    (tmp_path / "dup.json").write_text(json.dumps(data))
    assert main(["--lang", "en", "--data-dir", str(tmp_path / "h"), "import",
                 str(tmp_path / "dup.json")]) == 0
    out, err = capsys.readouterr()
    assert "99999" in err and "attempts" in err
    with Store.open(db_path(tmp_path / "h")) as store:
        assert len(store.attempts()) == 1
        assert store.import_json(data)["attempts"] == 0
        assert store.last_import_duplicates == {"attempts": 99_999}
