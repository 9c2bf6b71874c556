"""The built-in pack `devops` (開発・運用環境): its calculation templates compute the same
answers as independent NumPy formulas from the params of `sample --json`, the listed
misconceptions are recognized by `grade --json`, and the chapter has the coverage and the
item shapes the content brief asks for. (tests/unit/test_content.py validates every pack
with 50 seeds; this file does not repeat that.)"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from pack_texts import localized_texts as _texts

from quizapp.packs.loader import read_pack
from quizapp.packs.model import Localized

PACK = Path(__file__).resolve().parents[2] / "questions" / "devops.yaml"
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


def expected(tid: str, p: dict):
    if tid == "devops.torch.iterations":
        return p["N"] // p["B"] if p["drop"] == 1 else -(-p["N"] // p["B"])
    if tid == "devops.amp.loss_scale":
        return p["gs"] / 2 ** p["n"]
    if tid == "devops.dist.ring_allreduce":
        return 2 * (p["N"] - 1) / p["N"] * 4 * p["P"]
    if tid == "devops.dist.lr_scaling":
        return p["lr0"] * p["N"] * p["b"] / p["B0"]
    if tid == "devops.dist.effective_batch":
        return p["N"] * p["b"] * p["a"]
    if tid == "devops.edge.latency":
        return p["F"] / p["X"] * 1000
    raise KeyError(tid)


CALCULATIONS = [
    "devops.torch.iterations", "devops.amp.loss_scale", "devops.dist.ring_allreduce",
    "devops.dist.lr_scaling", "devops.dist.effective_batch", "devops.edge.latency",
]  # fmt: skip


@pytest.mark.parametrize("template_id", CALCULATIONS)
def test_answers_match_an_independent_formula(cli, template_id: str) -> None:
    for seed in SEEDS:
        p, answer = _params(cli, template_id, seed)
        want = expected(template_id, p)
        assert np.allclose(answer, want, rtol=1e-9, atol=1e-12), (template_id, seed, p)


MISCONCEPTIONS = {
    "devops.torch.iterations": {"samples_not_batches": lambda p: p["N"]},
    "devops.amp.loss_scale": {"kept_scaled": lambda p: p["gs"]},
    "devops.dist.ring_allreduce": {
        "reduce_scatter_only": lambda p: (p["N"] - 1) / p["N"] * 4 * p["P"],
        "full_copy_to_each": lambda p: (p["N"] - 1) * 4 * p["P"],
    },
    "devops.dist.lr_scaling": {
        "scaled_by_gpus": lambda p: p["lr0"] * p["N"],
        "per_gpu_batch": lambda p: p["lr0"] * p["b"] / p["B0"],
    },
    "devops.dist.effective_batch": {"forgot_accumulation": lambda p: p["N"] * p["b"]},
    "devops.edge.latency": {"seconds_not_ms": lambda p: p["F"] / p["X"]},
}


@pytest.mark.parametrize("template_id", sorted(MISCONCEPTIONS))
def test_misconceptions_are_recognized(cli, template_id: str) -> None:
    for seed in (0, 1, 2):
        p, _ = _params(cli, template_id, seed)
        for tag, value in MISCONCEPTIONS[template_id].items():
            text = repr(float(value(p)))
            result = cli("grade", template_id, "--seed", str(seed), "--answer", text)
            assert result["correct"] is False, (template_id, seed, tag)
            assert result["misconception"] == tag, (template_id, seed, tag, result)


def test_listed_misconceptions_exist_in_the_pack() -> None:
    by_id = {t.id: t for t in _templates()}
    for template_id, tags in MISCONCEPTIONS.items():
        listed = {m.tag for m in by_id[template_id].misconceptions}
        assert set(tags) <= listed, template_id


def test_training_loop_blanks_follow_zero_grad_backward_step(cli) -> None:
    """Blank ア/イ/ウ of the loop is zero_grad / backward / step, whichever one is asked."""
    want = {1: "optimizer.zero_grad()", 2: "loss.backward()", 3: "optimizer.step()"}
    seen = set()
    for seed in range(15):
        data = cli("sample", "devops.torch.train_loop_code", "--seed", str(seed))
        q = data["params"]["q"]
        seen.add(q)
        assert data["choices"][data["answer"] - 1] == want[q], data
    assert seen == {1, 2, 3}


def test_multi_choice_has_a_varying_number_of_correct_options(cli) -> None:
    counts = {len(cli("sample", "devops.torch.mode_effects", "--seed", str(s))["answer"])
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
    assert len(templates) >= 17
    assert sum(1 for t in templates if t.params) / len(templates) >= 0.6
    assert {t.field for t in templates} == {"開発・運用環境"}
    assert {"frameworks", "accelerators", "distributed", "deployment"} <= {
        t.topic for t in templates
    }
    code = [t for t in templates if t.code]
    assert len(code) >= 10
    light = read_pack(PACK.with_name("dl_lightweight.yaml"))[0].pack.templates
    assert len(code) + sum(1 for t in light if t.code) >= 14  # both chapters together
    prompts_en = [t.prompt.en for t in templates]
    assert any("INCORRECT" in s for s in prompts_en)
    assert any("combination" in s for s in prompts_en)
    assert any(t.kind == "multi_choice" for t in templates)
    assert all(t.id.startswith("devops.") for t in templates)
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
