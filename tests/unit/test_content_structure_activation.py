"""The built-in packs ffn.structure and ffn.activation: they validate, their canonical
templates keep their contract, their answers agree with plain NumPy, and the typical
wrong answers are recognized as misconceptions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import quizapp.packs.loader
from quizapp.cli import main
from quizapp.packs.loader import builtin_dir, read_pack
from quizapp.packs.model import Localized

STRUCTURE = builtin_dir() / "ffn_structure.yaml"
ACTIVATION = builtin_dir() / "ffn_activation.yaml"
FILES = (STRUCTURE, ACTIVATION)

CANONICAL = {
    "ffn.activation.sigmoid_value": ("numeric", {"x"}),
    "ffn.activation.sigmoid_grad": ("numeric", {"x"}),
    "ffn.activation.tanh_grad": ("numeric", {"x"}),
    "ffn.activation.relu_grad": ("numeric", {"x"}),
    "ffn.structure.param_count": ("numeric", {"sizes"}),
}

SEEDS = range(6)


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module", autouse=True)
def _catalog_once():
    """Each `main([...])` call loads the catalogue; load it once per folder list and language
    (the commands under test are unchanged; test_sample_by_subprocess runs the full path)."""
    real = quizapp.packs.loader.load_catalog
    cache: dict = {}

    def cached(dirs=(), *, builtin=True, lang="en"):
        key = (tuple(str(d) for d in dirs), builtin, lang)
        if key not in cache:
            cache[key] = real(dirs, builtin=builtin, lang=lang)
        return cache[key]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(quizapp.packs.loader, "load_catalog", cached)
        yield


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + np.exp(-x))


def run_json(capsys, tmp_path: Path, *args: str) -> dict:
    code = main(["--lang", "en", "--data-dir", str(tmp_path), *args, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def sample(capsys, tmp_path: Path, template_id: str, seed: int) -> dict:
    return run_json(capsys, tmp_path, "sample", template_id, "--seed", str(seed))


def grade(capsys, tmp_path: Path, template_id: str, seed: int, answer: str) -> dict:
    return run_json(capsys, tmp_path, "grade", template_id, "--seed", str(seed), "--answer", answer)


def _load(path: Path):
    loaded, issues = read_pack(path)
    assert not issues, "\n".join(i.format() for i in issues)
    assert loaded is not None
    loaded.path = path
    return loaded


@pytest.fixture(scope="module")
def packs():
    return {p.name: _load(p).pack for p in FILES}


@pytest.fixture(scope="module")
def templates(packs):
    return {t.id: t for pack in packs.values() for t in pack.templates}


# --------------------------------------------------------------------------- validity


def test_pack_ids_topics_and_languages(packs) -> None:
    structure, activation = packs["ffn_structure.yaml"], packs["ffn_activation.yaml"]
    assert structure.id == "ffn.structure" and activation.id == "ffn.activation"
    assert {t.topic for t in structure.templates} == {"structure"}
    assert {t.topic for t in activation.templates} == {"activation"}
    for pack in packs.values():
        assert pack.languages == ["ja", "en"]
        assert all(t.id.startswith(pack.id + ".") for t in pack.templates)


def test_size_and_mix_of_items(packs, templates) -> None:
    structure, activation = packs["ffn_structure.yaml"], packs["ffn_activation.yaml"]
    assert len(structure.templates) >= 12
    assert len(activation.templates) >= 20
    all_t = list(templates.values())
    assert len(all_t) >= 32
    assert sum(1 for t in all_t if t.params) / len(all_t) >= 0.6
    code_items = [t for t in all_t if t.code or any(o.code for o in t.answer.options or [])]
    assert len(code_items) >= 5
    single = [t for t in all_t if t.kind == "single_choice"]
    assert len(single) > len(all_t) / 2
    assert all(t.answer.count == 4 for t in single)
    kinds = {t.kind for t in all_t}
    assert {
        "numeric",
        "vector",
        "matrix",
        "single_choice",
        "multi_choice",
        "expression",
        "true_false",
    } <= kinds


def test_every_template_is_bilingual_explained_and_tagged(templates) -> None:
    for tpl in templates.values():
        assert isinstance(tpl.prompt, Localized) and tpl.prompt.ja and tpl.prompt.en, tpl.id
        assert tpl.explanation.summary or tpl.explanation.steps, tpl.id
        assert tpl.tags, tpl.id
        assert tpl.field in ("深層学習の基礎", "応用数学"), tpl.id
        for m in tpl.misconceptions:
            assert isinstance(m.message, Localized) and m.message.ja and m.message.en, tpl.id
        if tpl.kind in ("numeric", "vector", "matrix") and tpl.params:
            assert tpl.misconceptions, f"{tpl.id}: a calculation item lists misconceptions"
        if tpl.code or any(o.code for o in tpl.answer.options or []):
            assert tpl.convention == "code" or tpl.convention is None, tpl.id


def test_messages_are_filled_with_the_problems_numbers() -> None:
    """Misconception messages name the mistake with this problem's numbers ({fields}); the
    study feedback fills them in (it used to show the raw text with its braces)."""
    from quizapp.grading.compare import grade
    from quizapp.packs.generation import generate
    from quizapp.packs.loader import load_catalog
    from quizapp.study.session import feedback_view

    tpl = load_catalog(builtin=True).template("ffn.backprop.hidden_weight_grad").template
    problem = generate(tpl, 3)
    wrong = next(m for m in problem.misconceptions if m.tag == "missing_activation_grad")
    result = grade(problem, repr(float(wrong.value)))
    assert result.misconception == "missing_activation_grad"
    for lang in ("ja", "en"):
        shown = feedback_view(problem, result, lang, raw=repr(float(wrong.value))).misconception
        assert shown and "{" not in shown, shown
        assert f"{problem.env['sg']:.4f}" in shown


def test_the_seed_slips_are_not_taught(templates) -> None:
    for tpl in templates.values():
        for text in (tpl.prompt, tpl.explanation.summary, *tpl.explanation.steps):
            for s in (text.ja, text.en) if isinstance(text, Localized) else (text,):
                if s:
                    assert "e^(−1))" not in s and "e^{−1}" not in s, tpl.id
                    assert "y − b" not in s, tpl.id


# --------------------------------------------------------------------------- canonical contract


@pytest.mark.parametrize("template_id", sorted(CANONICAL))
def test_canonical_template_contract(templates, template_id: str) -> None:
    kind, params = CANONICAL[template_id]
    tpl = templates[template_id]
    assert tpl.kind == kind
    assert params <= set(tpl.params)  # derived params may be added


def _expected(template_id: str, params: dict) -> float:
    """The answer, computed independently in plain NumPy from the problem's parameters."""
    if template_id == "ffn.structure.param_count":
        sizes = [int(n) for n in params["sizes"]]
        return float(sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=False)))
    x = float(params["x"])
    if template_id == "ffn.activation.sigmoid_value":
        return 1.0 / (1.0 + np.exp(-x))
    if template_id == "ffn.activation.sigmoid_grad":
        s = 1.0 / (1.0 + np.exp(-x))
        return s * (1.0 - s)
    if template_id == "ffn.activation.tanh_grad":
        return 1.0 - np.tanh(x) ** 2
    if template_id == "ffn.activation.relu_grad":
        return 1.0 if x > 0 else 0.0
    raise AssertionError(template_id)


