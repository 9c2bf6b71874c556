"""The `quizapp` command: subcommands over the core, the TUI on demand.

Contracts (DESIGN.md "Command line"): global options go before or after the
subcommand; `packs validate` exits 0 when every file is valid, 1 otherwise;
`sample --json` and `grade --json` print one JSON object. Textual is imported
only by the subcommands that open the TUI.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quizapp import __version__
from quizapp.i18n import LANGS, default_lang, t


class QuizappError(Exception):
    """An error with a message for the user; exits with `code` and no traceback."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _help(key: str) -> str:
    """A help text of the command line (``cli.help.<key>``) in the environment's language."""
    return t(f"cli.help.{key}", default_lang())


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--lang", choices=LANGS, default=default, help=_help("global.lang")
    )
    parser.add_argument(
        "--data-dir",
        default=default,
        help=_help("global.data_dir"),
    )
    parser.add_argument(
        "--packs",
        action="append",
        default=argparse.SUPPRESS if suppress else [],
        metavar="DIR",
        help=_help("global.packs"),
    )


def _seed(value: str) -> int:
    try:
        seed = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_help("seed_type")) from None
    if seed < 0:
        raise argparse.ArgumentTypeError(_help("seed_type"))
    return seed


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_help("positive_type")) from None
    if n < 1:
        raise argparse.ArgumentTypeError(_help("positive_type"))
    return n


def build_parser() -> argparse.ArgumentParser:
    lang = default_lang()
    parser = argparse.ArgumentParser(prog="quizapp", description=t("cli.description", lang))
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    _global_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _global_options(p, suppress=True)
        return p

    study = command("study", _help("study"))
    study.add_argument("--topic", help=_help("study.topic"))
    study.add_argument("--pack", help=_help("study.pack"))
    study.add_argument("--template", help=_help("study.template"))
    study.add_argument("--seed", type=_seed, help=_help("study.seed"))
    study.add_argument("--cram", action="store_true", help=_help("study.cram"))

    exam = command(
        "exam",
        _help("exam"),
    )
    exam.add_argument("--preset", default=None, help=_help("exam.preset"))
    exam.add_argument("--questions", type=_positive, help=_help("exam.questions"))
    exam.add_argument("--minutes", type=_positive, help=_help("exam.minutes"))
    exam.add_argument("--seed", type=_seed, help=_help("exam.seed"))
    exam.add_argument("--resume", action="store_true", help=_help("exam.resume"))
    exam.add_argument("--topic", action="append", help=_help("exam.topic"))
    exam.add_argument("--pack", action="append", help=_help("exam.pack"))
    exam.add_argument(
        "--blueprint", metavar="FILE", help=_help("exam.blueprint")
    )

    packs = command("packs", _help("packs"))
    packs_sub = packs.add_subparsers(dest="packs_command", metavar="ACTION", required=True)
    p_list = packs_sub.add_parser("list", help=_help("packs.list"))
    p_list.add_argument("--json", action="store_true")
    _global_options(p_list, suppress=True)
    p_val = packs_sub.add_parser("validate", help=_help("packs.validate"))
    p_val.add_argument("paths", nargs="*", metavar="PATH")
    p_val.add_argument("--seeds", type=_positive, default=20, help=_help("packs.validate.seeds"))
    p_val.add_argument("--builtin", action="store_true", help=_help("packs.validate.builtin"))
    p_val.add_argument("--strict", action="store_true", help=_help("packs.validate.strict"))
    _global_options(p_val, suppress=True)
    p_schema = packs_sub.add_parser("schema", help=_help("packs.schema"))
    _global_options(p_schema, suppress=True)

    sample = command("sample", _help("sample"))
    sample.add_argument("template_id", metavar="TEMPLATE_ID")
    sample.add_argument("--seed", type=_seed, default=0)
    sample.add_argument("--json", action="store_true")

    grade_p = command("grade", _help("grade"))
    grade_p.add_argument("template_id", metavar="TEMPLATE_ID")
    grade_p.add_argument("--seed", type=_seed, required=True)
    grade_p.add_argument("--answer", required=True)
    grade_p.add_argument("--json", action="store_true")

    stats = command("stats", _help("stats"))
    stats.add_argument("--json", action="store_true")
    export = command("export", _help("export"))
    export.add_argument("file", metavar="FILE", help=_help("export.file"))
    imp = command("import", _help("import"))
    imp.add_argument("file", metavar="FILE")
    return parser


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

    def catalog(self) -> Any:
        if self._catalog is None:
            from quizapp.packs.loader import load_catalog, user_pack_dirs

            dirs = user_pack_dirs(self.pack_dirs, self.data_dir)
            self._catalog = load_catalog(dirs, lang=self.lang)
            if self._catalog.issues:
                print(t("cli.skipped_packs", self.lang), file=sys.stderr)
                for issue in self._catalog.issues:
                    print("  " + issue.format(), file=sys.stderr)
        return self._catalog

    def problem(self, template_id: str, seed: int) -> Any:
        from quizapp.packs.generation import GenerationError, generate

        catalog = self.catalog()
        ref = catalog.templates.get(template_id)
        if ref is None:
            near = catalog.suggest(template_id)
            hint = (
                t("cli.did_you_mean", self.lang, names=", ".join(near))
                if near
                else t("cli.list_hint", self.lang)
            )
            raise QuizappError(t("cli.unknown_template", self.lang, id=template_id, hint=hint))
        try:
            return generate(
                ref.template, seed, pack_id=ref.pack.id, pack_version=str(ref.pack.version)
            )
        except GenerationError as exc:
            raise QuizappError(
                t("cli.generation_failed", self.lang, where=exc.where or "-", msg=exc.message), 1
            ) from exc


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def cmd_packs_list(ctx: Context) -> int:
    from quizapp.packs.model import text_in

    catalog = ctx.catalog()
    rows = []
    for loaded in catalog.packs:
        pack = loaded.pack
        rows.append(
            {
                "id": pack.id,
                "version": pack.version,
                "title": text_in(pack.title, ctx.lang),
                "languages": list(pack.languages),
                "builtin": loaded.builtin,
                "path": str(loaded.path),
                "templates": len(pack.templates),
                "topics": sorted({tpl.topic for tpl in pack.templates}),
            }
        )
    if ctx.args.json:
        _print_json({"packs": rows, "issues": [i.format() for i in catalog.issues]})
        return 0
    total = sum(r["templates"] for r in rows)
    print(t("cli.packs_header", ctx.lang, packs=len(rows), templates=total))
    for r in rows:
        where = t("cli.builtin" if r["builtin"] else "cli.user", ctx.lang)
        print(f"  {r['id']:<28} v{r['version']:<4} {r['templates']:>3}  {r['title']}  ({where})")
    return 0


