"""Messages a user reads, in Japanese and English.

Every user-facing string lives in a catalogue keyed by a dotted id, with a
`ja` and an `en` text. `t(key, lang, **params)` picks the language and fills
`{name}` fields. Modules that own many messages keep their own catalogue dict
and register it with `add_messages` (the store does this).
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping

LANGS = ("ja", "en")
DEFAULT_LANG = "ja"

MESSAGES: dict[str, dict[str, str]] = {}


def add_messages(catalogue: Mapping[str, Mapping[str, str]]) -> None:
    """Merge a catalogue of `{key: {"ja": ..., "en": ...}}` into MESSAGES."""
    for key, texts in catalogue.items():
        missing = [lang for lang in LANGS if lang not in texts]
        if missing:
            raise ValueError(f"message {key!r} lacks {', '.join(missing)}")
        MESSAGES[key] = dict(texts)


def t(key: str, lang: str, /, **params: object) -> str:
    """The message `key` in `lang`, with `{name}` fields filled from params."""
    texts = MESSAGES.get(key)
    if texts is None:
        return key
    text = texts.get(lang) or texts["en"]
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def normalize_lang(value: str | None) -> str | None:
    """'ja_JP.UTF-8' -> 'ja', 'en' -> 'en', anything else -> None."""
    if not value:
        return None
    code = value.split(".")[0].split("_")[0].split("-")[0].lower()
    return code if code in LANGS else None


def default_lang() -> str:
    """The language from the environment (QUIZAPP_LANG, LC_ALL, LC_MESSAGES, LANG), else ja."""
    for var in ("QUIZAPP_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        lang = normalize_lang(os.environ.get(var))
        if lang:
            return lang
    try:
        lang = normalize_lang(locale.getlocale()[0])
    except ValueError:
        lang = None
    return lang or DEFAULT_LANG


def pick(text: Mapping[str, str] | str, lang: str) -> str:
    """A localized text (a plain string, or a {ja, en} mapping) in `lang`."""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get("en") or text.get("ja") or next(iter(text.values()), "")


add_messages(
    {
        # verdicts (contract: DESIGN.md "The study screen")
        "verdict.correct": {"ja": "正解", "en": "Correct"},
        "verdict.incorrect": {"ja": "不正解", "en": "Incorrect"},
        "verdict.invalid": {"ja": "読み取れない回答", "en": "Unreadable answer"},
        # answer reading
        "answer.empty": {"ja": "回答が空です。", "en": "The answer is empty."},
        "answer.not_number": {
            "ja": "数値として読めませんでした: 「{text}」。例: 0.25, 1/4, 2.5e-3",
            "en": "Could not read a number from “{text}”. Examples: 0.25, 1/4, 2.5e-3",
        },
        "answer.not_finite": {
            "ja": "有限の数値を入力してください: 「{text}」",
            "en": "Enter a finite number: “{text}”",
        },
        "answer.bad_shape": {
            "ja": "形が違います: {got} と読みましたが、{want} が必要です。",
            "en": "Wrong shape: read {got}, but {want} is needed.",
        },
        "answer.ragged": {
            "ja": "行ごとの要素数が揃っていません。",
            "en": "The rows do not have the same number of entries.",
        },
        "answer.bad_choice": {
            "ja": "1〜{n} の番号で答えてください(読み取り: 「{text}」)。",
            "en": "Answer with a number from 1 to {n} (read: “{text}”).",
        },
        "answer.bad_multi": {
            "ja": "1〜{n} の番号をカンマか空白で区切って答えてください(例: 1,3)。",
            "en": "Answer with numbers from 1 to {n}, separated by commas or spaces (e.g. 1,3).",
        },
        "answer.bad_bool": {
            "ja": "○/×、true/false、はい/いいえ のいずれかで答えてください。",
            "en": "Answer true/false (also accepted: yes/no, ○/×, t/f).",
        },
        "answer.bad_formula": {
            "ja": "式として読めませんでした: {detail}",
            "en": "Could not read a formula: {detail}",
        },
        "answer.read_as": {"ja": "読み取り: {parsed}", "en": "Read as: {parsed}"},
        # feedback
        "feedback.correct": {"ja": "正解です。", "en": "Correct."},
        "feedback.incorrect": {
            "ja": "不正解です。正解は {answer} です。",
            "en": "Incorrect. The answer is {answer}.",
        },
        "feedback.cells": {
            "ja": "違う要素: {cells}",
            "en": "Wrong entries: {cells}",
        },
        "feedback.tolerance": {
            "ja": "許容誤差: {tol}",
            "en": "Tolerance: {tol}",
        },
        "feedback.formula_differs": {
            "ja": "{point} で値が異なります(あなたの式: {got}, 正しい式: {want})。",
            "en": "Your formula differs at {point} (yours: {got}, correct: {want}).",
        },
        "bool.true": {"ja": "正しい(○)", "en": "True"},
        "bool.false": {"ja": "誤り(×)", "en": "False"},
        # fields of the exam
        "field.応用数学": {"ja": "応用数学", "en": "Applied mathematics"},
        "field.機械学習": {"ja": "機械学習", "en": "Machine learning"},
        "field.深層学習の基礎": {"ja": "深層学習の基礎", "en": "Deep learning foundations"},
        "field.深層学習の応用": {"ja": "深層学習の応用", "en": "Deep learning applications"},
        "field.開発・運用環境": {"ja": "開発・運用環境", "en": "Development and operations"},
        # kinds
        "kind.numeric": {"ja": "数値", "en": "number"},
        "kind.vector": {"ja": "ベクトル", "en": "vector"},
        "kind.matrix": {"ja": "行列", "en": "matrix"},
        "kind.single_choice": {"ja": "択一", "en": "single choice"},
        "kind.multi_choice": {"ja": "複数選択", "en": "multiple choice"},
        "kind.expression": {"ja": "数式", "en": "formula"},
        "kind.true_false": {"ja": "正誤", "en": "true/false"},
    }
)