@pytest.mark.parametrize("template_id", sorted(CANONICAL))
def test_canonical_answers_match_numpy(capsys, tmp_path, template_id: str) -> None:
    for seed in SEEDS:
        data = sample(capsys, tmp_path, template_id, seed)
        assert data["template"] == template_id and data["kind"] == "numeric"
        assert CANONICAL[template_id][1] <= set(data["params"])
        assert data["answer"] == pytest.approx(_expected(template_id, data["params"]), abs=1e-12)


def test_sample_by_subprocess(tmp_path) -> None:
    env = {**os.environ, "QUIZAPP_HOME": str(tmp_path)}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "quizapp",
            "--lang",
            "ja",
            "sample",
            "ffn.activation.sigmoid_grad",
            "--seed",
            "5",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    data = json.loads(out)
    s = 1 / (1 + np.exp(-data["params"]["x"]))
    assert data["answer"] == pytest.approx(s * (1 - s))
    assert "σ'(x)" in data["prompt"] and "小数第 3 位" in data["prompt"]


def test_relu_grad_draws_zero_and_negatives(capsys, tmp_path) -> None:
    xs = {sample(capsys, tmp_path, "ffn.activation.relu_grad", s)["params"]["x"] for s in range(40)}
    assert 0 in xs and any(x < 0 for x in xs) and any(x > 0 for x in xs)


