"""The argument parser of `quizapp`, in the language of ``--lang`` (or the environment).

Each subcommand is one ``add_<name>(sub, lang)`` function listed in ``SUBCOMMANDS``: it adds
its parser and sets ``handler`` (a function of the ``Context``). To add a subcommand, write
such a function and append it to ``SUBCOMMANDS``.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from typing import Any

from quizapp import __version__
from quizapp.cli import packs as packs_cmds
from quizapp.cli import problems, tools
from quizapp.cli.base import help_text, positive_type, seed_type
from quizapp.i18n import LANGS, t


class _Formatter(argparse.HelpFormatter):
    """argparse's help with its own words ("usage:") in the chosen language, wrapped by
    terminal cells (a Japanese character takes two; argparse counts one) with Japanese line
    breaks, and section titles ending in a full-width colon in Japanese (「オプション：」)."""

    lang = "en"

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        if prefix is None:
            prefix = t("cli.argparse.usage", self.lang) + " "
        super().add_usage(usage, actions, groups, prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        from quizapp.i18n.layout import wrap

        return wrap(" ".join(text.split()), max(width, 11))

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        from quizapp.i18n.layout import wrap

        return "\n".join(indent + line
                         for line in wrap(" ".join(text.split()), max(width - len(indent), 11)))

    def format_help(self) -> str:
        text = super().format_help()
        # argparse ends each section title with ":"; Japanese prose takes "："
        colon = t("cli.argparse.title_colon", self.lang)
        return re.sub(r"^([^\s:][^\n]*[^\x00-\x7f][^\n]*):$",
                      lambda m: m.group(1) + colon, text, flags=re.M)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose section titles and -h text are in ``lang``."""

    def __init__(self, *args: Any, lang: str = "en", **kw: Any) -> None:
        formatter = type("Formatter", (_Formatter,), {"lang": lang})
        kw.setdefault("formatter_class", formatter)
        kw["add_help"] = False
        super().__init__(*args, **kw)
        self.lang = lang
        self._positionals.title = t("cli.argparse.positionals", lang)
        self._optionals.title = t("cli.argparse.options", lang)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=t("cli.argparse.help", lang))


def global_options(parser: argparse.ArgumentParser, lang: str, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--lang", choices=LANGS, default=default,
                        help=help_text("global.lang", lang))
    parser.add_argument("--data-dir", default=default, help=help_text("global.data_dir", lang))
    parser.add_argument("--packs", action="append", default=argparse.SUPPRESS if suppress else [],
                        metavar="DIR", help=help_text("global.packs", lang))
    parser.add_argument("--db", default=default, metavar="URL", help=help_text("global.db", lang))
    parser.add_argument("--profile", default=default, metavar="NAME",
                        help=help_text("global.profile", lang))


def command(sub: Any, name: str, lang: str, handler: Callable[[Any], int],
            help_key: str | None = None, **kw: Any) -> argparse.ArgumentParser:
    """A subcommand parser with the global options, its help text and its handler."""
    text = help_text(help_key or name, lang)
    p = sub.add_parser(name, help=text, description=kw.pop("description", text), lang=lang,
                       **kw)
    global_options(p, lang, suppress=True)
    p.set_defaults(handler=handler)
    return p


def add_study(sub: Any, lang: str) -> None:
    p = command(sub, "study", lang, tools.cmd_tui)
    p.add_argument("--topic", help=help_text("study.topic", lang))
    p.add_argument("--pack", help=help_text("study.pack", lang))
    p.add_argument("--template", help=help_text("study.template", lang))
    p.add_argument("--seed", type=seed_type(lang), help=help_text("study.seed", lang))
    p.add_argument("--cram", action="store_true", help=help_text("study.cram", lang))


def add_exam(sub: Any, lang: str) -> None:
    p = command(sub, "exam", lang, tools.cmd_tui)
    p.add_argument("--preset", default=None, help=help_text("exam.preset", lang))
    p.add_argument("--questions", type=positive_type(lang), help=help_text("exam.questions", lang))
    p.add_argument("--minutes", type=positive_type(lang), help=help_text("exam.minutes", lang))
    p.add_argument("--seed", type=seed_type(lang), help=help_text("exam.seed", lang))
    p.add_argument("--resume", action="store_true", help=help_text("exam.resume", lang))
    p.add_argument("--topic", action="append", help=help_text("exam.topic", lang))
    p.add_argument("--pack", action="append", help=help_text("exam.pack", lang))
    p.add_argument("--blueprint", metavar="FILE", help=help_text("exam.blueprint", lang))


