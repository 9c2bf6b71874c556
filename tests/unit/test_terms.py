"""Issue 13 #13: one word per idea in the Japanese interface, no developer words."""

from __future__ import annotations

import re

from quizapp.i18n import catalogue


def _values(lang: str) -> dict[str, str]:
    return dict(catalogue(lang))


def test_one_word_per_idea_in_japanese():
    values = "\n".join(_values("ja").values())
    for unwanted, wanted in (("定着", "習得"), ("未学習", "新規"), ("未解答", "未回答")):
        assert unwanted not in values, f"use {wanted}, not {unwanted}"


def test_no_developer_words_in_japanese():
    for key, value in _values("ja").items():
        assert "テンプレート" not in value, key
        assert "部品" not in value, key
        prose = re.sub(r"\{\w+[^}]*\}", "", value).replace("--seed", "")
        assert not re.search(r"(?<![-\w`])seed(?![\w])", prose), key


def test_the_day_forecast_is_labelled():
    from quizapp.i18n import t

    assert "予定" in t("home.due_today", "ja", n=8)
    assert "forecast" in t("home.due_today", "en", n=8)
