"""Golden bad packs: each must give its error at the right line and column, in plain words."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from quizapp.grading.checks import check_instances
from quizapp.packs.loader import check_text, load_catalog, read_pack

DATA = Path(__file__).parent.parent / "data"
BAD = DATA / "bad"


def issues_of(name: str, lang: str = "en", seeds: int = 5) -> list[str]:
    path = BAD / name
    loaded, issues = read_pack(path, lang)
    if loaded is not None:
        loaded.path = path
        issues = check_instances(loaded, seeds, lang)
    return [i.format() for i in issues]


# (file, expected fragments of one line each: "line:col: key.path: words")
GOLDEN = [
    (
        "unknown_key.yaml",
        [
            "unknown_key.yaml:9:26: templates[0].params.x.stp: unknown key 'stp' (did you mean 'step'?)",
            "unknown_key.yaml:11:5: templates[0].answr: unknown key 'answr' (did you mean 'answer'?)",
            "unknown_key.yaml:5:5: templates[0]: the required key 'answer' is missing",
        ],
    ),
    (
        "missing_key.yaml",
        ["missing_key.yaml:5:5: templates[0]: the required key 'explanation' is missing"],
    ),
    (
        "bad_expr.yaml",
        [
            "bad_expr.yaml:12:14: templates[0].answer.value: 'y' is not defined here (defined: x)",
            "bad_expr.yaml:12:14: templates[0].answer.value: there is no function 'sigmoid_grd' "
            "(did you mean 'sigmoid_grad'?)",
            "bad_expr.yaml:14:19: templates[0].explanation.steps[0]: expression error: attributes "
            "starting with '_' are not allowed",
        ],
    ),
    (
        "bad_kind.yaml",
        [
            "bad_kind.yaml:7:11: templates[0].kind: 'numerical' is not allowed; use one of:",
            "bad_kind.yaml:8:12: templates[0].field: '数学' is not allowed; use one of:",
        ],
    ),
    ("python_tag.yaml", ["python_tag.yaml:3:8: the YAML tag !!python/object/apply:os.system"]),
    ("laughs.yaml", ["laughs.yaml:6:8: aliases expand to more than 200,000 YAML nodes"]),
    ("syntax.yaml", ["syntax.yaml:7:1: YAML syntax error:"]),
    (
        "dup_ids.yaml",
        [
            "dup_ids.yaml:11:9: templates[1].id: the template id 'bad.dup.one' is used twice "
            "(also at "
        ],
    ),
    (
        "unmeetable.yaml",
        ["unmeetable.yaml:10:12: templates[0].where: seed 0: the constraints in `where` were not met"],
    ),
    (
        "wrong_misconception.yaml",
        [
            "wrong_misconception.yaml:15:16: templates[0].misconceptions[0].value: seed 0: "
            "misconception 'same_at_zero' cannot be told from the answer"
        ],
    ),
]


@pytest.mark.parametrize(("name", "expected"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden_bad_pack(name: str, expected: list[str]) -> None:
    lines = issues_of(name)
    for fragment in expected:
        assert any(fragment in line for line in lines), f"{fragment!r} not in {lines}"
    assert len(lines) == len(expected), lines


def test_messages_exist_in_japanese() -> None:
    lines = issues_of("unknown_key.yaml", lang="ja")
    assert any("不明なキー 'stp' です（'step' のことですか？）" in line for line in lines)
    assert any("必須のキー 'answer' がありません" in line for line in lines)


@pytest.mark.parametrize("name", ["hostile_expr.yaml", "python_tag.yaml", "laughs.yaml"])
def test_hostile_packs_fail_fast_without_side_effects(name: str, tmp_path: Path) -> None:
    marker = Path("/tmp/quizapp_pwned")
    marker.unlink(missing_ok=True)
    start = time.monotonic()
    lines = issues_of(name, seeds=3)
    assert time.monotonic() - start < 5
    assert lines
    assert not marker.exists()


def test_hostile_parameters_are_refused_at_generation() -> None:
    text = """
