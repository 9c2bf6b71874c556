"""`quizapp serve` in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven
by Playwright answers one study problem; the verdict reaches the page and the attempt the store.

The page draws the terminal on a canvas (xterm.js), so the screen's text is read from what
the page receives on its websocket: the app's terminal output, escape sequences removed.
Each test starts its own server on a free port with its own data folder (safe under xdist);
the server's process group is killed in a ``finally``.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from quizapp.i18n import t
from quizapp.packs.generation import generate
from quizapp.packs.loader import builtin_dir, load_catalog
from quizapp.progress.paths import db_path
from quizapp.progress.store import Store

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = "ffn.activation.sigmoid_value"
SEED = 1
LANG = "ja"  # multi-byte text through the websocket; the verdicts are 正解 / 不正解
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
START_TIMEOUT = 30.0  # seconds for the server to listen
SCREEN_TIMEOUT = 30.0  # seconds for a text to appear on the page
STOP_TIMEOUT = 15.0  # seconds for the server and its apps to stop on SIGTERM

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="no Chromium at /usr/bin/chromium (apt-get install chromium; .ci/run does)",
    ),
    pytest.mark.web,
]

# Escape sequences in the terminal stream: CSI, OSC, charset selection and two-byte ones.
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[@-_]"
)


def screen_text(chunks: list[bytes]) -> str:
    """The text the app wrote, escape sequences removed (UTF-8 may span chunks)."""
    return _ESCAPES.sub(b"", b"".join(chunks)).decode("utf-8", errors="replace")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(proc: subprocess.Popen[bytes], port: int, log: Path) -> bool:
    """True once the server accepts connections; False if it exited (port taken)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"quizapp serve did not listen on {port} in {START_TIMEOUT} s:\n"
                + log.read_text(errors="replace"))


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's process group (server and app processes), then SIGKILL."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # app processes left in the group
    except ProcessLookupError:
        pass
    if proc.poll() is None:
        proc.wait(timeout=5)


def group_gone(pgid: int) -> bool:
    """Whether no process of the group is left (polled for at most STOP_TIMEOUT seconds)."""
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    """`quizapp serve` on a free localhost port, opening the study problem in every tab."""
    data = tmp_path / "data"
    log = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QUIZAPP_PACKS": ""}
    for _attempt in range(3):  # another process may take the free port first
        port = free_port()
        argv = [
            sys.executable, "-m", "quizapp", "--lang", LANG, "--data-dir", str(data),
            "serve", "--port", str(port),
            "--", "study", "--template", TEMPLATE, "--seed", str(SEED),
        ]
        with log.open("wb") as out:
            proc = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        try:
            if wait_listening(proc, port, log):
                yield f"http://127.0.0.1:{port}/", data, proc
                return
        finally:
            stop(proc)
    pytest.fail("quizapp serve could not start:\n" + log.read_text(errors="replace"))


def wait_for(chunks: list[bytes], start: int, page, predicate, what: str) -> str:
    """The page's text from chunk ``start`` on, once ``predicate`` holds (bounded wait)."""
    deadline = time.monotonic() + SCREEN_TIMEOUT
    while time.monotonic() < deadline:
        text = screen_text(chunks[start:])
        if predicate(text):
            return text
        page.wait_for_timeout(100)  # lets Playwright deliver websocket events
    pytest.fail(f"{what} did not appear in {SCREEN_TIMEOUT} s; the page shows:\n"
                + screen_text(chunks)[-3000:])


def test_a_study_answer_in_headless_chromium_is_graded_and_stored(server, tmp_path):
    from playwright.sync_api import sync_playwright

    url, data, proc = server
    ref = load_catalog([builtin_dir()], lang=LANG).templates[TEMPLATE]
    problem = generate(ref.template, SEED, pack_id=ref.pack.id,
                       pack_version=str(ref.pack.version))
    answer = problem.answer_text(LANG)
    correct, incorrect = t("verdict.correct", LANG), t("verdict.incorrect", LANG)

    received: list[bytes] = []

    def on_websocket(ws) -> None:
        ws.on("framereceived", lambda payload: received.append(
            payload if isinstance(payload, bytes) else b""))

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_default_timeout(SCREEN_TIMEOUT * 1000)
            # The page asks no third party for anything (textual-serve's own page asks
            # Google Fonts for Roboto Mono; quizapp serve takes that out).
            outside: list[str] = []
            page.on("request", lambda request: outside.append(request.url)
                    if urlparse(request.url).hostname not in ("127.0.0.1", None) else None)
            page.on("websocket", on_websocket)
            page.goto(url)
            wait_for(received, 0, page, lambda s: TEMPLATE in s, "the study problem")
            page.wait_for_timeout(300)  # the answer box takes focus after the first paint
            before = len(received)
            page.focus("textarea.xterm-helper-textarea")
            page.keyboard.type(answer)
            page.keyboard.press("Enter")
            after = wait_for(received, before, page,
                             lambda s: incorrect in s or correct in s.replace(incorrect, ""),
                             "a verdict")
            assert incorrect not in after
            assert correct in after
            assert outside == [], outside
            if os.environ.get("QUIZAPP_WEB_SCREENSHOT"):
                page.screenshot(path=os.environ["QUIZAPP_WEB_SCREENSHOT"])
            # Stopping the server with the tab still open quits that tab's app too.
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=STOP_TIMEOUT) == 0
            assert group_gone(proc.pid), "an app process outlived quizapp serve"
        finally:
            browser.close()

    with Store.open(db_path(data)) as store:
        attempts = store.attempts()
    assert [(a.template_id, a.seed, a.correct) for a in attempts] == [(TEMPLATE, SEED, True)]
