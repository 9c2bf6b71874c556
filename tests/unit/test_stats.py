"""collect_stats over a Store.memory() filled with attempts at fixed times."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from quizapp.packs.loader import load_catalog
from quizapp.progress.stats import (
    FIELDS,
    UNKNOWN,
    bar,
    collect_stats,
    format_stats,
    pad,
    percent,
    sparkline,
    width,
)
from quizapp.progress.store import Attempt, CardUpdate, Store

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"
NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
JST = timezone(timedelta(hours=9))

MATH_PACK = """\
id: test.math
version: 1
title: {ja: 数学, en: Math}
topics:
  linalg:
    title: {ja: 線形代数, en: Linear algebra}
    field: 応用数学
templates:
  - id: test.math.trace
    topic: linalg
    field: 応用数学
    kind: true_false
    prompt: "tr(I_3) = 3"
    answer: {correct: true}
    explanation: {steps: ["1+1+1 = 3"]}
"""


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2025, 3, day, hour, 0, tzinfo=UTC)


def attempt(template_id: str, when: datetime, correct: bool,
            misconception: str | None = None, mode: str = "study") -> Attempt:
    return Attempt(
        template_id=template_id, pack_id=template_id.rsplit(".", 1)[0], pack_version="1",
        seed=7, raw_answer="x", parsed="x", correct=correct, misconception=misconception,
        seconds=10.0, answered_at=when, mode=mode,
    )


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    extra = tmp_path_factory.mktemp("packs")
    (extra / "math.yaml").write_text(MATH_PACK, encoding="utf-8")
    cat = load_catalog([GOOD, extra], builtin=False)
    assert not cat.issues
    return cat


def fill(store: Store) -> None:
    """A fixed history: two leeches, a removed template, misconceptions, three fields."""
    sg = "test.mini.sigmoid_grad"  # activation, 深層学習の基礎
    for day, ok in [(1, False), (2, True), (3, False), (4, True), (5, False)]:
        store.record_attempt(attempt(sg, at(day), ok, None if ok else "sigma_not_derivative"))
    og = "test.mini.output_grad"  # backprop, 深層学習の基礎
    seq = [(True, None), (False, "transposed"), (True, None), (False, "transposed"),
           (True, None), (False, "sign_y_minus_d"), (True, None), (False, None)]
    for i, (ok, tag) in enumerate(seq):
        store.record_attempt(attempt(og, at(1, 8 + i), ok, tag))
    for day in (8, 9, 10):  # the streak: 3/8, 3/9, 3/10 (NOW is 3/10 09:00 UTC)
        store.record_attempt(attempt("test.mini.chain", at(day, 8), True, mode="cram"))
    store.record_attempt(
        attempt("test.mini.sigmoid_formula", at(5, 14), False, "sigma_not_derivative")
    )
    store.record_attempt(attempt("test.math.trace", at(4, 8), True))
    store.record_attempt(attempt("test.math.trace", at(4, 13), False))
    store.record_attempt(attempt("gone.pack.old", at(2), True))
    store.record_attempt(attempt("gone.pack.old", at(3), False, "old_tag"))


def card(store: Store, template_id: str, due: datetime, stability: float = 1.0) -> None:
    store.save_attempt_and_card(
        template_id,
        lambda _old: CardUpdate(card_json="{}", due=due, stability=stability),
        now=NOW - timedelta(days=5),
    )


@pytest.fixture
def store() -> Store:
    s = Store.memory()
    fill(s)
    return s


def test_totals_and_modes(store, catalog):
    data = collect_stats(store, catalog, NOW, UTC)
    totals = data["totals"]
    assert totals["attempts"] == 5 + 8 + 3 + 1 + 2 + 2 == 21
    assert totals["correct"] == 2 + 4 + 3 + 0 + 1 + 1 == 11
    assert totals["accuracy"] == pytest.approx(11 / 21, abs=1e-4)
    assert totals["templates_seen"] == 6
    assert totals["by_mode"] == {"cram": 3, "study": 18}
    assert totals["seconds"] == 210.0
    assert data["today"] == "2025-03-10"
    json.dumps(data)  # JSON-ready


def test_accuracy_by_field(store, catalog):
    by_field = {e["field"]: e for e in collect_stats(store, catalog, NOW, UTC)["by_field"]}
    assert list(by_field) == [*FIELDS, UNKNOWN]  # syllabus order, then the removed templates
    assert by_field["応用数学"] == {"field": "応用数学", "attempts": 2, "correct": 1,
                                   "accuracy": 0.5}
    assert by_field["深層学習の基礎"]["attempts"] == 17
    assert by_field["深層学習の基礎"]["correct"] == 9
    assert by_field["機械学習"] == {"field": "機械学習", "attempts": 0, "correct": 0,
                                   "accuracy": None}
    assert by_field[UNKNOWN]["attempts"] == 2


def test_accuracy_by_topic_with_titles_and_unknown(store, catalog):
    data = collect_stats(store, catalog, NOW, UTC, lang="en")
    topics = {e["topic"]: e for e in data["by_topic"]}
    assert topics["activation"]["attempts"] == 6  # sigmoid_grad 5 + sigmoid_formula 1
    assert topics["activation"]["correct"] == 2
    assert topics["activation"]["title"] == "Activation functions"
    assert topics["backprop"]["attempts"] == 11
    assert topics["backprop"]["accuracy"] == pytest.approx(7 / 11, abs=1e-4)
    assert topics["linalg"]["field"] == "応用数学"
    assert topics[UNKNOWN]["attempts"] == 2
    assert topics[UNKNOWN]["field"] == UNKNOWN
    # Answered topics come first (by field: 応用数学 before 深層学習の基礎), unknown last.
    assert [e["topic"] for e in data["by_topic"]] == ["linalg", "activation", "backprop",
                                                       UNKNOWN]
    ja = collect_stats(store, catalog, NOW, UTC, lang="ja")
    assert {e["topic"]: e["title"] for e in ja["by_topic"]}["backprop"] == "誤差逆伝播法"


def test_untouched_topics_are_listed_without_accuracy(catalog):
    s = Store.memory()
    s.record_attempt(attempt("test.mini.chain", at(9), True))
    topics = collect_stats(s, catalog, NOW, UTC)["by_topic"]
    assert topics[0]["topic"] == "backprop"
    rest = {e["topic"]: e for e in topics[1:]}
    assert rest["activation"]["attempts"] == 0
    assert rest["activation"]["accuracy"] is None
    assert rest["activation"]["templates"] == 5
    assert rest["linalg"]["templates"] == 1


def test_misconceptions_counted_with_messages_and_templates(store, catalog):
    mis = collect_stats(store, catalog, NOW, UTC, lang="en")["misconceptions"]
    assert [(m["tag"], m["count"]) for m in mis] == [
        ("sigma_not_derivative", 4), ("transposed", 2), ("old_tag", 1), ("sign_y_minus_d", 1),
    ]
    first = mis[0]
    # The template where it happened most gives the message.
    assert first["templates"] == ["test.mini.sigmoid_grad", "test.mini.sigmoid_formula"]
    assert first["message"] == "That is σ(x), not σ'(x)."
    # Fields of a message ({W.shape}) are filled from the problem of the last such mistake.
    assert mis[1]["message"].startswith("That is the transpose")
    assert "(2, 3)" in mis[1]["message"] and "{" not in mis[1]["message"]
    assert mis[2]["message"] == ""  # its template was removed: no message, still counted
    ja = collect_stats(store, catalog, NOW, UTC, lang="ja")["misconceptions"]
    assert ja[0]["message"] == "σ(x) を答えています。"
    assert ja[1]["message"].startswith("転置") and "{" not in ja[1]["message"]


def test_choice_option_tags_have_messages(catalog):
    s = Store.memory()
    for day in (1, 2):
        s.record_attempt(attempt("test.mini.chain", at(day), False, "circular"))
    (m,) = collect_stats(s, catalog, NOW, UTC, lang="ja")["misconceptions"]
    assert (m["tag"], m["count"], m["message"]) == ("circular", 2, "循環しています。")


def test_correct_attempts_with_a_tag_are_not_mistakes(catalog):
    s = Store.memory()
    s.record_attempt(attempt("test.mini.chain", at(1), True, "circular"))
    assert collect_stats(s, catalog, NOW, UTC)["misconceptions"] == []


def test_leeches_low_accuracy_or_lapses_worst_first(store, catalog):
    leeches = collect_stats(store, catalog, NOW, UTC)["leeches"]
    assert [e["template"] for e in leeches] == ["test.mini.sigmoid_grad",
                                                "test.mini.output_grad"]
    sg, og = leeches
    assert (sg["attempts"], sg["correct"], sg["lapses"]) == (5, 2, 2)
    assert sg["accuracy"] == 0.4
    assert (og["attempts"], og["correct"], og["lapses"]) == (8, 4, 4)
    assert og["topic"] == "backprop"
    assert og["last_answered_at"] == at(1, 15).isoformat()


def test_lapses_alone_make_a_leech(catalog):
    s = Store.memory()
    tid = "test.mini.probs"
    for i, ok in enumerate([True, False, True, True, True, False, True, True, True, False,
                            True, True, True]):
        s.record_attempt(attempt(tid, at(1, i + 1), ok))
    (leech,) = collect_stats(s, catalog, NOW, UTC)["leeches"]
    assert leech["lapses"] == 3
    assert leech["accuracy"] == pytest.approx(10 / 13, abs=1e-4)  # accurate, yet forgetful


def test_few_attempts_or_good_accuracy_is_no_leech(catalog):
    s = Store.memory()
    for day in (1, 2, 3):  # three wrong answers: not enough tries to judge
        s.record_attempt(attempt("test.mini.probs", at(day), False))
    for day, ok in [(1, True), (2, True), (3, False), (4, True)]:  # 75 %
        s.record_attempt(attempt("test.mini.chain", at(day), ok))
    assert collect_stats(s, catalog, NOW, UTC)["leeches"] == []


def test_streak_and_reviews_per_day(store, catalog):
    data = collect_stats(store, catalog, NOW, UTC)
    assert data["streak"] == 3
    reviews = data["reviews_per_day"]
    assert len(reviews) == 30
    assert reviews[-1] == {"date": "2025-03-10", "count": 1}
    assert reviews[0]["date"] == "2025-02-09"
    by_day = {e["date"]: e["count"] for e in reviews}
    assert by_day["2025-03-01"] == 1 + 8
    assert by_day["2025-03-04"] == 1 + 2
    assert by_day["2025-03-06"] == by_day["2025-03-07"] == 0
    assert sum(by_day.values()) == 21
    # Two days later the streak is broken.
    assert collect_stats(store, catalog, NOW + timedelta(days=2), UTC)["streak"] == 0


def test_time_zone_moves_days(catalog):
    s = Store.memory()
    s.record_attempt(attempt("test.mini.chain", datetime(2025, 3, 9, 20, 0, tzinfo=UTC), True))
    utc = collect_stats(s, catalog, NOW, UTC)["reviews_per_day"]
    jst = collect_stats(s, catalog, NOW, JST)["reviews_per_day"]
    assert utc[-2] == {"date": "2025-03-09", "count": 1}
    assert jst[-1] == {"date": "2025-03-10", "count": 1}  # 05:00 on 3/10 in Tokyo


def test_due_forecast_and_counts(catalog):
    s = Store.memory()
    card(s, "test.mini.chain", NOW - timedelta(days=2))  # overdue: today
    card(s, "test.mini.probs", NOW + timedelta(hours=3))  # later today
    card(s, "test.mini.tanh_sym", NOW + timedelta(days=3))
    card(s, "test.mini.which_true", NOW + timedelta(days=13), stability=30.0)
    card(s, "test.mini.relu_choice", NOW + timedelta(days=40), stability=50.0)  # outside
    card(s, "gone.pack.old", NOW)  # not in the catalogue: not due any more
    data = collect_stats(s, catalog, NOW, UTC)
    forecast = data["due_forecast"]
    assert len(forecast) == 14
    assert forecast[0] == {"date": "2025-03-10", "count": 2}
    assert forecast[3] == {"date": "2025-03-13", "count": 1}
    assert forecast[13] == {"date": "2025-03-23", "count": 1}
    assert sum(e["count"] for e in forecast) == 4
    assert data["counts"] == {"due": 1, "new": 10 - 5, "mastered": 2, "total": 10}


def test_exam_history_with_scores(catalog):
    s = Store.memory()
    first = s.create_exam(1, {"items": [["a", 1]] * 20}, preset="quick", now=at(2))
    s.save_exam_answer(first, 0, "2", now=at(2, 13))
    s.finish_exam(first, {"overall": {"correct": 11, "total": 20},
                          "by_field": {"深層学習の基礎": {"correct": 9, "total": 15},
                                       "応用数学": 0.4}}, now=at(2, 14))
    second = s.create_exam(2, {"items": []}, preset="full", now=at(5))
    s.finish_exam(second, {"overall": 72.5, "time_used": 100}, now=at(5, 14))
    s.create_exam(3, {}, preset=None, now=at(9))  # still running
    exams = collect_stats(s, catalog, NOW, UTC)["exams"]
    assert [e["id"] for e in exams] == [first, second, 3]  # oldest first
    e1, e2, e3 = exams
    assert e1["percent"] == 55.0
    assert e1["by_field"] == {"深層学習の基礎": 60.0, "応用数学": 40.0}
    assert (e1["preset"], e1["status"], e1["items"], e1["answered"]) == ("quick", "finished",
                                                                        20, 1)
    assert e1["date"] == "2025-03-02"
    assert e1["elapsed_seconds"] == 7200.0
    assert e1["score"]["overall"] == {"correct": 11, "total": 20}  # as stored
    assert e2["percent"] == 72.5
    assert e2["by_field"] == {}
    assert (e3["status"], e3["percent"], e3["preset"]) == ("running", None, None)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ({"overall": 0.8}, 80.0),
        ({"overall": {"percent": 64}}, 64.0),
        ({"overall": {"accuracy": 0.5, "correct": 5}}, 50.0),
        ({"correct": 3, "total": 4}, 75.0),
        ({"overall": "n/a"}, None),
        ({"overall": True}, None),
        ({"overall": {"correct": 1, "total": 0}}, None),
        # the shape quizapp.exam stores (ExamScore.to_json)
        ({"overall": {"correct": 13, "total": 20, "answered": 18, "percent": 65.0},
          "by_field": {"深層学習の基礎": {"correct": 13, "total": 20, "answered": 18,
                                   "percent": 65.0}},
          "passed": True, "threshold": 0.65}, 65.0),
    ],
)
def test_exam_score_shapes(catalog, score, expected):
    s = Store.memory()
    exam = s.create_exam(1, {}, now=at(1))
    s.finish_exam(exam, score, now=at(1, 13))
    (entry,) = collect_stats(s, catalog, NOW, UTC)["exams"]
    assert entry["percent"] == expected
    assert entry["passed"] == score.get("passed")
    if "threshold" in score:
        assert entry["by_field"] == {"深層学習の基礎": 65.0}
        assert format_stats(collect_stats(s, catalog, NOW, UTC), "en").endswith(
            "65% (pass)  (Deep learning foundations 65%)")
        assert "65%（合格ライン以上）" in format_stats(collect_stats(s, catalog, NOW, UTC), "ja")


def test_empty_store(catalog):
    data = collect_stats(Store.memory(), catalog, NOW, UTC)
    assert data["totals"]["attempts"] == 0
    assert data["totals"]["accuracy"] is None
    assert data["misconceptions"] == data["leeches"] == data["exams"] == []
    assert data["streak"] == 0
    assert data["counts"]["new"] == 10
    assert all(e["accuracy"] is None for e in data["by_topic"])
    for lang in ("ja", "en"):
        text = format_stats(data, lang)
        assert ("まだ解答の記録がありません" if lang == "ja" else "No answers recorded yet") in text


def test_naive_now_is_refused(store, catalog):
    with pytest.raises(ValueError):
        collect_stats(store, catalog, datetime(2025, 3, 10), UTC)


def test_without_catalogue_everything_is_unknown(store):
    data = collect_stats(store, None, NOW, UTC)
    assert [e["topic"] for e in data["by_topic"]] == [UNKNOWN]
    assert data["counts"]["total"] == 0


def test_format_stats_in_both_languages(store, catalog):
    s = store
    exam = s.create_exam(1, {}, preset="quick", now=at(2))
    s.finish_exam(exam, {"overall": 0.55, "by_field": {"深層学習の基礎": 0.6}}, now=at(2, 13))
    en = format_stats(collect_stats(s, catalog, NOW, UTC, lang="en"), "en")
    assert "Your progress (2025-03-10)" in en
    assert "Answers: 21, correct: 11 (52.4%)" in en
    assert "Days in a row: 3" in en
    assert "Deep learning" in en and "Applied mathematics" in en
    assert "unknown (removed pack)" in en
    assert "4×     That is σ(x), not σ'(x)." in en and "sigma_not_derivative" not in en
    assert "test.mini.output_grad: 50% (4 of 8 correct, lapses: 4)" in en
    assert "55%  (Deep learning foundations 60%)" in en
    ja = format_stats(collect_stats(s, catalog, NOW, UTC, lang="ja"), "ja")
    assert "学習の記録（2025-03-10）" in ja
    assert "解答 21 問・正解 11 問（正答率 52.4%）" in ja
    assert "連続学習 3 日" in ja
    assert "誤差逆伝播法" in ja and "深層学習の基礎" in ja
    assert "4 回" in ja and "σ(x) を答えています。" in ja
    assert "完了" in ja and "ミニ" in ja
    assert "quick" in en


def test_text_helpers():
    assert percent(None, "en") == "—"
    assert percent(0.5, "en") == "50%"
    assert percent(0.725, "ja") == "72.5%"
    assert width("深層学習") == 8
    assert width(pad("深層", 6)) == 6
    assert bar(1.0, 10) == "█" * 10
    assert bar(0.0, 10) == ""
    assert bar(0.55, 10) == "█████▌"
    assert bar(None) == ""
    assert sparkline([0, 1, 2, 4]) == "·▃▅█"
    assert sparkline([0, 0]) == "··"
    assert date.fromisoformat("2025-03-10")  # dates in the dict are ISO text


def test_stats_core_imports_no_textual_or_rich():
    code = ("import sys, quizapp.progress.stats; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_message_fields_without_a_problem_show_an_ellipsis(catalog):
    from quizapp.progress.stats import TemplateInfo

    info = TemplateInfo(catalog, "test.mini.output_grad")
    text = info.message("transposed", None, "en")
    assert "…" in text and "{" not in text
    assert "(2, 3)" in info.message("transposed", 5, "en")
    assert TemplateInfo(catalog, "gone.pack.old").message("x", 1, "en") == ""


def test_exam_history_under_legacy_field_names_reads_under_the_official_names(catalog):
    """Exams stored before the 2024 field names (深層学習, 開発環境) count under the new ones."""
    s = Store.memory()
    exam = s.create_exam(1, {"items": [["a", 1]] * 10}, preset="quick", now=at(2))
    s.finish_exam(exam, {"overall": {"correct": 6, "total": 10},
                         "by_field": {"深層学習": {"correct": 5, "total": 8},
                                      "開発環境": {"correct": 1, "total": 2}}}, now=at(2, 14))
    (entry,) = collect_stats(s, catalog, NOW, UTC)["exams"]
    assert entry["by_field"] == {"深層学習の基礎": 62.5, "開発・運用環境": 50.0}


def test_a_pack_with_a_legacy_field_name_loads_under_the_official_name():
    from quizapp.packs.model import Topic

    assert Topic.model_validate({"title": {"ja": "a", "en": "a"}, "field": "深層学習"}).field == (
        "深層学習の基礎"
    )
    assert Topic.model_validate({"title": {"ja": "a", "en": "a"}, "field": "開発環境"}).field == (
        "開発・運用環境"
    )


def test_a_weak_part_of_an_item_set_is_named_with_its_part(catalog):
    """Attempts of a part are recorded as `ID#n`; the report names the part in words and
    keeps the id in --json."""
    store = Store.memory()
    for day in range(1, 6):
        store.record_attempt(attempt("test.mini.sigmoid_grad#2", at(day), False))
    data = collect_stats(store, catalog, NOW, tz=UTC)
    assert [e["template"] for e in data["leeches"]] == ["test.mini.sigmoid_grad#2"]
    assert "  test.mini.sigmoid_grad (part 2): 0% (0 of 5 correct" in format_stats(data, "en")
    assert "  test.mini.sigmoid_grad（小問 2）：正答率 0%" in format_stats(data, "ja")
