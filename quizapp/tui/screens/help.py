"""Every key of the app on one screen, in the user's language.

The tables are built from the screens' own ``BINDINGS`` (so they cannot drift from
what the keys do), plus the keys that belong to the answer widgets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from quizapp.i18n import t
from quizapp.tui.localize import binding_text, localize_bindings
from quizapp.tui.widgets.footer import Footer

_KEY_NAMES = {
    "enter": "Enter",
    "escape": "Esc",
    "space": "Space",
    "question_mark": "?",
    "tab": "Tab",
    "up": "↑",
    "down": "↓",
}


def key_name(key: str) -> str:
    """A key as people write it: Enter, Esc, Ctrl+N, F1, ?."""
    parts = key.split("+")
    out = []
    for part in parts:
        if part in _KEY_NAMES:
            out.append(_KEY_NAMES[part])
        elif part in ("ctrl", "shift", "alt"):
            out.append(part.capitalize())
        elif len(part) > 1 and part[0] == "f" and part[1:].isdigit():
            out.append(part.upper())
        else:
            out.append(part.upper() if len(parts) > 1 else part)
    return "+".join(out)


def _key_display(app: Any, binding: Binding) -> str:
    return key_name(binding.key)


class HelpScreen(Screen[None]):
    """The keys of every screen, from their bindings, in the user's language."""

    DEFAULT_CSS = """
    #help-body {
        padding: 1 2;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Close", id="help.back"),
        Binding("f1", "back", "Close", id="help.back_f1", show=False),
        Binding("q", "back", "Close", id="help.back_q", show=False),
    ]

    def __init__(self, sources: Mapping[str, Sequence[Any]] | None = None, *,
                 current: type | None = None) -> None:
        """``sources``: per section (global, home, study, exam, …), the classes whose
        bindings it lists, each a class or ``(class, {binding id: (message key, tip key)})``;
        the app passes them in, so this screen imports no other. ``current``: the screen
        help was opened from (its section comes first)."""
        super().__init__()
        self.sources: Mapping[str, Sequence[Any]] = sources or {}
        self.current = current
        localize_bindings(self, self.app.lang)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(id="help-content")
        yield Footer()

    def on_mount(self) -> None:
        self._render_texts()

    def apply_language(self, lang: str) -> None:
        localize_bindings(self, lang)
        if self.is_mounted:
            self._render_texts()

    def tables(self, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
        """(section, [(key, description)]) for every screen; used by the tests too."""
        def text_of(binding: Binding, texts: Mapping[str, Any]) -> str:
            entry = texts.get(binding.id or "")
            if entry is not None:
                return t(entry[0], lang)
            return binding_text(binding, lang)[0]

        def rows(source: Any) -> list[tuple[str, str]]:
            cls, texts = source if isinstance(source, tuple) else (source, {})
            out = []
            seen = set()
            for binding in cls.BINDINGS:
                if binding.action in ("no_hint",):
                    continue
                description = text_of(binding, texts)
                if (binding.action, description) in seen:
                    continue
                seen.add((binding.action, description))
                same = [b for b in cls.BINDINGS
                        if b.action == binding.action and text_of(b, texts) == description]
                keys = " / ".join(_key_display(self.app, b) for b in same)
                out.append((keys, description))
            return out

        def _all(classes: Any) -> list[tuple[str, str]]:
            return [row for cls in classes for row in rows(cls)]

        sections = [
            ("global", t("help.global", lang), _all(self.sources.get("global", ()))),
            ("home", t("help.home", lang), _all(self.sources.get("home", ()))
             + [("Space", t("help.tree", lang)), ("Tab", t("help.tab", lang))]),
            ("study", t("help.study", lang), _all(self.sources.get("study", ()))),
            ("study", t("help.answering", lang), [
                ("Enter", t("help.enter_submit", lang)),
                ("1–4", t("help.digits", lang)),
                ("↑ ↓", t("help.arrows", lang)),
                ("Space", t("help.space", lang)),
                ("t / f", t("help.tf", lang)),
            ]),
            ("summary", t("help.summary", lang), _all(self.sources.get("summary", ()))),
            ("exam", t("help.exam", lang), _all(self.sources.get("exam", ()))),
            ("exam_results", t("help.exam_results", lang),
             _all(self.sources.get("exam_results", ()))),
            ("stats", t("help.stats", lang), _all(self.sources.get("stats", ()))),
            ("cohort", t("help.cohort", lang), _all(self.sources.get("cohort", ()))),
            ("settings", t("help.settings", lang), _all(self.sources.get("settings", ()))),
        ]
        here = self._section_of(self.current)
        ordered = sorted(sections, key=lambda s: s[0] not in ("global", here))
        return [(title, entries) for _, title, entries in ordered if entries]

    def _section_of(self, screen: type | None) -> str | None:
        """The section that lists ``screen``'s keys (it is shown first)."""
        if screen is None:
            return None
        for section, sources in self.sources.items():
            for source in sources:
                cls = source[0] if isinstance(source, tuple) else source
                if isinstance(cls, type) and issubclass(screen, cls):
                    return section
        return None

    def _render_texts(self) -> None:
        lang = self.app.lang
        parts: list[Any] = [Text(t("help.title", lang), style="bold")]
        for section, entries in self.tables(lang):
            table = Table(title=section, title_justify="left", expand=True, show_edge=False)
            table.add_column(t("help.key", lang), style="bold", no_wrap=True, width=18)
            table.add_column(t("help.does", lang), ratio=1)
            for key, description in entries:
                table.add_row(Text(key), Text(description))
            parts.append(table)
        parts.append(Text(t("help.formats", lang)))
        self.query_one("#help-content", Static).update(Group(*parts))

    def action_back(self) -> None:
        self.dismiss()
