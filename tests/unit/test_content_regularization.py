"""The built-in pack `reg` (正則化): its canonical templates compute the
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

PATH = Path(__file__).resolve().parents[2] / "questions" / "dl_regularization.yaml"
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
    return generate(template(template_id), seed, pack_id="reg", pack_version=str(pack().version))


def params(prob) -> dict:
    data = problem_json(prob, "en")
    return {
        k: np.asarray(v, dtype=float) if isinstance(v, list) else v
        for k, v in data["params"].items()
    }


def answer(prob) -> float:
    return float(problem_json(prob, "en")["answer"])


# --------------------------------------------------------------------------- independent math


def l2_grad(p):
    return {
        "answer": p["g"] + p["lam"] * p["w"],
        "forgot_half": p["g"] + 2 * p["lam"] * p["w"],
        "sign_flipped": p["g"] - p["lam"] * p["w"],
        "l1_instead": p["g"] + p["lam"] * np.sign(p["w"]),
        "penalty_value": p["g"] + p["lam"] / 2 * p["w"] ** 2,
    }


FORMULAS = {"reg.l2.grad": l2_grad}
CANONICAL_PARAMS = {"reg.l2.grad": {"w", "g", "lam"}}


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


def test_inverted_dropout_matches_numpy_and_flags_missing_scaling() -> None:
    for seed in range(10):
        prob = problem("reg.dropout.forward", seed)
        p = params(prob)
        expected = p["x"] * p["mask"] / (1 - p["p"])
        got = np.asarray(problem_json(prob, "en")["answer"], dtype=float)
        np.testing.assert_allclose(got, expected, rtol=1e-9)
        unscaled = grade(prob, str((p["x"] * p["mask"]).tolist()))
        assert unscaled.misconception == "no_scaling", seed


def test_label_smoothing_targets_sum_to_one() -> None:
    for seed in range(10):
        prob = problem("reg.label_smoothing.target", seed)
        p = params(prob)
        true_t = 1 - p["eps"] + p["eps"] / p["K"]
        other_t = p["eps"] / p["K"]
        assert true_t + (p["K"] - 1) * other_t == pytest.approx(1.0)
        assert answer(prob) == pytest.approx([true_t, other_t][p["q"] - 1]), seed


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
    assert {"penalty", "dropout", "data", "sharing_ensembles"} <= {
        t.topic for t in templates
    }


def test_every_text_is_bilingual_and_calculations_are_taught() -> None:
    for tpl in pack().templates:
        assert tpl.field == "深層学習の基礎", tpl.id
        assert tpl.id.startswith("reg."), tpl.id
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
