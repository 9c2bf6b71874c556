"""Fitting the exam screen to its window (a mixin of ``ExamScreen``).

Below ``NARROW_WIDTH`` columns the Footer cannot show every key: those of
``SECOND_LINE`` (and the command palette) move to a second key line under it, and the
grid narrows. Below ``TINY_WIDTH``×``TINY_HEIGHT`` the grid gives way to the question
and a notice asks for a larger window (the CSS in ``exam_screen_css`` does the layout;
this module sets the classes and fills the key line).
"""

from __future__ import annotations

from dataclasses import replace

from textual.content import Content
from textual.widgets import Static

from quizapp.i18n import t
from quizapp.tui.widgets.footer import Footer

NARROW_WIDTH = 132
TINY_WIDTH, TINY_HEIGHT = 64, 18
SECOND_LINE = ["exam.submit", "exam.leave", "exam.goto", "exam.unanswered", "exam.flagged"]
KEY_STYLE = "bold $footer-key-foreground"


class ExamFitMixin:
    """``_fit(width, height)``: the ``-narrow`` and ``-tiny`` classes, and the key lines."""

    lang: str

    def _fit(self, width: int, height: int) -> None:
        """Below 132 columns the footer takes two lines and the grid narrows; below
        64×18 the grid gives way to the question and a notice asks for a larger window."""
        narrow = width < NARROW_WIDTH
        self.set_class(width < TINY_WIDTH or height < TINY_HEIGHT, "-tiny")
        if narrow == self.has_class("-narrow"):
            return
        self.set_class(narrow, "-narrow")
        self._show_in_footer(not narrow)

    def _show_in_footer(self, wide: bool) -> None:
        """On a narrow screen the keys of ``SECOND_LINE`` (and the palette) leave the
        Footer for a second key line, so that every key stays visible."""
        table = self._bindings.key_to_bindings
        for key, bindings in list(table.items()):
            table[key] = [
                replace(b, show=wide) if b.id in SECOND_LINE else b for b in bindings
            ]
        for footer in self.query(Footer):
            footer.show_command_palette = wide
        self.refresh_bindings()
        self._show_keys()

    def _show_keys(self) -> None:
        """The second key line: submit, leave, go to, and the command palette."""
        parts: list[str | tuple[str, str]] = []
        shown = [
            b for bindings in self._bindings.key_to_bindings.values() for b in bindings
            if b.id in SECOND_LINE
        ]
        shown.sort(key=lambda b: SECOND_LINE.index(b.id or ""))
        for b in shown:
            parts += [(b.key_display or b.key, KEY_STYLE), f" {b.description}  "]
        parts += [("^p", KEY_STYLE), f" {t('key.app.palette', self.lang)}"]
        for keys in self.query("#exam-keys").results(Static):
            keys.update(Content.assemble(*parts))
