"""Item sets (大問): schema, loader checks, validate, generation, grading per part, the
study session's recording per part, and the mock exam keeping a set together."""

from __future__ import annotations

import json
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from quizapp.cli import main
from quizapp.exam import Exam, build_exam, make_spec
from quizapp.grading import grade
from quizapp.grading.checks import check_instances
from quizapp.packs.generation import generate
from quizapp.packs.itemsets import part_template, select_part, set_correct, split_item_id
from quizapp.packs.loader import check_text, load_catalog
from quizapp.packs.model import pack_json_schema
from quizapp.progress.scheduler import Scheduler
from quizapp.progress.store import Store
from quizapp.study.session import Scope, StudySession

SETS = Path(__file__).resolve().parents[1] / "data" / "itemsets"
SET_ID = "test.sets.neuron"
T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def catalog():
    catalog = load_catalog([SETS], builtin=False)
    assert not catalog.issues, catalog.issues
    return catalog


def right(problem) -> str:
    if problem.kind == "numeric":
        return repr(float(problem.answer))
    if problem.kind in ("vector", "matrix"):
        return json.dumps(np.asarray(problem.answer).tolist())
    return str(problem.answer)


def pack(body: str) -> str:
    return "id: bad\nversion: 1\ntitle: B\ntemplates:\n" + textwrap.indent(
        textwrap.dedent(body), "  "
    )


SET_BODY = """\
- id: bad.set
  topic: t
  params:
    a: {int: [3, 9]}
  prompt: "a = {a}"
  parts:
    - kind: numeric
      prompt: "a squared?"
      answer: {value: a * a}
      explanation: {summary: "{a}²"}
    - kind: numeric
      prompt: "a plus one?"
      answer: {value: PART2}
      explanation: {summary: "{a} + 1"}
"""


# ------------------------------------------------------------------ schema and loader


def test_a_set_loads_as_one_template_of_kind_set(catalog):
    tpl = catalog.template(SET_ID).template
    assert tpl.kind == "set" and tpl.is_set and len(tpl.parts) == 3
    assert [p.kind for p in tpl.parts] == ["numeric", "single_choice", "vector"]
    view = part_template(tpl, 2)
    assert (view.id, view.kind, view.parts, view.params) == (SET_ID, "vector", [], tpl.params)
    assert not catalog.template("test.sets.single").template.is_set


def test_loader_checks_every_part_with_positions():
    text = pack(SET_BODY.replace("PART2", "b + 1"))
    loaded, issues = check_text(text, "p.yaml")
    assert loaded is None
    (issue,) = issues
    assert issue.key == "templates[0].parts[1].answer.value"
    assert "'b' is not defined here (defined: a)" in issue.message
    assert issue.line == text.splitlines().index("        answer: {value: b + 1}") + 1


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("kind: numeric\n      prompt: \"a plus", "kind: numeric\n      options: []\n      "
          "prompt: \"a plus"), "templates[0].parts[1].options: unknown key 'options'"),
        (("answer: {value: a + 1}", "answer: {value: a + 1, options: [{text: x}]}"),
         "templates[0].parts[1].answer.options: answer.options does not apply to a numeric"),
        (("  topic: t\n", "  topic: t\n  kind: numeric\n"), "leave kind out"),
        (("  topic: t\n", "  topic: t\n  answer: {value: a}\n"), "no answer"),
        (("a squared?", "a squared {c}?"), "templates[0].parts[0].prompt: 'c' is not defined"),
    ],
)
def test_bad_sets_are_reported(change, words):
    old, new = change
    text = pack(SET_BODY.replace("PART2", "a + 1").replace(old, new, 1))
    loaded, issues = check_text(text, "p.yaml")
    assert loaded is None
    assert any(words in i.format() for i in issues), [i.format() for i in issues]


def test_kind_set_without_parts_is_an_error():
    body = "- {id: x.y, topic: t, kind: set, prompt: p, answer: {}, explanation: {}}\n"
    loaded, issues = check_text(pack(body), "p.yaml")
    assert loaded is None and any("kind set needs parts" in i.message for i in issues)


def test_json_schema_allows_a_set_without_kind_answer_explanation():
    template = pack_json_schema()["$defs"]["Template"]
    assert "answer" not in template["required"] and "kind" not in template["required"]
    assert {"required": ["parts"]} in template["anyOf"]
    assert "set" in template["properties"]["kind"]["enum"]
    assert "Part" in pack_json_schema()["$defs"]


