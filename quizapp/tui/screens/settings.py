"""The settings screen: language and theme apply at once; limits are checked, then saved.

Each change is saved to the progress store as soon as it is made (one small write);
values come from and go through ``quizapp.progress.settings`` (labels, help, parsing).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, RadioButton, RadioSet, Select, Static

from quizapp.i18n import LANGS, t
from quizapp.tui.localize import localize_bindings
from quizapp.tui.widgets.footer import Footer

FIELDS = ("language", "theme", "daily_new_limit", "desired_retention")


class SettingsScreen(Screen[None]):
    """The settings: language, theme, the daily limit of new templates, the target retention."""

    DEFAULT_CSS = """
    #settings-body {
        padding: 1 2;
    }
    #settings-title {
        text-style: bold;
        margin-bottom: 1;
    }
    #settings-note {
        color: $text-muted;
        margin-bottom: 1;
    }
    .setting-label {
        text-style: bold;
        margin-top: 1;
    }
    .setting-help {
        color: $text-muted;
    }
    .setting-input {
        width: 30;
    }
    #set-theme {
        width: 40;
    }
    .setting-error {
        color: $warning;
        height: auto;
    }
    """

    BINDINGS = [Binding("escape", "back", "Back", id="settings.back")]

    def __init__(self) -> None:
        super().__init__()
        localize_bindings(self, self.app.lang)

    @property
    def lang(self) -> str:
        return self.app.lang

    def compose(self) -> ComposeResult:
        settings = self.app.settings
        with VerticalScroll(id="settings-body"):
            yield Static(id="settings-title", markup=False)
            yield Static(id="settings-note", markup=False)
            for name in FIELDS:
                yield Static(id=f"label-{name}", classes="setting-label", markup=False)
                yield Static(id=f"help-{name}", classes="setting-help", markup=False)
                if name == "language":
                    with RadioSet(id="set-language"):
                        for lang in LANGS:
                            yield RadioButton(lang, value=settings.language == lang,
                                              id=f"lang-{lang}")
                elif name == "theme":
                    themes = sorted(self.app.available_themes)
                    yield Select([(n, n) for n in themes], value=self.app.theme,
                                 allow_blank=False, id="set-theme")
                else:
                    yield Input(str(getattr(settings, name)), id=f"set-{name}",
                                classes="setting-input")
                yield Static("", id=f"error-{name}", classes="setting-error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._render_texts()
        self.query_one("#set-language").focus()

    def apply_language(self, lang: str) -> None:
        localize_bindings(self, lang)
        if self.is_mounted:
            self._render_texts()

    def _render_texts(self) -> None:
        from quizapp.progress.settings import field_help, field_label, language_name

        lang = self.lang
        self.query_one("#settings-title", Static).update(t("settings.title", lang))
        self.query_one("#settings-note", Static).update(t("settings.saved_note", lang))
        for name in FIELDS:
            self.query_one(f"#label-{name}", Static).update(field_label(name, lang))
            self.query_one(f"#help-{name}", Static).update(field_help(name, lang))
        for code in LANGS:
            self.query_one(f"#lang-{code}", RadioButton).label = language_name(code, lang)

    # ------------------------------------------------------------------ changes

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        code = (event.pressed.id or "").removeprefix("lang-")
        if code in LANGS and code != self.app.lang:
            self.app.set_language(code)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "set-theme" and isinstance(event.value, str):
            if event.value != self.app.theme:
                self.app.set_theme(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._save_input(event.input)

    def on_descendant_blur(self, event: object) -> None:
        widget = getattr(event, "widget", None)
        if isinstance(widget, Input):
            self._save_input(widget)

    def _save_input(self, widget: Input) -> None:
        from quizapp.progress.settings import SettingError, field_label, parse_setting

        name = (widget.id or "").removeprefix("set-")
        if name not in FIELDS:
            return
        error = self.query_one(f"#error-{name}", Static)
        try:
            value = parse_setting(name, widget.value)
        except SettingError as exc:
            error.update(exc.text(self.lang))
            return
        error.update("")
        if value != getattr(self.app.settings, name) and self.app.save_setting(name, value):
            self.notify(t("settings.saved", self.lang, name=field_label(name, self.lang)))
            self.app.refresh_home()

    def before_quit(self) -> None:
        """ctrl+q: save a number that was typed but not yet confirmed with Enter."""
        for widget in self.query(".setting-input").results(Input):
            self._save_input(widget)

    def action_back(self) -> None:
        self.before_quit()
        self.dismiss()
