"""`quizapp serve`: the same Textual app in a web browser, through textual-serve.

Every browser tab that opens the page gets its own app process, started as
``sys.executable -m quizapp <global options> <app command>`` so that it runs in the
same environment, with the global options given to ``serve`` (``--lang``,
``--data-dir``, ``--packs``, and ``--db`` / ``--profile`` where the command line has
them). The words after ``--`` choose what the app opens:
``quizapp serve -- study --topic backprop``.

textual-serve (aiohttp, Jinja2) is an optional dependency (the ``web`` extra) and is
imported only when ``serve`` runs. The server binds to the local machine by default;
another address needs ``--allow-remote`` and prints a warning: there is no
authentication, so it belongs behind a proxy that authenticates.

This module imports only the standard library and ``quizapp.i18n`` at load time; it
never imports ``quizapp.cli`` (the command line imports it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shlex
import sys
from collections.abc import Callable
from typing import Any

from quizapp.i18n import default_lang, t

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

# Global options of the command line forwarded to each app process: (flag, attribute,
# is a path). An attribute the namespace does not have (an older command line) is skipped.
FORWARDED: tuple[tuple[str, str, bool], ...] = (
    ("--lang", "lang", False),
    ("--data-dir", "data_dir", True),
    ("--packs", "packs", True),
    ("--db", "db", False),
    ("--profile", "profile", False),
)

# Seconds the apps of open tabs get to quit when the server stops.
SHUTDOWN_TIMEOUT = 10.0

# What the app process may be asked to open (everything else is a command-line tool).
APP_COMMANDS = ("study", "exam")


def add_arguments(parser: argparse.ArgumentParser, help_text: Callable[[str], str]) -> None:
    """The options of ``serve`` (``help_text(key)`` reads ``cli.help.<key>``)."""
    parser.add_argument("--host", default=DEFAULT_HOST, help=help_text("serve.host"))
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=help_text("serve.port"))
    parser.add_argument(
        "--allow-remote", action="store_true", help=help_text("serve.allow_remote")
    )
    parser.add_argument("--public-url", metavar="URL", help=help_text("serve.public_url"))
    parser.add_argument(
        "app_args", nargs=argparse.REMAINDER, metavar="-- COMMAND", help=help_text("serve.app")
    )


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(t("serve.bad_port", default_lang(), value=value))
    return port


def is_local(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine (a loopback address)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def app_args_of(args: argparse.Namespace) -> list[str]:
    """The words after ``serve`` that choose the app's screen (a leading ``--`` dropped)."""
    words = list(getattr(args, "app_args", None) or [])
    if words and words[0] == "--":
        words = words[1:]
    return words


def app_command(args: argparse.Namespace) -> list[str]:
    """The command line of one app process: the same Python, the forwarded options."""
    argv = [sys.executable, "-m", "quizapp"]
    for flag, name, is_path in FORWARDED:
        value = getattr(args, name, None)
        if value is None or value == []:
            continue
        for item in value if isinstance(value, list) else [value]:
            text = os.path.abspath(os.path.expanduser(item)) if is_path else str(item)
            argv += [flag, text]
    return argv + app_args_of(args)


class ServeError(Exception):
    """A mistake in the ``serve`` command line, with the message for the user."""


def check(args: argparse.Namespace, lang: str) -> None:
    """Refuse a remote host without ``--allow-remote`` and app words that are no screen."""
    if not is_local(args.host) and not args.allow_remote:
        raise ServeError(t("serve.remote_needs_flag", lang, host=args.host))
    words = app_args_of(args)
    if words and words[0] not in APP_COMMANDS:
        raise ServeError(
            t("serve.bad_app_command", lang, command=words[0], allowed=", ".join(APP_COMMANDS))
        )


def cmd_serve(ctx: Any) -> int:
    """Run the web server until Ctrl+C (or SIGTERM); the exit code of ``quizapp serve``."""
    args, lang = ctx.args, ctx.lang
    try:
        check(args, lang)
    except ServeError as exc:
        print(f"quizapp: {exc}", file=sys.stderr)
        return 2
    try:
        server_class = _server_class()
    except ImportError:
        print(f"quizapp: {t('serve.not_installed', lang)}", file=sys.stderr)
        return 1
    if not is_local(args.host):
        print(t("serve.no_auth_warning", lang, host=args.host), file=sys.stderr)
    command = shlex.join(app_command(args))
    server = server_class(
        command, host=args.host, port=args.port, title="quizapp", public_url=args.public_url,
        **page_template_option(),
    )
    server.serve()
    return 0


_FONT_LINK = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>\s*", re.IGNORECASE)


def page_template_option() -> dict[str, Any]:
    """``templates_path`` for textual-serve: its page without the Google Fonts stylesheet.

    As shipped, each browser that opens the app asks fonts.googleapis.com for Roboto Mono:
    a request to a third party (it learns who studies, and when) and a wait where there is
    no internet. The page's fonts fall back to the system's monospace. The page is
    textual-serve's own, read from the installed package with that one ``<link>`` taken
    out and written to a private temporary folder; if it cannot be read or written, the
    page is served unchanged ({} here)."""
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    try:
        import textual_serve

        source = Path(textual_serve.__file__).parent / "templates"
        page = (source / "app_index.html").read_text(encoding="utf-8")
        folder = Path(tempfile.mkdtemp(prefix="quizapp-serve-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        (folder / "app_index.html").write_text(_FONT_LINK.sub("", page), encoding="utf-8")
    except (ImportError, OSError, UnicodeDecodeError):
        return {}
    return {"templates_path": folder}


def _server_class() -> type:
    """textual-serve's ``Server``, made to quit every tab's app when it stops.

    As shipped, SIGTERM or Ctrl+C with a tab open leaves the server waiting for that tab
    (aiohttp's shutdown waits up to 60 s for open websockets), and the app processes
    outlive it. Here shutdown cancels each tab's websocket handler, which tells its app to
    quit and waits for it (at most ``SHUTDOWN_TIMEOUT`` seconds in all).
    """
    from textual_serve.server import Server

    class QuizappServer(Server):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._tabs: set[asyncio.Task[Any]] = set()

        async def handle_websocket(self, request: Any) -> Any:
            task = asyncio.current_task()
            if task is not None:
                self._tabs.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self._tabs.discard(task)  # type: ignore[arg-type]

        async def on_shutdown(self, app: Any) -> None:
            tabs = set(self._tabs)
            for task in tabs:
                task.cancel()
            if tabs:
                await asyncio.wait(tabs, timeout=SHUTDOWN_TIMEOUT)

    return QuizappServer