def test_validate_checks_every_part_over_the_seeds():
    # part 2's misconception equals its answer: found in the part, with its position
    text = pack(SET_BODY.replace("PART2", "a + 1").replace(
        '      explanation: {summary: "{a} + 1"}',
        '      misconceptions: [{tag: same, value: "1 + a", message: m}]\n'
        '      explanation: {summary: "{a} + 1"}'))
    loaded, issues = check_text(text, "p.yaml")
    assert not issues
    found = check_instances(loaded, 3)
    assert [i.key for i in found] == ["templates[0].parts[1].misconceptions[0].value"]
    assert "cannot be told from the answer" in found[0].message


def test_validate_passes_on_the_shipped_sets(capsys):
    root = Path(__file__).resolve().parents[2] / "questions" / "ffn_backprop.yaml"
    assert main(["--lang", "en", "packs", "validate", str(root), "--seeds", "15"]) == 0


# ------------------------------------------------------------------ generation and grading


def test_generation_is_deterministic_and_draws_the_parameters_once(catalog):
    tpl = catalog.template(SET_ID).template
    a, b = generate(tpl, 5), generate(tpl, 5)
    assert a.kind == "set" and len(a.parts) == 3
    assert a.answer_json() == b.answer_json() and a.prompt("en") == b.prompt("en")
    assert [c.text("en") for c in a.parts[1].choices] == [c.text("en") for c in b.parts[1].choices]
    for n, part in enumerate(a.parts, 1):
        assert part.part == n and part.stem is tpl and part.item_id == f"{SET_ID}#{n}"
        assert part.params is not a.params and part.params_json() == a.params_json()
    w, x, b_, d = (a.params[k] for k in ("w", "x", "b", "d"))
    u = round(float(w @ x + b_), 4)
    assert a.parts[0].answer == pytest.approx(u)
    assert np.allclose(a.parts[2].answer, (u - d) * x)
    assert a.parts[0].prompt("en").startswith(a.prompt("en"))
    assert a.parts[0].part_prompt("en") == "(1) Compute the output y = w·x + b."
    assert {generate(tpl, s).answer_json()[0] for s in range(8)} != {a.answer_json()[0]}


def test_grading_per_part(catalog):
    problem = generate(catalog.template(SET_ID).template, 3)
    for part in problem.parts:
        assert grade(part, right(part)).correct
    first = problem.parts[0]
    missing_bias = float(first.params["w"] @ first.params["x"])
    result = grade(first, repr(missing_bias))
    assert not result.correct and result.misconception == "missing_bias"
    with pytest.raises(ValueError, match="from 1 to 3"):
        select_part(problem, 4)
    assert select_part(problem, 2) is problem.parts[1]


