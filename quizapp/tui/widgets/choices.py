"""The options of a choice or true/false item: keys 1–9 answer at once.

Single choice and true/false: a digit (or t/f, y/n, o/x for true/false) answers
immediately; ↑↓ and Enter, or a click, do too. Multiple choice: digits or Space mark
options, Enter submits the marked set. The list posts ``ChoiceList.Answered`` with the
1-based option numbers; the screen turns them into the grader's text.

Nothing is highlighted at first, so an Enter pressed once too often (the one that moved
on from the previous feedback, typed twice) answers nothing: it posts
``ChoiceList.NothingChosen`` instead. Full-width digits and letters (an IME left on) work
like their ASCII forms. Option texts are shown as plain text (never read as markup).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from textual import events
from textual.binding import Binding
from textual.content import Content
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

    class NothingChosen(Message):
        """Enter with no option highlighted (single choice, true/false): nothing answered."""

    def __init__(
        self, labels: Sequence[str], *, multi: bool = False, true_false: bool = False
    ) -> None:
        self.labels = list(labels)
        self.multi = multi
        self.true_false = true_false
        self.marked: set[int] = set()
        super().__init__(*self._prompts(), id="answer")
        self.highlighted = None  # OptionList highlights the first option: nothing is chosen

    def _prompts(self) -> list[Content]:
        out = []
        for n, label in enumerate(self.labels, 1):
            lines = label.splitlines() or [""]
            box = ("[x] " if n in self.marked else "[ ] ") if self.multi else ""
            pad = " " * (len(box) + len(f"{n}. "))
            text = "\n".join([f"{box}{n}. {lines[0]}", *(pad + x for x in lines[1:])])
            out.append(Content(text))  # plain: "[x] " and brackets in options are text
        return out

    def set_labels(self, labels: Sequence[str]) -> None:
        """New texts for the same options (the language changed)."""
        self.labels = list(labels)
        self._redraw()

    def _redraw(self) -> None:
        for i, prompt in enumerate(self._prompts()):
            self.replace_option_prompt_at_index(i, prompt)

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
        else:
            self.app.bell()
            self.post_message(self.NothingChosen())

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
        if self.disabled or not event.character:
            return
        char = unicodedata.normalize("NFKC", event.character).lower()
        if char == event.character.lower() and not self.true_false:
            return  # an ASCII key: the bindings handle it
        if char.isdigit() and len(char) == 1 and char != "0":
            event.stop()
            event.prevent_default()
            self.action_pick(int(char))
        elif self.true_false and char in _TRUE_KEYS:
            event.stop()
            event.prevent_default()
            self.action_pick(_TRUE_KEYS[char])
