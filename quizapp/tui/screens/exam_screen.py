"""The timed exam screen: the current item, its options, the grid, the countdown.

It never shows whether an answer is right: that waits for the results screen
(``quizapp.tui.screens.exam_results``). Two mixins hold the rest of the screen: fitting
it to the window (``exam_screen_fit``), and the clock and the end of the exam
(``exam_screen_clock``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from quizapp.exam import (
    ExamSession,
    field_label,
    preset_label,
)
from quizapp.i18n import t
from quizapp.progress.store import StoreError
from quizapp.tui.localize import localize_bindings_from
from quizapp.tui.screens.exam_dialogs import JumpScreen
from quizapp.tui.screens.exam_screen_clock import ExamClockMixin
from quizapp.tui.screens.exam_screen_css import EXAM_SCREEN_CSS
from quizapp.tui.screens.exam_screen_fit import ExamFitMixin
from quizapp.tui.widgets.exam_grid import (
    FLAG,
    Countdown,
    GridLegend,
    OptionLine,
    QuestionGrid,
)
from quizapp.tui.widgets.footer import Footer
from quizapp.tui.widgets.mathblock import ProseStatic

MAX_OPTIONS = 8


_EXAM_BINDINGS: dict[str, tuple[str, str]] = {
    "exam.choose": ("examui.choose", "examui.choose_tip"),
    "exam.prev": ("examui.prev", "examui.nav_tip"),
    "exam.next": ("examui.next", "examui.nav_tip"),
    "exam.prev_p": ("examui.prev", "examui.nav_tip"),
    "exam.next_n": ("examui.next", "examui.nav_tip"),
    "exam.flag": ("examui.flag", "examui.flag_tip"),
    "exam.goto": ("examui.goto", "examui.goto_tip"),
    "exam.unanswered": ("examui.next_unanswered", "examui.unanswered_tip"),
    "exam.flagged": ("examui.next_flagged", "examui.flagged_tip"),
    "exam.submit": ("examui.submit", "examui.submit_tip"),
    "exam.leave": ("examui.leave", "examui.leave_tip"),
}


class ExamScreen(ExamFitMixin, ExamClockMixin, Screen[None]):
    """The timed exam: the current item, its options, the grid, the countdown.

    ``ExamScreen(session, lang=..., scheduler=..., catalog=...)``. The clock is the
    session's; ``tick_seconds`` is how often the countdown is redrawn (0: never, for
    tests that call ``tick()`` themselves).
    """

    DEFAULT_CSS = EXAM_SCREEN_CSS

    BINDINGS = [
        *[
            Binding(
                str(n),
                f"choose({n})",
                "Choose",
                show=n <= 4,
                id="exam.choose",
                group=Binding.Group("Choose", compact=True),
            )
            for n in range(1, MAX_OPTIONS + 1)
        ],
        Binding("left", "move(-1)", "Previous", key_display="←", priority=True, id="exam.prev"),
        Binding("right", "move(1)", "Next", key_display="→", priority=True, id="exam.next"),
        Binding("p", "move(-1)", "Previous", show=False, id="exam.prev_p"),
        Binding("n", "move(1)", "Next", show=False, id="exam.next_n"),
        Binding("f", "flag", "Flag", id="exam.flag"),
        Binding("g", "goto", "Go to", id="exam.goto"),
        Binding("u", "next_unanswered", "Unanswered", id="exam.unanswered"),
        Binding("v", "next_flagged", "Flagged", id="exam.flagged"),
        Binding("s", "submit", "Submit", id="exam.submit"),
        Binding("escape", "leave", "Pause & leave", key_display="esc", id="exam.leave"),
    ]

    def __init__(
        self,
        session: ExamSession,
        *,
        lang: str,
        scheduler: Any = None,
        catalog: Any = None,
        store: Any = None,
        tick_seconds: float = 1.0,
        start_at: int | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.lang = lang
        self.scheduler = scheduler
        self.catalog = catalog
        self.store = store if store is not None else session.store
        self.tick_seconds = tick_seconds
        self.count = len(session.exam.questions)
        unanswered = session.unanswered()
        first = session.open_index if session.open_index is not None else (
            unanswered[0] if unanswered else 0)  # the item open when it was left
        self.current = start_at if start_at is not None else first
        self._last_remaining = session.remaining()
        self._last_checkpoint = session.clock()
        self._finishing = False
        self._redrawing = False
        localize_bindings_from(self, _EXAM_BINDINGS, lang, group_key="examui.choose")

    # -- layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="exam-top"):
            yield Static("", id="exam-heading", markup=False)
            yield Countdown(self.lang, id="exam-clock")
        yield Static(t("examui.too_small", self.lang), id="exam-too-small")
        with Horizontal(id="exam-main"):
            with VerticalScroll(id="exam-question"):
                yield ProseStatic(id="exam-item-head")
                yield ProseStatic(id="exam-prompt")
                yield Static("", id="exam-code", markup=False)
                yield Static(t("exam.choose_all", self.lang), id="exam-multi")
                with Vertical(id="exam-options"):
                    for n in range(1, MAX_OPTIONS + 1):
                        yield OptionLine(n)
            with VerticalScroll(id="exam-side"):
                yield QuestionGrid(self.count, id="exam-grid")
                yield GridLegend(self.lang, id="exam-legend")
                notes = [n.text(self.lang) for n in self.session.exam.notes]
                notes.append(t("exam.time_rule", self.lang))
                yield ProseStatic("\n\n".join(notes), id="exam-notes")
        with Vertical(id="exam-bottom"):
            yield Static("", id="exam-keys")
            yield Footer()

    def on_mount(self) -> None:
        self.show_item(self.current)
        self._show_clock(self.session.remaining())
        if self.tick_seconds > 0:
            self.set_interval(self.tick_seconds, self.tick)
        if self.session.time_up():
            self.call_after_refresh(self._finish, True)

    def on_resize(self) -> None:
        self._fit(self.size.width, self.size.height)

    def on_unmount(self) -> None:
        self.close_session()

    def apply_language(self, lang: str) -> None:
        """Show the exam in ``lang`` (the app calls this when the language changes)."""
        self.lang = lang
        localize_bindings_from(self, _EXAM_BINDINGS, lang, group_key="examui.choose")

        async def redraw() -> None:
            self._redrawing = True
            try:
                await self.recompose()
            finally:
                self._redrawing = False
            self.show_item(self.current)
            self._show_clock(self.session.remaining())

        self.call_later(redraw)

    # -- showing

    def _states(self) -> tuple[list[str], list[bool]]:
        s = self.session
        states = [
            "answered" if s.answer_of(q.index) is not None else "unanswered"
            for q in s.exam.questions
        ]
        flags = [s.flagged(q.index) for q in s.exam.questions]
        return states, flags

    def _heading(self) -> str:
        s = self.session
        progress = t(
            "exam.progress",
            self.lang,
            answered=s.answered_count(),
            total=self.count,
            flagged=len(s.flagged_items()),
        )
        return t(
            "examui.heading",
            self.lang,
            preset=preset_label(s.exam.spec.preset, self.lang),
            progress=progress,
        )

    def show_item(self, index: int) -> None:
        """Show item ``index`` (0-based) with the options chosen so far."""
        self.current = max(0, min(self.count - 1, index))
        s = self.session
        try:
            s.set_open(self.current)
        except StoreError:
            pass  # only the place to reopen is lost
        q = s.exam.questions[self.current]
        lang = self.lang
        head = [
            t("exam.item_of", lang, n=self.current + 1, total=self.count),
            t(
                "exam.field_topic",
                lang,
                field=field_label(q.item.field, lang),
                topic=s.exam.topic_title(q.item.topic, lang),
            ),
        ]
        if s.flagged(self.current):
            head.append(t("examui.flag_on", lang, flag=FLAG))
        self.query_one("#exam-item-head", ProseStatic).show("   ".join(head))
        self.query_one("#exam-prompt", ProseStatic).show(q.prompt(lang))
        code = self.query_one("#exam-code", Static)
        code.display = bool(q.code)
        code.update(Text(q.code.rstrip("\n")) if q.code else "")
        self.query_one("#exam-multi", Static).display = q.multi
        picked = set(q.picked(s.answer_of(self.current)))
        for line in self.query(OptionLine):
            n = line.number
            if n <= len(q.options):
                line.display = True
                line.show(q.options[n - 1].text(lang), prefix=f"({n}) ")
                line.set_class(n in picked, "-selected")
            else:
                line.display = False
                line.set_class(False, "-selected")
        self._refresh_status()
        self.query_one("#exam-question", VerticalScroll).scroll_home(animate=False)

    def _refresh_status(self) -> None:
        states, flags = self._states()
        self.query_one(QuestionGrid).show(states, flags, self.current)
        self.query_one("#exam-heading", Static).update(self._heading())

    def _show_clock(self, remaining: float) -> None:
        self.query_one(Countdown).show_remaining(remaining)

    # -- actions

    def _save(self, action: Callable[[], Any]) -> bool:
        try:
            action()
        except StoreError as exc:
            self.notify(
                t("examui.save_failed", self.lang, error=exc.text(self.lang)),
                severity="error",
                timeout=10,
            )
            return False
        except ValueError as exc:  # the exam is no longer running (finished elsewhere)
            self.notify(t("examui.save_failed", self.lang, error=str(exc)), severity="error")
            return False
        self._last_checkpoint = self.session.clock()
        return True

    def action_choose(self, number: int) -> None:
        q = self.session.exam.questions[self.current]
        if number > len(q.options) or self.session.score is not None:
            return
        if self._save(lambda: self.session.choose(self.current, number)):
            self.show_item(self.current)

    @on(OptionLine.Chosen)
    def option_clicked(self, event: OptionLine.Chosen) -> None:
        self.action_choose(event.number)

    def action_move(self, step: int) -> None:
        self.show_item((self.current + step) % self.count)

    @on(QuestionGrid.Selected)
    def grid_clicked(self, event: QuestionGrid.Selected) -> None:
        self.show_item(event.index)

    def action_flag(self) -> None:
        if self._save(lambda: self.session.toggle_flag(self.current)):
            self.show_item(self.current)

    def _next_of(self, indices: list[int]) -> int | None:
        if not indices:
            return None
        later = [i for i in indices if i > self.current]
        return later[0] if later else indices[0]

    def action_next_unanswered(self) -> None:
        target = self._next_of(self.session.unanswered())
        if target is None:
            self.notify(t("examui.none_unanswered", self.lang))
        else:
            self.show_item(target)

    def action_next_flagged(self) -> None:
        target = self._next_of(self.session.flagged_items())
        if target is None:
            self.notify(t("examui.none_flagged", self.lang))
        else:
            self.show_item(target)

    def action_goto(self) -> None:
        def jump(index: int | None) -> None:
            if index is not None:
                self.show_item(index)

        self.app.push_screen(JumpScreen(self.count, self.lang), jump)
