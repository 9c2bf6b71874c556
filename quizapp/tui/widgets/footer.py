"""The key line at the bottom of every screen: one widget, repainted when its keys change.

Textual's ``Footer`` is a container of one ``FooterKey`` widget per key, each styled by CSS,
and it mounts them all again whenever a screen says its bindings may have changed. At
start-up that cost about 40 ms of the home screen's first frame (``benchmarks/startup.py``),
and as much again on every screen opened. This footer draws the same line itself: the
screen's shown bindings (one per action, in order; a binding group as its keys followed
by its label), the command palette's key on the right after a thin bar, the key in bold
in ``$footer-key-foreground``, a disabled key dimmed, the key under the mouse highlighted.
A mouse press on a key presses it (``App.simulate_key``), as with Textual's footer.

``items`` are the keys as drawn, with their columns (tests and the exam screen read them).
"""

from __future__ import annotations

from itertools import groupby
from typing import Any, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

PALETTE_BAR = "▏"


class FooterItem(NamedTuple):
    """One key as drawn: ``start``/``end`` are its columns in the footer (end excluded)."""

    key: str
    display: str
    description: str
    enabled: bool
    start: int
    end: int


class _Part(NamedTuple):
    key: str
    display: str
    description: str
    enabled: bool
    text: Text


class Footer(Widget, can_focus=False):
    """The screen's keys on one line (a drop-in for ``textual.widgets.Footer``)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer--key", "footer--description", "footer--hover",
                         "footer--bar"}
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
    }
    Footer > .footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    Footer > .footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    Footer > .footer--hover {
        background: $block-hover-background;
    }
    Footer > .footer--bar {
        color: $foreground 20%;
    }
    """

    show_command_palette = reactive(True)
    """Show the command palette's key on the right."""

    def __init__(self, *, id: str | None = None, classes: str | None = None,
                 show_command_palette: bool = True) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(Footer.show_command_palette, show_command_palette)
        self._shown: tuple[Any, ...] | None = None
        self._hover: int | None = None

    # ------------------------------------------------------------------ bindings

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Any) -> None:
        """Repaint when what the keys show has changed (a focus move usually changes
        nothing)."""
        if not self.is_attached or screen is not self.screen:
            return
        shown = self.keys_shown()
        if shown != self._shown:
            self._shown = shown
            self.refresh()

    def watch_show_command_palette(self) -> None:
        self._shown = None
        if self.is_attached:
            self.bindings_changed(self.screen)

    def keys_shown(self) -> tuple[Any, ...]:
        """Everything the line is drawn from: (key, display, description, action, group,
        enabled) of each shown binding, and the palette's key."""
        display = self.app.get_key_display
        keys = tuple(
            (binding.key, display(binding), binding.description, binding.action,
             binding.group, enabled)
            for (_node, binding, enabled, _tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tooltip = found
                palette = (binding.key, display(binding), binding.description, enabled)
        return keys, palette

    # ------------------------------------------------------------------ drawing

    def _parts(self, keys: tuple[Any, ...]) -> list[_Part | Text]:
        """Each key (one per action) as a part; a binding group's keys share its label."""
        key_style = self.get_component_rich_style("footer--key")
        text_style = self.get_component_rich_style("footer--description")
        first: dict[str, tuple[Any, ...]] = {}
        for entry in keys:
            first.setdefault(entry[3], entry)
        parts: list[_Part | Text] = []
        for group, entries_iter in groupby(first.values(), key=lambda e: e[4]):
            entries = list(entries_iter)
            if group is not None and len(entries) > 1:
                parts.append(Text(" "))
                for key, shown, _text, _action, _group, enabled in entries:
                    style = key_style + Style(dim=True) if not enabled else key_style
                    pad = "" if group.compact else " "
                    parts.append(_Part(key, shown, "", enabled,
                                       Text.assemble((f"{pad}{shown}{pad}", style))))
                parts.append(Text.assemble((f" {group.description} ", text_style)))
                continue
            for key, shown, text, _action, _group, enabled in entries:
                parts.append(_Part(key, shown, str(text), enabled,
                                   self._label(shown, text, enabled)))
        return parts

    def _label(self, shown: str, text: str, enabled: bool, lead: str = " ") -> Text:
        """`` key description `` (dimmed when the key is disabled)."""
        extra = Style(dim=True) if not enabled else Style()
        return Text.assemble(
            (f"{lead}{shown} ", self.get_component_rich_style("footer--key") + extra),
            (f"{text} " if text else "",
             self.get_component_rich_style("footer--description") + extra),
        )

    @property
    def items(self) -> list[FooterItem]:
        """The keys as drawn at the footer's width, left to right (those cut off by the
        palette's key are left out)."""
        return self._layout()[1]

    def render(self) -> Text:
        return self._layout()[0]

    def _layout(self) -> tuple[Text, list[FooterItem]]:
        keys, palette = self._shown if self._shown is not None else self.keys_shown()
        width = self.size.width
        line = Text(no_wrap=True, end="")
        items: list[FooterItem] = []
        hover = self.get_component_rich_style("footer--hover", partial=True)

        def add(part: _Part | Text) -> None:
            if isinstance(part, Text):
                line.append_text(part)
                return
            start = line.cell_len
            text = part.text.copy()
            if self._hover == len(items):
                text.stylize(hover)
            line.append_text(text)
            items.append(FooterItem(part.key, part.display, part.description, part.enabled,
                                    start, line.cell_len))

        for part in self._parts(keys):
            add(part)
        if palette is not None:
            key, shown, text, enabled = palette
            label = _Part(key, shown, str(text), enabled,
                          self._label(shown, text, enabled, lead=""))
            bar = Text(PALETTE_BAR, self.get_component_rich_style("footer--bar"))
            room = width - cell_len(PALETTE_BAR) - label.text.cell_len
            items[:] = [item for item in items if item.end <= room]
            line.truncate(items[-1].end if items and line.cell_len > room else max(0, room))
            line.pad_right(max(0, room - line.cell_len))  # no key cut in the middle
            line.append_text(bar)
            add(label)
        return line, items

    # ------------------------------------------------------------------ mouse

    def _item_at(self, x: int) -> int | None:
        for index, item in enumerate(self.items):
            if item.start <= x < item.end:
                return index
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._item_at(event.x)
        if index is None:
            return
        item = self.items[index]
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._item_at(event.x)
        if index != self._hover:
            self._hover = index
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()
