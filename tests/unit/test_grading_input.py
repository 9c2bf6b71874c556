"""Issue #13 items 1–6: what a candidate types in the first hour (tuples, decimal commas,
formulas as the explanations print them, arithmetic in numbers, decimal places, messages in
both languages)."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.grading import grade, parse_array, parse_number
from quizapp.grading.preview import formula_example, reads_as
from quizapp.i18n import catalogue
from quizapp.packs.generation import generate
from quizapp.packs.loader import check_text


def problem(mini, template_id: str, seed: int = 0):
    return generate(mini.template(template_id).template, seed)


def one_template(body: str, seed: int = 0):
    text = "id: t\nversion: 1\ntitle: t\ntemplates:\n" + body
    loaded, issues = check_text(text, "t.yaml")
    assert loaded is not None, issues
    return generate(loaded.pack.templates[0], seed)


# --- 1. a tuple where one value is expected; a decimal comma ---------------------------------


def test_a_tuple_on_a_numeric_item_is_invalid_not_graded_on_its_first_entry(mini) -> None:
    p = problem(mini, "test.mini.sigmoid_grad", 4)
    right = f"{p.answer:.4f}"
    hedged = grade(p, f"{right}, 0.622, 0.731")
    assert not hedged.valid and not hedged.correct
    assert "3" in hedged.feedback("en") and "1 つだけ" in hedged.feedback("ja")
    assert not grade(p, f"0, {right}").valid


def test_a_decimal_comma_is_invalid_not_wrong(mini) -> None:
    p = problem(mini, "test.mini.sigmoid_grad", 4)
    result = grade(p, "0,378")
    assert not result.valid
    assert "0.378" in result.feedback("en") and "ピリオド" in result.feedback("ja")


def test_a_hedged_formula_is_invalid(mini) -> None:
    p = problem(mini, "test.mini.sigmoid_formula")
    result = grade(p, "sigmoid(x)*(1-sigmoid(x)), 1-sigmoid(x)**2")
    assert not result.valid and not result.correct
    assert "1 つだけ" in result.feedback("ja")


# --- 2. the formula hint never shows the answer ------------------------------------------------


def test_the_formula_hint_is_not_the_answer(mini) -> None:
    from quizapp.study.session import answer_hint

    p = problem(mini, "test.mini.sigmoid_formula")
    for lang in ("ja", "en"):
        hint = answer_hint(p, lang)
        assert "sigmoid(x) * (1 - sigmoid(x))" not in hint
        example = formula_example(p)
        assert example in hint
        assert not grade(p, example).correct  # the example is not an answer
        assert grade(p, example).misconception is None  # nor a known mistake
    for lang in ("ja", "en"):
        assert "sigmoid(x)*(1 - sigmoid(x))" not in catalogue(lang)["help.formats"]


def test_the_formula_example_avoids_an_answer_equal_to_it() -> None:
    p = one_template(
        """  - id: t.f
    topic: t
    kind: expression
    prompt: "f"
    answer: {value: "3*x**2 + 1", variables: {x: [-2, 2]}}
    explanation: {steps: ["s"]}
"""
    )
    example = formula_example(p)
    assert example != "3*x**2 + 1" and not grade(p, example).correct


# --- 3. formulas as the explanations print them ------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["σ(x)(1−σ(x))", "σ(x)(1 - σ(x))", "sigmoid(x)(1-sigmoid(x))", "σ(x) − σ(x)²",
     "σ(x) - σ(x)^2", "exp(-x)/(1+exp(-x))²"],
)
def test_implicit_multiplication_and_superscripts(mini, typed: str) -> None:
    p = problem(mini, "test.mini.sigmoid_formula")
    result = grade(p, typed)
    assert result.valid and result.correct, result.feedback("en")


def test_the_feedback_shows_how_a_formula_was_read(mini) -> None:
    p = problem(mini, "test.mini.sigmoid_formula")
    result = grade(p, "σ(x)(1−σ(x))")
    assert "Read as: sigmoid(x)*(1 - sigmoid(x))" in result.feedback("en")
    assert "読み取り：sigmoid(x)*(1 - sigmoid(x))" in result.feedback("ja")
    assert reads_as(p, "σ(x)(1−σ(x))", "en") == "Read as: sigmoid(x)*(1 - sigmoid(x))"


TANH = """  - id: t.tanh
    topic: t
    kind: expression
    prompt: "tanh'(x)"
    answer: {value: "1 - tanh(x)**2", variables: {x: [-2, 2]}}
    explanation: {steps: ["s"]}
"""


@pytest.mark.parametrize(
    "typed", ["1 − tanh²(x)", "1 − tanh(x)²", "1/cosh(x)**2", "1/cosh²(x)", "1 - tanh^2(x)",
              "(1 - tanh(x))(1 + tanh(x))"],
)
def test_tanh_derivative_as_printed(typed: str) -> None:
    p = one_template(TANH)
    result = grade(p, typed)
    assert result.valid and result.correct, result.feedback("en")


def test_implicit_multiplication_with_numbers() -> None:
    p = one_template(
        """  - id: t.g
    topic: t
    kind: expression
    prompt: "g"
    answer: {value: "2*sigmoid(2*x) - 1", variables: {x: [-2, 2]}}
    explanation: {steps: ["s"]}