def cmd_packs_validate(ctx: Context) -> int:
    from quizapp.grading.checks import check_instances
    from quizapp.grading.lint import check_warnings
    from quizapp.packs.loader import Catalog, builtin_dir, pack_files, read_pack

    args = ctx.args
    paths = [Path(p) for p in args.paths]
    if args.builtin or not paths:
        paths.insert(0, builtin_dir())
    missing = [p for p in paths if not p.exists()]
    files = pack_files([p for p in paths if p.exists()])
    issues = []
    warnings = []
    for p in missing:
        issues.append(f"{p}:1:1: {t('pack.unreadable', ctx.lang, error='No such file or directory')}")
    if not files and not missing:
        raise QuizappError(t("cli.no_files", ctx.lang, paths=", ".join(map(str, paths))), 1)
    catalog = Catalog()  # reports template ids used by two files
    templates = 0
    for f in files:
        loaded, found = read_pack(f, ctx.lang)
        issues.extend(i.format() for i in found)
        if loaded is None:
            continue
        catalog.add(loaded, ctx.lang)
        templates += len(loaded.pack.templates)
        issues.extend(i.format() for i in check_instances(loaded, args.seeds, ctx.lang))
        warnings.extend(i.format() for i in check_warnings(loaded, args.seeds, ctx.lang))
    issues.extend(i.format() for i in catalog.issues)
    if args.strict:  # warnings are problems: on stdout with the others
        issues += warnings
    else:  # printed, but not problems (stdout keeps only the problems)
        for line in warnings:
            print(line, file=sys.stderr)
    for line in issues:
        print(line)
    if warnings:
        print(t("lint.summary", ctx.lang, count=len(warnings)), file=sys.stderr)
    if issues:
        print(t("cli.invalid", ctx.lang, count=len(issues)), file=sys.stderr)
        return 1
    print(t("cli.valid", ctx.lang, files=len(files), templates=templates, seeds=args.seeds))
    return 0


