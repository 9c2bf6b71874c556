"""Mock exams: specs, blueprint sampling, determinism, four-option items, scoring."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from quizapp import exam as ex
from quizapp.exam import (
    ExamError,
    ExamSpec,
    Stratum,
    build_exam,
    exam_options,
    largest_remainder,
    make_spec,
    plan_blueprint,
    score_exam,
)
from quizapp.exam.options import _scalar_perturbations
from quizapp.grading import grade
from quizapp.i18n import catalogue
from quizapp.packs.generation import generate
from quizapp.packs.loader import load_catalog

GOOD = Path(__file__).resolve().parent.parent / "data" / "good"
MINI_EXAM_KINDS = {
    "test.mini.sigmoid_grad",
    "test.mini.output_grad",
    "test.mini.softmax_grad",
    "test.mini.chain",
    "test.mini.relu_choice",
    "test.mini.which_true",
    "test.mini.probs",
}


@pytest.fixture(scope="module")
def catalog():
    catalog = load_catalog([GOOD], builtin=False)
    assert not catalog.issues
    return catalog


def write_pack(folder: Path, text: str, name: str = "pack.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def numeric_template(tid: str, topic: str, field: str = "深層学習の基礎") -> str:
    return f"""
      - id: {tid}
        topic: {topic}
        field: {field}
        kind: numeric
        params:
          x: {{range: [1, 9], step: 1}}
        prompt: "{{x}} + 0.5 = ?"
        answer: {{value: x + 0.5}}
        explanation: {{steps: ["{{x}} + 0.5"]}}
    """


def pack_text(topics: dict[str, tuple[str, float, int]]) -> str:
    """A pack with `n` numeric templates per topic (topic: (field, weight, n))."""
    lines = ["id: wpack", "version: 1", "title: W", "topics:"]
    for topic, (field, weight, _) in topics.items():
        lines.append(f"  {topic}: {{title: {topic}, field: {field}, weight: {weight}}}")
    lines.append("templates:")
    body = "\n".join(lines) + "\n"
    for topic, (field, _, n) in topics.items():
        for i in range(n):
            body += textwrap.indent(
                textwrap.dedent(numeric_template(f"wpack.{topic}_{i}", topic, field)), ""
            )
    return body


# --------------------------------------------------------------------------- specs


def test_presets_match_the_real_exam_and_the_quick_pace():
    full = make_spec(preset="full", seed=1)
    quick = make_spec(preset="quick", seed=1)
    assert (full.questions, full.minutes, full.preset) == (100, 120, "full")
    assert (quick.questions, quick.minutes, quick.preset) == (20, 24, "quick")
    assert full.time_limit / full.questions == pytest.approx(72)
    assert quick.time_limit / quick.questions == pytest.approx(72)
    default = make_spec(seed=1)
    assert default.preset == ex.DEFAULT_PRESET


def test_custom_sizes_follow_the_exam_pace_when_one_is_missing():
    assert make_spec(questions=10, seed=1).minutes == 12
    assert make_spec(minutes=12, seed=1).questions == 10
    spec = make_spec(preset="full", questions=30, minutes=40, seed=1)
    assert (spec.questions, spec.minutes, spec.preset) == (30, 40, None)


def test_bad_specs_say_what_is_wrong_in_both_languages():
    with pytest.raises(ExamError) as info:
        make_spec(preset="ful", seed=1)
    assert "full" in info.value.text("en") and "quick" in info.value.text("en")
    assert "プリセット" in info.value.text("ja")
    with pytest.raises(ExamError) as info:
        ExamSpec(questions=0, minutes=10, seed=1)
    assert "1 to 500" in info.value.text("en")
    with pytest.raises(ExamError):
        ExamSpec(questions=5, minutes=0, seed=1)
    with pytest.raises(ExamError):
        ExamSpec(questions=5, minutes=5, seed=1, pass_threshold=1.5)


def test_unknown_topic_and_pack_suggest_names(catalog):
    with pytest.raises(ExamError) as info:
        build_exam(catalog, make_spec(topics=["backprob"], seed=1))
    assert "backprop" in info.value.text("en")
    with pytest.raises(ExamError) as info:
        build_exam(catalog, make_spec(packs=["test.mni"], seed=1))
    assert "test.mini" in info.value.text("en")


def test_spec_from_cli_options():
    import argparse

    ns = argparse.Namespace(
        preset=None, questions=7, minutes=None, seed=5, resume=False, topic=["backprop"], pack=None
    )
    spec = ex.spec_from_options(ns)
    assert (spec.questions, spec.minutes, spec.seed, spec.topics) == (7, 9, 5, ("backprop",))


# --------------------------------------------------------------------------- blueprint


def test_largest_remainder_is_exact_and_proportional():
    counts = largest_remainder({"a": 3, "b": 3, "c": 1}, 10)
    assert sum(counts.values()) == 10
    # quotas 4.29, 4.29, 1.43 -> floors 4, 4, 1; one left goes to the largest remainder (c)
    assert counts == {"a": 4, "b": 4, "c": 2}
    assert largest_remainder({"a": 1, "b": 1}, 3) == {"a": 2, "b": 1}  # tie: key order
    assert largest_remainder({"a": 1, "b": 0}, 5) == {"a": 5, "b": 0}


def test_largest_remainder_respects_capacity():
    counts = largest_remainder({"a": 1, "b": 1, "c": 2}, 12, {"a": 1, "b": None, "c": None})
    assert counts["a"] == 1 and sum(counts.values()) == 12
    assert counts["c"] > counts["b"]
    assert largest_remainder({"a": 1}, 5, {"a": 2}) == {"a": 2}


def test_blueprint_is_proportional_to_templates_by_default():
    strata = [
        Stratum("深層学習の基礎", "a", tuple(f"a{i}" for i in range(6)), 6.0),
        Stratum("深層学習の基礎", "b", tuple(f"b{i}" for i in range(3)), 3.0),
        Stratum("応用数学", "c", ("c0",), 1.0),
    ]
    bp = plan_blueprint(strata, 100)
    assert bp.counts == {("応用数学", "c"): 10, ("深層学習の基礎", "a"): 60, ("深層学習の基礎", "b"): 30}
    assert bp.total == 100
    assert bp.by_field() == {"応用数学": 10, "深層学習の基礎": 90}


def test_field_weights_share_by_field_first():
    strata = [
        Stratum("深層学習の基礎", "a", tuple(f"a{i}" for i in range(8)), 8.0),
        Stratum("応用数学", "c", ("c0", "c1"), 2.0),
    ]
    bp = plan_blueprint(strata, 20, {"応用数学": 1, "深層学習の基礎": 1, "開発・運用環境": 5})
    assert bp.counts == {("応用数学", "c"): 10, ("深層学習の基礎", "a"): 10}
    assert [n.key for n in bp.notes] == ["exam.note.field_missing"]


def test_fixed_templates_are_not_repeated():
    strata = [
        Stratum("深層学習の基礎", "fixed", ("f0", "f1"), 2.0, fixed=("f0", "f1")),
        Stratum("深層学習の基礎", "varied", ("v0",), 1.0),
    ]
    bp = plan_blueprint(strata, 30)
    assert bp.counts[("深層学習の基礎", "fixed")] == 2
    assert bp.counts[("深層学習の基礎", "varied")] == 28


def test_blueprint_of_mini_pack_and_repeats_note(catalog):
    exam = build_exam(catalog, make_spec(preset="quick", seed=3))
    assert len(exam.questions) == 20
    templates = Counter(q.item.template_id for q in exam.questions)
    assert set(templates) == MINI_EXAM_KINDS  # every eligible template is used
    # fixed templates (no params) appear once; formula and true/false ones never
    assert templates["test.mini.chain"] == 1 and templates["test.mini.which_true"] == 1
    keys = [n.key for n in exam.notes]
    assert "exam.note.repeats" in keys and "exam.note.skipped" in keys
    repeats = next(n for n in exam.notes if n.key == "exam.note.repeats")
    assert repeats.text("en") == "7 templates for 20 items: some repeat with new numbers."
    assert "再出題" in repeats.text("ja")
    # activation: 3 eligible templates, backprop: 4 -> 20 * 3/7 = 8.57, 20 * 4/7 = 11.43
    rows = {r["topic"]: r["items"] for r in exam.blueprint}
    assert rows == {"activation": 9, "backprop": 11}
    by_topic = Counter(q.item.topic for q in exam.questions)
    assert by_topic == {"activation": 9, "backprop": 11}
    # repeated templates got fresh seeds: no two items are the same problem
    assert len({(q.item.template_id, q.item.seed) for q in exam.questions}) == 20


def test_pack_topic_weights_and_blueprint_file_weights(tmp_path):
    folder = write_pack(
        tmp_path / "packs",
        pack_text(
            {
                "math": ("応用数学", 1.0, 2),
                "nets": ("深層学習の基礎", 3.0, 2),
                "unused": ("機械学習", 0.0, 4),
            }
        ),
    )
    catalog = load_catalog([folder], builtin=False)
    assert not catalog.issues, [i.format() for i in catalog.issues]
    exam = build_exam(catalog, make_spec(questions=16, minutes=20, seed=1))
    by_topic = Counter(q.item.topic for q in exam.questions)
    # weights: math 2×1, nets 2×3, unused 4×0 -> 4 and 12 of 16
    assert by_topic == {"math": 4, "nets": 12}
    # a blueprint file's topic weights override the packs' ones
    bp_file = tmp_path / "bp.yaml"
    bp_file.write_text("topics: {math: 1, nets: 1, unused: 2}\nquestions: 16\n", encoding="utf-8")
    blueprint = ex.read_blueprint(bp_file)
    exam = build_exam(catalog, make_spec(seed=1, blueprint=blueprint))
    by_topic = Counter(q.item.topic for q in exam.questions)
    # weights 2×1, 2×1, 4×2: quotas 16·2/12 = 2.67, 2.67, 10.67 -> 3, 3, 10
    assert by_topic == {"math": 3, "nets": 3, "unused": 10}


def test_blueprint_file_fields_and_aliases(tmp_path):
    folder = write_pack(
        tmp_path / "packs",
        pack_text({"math": ("応用数学", 1.0, 1), "nets": ("深層学習の基礎", 1.0, 9)}),
    )
    catalog = load_catalog([folder], builtin=False)
    bp_file = tmp_path / "bp.yaml"
    bp_file.write_text(
        "fields:\n  applied_math: 1\n  深層学習の基礎: 1\nminutes: 30\npass_percent: 70\n",
        encoding="utf-8",
    )
    blueprint = ex.read_blueprint(bp_file)
    assert blueprint.fields == {"応用数学": 1.0, "深層学習の基礎": 1.0}
    spec = make_spec(questions=10, seed=2, blueprint=blueprint)
    assert spec.minutes == 30 and spec.pass_threshold == pytest.approx(0.7)
    exam = build_exam(catalog, spec)
    assert Counter(q.item.field for q in exam.questions) == {"応用数学": 5, "深層学習の基礎": 5}


def test_blueprint_file_errors_are_collected_with_positions(tmp_path):
    bp_file = tmp_path / "bad.yaml"
    bp_file.write_text(
        "questons: 10\nfields:\n  深層学: 2\n  応用数学: -1\npass_percent: 120\nminutes: x\n",
        encoding="utf-8",
    )
    with pytest.raises(ExamError) as info:
        ex.read_blueprint(bp_file)
    text = info.value.text("en")
    assert f"{bp_file}:1:1: unknown key 'questons' (did you mean 'questions'?)" in text
    assert f"{bp_file}:3:3: fields.深層学: there is no field '深層学'" in text
    assert f"{bp_file}:4:9: fields.応用数学: expected a number, 0 or more (got -1)" in text
    assert f"{bp_file}:5:15: pass_percent: expected a number from 0 to 100 (got 120)" in text
    assert f"{bp_file}:6:10: minutes: expected a whole number" in text
    assert "ブループリント" in info.value.text("ja")
    bp_file.write_text("fields: [1, 2\n", encoding="utf-8")
    with pytest.raises(ExamError) as info:
        ex.read_blueprint(bp_file)
    assert "YAML syntax error" in info.value.text("en")
    with pytest.raises(ExamError) as info:
        ex.read_blueprint(tmp_path / "missing.yaml")
    assert "cannot read the file" in info.value.text("en")


def test_blueprint_unknown_topic_is_reported(catalog, tmp_path):
    bp_file = tmp_path / "bp.yaml"
    bp_file.write_text("topics: {activaton: 2}\n", encoding="utf-8")
    spec = make_spec(seed=1, blueprint=ex.read_blueprint(bp_file))
    with pytest.raises(ExamError) as info:
        build_exam(catalog, spec)
    assert "activation" in info.value.text("en")


def test_only_formula_and_true_false_templates_give_a_clear_error(catalog):
    only_formulas = ExamSpec(questions=3, minutes=3, seed=1, topics=("activation",))
    catalog_formulas = type(catalog)()
    for tid in ("test.mini.sigmoid_formula", "test.mini.tanh_sym"):
        catalog_formulas.templates[tid] = catalog.templates[tid]
    with pytest.raises(ExamError) as info:
        build_exam(catalog_formulas, only_formulas)
    assert info.value.key == "exam.no_templates"
    assert "single-choice" in info.value.text("en") and "択一" in info.value.text("ja")


def test_fixed_only_pool_shrinks_the_exam_and_says_so(tmp_path):
    folder = write_pack(
        tmp_path / "packs",
        """
        id: fixed
        version: 1
        title: F
        templates:
          - id: fixed.q1
            topic: t
            kind: single_choice
            prompt: "Q1"
            answer:
              options: [{text: "a", correct: true}, {text: "b"}, {text: "c"}, {text: "d"}]
            explanation: {steps: ["a"]}
          - id: fixed.q2
            topic: t
            kind: true_false
            prompt: "Q2"
            answer: {correct: true}
            explanation: {steps: ["yes"]}
        """,
    )
    catalog = load_catalog([folder], builtin=False)
    exam = build_exam(catalog, make_spec(questions=5, seed=1))
    assert len(exam.questions) == 1
    shrunk = next(n for n in exam.notes if n.key == "exam.note.shrunk")
    assert shrunk.text("en") == "Distinct items available: 1, so the exam has 1, not 5."
    assert "(not four-option items): 1." in next(
        n for n in exam.notes if n.key == "exam.note.skipped"
    ).text("en")


# --------------------------------------------------------------------------- determinism


def fingerprint(exam) -> list[tuple[str, int, tuple[str, ...]]]:
    return [
        (q.item.template_id, q.item.seed, tuple(o.text("en") for o in q.options))
        for q in exam.questions
    ]


def test_same_seed_same_exam_other_seed_other_exam(catalog):
    a = build_exam(catalog, make_spec(preset="quick", seed=11))
    b = build_exam(catalog, make_spec(preset="quick", seed=11))
    c = build_exam(catalog, make_spec(preset="quick", seed=12))
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint(c)
    # the items are shuffled, not grouped by topic
    topics = [q.item.topic for q in a.questions]
    assert topics != sorted(topics)


def test_same_seed_same_exam_in_a_fresh_process(catalog):
    code = textwrap.dedent(
        f"""
        import json
        from pathlib import Path
        from quizapp.exam import build_exam, make_spec
        from quizapp.packs.loader import load_catalog
        catalog = load_catalog([Path({str(GOOD)!r})], builtin=False)
        exam = build_exam(catalog, make_spec(preset="quick", seed=11))
        print(json.dumps([[q.item.template_id, q.item.seed, [o.text("en") for o in q.options]]
                          for q in exam.questions]))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
    ).stdout
    here = build_exam(catalog, make_spec(preset="quick", seed=11))
    assert json.loads(out) == [[t, s, list(o)] for t, s, o in fingerprint(here)]


