"""Reading and grading answers: normalization, every kind, misconceptions, invalid input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.grading import Unreadable, grade, parse_array, parse_bool, parse_number
from quizapp.packs.generation import generate


def problem(mini, template_id: str, seed: int = 0):
    return generate(mini.template(template_id).template, seed)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.25", 0.25),
        (" 0.25 ", 0.25),
        ("０．２５", 0.25),
        ("−0.5", -0.5),
        ("ー0.5", -0.5),
        ("1/4", 0.25),
        ("-3/8", -0.375),
        ("1 / 4", 0.25),
        ("2.5e-3", 0.0025),
        ("2.5E-3", 0.0025),
        ("2.5×10^-3", 0.0025),
        (".5", 0.5),
        ("1.", 1.0),
        ("exp(0)", 1.0),
        ("0.25*(1-0.25)", 0.1875),
    ],
)
def test_numbers(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "1/0", "0.2.5", "x + 1", "[1, 2]", "1e999", "'a'"])
def test_unreadable_numbers(text: str) -> None:
    with pytest.raises(Unreadable):
        parse_number(text)


@pytest.mark.parametrize(
    "text",
    ["[[1, 2], [3, 4]]", "1 2; 3 4", "1, 2; 3, 4", "[1, 2], [3, 4]", "1 2\n3 4", "［［１，２］，［３，４］］"],
)
def test_matrices(text: str) -> None:
    np.testing.assert_array_equal(parse_array(text), [[1, 2], [3, 4]])


def test_ragged_matrix_is_unreadable() -> None:
    with pytest.raises(Unreadable) as info:
        parse_array("1 2; 3")
    assert info.value.key == "answer.ragged"


@pytest.mark.parametrize(("text", "value"), [("true", True), ("○", True), ("はい", True),
                                             ("F", False), ("×", False), ("いいえ", False)])
def test_booleans(text: str, value: bool) -> None:
    assert parse_bool(text) is value


def test_numeric_correct_wrong_and_misconception(mini) -> None:
    p = problem(mini, "test.mini.sigmoid_grad", 4)
    x = p.params["x"]
    s = 1 / (1 + np.exp(-x))
    assert grade(p, f"{s * (1 - s):.3f}").correct
    wrong = grade(p, "0.9")
    assert wrong.valid and not wrong.correct and wrong.misconception is None
    mis = grade(p, f"{s:.4f}")
    assert mis.misconception == "sigma_not_derivative"
    assert "That is σ(x), not σ'(x)." in mis.feedback("en")
    assert "σ(x) を答えています。" in mis.feedback("ja")
    assert mis.verdict("ja") == "不正解" and grade(p, f"{s * (1 - s)}").verdict("en") == "Correct"


def test_invalid_answer_says_how_it_was_read(mini) -> None:
    p = problem(mini, "test.mini.sigmoid_grad")
    result = grade(p, "zero point two")
    assert not result.valid and not result.correct
    assert "zero point two" in result.feedback("en")
    assert "数値として読めませんでした" in result.feedback("ja")
    assert result.verdict("en") == "Unreadable answer"


def test_matrix_cells_and_shape(mini) -> None:
    p = problem(mini, "test.mini.output_grad", 3)
    answer = np.asarray(p.answer)
    assert grade(p, str(answer.tolist())).correct
    off = answer.copy()
    off[1, 2] += 1
    result = grade(p, str(off.tolist()))
    assert result.valid and not result.correct and result.cells == ((1, 2),)
    assert "(2, 3)" in result.feedback("en")
    bad_shape = grade(p, "1 2; 3 4")
    assert not bad_shape.valid and "2×2" in bad_shape.feedback("en") and "2×3" in bad_shape.feedback("en")


def test_transposed_gradient_is_named_even_though_its_shape_differs(mini) -> None:
    p = problem(mini, "test.mini.output_grad", 5)
    result = grade(p, str(np.asarray(p.answer).T.tolist()))
    assert result.valid and not result.correct and result.misconception == "transposed"
    # Misconception messages are filled in with this problem's values.
    assert "∂E/∂W has the shape of W, (2, 3)." in result.feedback("en")
    assert "W と同じ (2, 3) です。" in result.feedback("ja")


def test_sign_flip_misconception(mini) -> None:
    p = problem(mini, "test.mini.output_grad", 5)
    result = grade(p, str((-np.asarray(p.answer)).tolist()))
    assert result.misconception == "sign_y_minus_d"


def test_vector_accepts_row_or_column(mini) -> None:
    p = problem(mini, "test.mini.softmax_grad", 2)
    values = np.asarray(p.answer)
    assert grade(p, " ".join(f"{v:.5f}" for v in values)).correct
    assert grade(p, "; ".join(f"{v:.5f}" for v in values)).correct


def test_choice_by_number_letter_and_kana(mini) -> None:
    p = problem(mini, "test.mini.chain", 1)
    n = p.answer
    assert grade(p, str(n)).correct
    assert grade(p, "abcd"[n - 1]).correct
    assert grade(p, "アイウエ"[n - 1]).correct
    assert grade(p, "１２３４"[n - 1]).correct
    assert not grade(p, "5").valid
    circular = next(i for i, c in enumerate(p.choices, 1) if c.tag == "circular")
    result = grade(p, str(circular))
    assert result.misconception == "circular" and "That is circular." in result.feedback("en")


def test_multi_choice(mini) -> None:
    p = problem(mini, "test.mini.which_true", 3)
    a, b = p.answer
    assert grade(p, f"{a},{b}").correct
    assert grade(p, f"{b} {a}").correct
    assert grade(p, f"{a}{b}").correct
    assert not grade(p, f"{a}").correct


def test_formula_equivalence(mini) -> None:
    p = problem(mini, "test.mini.sigmoid_formula")
    assert grade(p, "sigmoid(x)*(1-sigmoid(x))").correct
    assert grade(p, "sigmoid(x) - sigmoid(x)^2").correct
    assert grade(p, "σ(x)*(1−σ(x))").correct
    assert grade(p, "exp(-x)/(1+exp(-x))**2").correct
    mis = grade(p, "sigmoid(x)")
    assert mis.valid and not mis.correct and mis.misconception == "sigma_not_derivative"
    wrong = grade(p, "x**2")
    assert wrong.valid and not wrong.correct and "differs at x =" in wrong.feedback("en")
    assert not grade(p, "sigmoid(y)").valid
    assert not grade(p, "__import__('os')").valid


def test_true_false(mini) -> None:
    p = problem(mini, "test.mini.tanh_sym")
    assert p.answer is True
    assert grade(p, "○").correct and not grade(p, "false").correct
    assert not grade(p, "maybe").valid


KINDS = ["test.mini.sigmoid_grad", "test.mini.output_grad", "test.mini.softmax_grad",
         "test.mini.chain", "test.mini.which_true", "test.mini.sigmoid_formula",
         "test.mini.tanh_sym"]


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40), which=st.sampled_from(KINDS))
def test_grading_never_raises(mini, text: str, which: str) -> None:
    result = grade(problem(mini, which), text)
    assert isinstance(result.valid, bool) and isinstance(result.correct, bool)
    assert not (result.correct and not result.valid)
    assert isinstance(result.feedback("ja"), str) and isinstance(result.feedback("en"), str)


@settings(max_examples=200, deadline=None)
@given(text=st.from_regex(r"[-+]?[0-9 .,;/eE\[\]]{0,30}", fullmatch=True))
def test_numeric_looking_input_never_raises(mini, text: str) -> None:
    for which in ("test.mini.sigmoid_grad", "test.mini.output_grad"):
        grade(problem(mini, which), text)


def test_a_vector_misconception_of_another_length_is_named() -> None:
    from quizapp.packs.loader import check_text

    text = """
id: v
version: 1
title: v
templates:
  - id: v.db
    topic: t
    kind: vector
    params:
      dout: {array: [3, 2], range: [-1, 1], step: 0.5}
    where: ["abs(sum(dout)) > 0"]
    prompt: "db for dout = {dout}"
    answer: {value: "sum(dout, axis=0)"}
    misconceptions:
      - {tag: wrong_axis, value: "sum(dout, axis=1)", message: "axis 0, not 1"}
    explanation: {steps: ["sum over the batch"]}
"""
    loaded, issues = check_text(text, "v.yaml")
    assert loaded is not None, issues
    p = generate(loaded.pack.templates[0], 0)
    wrong = np.asarray(p.params["dout"]).sum(axis=1)
    result = grade(p, str(wrong.tolist()))
    assert result.valid and result.misconception == "wrong_axis"
