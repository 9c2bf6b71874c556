"""The built-in pack `cnn` (questions/dl_cnn.yaml): its canonical templates compute the
same answers as independent NumPy code, its listed mistakes are recognized as such, and the
chapter has the size and the mix of item shapes the content brief asks for."""

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

PACK = Path(__file__).resolve().parents[2] / "questions" / "dl_cnn.yaml"
SEEDS = range(20)
CANONICAL = {
    "cnn.conv.output_size": ("numeric", {"H", "K", "S", "P"}),
    "cnn.conv.param_count": ("numeric", {"C_in", "C_out", "K"}),
}
JAPANESE = r"[\u3040-\u30ff\u4e00-\u9fff]"
# a half-width bracket pair around Japanese prose, or a half-width colon touching Japanese
HALF_WIDTH_IN_PROSE = re.compile(rf"\([^()]*{JAPANESE}[^()]*\)|{JAPANESE}:|:{JAPANESE}")


@cache
def _pack():
    loaded, issues = read_pack(PACK)
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


def output_size(H: int, K: int, S: int, P: int) -> int:
    """Count the filter's positions on the padded input (no formula)."""
    padded = np.zeros(H + 2 * P)
    return len([start for start in range(0, padded.size, S) if start + K <= padded.size])


def param_count(C_in: int, C_out: int, K: int) -> int:
    weight = np.zeros((C_out, C_in, K, K))
    bias = np.zeros(C_out)
    return weight.size + bias.size


def cross_correlate(x: np.ndarray, w: np.ndarray, stride: int = 1, pad: int = 0) -> np.ndarray:
    x = np.pad(x, pad)
    kh, kw = w.shape
    rows = range(0, x.shape[0] - kh + 1, stride)
    cols = range(0, x.shape[1] - kw + 1, stride)
    return np.array([[np.sum(x[i : i + kh, j : j + kw] * w) for j in cols] for i in rows])


# Each listed misconception of the canonical templates, as the learner computes it.
MISTAKES = {
    "cnn.conv.output_size": {
        "pad_one_side": lambda p: output_size(p["H"], p["K"], p["S"], 0) if p["P"] == 0 else
        len(range(0, p["H"] + p["P"] - p["K"] + 1, p["S"])),
        "no_plus_one": lambda p: output_size(p["H"], p["K"], p["S"], p["P"]) - 1,
        "no_padding": lambda p: output_size(p["H"], p["K"], p["S"], 0),
    },
    "cnn.conv.param_count": {
        "missing_bias": lambda p: np.zeros((p["C_out"], p["C_in"], p["K"], p["K"])).size,
        "forgot_c_in": lambda p: np.zeros((p["C_out"], p["K"], p["K"])).size + p["C_out"],
        "one_filter_only": lambda p: np.zeros((p["C_in"], p["K"], p["K"])).size + 1,
    },
}
EXPECTED = {
    "cnn.conv.output_size": lambda p: output_size(p["H"], p["K"], p["S"], p["P"]),
    "cnn.conv.param_count": lambda p: param_count(p["C_in"], p["C_out"], p["K"]),
}


# --------------------------------------------------------------------------- canonical contracts


@pytest.mark.parametrize("template_id", sorted(CANONICAL))
def test_canonical_template_has_its_kind_and_params(template_id: str) -> None:
    kind, params = CANONICAL[template_id]
    tpl = _template(template_id)
    assert tpl.kind == kind
    assert params <= set(tpl.params)  # the contracted names; derived params may be added


@pytest.mark.parametrize("template_id", sorted(CANONICAL))
def test_canonical_answer_matches_independent_numpy(cli, template_id: str) -> None:
    for seed in SEEDS:
        data = sample(cli, template_id, seed)
        assert CANONICAL[template_id][1] <= set(data["params"])
        assert data["answer"] == EXPECTED[template_id](data["params"]), (seed, data["params"])


@pytest.mark.parametrize("template_id", sorted(CANONICAL))
def test_every_listed_misconception_is_recognized(cli, template_id: str) -> None:
    listed = {m.tag for m in _template(template_id).misconceptions}
    assert listed == set(MISTAKES[template_id]), "each listed mistake needs a learner's formula"
    for seed in range(6):
        params = sample(cli, template_id, seed)["params"]
        for tag, wrong in MISTAKES[template_id].items():
            result = grade(cli, template_id, seed, str(int(wrong(params))))
            assert result["valid"] and not result["correct"], (tag, seed)
            assert result["misconception"] == tag, (tag, seed, result)
        right = grade(cli, template_id, seed, str(EXPECTED[template_id](params)))
        assert right["correct"] and right["misconception"] is None