def test_config_round_trip_rebuilds_the_same_questions(catalog):
    exam = build_exam(catalog, make_spec(preset="quick", seed=5))
    config = json.loads(json.dumps(exam.config()))
    again = ex.Exam.from_config(catalog, config, seed=5)
    assert fingerprint(again) == fingerprint(exam)
    assert again.spec.minutes == 24 and again.spec.preset == "quick"
    assert again.topic_title("backprop", "ja") == "誤差逆伝播法"


def test_config_with_missing_template_or_garbage_is_an_exam_error(catalog):
    exam = build_exam(catalog, make_spec(questions=3, seed=5))
    config = exam.config()
    config["items"][0]["template"] = "gone.template"
    with pytest.raises(ExamError) as info:
        ex.Exam.from_config(catalog, config, seed=5)
    assert "gone.template" in info.value.text("en")
    with pytest.raises(ExamError) as info:
        ex.Exam.from_config(catalog, {"items": "nope"}, seed=5)
    assert info.value.key == "exam.broken_config"


# --------------------------------------------------------------------------- four options


@pytest.mark.parametrize(
    "template_id",
    [
        "test.mini.sigmoid_grad",
        "test.mini.probs",
        "test.mini.softmax_grad",
        "test.mini.output_grad",
    ],
)
def test_value_items_get_four_distinct_options_and_the_grader_agrees(catalog, template_id):
    ref = catalog.templates[template_id]
    for seed in range(40):
        problem = generate(ref.template, seed, pack_id="test.mini", pack_version="1")
        options, multi = exam_options(problem)
        assert not multi
        texts = [o.text("en") for o in options]
        assert len(options) == 4 and len(set(texts)) == 4, texts
        assert [o.correct for o in options].count(True) == 1
        for option in options:
            # the option text, typed as an answer in study mode, gets the same verdict
            assert grade(problem, option.text("en")).correct is option.correct, (seed, texts)
        again, _ = exam_options(problem)
        assert [o.text("en") for o in again] == texts  # deterministic per seed


