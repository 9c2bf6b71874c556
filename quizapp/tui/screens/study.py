"""The study screen: one problem at a time, immediate feedback, the next one.

Contract (DESIGN.md): when a problem appears its answer input has focus; Enter submits;
the verdict reads Correct / Incorrect (正解 / 不正解); ctrl+q quits from anywhere; choice
items take the keys 1–4. After the feedback, Enter goes on and ctrl+n (or n) draws
another problem of the same template. The screen only lays out what
``quizapp.study.session.StudySession`` and its helpers return; what the learner does
(answering, the keys' actions) is in the mixin ``quizapp.tui.screens.study_actions``.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from quizapp.i18n import t
from quizapp.progress.store import StoreError
from quizapp.tui.localize import localize_bindings
from quizapp.tui.screens.study_actions import MORE_NEW, StudyActionsMixin
from quizapp.tui.screens.study_css import STUDY_SCREEN_CSS
from quizapp.tui.widgets.answer import AnswerInput, MatrixField
from quizapp.tui.widgets.choices import ChoiceList
from quizapp.tui.widgets.code import CodeBlock
from quizapp.tui.widgets.feedback import FeedbackPanel
from quizapp.tui.widgets.footer import Footer
from quizapp.tui.widgets.mathblock import ProseStatic
from quizapp.tui.widgets.progress import SessionProgress


class StudyScreen(StudyActionsMixin, Screen[None]):
    """Drives a ``StudySession``."""

    DEFAULT_CSS = STUDY_SCREEN_CSS

    BINDINGS = [
        Binding("enter", "next", "Next", id="study.next"),
        Binding("ctrl+n", "another", "Another like this", id="study.another"),
        Binding("n", "another", "Another like this", id="study.another_n", show=False),
        Binding("ctrl+g", "reveal", "Show answer", id="study.reveal"),
        Binding("ctrl+t", "hint", "Hint", id="study.hint"),
        Binding("ctrl+t", "no_hint", "Hint", id="study.no_hint", show=False),
        Binding("escape", "finish", "Finish", id="study.finish"),
        Binding("c", "cram", "Cram", id="study.cram", show=False),
        Binding("m", "more_new", "More new", id="study.more_new", show=False),
    ]

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session
        self.empty = False
        self._invalid: Any = None
        self._store_error: str | None = None
        self._hint_shown = False
        localize_bindings(self, self.app.lang)

    @property
    def lang(self) -> str:
        return self.app.lang

    def compose(self) -> ComposeResult:
        with Horizontal(id="study-top"):
            yield Static("", id="study-scope", markup=False)
            yield Static("", id="study-seed", markup=False)
        yield VerticalScroll(id="study-body")
        yield SessionProgress(id="study-progress")
        yield Footer()

    async def on_mount(self) -> None:
        await self.show_next()

    # ------------------------------------------------------------------ state

    @property
    def answered(self) -> bool:
        return self.session.answered

    # ------------------------------------------------------------------ showing

    async def show_next(self) -> None:
        try:
            problem = self.session.next_problem()
        except StoreError as exc:
            self.notify(exc.text(self.lang), severity="error", timeout=15, markup=False)
            problem = None
        if problem is None:
            if self.session.results:
                self.finish()
            else:
                await self.show_empty()
            return
        await self.render_problem()

    async def render_problem(self) -> None:
        from quizapp.study.session import answer_hint, choice_labels

        session, lang = self.session, self.lang
        problem = session.problem
        self.empty = False
        self._invalid = None
        self._store_error = None
        self._hint_shown = False
        kind = problem.kind
        body = self.query_one("#study-body", VerticalScroll)
        await body.remove_children()
        widgets: list[Widget] = [Static(self._meta_text(), id="meta", markup=False)]
        if problem.part:  # an item set (大問): the stem once, the parts so far, this part
            from quizapp.study.itemsets import set_widgets_text

            stem, done = set_widgets_text(session, lang)
            widgets.append(ProseStatic(stem, id="stem"))
            if problem.template.code:
                widgets.append(CodeBlock(problem.template.code, id="code"))
            done_widget = ProseStatic(done, id="set-done")
            done_widget.display = bool(done)
            widgets.append(done_widget)
            widgets.append(ProseStatic(self._prompt_text(), id="prompt"))
        else:
            widgets.append(ProseStatic(problem.prompt(lang), id="prompt"))
            if problem.template.code:
                widgets.append(CodeBlock(problem.template.code, id="code"))
        if kind in ("single_choice", "multi_choice", "true_false"):
            answer: Widget = ChoiceList(choice_labels(problem, lang),
                                        multi=kind == "multi_choice",
                                        true_false=kind == "true_false")
        elif kind in ("vector", "matrix"):
            answer = MatrixField(problem, lang)
        else:
            answer = AnswerInput()
        widgets += [
            answer,
            Static(answer_hint(problem, lang), id="hint", markup=False),
            Static("", id="hint-text", markup=False),
            Static("", id="invalid", markup=False),
        ]
        await body.mount_all(widgets)
        self.query_one("#hint-text").display = False
        self.query_one("#invalid").display = False
        self._render_chrome()
        body.scroll_home(animate=False)
        self.query_one("#answer").focus()
        self.refresh_bindings()

    def _prompt_text(self) -> str:
        """The question: for a part of an item set `Part n of k` and `(n) …` (no stem)."""
        problem, lang = self.session.problem, self.lang
        if not problem.part:
            return problem.prompt(lang)
        total = len(problem.stem.parts)
        return f"{t('itemset.part', lang, n=problem.part, total=total)}\n" \
            f"{problem.part_prompt(lang)}"

    def _meta_text(self) -> str:
        from quizapp.study.session import topic_title

        problem, lang = self.session.problem, self.lang
        template = problem.template
        parts = [
            topic_title(self.session.catalog, template.topic, lang),
            t(f"kind.{template.kind}", lang),
            t("study.difficulty", lang,
              stars="★" * template.difficulty + "☆" * (5 - template.difficulty)),
        ]
        if self.session.current.extra:
            parts.append(t("study.extra", lang))
        return " · ".join(parts)

    def _render_chrome(self) -> None:
        """The top line (mode, scope; template and seed at the right) and the progress."""
        session, lang = self.session, self.lang
        scope = session.scope.describe(session.catalog, lang)
        self.query_one("#study-scope", Static).update(
            f"{t('study.mode.' + session.mode, lang)} · {scope}"
        )
        problem = session.problem
        seed = (f"{problem.template_id}  {t('study.seed', lang, seed=problem.seed)}"
                if problem is not None and not self.empty else "")
        self.query_one("#study-seed", Static).update(seed)
        done, planned = session.progress()
        self.query_one(SessionProgress).show(done, planned, t("study.progress", lang))

    async def show_empty(self) -> None:
        self.empty = True
        body = self.query_one("#study-body", VerticalScroll)
        await body.remove_children()
        lines = self.session.empty_info().lines(self.app.now(), self.lang)
        await body.mount_all(
            [
                Static("\n".join(lines), id="empty", markup=False),
                Button(t("study.btn.cram", self.lang), id="btn-cram"),
                Button(t("study.btn.more_new", self.lang, n=MORE_NEW), id="btn-more-new"),
                Button(t("study.btn.home", self.lang), id="btn-home"),
            ]
        )
        self._render_chrome()
        self.query_one("#btn-cram", Button).focus()
        self.refresh_bindings()

    async def show_feedback(self) -> None:
        from quizapp.study.session import feedback_view, plot_data

        result = self.session.current.result
        view = feedback_view(result.problem, result.grade, self.lang, raw=result.raw,
                             gave_up=result.gave_up)
        answer = self.query_one("#answer")
        answer.disabled = True
        for widget_id in ("#hint", "#invalid", "#hint-text"):
            self.query_one(widget_id).display = False
        body = self.query_one("#study-body", VerticalScroll)
        for old in self.query("#feedback"):
            await old.remove()
        panel = FeedbackPanel(view, plot_data(result.problem), self.lang)
        await body.mount(panel)
        self._render_chrome()
        body.focus()
        body.scroll_to_widget(panel, animate=False)
        self.refresh_bindings()

    def _show_message(self, text: str) -> None:
        widget = self.query_one("#invalid", Static)
        widget.update(text)
        widget.display = True

    # ------------------------------------------------------------------ language

    def apply_language(self, lang: str) -> None:
        """Re-render every text in ``lang``; what was typed is kept."""
        from quizapp.study.session import answer_hint, choice_labels, invalid_text

        localize_bindings(self, lang)
        if not self.is_mounted:
            return
        if self.empty:
            self.call_later(self.show_empty)
            return
        problem = self.session.problem
        if problem is None:
            return
        self.query_one("#meta", Static).update(self._meta_text())
        self.query_one("#prompt", ProseStatic).show(self._prompt_text())
        if problem.part:
            from quizapp.study.itemsets import set_widgets_text

            stem, done = set_widgets_text(self.session, lang)
            self.query_one("#stem", ProseStatic).show(stem)
            self.query_one("#set-done", ProseStatic).show(done)
        self.query_one("#hint", Static).update(answer_hint(problem, lang))
        for choices in self.query(ChoiceList):
            choices.set_labels(choice_labels(problem, lang))
        for field in self.query(MatrixField):
            field.lang = lang
        if self._invalid is not None:
            self._show_message(invalid_text(self._invalid, lang))
        if self._hint_shown:
            self.action_hint()
        self._render_chrome()
        if self.answered:
            self.call_later(self.show_feedback)
        self.refresh_bindings()

