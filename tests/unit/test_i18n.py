"""The message catalogues: quizapp/i18n/ja.toml and en.toml."""

from __future__ import annotations

import ast
import marshal
import re
import string
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from quizapp.i18n import CATALOGUE_DIR, LANGS, catalogue, has, t

QUIZAPP = Path(__file__).resolve().parents[2] / "quizapp"

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]")

# Japanese string literals that are data, not messages:
ALLOWED_JAPANESE = {
    # the five official exam fields and their legacy names: identifiers stored in packs,
    # blueprints and the progress store (their display names are `field.*` messages)
    "応用数学", "機械学習", "深層学習の基礎", "深層学習の応用", "開発・運用環境",
    "深層学習", "開発環境",
    # answers the grader reads (true/false words, full-width punctuation, choice letters)
    "はい", "正", "正しい", "まる", "丸", "いいえ", "誤", "誤り", "ばつ", "バツ",
    "ー", "；", "［", "］", "アイウエオカキク",
    # how a prompt asks for n decimal places (the grader's tolerance follows it)
    r"小数第\s*(\d+)\s*位まで",
}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_both_languages_have_the_same_keys():
    ja, en = set(catalogue("ja")), set(catalogue("en"))
    assert ja - en == set(), "only in ja.toml"
    assert en - ja == set(), "only in en.toml"
    assert len(en) > 400


def test_every_message_has_the_same_fields_in_both_languages():
    ja, en = catalogue("ja"), catalogue("en")
    differ = {key: (_fields(ja[key]), _fields(en[key])) for key in en
              if _fields(ja[key]) != _fields(en[key])}
    assert differ == {}


def test_every_message_is_text_and_not_empty():
    for lang in LANGS:
        for key, text in catalogue(lang).items():
            assert isinstance(text, str) and text.strip(), (lang, key)


def test_t_fills_fields_falls_back_and_names_unknown_keys():
    assert t("verdict.correct", "ja") == "正解"
    assert t("verdict.correct", "en") == "Correct"
    assert t("verdict.correct", "fr") == "Correct"
    assert "/p" in t("store.locked", "en", path="/p")
    assert t("no.such.key", "en") == "no.such.key"
    assert has("verdict.correct") and not has("no.such.key")


def test_catalogues_are_loaded_lazily():
    code = "import sys, quizapp.i18n as i; print(i.catalogue.cache_info().currsize)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "0"


@pytest.fixture
def fresh_catalogues(cache_dir):
    """Catalogues read again in this test (with its own cache folder), and after it."""
    catalogue.cache_clear()
    yield cache_dir
    catalogue.cache_clear()


def _parsed_from_toml(lang: str) -> dict[str, str]:
    return tomllib.loads((CATALOGUE_DIR / f"{lang}.toml").read_text(encoding="utf-8"))


def test_the_parsed_catalogue_is_cached_and_read_back_without_toml(fresh_catalogues,
                                                                   monkeypatch):
    expected = _parsed_from_toml("ja")
    assert dict(catalogue("ja")) == expected
    assert (fresh_catalogues / "messages-ja.marshal").is_file()
    catalogue.cache_clear()

    def no_toml(*args, **kwargs):
        raise AssertionError("the TOML was parsed again")

    monkeypatch.setattr(tomllib, "loads", no_toml)
    assert dict(catalogue("ja")) == expected


@pytest.mark.parametrize("damage", ["stale", "garbage", "truncated", "wrong shape",
                                    "not text", "others can write"])
def test_a_stale_damaged_or_foreign_cache_is_ignored_and_rewritten(fresh_catalogues, damage):
    catalogue("en")
    path = fresh_catalogues / "messages-en.marshal"
    key, messages = marshal.loads(path.read_bytes())
    catalogue.cache_clear()
    if damage == "stale":  # made from another en.toml
        path.write_bytes(marshal.dumps(("1:4:en:0:0", {"verdict.correct": "Stale"})))
    elif damage == "garbage":
        path.write_bytes(b"\x00not marshal at all")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "wrong shape":
        path.write_bytes(marshal.dumps([key]))
    elif damage == "not text":
        path.write_bytes(marshal.dumps((key, {"verdict.correct": 1})))
    else:  # right key, forged text, but the file is writable by others
        path.write_bytes(marshal.dumps((key, {**messages, "verdict.correct": "Forged"})))
        path.chmod(0o666)
    assert t("verdict.correct", "en") == "Correct"
    assert dict(catalogue("en")) == _parsed_from_toml("en")
    if damage != "others can write":  # rewritten from the TOML
        assert marshal.loads(path.read_bytes()) == (key, messages)


def test_no_cache_folder_still_reads_the_catalogue(fresh_catalogues, monkeypatch):
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", "off")
    assert t("verdict.correct", "ja") == "正解"
    assert not fresh_catalogues.exists()


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def test_no_japanese_prose_in_python_outside_the_catalogues():
    found = []
    for path in sorted(QUIZAPP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docs and JAPANESE.search(node.value)
                    and node.value not in ALLOWED_JAPANESE):
                found.append(f"{path.relative_to(QUIZAPP)}:{node.lineno}: {node.value[:40]}")
    assert found == []


def test_japanese_messages_use_full_width_brackets_and_colons():
    """The interface reads like the packs (test_content_japanese): （）around Japanese and
    ：after it, not ``(残り): 20``; a function call or a shape keeps half-width brackets."""
    import re

    from test_content_japanese import COLON, halfwidth_brackets

    bad = []
    for key, text in catalogue("ja").items():
        if key == "exam.places.phrase":  # a regular expression, not prose
            continue
        bare = re.sub(r"\{[a-z_0-9]*\}", "\ue000", text)
        bad += [f"{key}: {pair}" for pair in halfwidth_brackets(bare)]
        bad += [f"{key}: {m.group(0)}" for m in COLON.finditer(bare)]
        bad += [f"{key}: ?" for _ in re.finditer(r"[\u3040-\u30ff\u3400-\u9fff]\?", bare)]
    assert bad == []
