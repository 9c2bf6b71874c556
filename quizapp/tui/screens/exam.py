"""The mock exam in the TUI: setup dialog, the timed exam, and submitting it.

``open_exam(app, options)`` is what the app calls: ``options`` is the argparse
namespace of ``quizapp exam ...`` (``.preset``, ``.questions``, ``.minutes``, ``.seed``,
``.resume``, ``.topic``, ``.pack``; ``.blueprint`` when the CLI has it), or None for the
setup dialog. The app provides ``store``, ``scheduler``, ``catalog`` and ``lang``.

Everything shown comes from ``quizapp.exam`` (the core); this module lays it out and
routes keys. The exam screen never shows whether an answer is right: that waits for the
results screen (``quizapp.tui.screens.exam_results``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual.app import App

from quizapp.exam import (
    ExamError,
    ExamSession,
    ExamSpec,
    running_summary,
    spec_from_options,
    stored_pass_threshold,
)
from quizapp.i18n import t
from quizapp.progress.store import StoreError
from quizapp.tui.screens.exam_dialogs import (
    ConfirmSubmitScreen,
    JumpScreen,
    ResumeOrNewScreen,
    item_numbers,
)
from quizapp.tui.screens.exam_results import ExamHistoryScreen, ExamResultsScreen
from quizapp.tui.screens.exam_screen import MAX_OPTIONS, ExamScreen
from quizapp.tui.screens.exam_setup import ExamSetupScreen, SetupChoice

__all__ = [
    "MAX_OPTIONS",
    "ConfirmSubmitScreen",
    "ExamHistoryScreen",
    "ExamLauncher",
    "ExamResultsScreen",
    "ExamScreen",
    "ExamSetupScreen",
    "JumpScreen",
    "ResumeOrNewScreen",
    "SetupChoice",
    "item_numbers",
    "open_exam",
]


def _utc_clock(app: App[Any]) -> Callable[[], datetime] | None:
    scheduler = getattr(app, "scheduler", None)
    now = getattr(scheduler, "now", None)
    return now if callable(now) else None


class ExamLauncher:
    """Routes "open the exam" to the setup dialog, resume, or a new exam (see open_exam)."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.lang: str = getattr(app, "lang", None) or "ja"
        self.store = getattr(app, "store", None)
        self.catalog = getattr(app, "catalog", None)
        self.scheduler = getattr(app, "scheduler", None)
        self.clock = _utc_clock(app)

    def open(self, options: Any = None) -> None:
        if self.store is None or self.catalog is None:
            self.app.notify(t("examui.not_ready", self.lang), severity="error")
            return
        if options is None:
            self.setup()
            return
        if getattr(options, "resume", False):
            self.resume()
            return
        try:
            spec = spec_from_options(options, pass_threshold=self._threshold())
        except ExamError as exc:
            self.setup(error=exc.text(self.lang))
            return
        self.start_or_ask(spec)

    def _threshold(self) -> float | None:
        return stored_pass_threshold(self.store)

    def _running(self) -> str | None:
        try:
            return running_summary(self.store, self.lang)
        except StoreError as exc:
            self.app.notify(exc.text(self.lang), severity="error")
            return None

    def setup(self, error: str | None = None) -> None:
        def chosen(choice: SetupChoice | None) -> None:
            if choice is None:
                return
            if choice.action == "resume":
                self.resume()
            elif choice.action == "history":
                self.history()
            elif choice.spec is not None:
                self.start(choice.spec)

        self.app.push_screen(
            ExamSetupScreen(
                self.catalog,
                self.lang,
                running=self._running(),
                pass_threshold=self._threshold(),
                error=error,
            ),
            chosen,
        )

    def history(self) -> None:
        self.app.push_screen(ExamHistoryScreen(self.store, self.lang, catalog=self.catalog))

    def start_or_ask(self, spec: ExamSpec) -> None:
        running = self._running()
        if running is None:
            self.start(spec)
            return

        def decided(answer: str | None) -> None:
            if answer == "resume":
                self.resume()
            elif answer == "new":
                self.start(spec)

        self.app.push_screen(ResumeOrNewScreen(running, self.lang), decided)

    def start(self, spec: ExamSpec) -> None:
        self._run(
            lambda: ExamSession.start(
                self.store, self.catalog, spec, clock=self.clock, lang=self.lang
            )
        )

    def resume(self) -> None:
        self._run(
            lambda: ExamSession.resume(self.store, self.catalog, clock=self.clock), resuming=True
        )

    def _run(self, make: Callable[[], ExamSession], *, resuming: bool = False) -> None:
        """Build the session in a thread (setting 100 items takes a moment), then show it."""

        async def build() -> None:
            try:
                session = await asyncio.to_thread(make)
            except ExamError as exc:
                self._failed(exc, resuming)
                return
            except StoreError as exc:
                self.app.notify(exc.text(self.lang), severity="error", timeout=10)
                return
            except Exception as exc:  # never a traceback for the learner
                self.app.notify(
                    t("examui.unexpected", self.lang, error=f"{type(exc).__name__}: {exc}"),
                    severity="error",
                    timeout=10,
                )
                return
            self.app.push_screen(
                ExamScreen(
                    session,
                    lang=self.lang,
                    scheduler=self.scheduler,
                    catalog=self.catalog,
                    store=self.store,
                )
            )

        self.app.run_worker(build(), group="exam", exclusive=True, exit_on_error=False)

    def _failed(self, exc: ExamError, resuming: bool) -> None:
        if exc.key == "exam.nothing_to_resume":
            self.app.notify(exc.text(self.lang), severity="warning")
            self.setup()
            return
        if resuming and exc.key in ("exam.missing_templates", "exam.broken_config"):
            summary = self._running() or ""

            def decided(answer: str | None) -> None:
                if answer == "new":
                    record = self.store.running_exam()
                    if record is not None:
                        self.store.set_exam_status(record.id, "abandoned")
                        self.app.notify(t("examui.abandoned", self.lang))
                    self.setup()

            self.app.push_screen(
                ResumeOrNewScreen(summary, self.lang, can_resume=False, detail=exc.text(self.lang)),
                decided,
            )
            return
        self.setup(error=exc.text(self.lang))


def open_exam(app: App[Any], options: Any = None) -> None:
    """Open the mock exam: the setup dialog (``options`` None), ``--resume``, or a new exam
    from ``quizapp exam`` options. Needs ``app.store``, ``app.catalog``, ``app.lang``
    (and ``app.scheduler`` for the study schedule and the clock)."""
    ExamLauncher(app).open(options)
