"""The built-in pack attn (Transformer): the canonical template computes softmax(K q / √d)_k
like an independent NumPy formula, its typical mistakes are recognized by tag, and the chapter
has the size and the item shapes the content brief asks for."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from quizapp.packs.generation import generate
from quizapp.packs.loader import read_pack
from quizapp.packs.model import Localized

PACK = Path(__file__).resolve().parents[2] / "questions" / "dl_transformer.yaml"
CANONICAL = "attn.scaled_dot.weight"
SEEDS = range(20)
CJK = r"[\u3040-\u30ff\u4e00-\u9fff]"
# Half-width brackets or colons touching Japanese text are prose, which takes （） and ：.
HALF_WIDTH_IN_PROSE = re.compile(rf"{CJK}[(:]|\({CJK}|{CJK}\)|:{CJK}")


@cache
def _pack():
    loaded, issues = read_pack(PACK)
    assert not issues, "\n".join(i.format() for i in issues)
    return loaded.pack


def _softmax(u: np.ndarray) -> np.ndarray:
    e = np.exp(u - u.max())
    return e / e.sum()


def _params(data: dict) -> tuple[np.ndarray, np.ndarray, int]:
    p = data["params"]
    return np.asarray(p["q"], dtype=float), np.asarray(p["K"], dtype=float), p["k"]


def test_canonical_contract() -> None:
    tpl = next(t for t in _pack().templates if t.id == CANONICAL)
    assert tpl.kind == "numeric"
    assert {"q", "K", "k"} <= set(tpl.params)  # derived params may be added


def test_canonical_answer_matches_numpy(cli) -> None:
    dims = set()
    for seed in SEEDS:
        data = cli("sample", CANONICAL, "--seed", str(seed))
        q, K, k = _params(data)
        d = q.shape[0]
        dims.add(d)
        assert K.shape == (3, d) and 1 <= k <= 3
        expected = _softmax(K @ q / np.sqrt(d))[k - 1]
        assert data["answer"] == pytest.approx(expected, rel=1e-9, abs=1e-12)
        assert cli("grade", CANONICAL, "--seed", str(seed), "--answer", f"{expected:.3f}")[
            "correct"
        ]
    assert dims == {2, 4}


def test_canonical_misconceptions_are_recognized(cli) -> None:
    for seed in range(8):
        q, K, k = _params(cli("sample", CANONICAL, "--seed", str(seed)))
        d = q.shape[0]
        wrong = {
            "sqrt_dk_omitted": _softmax(K @ q)[k - 1],
            "divided_by_d": _softmax(K @ q / d)[k - 1],
            "raw_score": (K @ q)[k - 1],
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
    assert all(t.id.startswith("attn.") and t.field == "深層学習の基礎" for t in templates)
    assert sum(1 for t in templates if t.params) / len(templates) >= 0.6
    code_items = [t for t in templates if t.code and "【ア】" in t.code]
    assert len(code_items) >= 5
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
