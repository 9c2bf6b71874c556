"""User settings: defaults, the store round trip, bad values, the settings screen's texts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from quizapp.i18n import LANGS
from quizapp.progress import settings as settings_module
from quizapp.progress.settings import (
    DEFAULT_THEME,
    STARTUP_KEYS,
    SettingError,
    Settings,
    field_help,
    field_label,
    language_name,
    parse_setting,
)
from quizapp.progress.store import Store


@pytest.fixture
def store():
    s = Store.memory()
    yield s
    s.close()


def test_defaults(store, monkeypatch):
    monkeypatch.setenv("QUIZAPP_LANG", "ja")
    s = Settings.load(store)
    assert s.language == "ja"
    assert s.theme == DEFAULT_THEME == "textual-dark"
    assert s.daily_new_limit == 20
    assert s.desired_retention == 0.9
    monkeypatch.setenv("QUIZAPP_LANG", "en")
    assert Settings.load(store).language == "en"


def test_every_field_has_a_docstring():
    for name, info in Settings.model_fields.items():
        assert info.description and len(info.description) > 20, name


def test_round_trip_one_key_per_field(store):
    s = Settings(language="en", theme="nord", daily_new_limit=5, desired_retention=0.85)
    s.save(store)
    assert store.settings() == {
        "language": "en",
        "theme": "nord",
        "daily_new_limit": 5,
        "desired_retention": 0.85,
    }
    assert Settings.load(store) == s
    s.theme = "gruvbox"
    s.save(store, ("theme",))
    assert store.get_setting("theme") == "gruvbox"
    assert Settings.load(store).theme == "gruvbox"


def test_startup_keys_are_fields():
    assert set(STARTUP_KEYS) <= set(Settings.model_fields)


def test_bad_stored_values_fall_back_to_defaults(store):
    store.set_setting("language", "fr")
    store.set_setting("daily_new_limit", "lots")
    store.set_setting("desired_retention", 5)
    store.set_setting("theme", "nord")
    store.set_setting("something_newer", {"a": 1})
    s = Settings.load(store)
    assert s.language in LANGS
    assert s.daily_new_limit == 20
    assert s.desired_retention == 0.9
    assert s.theme == "nord"


@pytest.mark.parametrize("stored", [
    {},
    {"language": "ja", "theme": "nord", "daily_new_limit": 35, "desired_retention": 0.85},
    {"language": "en", "daily_new_limit": 0, "desired_retention": 0.7},
    {"daily_new_limit": 500, "desired_retention": 0.99, "theme": "x" * 80},
    {"language": "fr", "theme": "", "daily_new_limit": -1, "desired_retention": 5},
    {"daily_new_limit": 501, "desired_retention": 0.5, "theme": "x" * 81},
    {"daily_new_limit": "lots", "desired_retention": "high", "theme": 3, "language": None},
    {"daily_new_limit": True, "desired_retention": float("nan")},
])
def test_startup_prefs_read_what_the_settings_model_reads(store, stored):
    """The first frame and the first home tree read four settings without pydantic
    (quizapp.progress.prefs); they must agree with Settings.load."""
    from quizapp.progress.prefs import startup_prefs

    for key, value in stored.items():
        store.set_setting(key, value)
    prefs = startup_prefs(store)
    full = Settings.load(store)
    assert prefs.daily_new_limit == full.daily_new_limit
    assert prefs.desired_retention == full.desired_retention
    assert (prefs.theme or DEFAULT_THEME) == full.theme
    if prefs.language is not None:
        assert prefs.language == full.language
    else:
        assert store.get_setting("language") not in LANGS


def test_assignment_is_validated():
    s = Settings(language="en")
    with pytest.raises(ValidationError):
        s.daily_new_limit = -1
    with pytest.raises(ValidationError):
        s.language = "de"


def test_parse_setting_values():
    assert parse_setting("daily_new_limit", " 15 ") == 15
    assert parse_setting("desired_retention", "0.85") == 0.85
    assert parse_setting("desired_retention", "90%") == pytest.approx(0.9)
    assert parse_setting("language", "ja") == "ja"
    assert parse_setting("theme", "nord", themes=["nord", "textual-dark"]) == "nord"


@pytest.mark.parametrize(
    ("name", "raw", "en", "ja"),
    [
        ("daily_new_limit", "abc", "whole number from 0 to 500", "0〜500 の整数"),
        ("daily_new_limit", "9999", "you typed “9999”", "「9999」"),
        ("desired_retention", "0.5", "number from 0.7 to 0.99", "0.7〜0.99"),
        ("language", "fr", "choose one of: ja, en", "ja, en"),
    ],
)
def test_parse_setting_errors_in_both_languages(name, raw, en, ja):
    with pytest.raises(SettingError) as err:
        parse_setting(name, raw)
    assert en in err.value.text("en")
    assert ja in err.value.text("ja")


def test_unknown_theme_is_refused():
    with pytest.raises(SettingError) as err:
        parse_setting("theme", "neon", themes=["nord", "textual-dark"])
    assert "nord, textual-dark" in err.value.text("en")


def test_labels_exist_in_both_languages():
    for name in Settings.model_fields:
        for lang in LANGS:
            assert field_label(name, lang) != f"settings.{name}"
            assert field_help(name, lang) != f"settings.{name}.help"
    assert "500" in field_help("daily_new_limit", "en")
    assert language_name("ja", "en") == "日本語 (Japanese)"
    assert language_name("en", "ja") == "English（英語）"


def test_module_does_not_import_textual():
    assert "textual" not in settings_module.__dict__