def add_packs(sub: Any, lang: str) -> None:
    p = command(sub, "packs", lang, tools.cmd_tui)
    actions = p.add_subparsers(dest="packs_command", metavar="ACTION", required=True,
                               parser_class=Parser)
    p_list = command(actions, "list", lang, packs_cmds.cmd_packs_list, "packs.list")
    p_list.add_argument("--json", action="store_true", help=help_text("json", lang))
    p_val = command(actions, "validate", lang, packs_cmds.cmd_packs_validate, "packs.validate")
    p_val.add_argument("paths", nargs="*", metavar="PATH")
    p_val.add_argument("--seeds", type=positive_type(lang), default=20,
                       help=help_text("packs.validate.seeds", lang))
    p_val.add_argument("--builtin", action="store_true",
                       help=help_text("packs.validate.builtin", lang))
    p_val.add_argument("--strict", action="store_true",
                       help=help_text("packs.validate.strict", lang))
    command(actions, "schema", lang, packs_cmds.cmd_packs_schema, "packs.schema")
    p_prev = command(actions, "preview", lang, packs_cmds.cmd_packs_preview, "packs.preview")
    p_prev.add_argument("file", metavar="FILE", help=help_text("packs.preview.file", lang))
    p_prev.add_argument("--template", metavar="ID", help=help_text("packs.preview.template", lang))
    p_prev.add_argument("--seed", type=seed_type(lang), help=help_text("packs.preview.seed", lang))


def add_templates(sub: Any, lang: str) -> None:
    p = command(sub, "templates", lang, packs_cmds.cmd_templates)
    p.add_argument("--pack", help=help_text("templates.pack", lang))
    p.add_argument("--topic", help=help_text("templates.topic", lang))
    p.add_argument("--json", action="store_true", help=help_text("json", lang))


def add_sample(sub: Any, lang: str) -> None:
    p = command(sub, "sample", lang, problems.cmd_sample)
    p.add_argument("template_id", metavar="TEMPLATE_ID", help=help_text("template_id", lang))
    p.add_argument("--seed", type=seed_type(lang), default=0,
                   help=help_text("sample.seed", lang))
    p.add_argument("--json", action="store_true", help=help_text("json", lang))


def add_grade(sub: Any, lang: str) -> None:
    p = command(sub, "grade", lang, problems.cmd_grade,
                epilog=help_text("grade.exit_codes", lang))
    p.add_argument("template_id", metavar="TEMPLATE_ID", help=help_text("template_id", lang))
    p.add_argument("--seed", type=seed_type(lang), required=True,
                   help=help_text("grade.seed", lang))
    p.add_argument("--answer", required=True, help=help_text("grade.answer", lang))
    p.add_argument("--part", type=positive_type(lang), help=help_text("grade.part", lang))
    p.add_argument("--json", action="store_true", help=help_text("json", lang))


def add_progress(sub: Any, lang: str) -> None:
    stats = command(sub, "stats", lang, tools.cmd_stats)
    stats.add_argument("--json", action="store_true", help=help_text("json", lang))
    stats.add_argument("--cohort", action="store_true", help=help_text("stats.cohort", lang))
    export = command(sub, "export", lang, tools.cmd_export)
    export.add_argument("file", metavar="FILE", help=help_text("export.file", lang))
    imp = command(sub, "import", lang, tools.cmd_import)
    imp.add_argument("file", metavar="FILE")


def add_serve(sub: Any, lang: str) -> None:
    from quizapp.serve import add_arguments, cmd_serve

    add_arguments(command(sub, "serve", lang, cmd_serve), lambda key: help_text(key, lang))


SUBCOMMANDS: list[Callable[[Any, str], None]] = [
    add_study,
    add_exam,
    add_packs,
    add_templates,
    add_sample,
    add_grade,
    add_progress,
    add_serve,
]


class _Skipped:
    """Stands in for a subcommand's parser that this command line does not use: whatever
    its ``add_<name>`` function adds to it is dropped (only its name and help line stay)."""

    def __getattr__(self, name: str) -> Callable[..., Any]:
        return lambda *args, **kw: self


class _OnlyNamed:
    """The subparsers action for ``build_parser(argv=…)``: a subcommand whose name is not in
    the command line is added with its help line only (for ``--help`` and the list of
    choices); its options, which cost most of the parser's time, are not built."""

    def __init__(self, sub: Any, wanted: set[str]) -> None:
        self.sub = sub
        self.wanted = wanted

    def add_parser(self, name: str, **kw: Any) -> Any:
        if name in self.wanted:
            return self.sub.add_parser(name, **kw)
        self.sub.add_parser(name, help=kw.get("help"), lang=kw.get("lang", "en"))
        return _Skipped()


def build_parser(
    lang: str | None = None, argv: Sequence[str] | None = None
) -> argparse.ArgumentParser:
    """The parser; with ``argv``, only the subcommands named in it are built in full (the
    others list their names and help lines): ``quizapp`` alone starts sooner."""
    from quizapp.i18n import default_lang

    lang = lang or default_lang()
    parser = Parser(prog="quizapp", description=t("cli.description", lang), lang=lang)
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}",
                        help=t("cli.argparse.version", lang))
    global_options(parser, lang, suppress=False)
    parser.set_defaults(handler=tools.cmd_tui)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                title=t("cli.argparse.commands", lang), parser_class=Parser)
    target = sub if argv is None else _OnlyNamed(sub, set(argv))
    for add in SUBCOMMANDS:
        add(target, lang)
    return parser