def test_param_count_prints_sizes_as_integers(capsys, tmp_path) -> None:
    for seed in SEEDS:
        data = sample(capsys, tmp_path, "ffn.structure.param_count", seed)
        sizes = [int(n) for n in data["params"]["sizes"]]
        # "10 input units, a hidden layer of 5 units and 3 output units" (issue #13.21:
        # the layers by name, not a list read "from the input layer in order")
        assert f"has {sizes[0]} input units" in data["prompt"]
        assert f"and {sizes[-1]} output units" in data["prompt"]
        assert ".0" not in data["prompt"].split("Every")[0]
        assert float(data["answer"]).is_integer()


def test_sigmoid_grad_prompt_states_the_correct_sigmoid(capsys, tmp_path) -> None:
    data = sample(capsys, tmp_path, "ffn.activation.sigmoid_value", 0)
    assert "σ(x) = 1/(1 + e^(−x))" in data["prompt"]


# --------------------------------------------------------------------------- misconceptions


def _seed_where(capsys, tmp_path, template_id: str, cond) -> tuple[int, dict]:
    for seed in range(200):
        data = sample(capsys, tmp_path, template_id, seed)
        if cond(data["params"]):
            return seed, data
    raise AssertionError(f"no seed of {template_id} meets the condition")


def _tag(capsys, tmp_path, template_id: str, seed: int, answer: str) -> str | None:
    result = grade(capsys, tmp_path, template_id, seed, answer)
    assert result["valid"], result
    assert not result["correct"], result
    return result["misconception"]


def test_sigmoid_value_misconceptions(capsys, tmp_path) -> None:
    tid = "ffn.activation.sigmoid_value"
    for seed in range(5):
        x = sample(capsys, tmp_path, tid, seed)["params"]["x"]
        s = _sigmoid(x)
        assert _tag(capsys, tmp_path, tid, seed, f"{1 / (1 + np.exp(-1)):.3f}") == (
            "sigmoid_e_minus_one"
        )
        assert _tag(capsys, tmp_path, tid, seed, f"{_sigmoid(-x):.3f}") == "sigmoid_sign"
        assert _tag(capsys, tmp_path, tid, seed, f"{s * (1 - s):.4f}") == "derivative_not_value"
        assert grade(capsys, tmp_path, tid, seed, f"{s:.3f}")["correct"]


def test_sigmoid_grad_misconceptions(capsys, tmp_path) -> None:
    tid = "ffn.activation.sigmoid_grad"
    seed, data = _seed_where(capsys, tmp_path, tid, lambda p: p["x"] != 0)
    s = _sigmoid(data["params"]["x"])
    assert _tag(capsys, tmp_path, tid, seed, f"{s:.3f}") == "sigma_not_derivative"
    assert _tag(capsys, tmp_path, tid, seed, f"{1 - s:.3f}") == "missing_factor"
    assert _tag(capsys, tmp_path, tid, seed, f"{1 - s * s:.3f}") == "tanh_formula"
    # x = 0 is never drawn: there σ(0) = 1 − σ(0) = 0.5, two misconceptions in one value
    # (issue #13.19), so the learner typing 0.5 could not be told which mistake it was.
    from quizapp.packs.generation import generate
    from quizapp.packs.loader import load_catalog

    tpl = load_catalog(builtin=True).template(tid).template
    assert all(generate(tpl, seed).params["x"] != 0 for seed in range(200))


def test_tanh_grad_misconceptions(capsys, tmp_path) -> None:
    tid = "ffn.activation.tanh_grad"
    for seed in range(4):
        x = sample(capsys, tmp_path, tid, seed)["params"]["x"]
        t = np.tanh(x)
        assert _tag(capsys, tmp_path, tid, seed, f"{t:.3f}") == "value_not_derivative"
        assert _tag(capsys, tmp_path, tid, seed, f"{1 - t:.3f}") == "forgot_square"
        assert grade(capsys, tmp_path, tid, seed, f"{1 - t * t:.3f}")["correct"]