def test_distractors_come_from_misconceptions_first(catalog):
    ref = catalog.templates["test.mini.sigmoid_grad"]
    problem = generate(ref.template, 4)
    options, _ = exam_options(problem)
    tagged = [o for o in options if o.tag == "sigma_not_derivative"]
    assert len(tagged) == 1 and tagged[0].message is not None
    ref = catalog.templates["test.mini.output_grad"]
    problem = generate(ref.template, 4)
    tags = {o.tag for o in exam_options(problem)[0]}
    assert {"transposed", "sign_y_minus_d"} <= tags


def test_numeric_perturbations_when_there_are_no_misconceptions():
    import random

    for a in (0.0, 3.0, -0.25, 1e-5, 123.456):
        slips = _scalar_perturbations(a, random.Random(1))
        assert len(set(slips)) >= 4 and a not in slips[:4]


def test_choice_items_keep_their_options(catalog):
    ref = catalog.templates["test.mini.relu_choice"]
    problem = generate(ref.template, 2)
    options, multi = exam_options(problem)
    assert [o.text("en") for o in options] == [c.text("en") for c in problem.choices]
    assert not multi
    ref = catalog.templates["test.mini.which_true"]
    options, multi = exam_options(generate(ref.template, 0))
    assert multi and len(options) == 4


