"""What every subcommand shares: the user-facing error, the context, argument types."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quizapp.i18n import LANGS, default_lang, t


class QuizappError(Exception):
    """An error with a message for the user; exits with `code` and no traceback."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def argv_lang(argv: Sequence[str] | None) -> str:
    """The language asked for by ``--lang X`` / ``--lang=X`` in ``argv`` (before parsing, so
    that ``--lang ja --help`` is Japanese), else the environment's."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in LANGS:
            return value
    return default_lang()


def help_text(key: str, lang: str) -> str:
    """A help text of the command line (``cli.help.<key>``)."""
    return t(f"cli.help.{key}", lang)


def seed_type(lang: str) -> Any:
    def seed(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(help_text("seed_type", lang)) from None
        if n < 0:
            raise argparse.ArgumentTypeError(help_text("seed_type", lang))
        if n > 2**63 - 1:  # generation.MAX_SEED (not imported: the parser stays light)
            raise argparse.ArgumentTypeError(help_text("seed_range", lang).format(max=2**63 - 1))
        return n

    seed.__name__ = "seed"
    return seed


def positive_type(lang: str) -> Any:
    def positive(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(help_text("positive_type", lang)) from None
        if n < 1:
            raise argparse.ArgumentTypeError(help_text("positive_type", lang))
        return n

    positive.__name__ = "positive"
    return positive


def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


class Context:
    """What every subcommand needs: language, folders, and the catalogue on first use."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.lang: str = args.lang or default_lang()
        self.pack_dirs: list[str] = list(args.packs or [])
        self._catalog: Any = None
        self._data_dir: Path | None = None

    @property
    def data_dir(self) -> Path:
        if self._data_dir is None:
            from quizapp.progress.paths import data_dir

            try:
                self._data_dir = data_dir(self.args.data_dir)
            except OSError as exc:
                raise QuizappError(f"{self.args.data_dir or ''}: {exc.strerror}") from exc
        return self._data_dir

    def user_pack_dirs(self) -> list[Path]:
        """--packs folders, QUIZAPP_PACKS and the data folder's packs/ (if it is usable)."""
        from quizapp.packs.files import user_pack_dirs
        from quizapp.progress.records import StoreError

        try:
            data: Path | None = self.data_dir
        except (StoreError, QuizappError):  # no usable data folder: no packs in it
            data = None
        return user_pack_dirs(self.pack_dirs, data)

    def catalog_index(self) -> Any:
        """The index of the catalogue ``catalog()`` would load, when one is cached (the
        home tree is filled from it at start-up), else None."""
        from quizapp.packs.index import read_index

        return read_index(self.user_pack_dirs(), self.lang)

    def catalog(self) -> Any:
        if self._catalog is None:
            from quizapp.packs.loader import load_catalog

            self._catalog = load_catalog(self.user_pack_dirs(), lang=self.lang)
            if self._catalog.issues:
                print(t("cli.skipped_packs", self.lang), file=sys.stderr)
                for issue in self._catalog.issues:
                    print("  " + issue.format(), file=sys.stderr)
        return self._catalog

    def unknown_template(self, template_id: str) -> QuizappError:
        """The error for a template id that is not installed (did you mean …, or the list)."""
        near = self.catalog().suggest(template_id)
        hint = (
            t("cli.did_you_mean", self.lang, names=", ".join(near))
            if near
            else t("cli.list_hint", self.lang)
        )
        return QuizappError(t("cli.unknown_template", self.lang, id=template_id, hint=hint))

    def problem(self, template_id: str, seed: int) -> Any:
        from quizapp.packs.generation import GenerationError, generate

        catalog = self.catalog()
        ref = catalog.templates.get(template_id)
        if ref is None:
            raise self.unknown_template(template_id)
        try:
            return generate(
                ref.template, seed, pack_id=ref.pack.id, pack_version=str(ref.pack.version)
            )
        except GenerationError as exc:
            raise QuizappError(
                t("cli.generation_failed", self.lang, where=exc.where or "-", msg=exc.message), 1
            ) from exc
