"""The built-in pack `optim` (深層モデルのための最適化): its canonical templates compute the
same answers as an independent NumPy formula, its misconceptions are recognized as such, and
the chapter has the size and item shapes the content brief asks for."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from pack_texts import localized_texts as _texts

from quizapp.cli import problem_json
from quizapp.grading import grade
from quizapp.packs.generation import generate
from quizapp.packs.loader import read_pack
from quizapp.packs.model import Localized

PATH = Path(__file__).resolve().parents[2] / "questions" / "dl_optimization.yaml"
SEEDS = range(20)

# Japanese prose uses full-width （）and ：. A half-width bracket touching kana/kanji, or a
# half-width colon after one, is prose punctuation that slipped through; formulas such as
# σ(x) or (1 − ρ) are allowed.
JP = r"[\u3040-\u30ff\u4e00-\u9fff]"
HALF_WIDTH_PROSE = re.compile(rf"{JP}\(|\({JP}|{JP}\)|{JP}:")


@cache
def pack():
    loaded, issues = read_pack(PATH)
    assert not issues, "\n".join(i.format() for i in issues)
    assert loaded is not None
    return loaded.pack


def template(template_id: str):
    return next(t for t in pack().templates if t.id == template_id)


def problem(template_id: str, seed: int):
    return generate(template(template_id), seed, pack_id="optim", pack_version=str(pack().version))


def params(prob) -> dict:
    data = problem_json(prob, "en")
    return {
        k: np.asarray(v, dtype=float) if isinstance(v, list) else v
        for k, v in data["params"].items()
    }


def answer(prob) -> float:
    return float(problem_json(prob, "en")["answer"])


# --------------------------------------------------------------------------- independent math


def momentum(p):
    v_new = p["alpha"] * p["v"] - p["lr"] * p["g"]
    return {
        "answer": p["w"] + v_new,
        "gradient_sign": p["w"] + p["alpha"] * p["v"] + p["lr"] * p["g"],
        "forgot_momentum": p["w"] - p["lr"] * p["g"],
        "answered_velocity": v_new,
        "forgot_alpha": p["w"] + p["v"] - p["lr"] * p["g"],
    }


def adam(p):
    t, b1, b2 = p["t"], p["beta1"], p["beta2"]
    m = b1 * p["m"] + (1 - b1) * p["g"]
    v = b2 * p["v"] + (1 - b2) * p["g"] ** 2
    m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
    step = p["lr"] * m_hat / (np.sqrt(v_hat) + p["eps"])
    return {
        "answer": p["w"] - step,
        "no_bias_correction": p["w"] - p["lr"] * m / (np.sqrt(v) + p["eps"]),
        "gradient_ascent": p["w"] + step,
        "no_sqrt_scaling": p["w"] - p["lr"] * m_hat,
        "stale_moments": p["w"] - p["lr"] * p["g"],
    }


FORMULAS = {"optim.momentum.step": momentum, "optim.adam.step": adam}
CANONICAL_PARAMS = {
    "optim.momentum.step": {"w", "v", "g", "lr", "alpha"},
    "optim.adam.step": {"w", "m", "v", "g", "t", "lr", "beta1", "beta2", "eps"},
}


@pytest.mark.parametrize("template_id", sorted(FORMULAS))
def test_canonical_contract(template_id: str) -> None:
    tpl = template(template_id)
    assert tpl.kind == "numeric"
    assert CANONICAL_PARAMS[template_id] <= set(tpl.params)  # derived params may be added


@pytest.mark.parametrize("template_id", sorted(FORMULAS))
def test_canonical_answer_matches_numpy(template_id: str) -> None:
    for seed in SEEDS:
        prob = problem(template_id, seed)
        expected = FORMULAS[template_id](params(prob))["answer"]
        assert answer(prob) == pytest.approx(expected, rel=1e-9, abs=1e-12), seed


@pytest.mark.parametrize("template_id", sorted(FORMULAS))
def test_each_misconception_is_recognized(template_id: str) -> None:
    tags = {m.tag for m in template(template_id).misconceptions}
    for seed in range(5):
        prob = problem(template_id, seed)
        values = FORMULAS[template_id](params(prob))
        assert tags <= set(values), tags - set(values)
        for tag in tags:
            result = grade(prob, repr(float(values[tag])))
            assert result.valid and not result.correct, (tag, seed)
            assert result.misconception == tag, (tag, seed, result.misconception)
        assert grade(prob, f"{values['answer']:.4f}").correct, seed


def test_adam_first_step_is_not_bias_free() -> None:
    """At t = 1 the bias-corrected step is lr × sign(g); the uncorrected one is not."""
    for seed in SEEDS:
        prob = problem("optim.adam.first_step", seed)
        p = params(prob)
        assert answer(prob) == pytest.approx(p["w"] - p["lr"] * np.sign(p["g"]), abs=1e-6)


def test_momentum_two_steps_matches_numpy() -> None:
    for seed in SEEDS:
        prob = problem("optim.momentum.two_steps", seed)
        p = params(prob)
        v1 = -p["lr"] * p["g1"]
        v2 = p["alpha"] * v1 - p["lr"] * p["g2"]
        assert answer(prob) == pytest.approx(p["w"] + v1 + v2, abs=1e-9), seed


# --------------------------------------------------------------------------- the chapter as a whole


def test_size_and_item_shapes() -> None:
    templates = pack().templates
    assert len(templates) >= 27
    assert sum(1 for t in templates if t.params) / len(templates) >= 0.6
    code = [t for t in templates if t.code and "【ア】" in t.code]
    assert len(code) >= 4
    assert all(t.convention == "code" for t in code)
    prompts_ja = [t.prompt.ja for t in templates]
    assert any("不適切なもの" in p for p in prompts_ja)
    assert any("組み合わせ" in p for p in prompts_ja)
    varying = [
        t for t in templates
        if t.kind == "multi_choice"
        and all(isinstance(o.correct, str) for o in t.answer.options)
    ]
    assert varying
    counts = {
        sum(1 for i in problem_json(problem(varying[0].id, s), "en")["answer"])
        for s in range(20)
    }
    assert len(counts) > 1, counts
    assert {"optimizer", "lr_schedule", "init", "batchnorm", "graph", "landscape"} <= {
        t.topic for t in templates
    }


def test_every_text_is_bilingual_and_calculations_are_taught() -> None:
    for tpl in pack().templates:
        assert tpl.field == "深層学習の基礎", tpl.id
        assert tpl.id.startswith("optim."), tpl.id
        assert tpl.id != "norm.batchnorm.value"
        for text in _texts(tpl):
            if isinstance(text, Localized):
                assert text.ja and text.en, tpl.id
        if tpl.kind in ("numeric", "vector", "matrix"):
            assert len(tpl.misconceptions) >= 2 and tpl.hint is not None, tpl.id


def test_japanese_prose_uses_full_width_brackets_and_colons() -> None:
    bad = []
    for tpl in pack().templates:
        for text in _texts(tpl):
            if isinstance(text, Localized) and text.ja and HALF_WIDTH_PROSE.search(text.ja):
                bad.append((tpl.id, text.ja))
    assert not bad, bad