def test_formula_and_true_false_items_are_not_converted(catalog):
    for tid in ("test.mini.sigmoid_formula", "test.mini.tanh_sym"):
        with pytest.raises(ex.NotConvertible):
            exam_options(generate(catalog.templates[tid].template, 0))


# --------------------------------------------------------------------------- answers and scoring


def test_parse_answer_and_toggle(catalog):
    assert ex.parse_answer("2", 4) == (2,)
    assert ex.parse_answer("3,1", 4) == (1, 3)
    assert ex.parse_answer("5", 4) == () and ex.parse_answer("x", 4) == ()
    assert ex.parse_answer(None, 4) == ()
    exam = build_exam(catalog, make_spec(preset="quick", seed=3))
    single = next(q for q in exam.questions if not q.multi)
    multi = next(q for q in exam.questions if q.multi)
    assert single.toggled("1", 3) == "3"
    assert multi.toggled("1", 3) == "1,3"
    assert multi.toggled("1,3", 1) == "3"
    assert multi.toggled("3", 3) is None
    assert single.toggled("2", 9) == "2"  # no such option: unchanged


def right(q) -> str:
    return ex.answer_text(q.correct_options)


def wrong(q) -> str:
    return str(next(i for i, o in enumerate(q.options, 1) if not o.correct))


