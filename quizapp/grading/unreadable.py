"""What reading an answer starts from: the normalized text, and the error for text that
cannot be read (:class:`Unreadable`, a catalogue key and its fields)."""

from __future__ import annotations

import unicodedata
from typing import Any

MAX_SHOWN = 80  # characters of the learner's text repeated in a message


class Unreadable(Exception):
    """An answer that cannot be read: ``key`` names the message, ``params`` fill it."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def clip(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` characters (with '…') for a message that repeats it."""
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"


_TRANSLATE = str.maketrans(
    {
        "−": "-",  # minus sign
        "–": "-",
        "—": "-",
        "‐": "-",
        "ー": "-",  # katakana prolonged sound mark, typed for minus in IME
        "×": "*",
        "·": "*",
        "⋅": "*",
        "÷": "/",
        "、": ",",
        "。": ".",
        "；": ";",
        "［": "[",
        "］": "]",
    }
)


def normalize(text: str) -> str:
    """NFKC, Japanese punctuation and math signs to ASCII, surrounding spaces removed."""
    return unicodedata.normalize("NFKC", text).translate(_TRANSLATE).strip()
