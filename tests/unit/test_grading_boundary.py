"""Issue #14 items 1–6 and 13: the grader and the live preview are a boundary. Whatever the
text, they return (valid/invalid, a message) within a bounded time, and never raise."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.grading import grade
from quizapp.grading.preview import reads_as
from quizapp.packs.expressions import ExpressionError, evaluate
from quizapp.packs.generation import GenerationError, generate

KINDS = ["test.mini.sigmoid_grad", "test.mini.output_grad", "test.mini.softmax_grad",
         "test.mini.chain", "test.mini.which_true", "test.mini.sigmoid_formula",
         "test.mini.tanh_sym", "test.mini.probs"]
BUDGET = 2.0  # seconds per call: a generous bound on a boundary, not a benchmark

HOSTILE = ["()", "[]", "1e400/3", "1*10^400", "1e" + "9" * 5000, "1e9999999999/3",
           "9" * 5000, "𐩀", "zeros(0)", "((((", "))", "[[1, 2], [3]", "1e999999999/3",
           "1/1e-400", "10**10**10", "prod(arange(1, 1000))", "1" + "0" * 400 + "/3",
           "x" * 5000, "σ" * 3000, "²" * 100, "tanh²²²(x)", "√√√", "2" + "(" * 60 + "x",
           "\x00", "1e-999999", "-" * 400 + "1", "exp(exp(exp(100)))", "1,2,3,4,5,6,7,8"]


def problem(mini, template_id: str, seed: int = 0):
    return generate(mini.template(template_id).template, seed)


def _bounded(call, *args):
    start = time.perf_counter()
    result = call(*args)
    elapsed = time.perf_counter() - start
    assert elapsed < BUDGET, f"{elapsed:.2f} s for {args[1][:40]!r}"
    return result


def _check(mini, which: str, text: str) -> None:
    p = problem(mini, which)
    result = _bounded(grade, p, text)
    assert isinstance(result.valid, bool) and isinstance(result.correct, bool)
    assert not (result.correct and not result.valid)
    for lang in ("ja", "en"):
        shown = result.feedback(lang)
        assert isinstance(shown, str) and len(shown) < 1500
        assert isinstance(_bounded(reads_as, p, text, lang), str)


texts = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="0123456789eE.+-*/^()[],; σ²√x", max_size=60),
    st.builds(lambda n: f"1e{n}/3", st.integers(0, 10**12)),
    st.builds(lambda n: f"1*10^{n}", st.integers(-(10**6), 10**6)),
    st.builds(lambda n, c: c * n, st.integers(0, 6000), st.sampled_from(["9", "(", "[", "𐩀"])),
    st.text(alphabet=st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF), max_size=20),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, which=st.sampled_from(KINDS))
def test_any_text_is_graded_and_previewed_in_bounded_time(mini, text: str, which: str) -> None:
    _check(mini, which, text)


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("which", KINDS)
def test_hostile_answers_never_raise(mini, which: str, text: str) -> None:
    _check(mini, which, text)


def test_empty_brackets_on_a_numeric_item_are_invalid(mini) -> None:  # 14.1
    for text in ("()", "[]", "( )"):
        result = grade(problem(mini, "test.mini.sigmoid_grad"), text)
        assert not result.valid


@pytest.mark.parametrize("text", ["1e400/3", "1*10^400", "1e" + "9" * 5000])
@pytest.mark.parametrize("which", ["test.mini.output_grad", "test.mini.softmax_grad",
                                   "test.mini.sigmoid_grad"])
def test_overflowing_numbers_are_invalid_with_a_message(mini, which: str, text: str) -> None:
    p = problem(mini, which)  # 14.2, 14.4
    assert not grade(p, text).valid
    assert reads_as(p, text, "en") != "" or p.kind == "numeric"


def test_a_huge_exponent_is_refused_before_any_exact_arithmetic(mini) -> None:  # 14.3
    result = grade(problem(mini, "test.mini.sigmoid_grad"), "1e999999999/3")
    assert not result.valid
    assert "too large an exponent" in result.feedback("en")


@pytest.mark.parametrize("text", ["[]", "()", "zeros(0)", "ones(3)", "[x, x]"])
def test_formulas_that_are_not_one_number_are_invalid(mini, text: str) -> None:  # 14.4
    result = grade(problem(mini, "test.mini.sigmoid_formula"), text)
    assert not result.valid and result.feedback("ja") != result.feedback("en")


@pytest.mark.parametrize("text", ["9" * 5000, "𐩀", "١", "99999999999999999999"])
@pytest.mark.parametrize("which", ["test.mini.chain", "test.mini.which_true"])
def test_odd_digits_on_choice_items_are_invalid(mini, which: str, text: str) -> None:  # 14.4
    assert not grade(problem(mini, which), text).valid


def test_a_seed_beyond_64_bits_is_refused(mini) -> None:  # 14.5
    from quizapp.cli import main

    template = mini.template("test.mini.sigmoid_grad").template
    with pytest.raises(GenerationError):
        generate(template, 99999999999999999999999999)
    with pytest.raises(GenerationError):
        generate(template, -1)
    generate(template, 2**63 - 1)
    for command in (["study", "--template", "test.mini.sigmoid_grad"], ["sample", "x"]):
        with pytest.raises(SystemExit) as info:
            main([*command, "--seed", "99999999999999999999999999"])
        assert info.value.code == 2


def test_a_long_unreadable_paste_is_cut_in_the_message(mini) -> None:  # 14.6
    paste = "zero point " * 500
    for which in KINDS:
        result = grade(problem(mini, which), paste)
        assert not result.valid
        for lang in ("ja", "en"):
            assert len(result.feedback(lang)) < 300
            assert paste[:5000] not in result.feedback(lang)


@pytest.mark.parametrize(
    "source",
    ["prod(arange(1, 1000))", "arange(10**9, 10**9 + 3) * 10**11",
     "arange(2**31, 2**31 + 2) @ arange(2**31, 2**31 + 2)", "sum(arange(2**62, 2**62 + 4))",
     "-prod(arange(1, 30))"],
)
def test_integer_overflow_is_an_error_not_a_wrong_number(source: str) -> None:  # 14.13
    with pytest.raises(ExpressionError, match="too large"):
        evaluate(source, {})


def test_small_integer_arithmetic_stays_exact() -> None:
    assert evaluate("prod(arange(1, 10))", {}) == 362880
    assert evaluate("sum(arange(1, 1000))", {}) == 499500
    assert evaluate("arange(3) @ arange(3)", {}) == 5
