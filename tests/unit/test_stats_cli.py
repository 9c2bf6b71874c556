"""`quizapp stats`, `export` and `import` through quizapp.cli.main, on tmp data dirs."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.progress.paths import db_path
from quizapp.progress.store import APPLICATION_ID, Attempt, CardUpdate, Store

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _quiet_env(monkeypatch):
    for var in ("QUIZAPP_HOME", "QUIZAPP_PACKS", "QUIZAPP_DEBUG"):
        monkeypatch.delenv(var, raising=False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def fsrs_card() -> str:
    import fsrs

    return fsrs.Card(card_id=1, due=T0 + timedelta(days=1)).to_json()


def fsrs_log() -> str:
    import fsrs

    return fsrs.ReviewLog(card_id=1, rating=fsrs.Rating.Good, review_datetime=T0,
                          review_duration=None).to_json()


def filled(data_dir: Path) -> Path:
    """A data dir with attempts, a card, a session and a finished exam."""
    with Store.open(db_path(data_dir)) as s:
        session = s.start_session("study", now=T0)
        for i, (ok, tag) in enumerate(
            [(False, "sigma_not_derivative"), (True, None), (False, "sigma_not_derivative")]
        ):
            s.record_attempt(Attempt(
                template_id="test.mini.sigmoid_grad", pack_id="test.mini", pack_version="1",
                seed=i, raw_answer="0.2", parsed=0.2, correct=ok, misconception=tag,
                seconds=5.0, answered_at=T0 + timedelta(hours=i), session_id=session,
            ))
        s.save_attempt_and_card(
            "test.mini.chain",
            lambda _old: CardUpdate(card_json=fsrs_card(), due=T0 + timedelta(days=1),
                                    stability=2.0, review_log_json=fsrs_log(), rating=3),
            attempt=Attempt(
                template_id="test.mini.chain", pack_id="test.mini", pack_version="1", seed=9,
                raw_answer="1", parsed=0, correct=True, misconception=None, seconds=4.0,
                answered_at=T0,
            ),
            now=T0,
        )
        s.end_session(session, {"done": 4}, now=T0 + timedelta(hours=3))
        exam = s.create_exam(5, {"items": [["test.mini.chain", 1]]}, preset="quick", now=T0)
        s.save_exam_answer(exam, 0, "1", now=T0)
        s.finish_exam(exam, {"overall": {"correct": 1, "total": 1}}, now=T0 + timedelta(minutes=2))
        s.set_setting("lang", "en", now=T0)
    return data_dir


def test_stats_json(tmp_path, capsys):
    d = filled(tmp_path / "home")
    code, out, err = run(capsys, "--data-dir", str(d), "--packs", str(GOOD), "--lang", "en",
                         "stats", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["totals"]["attempts"] == 4
    assert data["totals"]["correct"] == 2
    assert data["totals"]["accuracy"] == 0.5
    (mis,) = data["misconceptions"]
    assert (mis["tag"], mis["count"], mis["message"]) == (
        "sigma_not_derivative", 2, "That is σ(x), not σ'(x).")
    assert [e["percent"] for e in data["exams"]] == [100.0]
    assert len(data["reviews_per_day"]) == 30
    assert len(data["due_forecast"]) == 14
    assert "Traceback" not in err


def test_stats_json_in_japanese(tmp_path, capsys):
    d = filled(tmp_path / "home")
    code, out, _ = run(capsys, "--data-dir", str(d), "--packs", str(GOOD), "--lang", "ja",
                       "stats", "--json")
    assert code == 0
    assert json.loads(out)["misconceptions"][0]["message"] == "σ(x) を答えています。"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", ["Your progress", "Answers: 4, correct: 2 (50%)", "Mock exam history"]),
     ("ja", ["学習の記録", "解答 4 問・正解 2 問（正答率 50%）", "模試の履歴"])],
)
def test_stats_text(tmp_path, capsys, lang, expected):
    d = filled(tmp_path / "home")
    code, out, _ = run(capsys, "--data-dir", str(d), "--packs", str(GOOD), "--lang", lang,
                       "stats")
    assert code == 0
    for text in expected:
        assert text in out


def test_stats_on_a_fresh_data_dir(tmp_path, capsys):
    code, out, _ = run(capsys, "--lang", "en", "--data-dir", str(tmp_path / "new"), "stats")
    assert code == 0
    assert "No answers recorded yet" in out


def test_export_import_round_trip_is_idempotent(tmp_path, capsys):
    src = filled(tmp_path / "src")
    backup = tmp_path / "backup.json"
    code, _, err = run(capsys, "--lang", "en", "--data-dir", str(src), "export", str(backup))
    assert code == 0
    assert f"Wrote {backup} (4 answers, 1 cards, 1 exams)." in err
    exported = json.loads(backup.read_text(encoding="utf-8"))
    assert exported["format"] == "quizapp-progress"
    assert not list(tmp_path.glob(".backup.json.*"))  # no temporary file left behind

    dst = tmp_path / "dst"
    code, out, err = run(capsys, "--lang", "en", "--data-dir", str(dst), "import", str(backup))
    assert code == 0, err
    assert "added or updated 4 answers, 1 cards, 1 exams, 1 sessions" in out
    with Store.open(db_path(dst)) as s:
        assert len(s.attempts()) == 4
        assert s.card("test.mini.chain") is not None
        assert s.exams()[0].score == {"overall": {"correct": 1, "total": 1}}
        assert s.get_setting("lang") == "en"

    code, out, _ = run(capsys, "--lang", "en", "--data-dir", str(dst), "import", str(backup))
    assert code == 0
    assert "Nothing new" in out
    with Store.open(db_path(dst)) as s:
        assert len(s.attempts()) == 4

    code, out, _ = run(capsys, "--lang", "ja", "--data-dir", str(dst), "import", str(backup))
    assert "取り込み済み" in out

    # Both data dirs now give the same statistics.
    stats = []
    for d in (src, dst):
        code, out, _ = run(capsys, "--data-dir", str(d), "--packs", str(GOOD), "stats", "--json")
        data = json.loads(out)
        data.pop("generated_at")
        stats.append(data)
    assert stats[0] == stats[1]


def test_export_to_stdout(tmp_path, capsys):
    src = filled(tmp_path / "src")
    code, out, _ = run(capsys, "--data-dir", str(src), "export", "-")
    assert code == 0
    assert len(json.loads(out)["attempts"]) == 4


def test_export_replaces_an_existing_file_whole(tmp_path, capsys):
    src = filled(tmp_path / "src")
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    assert run(capsys, "--data-dir", str(src), "export", str(target))[0] == 0
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == 1


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_export_to_a_missing_folder_fails_clearly(tmp_path, capsys, lang):
    src = filled(tmp_path / "src")
    target = tmp_path / "nowhere" / "out.json"
    code, _, err = run(capsys, "--lang", lang, "--data-dir", str(src), "export", str(target))
    assert code == 1
    assert ("Cannot write" if lang == "en" else "書き込めません") in err
    assert str(target) in err
    assert "Traceback" not in err


def test_export_to_a_folder_fails_clearly(tmp_path, capsys):
    src = filled(tmp_path / "src")
    code, _, err = run(capsys, "--lang", "en", "--data-dir", str(src), "export", str(tmp_path))
    assert code == 1
    assert "Cannot write" in err


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str, str]]:
    (tmp_path / "bad.json").write_text('{"format": "quizapp-progress", ', encoding="utf-8")
    (tmp_path / "other.json").write_text('{"hello": 1}', encoding="utf-8")
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    newer = {"format": "quizapp-progress", "version": 99}
    (tmp_path / "newer.json").write_text(json.dumps(newer), encoding="utf-8")
    broken = {"format": "quizapp-progress", "version": 1, "sessions": [], "cards": [],
              "review_log": [], "settings": [], "exams": [],
              "attempts": [{"uid": "x", "template_id": "t"}]}
    (tmp_path / "broken.json").write_text(json.dumps(broken), encoding="utf-8")
    return {
        "missing": (tmp_path / "missing.json", "No such file", "ファイルが見つかりません"),
        "bad_json": (tmp_path / "bad.json", "is not valid JSON (line 1, column 32",
                     "JSON として読めません"),
        "other": (tmp_path / "other.json", "not a quizapp progress export",
                  "進捗エクスポートファイルではありません"),
        "list": (tmp_path / "list.json", "not a quizapp progress export",
                 "進捗エクスポートファイルではありません"),
        "binary": (tmp_path / "binary.json", "not a text (UTF-8) file", "テキスト（UTF-8）"),
        "newer": (tmp_path / "newer.json", "newer format (version 99)", "新しい形式"),
        "broken": (tmp_path / "broken.json", "invalid at attempts[0].pack_id: missing",
                   "attempts[0].pack_id"),
        "folder": (tmp_path, "Cannot read", "読み込めません"),
    }


@pytest.mark.parametrize(
    "case", ["missing", "bad_json", "other", "list", "binary", "newer", "broken", "folder"]
)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_import_of_a_bad_file_is_refused_clearly(tmp_path, capsys, case, lang):
    dst = filled(tmp_path / "dst")
    path, en_text, ja_text = _bad_files(tmp_path)[case]
    code, out, err = run(capsys, "--lang", lang, "--data-dir", str(dst), "import", str(path))
    assert code == 1
    assert (en_text if lang == "en" else ja_text) in err
    assert "Traceback" not in err + out
    with Store.open(db_path(dst)) as s:  # nothing lost, nothing added
        assert len(s.attempts()) == 4


def test_import_refusal_says_nothing_changed(tmp_path, capsys):
    dst = filled(tmp_path / "dst")
    path = _bad_files(tmp_path)["other"][0]
    _, _, err = run(capsys, "--lang", "en", "--data-dir", str(dst), "import", str(path))
    assert "your progress was not changed" in err


def test_import_from_stdin(tmp_path, capsys, monkeypatch):
    import io
    import sys

    src = filled(tmp_path / "src")
    code, out, _ = run(capsys, "--data-dir", str(src), "export", "-")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(out.encode("utf-8"))))
    code, out, err = run(capsys, "--lang", "en", "--data-dir", str(tmp_path / "dst"),
                         "import", "-")
    assert code == 0, err
    assert "Imported <stdin>" in out


def _too_new_db(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db_path(data_dir))
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("command", [["stats"], ["stats", "--json"], ["export", "-"]])
def test_a_database_from_a_newer_quizapp_is_reported(tmp_path, capsys, command):
    d = tmp_path / "home"
    _too_new_db(d)
    code, out, err = run(capsys, "--lang", "en", "--data-dir", str(d), *command)
    assert code == 1
    assert "written by a newer quizapp" in err
    assert "Traceback" not in err
    assert out == ""


def test_import_into_a_newer_database_is_reported(tmp_path, capsys):
    src = filled(tmp_path / "src")
    backup = tmp_path / "b.json"
    run(capsys, "--data-dir", str(src), "export", str(backup))
    d = tmp_path / "home"
    _too_new_db(d)
    code, _, err = run(capsys, "--lang", "ja", "--data-dir", str(d), "import", str(backup))
    assert code == 1
    assert "新しいバージョンの quizapp" in err


def test_a_corrupted_database_is_moved_aside_with_a_notice(tmp_path, capsys):
    d = tmp_path / "home"
    d.mkdir()
    db_path(d).write_bytes(b"this is not sqlite at all" * 100)
    code, out, err = run(capsys, "--lang", "en", "--data-dir", str(d), "stats")
    assert code == 0
    assert "was unreadable and was moved to" in err
    assert "No answers recorded yet" in out
    assert list(d.glob("progress.sqlite3.corrupt-*"))


def test_an_unwritable_data_dir_is_reported(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "--lang", "en", "--data-dir", str(blocker / "sub"), "stats")
    assert code == 1
    assert "Cannot write to the data folder" in err
    assert "Traceback" not in err


def test_stats_text_names_the_misconception_not_its_tag(tmp_path, capsys):
    """Issue 13 #13: a learner reads the misconception's message, not a raw tag."""
    d = filled(tmp_path / "home")
    code, out, _ = run(capsys, "--data-dir", str(d), "--packs", str(GOOD), "--lang", "en",
                       "stats")
    assert code == 0
    assert "That is σ(x), not σ'(x)." in out
    assert "sigma_not_derivative" not in out
