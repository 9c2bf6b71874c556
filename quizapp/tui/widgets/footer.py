"""Textual's footer, rebuilt only when the keys it shows change.

Textual's ``Footer`` rebuilds all its key widgets (one per key, each styled by CSS) every
time a screen says its bindings may have changed: on focus changes, on app focus, on
``refresh_bindings()``, once per call even when several come before the next frame. At
start-up that was three rebuilds of the home screen's footer, each 20–30 ms, two of them
while the home tree waited to be filled (``benchmarks/startup.py``). This footer queues at
most one rebuild per frame and skips it when the keys, their labels, their state and
tooltips are the same as those shown. It is a drop-in ``Footer`` (CSS that names
``Footer`` applies to it).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """``textual.widgets.Footer`` that rebuilds only when what it shows changes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[Any, ...] | None = None
        self._queued = False

    def bindings_changed(self, screen: Any) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._queued:
            self._queued = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._queued = False
        if not self.is_attached:
            return
        shown = self.keys_shown()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def keys_shown(self) -> tuple[Any, ...]:
        """Everything the footer's keys are built from (see ``Footer.compose``)."""
        display = self.app.get_key_display
        keys = tuple(
            (binding.key, display(binding), binding.description, binding.action, binding.show,
             binding.group, enabled, tooltip, binding.tooltip)
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
        )
        return (self.show_command_palette, self.compact, keys)
