"""Python code of an item, highlighted (Rich's Syntax with Pygments; no tree-sitter needed)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static


class CodeBlock(Static):
    """A read-only, highlighted code block (the template's ``code``)."""

    def __init__(self, code: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.code = code.rstrip("\n")

    def on_mount(self) -> None:
        self.update(self._syntax())
        self.watch(self.app, "theme", lambda _: self.update(self._syntax()), init=False)

    def _syntax(self) -> Any:
        from rich.syntax import Syntax

        dark = getattr(self.app.current_theme, "dark", True)
        return Syntax(
            self.code,
            "python",
            theme="monokai" if dark else "friendly",
            word_wrap=True,
            background_color="default",
        )
