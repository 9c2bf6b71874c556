"""Problems from templates: parameter specs, determinism, answers, choices."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import numpy as np
import pytest

from quizapp.packs.generation import GenerationError, draw_param, generate
from quizapp.packs.loader import check_text
from quizapp.packs.model import ArrayParam, ChoiceParam, IntParam, RangeParam, SimplexParam


def problem(mini, template_id: str, seed: int):
    ref = mini.template(template_id)
    return generate(ref.template, seed, pack_id=ref.pack.id, pack_version=str(ref.pack.version))


def test_range_values_lie_on_the_grid_and_respect_exclude() -> None:
    spec = RangeParam(range=(-3, 3), step=0.5, exclude=[0])
    rng = random.Random(1)
    values = {draw_param(spec, rng, {}, "x") for _ in range(500)}
    assert values == {v / 2 for v in range(-6, 7)} - {0}
    assert all(isinstance(v, float) for v in values)


def test_integer_range_gives_integers() -> None:
    spec = RangeParam(range=(1, 5), step=1)
    values = {draw_param(spec, random.Random(2), {}, "n") for _ in range(3)}
    assert all(type(v) is int for v in values)


def test_decimal_steps_give_clean_numbers() -> None:
    spec = RangeParam(range=(0.1, 0.9), step=0.1)
    rng = random.Random(3)
    for _ in range(200):
        v = draw_param(spec, rng, {}, "p")
        assert repr(v) in {f"0.{d}" for d in range(1, 10)}


def test_int_param_and_choice() -> None:
    rng = random.Random(4)
    assert {draw_param(IntParam(int=(1, 3), exclude=[2]), rng, {}, "k") for _ in range(100)} == {
        1,
        3,
    }
    value = draw_param(ChoiceParam(choice=[[1, 2], [3, 4]]), rng, {}, "v")
    assert isinstance(value, np.ndarray) and value.shape == (2,)


def test_array_shape_from_earlier_params_and_nonzero() -> None:
    spec = ArrayParam(array=["J", 3], range=(-1, 1), step=0.5, nonzero=True)
    value = draw_param(spec, random.Random(5), {"J": 2}, "W")
    assert value.shape == (2, 3)
    assert np.all(value != 0)
    assert set(value.ravel()) <= {-1.0, -0.5, 0.5, 1.0}


def test_array_too_large_is_refused() -> None:
    with pytest.raises(ValueError, match="at most 10,000"):  # fixed shapes: by validation
        ArrayParam(array=[1000, 1000])
    spec = ArrayParam(array=["n", 1000])  # shapes from parameters: before building
    with pytest.raises(GenerationError, match="at most 10000"):
        draw_param(spec, random.Random(0), {"n": 1000}, "W")


def test_simplex_sums_to_exactly_one() -> None:
    rng = random.Random(6)
    for _ in range(200):
        y = draw_param(SimplexParam(simplex=4, step=0.05), rng, {}, "y")
        assert y.shape == (4,)
        assert abs(y.sum() - 1) < 1e-12
        assert np.all(y >= 0.05 - 1e-12)


def test_same_seed_same_problem_and_different_seeds_vary(mini) -> None:
    a = problem(mini, "test.mini.output_grad", 7)
    b = problem(mini, "test.mini.output_grad", 7)
    assert a.prompt("en") == b.prompt("en")
    np.testing.assert_array_equal(a.answer, b.answer)
    prompts = {problem(mini, "test.mini.output_grad", s).prompt("en") for s in range(10)}
    assert len(prompts) == 10


def test_determinism_in_a_fresh_process(mini) -> None:
    code = (
        "import json; from pathlib import Path; from quizapp.packs.loader import load_catalog;"
        "from quizapp.packs.generation import generate;"
        "c = load_catalog([Path('tests/data/good')], builtin=False);"
        "p = generate(c.template('test.mini.output_grad').template, 11);"
        "print(json.dumps({'params': p.params_json(), 'answer': p.answer_json()}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    here = problem(mini, "test.mini.output_grad", 11)
    assert json.loads(out) == {"params": here.params_json(), "answer": here.answer_json()}


def test_numbers_shown_are_numbers_used(mini) -> None:
    p = problem(mini, "test.mini.output_grad", 3)
    W, b, z, d = (p.params[k] for k in "Wbzd")
    np.testing.assert_allclose(p.answer, np.outer(W @ z + b - d, z))
    for name in "Wbzd":
        for v in p.params[name].ravel():
            assert f"{v:g}" in p.prompt("en")


def test_explanation_interpolates_this_instance(mini) -> None:
    p = problem(mini, "test.mini.sigmoid_grad", 4)
    x = p.params["x"]
    s = 1 / (1 + np.exp(-x))
    steps = p.explanation_steps("en")
    assert steps[1] == f"σ'({x:g}) = {s * (1 - s):.4f}"
    assert "σ'(x) = σ(x)(1 − σ(x))" in p.explanation("ja")


def test_choices_have_four_options_one_correct_and_shuffle_per_seed(mini) -> None:
    orders = set()
    for seed in range(20):
        p = problem(mini, "test.mini.chain", seed)
        assert len(p.choices) == 4
        assert [c.correct for c in p.choices].count(True) == 1
        assert p.choices[p.answer - 1].text("en") == "∂u/∂w"
        orders.add(tuple(c.text("en") for c in p.choices))
    assert len(orders) > 5


def test_computed_correctness_of_options(mini) -> None:
    for seed in range(20):
        p = problem(mini, "test.mini.relu_choice", seed)
        want = "1" if p.params["x"] > 0 else "0"
        assert p.choices[p.answer - 1].text("en") == want


def test_multi_choice_answer_is_a_sorted_list_of_one_based_numbers(mini) -> None:
    p = problem(mini, "test.mini.which_true", 0)
    assert isinstance(p.answer, list) and len(p.answer) == 2
    assert p.answer == sorted(p.answer)
    assert {p.choices[i - 1].text("en") for i in p.answer} == {"σ'(0) = 0.25", "tanh'(0) = 1"}


def test_single_choice_with_two_correct_options_is_an_error() -> None:
    text = """
id: c
version: 1
title: c
templates:
  - id: c.one
    topic: t
    kind: single_choice
    prompt: "?"
    answer:
      options:
        - {text: a, correct: true}
        - {text: b, correct: true}
        - {text: c}
        - {text: d}
    explanation: {steps: ["-"]}
"""
    loaded, issues = check_text(text, "c.yaml")
    assert loaded is not None, issues
    with pytest.raises(GenerationError, match="exactly one correct option"):
        generate(loaded.pack.templates[0], 0)


def test_non_finite_answers_are_refused() -> None:
    text = """
id: n
version: 1
title: n
templates:
  - id: n.one
    topic: t
    kind: numeric
    params: {x: {range: [0, 0]}}
    prompt: "?"
    answer: {value: "log(x)"}
    explanation: {steps: ["-"]}
"""
    loaded, _ = check_text(text, "n.yaml")
    with pytest.raises(GenerationError, match="not a finite number"):
        generate(loaded.pack.templates[0], 0)
