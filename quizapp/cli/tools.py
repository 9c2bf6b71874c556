"""The subcommands that open the TUI (`quizapp`, `study`, `exam`) and the progress tools."""

from __future__ import annotations

from quizapp.cli.base import Context, QuizappError


def check_study_scope(ctx: Context) -> None:
    """`study --topic/--pack/--template` naming nothing is a command-line error (with
    did-you-mean), before the TUI opens."""
    args = ctx.args
    pack, topic = getattr(args, "pack", None), getattr(args, "topic", None)
    template = getattr(args, "template", None)
    if pack is None and topic is None and template is None:
        return
    from quizapp.study.scope import Scope, ScopeError

    catalog = ctx.catalog()
    if template is not None and template not in catalog.templates:
        raise ctx.unknown_template(template)
    try:
        Scope(pack=pack, topic=topic).template_ids(catalog)
    except ScopeError as exc:
        raise QuizappError(exc.text(ctx.lang)) from exc


def cmd_tui(ctx: Context) -> int:
    if getattr(ctx.args, "command", None) == "study":
        check_study_scope(ctx)
    try:
        from quizapp.tui.launch import run_app
    except ImportError as exc:  # pragma: no cover - a broken install
        raise QuizappError(f"the TUI is not available: {exc}", 1) from exc
    return run_app(ctx)


def cmd_stats(ctx: Context) -> int:
    from quizapp.progress.commands import stats_command

    return stats_command(ctx)


def cmd_export(ctx: Context) -> int:
    from quizapp.progress.commands import export_command

    return export_command(ctx)


def cmd_import(ctx: Context) -> int:
    from quizapp.progress.commands import import_command

    return import_command(ctx)