def test_scoring_overall_by_field_topic_time_pace_and_pass_line(catalog):
    exam = build_exam(catalog, make_spec(preset="quick", seed=3))
    qs = exam.questions
    answers = {}
    for q in qs[:13]:
        answers[q.index] = (right(q), False)
    for q in qs[13:17]:
        answers[q.index] = (wrong(q), q.index == 14)
    # items 17..19 unanswered (one flagged)
    answers[qs[18].index] = (None, True)
    score = score_exam(exam, answers, time_used=600.0)
    assert (score.overall.correct, score.overall.total, score.answered) == (13, 20, 17)
    assert score.overall.fraction == pytest.approx(0.65)
    assert score.passed  # 65 % reaches the default (unofficial) 65 % line
    assert score.pace == pytest.approx(600 / 17)
    assert score.target_pace == pytest.approx(72)
    assert sum(v.total for v in score.by_topic.values()) == 20
    assert sum(v.correct for v in score.by_field.values()) == 13
    assert set(score.by_field) == {"深層学習の基礎"}
    assert [r.flagged for r in score.items].count(True) == 2
    data = json.loads(json.dumps(score.to_json()))
    assert data["overall"] == {"correct": 13, "total": 20, "answered": 17, "percent": 65.0}
    assert set(data) >= {"overall", "by_field", "by_topic", "time_used", "items", "passed"}
    assert ex.ExamScore.from_json(data).overall == score.overall
    lower = score_exam(
        exam, {k: v for k, v in answers.items() if k != qs[0].index}, time_used=600.0
    )
    assert not lower.passed
    lines = ex.result_lines(score, "en", seed=3)
    assert lines[0] == "Score 13/20 (65%)"
    assert lines[1] == "PASS at the 65% line (UNOFFICIAL: JDLA publishes no pass mark)"
    assert lines[3] == "Time used 10:00 of 24:00"
    assert lines[4] == "Pace 0:36 per item (target 1:12)"
    ja = ex.result_lines(score, "ja")
    assert ja[0] == "得点 13/20（65%）" and "非公式" in ja[1]


