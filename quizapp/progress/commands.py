"""The `stats`, `export` and `import` commands (the CLI calls these).

``stats`` and ``export`` only read: a database or data folder they cannot write is opened
read-only. Damaged rows are skipped and reported on standard error, so `export` always
writes the readable rows.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quizapp.i18n import t
from quizapp.progress.stats import collect_stats, format_stats
from quizapp.progress.store import Store, StoreError


def _open_store(ctx: Any, *, read_only_ok: bool = False) -> Store:
    """Open the progress store of ``ctx`` (``StoreError`` for the caller to print)."""
    from quizapp.progress.opening import open_progress

    store = open_progress(ctx.args, lambda: ctx.data_dir, read_only_ok=read_only_ok)
    if store.notice is not None:
        print(store.notice.text(ctx.lang), file=sys.stderr)
    return store


def _report_damaged(store: Store, lang: str) -> None:
    if store.damaged:
        count = sum(len(ids) for ids in store.damaged.values())
        tables = ", ".join(f"{table} {ids[:5]}" for table, ids in sorted(store.damaged.items()))
        print(t("store.damaged_rows", lang, count=count, tables=tables), file=sys.stderr)


def _fail(message: str) -> int:
    print(f"quizapp: {message}", file=sys.stderr)
    return 1


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def stats_command(ctx: Any) -> int:
    """``quizapp stats [--cohort] [--json]``: the progress report (exit 1 on a store error)."""
    cohort = getattr(ctx.args, "cohort", False)
    try:
        store = _open_store(ctx, read_only_ok=True)
    except StoreError as exc:
        return _fail(exc.text(ctx.lang))
    try:
        catalog = ctx.catalog()
        if cohort:
            from quizapp.progress.cohort import collect_cohort

            data = collect_cohort(store, catalog, datetime.now(UTC), lang=ctx.lang)
        else:
            data = collect_stats(store, catalog, datetime.now(UTC), lang=ctx.lang)
    except StoreError as exc:
        return _fail(exc.text(ctx.lang))
    finally:
        store.close()
    _report_damaged(store, ctx.lang)
    if getattr(ctx.args, "json", False):
        print(_dump(data))
    elif cohort:
        from quizapp.progress.cohort import format_cohort

        print(format_cohort(data, ctx.lang))
    else:
        print(format_stats(data, ctx.lang))
    return 0


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder + rename.

    Either the old file stays or the new one is complete; never half a file.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def export_command(ctx: Any) -> int:
    """``quizapp export FILE``: the whole store as JSON (``-``: standard output)."""
    target = ctx.args.file
    try:
        store = _open_store(ctx, read_only_ok=True)
    except StoreError as exc:
        return _fail(exc.text(ctx.lang))
    try:
        data = store.export_json()
    except StoreError as exc:
        return _fail(exc.text(ctx.lang))
    finally:
        store.close()
    _report_damaged(store, ctx.lang)
    text = _dump(data) + "\n"
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    path = Path(target).expanduser()
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory")
        write_atomic(path, text)
    except OSError as exc:
        return _fail(t("export.failed", ctx.lang, path=str(path), error=exc.strerror or exc))
    print(
        t(
            "export.done",
            ctx.lang,
            path=str(path),
            attempts=len(data["attempts"]),
            cards=len(data["cards"]),
            exams=len(data["exams"]),
        ),
        file=sys.stderr,
    )
    return 0


def read_export(source: str, lang: str) -> Any:
    """Read and parse an export file (``-``: standard input).

    Raises ``ValueError`` with a message for the user (missing file, not text, bad JSON).
    """
    shown = "<stdin>" if source == "-" else source
    try:
        if source == "-":
            raw = sys.stdin.buffer.read()
        else:
            raw = Path(source).expanduser().read_bytes()
    except FileNotFoundError:
        raise ValueError(t("import.not_found", lang, path=shown)) from None
    except OSError as exc:
        raise ValueError(
            t("import.unreadable", lang, path=shown, error=exc.strerror or exc)
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(t("import.not_text", lang, path=shown)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            t("import.bad_json", lang, path=shown, line=exc.lineno, col=exc.colno, error=exc.msg)
        ) from None
    except RecursionError:
        raise ValueError(
            t("import.bad_json", lang, path=shown, line="?", col="?", error="nested too deeply")
        ) from None


def import_command(ctx: Any) -> int:
    """``quizapp import FILE``: merge an export into the store (nothing is duplicated)."""
    source = ctx.args.file
    shown = "<stdin>" if source == "-" else source
    try:
        data = read_export(source, ctx.lang)
    except ValueError as exc:
        return _fail(str(exc))
    try:
        store = _open_store(ctx)
    except StoreError as exc:
        return _fail(exc.text(ctx.lang))
    try:
        added = store.import_json(data)
    except StoreError as exc:
        if exc.key.startswith("store.import"):
            return _fail(t("import.rejected", ctx.lang, path=shown, error=exc.text(ctx.lang)))
        return _fail(exc.text(ctx.lang))
    except (ValueError, TypeError) as exc:  # a row the database refused: nothing written
        return _fail(t("import.rejected", ctx.lang, path=shown, error=str(exc)))
    finally:
        store.close()
    duplicates = getattr(store, "last_import_duplicates", {})
    if duplicates:
        tables = ", ".join(f"{table} {n}" for table, n in sorted(duplicates.items()))
        print(t("import.duplicates", ctx.lang, path=shown, count=sum(duplicates.values()),
                tables=tables), file=sys.stderr)
    if not any(added.values()):
        print(t("import.nothing", ctx.lang, path=shown))
    else:
        print(t("import.done", ctx.lang, path=shown, **added))
    return 0
