"""The small dialogs of the mock exam: confirm submitting, jump to an item, and
"an exam is unfinished: resume or start a new one"."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from quizapp.i18n import t


def item_numbers(indices: list[int], limit: int = 25) -> str:
    """``[0, 3, 4]`` → ``"1, 4, 5"`` (at most ``limit`` numbers, then ``…``)."""
    shown = ", ".join(str(i + 1) for i in indices[:limit])
    return shown + (", …" if len(indices) > limit else "")


class ConfirmSubmitScreen(ModalScreen[bool]):
    """Submit now? Lists the unanswered and flagged items. Dismisses True to submit."""

    DEFAULT_CSS = """
    ConfirmSubmitScreen {
        align: center middle;
    }
    ConfirmSubmitScreen > Vertical {
        width: 72;
        max-width: 100%;
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
        max-width: 100%;
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
