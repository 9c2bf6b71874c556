"""The 深層学習の応用 packs (vision, det, nlp, gen, rl, appmisc): their canonical contracts,
answers recomputed with independent NumPy, the typical mistakes recognized, and the mix of
item shapes and texts the exam needs. (Every built-in pack is validated with 50 seeds in
tests/unit/test_content.py; this file does not repeat that.)"""

from __future__ import annotations

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
# file -> (pack id, minimum number of templates)
PACKS = {
    "app_vision.yaml": ("vision", 9),
    "app_detection.yaml": ("det", 11),
    "app_nlp.yaml": ("nlp", 9),
    "app_generative.yaml": ("gen", 8),
    "app_rl.yaml": ("rl", 9),
    "app_misc.yaml": ("appmisc", 6),
}
FIELD = "深層学習の応用"
CANONICAL = {
    "det.iou.value": ("numeric", {"a", "b"}),
    "rl.qlearning.update": ("numeric", {"q", "r", "gamma", "q_next_max", "alpha"}),
}
SEEDS = range(20)


@cache
def _loaded(name: str):
    path = QUESTIONS / name
    loaded, issues = read_pack(path)
    assert not issues, "\n".join(i.format() for i in issues)
    assert loaded is not None
    loaded.path = path
    return loaded


def _templates(name: str | None = None):
    names = [name] if name else list(PACKS)
    return [t for n in names for t in _loaded(n).pack.templates]


def _template(template_id: str):
    return next(t for t in _templates() if t.id == template_id)


def sample(cli, template_id: str, seed: int, lang: str = "en") -> dict:
    return cli("sample", template_id, "--seed", str(seed), lang=lang)


def grade(cli, template_id: str, seed: int, answer: str) -> dict:
    return cli("grade", template_id, "--seed", str(seed), "--answer", answer)


# --------------------------------------------------------------------------- independent math


def iou_np(a, b) -> float:
    """IoU of two (x1, y1, x2, y2) boxes, continuous coordinates."""
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    area_a = (a[2] - a[0]) * (a[3] - a[1])
    area_b = (b[2] - b[0]) * (b[3] - b[1])
    return inter / (area_a + area_b - inter)


def q_update_np(p: dict) -> float:
    return p["q"] + p["alpha"] * (p["r"] + p["gamma"] * p["q_next_max"] - p["q"])


# --------------------------------------------------------------------------- the packs


@pytest.mark.parametrize("name", sorted(PACKS))
def test_pack_header_field_and_size(name: str) -> None:
    pack_id, minimum = PACKS[name]
    pack = _loaded(name).pack
    assert pack.id == pack_id
    assert list(pack.languages) == ["ja", "en"]
    assert all(topic.field == FIELD for topic in pack.topics.values())
    templates = pack.templates
    assert len(templates) >= minimum, (name, len(templates))
    assert all(t.field == FIELD and t.id.startswith(pack_id + ".") for t in templates)
    assert {t.topic for t in templates} <= set(pack.topics)
    parameterized = sum(1 for t in templates if t.params)
    assert parameterized / len(templates) >= 0.6, (name, parameterized, len(templates))


def test_chapter_size_and_item_shapes() -> None:
    templates = _templates()
    assert len(templates) >= 52
    code_items = [t for t in templates if t.code and "【ア】" in t.code]
    assert len(code_items) >= 6
    for t in code_items:
        assert t.convention == "code", t.id
        assert all(o.code for o in t.answer.options), t.id
    negative = [t for t in templates if "最も不適切" in t.prompt.ja and "INCORRECT" in t.prompt.en]
    assert len(negative) >= 3
    combination = [
        t
        for t in templates
        if "（あ）" in t.prompt.ja and "（い）" in t.prompt.ja and "(a)" in t.prompt.en
    ]
    assert len(combination) >= 3
    kinds = {t.kind for t in templates}
    assert {"numeric", "vector", "matrix", "single_choice", "multi_choice"} <= kinds
    choice = [t for t in templates if t.kind in ("single_choice", "multi_choice")]
    assert all(t.answer.count == 4 for t in choice)


