"""User settings: a pydantic model kept in the progress store's ``settings`` table.

Each field is stored under its own key (the field name) as JSON, so changing one
setting is one small write and an unknown key from a newer version is left alone.
A stored value that does not validate (a hand-edited file, a theme from a newer
Textual) is ignored and the default used: a bad setting never stops the app.

The TUI reads ``STARTUP_KEYS`` for its first frame and the first fill of the home tree
straight from the store (``quizapp.progress.prefs``) so that pydantic (~150 ms to import) is
not on the start-up path; the full model is loaded in the background with the question packs.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from quizapp.i18n import LANGS, LocalizedError, default_lang, t
from quizapp.progress.prefs import (
    DEFAULT_RETENTION,
    NEW_LIMIT_RANGE,
    RETENTION_RANGE,
    THEME_MAX_LENGTH,
)
from quizapp.progress.scheduler import DEFAULT_NEW_LIMIT
from quizapp.progress.store import Store

DEFAULT_THEME = "textual-dark"
STARTUP_KEYS = ("language", "theme", "daily_new_limit", "desired_retention")
"""Settings the TUI needs before the first frame (read without this module)."""




class Settings(BaseModel):
    """What the user can change on the settings screen (saved in the progress store)."""

    model_config = ConfigDict(
        validate_assignment=True, extra="ignore", use_attribute_docstrings=True
    )

    language: Literal["ja", "en"] = Field(default_factory=default_lang)
    """The interface language, `ja` or `en`. The default comes from the locale
    (QUIZAPP_LANG, LC_ALL, LC_MESSAGES, LANG); `--lang` overrides it for one run."""

    theme: str = Field(default=DEFAULT_THEME, min_length=1, max_length=THEME_MAX_LENGTH)
    """The name of a Textual theme, e.g. `textual-dark`, `nord`, `gruvbox`. A name this
    Textual does not know is replaced by `textual-dark` when the app starts."""

    daily_new_limit: int = Field(
        default=DEFAULT_NEW_LIMIT, ge=NEW_LIMIT_RANGE[0], le=NEW_LIMIT_RANGE[1], strict=True
    )
    """How many templates never studied before are introduced per local day. Due
    reviews are never limited."""

    desired_retention: float = Field(
        default=DEFAULT_RETENTION, ge=RETENTION_RANGE[0], le=RETENTION_RANGE[1], strict=True
    )
    """The probability of recalling an item at its review that FSRS schedules for.
    Higher values mean shorter intervals and more reviews."""

    @classmethod
    def load(cls, store: Store) -> Settings:
        """The stored settings; a missing or invalid value gives the field's default."""
        stored = store.settings()
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            if name not in stored:
                continue
            try:
                cls.model_validate({name: stored[name]})
            except ValidationError:
                continue  # a bad stored value: keep the default, lose nothing else
            values[name] = stored[name]
        return cls.model_validate(values)

    def save(self, store: Store, fields: tuple[str, ...] | None = None) -> None:
        """Write ``fields`` (default: every field) to the store, one key per field."""
        data = self.model_dump()
        for name in fields or tuple(type(self).model_fields):
            store.set_setting(name, data[name])


class SettingError(LocalizedError, ValueError):
    """A value the user typed for a setting that cannot be used; ``text(lang)`` says why."""


def parse_setting(
    name: str, raw: str, *, themes: tuple[str, ...] | list[str] | None = None
) -> Any:
    """Read what the user typed for the setting ``name``; ``SettingError`` if unusable.

    ``themes``: the theme names available (checked when given).
    """
    text = raw.strip()
    if name == "language":
        if text not in LANGS:
            raise SettingError("settings.bad_choice", text=raw, allowed=", ".join(LANGS))
        return text
    if name == "theme":
        if not text or (themes is not None and text not in themes):
            allowed = ", ".join(sorted(themes or ())) or DEFAULT_THEME
            raise SettingError("settings.bad_choice", text=raw, allowed=allowed)
        return text
    if name == "daily_new_limit":
        lo, hi = NEW_LIMIT_RANGE
        try:
            value = int(text)
        except ValueError:
            raise SettingError("settings.bad_int", text=raw, min=lo, max=hi) from None
        if not lo <= value <= hi:
            raise SettingError("settings.bad_int", text=raw, min=lo, max=hi)
        return value
    if name == "desired_retention":
        lo, hi = RETENTION_RANGE
        try:
            value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
        except ValueError:
            raise SettingError("settings.bad_number", text=raw, min=lo, max=hi) from None
        if not lo <= value <= hi:
            raise SettingError("settings.bad_number", text=raw, min=lo, max=hi)
        return value
    raise KeyError(name)


def field_label(name: str, lang: str) -> str:
    """The label of a setting on the settings screen."""
    return t(f"settings.{name}", lang)


def field_help(name: str, lang: str) -> str:
    """The one-line explanation of a setting on the settings screen."""
    lo, hi = NEW_LIMIT_RANGE if name == "daily_new_limit" else RETENTION_RANGE
    return t(f"settings.{name}.help", lang, min=lo, max=hi)


def language_name(lang: str, in_lang: str) -> str:
    """How the language ``lang`` is named in the interface language ``in_lang``."""
    return t(f"lang.{lang}", in_lang)
