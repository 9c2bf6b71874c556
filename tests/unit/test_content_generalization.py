"""The built-in pack norm (汎化性能向上のためのテクニック): the canonical template computes
training-mode batch normalization like an independent NumPy formula, its typical mistakes are
recognized by tag, and the chapter has the size and the item shapes the content brief asks for."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from quizapp.packs.generation import generate
from quizapp.packs.loader import read_pack
from quizapp.packs.model import Localized

PACK = Path(__file__).resolve().parents[2] / "questions" / "dl_generalization.yaml"
CANONICAL = "norm.batchnorm.value"
SEEDS = range(20)
CJK = r"[\u3040-\u30ff\u4e00-\u9fff]"
# Half-width brackets or colons touching Japanese text are prose, which takes （） and ：.
HALF_WIDTH_IN_PROSE = re.compile(rf"{CJK}[(:]|\({CJK}|{CJK}\)|:{CJK}")


@cache
def _pack():
    loaded, issues = read_pack(PACK)
    assert not issues, "\n".join(i.format() for i in issues)
    return loaded.pack


def _params(data: dict):
    p = data["params"]
    return np.asarray(p["x"], dtype=float), p["gamma"], p["beta"], p["eps"], p["k"]


def test_canonical_contract() -> None:
    tpl = next(t for t in _pack().templates if t.id == CANONICAL)
    assert tpl.kind == "numeric"
    assert {"x", "gamma", "beta", "eps", "k"} <= set(tpl.params)  # derived params may be added


def test_canonical_answer_matches_numpy(cli) -> None:
    for seed in SEEDS:
        data = cli("sample", CANONICAL, "--seed", str(seed))
        x, gamma, beta, eps, k = _params(data)
        xhat = (x - x.mean()) / np.sqrt(x.var() + eps)  # np.var: biased, divides by n
        expected = gamma * xhat[k - 1] + beta
        assert data["answer"] == pytest.approx(expected, rel=1e-9, abs=1e-12)
        assert cli("grade", CANONICAL, "--seed", str(seed), "--answer", f"{expected:.3f}")[
            "correct"
        ]


def test_canonical_misconceptions_are_recognized(cli) -> None:
    for seed in range(8):
        x, gamma, beta, eps, k = _params(cli("sample", CANONICAL, "--seed", str(seed)))
        xc = x[k - 1] - x.mean()
        wrong = {
            "unbiased_variance": gamma * xc / np.sqrt(x.var(ddof=1) + eps) + beta,
            "forgot_gamma_beta": xc / np.sqrt(x.var() + eps),
            "divided_by_variance": gamma * xc / (x.var() + eps) + beta,
        }
        for tag, value in wrong.items():
            result = cli("grade", CANONICAL, "--seed", str(seed), "--answer", repr(float(value)))
            assert not result["correct"], (seed, tag)
            assert result["misconception"] == tag, (seed, tag, result)


def _ja_texts(tpl) -> list[str]:
    texts = [tpl.prompt, tpl.hint, tpl.explanation.summary, *tpl.explanation.steps]
    texts += [m.message for m in tpl.misconceptions]
    for o in tpl.answer.options or []:
        texts += [o.text, o.message]
    return [t.ja for t in texts if isinstance(t, Localized) and t.ja]


def test_chapter_coverage_and_item_shapes() -> None:
    templates = _pack().templates
    assert len(templates) >= 27
    assert all(t.id.startswith("norm.") and t.field == "深層学習の基礎" for t in templates)
    assert sum(1 for t in templates if t.params) / len(templates) >= 0.6
    code_items = [t for t in templates if t.code and "【ア】" in t.code]
    assert len(code_items) >= 4
    assert all(t.convention == "code" for t in code_items)
    prompts_ja = {t.id: t.prompt.ja for t in templates}
    assert any("不適切" in p for p in prompts_ja.values())
    assert any("（あ）" in p or "【イ】" in p for p in prompts_ja.values())
    counts = set()
    for t in templates:
        if t.kind == "multi_choice" and t.params:
            counts |= {len(generate(t, s).answer) for s in range(30)}
    assert len(counts) >= 2, "a multi-choice item should vary its number of correct options"
    for t in templates:
        if t.kind == "numeric" and t.params:
            assert t.hint is not None and len(t.misconceptions) >= 2, t.id


def test_every_text_in_both_languages_with_full_width_prose() -> None:
    for t in _pack().templates:
        texts = [t.prompt, t.hint, t.explanation.summary, *t.explanation.steps]
        texts += [m.message for m in t.misconceptions]
        for text in texts:
            if isinstance(text, Localized):
                assert text.ja and text.en, t.id
        assert isinstance(t.prompt, Localized), t.id
        for ja in _ja_texts(t):
            assert not HALF_WIDTH_IN_PROSE.search(ja), (t.id, ja)
