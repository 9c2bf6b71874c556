"""The `quizapp` command: subcommands over the core, the TUI on demand.

Contracts (DESIGN.md "Command line"): global options go before or after the
subcommand; `packs validate` exits 0 when every file is valid, 1 otherwise;
`sample --json` and `grade --json` print one JSON object. Textual is imported
only by the subcommands that open the TUI.

Layout: ``base`` (errors, context, argument types), ``parser`` (one ``add_<name>``
function per subcommand, listed in ``SUBCOMMANDS``), ``packs``, ``problems`` and
``tools`` (the handlers).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from quizapp import gcpause
from quizapp.cli.base import Context, QuizappError, argv_lang
from quizapp.cli.parser import SUBCOMMANDS, build_parser
from quizapp.cli.problems import problem_json
from quizapp.cli.tools import cmd_tui
from quizapp.i18n import t


def dispatch(ctx: Context) -> int:
    return int(ctx.args.handler(ctx))


def _join_answer(argv: Sequence[str]) -> list[str]:
    """``--answer -log(0.35)`` → ``--answer=-log(0.35)`` (argparse would read the value,
    which starts with a minus sign, as an option)."""
    out = list(argv)
    for i in range(len(out) - 1):
        if out[i] == "--answer" and out[i + 1].startswith("-"):
            out[i : i + 2] = [f"--answer={out[i + 1]}"]
            break
    return out


def main(argv: Sequence[str] | None = None) -> int:
    gcpause.pause()  # start-up only: see quizapp.gcpause
    try:
        return _main(argv)
    finally:
        gcpause.resume()


def _main(argv: Sequence[str] | None) -> int:
    argv = _join_answer(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv_lang(argv), argv)
    args = parser.parse_args(argv)
    if args.handler is not cmd_tui:  # the TUI resumes the collector once the packs are in
        gcpause.resume()
    ctx = Context(args)
    try:
        return dispatch(ctx)
    except QuizappError as exc:
        print(f"quizapp: {exc.message}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("QUIZAPP_DEBUG"):
            raise
        print(t("cli.internal_error", ctx.lang, error=f"{type(exc).__name__}: {exc}"),
              file=sys.stderr)
        return 1


__all__ = ["SUBCOMMANDS", "Context", "QuizappError", "build_parser", "dispatch", "main",
           "problem_json"]
