"""What the learner does on the study screen (a mixin of ``StudyScreen``).

Answering: Enter in the answer input, a choice (keys 1–4), the buttons of the panel
shown when nothing is due. The keys' actions: next, another like this, show the answer,
the hint, cram, more new, finish; ``check_action`` says when each is available, so the
Footer shows only those. Each goes to the ``StudySession``, and the screen shows what
follows (``show_feedback``, ``render_problem``, ``show_next``, ``show_empty``).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Input, Static

from quizapp.i18n import t
from quizapp.progress.store import StoreError
from quizapp.tui.widgets.choices import ChoiceList

MORE_NEW = 10
"""New templates that "More new" allows beyond the day's limit."""


class StudyActionsMixin:
    """Answering, the keys' actions, and when each key is available."""

    session: Any
    lang: str
    answered: bool
    empty: bool
    _invalid: Any
    _store_error: str | None
    _hint_shown: bool

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        problem = self.session.problem
        if action == "another":
            return self.answered and not self.session.set_open
        if action == "next":
            return self.answered
        if action == "reveal":
            return problem is not None and not self.answered and not self.empty
        if action == "hint":
            return (problem is not None and not self.answered
                    and problem.template.hint is not None)
        if action == "no_hint":  # the same key, hidden from the footer: it says why
            return problem is not None and not self.empty
        if action in ("cram", "more_new"):
            return self.empty
        return True

    # ------------------------------------------------------------------ answering

    async def submit(self, raw: str) -> None:
        from quizapp.study.session import invalid_text

        if self.answered or self.session.problem is None:
            return
        try:
            result = self.session.submit(raw)
        except StoreError as exc:
            self._store_error = exc.text(self.lang)
            self._show_message(t("study.store_error", self.lang, error=self._store_error))
            return
        if not result.valid:
            self._invalid = result
            self._show_message(invalid_text(result, self.lang))
            return
        await self.show_feedback()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "answer":
            event.stop()
            await self.submit(event.value)

    async def on_choice_list_answered(self, message: ChoiceList.Answered) -> None:
        from quizapp.study.session import raw_for_choice

        message.stop()
        await self.submit(raw_for_choice(self.session.problem, message.numbers))

    def on_choice_list_nothing_chosen(self, message: ChoiceList.NothingChosen) -> None:
        message.stop()
        self._show_message(t("study.choose_first", self.lang,
                             n=len(self.query_one(ChoiceList).labels)))

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"btn-cram": self.action_cram, "btn-more-new": self.action_more_new,
         "btn-home": self.action_finish}[event.button.id or "btn-home"]()

    # ------------------------------------------------------------------ actions

    async def action_next(self) -> None:
        if self.answered:
            await self.show_next()

    async def action_another(self) -> None:
        if not self.answered:
            return
        from quizapp.packs.generation import GenerationError

        try:
            self.session.another_like_this()
        except GenerationError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        await self.render_problem()

    async def action_reveal(self) -> None:
        if self.answered or self.session.problem is None:
            return
        try:
            self.session.reveal()
        except StoreError as exc:
            self._show_message(t("study.store_error", self.lang, error=exc.text(self.lang)))
            return
        await self.show_feedback()

    def action_hint(self) -> None:
        problem = self.session.problem
        if problem is None or problem.template.hint is None:
            return
        widget = self.query_one("#hint-text", Static)
        widget.update(t("study.hint_label", self.lang, hint=problem.hint(self.lang)))
        widget.display = True
        self._hint_shown = True

    def action_no_hint(self) -> None:
        """ctrl+t where there is no hint to show: say why instead of doing nothing."""
        problem = self.session.problem
        key = "study.no_hint_answered" if self.answered else "study.no_hint"
        if problem is not None:
            self.notify(t(key, self.lang), markup=False)

    def action_cram(self) -> None:
        if self.empty:
            self.app.start_study(self.session.scope, cram=True, replace=True)

    def action_more_new(self) -> None:
        if self.empty:
            self.app.start_study(self.session.scope, extra_new=MORE_NEW, replace=True)

    def action_finish(self) -> None:
        if self.session.results:
            self.finish()
        else:
            self.close_session()
            self.dismiss()

    def finish(self) -> None:
        from quizapp.tui.screens.summary import SummaryScreen

        self.close_session()
        self.app.switch_screen(SummaryScreen(self.session))

    def before_quit(self) -> None:
        """ctrl+q: the session record gets its summary (answers are saved already)."""
        self.close_session()

    def close_session(self) -> None:
        """End the session record (once)."""
        if self.session.closed:
            return
        try:
            self.session.close(self.lang)
        except StoreError as exc:
            self.notify(exc.text(self.lang), severity="error", markup=False)
