"""Reading a pack (or blueprint) file safely: regular files only, never more than a limit."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
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


# --- which files make the catalogue --------------------------------------------------------

PACK_SUFFIXES = (".yaml", ".yml")


def pack_files(paths: Iterable[Path]) -> list[Path]:
    """YAML files named directly, and those inside folders (sorted, not following hidden)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.suffix in PACK_SUFFIXES
                    and f.is_file()
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                )
            )
        else:
            files.append(p)
    return files


def builtin_dir() -> Path:
    """The shipped packs: inside the installed package, or `questions/` of a source checkout."""
    package = Path(__file__).resolve().parents[1]  # quizapp/
    installed = package / "_builtin_packs"
    if installed.is_dir():
        return installed
    return package.parent / "questions"


def user_pack_dirs(cli_dirs: Sequence[str] = (), data_dir: Path | None = None) -> list[Path]:
    """--packs folders, then QUIZAPP_PACKS (os.pathsep separated), then DATA_DIR/packs."""
    dirs = [Path(d) for d in cli_dirs]
    env = os.environ.get("QUIZAPP_PACKS")
    if env:
        dirs.extend(Path(d) for d in env.split(os.pathsep) if d)
    if data_dir is not None:
        dirs.append(data_dir / "packs")
    out: list[Path] = []
    for d in dirs:
        if d not in out:
            out.append(d)
    return out


def catalog_sources(dirs: Sequence[Path] = (), *, builtin: bool = True) -> list[tuple[Path, bool]]:
    """The pack files of a catalogue, in load order, each with whether it is built in."""
    sources: list[tuple[Path, bool]] = []
    if builtin:
        sources.extend((f, True) for f in pack_files([builtin_dir()]))
    sources.extend((f, False) for f in pack_files([d for d in dirs if d.exists()]))
    return sources