# --------------------------------------------------------------------------- by-hand items


def test_convolution_by_hand_is_the_cross_correlation(cli) -> None:
    for seed in range(8):
        data = sample(cli, "cnn.conv.by_hand", seed)
        p = data["params"]
        want = cross_correlate(np.array(p["X"], float), np.array(p["Kr"], float)) + p["b"]
        np.testing.assert_allclose(data["answer"], want)
        flipped = cross_correlate(np.array(p["X"], float), np.array(p["Kr"], float)[::-1, ::-1])
        assert grade(cli, "cnn.conv.by_hand", seed, flipped + p["b"])["misconception"] == (
            "flipped_kernel"
        )


def test_strided_and_padded_entries(cli) -> None:
    for seed in range(8):
        data = sample(cli, "cnn.conv.by_hand_stride", seed)
        p = data["params"]
        out = cross_correlate(np.array(p["X"], float), np.array(p["Kr"], float), stride=2)
        assert data["answer"] == out[p["i"] - 1, p["j"] - 1]
        data = sample(cli, "cnn.conv.padding_by_hand", seed)
        p = data["params"]
        out = cross_correlate(np.array(p["X"], float), np.array(p["Kr"], float), pad=1)
        assert data["answer"] == out[0, 0]


def test_max_pooling_forward_and_backward(cli) -> None:
    for seed in range(8):
        data = sample(cli, "cnn.pool.max_by_hand", seed)
        x = np.array(data["params"]["X"], float)
        want = x.reshape(2, 2, 2, 2).max(axis=(1, 3))
        np.testing.assert_allclose(data["answer"], want)
        data = sample(cli, "cnn.pool.max_backward", seed)
        x, g = np.array(data["params"]["X"], float), np.array(data["params"]["g"], float)
        dx = np.zeros_like(x)
        for k in range(2):
            window = x[:, 2 * k : 2 * k + 2]
            r, c = np.unravel_index(np.argmax(window), window.shape)
            dx[r, 2 * k + c] = g[k]
        np.testing.assert_allclose(data["answer"], dx)
        spread = np.repeat(np.repeat(g.reshape(1, 2), 2, axis=0), 2, axis=1) / 4
        assert grade(cli, "cnn.pool.max_backward", seed, spread)["misconception"] == (
            "spread_evenly"
        )


def test_transposed_convolution_inverts_the_output_size(cli) -> None:
    for seed in range(10):
        data = sample(cli, "cnn.transposed.output_size", seed)
        p = data["params"]
        assert data["answer"] == (p["H"] - 1) * p["S"] - 2 * p["P"] + p["K"]
        assert output_size(int(data["answer"]), p["K"], p["S"], p["P"]) == p["H"]


# --------------------------------------------------------------------------- the chapter's shape


def test_size_and_mix_of_the_chapter() -> None:
    templates = _pack().templates
    assert _pack().id == "cnn"
    assert len(templates) >= 27
    assert sum(1 for t in templates if t.params) / len(templates) >= 0.6
    assert all(t.field == "深層学習の基礎" and t.topic == "cnn" for t in templates)
    assert all(t.id.startswith("cnn.") for t in templates)
    code = [t for t in templates if t.code]
    assert len(code) >= 5 and all(t.convention == "code" for t in code)
    assert any("【ア】" in t.code for t in code) and any("nn.Conv2d" in t.code for t in code)
    assert any("nn.MaxPool2d(2)" in t.code for t in code)
    negative = [t for t in templates if "不適切" in t.prompt.ja and "INCORRECT" in t.prompt.en]
    assert negative
    combination = [t for t in templates if "（あ）" in t.prompt.ja and "(a)" in t.prompt.en]
    assert combination
    kinds = {t.kind for t in templates}
    assert {"numeric", "matrix", "single_choice", "multi_choice", "true_false"} <= kinds


def test_multi_choice_items_vary_the_number_of_correct_options() -> None:
    multi = [t for t in _pack().templates if t.kind == "multi_choice"]
    assert multi
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