def test_multi_choice_items_vary_the_number_of_correct_options() -> None:
    multi = [t for t in _templates() if t.kind == "multi_choice"]
    assert len(multi) >= 3
    for t in multi:
        counts = {sum(c.correct for c in generate(t, seed).choices) for seed in range(30)}
        assert len(counts) >= 2, (t.id, counts)
        assert 0 not in counts


def test_every_text_is_bilingual_and_calculations_are_explained() -> None:
    for t in _templates():
        assert isinstance(t.prompt, Localized), t.id
        for text in _texts(t):
            if isinstance(text, Localized):
                assert text.ja and text.en, t.id
        assert t.tags and t.explanation.summary is not None and t.explanation.steps, t.id
        if t.kind in ("numeric", "vector", "matrix"):
            assert t.params, t.id
            assert len(t.misconceptions) >= 2, t.id
            assert isinstance(t.hint, Localized) and t.hint.ja and t.hint.en, t.id


# Half-width brackets around Japanese words, or a half-width colon next to Japanese, in the
# Japanese texts (formulas such as σ(x) or (x1, y1, x2, y2) are fine: nothing Japanese inside).
JAPANESE = r"[\u3040-\u30ff\u3400-\u9fff]"
HALF_WIDTH_PROSE = re.compile(rf"\([^()]*{JAPANESE}[^()]*\)|{JAPANESE}\s*:|:\s*{JAPANESE}")


def test_japanese_prose_uses_full_width_brackets_and_colons() -> None:
    bad = []
    for t in _templates():
        for text in _texts(t):
            ja = text.ja if isinstance(text, Localized) else None
            if ja and HALF_WIDTH_PROSE.search(ja):
                bad.append((t.id, HALF_WIDTH_PROSE.search(ja).group(0)))
    assert not bad, bad


# --------------------------------------------------------------------------- canonical contracts


@pytest.mark.parametrize("template_id", sorted(CANONICAL))
def test_canonical_template_kind_and_params(template_id: str) -> None:
    kind, params = CANONICAL[template_id]
    tpl = _template(template_id)
    assert tpl.kind == kind
    assert params <= set(tpl.params)


def test_iou_matches_independent_numpy(cli) -> None:
    for seed in SEEDS:
        data = sample(cli, "det.iou.value", seed)
        assert data["field"] == FIELD
        a, b = (np.asarray(data["params"][k], dtype=float) for k in ("a", "b"))
        assert a.shape == b.shape == (4,)
        assert a[0] < a[2] and a[1] < a[3] and b[0] < b[2] and b[1] < b[3]
        assert not np.array_equal(a, b)
        expected = iou_np(a, b)
        assert 0 < expected < 1
        np.testing.assert_allclose(data["answer"], expected, rtol=1e-12)


def test_qlearning_matches_independent_numpy(cli) -> None:
    for seed in SEEDS:
        data = sample(cli, "rl.qlearning.update", seed)
        p = data["params"]
        assert 0 < p["alpha"] <= 1 and 0 < p["gamma"] < 1
        np.testing.assert_allclose(data["answer"], q_update_np(p), rtol=1e-12, atol=1e-12)


def _iou_wrong(p):
    a, b = np.asarray(p["a"], dtype=float), np.asarray(p["b"], dtype=float)
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    area_a = (a[2] - a[0]) * (a[3] - a[1])
    area_b = (b[2] - b[0]) * (b[3] - b[1])
    w1 = max(0.0, min(a[2], b[2]) - max(a[0], b[0]) + 1)
    h1 = max(0.0, min(a[3], b[3]) - max(a[1], b[1]) + 1)
    a1 = (a[2] - a[0] + 1) * (a[3] - a[1] + 1)
    b1 = (b[2] - b[0] + 1) * (b[3] - b[1] + 1)
    return [
        (w1 * h1 / (a1 + b1 - w1 * h1), "plus_one_pixel"),
        (inter / (area_a + area_b), "sum_of_areas"),
        (inter / min(area_a, area_b), "over_smaller_box"),
    ]