def cmd_packs_schema(ctx: Context) -> int:
    from quizapp.packs.model import pack_json_schema

    _print_json(pack_json_schema())
    return 0


def problem_json(problem: Any, lang: str) -> dict[str, Any]:
    """The `sample --json` object (DESIGN.md contract)."""
    template = problem.template
    choices = None
    if problem.choices is not None:
        choices = [c.text(lang) for c in problem.choices]
    return {
        "template": template.id,
        "seed": problem.seed,
        "pack": problem.pack_id,
        "topic": template.topic,
        "field": template.field,
        "kind": template.kind,
        "params": problem.params_json(),
        "prompt": problem.prompt(lang),
        "code": template.code,
        "choices": choices,
        "answer": problem.answer_json(),
        "answer_text": problem.answer_text(lang),
        "explanation": problem.explanation(lang),
    }


def cmd_sample(ctx: Context) -> int:
    problem = ctx.problem(ctx.args.template_id, ctx.args.seed)
    data = problem_json(problem, ctx.lang)
    if ctx.args.json:
        _print_json(data)
        return 0
    lang = ctx.lang
    print(f"[{data['template']}  seed={data['seed']}]")
    print()
    print(data["prompt"])
    if data["code"]:
        print()
        for line in data["code"].rstrip("\n").splitlines():
            print("    " + line)
    if data["choices"]:
        print()
        for n, text in enumerate(data["choices"], 1):
            lines = text.splitlines() or [""]
            print(f"  {n}. {lines[0]}")
            for more in lines[1:]:
                print(f"     {more}")
    print()
    print(f"{t('cli.answer', lang)}: {data['answer_text']}")
    if data["explanation"]:
        print()
        print(f"{t('cli.explanation', lang)}:")
        for line in data["explanation"].splitlines():
            print("  " + line)
    return 0


def cmd_grade(ctx: Context) -> int:
    from quizapp.grading import grade
    from quizapp.packs.generation import to_json

    problem = ctx.problem(ctx.args.template_id, ctx.args.seed)
    result = grade(problem, ctx.args.answer)
    if ctx.args.json:
        _print_json(
            {
                "valid": result.valid,
                "correct": result.correct,
                "parsed": to_json(result.parsed),
                "feedback": result.feedback(ctx.lang),
                "misconception": result.misconception,
            }
        )
        return 0
    print(result.verdict(ctx.lang))
    feedback = result.feedback(ctx.lang)
    if feedback:
        print(feedback)
    return 0


def cmd_stats(ctx: Context) -> int:
    from quizapp.progress.stats import stats_command

    return stats_command(ctx)


def cmd_export(ctx: Context) -> int:
    from quizapp.progress.stats import export_command

    return export_command(ctx)


def cmd_import(ctx: Context) -> int:
    from quizapp.progress.stats import import_command

    return import_command(ctx)


def cmd_tui(ctx: Context) -> int:
    try:
        from quizapp.tui.app import run_app
    except ImportError as exc:  # pragma: no cover - until the TUI lands
        raise QuizappError(f"the TUI is not available: {exc}", 1) from exc
    return run_app(ctx)


def dispatch(ctx: Context) -> int:
    command = ctx.args.command
    if command == "packs":
        return {
            "list": cmd_packs_list,
            "validate": cmd_packs_validate,
            "schema": cmd_packs_schema,
        }[ctx.args.packs_command](ctx)
    handlers = {
        "sample": cmd_sample,
        "grade": cmd_grade,
        "stats": cmd_stats,
        "export": cmd_export,
        "import": cmd_import,
    }
    if command in handlers:
        return handlers[command](ctx)
    return cmd_tui(ctx)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
        print(t("cli.internal_error", ctx.lang, error=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
