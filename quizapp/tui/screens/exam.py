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
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
)

from quizapp.exam import (
    CHECKPOINT_SECONDS,
    EXAM_KINDS,
    PRESETS,
    ExamError,
    ExamSession,
    ExamSpec,
    clock_warning,
    field_label,
    make_spec,
    preset_label,
    running_summary,
    spec_from_options,
    stored_pass_threshold,
)
from quizapp.i18n import t
from quizapp.packs.model import FIELDS, text_in
from quizapp.progress.store import StoreError
from quizapp.tui.localize import localize_bindings_from
from quizapp.tui.screens.exam_results import ExamHistoryScreen, ExamResultsScreen
from quizapp.tui.widgets.exam_grid import (
    FLAG,
    Countdown,
    GridLegend,
    OptionLine,
    QuestionGrid,
)

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


def item_numbers(indices: list[int], limit: int = 25) -> str:
    """``[0, 3, 4]`` → ``"1, 4, 5"`` (at most ``limit`` numbers, then ``…``)."""
    shown = ", ".join(str(i + 1) for i in indices[:limit])
    return shown + (", …" if len(indices) > limit else "")


# --------------------------------------------------------------------------- modals


class ConfirmSubmitScreen(ModalScreen[bool]):
    """Submit now? Lists the unanswered and flagged items. Dismisses True to submit."""

    DEFAULT_CSS = """
    ConfirmSubmitScreen {
        align: center middle;
    }
    ConfirmSubmitScreen > Vertical {
        width: 72;
        height: auto;
        padding: 1 2;
        border: thick $warning;
        background: $surface;
    }
    ConfirmSubmitScreen .title {
        text-style: bold;
        margin-bottom: 1;
    }
    ConfirmSubmitScreen .final {
        margin-top: 1;
    }
    ConfirmSubmitScreen Horizontal {
        height: auto;
        margin-top: 1;
    }
    ConfirmSubmitScreen Button {
        margin-right: 2;
    }
    """

    BINDINGS = [
        Binding("escape", "keep", "Back", id="exam.confirm.no"),
        Binding("y", "submit", "Submit", show=False, id="exam.confirm.yes"),
        Binding("n", "keep", "Back", show=False, id="exam.confirm.no_n"),
    ]

    def __init__(self, unanswered: list[int], flagged: list[int], lang: str) -> None:
        super().__init__()
        self.unanswered = unanswered
        self.flagged = flagged
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical():
            yield Label(t("examui.confirm_title", lang), classes="title")
            if self.unanswered:
                yield Static(
                    t(
                        "examui.confirm_unanswered",
                        lang,
                        count=len(self.unanswered),
                        items=item_numbers(self.unanswered),
                    ),
                    id="confirm-unanswered",
                    markup=False,
                )
            else:
                yield Static(t("examui.confirm_all_done", lang), id="confirm-unanswered")
            if self.flagged:
                yield Static(
                    t(
                        "examui.confirm_flagged",
                        lang,
                        count=len(self.flagged),
                        items=item_numbers(self.flagged),
                    ),
                    id="confirm-flagged",
                    markup=False,
                )
            yield Static(t("examui.confirm_final", lang), classes="final")
            with Horizontal():
                yield Button(t("examui.confirm_yes", lang), id="confirm-yes", variant="warning")
                yield Button(t("examui.confirm_no", lang), id="confirm-no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def action_submit(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_keep(self) -> None:
        self.dismiss(False)


class JumpScreen(ModalScreen[int | None]):
    """Type an item number; dismisses the 0-based index, or None on escape."""

    DEFAULT_CSS = """
    JumpScreen {
        align: center middle;
    }
    JumpScreen > Vertical {
        width: 44;
        height: auto;
        padding: 1 2;
        border: thick $primary;
        background: $surface;
    }
    JumpScreen #jump-error {
        color: $error;
        height: auto;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="exam.jump.cancel")]

    def __init__(self, count: int, lang: str) -> None:
        super().__init__()
        self.count = count
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(t("examui.jump_title", self.lang))
            yield Input(placeholder=f"1–{self.count}", type="integer", id="jump-input")
            yield Static("", id="jump-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text.isdigit() and 1 <= int(text) <= self.count:
            self.dismiss(int(text) - 1)
            return
        self.query_one("#jump-error", Static).update(t("examui.jump_bad", self.lang, n=self.count))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ResumeOrNewScreen(ModalScreen[str | None]):
    """An exam is unfinished: "resume", "new" (abandon it) or None (cancel)."""

    DEFAULT_CSS = """
    ResumeOrNewScreen {
        align: center middle;
    }
    ResumeOrNewScreen > Vertical {
        width: 80;
        height: auto;
        padding: 1 2;
        border: thick $primary;
        background: $surface;
    }
    ResumeOrNewScreen .title {
        text-style: bold;
        margin-bottom: 1;
    }
    ResumeOrNewScreen Horizontal {
        height: auto;
        margin-top: 1;
    }
    ResumeOrNewScreen Button {
        margin-right: 2;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="exam.running.cancel")]

    def __init__(
        self, summary: str, lang: str, *, can_resume: bool = True, detail: str | None = None
    ) -> None:
        super().__init__()
        self.summary = summary
        self.lang = lang
        self.can_resume = can_resume
        self.detail = detail

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical():
            yield Label(t("examui.running_title", lang), classes="title")
            yield Static(self.summary, markup=False, id="running-summary")
            if self.detail:
                yield Static(self.detail, markup=False, id="running-detail")
            with Horizontal():
                if self.can_resume:
                    yield Button(
                        t("examui.resume_it", lang), id="running-resume", variant="primary"
                    )
                yield Button(
                    t("examui.start_new" if self.can_resume else "examui.abandon", lang),
                    id="running-new",
                    variant="warning",
                )
                yield Button(t("examui.cancel", lang), id="running-cancel")

    @on(Button.Pressed, "#running-resume")
    def resume(self) -> None:
        self.dismiss("resume")

    @on(Button.Pressed, "#running-new")
    def new(self) -> None:
        self.dismiss("new")

    @on(Button.Pressed, "#running-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class SetupChoice:
    """What the setup dialog decided: "start" (with a spec), "resume" or "history"."""

    action: str
    spec: ExamSpec | None = None


class ExamSetupScreen(ModalScreen[SetupChoice | None]):
    """Choose a preset or a custom size, the topics, the pass line; or resume/history."""

    DEFAULT_CSS = """
    ExamSetupScreen {
        align: center middle;
    }
    ExamSetupScreen > VerticalScroll {
        width: 96;
        height: auto;
        max-height: 38;
        padding: 0 2;
        border: thick $primary;
        background: $surface;
    }
    ExamSetupScreen .title {
        text-style: bold;
        margin: 1 0;
    }
    ExamSetupScreen .running {
        height: auto;
        margin-bottom: 1;
        padding: 0 1;
        border: round $warning;
    }
    ExamSetupScreen .row {
        height: auto;
    }
    ExamSetupScreen .field {
        width: 1fr;
        height: auto;
        margin-right: 2;
    }
    ExamSetupScreen RadioSet {
        width: 100%;
        layout: horizontal;
    }
    ExamSetupScreen RadioSet > RadioButton {
        width: auto;
        margin-right: 2;
    }
    ExamSetupScreen SelectionList {
        height: auto;
        max-height: 10;
    }
    ExamSetupScreen #setup-rule {
        color: $text-muted;
        margin-top: 1;
    }
    ExamSetupScreen #setup-error {
        color: $error;
        height: auto;
    }
    ExamSetupScreen .buttons {
        height: auto;
        margin: 1 0;
    }
    ExamSetupScreen Button {
        margin-right: 2;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="exam.setup.cancel"),
        Binding("ctrl+s", "start", "Start", id="exam.setup.start"),
        Binding("f2", "resume", "Resume", id="exam.setup.resume"),
        Binding("f3", "history", "History", id="exam.setup.history"),
    ]

    def __init__(
        self,
        catalog: Any,
        lang: str,
        *,
        running: str | None = None,
        pass_threshold: float | None = None,
        error: str | None = None,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.lang = lang
        self.running = running
        self.pass_threshold = pass_threshold
        self.error = error
        self.topics = self._usable_topics()

    def _usable_topics(self) -> list[tuple[str, str, str, int]]:
        """(topic, title, field, usable templates) for topics with exam items."""
        found: dict[str, list[Any]] = {}
        for ref in self.catalog.templates.values():
            if ref.template.kind in EXAM_KINDS:
                found.setdefault(ref.template.topic, []).append(ref)
        out = []
        for topic, refs in found.items():
            declared = None
            for ref in refs:
                declared = ref.pack.topics.get(topic)
                if declared is not None:
                    break
            title = text_in(declared.title, self.lang) if declared is not None else topic
            out.append((topic, title, refs[0].template.field, len(refs)))
        out.sort(key=lambda r: (FIELDS.index(r[2]) if r[2] in FIELDS else 9, r[0]))
        return out

    def compose(self) -> ComposeResult:
        lang = self.lang
        threshold = self.pass_threshold if self.pass_threshold is not None else 0.65
        with VerticalScroll():
            yield Label(t("examui.setup_title", lang), classes="title")
            if self.running:
                with Vertical(classes="running"):
                    yield Static(self.running, markup=False, id="setup-running")
                    yield Static(t("examui.new_abandons", lang))
            yield Label(t("examui.format", lang))
            with RadioSet(id="setup-preset"):
                yield RadioButton(t("exam.preset.quick", lang), value=True, id="preset-quick")
                yield RadioButton(t("exam.preset.full", lang), id="preset-full")
                yield RadioButton(t("exam.preset.custom", lang), id="preset-custom")
            with Horizontal(classes="row"):
                with Vertical(classes="field"):
                    yield Label(t("examui.questions", lang))
                    yield Input(
                        str(PRESETS["quick"].questions),
                        type="integer",
                        id="setup-questions",
                        disabled=True,
                    )
                with Vertical(classes="field"):
                    yield Label(t("examui.minutes", lang))
                    yield Input(
                        str(PRESETS["quick"].minutes),
                        type="integer",
                        id="setup-minutes",
                        disabled=True,
                    )
                with Vertical(classes="field"):
                    yield Label(t("examui.pass_percent", lang))
                    yield Input(f"{threshold * 100:g}", id="setup-pass")
                with Vertical(classes="field"):
                    yield Label(t("examui.seed", lang))
                    yield Input("", type="integer", id="setup-seed")
            yield Label(t("examui.topics", lang))
            yield SelectionList[str](
                *[
                    (
                        t(
                            "examui.topic_line",
                            lang,
                            title=title,
                            field=field_label(fld, lang),
                            count=count,
                        ),
                        topic,
                        True,
                    )
                    for topic, title, fld, count in self.topics
                ],
                id="setup-topics",
            )
            yield Static(
                t("exam.time_rule", lang) + "\n" + t("examui.pass_hint", lang), id="setup-rule"
            )
            yield Static(self.error or "", id="setup-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(
                    f"{t('examui.start', lang)} (ctrl+s)", id="setup-start", variant="primary"
                )
                if self.running:
                    yield Button(
                        f"{t('examui.resume', lang)} (F2)", id="setup-resume", variant="success"
                    )
                yield Button(f"{t('examui.history', lang)} (F3)", id="setup-history")
                yield Button(t("examui.cancel", lang), id="setup-cancel")

    def on_mount(self) -> None:
        if not self.topics:
            self._error(t("examui.no_usable_topics", self.lang))
        target = "#setup-resume" if self.running else "#setup-start"
        self.query_one(target, Button).focus()

    def _error(self, text: str) -> None:
        self.query_one("#setup-error", Static).update(text)

    @on(RadioSet.Changed, "#setup-preset")
    def preset_changed(self, event: RadioSet.Changed) -> None:
        name = (event.pressed.id or "").removeprefix("preset-")
        custom = name == "custom"
        questions = self.query_one("#setup-questions", Input)
        minutes = self.query_one("#setup-minutes", Input)
        questions.disabled = minutes.disabled = not custom
        if name in PRESETS:
            questions.value = str(PRESETS[name].questions)
            minutes.value = str(PRESETS[name].minutes)

    def _whole(self, input_id: str, what_key: str, *, empty_ok: bool = False) -> int | None:
        text = self.query_one(input_id, Input).value.strip()
        if not text and empty_ok:
            return None
        if not text.isdigit():
            raise ExamError("examui.not_whole", what=t(what_key, self.lang), text=text)
        return int(text)

    def spec(self) -> ExamSpec:
        """The spec of the dialog's fields (raises ``ExamError`` with a message)."""
        pressed = self.query_one("#setup-preset", RadioSet).pressed_button
        name = (pressed.id if pressed else "preset-quick").removeprefix("preset-")
        seed = self._whole("#setup-seed", "examui.seed", empty_ok=True)
        pass_text = self.query_one("#setup-pass", Input).value.strip().rstrip("%").strip()
        try:
            percent = float(pass_text)
        except ValueError:
            percent = -1.0
        if not 0 <= percent <= 100:
            raise ExamError(
                "examui.not_percent", what=t("examui.pass_percent", self.lang), text=pass_text
            )
        selected = list(self.query_one("#setup-topics", SelectionList).selected)
        if not selected:
            raise ExamError("examui.no_topics")
        topics = None if len(selected) == len(self.topics) else selected
        if name == "custom":
            questions = self._whole("#setup-questions", "examui.questions")
            minutes = self._whole("#setup-minutes", "examui.minutes")
            return make_spec(
                questions=questions,
                minutes=minutes,
                seed=seed,
                topics=topics,
                pass_threshold=percent / 100,
            )
        return make_spec(preset=name, seed=seed, topics=topics, pass_threshold=percent / 100)

    @on(Button.Pressed, "#setup-start")
    @on(Input.Submitted)
    def action_start(self) -> None:
        if not self.topics:
            self._error(t("examui.no_usable_topics", self.lang))
            return
        try:
            spec = self.spec()
        except ExamError as exc:
            self._error(exc.text(self.lang))
            return
        self.dismiss(SetupChoice("start", spec))

    @on(Button.Pressed, "#setup-resume")
    def action_resume(self) -> None:
        if self.running:
            self.dismiss(SetupChoice("resume"))

    @on(Button.Pressed, "#setup-history")
    def action_history(self) -> None:
        self.dismiss(SetupChoice("history"))

    @on(Button.Pressed, "#setup-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


# --------------------------------------------------------------------------- the exam


class ExamScreen(Screen[None]):
    """The timed exam: the current item, its options, the grid, the countdown.

    ``ExamScreen(session, lang=..., scheduler=..., catalog=...)``. The clock is the
    session's; ``tick_seconds`` is how often the countdown is redrawn (0: never, for
    tests that call ``tick()`` themselves).
    """

    DEFAULT_CSS = """
    ExamScreen #exam-top {
        dock: top;
        height: 1;
        background: $panel;
    }
    ExamScreen #exam-heading {
        width: 1fr;
        padding: 0 1;
        text-style: bold;
    }
    ExamScreen #exam-main {
        height: 1fr;
    }
    ExamScreen #exam-question {
        width: 1fr;
        padding: 1 2;
    }
    ExamScreen #exam-item-head {
        color: $text-muted;
        margin-bottom: 1;
    }
    ExamScreen #exam-prompt {
        margin-bottom: 1;
    }
    ExamScreen #exam-code {
        background: $boost;
        padding: 0 1;
        margin-bottom: 1;
    }
    ExamScreen #exam-options {
        height: auto;
    }
    ExamScreen #exam-multi {
        color: $warning;
        margin-bottom: 1;
    }
    ExamScreen #exam-side {
        width: 42;
        padding: 1 1;
        border-left: vkey $panel-lighten-1;
    }
    ExamScreen #exam-legend, ExamScreen #exam-notes {
        margin-top: 1;
        color: $text-muted;
    }
    """

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
        Binding("escape", "leave", "Pause & leave", id="exam.leave"),
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
        with Horizontal(id="exam-main"):
            with VerticalScroll(id="exam-question"):
                yield Static("", id="exam-item-head", markup=False)
                yield Static("", id="exam-prompt", markup=False)
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
                yield Static("\n\n".join(notes), id="exam-notes", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show_item(self.current)
        self._show_clock(self.session.remaining())
        if self.tick_seconds > 0:
            self.set_interval(self.tick_seconds, self.tick)
        if self.session.time_up():
            self.call_after_refresh(self._finish, True)

    def on_unmount(self) -> None:
        self.close_session()

    def close_session(self) -> None:
        """Stop the exam clock (the app calls this on quit; leaving the screen does too)."""
        if self.session.score is None:
            try:
                self.session.pause()
            except StoreError:
                pass  # the clock was checkpointed on the last answer/tick: little is lost

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
        self.query_one("#exam-item-head", Static).update("   ".join(head))
        self.query_one("#exam-prompt", Static).update(Text(q.prompt(lang)))
        code = self.query_one("#exam-code", Static)
        code.display = bool(q.code)
        code.update(Text(q.code.rstrip("\n")) if q.code else "")
        self.query_one("#exam-multi", Static).display = q.multi
        picked = set(q.picked(s.answer_of(self.current)))
        for line in self.query(OptionLine):
            n = line.number
            if n <= len(q.options):
                line.display = True
                line.update(Text(f"({n}) {q.options[n - 1].text(lang)}"))
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

    # -- the clock

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


# --------------------------------------------------------------------------- entry point


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