def test_time_used_is_capped_and_misconceptions_are_scored(catalog):
    exam = build_exam(catalog, make_spec(preset="quick", seed=3))
    q = next(q for q in exam.questions if any(o.tag for o in q.options if not o.correct))
    n = next(i for i, o in enumerate(q.options, 1) if o.tag and not o.correct)
    score = score_exam(exam, {q.index: (str(n), False)}, time_used=99999, timed_out=True)
    item = next(r for r in score.items if r.index == q.index)
    assert item.misconception == q.options[n - 1].tag and not item.correct
    assert score.time_used == exam.time_limit and score.timed_out
    entry = next(e for e in ex.review_entries(exam, score) if e.question.index == q.index)
    lines = entry.lines("en")
    assert lines["verdict"] == "Incorrect" and lines["misconception"].startswith("A common slip: ")
    assert lines["correct"].startswith("Correct answer: ")
    assert lines["explanation"]
    unanswered = next(e for e in ex.review_entries(exam, score) if e.answer is None)
    assert unanswered.lines("ja")["yours"] == "あなたの回答：未回答"


def test_tables_for_the_results_screen(catalog):
    exam = build_exam(catalog, make_spec(preset="quick", seed=3))
    score = score_exam(exam, {q.index: (right(q), False) for q in exam.questions[:10]}, 100)
    assert ex.field_rows(score, "en") == [("Deep learning foundations", "10/20", "50%")]
    rows = ex.topic_rows(score, exam, "ja")
    assert {r[1] for r in rows} == {"活性化関数", "誤差逆伝播法"}
    percents = [int(r[3].removesuffix("%")) for r in rows]
    assert percents == sorted(percents)  # weakest topic first


def test_clock_helpers():
    assert ex.format_duration(0) == "0:00"
    assert ex.format_duration(59.2) == "1:00"  # a countdown rounds up
    assert ex.format_duration(7200) == "2:00:00"
    assert ex.format_duration(-5) == "0:00"
    assert ex.clock_warning(601, 599) == "exam.warn_10"
    assert ex.clock_warning(61, 60) == "exam.warn_1"
    assert ex.clock_warning(500, 400) is None
    assert ex.clock_level(700) == "ok" and ex.clock_level(600) == "warning"
    assert ex.clock_level(30) == "danger"


def test_every_exam_message_exists_in_both_languages():
    keys = [key for key in catalogue("en") if key.startswith("exam.")]
    assert "exam.title" in keys
    for key in keys:
        assert catalogue("ja")[key].strip() and catalogue("en")[key].strip(), key


def test_core_does_not_import_textual():
    code = "import sys, quizapp.exam; print('textual' in sys.modules, 'rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
