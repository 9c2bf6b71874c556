"""The built-in pack `rnn` (questions/dl_rnn.yaml): its canonical LSTM template computes the
same cell state as independent NumPy code, its listed mistakes are recognized as such, the
other recurrent calculations agree with NumPy, and the chapter has the size and the mix of
item shapes the content brief asks for (with the code items of both deep-learning packs)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from pack_texts import localized_texts as _texts

from quizapp.packs.generation import generate
from quizapp.packs.loader import read_pack
from quizapp.packs.model import Localized

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
PACK = QUESTIONS / "dl_rnn.yaml"
CNN_PACK = QUESTIONS / "dl_cnn.yaml"
SEEDS = range(20)
CANONICAL = {"rnn.lstm.cell_state": ("numeric", {"a_i", "a_f", "a_g", "c_prev"})}
JAPANESE = r"[\u3040-\u30ff\u4e00-\u9fff]"
# a half-width bracket pair around Japanese prose, or a half-width colon touching Japanese
HALF_WIDTH_IN_PROSE = re.compile(rf"\([^()]*{JAPANESE}[^()]*\)|{JAPANESE}:|:{JAPANESE}")


@cache
def _pack(path: Path = PACK):
    loaded, issues = read_pack(path)
    assert not issues, "\n".join(i.format() for i in issues)
    assert loaded is not None
    return loaded.pack


def _template(template_id: str):
    return next(t for t in _pack().templates if t.id == template_id)


def sample(cli, template_id: str, seed: int) -> dict:
    return cli("sample", template_id, "--seed", str(seed))


def grade(cli, template_id: str, seed: int, answer) -> dict:
    text = answer if isinstance(answer, str) else json.dumps(np.asarray(answer).tolist())
    return cli("grade", template_id, "--seed", str(seed), "--answer", text)


# --------------------------------------------------------------------------- independent math


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def cell_state(p: dict) -> float:
    f, i, g = sigmoid(p["a_f"]), sigmoid(p["a_i"]), np.tanh(p["a_g"])
    return float(f * p["c_prev"] + i * g)


# Each listed misconception of the canonical template, as the learner computes it.
CELL_MISTAKES = {
    "tanh_on_c_prev": lambda p: sigmoid(p["a_f"]) * np.tanh(p["c_prev"])
    + sigmoid(p["a_i"]) * np.tanh(p["a_g"]),
    "missing_gate_sigmoid": lambda p: p["a_f"] * p["c_prev"] + p["a_i"] * np.tanh(p["a_g"]),
    "swapped_input_forget": lambda p: sigmoid(p["a_i"]) * p["c_prev"]
    + sigmoid(p["a_f"]) * np.tanh(p["a_g"]),
    "candidate_sigmoid": lambda p: sigmoid(p["a_f"]) * p["c_prev"]
    + sigmoid(p["a_i"]) * sigmoid(p["a_g"]),
    "no_forget_gate": lambda p: p["c_prev"] + sigmoid(p["a_i"]) * np.tanh(p["a_g"]),
}


# --------------------------------------------------------------------------- canonical contract


def test_canonical_template_has_its_kind_and_params() -> None:
    kind, params = CANONICAL["rnn.lstm.cell_state"]
    tpl = _template("rnn.lstm.cell_state")
    assert tpl.kind == kind
    assert params <= set(tpl.params)  # the contracted names; derived params may be added


def test_cell_state_matches_independent_numpy(cli) -> None:
    for seed in SEEDS:
        data = sample(cli, "rnn.lstm.cell_state", seed)
        p = data["params"]
        assert CANONICAL["rnn.lstm.cell_state"][1] <= set(p)
        assert data["answer"] == pytest.approx(cell_state(p), rel=1e-12, abs=1e-12)


def test_every_listed_cell_state_misconception_is_recognized(cli) -> None:
    listed = {m.tag for m in _template("rnn.lstm.cell_state").misconceptions}
    assert listed == set(CELL_MISTAKES), "each listed mistake needs a learner's formula"
    for seed in range(8):
        p = sample(cli, "rnn.lstm.cell_state", seed)["params"]
        for tag, wrong in CELL_MISTAKES.items():
            result = grade(cli, "rnn.lstm.cell_state", seed, f"{float(wrong(p)):.4f}")
            assert result["valid"] and not result["correct"], (tag, seed)
            assert result["misconception"] == tag, (tag, seed, result)
        right = grade(cli, "rnn.lstm.cell_state", seed, f"{cell_state(p):.3f}")
        assert right["correct"] and right["misconception"] is None, (seed, right)


# --------------------------------------------------------------------------- other calculations


def test_lstm_full_step_and_hidden_state(cli) -> None:
    for seed in range(8):
        p = sample(cli, "rnn.lstm.full_step", seed)["params"]
        c = cell_state(p)
        want = sigmoid(p["a_o"]) * np.tanh(c)
        assert sample(cli, "rnn.lstm.full_step", seed)["answer"] == pytest.approx(want)
        used_prev = sigmoid(p["a_o"]) * np.tanh(p["c_prev"])
        assert grade(cli, "rnn.lstm.full_step", seed, f"{used_prev:.4f}")["misconception"] == (
            "used_c_prev"
        )
        data = sample(cli, "rnn.lstm.hidden_state", seed)
        p = data["params"]
        assert data["answer"] == pytest.approx(sigmoid(p["a_o"]) * np.tanh(p["c"]))


def test_gru_uses_the_torch_convention(cli) -> None:
    for seed in range(8):
        data = sample(cli, "rnn.gru.hidden", seed)
        p = data["params"]
        z, n = sigmoid(p["a_z"]), np.tanh(p["a_n"])
        assert data["answer"] == pytest.approx((1 - z) * n + z * p["h"])
        other = z * n + (1 - z) * p["h"]
        assert grade(cli, "rnn.gru.hidden", seed, f"{other:.4f}")["misconception"] == (
            "swapped_convention"
        )


def test_rnn_two_steps(cli) -> None:
    for seed in range(8):
        data = sample(cli, "rnn.rnn.forward_scalar", seed)
        p = data["params"]
        h = 0.0
        for x in (p["x1"], p["x2"]):
            h = np.tanh(p["w"] * x + p["u"] * h + p["b"])
        assert data["answer"] == pytest.approx(h)


def test_attention_context_vector(cli) -> None:
    for seed in range(8):
        data = sample(cli, "rnn.attention.context", seed)
        hs, h = np.array(data["params"]["hs"], float), np.array(data["params"]["h"], float)
        s = hs @ h
        a = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
        np.testing.assert_allclose(data["answer"], a @ hs, rtol=1e-9)
        assert grade(cli, "rnn.attention.context", seed, np.round(s @ hs, 4))[
            "misconception"
        ] == "missing_softmax"


def test_gradient_clipping_by_norm(cli) -> None:
    for seed in range(8):
        data = sample(cli, "rnn.clip.norm", seed)
        p = data["params"]
        g = np.array(p["g"], float)
        clipped = g * min(1.0, p["c"] / (np.linalg.norm(g) + 1e-6))
        assert data["answer"] == pytest.approx(clipped[p["j"] - 1], rel=1e-6)
        by_value = np.clip(g, -p["c"], p["c"])[p["j"] - 1]
        assert grade(cli, "rnn.clip.norm", seed, str(by_value))["misconception"] == (
            "value_clipping"
        )


def test_torch_lstm_output_and_state_shapes(cli) -> None:
    for seed in range(9):
        data = sample(cli, "rnn.code.torch_lstm_shape", seed)
        p = data["params"]
        want = (p["N"], p["T"], p["H"]) if p["q"] == 1 else (1, p["N"], p["H"])
        assert data["choices"][data["answer"] - 1] == str(want)


# --------------------------------------------------------------------------- the chapter's shape


def test_size_and_mix_of_the_chapter() -> None:
    templates = _pack().templates
    assert _pack().id == "rnn"
    assert len(templates) >= 27
    assert sum(1 for t in templates if t.params) / len(templates) >= 0.6
    assert all(t.field == "深層学習の基礎" and t.topic == "rnn" for t in templates)
    assert all(t.id.startswith("rnn.") for t in templates)
    code = [t for t in templates if t.code]
    assert len(code) >= 5 and all(t.convention == "code" for t in code)
    assert any("c_next = 【イ】" in t.code for t in code)
    assert any("nn.LSTM(input_size=D, hidden_size=H, batch_first=True)" in t.code for t in code)
    negative = [t for t in templates if "不適切" in t.prompt.ja and "INCORRECT" in t.prompt.en]
    assert len(negative) >= 2
    combination = [t for t in templates if "（あ）" in t.prompt.ja and "(a)" in t.prompt.en]
    assert len(combination) >= 2
    kinds = {t.kind for t in templates}
    assert {"numeric", "vector", "single_choice", "multi_choice"} <= kinds


def test_both_deep_learning_packs_have_ten_code_items() -> None:
    templates = _pack(PACK).templates + _pack(CNN_PACK).templates
    code = [t for t in templates if t.code]
    assert len(code) >= 10
    assert sum(1 for t in code if "【ア】" in t.code) >= 5  # fill-in blanks
    assert sum(1 for t in code if "nn." in t.code) >= 5  # PyTorch as text


def test_multi_choice_items_vary_the_number_of_correct_options() -> None:
    multi = [t for t in _pack().templates if t.kind == "multi_choice"]
    assert len(multi) >= 2
    for t in multi:
        counts = {len(generate(t, seed).answer) for seed in range(40)}
        assert len(counts) >= 3, (t.id, counts)


def test_calculation_items_have_hints_and_misconceptions() -> None:
    for t in _pack().templates:
        if t.kind in ("numeric", "vector", "matrix"):
            assert t.hint is not None and t.hint.ja and t.hint.en, t.id
            assert len(t.misconceptions) >= 2, t.id


def test_choice_items_show_four_options() -> None:
    for t in _pack().templates:
        if t.kind in ("single_choice", "multi_choice"):
            for seed in range(5):
                assert len(generate(t, seed).choices) == 4, t.id


def test_every_text_is_bilingual() -> None:
    for t in _pack().templates:
        assert isinstance(t.prompt, Localized), t.id
        for text in _texts(t):
            assert text.ja and text.en, (t.id, text)


def test_japanese_prose_uses_full_width_brackets_and_colons() -> None:
    """Half-width ( ) and : stay in formulas and code only (no allow-list needed)."""
    for t in _pack().templates:
        for text in _texts(t):
            found = HALF_WIDTH_IN_PROSE.findall(text.ja)
            assert not found, (t.id, found, text.ja)
            assert "数式の規約" not in text.ja, t.id
