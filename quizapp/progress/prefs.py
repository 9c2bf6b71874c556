"""The settings the TUI needs before the full ``Settings`` model is loaded.

``quizapp.progress.settings`` is a pydantic model (pydantic costs ~150 ms to import), so the
first frame and the first fill of the home tree read their four settings here, straight
from the store, with the same ranges and defaults: a missing or invalid value gives the
default, exactly as ``Settings.load`` does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from quizapp.progress.records import StoreError
from quizapp.progress.scheduler import DEFAULT_NEW_LIMIT

NEW_LIMIT_RANGE = (0, 500)
RETENTION_RANGE = (0.7, 0.99)
DEFAULT_RETENTION = 0.9
THEME_MAX_LENGTH = 80


@dataclass(frozen=True)
class StartupPrefs:
    language: str | None = None
    """``ja``/``en`` when stored, else None (the locale decides)."""
    theme: str | None = None
    daily_new_limit: int = DEFAULT_NEW_LIMIT
    desired_retention: float = DEFAULT_RETENTION


def _int_in(value: Any, bounds: tuple[int, int], default: int) -> int:
    ok = isinstance(value, int) and not isinstance(value, bool)
    return value if ok and bounds[0] <= value <= bounds[1] else default


def _float_in(value: Any, bounds: tuple[float, float], default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return default
    return float(value) if bounds[0] <= value <= bounds[1] else default


def startup_prefs(store: Any) -> StartupPrefs:
    """The four settings, or the defaults when the store cannot be read."""
    try:
        stored = store.settings()
    except StoreError:
        return StartupPrefs()
    lang, theme = stored.get("language"), stored.get("theme")
    limit, retention = stored.get("daily_new_limit"), stored.get("desired_retention")
    return StartupPrefs(
        language=lang if lang in ("ja", "en") else None,
        theme=theme if isinstance(theme, str) and 0 < len(theme) <= THEME_MAX_LENGTH else None,
        daily_new_limit=_int_in(limit, NEW_LIMIT_RANGE, DEFAULT_NEW_LIMIT),
        desired_retention=_float_in(retention, RETENTION_RANGE, DEFAULT_RETENTION),
    )
