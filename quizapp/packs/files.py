"""Reading a pack (or blueprint) file safely: regular files only, never more than a limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from quizapp.i18n import t
from quizapp.packs.positions import PackIssue

MAX_FILE_BYTES = 1_000_000


def read_limited(
    path: Path, name: str, lang: str, *, limit: int = MAX_FILE_BYTES
) -> tuple[str | None, list[PackIssue]]:
    """The text of a file of at most `limit` bytes, or the issue that says why not.

    Only regular files are read (a folder, a device such as /dev/zero or a FIFO is refused
    without blocking), and never more than `limit` + 1 bytes, whatever the file claims.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, [PackIssue(name, 1, 1, "", t("pack.unreadable", lang, error=exc.strerror))]
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, [PackIssue(name, 1, 1, "", t("pack.not_regular", lang))]
        with open(fd, "rb", closefd=False) as fh:
            raw = fh.read(limit + 1)
    except OSError as exc:
        return None, [PackIssue(name, 1, 1, "", t("pack.unreadable", lang, error=exc.strerror))]
    finally:
        os.close(fd)
    if len(raw) > limit:
        size = max(info.st_size, len(raw))
        return None, [PackIssue(name, 1, 1, "", t("pack.too_large", lang, size=size, limit=limit))]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return None, [PackIssue(name, 1, 1, "", t("pack.not_utf8", lang))]
