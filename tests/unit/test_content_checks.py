"""The validate checks for teaching faults (issues #13.7, #13.19, #13.20, #10.4), on small
bad packs in tests/data/lint, and `packs validate --strict`."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from quizapp.cli import main
from quizapp.grading.checks import check_instances
from quizapp.grading.lint import check_warnings, degenerate, repeated_calls
from quizapp.packs.loader import read_pack

LINT = Path(__file__).parent.parent / "data" / "lint"


def _load(name: str):
    loaded, issues = read_pack(LINT / name, "en")
    assert loaded is not None and not issues, [i.format() for i in issues]
    loaded.path = LINT / name
    return loaded


def _warnings(name: str, seeds: int = 50) -> list[str]:
    return [i.format() for i in check_warnings(_load(name), seeds, "en")]


def test_coinciding_misconceptions_are_reported_with_the_seed() -> None:
    issues = [i.format() for i in check_instances(_load("coinciding.yaml"), 20, "en")]
    assert len(issues) == 1, issues
    line = issues[0]
    assert "misconceptions[1].value" in line
    assert "'sigma_not_derivative' and 'one_minus_sigma'" in line
    assert "seed " in line and "(0.5)" in line


def test_coinciding_misconceptions_fail_validate(capsys) -> None:
    assert main(["--lang", "en", "packs", "validate", str(LINT / "coinciding.yaml")]) == 1
    assert "have the same value" in capsys.readouterr().out


def test_repeated_calls_are_counted_across_answer_misconceptions_and_texts() -> None:
    loaded = _load("repeated.yaml")
    bad, good = loaded.pack.templates
    assert repeated_calls(bad) == [("sigmoid(x)", 3)]
    assert repeated_calls(good) == []
    warnings = _warnings("repeated.yaml")
    assert len(warnings) == 1 and "lint.repeated.bad" in warnings[0]
    assert "sigmoid(x) is written 3 times" in warnings[0]


def test_few_distinct_and_degenerate_draws_are_warned() -> None:
    warnings = _warnings("degenerate.yaml")
    few = [w for w in warnings if "lint.degenerate.few" in w]
    assert len(few) == 1 and "only 2 distinct problems in 50 seeds" in few[0]
    uniform = [w for w in warnings if "lint.degenerate.uniform" in w]
    assert len(uniform) == 1 and "every entry of 'u' is equal" in uniform[0]
    batch = [w for w in warnings if "lint.degenerate.batch" in w]
    assert len(batch) == 1 and ("row of zeros" in batch[0] or "two equal rows" in batch[0])


def test_degenerate_values() -> None:
    assert degenerate([-0.5, -0.5, -0.5]) == "all_equal"
    assert degenerate(np.zeros((2, 2))) == "all_equal"
    assert degenerate([[1, 2], [0, 0], [3, 1]]) == "zero_row"
    assert degenerate([[1, 2], [1, 2], [3, 1]]) == "equal_rows"
    assert degenerate([1, 2, 3]) is None
    assert degenerate([[1, 0], [0, 1]]) is None
    assert degenerate(0.0) is None


def test_a_fixed_number_of_correct_options_is_warned() -> None:
    warnings = _warnings("fixed_count.yaml")
    assert len(warnings) == 1, warnings
    assert "lint.fixed.always_two" in warnings[0] and "can be guessed" in warnings[0]


def test_warnings_fail_validate_only_with_strict(capsys) -> None:
    path = str(LINT / "repeated.yaml")
    assert main(["--lang", "en", "packs", "validate", path, "--seeds", "5"]) == 0
    captured = capsys.readouterr()
    assert "warning:" in captured.err and "Warnings: 1 " in captured.err
    assert "warning:" not in captured.out
    assert main(["--lang", "en", "packs", "validate", path, "--seeds", "5", "--strict"]) == 1
    assert "warning:" in capsys.readouterr().out


def test_warnings_are_localized(capsys) -> None:
    path = str(LINT / "repeated.yaml")
    assert main(["--lang", "ja", "packs", "validate", path, "--seeds", "5"]) == 0
    assert "警告：" in capsys.readouterr().err


def test_the_issue_13_19_draws_are_fixed() -> None:
    """activation_range draws all six functions (softmax too); dw_batch never draws a zero
    sample or two equal samples; softmax_ce_grad never a uniform u; sigmoid_grad never x = 0."""
    from quizapp.packs.generation import generate
    from quizapp.packs.loader import load_catalog

    catalog = load_catalog(builtin=True)

    def draws(tid: str, name: str, n: int = 60) -> list:
        tpl = catalog.template(tid).template
        return [np.asarray(generate(tpl, s).params[name]) for s in range(n)]

    assert {int(k) for k in draws("ffn.activation.activation_range", "k")} == set(range(6))
    for x in draws("ffn.backprop.dw_batch", "x"):
        assert degenerate(x) is None, x
    for u in draws("ffn.output.softmax_ce_grad", "u"):
        assert degenerate(u) is None, u
    assert all(float(x) != 0 for x in draws("ffn.activation.sigmoid_grad", "x"))
