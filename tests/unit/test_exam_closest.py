"""Issue 13 #12: numeric items shown with four options ask for the closest value."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.exam import build_exam, make_spec
from quizapp.exam.items import closest_value_prompt
from quizapp.packs.loader import load_catalog

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"


@pytest.mark.parametrize("text, expected", [
    ("x = 2 における σ'(x) を小数第 3 位まで求めよ。", "x = 2 における σ'(x) を求めよ。最も近い値を選べ。"),
    ("H を求めよ（自然対数、小数第 3 位まで）。", "H を求めよ（自然対数）。最も近い値を選べ。"),
    ("何倍になるか（小数第 2 位まで、バイアスは無視）。", "何倍になるか（バイアスは無視）。最も近い値を選べ。"),
    ("何倍になるか。小数第 2 位まで求めよ。", "何倍になるか。最も近い値を選べ。"),
])
def test_japanese_stems(text, expected):
    assert closest_value_prompt(text, "ja") == expected


@pytest.mark.parametrize("text, expected", [
    ("Compute ∂E/∂u (to 3 decimal places).", "Compute ∂E/∂u. Choose the closest value."),
    ("Give H in bits (to 3 decimal places; log₂ 3 ≈ 1.585).",
     "Give H in bits (log₂ 3 ≈ 1.585). Choose the closest value."),
    ("Compute σ(x) at x = 2 to 3 decimal places", "Compute σ(x) at x = 2. Choose the closest value."),
])
def test_english_stems(text, expected):
    assert closest_value_prompt(text, "en") == expected


def test_converted_exam_questions_ask_for_the_closest_value():
    catalog = load_catalog([GOOD], builtin=False)
    exam = build_exam(catalog, make_spec(questions=9, seed=4))
    converted = [q for q in exam.questions if q.converted]
    assert converted
    for q in converted:
        assert q.prompt("ja").endswith("最も近い値を選べ。")
        assert q.prompt("en").endswith("Choose the closest value.")
        assert "decimal places" not in q.prompt("en")
    for q in exam.questions:
        if not q.converted:
            assert "closest" not in q.prompt("en")