def test_relu_grad_at_zero_book_code_answer(capsys, tmp_path) -> None:
    tid = "ffn.activation.relu_grad"
    seed0, _ = _seed_where(capsys, tmp_path, tid, lambda p: p["x"] == 0)
    assert grade(capsys, tmp_path, tid, seed0, "0")["correct"]
    # the book's grad[x>=0] = 1 gives 1 at 0
    assert _tag(capsys, tmp_path, tid, seed0, "1") == "relu_grad_flipped"
    seed_neg, _ = _seed_where(capsys, tmp_path, tid, lambda p: p["x"] < 0)
    assert grade(capsys, tmp_path, tid, seed_neg, "0")["correct"]
    assert _tag(capsys, tmp_path, tid, seed_neg, "1") == "relu_grad_flipped"
    seed_pos, _ = _seed_where(capsys, tmp_path, tid, lambda p: p["x"] > 0)
    assert grade(capsys, tmp_path, tid, seed_pos, "1")["correct"]


def test_param_count_misconceptions(capsys, tmp_path) -> None:
    tid = "ffn.structure.param_count"
    for seed in range(6):
        sizes = [int(n) for n in sample(capsys, tmp_path, tid, seed)["params"]["sizes"]]
        weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=False))
        biases = sum(sizes[1:])
        assert grade(capsys, tmp_path, tid, seed, str(weights + biases))["correct"]
        assert _tag(capsys, tmp_path, tid, seed, str(weights)) == "missing_bias"
        assert _tag(capsys, tmp_path, tid, seed, str(weights + biases + sizes[0])) == (
            "bias_on_input"
        )
        assert _tag(capsys, tmp_path, tid, seed, str(weights + len(sizes) - 1)) == (
            "bias_per_layer"
        )
        assert _tag(capsys, tmp_path, tid, seed, str(sum(sizes))) == "counted_units"
        # an answer off by one is simply wrong (the tolerance is exact for integers)
        assert not grade(capsys, tmp_path, tid, seed, str(weights + biases + 1))["correct"]


def test_vector_and_matrix_misconceptions(capsys, tmp_path) -> None:
    tid = "ffn.structure.forward_u"
    data = sample(capsys, tmp_path, tid, 3)
    W, z, b = (np.array(data["params"][k]) for k in ("W", "z", "b"))
    assert data["answer"] == pytest.approx((W @ z + b).tolist())
    assert _tag(capsys, tmp_path, tid, 3, json.dumps(np.round(W @ z, 4).tolist())) == (
        "missing_bias"
    )

    tid = "ffn.structure.shape_convert"
    data = sample(capsys, tmp_path, tid, 1)
    W = np.array(data["params"]["W"])
    np.testing.assert_allclose(data["answer"], W.T)
    # the math W typed for the book's W_code: a wrong shape, still recognized
    assert _tag(capsys, tmp_path, tid, 1, json.dumps(W.tolist())) == "convention_mixup"

    tid = "ffn.structure.linear_composition"
    data = sample(capsys, tmp_path, tid, 2)
    W1, W2 = np.array(data["params"]["W1"]), np.array(data["params"]["W2"])
    np.testing.assert_allclose(data["answer"], W2 @ W1)
    assert _tag(capsys, tmp_path, tid, 2, json.dumps((W1 @ W2).tolist())) == "wrong_order"

    tid = "ffn.activation.relu_backward"
    data = sample(capsys, tmp_path, tid, 4)
    u, g = np.array(data["params"]["u"]), np.array(data["params"]["g"])
    assert data["answer"] == pytest.approx((g * (u > 0)).tolist())
    book = json.dumps(np.round(g * (u >= 0), 4).tolist())
    assert _tag(capsys, tmp_path, tid, 4, book) == "relu_grad_at_zero"

    tid = "ffn.activation.softmax_value"
    data = sample(capsys, tmp_path, tid, 5)
    u = np.array(data["params"]["u"])
    e = np.exp(u - u.max())
    assert data["answer"] == pytest.approx((e / e.sum()).tolist())
    assert _tag(capsys, tmp_path, tid, 5, json.dumps(np.round(u / u.sum(), 4).tolist())) == (
        "normalized_without_exp"
    )


