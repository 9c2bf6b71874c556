"""Where quizapp keeps its files: the data folder, the user's packs, the progress database.

The data folder is chosen, first match wins, from

1. the ``--data-dir`` command-line value,
2. the environment variable ``QUIZAPP_HOME``,
3. ``platformdirs.user_data_dir("quizapp")`` (``~/.local/share/quizapp`` on Linux).

It is created when missing.
"""

from __future__ import annotations

import os
from pathlib import Path

from quizapp.progress.records import StoreError

ENV_HOME = "QUIZAPP_HOME"
"""Environment variable that overrides the default data folder."""

PACKS_DIRNAME = "packs"
DB_FILENAME = "progress.sqlite3"


def data_dir(cli_value: str | None = None) -> Path:
    """Return the data folder (``--data-dir``, else ``$QUIZAPP_HOME``, else the platform's).

    The folder is created, with its parents, if it does not exist yet. A path that cannot
    be created (a file in the way, no permission) raises ``StoreError``
    (key ``store.dir_unwritable``) rather than a bare ``OSError``.
    """
    if cli_value:
        chosen = Path(cli_value)
    elif os.environ.get(ENV_HOME):
        chosen = Path(os.environ[ENV_HOME])
    else:
        import platformdirs  # only needed for the default

        chosen = Path(platformdirs.user_data_dir("quizapp"))
    chosen = chosen.expanduser()
    try:
        chosen.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError("store.dir_unwritable", path=str(chosen), detail=str(exc)) from exc
    if not chosen.is_dir():
        raise StoreError("store.dir_unwritable", path=str(chosen), detail="not a directory")
    return chosen


def user_packs_dir(data_dir: Path) -> Path:
    """The folder for the user's own packs inside the data folder (not created here)."""
    return Path(data_dir) / PACKS_DIRNAME


def db_path(data_dir: Path) -> Path:
    """The progress database inside the data folder."""
    return Path(data_dir) / DB_FILENAME
