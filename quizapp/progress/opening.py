"""Which store a command opens: ``--db`` / ``$QUIZAPP_DB`` / the data folder's file, and
``--profile`` / ``$QUIZAPP_PROFILE`` / the OS user name.

``open_progress`` is what the CLI and the TUI call. Commands that only read (``stats``,
``export``) pass ``read_only_ok=True``: a database or data folder they cannot write is then
opened read-only instead of refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quizapp.progress.backends import is_postgresql_url
from quizapp.progress.records import StoreError, check_profile, default_profile
from quizapp.progress.store import Store

ENV_DB = "QUIZAPP_DB"
ENV_PROFILE = "QUIZAPP_PROFILE"


def store_target(db: str | None, data_dir: Callable[[], Path]) -> str | Path:
    """``--db`` value, else ``$QUIZAPP_DB``, else ``progress.sqlite3`` in the data folder."""
    chosen = db or os.environ.get(ENV_DB)
    if chosen:
        return chosen if is_postgresql_url(chosen) else Path(chosen).expanduser()
    from quizapp.progress.paths import db_path

    return db_path(data_dir())


def profile_name(cli_value: str | None) -> str:
    """``--profile`` value, else ``$QUIZAPP_PROFILE``, else the OS user name (checked)."""
    chosen = cli_value or os.environ.get(ENV_PROFILE)
    return check_profile(chosen) if chosen else default_profile()


def open_progress(
    args: Any, data_dir: Callable[[], Path], *, read_only_ok: bool = False
) -> Store:
    """Open the store the command line asks for (``StoreError`` for the caller to show)."""
    profile = profile_name(getattr(args, "profile", None))
    target = store_target(getattr(args, "db", None), data_dir)
    try:
        return Store.open(target, profile=profile)
    except StoreError as exc:
        if not read_only_ok or isinstance(target, str):
            raise
        if exc.key not in ("store.read_only", "store.dir_unwritable"):
            raise
        if not target.exists():  # nothing was ever saved there: nothing to read
            return Store.memory(profile)
        return Store.open(target, profile=profile, read_only=True)