def _option(data: dict, text: str) -> int:
    matches = [i for i, c in enumerate(data["choices"], 1) if c.strip() == text]
    assert len(matches) == 1, (text, data["choices"])
    return matches[0]


def test_code_fill_in_distractors_carry_tags(capsys, tmp_path) -> None:
    cases = [
        (
            "ffn.structure.code_init",
            "input_size, hidden_size",
            "hidden_size, input_size",
            "convention_mixup",
        ),
        ("ffn.activation.sigmoid_code", "np.exp(-x)", "np.exp(-1)", "sigmoid_e_minus_one"),
        ("ffn.activation.relu_mask_code", "(x <= 0)", "(x < 0)", "relu_grad_at_zero"),
        (
            "ffn.activation.softmax_code",
            "np.max(x, axis=1, keepdims=True)",
            "np.max(x, axis=0, keepdims=True)",
            "wrong_axis",
        ),
    ]
    for tid, right, wrong, tag in cases:
        for seed in range(30):
            data = sample(capsys, tmp_path, tid, seed)
            if wrong in [c.strip() for c in data["choices"]]:
                break
        else:
            raise AssertionError(f"{tid}: {wrong!r} never shown")
        assert data["code"] and "【ア】" in data["code"]
        assert len(data["choices"]) == 4
        assert data["answer"] == _option(data, right)
        assert _tag(capsys, tmp_path, tid, seed, str(_option(data, wrong))) == tag


def test_computed_choice_options(capsys, tmp_path) -> None:
    tid = "ffn.activation.tanh_odd"
    data = sample(capsys, tmp_path, tid, 0)
    v = round(float(np.tanh(data["params"]["a"])), 4)
    assert data["params"]["v"] == pytest.approx(v)
    assert data["choices"][data["answer"] - 1] == f"{-v:.4f}"
    assert _tag(capsys, tmp_path, tid, 0, str(_option(data, f"{v:.4f}"))) == "even_function"

    tid = "ffn.activation.vanishing_bound"
    data = sample(capsys, tmp_path, tid, 1)
    n = data["params"]["n"]
    assert float(data["choices"][data["answer"] - 1]) == pytest.approx(0.25**n, rel=1e-3)

    tid = "ffn.activation.relu_sparsity"
    data = sample(capsys, tmp_path, tid, 2)
    u = np.array(data["params"]["u"])
    assert data["choices"][data["answer"] - 1] == str(int(np.sum(u <= 0)))
    assert _tag(capsys, tmp_path, tid, 2, str(_option(data, str(int(np.sum(u < 0)))))) == (
        "relu_grad_at_zero"
    )


def test_relu_grad_code_item_shows_both_conventions(capsys, tmp_path) -> None:
    data = sample(capsys, tmp_path, "ffn.activation.relu_grad_at_zero", 0)
    xs = np.array(data["params"]["xs"])
    assert (xs == 0).any()
    code = "[" + ", ".join(f"{v:g}" for v in (xs >= 0) * 1.0) + "]"
    formula = "[" + ", ".join(f"{v:g}" for v in (xs > 0) * 1.0) + "]"
    assert data["choices"][data["answer"] - 1] == f"code: {code}, f'(x): {formula}"


def test_expression_items(capsys, tmp_path) -> None:
    tid = "ffn.activation.sigmoid_grad_formula"
    assert grade(capsys, tmp_path, tid, 0, "σ(x)*(1-σ(x))")["correct"]
    assert _tag(capsys, tmp_path, tid, 0, "sigmoid(x)") == "sigma_not_derivative"
    tid = "ffn.activation.tanh_grad_formula"
    assert grade(capsys, tmp_path, tid, 0, "1 - tanh(x)^2")["correct"]
    assert _tag(capsys, tmp_path, tid, 0, "1 - tanh(x)") == "forgot_square"


def test_softmax_invariance_answers(capsys, tmp_path) -> None:
    tid = "ffn.activation.softmax_invariance"
    seen = set()
    for seed in range(30):
        data = sample(capsys, tmp_path, tid, seed)
        m = data["params"]["m"]
        seen.add(m)
        assert data["answer"] is (m != 1), data
    assert seen == {0, 1, 2}
