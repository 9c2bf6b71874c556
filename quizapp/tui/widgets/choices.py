"""The options of a choice or true/false item: keys 1–9 answer at once.

Single choice and true/false: a digit (or t/f, y/n, o/x for true/false) answers
immediately; ↑↓ and Enter, or a click, do too. Multiple choice: digits or Space mark
options, Enter submits the marked set. The list posts ``ChoiceList.Answered`` with the
1-based option numbers; the screen turns them into the grader's text.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList

_TRUE_KEYS = {"t": 1, "y": 1, "o": 1, "f": 2, "n": 2, "x": 2}


class ChoiceList(OptionList):
    """Numbered options; ``multi`` marks several before Enter."""

    BINDINGS = [
        Binding("enter", "submit", "Answer", id="choices.submit", show=False),
        Binding("space", "toggle", "Mark", id="choices.toggle", show=False),
        *[
            Binding(str(n), f"pick({n})", f"Option {n}", id=f"choices.pick{n}", show=False)
            for n in range(1, 10)
        ],
    ]

    class Answered(Message):
        def __init__(self, numbers: list[int]) -> None:
            super().__init__()
            self.numbers = numbers

    def __init__(
        self, labels: Sequence[str], *, multi: bool = False, true_false: bool = False
    ) -> None:
        self.labels = list(labels)
        self.multi = multi
        self.true_false = true_false
        self.marked: set[int] = set()
        super().__init__(*self._prompts(), id="answer")

    def _prompts(self) -> list[str]:
        out = []
        for n, label in enumerate(self.labels, 1):
            lines = label.splitlines() or [""]
            box = ("[x] " if n in self.marked else "[ ] ") if self.multi else ""
            pad = " " * (len(box) + len(f"{n}. "))
            out.append("\n".join([f"{box}{n}. {lines[0]}", *(pad + x for x in lines[1:])]))
        return out

    def set_labels(self, labels: Sequence[str]) -> None:
        """New texts for the same options (the language changed)."""
        self.labels = list(labels)
        self._redraw()

    def _redraw(self) -> None:
        for i, prompt in enumerate(self._prompts()):
            self.replace_option_prompt_at_index(i, prompt)

    def on_mount(self) -> None:
        if self.option_count:
            self.highlighted = 0

    def action_pick(self, n: int) -> None:
        if self.disabled or not 1 <= n <= len(self.labels):
            self.app.bell()
            return
        self.highlighted = n - 1
        if self.multi:
            self.marked ^= {n}
            self._redraw()
        else:
            self.post_message(self.Answered([n]))

    def action_toggle(self) -> None:
        if self.highlighted is None:
            return
        if self.multi:
            self.action_pick(self.highlighted + 1)

    def action_submit(self) -> None:
        if self.disabled:
            return
        if self.multi:
            self.post_message(self.Answered(sorted(self.marked)))
        elif self.highlighted is not None:
            self.post_message(self.Answered([self.highlighted + 1]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click: answers a single choice, marks an option of a multiple choice."""
        event.stop()
        n = event.option_index + 1
        if self.multi:
            self.marked ^= {n}
            self._redraw()
        else:
            self.post_message(self.Answered([n]))

    def on_key(self, event: events.Key) -> None:
        if self.true_false and not self.disabled and event.character:
            n = _TRUE_KEYS.get(event.character.lower())
            if n is not None:
                event.stop()
                self.action_pick(n)