"""
    )
    assert grade(p, "2σ(2x) − 1").correct
    assert grade(p, "tanh(x)").correct  # the same function, another spelling
    assert not grade(p, "2σ(x) − 1").correct


def test_a_variable_before_a_bracket_multiplies() -> None:
    p = one_template(
        """  - id: t.h
    topic: t
    kind: expression
    prompt: "h"
    answer: {value: "x*(1 - x)", variables: {x: [-2, 2]}}
    explanation: {steps: ["s"]}
"""
    )
    assert grade(p, "x(1−x)").correct
    assert grade(p, "x - x²").correct


# --- 4. arithmetic in numbers; vectors in parentheses --------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("-ln(0.35)", -np.log(0.35)), ("−ln(0.35)", -np.log(0.35)),
     ("exp(-1)/(1+exp(-1))", np.exp(-1) / (1 + np.exp(-1))), ("sqrt(2)/2", np.sqrt(2) / 2),
     ("√2/2", np.sqrt(2) / 2), ("2.5×10^-3", 0.0025), ("1/4", 0.25), ("2π", 2 * np.pi)],
)
def test_arithmetic_in_numbers(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


def test_numbers_use_elementary_functions_only(mini) -> None:
    p = problem(mini, "test.mini.sigmoid_grad", 4)
    result = grade(p, "sigmoid_grad(2)")
    assert not result.valid and "sigmoid_grad" in result.feedback("en")


def test_a_vector_in_parentheses() -> None:
    np.testing.assert_allclose(parse_array("(−0.8, −0.4)"), [-0.8, -0.4])
    np.testing.assert_allclose(parse_array("(-ln(0.5), 1/4)"), [np.log(2), 0.25])


def test_cli_answer_may_start_with_a_minus_sign(capsys) -> None:
    from quizapp.cli import main

    code = main(["--lang", "en", "grade", "ffn.activation.sigmoid_value", "--seed", "1",
                 "--answer", "-log(0.35)", "--json"])
    assert code == 0
    assert '"valid": true' in capsys.readouterr().out


# --- 5. n decimal places -----------------------------------------------------------------------


PLACES = """  - id: t.p
    topic: t
    kind: numeric
    params: {{x: {{choice: [2.5]}}}}
    prompt: {{ja: "σ({{x}}) を求めよ（小数第 3 位まで）。", en: "Compute σ({{x}}) (to 3 decimal places)."}}
    answer: {{value: "sigmoid(x)"{tolerance}}}
    explanation: {{steps: ["s"]}}
"""


@pytest.mark.parametrize("tolerance", ["", ", tolerance: {places: 3}"])
def test_decimal_places_from_the_prompt_or_the_answer(tolerance: str) -> None:
    p = one_template(PLACES.format(tolerance=tolerance))  # σ(2.5) = 0.924142
    assert grade(p, "0.924").correct  # rounded
    assert grade(p, "0.9241").correct  # more places
    assert not grade(p, "0.92").correct  # fewer places that differ in the third
    assert not grade(p, "0.925").correct
    wrong = grade(p, "0.5")
    assert "The answer is 0.924." in wrong.feedback("en")
    assert "0.924142" not in wrong.feedback("en")


def test_truncated_answers_pass_and_fewer_places_pass_when_they_agree() -> None:
    p = one_template(PLACES.format(tolerance=", tolerance: {places: 2}"))  # 0.924142
    assert grade(p, "0.92").correct  # rounded and truncated to 2 places
    assert not grade(p, "0.9").correct
    q = one_template(PLACES.replace("[2.5]", "[0.0]").format(tolerance=""))  # σ(0) = 0.5
    assert grade(q, "0.5").correct and grade(q, "0.500").correct
    r = one_template(PLACES.replace("[2.5]", "[1.7]").format(tolerance=""))  # 0.845535
    assert grade(r, "0.845").correct  # truncated
    assert grade(r, "0.846").correct  # rounded
    assert not grade(r, "0.84").correct


def test_an_explicit_tolerance_wins_over_the_prompt() -> None:
    p = one_template(PLACES.format(tolerance=", tolerance: {rel: 0.01, abs: 0}"))
    assert grade(p, "0.92").correct


# --- 6. every message about an unreadable answer is in both languages -------------------------


@pytest.mark.parametrize(
    "typed",
    ["lambda: 1", "x.real", "sigmoid(x", "x +* 2", "y", "nosuch(x)", "x[0]", "'a' * 2",
     "1 +", "$", "x ** 1e400", "import os", "(x", "x)", "[x, x]"],
)
def test_formula_messages_are_translated(mini, typed: str) -> None:
    p = problem(mini, "test.mini.sigmoid_formula")
    result = grade(p, typed)
    ja, en = result.feedback("ja"), result.feedback("en")
    assert not result.valid
    assert ja != en
    english_words = {"only", "functions", "allowed", "syntax", "error", "defined", "cannot"}
    assert not english_words & set(ja.replace("(", " ").replace(")", " ").split())


def test_every_answer_key_is_in_both_catalogues() -> None:
    en, ja = catalogue("en"), catalogue("ja")
    keys = {k for k in en if k.startswith("answer.")}
    assert keys == {k for k in ja if k.startswith("answer.")}
