"""The session's progress: a bar and "done / planned"."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static


class SessionProgress(Horizontal):
    """done / planned problems of the session (planned grows when a failed card returns)."""

    def compose(self) -> ComposeResult:
        yield Static("", id="progress-label", markup=False)
        yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="progress-bar")

    def show(self, done: int, planned: int, label: str) -> None:
        self.query_one(ProgressBar).update(total=max(planned, 1), progress=done)
        self.query_one("#progress-label", Static).update(f"{label} {done} / {planned}")
