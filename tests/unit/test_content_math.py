"""The 応用数学 packs (linalg, prob, info): canonical contracts checked against independent
NumPy formulas, typical mistakes recognized by tag, and the coverage the content brief asks for.
(Validation with 50 seeds is tests/unit/test_content.py's job.)"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import yaml

from quizapp.packs.generation import generate
from quizapp.packs.loader import read_pack

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
FILES = {
    "linalg": QUESTIONS / "math_linalg.yaml",
    "prob": QUESTIONS / "math_probability.yaml",
    "info": QUESTIONS / "math_information.yaml",
}
CANONICAL = {
    "prob.bayes.posterior": {"prior", "sens", "fpr"},
    "info.entropy.value": {"p", "base"},
    "info.kl.value": {"p", "q"},
}
SEEDS = range(20)
JA_CHARS = "\u3040-\u30ff\u3400-\u9fff"
# Half-width brackets around Japanese prose, or a half-width colon after Japanese text.
# Formulas and shapes such as "(m, n)" or "P(D|+)" hold no Japanese, so they are allowed.
HALF_WIDTH_PAREN = re.compile(rf"\([^()]*[{JA_CHARS}][^()]*\)")
HALF_WIDTH_COLON = re.compile(rf"[{JA_CHARS}]:")


@cache
def _loaded(pack_id: str):
    loaded, issues = read_pack(FILES[pack_id])
    assert not issues, "\n".join(i.format() for i in issues)
    assert loaded is not None
    return loaded


def _templates(pack_id: str | None = None):
    ids = [pack_id] if pack_id else list(FILES)
    return [t for p in ids for t in _loaded(p).pack.templates]


def _template(template_id: str):
    return next(t for t in _templates() if t.id == template_id)


def sample(cli, template_id: str, seed: int) -> dict:
    return cli("sample", template_id, "--seed", str(seed))


def grade(cli, template_id: str, seed: int, value: float) -> dict:
    return cli("grade", template_id, "--seed", str(seed), "--answer", f"{value:.9f}")


# --------------------------------------------------------------------------- independent math


def posterior(p: dict) -> float:
    joint = p["sens"] * p["prior"]
    return joint / (joint + p["fpr"] * (1 - p["prior"]))


def entropy(p: dict) -> float:
    probs = np.asarray(p["p"], dtype=float)
    nz = probs[probs > 0]
    return float(-(nz * np.log(nz)).sum() / np.log(p["base"]))


def kl(p: dict) -> float:
    a, b = np.asarray(p["p"], dtype=float), np.asarray(p["q"], dtype=float)
    return float((a * np.log(a / b)).sum())


EXPECTED = {
    "prob.bayes.posterior": posterior,
    "info.entropy.value": entropy,
    "info.kl.value": kl,
}


def _bayes_wrong(p):
    joint = p["sens"] * p["prior"]
    return [
        (p["sens"], "base_rate_neglect"),
        (joint, "joint_not_conditional"),
        (joint / (joint + p["fpr"]), "forgot_false_positives"),
    ]


def _entropy_wrong(p):
    other = math.e if p["base"] == 2 else 2
    return [
        (entropy({"p": p["p"], "base": other}), "wrong_log_base"),
        (-entropy(p), "missing_minus"),
    ]


def _kl_wrong(p):
    return [
        (kl({"p": p["q"], "q": p["p"]}), "kl_reversed"),
        (kl(p) / np.log(2), "wrong_log_base"),
        (-kl(p), "inverted_ratio"),
    ]


WRONG = {
    "prob.bayes.posterior": _bayes_wrong,
    "info.entropy.value": _entropy_wrong,
    "info.kl.value": _kl_wrong,
}


# --------------------------------------------------------------------------- canonical contracts


@pytest.mark.parametrize("template_id", sorted(CANONICAL))
def test_canonical_template_kind_and_params(template_id: str) -> None:
    tpl = _template(template_id)
    assert tpl.kind == "numeric"
    assert CANONICAL[template_id] <= set(tpl.params)  # derived params may be added
    assert tpl.field == "応用数学"


@pytest.mark.parametrize("template_id", sorted(CANONICAL))
def test_sample_json_matches_independent_numpy(cli, template_id: str) -> None:
    for seed in SEEDS:
        data = sample(cli, template_id, seed)
        assert data["template"] == template_id and data["seed"] == seed
        assert CANONICAL[template_id] <= set(data["params"])
        want = EXPECTED[template_id](data["params"])
        assert data["answer"] == pytest.approx(want, rel=1e-9, abs=1e-12), (seed, data["params"])


def test_canonical_params_are_valid_distributions(cli) -> None:
    bases = set()
    for seed in SEEDS:
        p = sample(cli, "info.entropy.value", seed)["params"]
        assert abs(sum(p["p"]) - 1) < 1e-12 and min(p["p"]) > 0
        assert p["base"] == 2 or p["base"] == pytest.approx(math.e, rel=1e-15)
        bases.add(p["base"] == 2)
        p = sample(cli, "info.kl.value", seed)["params"]
        assert abs(sum(p["p"]) - 1) < 1e-12 and abs(sum(p["q"]) - 1) < 1e-12
        assert p["p"] != p["q"]
        p = sample(cli, "prob.bayes.posterior", seed)["params"]
        assert all(0 < p[k] < 1 for k in ("prior", "sens", "fpr"))
    assert bases == {True, False}, "both bits and nats are drawn"


@pytest.mark.parametrize("template_id", sorted(WRONG))
def test_typical_wrong_answers_get_their_tag(cli, template_id: str) -> None:
    for seed in (0, 3, 11):
        p = sample(cli, template_id, seed)["params"]
        for wrong, tag in WRONG[template_id](p):
            result = grade(cli, template_id, seed, wrong)
            assert result["valid"] and not result["correct"], (template_id, seed, tag)
            assert result["misconception"] == tag, (template_id, seed, tag, result)


@pytest.mark.parametrize("template_id", sorted(CANONICAL))
def test_answer_rounded_to_three_places_is_accepted(cli, template_id: str) -> None:
    for seed in (1, 5):
        p = sample(cli, template_id, seed)["params"]
        typed = f"{EXPECTED[template_id](p):.3f}"
        result = cli("grade", template_id, "--seed", str(seed), "--answer", typed)
        assert result["correct"], (template_id, seed, typed, result["feedback"])


def test_nats_typed_as_a_formula_are_accepted(cli) -> None:
    """A learner may type the exact value, e.g. 1.5*log(2), instead of a decimal."""
    for seed in SEEDS:
        p = sample(cli, "info.entropy.value", seed)["params"]
        if p["base"] != 2:
            bits = entropy({"p": p["p"], "base": 2})
            result = cli(
                "grade", "info.entropy.value", "--seed", str(seed), "--answer", f"{bits:g}*log(2)"
            )
            assert result["correct"], result
            return
    pytest.fail("no seed drew nats")


# --------------------------------------------------------------------------- other items


def test_other_calculations_match_numpy(cli) -> None:
    # 2×2 inverse, singular values and the low-rank error, against np.linalg
    for seed in range(5):
        data = sample(cli, "linalg.inverse.two", seed)
        a = np.asarray(data["params"]["A"], dtype=float)
        np.testing.assert_allclose(data["answer"], np.linalg.inv(a), atol=1e-12)
        data = sample(cli, "linalg.svd.singular_values", seed)
        a = np.asarray(data["params"]["A"], dtype=float)
        np.testing.assert_allclose(data["answer"], np.linalg.svd(a, compute_uv=False), atol=1e-9)
        data = sample(cli, "linalg.det.three", seed)
        a = np.asarray(data["params"]["A"], dtype=float)
        assert data["answer"] == pytest.approx(np.linalg.det(a), abs=1e-9)
        data = sample(cli, "linalg.svd.low_rank_error", seed)
        s, k = np.asarray(data["params"]["s"], dtype=float), data["params"]["k"]
        assert data["answer"] == pytest.approx(np.sqrt((s[k:] ** 2).sum()), rel=1e-9)
        data = sample(cli, "info.mutual_information.table", seed)
        joint = np.asarray(data["params"]["P"], dtype=float)
        outer = np.outer(joint.sum(axis=1), joint.sum(axis=0))
        nz = joint > 0
        mi = (joint[nz] * np.log2(joint[nz] / outer[nz])).sum()
        assert data["answer"] == pytest.approx(mi, abs=1e-12)
        data = sample(cli, "prob.mle.gaussian", seed)
        x = np.asarray(data["params"]["x"], dtype=float)
        np.testing.assert_allclose(data["answer"], [x.mean(), x.var()], rtol=1e-12)


def test_unbiased_variance_is_named_as_not_the_mle(cli) -> None:
    p = sample(cli, "prob.mle.gaussian", 2)["params"]
    x = np.asarray(p["x"], dtype=float)
    typed = json.dumps([x.mean(), x.var(ddof=1)])
    result = cli("grade", "prob.mle.gaussian", "--seed", "2", "--answer", typed)
    assert result["misconception"] == "unbiased_not_mle"


# --------------------------------------------------------------------------- coverage


def test_each_pack_has_its_id_size_and_field() -> None:
    for pack_id in FILES:
        pack = _loaded(pack_id).pack
        assert pack.id == pack_id
        assert len(pack.templates) >= 15, pack_id
        assert all(t.id.startswith(pack_id + ".") for t in pack.templates)
        assert all(t.field == "応用数学" for t in pack.templates)
        assert {topic.field for topic in pack.topics.values()} == {"応用数学"}
        with_params = [t for t in pack.templates if t.params]
        assert len(with_params) / len(pack.templates) >= 0.6, pack_id
    assert len(_templates()) >= 45


def test_item_shapes() -> None:
    templates = _templates()
    code_items = [t for t in templates if t.code and "【ア】" in t.code]
    assert len(code_items) >= 5
    for t in code_items:
        assert t.convention == "code", t.id
        assert all(o.code for o in t.answer.options), t.id
    negative = [t for t in templates if "最も不適切" in t.prompt.ja and "INCORRECT" in t.prompt.en]
    assert len(negative) >= 3
    combination = [t for t in templates if "（あ）" in t.prompt.ja and "（い）" in t.prompt.ja]
    assert len(combination) >= 3
    for t in templates:
        if t.kind in ("numeric", "vector", "matrix") and t.params:
            assert t.misconceptions, t.id
            assert t.hint is not None and t.hint.ja and t.hint.en, t.id
        if t.kind in ("single_choice", "multi_choice"):
            assert t.answer.count == 4, t.id


def test_multi_choice_items_vary_their_number_of_correct_options() -> None:
    multi = [t for t in _templates() if t.kind == "multi_choice"]
    assert len(multi) >= 3
    for t in multi:
        counts = {sum(c.correct for c in generate(t, seed).choices) for seed in range(30)}
        assert len(counts) >= 2, (t.id, counts)


def _texts(node, path=""):
    """Every {ja, en} mapping in a raw pack, with where it is."""
    if isinstance(node, dict):
        if "ja" in node or "en" in node:
            yield path, node
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{path}[{i}]")


@pytest.mark.parametrize("pack_id", sorted(FILES))
def test_every_text_in_both_languages_with_japanese_punctuation(pack_id: str) -> None:
    raw = yaml.safe_load(FILES[pack_id].read_text(encoding="utf-8"))
    texts = list(_texts(raw))
    assert len(texts) > 100
    for where, text in texts:
        assert text.get("ja") and text.get("en"), where
        ja = str(text["ja"])
        assert not HALF_WIDTH_PAREN.search(ja), (where, ja)
        assert not HALF_WIDTH_COLON.search(ja), (where, ja)
    for t in _loaded(pack_id).pack.templates:
        assert t.prompt.ja and t.prompt.en, t.id
        assert t.explanation.summary is not None and t.explanation.steps, t.id
