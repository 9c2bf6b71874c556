"""The exam screen's clock and its end (a mixin of ``ExamScreen``).

``tick`` redraws the countdown, warns at 10 and 1 minutes, checkpoints the clock every
``CHECKPOINT_SECONDS`` and submits the exam at time up. Leaving the screen (``esc``, or
the app quitting) pauses the clock; submitting, after the learner confirms or at time
up, scores the exam and switches to the results screen.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.screen import ModalScreen

from quizapp.exam import CHECKPOINT_SECONDS, ExamSession, clock_warning
from quizapp.i18n import t
from quizapp.progress.store import StoreError
from quizapp.tui.screens.exam_dialogs import ConfirmSubmitScreen
from quizapp.tui.screens.exam_results import ExamResultsScreen


class ExamClockMixin:
    """``tick``, ``action_submit``, ``action_leave``, ``close_session`` and ``_finish``."""

    session: ExamSession
    lang: str
    scheduler: Any
    catalog: Any
    store: Any
    _finishing: bool
    _redrawing: bool
    _last_remaining: float
    _last_checkpoint: datetime

    def tick(self) -> None:
        """Redraw the countdown, warn at 10 and 1 minutes, checkpoint, submit at time up."""
        s = self.session
        if s.score is not None or self._finishing or self._redrawing:
            return
        now = s.clock()
        remaining = s.remaining(now)
        self._show_clock(remaining)
        key = clock_warning(self._last_remaining, remaining)
        if key is not None:
            self.notify(t(key, self.lang), severity="warning", timeout=8)
        self._last_remaining = remaining
        if s.time_up(now):
            self._finish(True)
            return
        if (now - self._last_checkpoint).total_seconds() >= CHECKPOINT_SECONDS:
            try:
                s.checkpoint()
                self._last_checkpoint = now
            except StoreError as exc:
                self.notify(exc.text(self.lang), severity="error")

    def close_session(self) -> None:
        """Stop the exam clock (the app calls this on quit; leaving the screen does too)."""
        if self.session.score is None:
            try:
                self.session.pause()
            except StoreError:
                pass  # the clock was checkpointed on the last answer/tick: little is lost

    def action_submit(self) -> None:
        s = self.session

        def confirmed(ok: bool | None) -> None:
            if ok:
                self._finish(False)

        self.app.push_screen(
            ConfirmSubmitScreen(s.unanswered(), s.flagged_items(), self.lang), confirmed
        )

    def action_leave(self) -> None:
        try:
            self.session.pause()
        except StoreError as exc:
            self.notify(exc.text(self.lang), severity="error")
        self.notify(t("examui.paused", self.lang), timeout=8)
        self.dismiss(None)

    def _finish(self, timed_out: bool) -> None:
        if self._finishing:
            return
        self._finishing = True
        s = self.session
        try:
            score = s.finish(self.scheduler, timed_out=timed_out)
        except StoreError as exc:
            if s.score is None:
                self._finishing = False
                self.notify(exc.text(self.lang), severity="error", timeout=10)
                return
            score = s.score  # stored; only the study schedule could not be updated
            self.notify(exc.text(self.lang), severity="warning", timeout=10)
        if timed_out:
            self.notify(t("exam.time_up", self.lang), severity="warning", timeout=10)
        # If a modal (confirm, jump) is open above the exam, close it first.
        while self.app.screen is not self and isinstance(self.app.screen, ModalScreen):
            self.app.pop_screen()
        self.app.switch_screen(
            ExamResultsScreen(
                s.exam,
                score,
                lang=self.lang,
                seed=s.exam.spec.seed,
                store=self.store,
                catalog=self.catalog,
            )
        )
