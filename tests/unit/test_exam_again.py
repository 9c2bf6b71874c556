"""Issue 13 #16: the "same exam again" command reproduces a custom exam (all its options)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from quizapp.cli.parser import build_parser
from quizapp.exam import build_exam, make_spec, result_lines, score_exam
from quizapp.exam.spec import spec_from_options
from quizapp.packs.loader import load_catalog

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"


def reparse(command: str):
    argv = shlex.split(command)
    assert argv[:2] == ["quizapp", "exam"]
    return spec_from_options(build_parser("en").parse_args(argv[1:]))


@pytest.mark.parametrize("kw", [
    dict(questions=7, minutes=9, seed=11, topics=["backprop"], packs=["test.mini"]),
    dict(preset="quick", seed=5, topics=["activation", "backprop"]),
    dict(questions=4, seed=3),
])
def test_the_command_rebuilds_the_same_spec_and_exam(kw):
    spec = make_spec(**kw)
    again = reparse(spec.command())
    assert again == spec
    catalog = load_catalog([GOOD], builtin=False)
    assert build_exam(catalog, again).items == build_exam(catalog, spec).items


def test_a_blueprint_is_part_of_the_command(tmp_path):
    blueprint = tmp_path / "my blueprint.yaml"
    blueprint.write_text("questions: 6\nminutes: 8\n", encoding="utf-8")
    spec = spec_from_options(build_parser("en").parse_args(
        ["exam", "--blueprint", str(blueprint), "--seed", "4"]))
    assert "--blueprint" in spec.command()
    assert reparse(spec.command()) == spec


def test_results_print_the_command():
    catalog = load_catalog([GOOD], builtin=False)
    spec = make_spec(questions=3, minutes=4, seed=9, topics=["backprop"])
    exam = build_exam(catalog, spec)
    score = score_exam(exam, {}, 60.0)
    line = result_lines(score, "en", seed=9, spec=spec)[-1]
    assert "quizapp exam --questions 3 --minutes 4 --topic backprop --seed 9" in line