def _q_wrong(p):
    q, r, g, qn, al = (p[k] for k in ("q", "r", "gamma", "q_next_max", "alpha"))
    return [
        (r + g * qn, "forgot_alpha"),
        (q + al * (r + qn - q), "forgot_gamma"),
        (q + al * (r + g * (qn - 1) - q), "sarsa_target"),
        (q - al * (r + g * qn - q), "sign_flipped"),
    ]


@pytest.mark.parametrize(
    ("template_id", "wrong"), [("det.iou.value", _iou_wrong), ("rl.qlearning.update", _q_wrong)]
)
def test_canonical_misconceptions_are_recognized(cli, template_id: str, wrong) -> None:
    for seed in range(8):
        data = sample(cli, template_id, seed)
        for value, tag in wrong(data["params"]):
            result = grade(cli, template_id, seed, f"{value:.6f}")
            assert result["valid"] and not result["correct"], (template_id, seed, tag)
            assert result["misconception"] == tag, (template_id, seed, tag, result)
            assert result["feedback"]


def test_canonical_rounded_answers_are_accepted(cli) -> None:
    for template_id in CANONICAL:
        for seed in range(8):
            data = sample(cli, template_id, seed)
            assert grade(cli, template_id, seed, f"{data['answer']:.3f}")["correct"]


# --------------------------------------------------------------------------- other calculations


def _params(template_id: str, seed: int) -> tuple[dict, object]:
    problem = generate(_template(template_id), seed)
    return dict(problem.params), problem.answer


