"""The user cache folder and its files: where they live, read only when private, written
atomically. Used by the catalogue cache and its index (``quizapp.packs``) and by the
message catalogues (``quizapp.i18n``). Standard library only: it runs before the first frame.

A cache file is read only if this user owns it and its folder and no one else can write
either (it may hold pickled objects); a file that cannot be read or written is no error,
the cache is simply skipped.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

CACHE_ENV = "QUIZAPP_CACHE_DIR"
"""A folder for the caches instead of the user cache folder; ``off`` (or empty) turns
caching off."""


def cache_dir() -> Path | None:
    """Where the caches live (None: caching is off)."""
    env = os.environ.get(CACHE_ENV)
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "none") else Path(env)
    try:
        from platformdirs import user_cache_dir
    except ImportError:  # pragma: no cover - platformdirs is a dependency
        return None
    return Path(user_cache_dir("quizapp", appauthor=False))


def private(info: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (always true where there are no uids)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    return info.st_uid == getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_private(path: Path, max_bytes: int) -> bytes | None:
    """The bytes of a private cache file in a private folder, at most ``max_bytes``; else
    None (missing, unreadable, too large, or others could have written it)."""
    try:
        with path.open("rb") as fh:
            info = os.fstat(fh.fileno())
            if not (private(path.parent.stat()) and private(info)):
                return None
            if info.st_size > max_bytes:
                return None
            return fh.read()
    except OSError:
        return None


def write_atomically(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file in the same folder (created
    private if missing), so that a reader never sees half a file. False on failure."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True
