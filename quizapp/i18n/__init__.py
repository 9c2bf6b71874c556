"""Messages a user reads, in Japanese and English.

Every user-facing string lives in a catalogue file per language, ``ja.toml`` and ``en.toml``
beside this module, keyed by a dotted id (``"verdict.correct"``; the first part names the area
that shows it). Both files have the same keys and the same ``{fields}`` per key.
``t(key, lang, **params)`` picks the language and fills the fields. A catalogue is read
the first time a message of its language is asked for, then kept. Reading TOML costs about
15 ms of the start-up (the ``tomllib`` import and the parse), so the parsed messages are
also kept in the user cache folder (``quizapp.cachefiles``), keyed by the TOML file's
length and CRC-32: an edited catalogue is read from TOML again.
"""

from __future__ import annotations

import locale
import marshal
import os
import zlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from quizapp.cachefiles import cache_dir, read_private, write_atomically

LANGS = ("ja", "en")
DEFAULT_LANG = "ja"

CATALOGUE_DIR = Path(__file__).parent
CACHE_FORMAT = 1
_MAX_CACHE_BYTES = 4_000_000


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Every message of `lang` (``ja`` or ``en``), read once from ``<lang>.toml`` (or from
    the cache of its parsed form, when that was made from the same file)."""
    if lang not in LANGS:
        raise ValueError(f"no catalogue for language {lang!r}")
    raw = (CATALOGUE_DIR / f"{lang}.toml").read_bytes()
    key = f"{CACHE_FORMAT}:{marshal.version}:{lang}:{len(raw)}:{zlib.crc32(raw)}"
    folder = cache_dir()
    path = folder / f"messages-{lang}.marshal" if folder is not None else None
    messages = _cached(path, key) if path is not None else None
    if messages is None:
        import tomllib

        messages = tomllib.loads(raw.decode("utf-8"))
        if path is not None:
            write_atomically(path, marshal.dumps((key, messages)))
    return messages


def _cached(path: Path, key: str) -> dict[str, str] | None:
    """The messages cached at ``path`` under ``key``; None when missing, stale or damaged."""
    raw = read_private(path, _MAX_CACHE_BYTES)
    if raw is None:
        return None
    try:
        stored_key, messages = marshal.loads(raw)
    except Exception:  # damaged, or written by another Python: ignored, rewritten
        return None
    if stored_key != key or not isinstance(messages, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in messages.items()):
        return None
    return messages


def has(key: str) -> bool:
    """Whether the catalogue has a message `key`."""
    return key in catalogue("en")


def t(key: str, lang: str, /, **params: object) -> str:
    """The message `key` in `lang`, with `{name}` fields filled from params.

    An unknown language reads English; an unknown key reads as the key itself.
    """
    text = catalogue(lang if lang in LANGS else "en").get(key) or catalogue("en").get(key)
    if text is None:
        return key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


class LocalizedError(Exception):
    """An error to tell the user in their language: ``key`` names a message of the
    catalogues, ``params`` fill it in; ``str()`` is the English text, ``text(lang)`` any."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(t(key, "en", **params))

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` ("ja" or "en")."""
        return t(self.key, lang, **self.params)


def text_in(text: Any, lang: str) -> str:
    """A pack's text in `lang`: one string for every language, or an object whose
    ``get(lang)`` picks one (``Localized`` of the pack model, ``IndexText`` of the index)."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return str(text.get(lang))


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
