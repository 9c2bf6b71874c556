"""The built-in packs ffn.output and ffn.backprop: they validate, keep their canonical
contracts, compute the same answers as an independent NumPy computation, accept a
learner's rounded answers, and recognize the typical mistakes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from quizapp.packs.generation import generate
from quizapp.packs.loader import read_pack
from quizapp.packs.model import Localized

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
OUTPUT = QUESTIONS / "ffn_output.yaml"
BACKPROP = QUESTIONS / "ffn_backprop.yaml"
FILES = {"ffn.output": OUTPUT, "ffn.backprop": BACKPROP}

CANONICAL = {
    "ffn.output.cross_entropy_value": ("numeric", {"y", "k"}),
    "ffn.output.softmax_ce_grad": ("vector", {"u", "k"}),
    "ffn.backprop.output_weight_grad": ("numeric", {"W", "b", "z", "d", "j", "i"}),
    "ffn.backprop.output_weight_grad_matrix": ("matrix", {"W", "b", "z", "d"}),
    "ffn.backprop.hidden_weight_grad": (
        "numeric",
        {"W1", "b1", "W2", "b2", "x", "d", "j", "i"},
    ),
    "ffn.backprop.chain_fill": ("single_choice", set()),
}
SEEDS = [0, 1, 2, 7, 42]


@cache
def _loaded(path: Path):
    loaded, issues = read_pack(path)
    assert not issues, "\n".join(i.format() for i in issues)
    assert loaded is not None
    loaded.path = path
    return loaded


def _templates():
    """Every template; an item set (大問) counts as its parts (each checked like a template)."""
    from quizapp.packs.itemsets import part_template

    return [
        part_template(t, i) if t.parts else t
        for path in FILES.values()
        for t in _loaded(path).pack.templates
        for i in range(max(1, len(t.parts)))
    ]


def _template(template_id: str):
    return next(t for t in _templates() if t.id == template_id)


def sample(cli, template_id: str, seed: int, lang: str = "en") -> dict:
    return cli("sample", template_id, "--seed", str(seed), lang=lang)


def grade(cli, template_id: str, seed: int, answer) -> dict:
    text = answer if isinstance(answer, str) else json.dumps(np.asarray(answer).tolist())
    return cli("grade", template_id, "--seed", str(seed), "--answer", text)


def arrays(params: dict) -> dict:
    return {k: np.asarray(v, dtype=float) if isinstance(v, list) else v for k, v in params.items()}


# --------------------------------------------------------------------------- independent math


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def softmax(u):
    e = np.exp(u - np.max(u))
    return e / e.sum()


def expected(template_id: str, p: dict):
    """The answer of a canonical template, from its params, in plain NumPy."""
    if template_id == "ffn.output.cross_entropy_value":
        return -np.log(p["y"][p["k"] - 1])
    if template_id == "ffn.output.softmax_ce_grad":
        return softmax(p["u"]) - np.eye(3)[p["k"] - 1]
    if template_id == "ffn.backprop.output_weight_grad":
        y = p["W"] @ p["z"] + p["b"]
        return (y[p["j"] - 1] - p["d"][p["j"] - 1]) * p["z"][p["i"] - 1]
    if template_id == "ffn.backprop.output_weight_grad_matrix":
        y = p["W"] @ p["z"] + p["b"]
        return np.outer(y - p["d"], p["z"])
    if template_id == "ffn.backprop.hidden_weight_grad":
        z = sigmoid(p["W1"] @ p["x"] + p["b1"])
        y = p["W2"] @ z + p["b2"]
        delta2 = y - p["d"]
        delta1 = (p["W2"].T @ delta2) * z * (1 - z)
        return delta1[p["j"] - 1] * p["x"][p["i"] - 1]
    raise KeyError(template_id)


# --------------------------------------------------------------------------- the packs as files


@pytest.mark.parametrize("pack_id", sorted(FILES))
def test_pack_file_reads_without_issues(pack_id: str) -> None:
    # Validation over many seeds happens once for every built-in pack, in test_content.py.
    assert _loaded(FILES[pack_id]).pack.id == pack_id


def test_pack_headers_and_topics() -> None:
    out, bp = _loaded(OUTPUT).pack, _loaded(BACKPROP).pack
    assert list(out.languages) == ["ja", "en"] and list(bp.languages) == ["ja", "en"]
    assert {t.topic for t in out.templates} == {"output"}
    assert {t.topic for t in bp.templates} == {"backprop"}
    assert all(t.id.startswith("ffn.output.") for t in out.templates)
    assert all(t.id.startswith("ffn.backprop.") for t in bp.templates)
    for path in FILES.values():
        assert not path.read_text(encoding="utf-8").startswith("# yaml-language-server")


def test_size_and_mix_of_items() -> None:
    out, bp = _loaded(OUTPUT).pack.templates, _loaded(BACKPROP).pack.templates
    templates = out + bp
    assert len(templates) >= 30 and len(out) >= 12 and len(bp) >= 18
    assert sum(1 for t in templates if t.params) / len(templates) >= 0.6
    code_items = [t for t in templates if t.code and "【ア】" in t.code]
    assert len(code_items) >= 5
    for t in code_items:
        assert t.convention == "code", t.id
        assert all(o.code for o in t.answer.options), t.id
    choice = [t for t in templates if t.kind == "single_choice"]
    assert len(choice) > len(templates) / 2
    kinds = {t.kind for t in templates}
    assert {"numeric", "vector", "matrix", "single_choice"} <= kinds


def test_every_template_is_bilingual_explained_and_tagged() -> None:
    for t in _templates():
        assert isinstance(t.prompt, Localized) and t.prompt.ja and t.prompt.en, t.id
        assert t.tags and t.difficulty, t.id
        assert t.field == "深層学習の基礎", t.id
        assert t.explanation.summary is not None and t.explanation.steps, t.id
        if t.params:  # the worked steps show this instance's numbers
            texts = [t.explanation.summary, *t.explanation.steps]
            raw = [s for x in texts for s in ([x.ja, x.en] if isinstance(x, Localized) else [x])]
            assert any("{" in s for s in raw), t.id
        if t.kind in ("numeric", "vector", "matrix") and t.params:
            assert len(t.misconceptions) >= 2, t.id


def test_choice_items_show_four_options() -> None:
    for t in _templates():
        if t.kind != "single_choice":
            continue
        for seed in range(10):
            problem = generate(t, seed)
            assert len(problem.choices) == 4, t.id
            assert sum(c.correct for c in problem.choices) == 1, t.id


def test_seed_slips_are_not_taught() -> None:
    for path in FILES.values():
        text = path.read_text(encoding="utf-8")
        assert "e^(−1))" not in text and "e^{−1}" not in text
        assert "y − b" not in text


# --------------------------------------------------------------------------- canonical contracts


@pytest.mark.parametrize("template_id", sorted(CANONICAL))
def test_canonical_template_exists_with_its_params(template_id: str) -> None:
    kind, params = CANONICAL[template_id]
    tpl = _template(template_id)
    assert tpl.kind == kind
    assert params <= set(tpl.params)  # derived params may be added


NUMERIC_CANONICAL = sorted(t for t in CANONICAL if t != "ffn.backprop.chain_fill")


@pytest.mark.parametrize("template_id", NUMERIC_CANONICAL)
def test_sample_json_matches_independent_numpy(cli, template_id: str) -> None:
    for seed in SEEDS:
        data = sample(cli, template_id, seed)
        assert data["template"] == template_id and data["seed"] == seed
        assert CANONICAL[template_id][1] <= set(data["params"])
        p = arrays(data["params"])
        np.testing.assert_allclose(data["answer"], expected(template_id, p), rtol=1e-9, atol=1e-12)


def test_cross_entropy_value_params_are_probabilities(cli) -> None:
    for seed in SEEDS:
        p = arrays(sample(cli, "ffn.output.cross_entropy_value", seed)["params"])
        assert p["y"].shape == (3,) and np.all(p["y"] > 0)
        assert abs(p["y"].sum() - 1) < 1e-12
        assert p["k"] in (1, 2, 3)


def test_matrix_answer_has_the_shape_of_w(cli) -> None:
    for seed in SEEDS:
        data = sample(cli, "ffn.backprop.output_weight_grad_matrix", seed)
        assert np.shape(data["answer"]) == np.shape(data["params"]["W"]) == (2, 3)


def test_chain_fill_answer_is_du_dw(cli) -> None:
    for seed in SEEDS:
        data = sample(cli, "ffn.backprop.chain_fill", seed, lang="ja")
        assert data["params"] == {}
        assert len(data["choices"]) == 4
        assert data["choices"][data["answer"] - 1] == "∂u_j/∂w_ji"
        assert "【ア】" in data["prompt"]


def test_sample_in_a_fresh_process(tmp_path) -> None:
    env = {**os.environ, "QUIZAPP_HOME": str(tmp_path)}
    env.pop("QUIZAPP_PACKS", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "quizapp",
            "--lang",
            "ja",
            "sample",
            "ffn.output.cross_entropy_value",
            "--seed",
            "3",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    data = json.loads(result.stdout)
    p = arrays(data["params"])
    assert data["answer"] == pytest.approx(-np.log(p["y"][p["k"] - 1]), rel=1e-12)
    assert "交差エントロピー誤差" in data["prompt"]


# --------------------------------------------------------------------------- learners' answers


def test_answers_rounded_to_three_places_are_accepted(cli) -> None:
    for template_id in ("ffn.output.cross_entropy_value", "ffn.backprop.output_weight_grad"):
        for seed in SEEDS:
            p = arrays(sample(cli, template_id, seed)["params"])
            typed = f"{expected(template_id, p):.3f}"
            assert grade(cli, template_id, seed, typed)["correct"], (template_id, seed, typed)


def test_hidden_gradient_from_the_rounded_forward_pass_is_accepted(cli) -> None:
    """The prompt shows z and y to 4 places; a learner works from those and rounds to 3."""
    template_id = "ffn.backprop.hidden_weight_grad"
    for seed in SEEDS:
        p = arrays(sample(cli, template_id, seed)["params"])
        z = np.round(sigmoid(p["W1"] @ p["x"] + p["b1"]), 4)
        y = np.round(p["W2"] @ sigmoid(p["W1"] @ p["x"] + p["b1"]) + p["b2"], 4)
        j, i = p["j"] - 1, p["i"] - 1
        by_hand = (p["W2"][:, j] @ (y - p["d"])) * z[j] * (1 - z[j]) * p["x"][i]
        result = grade(cli, template_id, seed, f"{by_hand:.3f}")
        assert result["correct"], (seed, by_hand, result["feedback"])


def test_vector_and_matrix_answers_in_both_spellings(cli) -> None:
    seed = 5
    p = arrays(sample(cli, "ffn.output.softmax_ce_grad", seed)["params"])
    g = expected("ffn.output.softmax_ce_grad", p)
    assert grade(cli, "ffn.output.softmax_ce_grad", seed, np.round(g, 3))["correct"]
    assert grade(cli, "ffn.output.softmax_ce_grad", seed, " ".join(f"{v:.3f}" for v in g))[
        "correct"
    ]
    p = arrays(sample(cli, "ffn.backprop.output_weight_grad_matrix", seed)["params"])
    m = expected("ffn.backprop.output_weight_grad_matrix", p)
    assert grade(cli, "ffn.backprop.output_weight_grad_matrix", seed, np.round(m, 3))["correct"]
    semi = "; ".join(" ".join(f"{v:.3f}" for v in row) for row in m)
    assert grade(cli, "ffn.backprop.output_weight_grad_matrix", seed, semi)["correct"]


# --------------------------------------------------------------------------- misconceptions


def _ce_wrong(p):
    yk = p["y"][p["k"] - 1]
    return [
        (np.log(yk), "missing_minus"),
        (-np.log10(yk), "log10_not_ln"),
        (-np.log(p["y"]).sum(), "sum_all_classes"),
    ]


def _softmax_wrong(p):
    t = np.eye(3)[p["k"] - 1]
    s = softmax(p["u"])
    return [
        (t - s, "sign_y_minus_d"),
        (p["u"] - t, "forgot_softmax"),
        (-t / s, "missing_activation_grad"),
    ]


def _output_wrong(p):
    y = p["W"] @ p["z"] + p["b"]
    j, i = p["j"] - 1, p["i"] - 1
    right = (y[j] - p["d"][j]) * p["z"][i]
    no_bias = (p["W"] @ p["z"] - p["d"])[j] * p["z"][i]
    return [
        (-right, "sign_y_minus_d"),
        (no_bias, "missing_bias"),
        (2 * right, "forgot_half"),
        (y[j] - p["d"][j], "missing_du_dw"),
    ]


def _matrix_wrong(p):
    delta = p["W"] @ p["z"] + p["b"] - p["d"]
    return [
        (np.outer(p["z"], delta), "transposed"),
        (-np.outer(delta, p["z"]), "sign_y_minus_d"),
        (np.outer(p["W"] @ p["z"] - p["d"], p["z"]), "missing_bias"),
        (2 * np.outer(delta, p["z"]), "forgot_half"),
    ]


def _hidden_wrong(p):
    z = sigmoid(p["W1"] @ p["x"] + p["b1"])
    y = p["W2"] @ z + p["b2"]
    j, i = p["j"] - 1, p["i"] - 1
    back = p["W2"][:, j] @ (y - p["d"])
    right = back * z[j] * (1 - z[j]) * p["x"][i]
    rows = p["W2"][j, :] @ (y - p["d"])
    return [
        (back * p["x"][i], "missing_activation_grad"),
        (back * z[j] * p["x"][i], "sigma_not_derivative"),
        (rows * z[j] * (1 - z[j]) * p["x"][i], "transposed"),
        (-right, "sign_y_minus_d"),
        (2 * right, "forgot_half"),
    ]


WRONG = {
    "ffn.output.cross_entropy_value": _ce_wrong,
    "ffn.output.softmax_ce_grad": _softmax_wrong,
    "ffn.backprop.output_weight_grad": _output_wrong,
    "ffn.backprop.output_weight_grad_matrix": _matrix_wrong,
    "ffn.backprop.hidden_weight_grad": _hidden_wrong,
}


@pytest.mark.parametrize("template_id", sorted(WRONG))
def test_typical_wrong_answers_get_their_tag(cli, template_id: str) -> None:
    for seed in (0, 3):
        p = arrays(sample(cli, template_id, seed)["params"])
        for wrong, tag in WRONG[template_id](p):
            answer = f"{wrong:.6f}" if np.ndim(wrong) == 0 else np.round(wrong, 6)
            result = grade(cli, template_id, seed, answer)
            assert result["valid"] and not result["correct"], (template_id, seed, tag)
            assert result["misconception"] == tag, (template_id, seed, tag, result)


def test_chain_fill_circular_factor_gets_its_tag(cli) -> None:
    data = sample(cli, "ffn.backprop.chain_fill", 0)
    wrong = [n for n, c in enumerate(data["choices"], 1) if c != "∂u_j/∂w_ji"]
    tags = {grade(cli, "ffn.backprop.chain_fill", 0, str(n))["misconception"] for n in wrong}
    assert len(tags) == 3 and None not in tags
    for seed in range(20):
        data = sample(cli, "ffn.backprop.chain_fill", seed)
        if "∂E/∂w_ji" in data["choices"]:
            n = data["choices"].index("∂E/∂w_ji") + 1
            result = grade(cli, "ffn.backprop.chain_fill", seed, str(n))
            assert result["misconception"] == "circular_chain"
            assert "∂u_j/∂w_ji" in result["feedback"]
            break
    else:
        pytest.fail("∂E/∂w_ji never shown in 20 seeds")


def test_other_calculation_items_recognize_mistakes(cli) -> None:
    # sigmoid + binary cross-entropy: multiplying by σ' once more
    p = arrays(sample(cli, "ffn.output.bce_grad", 4)["params"])
    y, d = p["y"], p["d"]
    assert (
        grade(cli, "ffn.output.bce_grad", 4, f"{(y - d) * y * (1 - y):.6f}")["misconception"]
        == "extra_activation_grad"
    )
    assert grade(cli, "ffn.output.bce_grad", 4, f"{y - d:.4f}")["correct"]
    # hidden delta without σ'
    p = arrays(sample(cli, "ffn.backprop.hidden_delta", 2)["params"])
    back = p["W2"].T @ p["delta"]
    assert (
        grade(cli, "ffn.backprop.hidden_delta", 2, np.round(back, 6))["misconception"]
        == "missing_activation_grad"
    )
    assert grade(cli, "ffn.backprop.hidden_delta", 2, np.round(back * p["z"] * (1 - p["z"]), 4))[
        "correct"
    ]
    # db summed over the wrong axis (3 entries instead of 2)
    p = arrays(sample(cli, "ffn.backprop.db_batch", 1)["params"])
    assert (
        grade(cli, "ffn.backprop.db_batch", 1, np.round(p["dout"].sum(axis=1), 6))["misconception"]
        == "wrong_axis"
    )
    assert grade(cli, "ffn.backprop.db_batch", 1, np.round(p["dout"].sum(axis=0), 6))["correct"]
    # dW in the math orientation
    p = arrays(sample(cli, "ffn.backprop.dw_batch", 1)["params"])
    assert (
        grade(cli, "ffn.backprop.dw_batch", 1, np.round(p["dout"].T @ p["x"], 6))["misconception"]
        == "transposed"
    )
    assert grade(cli, "ffn.backprop.dw_batch", 1, np.round(p["x"].T @ p["dout"], 6))["correct"]
    # central differences: the true derivative and the forward difference
    p = sample(cli, "ffn.backprop.central_diff_value", 6)["params"]
    x, h = p["x"], p["h"]
    assert (
        grade(cli, "ffn.backprop.central_diff_value", 6, f"{3 * x * x:.4f}")["misconception"]
        == "exact_not_numeric"
    )
    assert grade(cli, "ffn.backprop.central_diff_value", 6, f"{3 * x * x + h * h:.2f}")["correct"]


def test_numerical_cost_counts_two_passes_per_parameter(cli) -> None:
    for seed in range(5):
        data = sample(cli, "ffn.backprop.numerical_cost", seed)
        n_in, n_hidden, n_out = (data["params"][k] for k in ("I", "H", "J"))
        m = n_in * n_hidden + n_hidden + n_hidden * n_out + n_out
        assert data["choices"][data["answer"] - 1] == str(2 * m)


@pytest.mark.parametrize("path, template_id", [
    (QUESTIONS / "ffn_structure.yaml", "ffn.structure.incorrect"),
    (QUESTIONS / "ffn_activation.yaml", "ffn.activation.incorrect"),
    (OUTPUT, "ffn.output.incorrect"),
    (BACKPROP, "ffn.backprop.incorrect"),
])
def test_the_chapter_has_negative_stem_items_whose_answer_is_the_false_statement(
        path, template_id):
    """「最も不適切なものを選べ」 items: the answer is the one false statement, and each
    other option is a true one (tagged so), for every variant."""
    loaded, issues = read_pack(path)
    assert loaded is not None and not issues
    pack = loaded.pack
    template = next(t for t in pack.templates if t.id == template_id)
    assert "negative" in template.tags
    assert "不適切" in template.prompt.ja and "INCORRECT" in template.prompt.en
    answers = set()
    for seed in range(40):
        problem = generate(template, seed, pack_id=pack.id)
        options = [choice.text("ja") for choice in problem.choices]
        assert isinstance(problem.answer, int)  # one option
        answers.add(options[problem.answer - 1])
    assert len(answers) == 3  # the three false statements all come up


def test_the_parameter_count_in_the_structure_item_is_the_solvers():
    """ffn.structure.incorrect says a 3-4-2 network has 26 parameters, not 20."""
    import solvers

    loaded, _ = read_pack(QUESTIONS / "ffn_structure.yaml")
    template = next(t for t in loaded.pack.templates if t.id == "ffn.structure.incorrect")
    assert solvers.param_count([3, 4, 2]) == 26
    assert "を足して 26" in template.explanation.summary.ja
    assert "make 26" in template.explanation.summary.en