id: h
version: 1
title: h
templates:
  - id: h.one
    topic: t
    kind: numeric
    params:
      x: {expr: "999999**999999"}
    prompt: "x"
    answer: {value: x}
    explanation: {steps: ["x"]}
  - id: h.two
    topic: t
    kind: numeric
    params:
      y: {expr: "sum(ones((10000, 10000)))"}
    prompt: "y"
    answer: {value: y}
    explanation: {steps: ["y"]}
"""
    loaded, issues = check_text(text, "h.yaml")
    assert loaded is not None, issues
    start = time.monotonic()
    found = check_instances(loaded, 2)
    assert time.monotonic() - start < 2
    assert [i.key for i in found] == ["templates[0].params.x.expr", "templates[1].params.y.expr"]


def test_a_text_missing_a_declared_language_is_reported() -> None:
    text = """
id: l
version: 1
title: {ja: タイトル, en: Title}
languages: [ja, en]
templates:
  - id: l.one
    topic: t
    kind: true_false
    prompt: {ja: "はい"}
    answer: {correct: true}
    explanation: {steps: ["ok"]}
"""
    _, issues = check_text(text, "l.yaml")
    assert [(i.line, i.key) for i in issues] == [(10, "templates[0].prompt")]
    assert "no en version" in issues[0].message


def test_answer_keys_that_do_not_fit_the_kind_are_reported() -> None:
    text = """
id: k
version: 1
title: k
templates:
  - id: k.one
    topic: t
    kind: numeric
    prompt: "1"
    answer: {value: "1", options: [{text: a, correct: true}]}
    explanation: {steps: ["ok"]}
  - id: k.two
    topic: t
    kind: single_choice
    prompt: "?"
    answer: {count: 4}
    explanation: {steps: ["ok"]}
"""
    _, issues = check_text(text, "k.yaml")
    messages = [(i.key, i.message) for i in issues]
    assert ("templates[0].answer.options", "answer.options does not apply to a numeric item") in messages
    assert ("templates[1].answer", "a single_choice item needs answer.options") in messages


def test_undeclared_topic_suggests_the_close_one() -> None:
    text = """
id: k
version: 1
title: k
topics: {activation: {title: A}}
templates:
  - id: k.one
    topic: activaton
    kind: true_false
    prompt: "?"
    answer: {correct: true}
    explanation: {steps: ["ok"]}
"""
    _, issues = check_text(text, "k.yaml")
    assert len(issues) == 1
    assert issues[0].line == 8
    assert "(did you mean 'activation'?)" in issues[0].message


def test_catalog_skips_a_bad_user_pack_and_keeps_the_others(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text((DATA / "good" / "mini.yaml").read_text("utf-8"), "utf-8")
    (tmp_path / "bad.yaml").write_text((BAD / "syntax.yaml").read_text("utf-8"), "utf-8")
    catalog = load_catalog([tmp_path], builtin=False)
    assert "test.mini.sigmoid_grad" in catalog.templates
    assert [i.path.endswith("bad.yaml") for i in catalog.issues] == [True]


def test_catalog_reports_duplicate_ids_across_packs_naming_both(tmp_path: Path) -> None:
    text = (DATA / "good" / "mini.yaml").read_text("utf-8")
    (tmp_path / "a.yaml").write_text(text, "utf-8")
    (tmp_path / "b.yaml").write_text(text.replace("id: test.mini\n", "id: test.other\n"), "utf-8")
    catalog = load_catalog([tmp_path], builtin=False)
    assert len(catalog.packs) == 1
    dup = [i for i in catalog.issues if "used twice" in i.message]
    assert len(dup) == 9
    assert dup[0].path.endswith("b.yaml") and "a.yaml:" in dup[0].message


def test_unreadable_and_binary_files(tmp_path: Path) -> None:
    binary = tmp_path / "x.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    _, issues = read_pack(binary)
    assert "not UTF-8" in issues[0].message
    _, issues = read_pack(tmp_path / "missing.yaml")
    assert "cannot read the file" in issues[0].message
    huge = tmp_path / "huge.yaml"
    huge.write_text("a: " + "x" * 1_100_000, "utf-8")
    _, issues = read_pack(huge)
    assert "too large" in issues[0].message
