"""The setup dialog of the mock exam: a preset or a custom size, the topics, the pass
line and the seed; or resume the unfinished exam, or open the history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, SelectionList, Static

from quizapp.exam import (
    PRESETS,
    ExamError,
    ExamSpec,
    field_label,
    make_spec,
    usable_in_exams,
)
from quizapp.i18n import t, text_in
from quizapp.packs.fields import field_rank
from quizapp.tui.widgets.mathblock import ProseStatic


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
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 0 1;
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
        margin-right: 1;
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
        """(topic, title, field, usable templates) for topics with exam items (an item set
        counts when every part can be set, as the exam builder decides)."""
        found: dict[str, list[Any]] = {}
        for ref in self.catalog.templates.values():
            if usable_in_exams(ref.template):
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
        out.sort(key=lambda r: (field_rank(r[2]), r[0]))
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
                    yield Input("", type="integer", id="setup-seed",
                                placeholder=t("examui.seed_placeholder", lang))
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
            yield ProseStatic(
                t("exam.time_rule", lang) + "\n" + t("examui.pass_hint", lang), id="setup-rule"
            )
            yield Static(self.error or "", id="setup-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_with_key("examui.start", "Ctrl+S", lang), id="setup-start",
                             variant="primary")
                if self.running:
                    yield Button(_with_key("examui.resume", "F2", lang), id="setup-resume",
                                 variant="success")
                yield Button(_with_key("examui.history", "F3", lang), id="setup-history")
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


def _with_key(label_key: str, key: str, lang: str) -> str:
    """A button's label with its key: 「開始（Ctrl+S）」, "Start (Ctrl+S)"."""
    return t("examui.with_key", lang, label=t(label_key, lang), key=key)
