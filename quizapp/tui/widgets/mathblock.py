"""Prose for the screen: Japanese-aware line breaks, matrices as blocks.

``Prose(text)`` is a Rich renderable that lays ``text`` out for the width it is given
(``quizapp.i18n.layout.layout``): Japanese breaks between characters (never before 、。）
nor inside 「第 1 問」), a vector stays on one line, a matrix ``[[…], […]]`` is printed one
row a line with its columns aligned. Use it wherever a prompt, an option or a topic name
is shown: ``Static(Prose(prompt))`` or ``static.update(Prose(prompt, hang=4))``.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style, StyleType
from rich.text import Text
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Static

from quizapp.i18n.layout import cell_width, layout


class Prose:
    """``text`` laid out for the available width.

    ``prefix`` starts the first line (an option's ``(2) ``) and the lines after it are
    indented by as many cells (``hang``), so wrapped text lines up under the first.
    ``end``: what follows the last line ("\n" to stack several in a ``rich.console.Group``).
    """

    def __init__(self, text: str, style: StyleType = "", *, prefix: str = "",
                 end: str = "") -> None:
        self.text = text
        self.style = style
        self.prefix = prefix
        self.end = end

    def lines(self, width: int) -> list[str]:
        """The lines shown in ``width`` cells."""
        hang = cell_width(self.prefix)
        body = layout(self.text, max(1, width - hang)) or [""]
        return [self.prefix + body[0], *(" " * hang + line for line in body[1:])]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        style = console.get_style(self.style) if self.style else Style()
        text = Text("\n".join(self.lines(options.max_width)), style=style, end=self.end)
        text.overflow = "fold"
        yield text

    def widest(self) -> int:
        """Cells of the longest line when nothing has to wrap."""
        longest = max((cell_width(line) for line in self.text.split("\n")), default=0)
        return cell_width(self.prefix) + longest

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(8, self.widest()), self.widest())

    def __str__(self) -> str:
        return self.prefix + self.text


class ProseStatic(Static):
    """A Static that shows ``Prose``: laid out again for its own width whenever it is
    drawn, so its text (``str(widget.render())``) is the lines on the screen."""

    def __init__(self, text: str = "", *, prefix: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(**kwargs)
        self.prose = Prose(text, prefix=prefix)

    def show(self, text: str, *, prefix: str = "") -> None:
        """Show ``text`` (after ``prefix`` on its first line)."""
        self.prose = Prose(text, prefix=prefix)
        self.refresh(layout=True)

    def _width(self) -> int:
        return self.content_size.width or 80

    def render(self) -> Content:
        return Content("\n".join(self.prose.lines(self._width())))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.prose.widest()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.prose.lines(width))
