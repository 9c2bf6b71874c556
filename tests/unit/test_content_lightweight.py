"""The built-in pack `light` (軽量化・高速化): its calculation templates compute the same
answers as independent NumPy formulas from the params of `sample --json`, the listed
misconceptions are recognized by `grade --json`, and the chapter has the coverage and the
item shapes the content brief asks for. (tests/unit/test_content.py validates every pack
with 50 seeds; this file does not repeat that.)"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from pack_texts import localized_texts as _texts

from quizapp.packs.loader import read_pack
from quizapp.packs.model import Localized

PACK = Path(__file__).resolve().parents[2] / "questions" / "dl_lightweight.yaml"
SEEDS = range(20)
CJK = r"[\u3040-\u30ff\u4e00-\u9fff]"


@cache
def _templates():
    loaded, issues = read_pack(PACK)
    assert not issues, "\n".join(i.format() for i in issues)
    return loaded.pack.templates


def _params(cli, template_id: str, seed: int) -> tuple[dict, object]:
    data = cli("sample", template_id, "--seed", str(seed))
    p = {k: np.asarray(v, float) if isinstance(v, list) else v for k, v in data["params"].items()}
    return p, data["answer"]


# --------------------------------------------------------------------------- independent math


def softmax(u):
    e = np.exp(np.asarray(u, float) - np.max(u))
    return e / e.sum()


def quantize(x, s, z):
    return int(np.clip(np.round(x / s) + z, 0, 255))


def prune(w, m):
    order = np.argsort(np.abs(w))
    out = w.copy()
    out[order[:m]] = 0.0
    return out


def expected(tid: str, p: dict):
    if tid == "light.quant.scale":
        return (p["x_max"] - p["x_min"]) / 255
    if tid == "light.quant.zero_point":
        return round(-p["x_min"] / p["s"])
    if tid in ("light.quant.quantize", "light.quant.clip"):
        return quantize(p["x"], p["s"], p["z"])
    if tid == "light.quant.dequantize":
        return (p["q"] - p["z"]) * p["s"]
    if tid == "light.quant.error":
        q = quantize(p["x"], p["s"], p["z"])
        return abs(p["x"] - (q - p["z"]) * p["s"])
    if tid == "light.quant.memory":
        return p["P"] * {"INT8": 1, "FP16": 2}[p["fmt"]]
    if tid == "light.prune.magnitude":
        return prune(p["w"], int(8 * p["p"] / 100))
    if tid == "light.prune.remaining":
        return p["n_in"] * p["n_out"] * (1 - p["p"])
    if tid == "light.distill.temperature_softmax":
        return softmax(p["z"] / p["T"])[p["k"] - 1]
    if tid == "light.distill.loss":
        T, a = p["T"], p["alpha"]
        pt, ps = softmax(p["t"] / T), softmax(p["s"] / T)
        kl = np.sum(pt * np.log(pt / ps))
        ce = -np.log(softmax(p["s"])[p["k"] - 1])
        return a * T**2 * kl + (1 - a) * ce
    if tid == "light.distill.gradient_scale":
        return 1 / p["T"] ** 2
    if tid == "light.parallel.pipeline_bubble":
        return (p["K"] - 1) / (p["M"] + p["K"] - 1)
    if tid == "light.memory.mlp_bytes":
        sizes = [p["n0"], p["n1"], p["n2"]]
        return 4 * sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=False))
    if tid == "light.memory.adam_training":
        return 16 * p["P"]
    if tid == "light.dwsep.params":
        return p["C_in"] * p["K"] ** 2 + p["C_in"] * p["C_out"]
    if tid == "light.dwsep.flops_ratio":
        return 1 / p["C_out"] + 1 / p["K"] ** 2
    if tid == "light.dwsep.flops":
        return p["H"] ** 2 * p["C_in"] * (p["K"] ** 2 + p["C_out"])
    raise KeyError(tid)


CALCULATIONS = [
    "light.quant.scale", "light.quant.zero_point", "light.quant.quantize", "light.quant.clip",
    "light.quant.dequantize", "light.quant.error", "light.quant.memory", "light.prune.magnitude",
    "light.prune.remaining", "light.distill.temperature_softmax", "light.distill.loss",
    "light.distill.gradient_scale", "light.parallel.pipeline_bubble", "light.memory.mlp_bytes",
    "light.memory.adam_training", "light.dwsep.params", "light.dwsep.flops_ratio",
    "light.dwsep.flops",
]  # fmt: skip


@pytest.mark.parametrize("template_id", CALCULATIONS)
def test_answers_match_an_independent_formula(cli, template_id: str) -> None:
    for seed in SEEDS:
        p, answer = _params(cli, template_id, seed)
        want = expected(template_id, p)
        assert np.allclose(answer, want, rtol=1e-9, atol=1e-12), (template_id, seed, p)


# misconception tag -> its value from the params, written independently of the pack
MISCONCEPTIONS = {
    "light.quant.scale": {
        "divided_by_256": lambda p: (p["x_max"] - p["x_min"]) / 256,
        "ignored_x_min": lambda p: p["x_max"] / 255,
    },
    "light.quant.quantize": {
        "forgot_zero_point": lambda p: round(p["x"] / p["s"]),
        "truncated": lambda p: np.floor(p["x"] / p["s"]) + p["z"],
    },
    "light.quant.clip": {
        "no_clipping": lambda p: round(p["x"] / p["s"]) + p["z"],
        "wrapped_around": lambda p: (round(p["x"] / p["s"]) + p["z"]) % 256,
    },
    "light.quant.dequantize": {"forgot_zero_point": lambda p: p["q"] * p["s"]},
    "light.prune.magnitude": {
        "pruned_largest": lambda p: np.where(
            np.argsort(np.argsort(-np.abs(p["w"]))) < int(8 * p["p"] / 100), 0.0, p["w"]
        ),
    },
    "light.distill.temperature_softmax": {
        "forgot_temperature": lambda p: softmax(p["z"])[p["k"] - 1],
    },
    "light.distill.loss": {
        "forgot_t_squared": lambda p: (
            p["alpha"]
            * np.sum(
                softmax(p["t"] / p["T"])
                * np.log(softmax(p["t"] / p["T"]) / softmax(p["s"] / p["T"]))
            )
            - (1 - p["alpha"]) * np.log(softmax(p["s"])[p["k"] - 1])
        ),
    },
    "light.distill.gradient_scale": {"one_over_t": lambda p: 1 / p["T"]},
    "light.memory.adam_training": {"forgot_optimizer_state": lambda p: 8 * p["P"]},
    "light.dwsep.params": {"standard_conv": lambda p: p["C_in"] * p["C_out"] * p["K"] ** 2},
    "light.dwsep.flops_ratio": {"kernel_only": lambda p: 1 / p["K"] ** 2},
}


@pytest.mark.parametrize("template_id", sorted(MISCONCEPTIONS))
def test_misconceptions_are_recognized(cli, template_id: str) -> None:
    for seed in (0, 1, 2):
        p, _ = _params(cli, template_id, seed)
        for tag, value in MISCONCEPTIONS[template_id].items():
            v = value(p)
            text = json.dumps(np.asarray(v, float).round(10).tolist())
            result = cli("grade", template_id, "--seed", str(seed), "--answer", text)
            assert result["correct"] is False, (template_id, seed, tag)
            assert result["misconception"] == tag, (template_id, seed, tag, result)


def test_listed_misconceptions_exist_in_the_pack() -> None:
    by_id = {t.id: t for t in _templates()}
    for template_id, tags in MISCONCEPTIONS.items():
        listed = {m.tag for m in by_id[template_id].misconceptions}
        assert set(tags) <= listed, template_id


def test_multi_choice_has_a_varying_number_of_correct_options(cli) -> None:
    counts = {len(cli("sample", "light.parallel.statements", "--seed", str(s))["answer"])
              for s in range(12)}  # fmt: skip
    assert len(counts) >= 2


# --------------------------------------------------------------------------- coverage


def _ja_prose_problems(text: str) -> list[str]:
    """Half-width brackets around Japanese words and a half-width colon after Japanese.
    Allowed: brackets in formulas and code (no kana/kanji inside them)."""
    bad = [m.group(0) for m in re.finditer(r"\(([^()]*)\)", text) if re.search(CJK, m.group(1))]
    bad += re.findall(CJK + ":", text)
    return bad


def test_coverage_and_item_shapes() -> None:
    templates = _templates()
    assert len(templates) >= 27
    assert sum(1 for t in templates if t.params) / len(templates) >= 0.6
    assert {t.field for t in templates} == {"深層学習の基礎"}
    assert {"quantization", "pruning", "distillation", "parallelism", "efficiency",
            "mixed_precision"} <= {t.topic for t in templates}  # fmt: skip
    code = [t for t in templates if t.code]
    assert len(code) >= 4
    prompts_en = [t.prompt.en for t in templates]
    assert any("INCORRECT" in s for s in prompts_en)
    assert any("combination" in s for s in prompts_en)
    assert any(t.kind == "multi_choice" for t in templates)
    assert all(t.id.startswith("light.") for t in templates)
    for t in templates:
        if t.kind in ("numeric", "vector", "matrix"):
            assert t.misconceptions and t.hint is not None, t.id


def test_every_text_is_bilingual_with_japanese_punctuation() -> None:
    for t in _templates():
        for text in _texts(t):
            if isinstance(text, Localized):
                assert text.ja and text.en, t.id
                assert not _ja_prose_problems(text.ja), (t.id, text.ja)
        assert isinstance(t.prompt, Localized), t.id