def test_vision_counts_match_hand_formulas() -> None:
    for seed in range(10):
        p, ans = _params("vision.vit.tokens", seed)
        assert ans == (p["H"] // p["P"]) ** 2 + 1
        p, ans = _params("vision.mobilenet.cost_ratio", seed)
        assert ans == pytest.approx(1 / p["N"] + 1 / p["K"] ** 2, rel=1e-12)
        p, ans = _params("vision.mobilenet.params", seed)
        assert ans == p["M"] * p["K"] ** 2 + p["M"] * p["N"]
        p, ans = _params("vision.efficientnet.scaling", seed)
        assert ans == pytest.approx(p["d"] * p["w"] ** 2 * p["r"] ** 2, rel=1e-12)


def test_detection_and_segmentation_match_hand_formulas() -> None:
    for seed in range(10):
        p, kept = _params("det.nms.kept", seed)
        boxes, scores = np.asarray(p["boxes"], float), np.asarray(p["scores"], float)
        keep = []
        for i in np.argsort(-scores):
            if all(iou_np(boxes[i], boxes[j]) <= p["thr"] for j in keep):
                keep.append(i)
        assert sorted(keep) == sorted(np.asarray(p["keep"]).tolist())
        p, ans = _params("det.seg.dice", seed)
        a, b = np.asarray(p["A"]), np.asarray(p["B"])
        assert ans == pytest.approx(2 * (a * b).sum() / (a.sum() + b.sum()), rel=1e-12)
        p, ans = _params("det.seg.dilated_output", seed)
        k_eff = p["D"] * (p["K"] - 1) + 1
        assert ans == p["H"] + 2 * p["P"] - k_eff + 1
        p, ans = _params("det.ap.voc", seed)
        tp = np.asarray(p["tp"], float)
        ctp = np.cumsum(tp)
        prec = ctp / np.arange(1, 6)
        interp = np.maximum.accumulate(prec[::-1])[::-1]
        assert ans == pytest.approx(float((interp * tp).sum() / p["G"]), abs=1e-3)


def test_nlp_generative_rl_misc_match_hand_formulas() -> None:
    for seed in range(10):
        p, ans = _params("nlp.perplexity.value", seed)
        probs = np.asarray(p["p"], float)
        assert ans == pytest.approx(np.prod(1 / probs) ** (1 / len(probs)), rel=1e-9)
        p, ans = _params("gen.vae.kl", seed)
        mu, s2 = np.asarray(p["mu"], float), np.asarray(p["s2"], float)
        assert ans == pytest.approx(0.5 * np.sum(mu**2 + s2 - 1 - np.log(s2)), rel=1e-9)
        p, ans = _params("gen.gan.d_loss", seed)
        dr, df = np.asarray(p["dr"], float), np.asarray(p["df"], float)
        assert ans == pytest.approx(-np.mean(np.log(dr)) - np.mean(np.log(1 - df)), rel=1e-9)
        p, ans = _params("rl.return.discounted", seed)
        rw = np.asarray(p["rw"], float)
        assert ans == pytest.approx(sum(p["gamma"] ** t * x for t, x in enumerate(rw)), abs=1e-12)
        p, ans = _params("rl.sarsa.update", seed)
        q = np.asarray(p["Q"], float)
        target = p["r"] + p["gamma"] * q[1, p["b"] - 1]
        assert ans == pytest.approx(q[0, 0] + p["alpha"] * (target - q[0, 0]), abs=1e-12)
        p, ans = _params("appmisc.gcn.layer", seed)
        a_hat = np.asarray(p["A"], float) + np.eye(3)
        d = np.diag(1 / np.sqrt(a_hat.sum(axis=1)))
        h = d @ a_hat @ d @ np.asarray(p["X"], float) @ np.asarray(p["W"], float)
        np.testing.assert_allclose(ans, h[:, 0], rtol=1e-9)
        p, ans = _params("appmisc.gradcam.value", seed)
        act, g = np.asarray(p["Act"], float), np.asarray(p["G"], float)
        cam = np.einsum("c,chw->hw", g.mean(axis=(1, 2)), act)
        np.testing.assert_allclose(ans, np.maximum(cam, 0), atol=1e-12)
        p, ans = _params("appmisc.wavenet.receptive_field", seed)
        assert ans == 1 + (p["K"] - 1) * (2 ** p["L"] - 1)


def test_bleu_by_hand_for_one_sentence(cli) -> None:
    """'i like green tea' against 'i really like green tea': p1 = 1, p2 = 2/3, BP = e^(1 − 5/4)."""
    for seed in range(40):
        data = sample(cli, "nlp.bleu.value", seed)
        if data["params"]["k"] == 3:
            assert data["answer"] == pytest.approx(np.exp(1 - 5 / 4) * np.sqrt(2 / 3), rel=1e-12)
            assert (
                grade(cli, "nlp.bleu.value", seed, f"{np.sqrt(2 / 3):.4f}")["misconception"]
                == "no_brevity_penalty"
            )
            break
    else:
        pytest.fail("sentence 3 never drawn in 40 seeds")


def test_ctc_answer_is_the_collapsed_path(cli) -> None:
    def collapse(path: str) -> str:
        merged = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
        return "".join(c for c in merged if c != "-")

    for seed in range(8):
        data = sample(cli, "appmisc.ctc.collapse", seed)
        path = re.search(r'"([a-z-]+)"', data["prompt"]).group(1)
        assert data["choices"][data["answer"] - 1] == collapse(path)


def test_code_items_show_the_blank_in_both_languages(cli) -> None:
    for t in _templates():
        if not (t.code and "【ア】" in t.code):
            continue
        for lang in ("ja", "en"):
            data = sample(cli, t.id, 0, lang=lang)
            assert "【ア】" in data["prompt"], (t.id, lang)
            assert len(data["choices"]) == 4