def test_sample_json_has_parts_and_grade_takes_part(capsys):
    args = ["--lang", "en", "--packs", str(SETS)]
    assert main([*args, "sample", SET_ID, "--seed", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "set" and len(data["parts"]) == 3
    assert [p["kind"] for p in data["parts"]] == ["numeric", "single_choice", "vector"]
    assert data["parts"][1]["choices"] and data["answer"][0] == data["parts"][0]["answer"]
    answer = json.dumps(data["parts"][2]["answer"])
    assert main([*args, "grade", SET_ID, "--seed", "2", "--part", "3", "--answer", answer,
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["correct"] is True
    assert main([*args, "grade", SET_ID, "--seed", "2", "--answer", answer]) == 2
    assert "--part N (1 to 3)" in capsys.readouterr().err
    assert main([*args, "sample", "test.sets.single", "--seed", "2", "--json"]) == 0
    assert "parts" not in json.loads(capsys.readouterr().out)  # single templates: unchanged


def test_item_ids_and_the_set_rating():
    assert split_item_id("a.b#2") == ("a.b", 2) and split_item_id("a.b") == ("a.b", 0)
    assert set_correct([True, True]) and not set_correct([True, False])
    assert not set_correct([])


# ------------------------------------------------------------------ study session


def _session(catalog, tmp_path, **kw):
    store = Store.open(tmp_path / "p.sqlite3")
    scheduler = Scheduler(store, clock=lambda: T0, tz=UTC)
    return store, StudySession(catalog, store, scheduler, clock=lambda: T0, **kw)


@pytest.mark.parametrize("second_right", [True, False])
def test_session_records_each_part_and_rates_the_set_once(catalog, tmp_path, second_right):
    store, session = _session(catalog, tmp_path, scope=Scope(template=SET_ID), first=SET_ID,
                              seed=4)
    first = session.next_problem()
    assert first.part == 1 and session.item_set.template_id == SET_ID and session.set_open
    assert session.progress() == (0, 1)
    assert session.submit(right(first)).correct
    assert store.card(SET_ID) is None  # the card waits for the last part
    second = session.next_problem()
    assert second.part == 2 and second.seed == first.seed
    wrong = "2" if second.answer != 2 else "1"
    assert session.submit(right(second) if second_right else wrong).correct == second_right
    with pytest.raises(RuntimeError):
        session.another_like_this()  # not in the middle of a set
    third = session.next_problem()
    assert third.part == 3 and session.upcoming() == []
    session.submit(right(third))
    assert not session.set_open and session.progress() == (1, 1)
    attempts = sorted(store.attempts(), key=lambda a: a.template_id)
    assert [a.template_id for a in attempts] == [f"{SET_ID}#{n}" for n in (1, 2, 3)]
    assert [a.correct for a in attempts] == [True, second_right, True]
    assert all(a.mode == "study" and a.seed == first.seed for a in attempts)
    assert store.card(SET_ID) is not None  # one card for the set, none for its parts
    assert all(store.card(f"{SET_ID}#{n}") is None for n in (1, 2, 3))
    summary = session.summary("en")
    assert summary.answered == 3 and summary.correct == 2 + int(second_right)


def test_set_rating_good_only_when_every_part_is_right(catalog, tmp_path):
    due = {}
    for all_right in (True, False):
        store, session = _session(catalog, tmp_path / str(all_right),
                                  scope=Scope(template=SET_ID), first=SET_ID, seed=4)
        for n in range(3):
            part = session.next_problem()
            ok = all_right or n != 0
            session.submit(right(part) if ok else "12345")
        due[all_right] = store.card(SET_ID).due
    assert due[True] > due[False]  # Good schedules later than Again


def test_cram_records_parts_and_leaves_the_schedule(catalog, tmp_path):
    store, session = _session(catalog, tmp_path, scope=Scope(template=SET_ID), cram=True, seed=1)
    for _ in range(3):
        session.submit(right(session.next_problem()))
    assert store.card(SET_ID) is None
    assert {a.mode for a in store.attempts()} == {"cram"} and len(store.attempts()) == 3


# ------------------------------------------------------------------ mock exam


def test_exam_counts_parts_and_keeps_a_set_together(catalog):
    for seed in range(6):
        exam = build_exam(catalog, make_spec(questions=4, minutes=10, seed=seed))
        ids = [(q.item.template_id, q.item.part) for q in exam.questions]
        assert len(ids) == 4
        parts = [i for i, (tid, _) in enumerate(ids) if tid == SET_ID]
        assert len(parts) == 3  # the set is in (it fits) and all of it
        assert parts == list(range(parts[0], parts[0] + 3))  # consecutive, in order
        assert [ids[i][1] for i in parts] == [1, 2, 3]
        assert all(q.problem.part == q.item.part for q in exam.questions if q.item.part)
        assert len({exam.questions[i].item.seed for i in parts}) == 1
        again = Exam.from_config(catalog, json.loads(json.dumps(exam.config())), seed)
        assert [q.prompt("en") for q in again.questions] == [q.prompt("en") for q in exam.questions]


def test_exam_never_splits_a_set_that_does_not_fit(catalog):
    exam = build_exam(catalog, make_spec(questions=2, minutes=10, seed=1))
    assert [q.item.template_id for q in exam.questions] == ["test.sets.single"] * 2


def test_statistics_count_parts_under_the_sets_topic(catalog, tmp_path):
    from quizapp.progress.stats import collect_stats

    store, session = _session(catalog, tmp_path, scope=Scope(template=SET_ID), first=SET_ID,
                              seed=4)
    first = session.next_problem()
    wrong = repr(float(first.params["w"] @ first.params["x"]))  # the missing_bias mistake
    session.submit(wrong)
    data = collect_stats(store, catalog, T0, UTC)
    (topic,) = [t for t in data["by_topic"] if t["attempts"]]
    assert (topic["topic"], topic["attempts"], topic["correct"]) == ("net", 1, 0)
    (mistake,) = data["misconceptions"]
    assert mistake["tag"] == "missing_bias" and mistake["message"] == "You forgot the bias."
