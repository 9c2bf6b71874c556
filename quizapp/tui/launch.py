"""Running the app from the command line: ``quizapp``, ``study``, ``exam``, ``packs preview``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from quizapp.progress.store import Store, StoreError
from quizapp.tui.app import StartRequest, create_app


def open_store(
    data_dir: Callable[[], Path], lang: str, args: Any = None
) -> tuple[Store, str | None]:
    """The progress store (``--db``/``--profile`` of ``args``, else the data folder's file),
    or an in-memory one and the reason."""
    from quizapp.progress.opening import open_progress

    try:
        store = open_progress(args, data_dir)
    except StoreError as exc:
        return Store.memory(), exc.text(lang)
    except Exception as exc:  # the CLI's QuizappError for a data folder it cannot make
        return Store.memory(), str(getattr(exc, "message", exc))
    return store, None


def run_app(ctx: Any) -> int:
    """`quizapp`, `quizapp study …`, `quizapp exam …`: run the TUI, return the exit code."""
    lang = ctx.args.lang or None
    store, problem = open_store(lambda: ctx.data_dir, ctx.lang, ctx.args)
    command = getattr(ctx.args, "command", None)
    start = StartRequest(command, ctx.args) if command in ("study", "exam") else None
    app = create_app(
        store,
        load_catalog=ctx.catalog,
        load_index=ctx.catalog_index,
        lang=lang,
        start=start,
        store_problem=problem,
    )
    try:
        app.run()
    finally:
        store.close()
    return 0 if app.return_code in (None, 0) else int(app.return_code)


def run_preview(ctx: Any, path: Path) -> int:
    """`quizapp packs preview FILE`: the study screen on one pack file (progress in memory)."""
    from quizapp.packs.loader import Catalog

    store = Store.memory()
    options = ctx.args
    options.file = str(path)
    app = create_app(store, catalog=Catalog(), lang=ctx.args.lang or None,
                     start=StartRequest("preview", options))
    try:
        app.run()
    finally:
        store.close()
    return 0 if app.return_code in (None, 0) else int(app.return_code)
