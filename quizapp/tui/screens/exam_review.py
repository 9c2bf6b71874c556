"""The review of a finished mock exam: every item with the learner's choice, the
correct option(s), the verdict and the explanation (``quizapp.exam.review_entries``)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from quizapp.exam import Exam, ExamScore, review_entries
from quizapp.i18n import t
from quizapp.tui.localize import localize_bindings_from
from quizapp.tui.widgets.exam_grid import GridLegend, OptionLine, QuestionGrid
from quizapp.tui.widgets.footer import Footer
from quizapp.tui.widgets.mathblock import ProseStatic

_REVIEW_BINDINGS = {
    "examrev.prev": ("examres.prev", "examres.nav_tip"),
    "examrev.next": ("examres.next", "examres.nav_tip"),
    "examrev.prev_p": ("examres.prev", "examres.nav_tip"),
    "examrev.next_n": ("examres.next", "examres.nav_tip"),
    "examrev.wrong": ("examres.next_wrong", "examres.next_wrong_tip"),
    "examrev.close": ("examres.close", "examres.close_tip"),
}

TITLE_CSS = """
    dock: top;
    height: 1;
    padding: 0 1;
    background: $panel;
    text-style: bold;
"""



class ExamReviewScreen(Screen[None]):
    """Every item after the exam: your answer, the correct one, the slip, the explanation."""

    DEFAULT_CSS = f"""
    ExamReviewScreen #rev-title {{
        {TITLE_CSS}
    }}
    ExamReviewScreen #rev-main {{
        height: 1fr;
    }}
    ExamReviewScreen #rev-item {{
        width: 1fr;
        padding: 1 2;
    }}
    ExamReviewScreen #rev-head {{
        text-style: bold;
        margin-bottom: 1;
    }}
    ExamReviewScreen #rev-prompt, ExamReviewScreen #rev-code {{
        margin-bottom: 1;
    }}
    ExamReviewScreen #rev-code {{
        background: $boost;
        padding: 0 1;
    }}
    ExamReviewScreen #rev-options {{
        height: auto;
    }}
    ExamReviewScreen #rev-verdict {{
        margin-bottom: 1;
        height: auto;
    }}
    ExamReviewScreen #rev-explanation {{
        border-top: solid $panel-lighten-2;
        padding-top: 1;
    }}
    ExamReviewScreen #rev-side {{
        width: 42;
        padding: 1 1;
        border-left: vkey $panel-lighten-1;
    }}
    ExamReviewScreen #rev-legend {{
        margin-top: 1;
        color: $text-muted;
    }}
    """

    BINDINGS = [
        Binding("left", "move(-1)", "Previous", key_display="←", priority=True, id="examrev.prev"),
        Binding("right", "move(1)", "Next", key_display="→", priority=True, id="examrev.next"),
        Binding("p", "move(-1)", "Previous", show=False, id="examrev.prev_p"),
        Binding("n", "move(1)", "Next", show=False, id="examrev.next_n"),
        Binding("w", "next_wrong", "Next wrong", id="examrev.wrong"),
        Binding("escape,q", "close", "Close", id="examrev.close"),
    ]

    def __init__(self, exam: Exam, score: ExamScore, *, lang: str, start_at: int = 0) -> None:
        super().__init__()
        self.exam = exam
        self.score = score
        self.lang = lang
        self.entries = review_entries(exam, score)
        self.current = start_at
        localize_bindings_from(self, _REVIEW_BINDINGS, lang)

    def compose(self) -> ComposeResult:
        yield Static(t("examres.review_title", self.lang), id="rev-title")
        with Horizontal(id="rev-main"):
            with VerticalScroll(id="rev-item"):
                yield Static("", id="rev-head", markup=False)
                yield ProseStatic(id="rev-prompt")
                yield Static("", id="rev-code", markup=False)
                with Vertical(id="rev-options"):
                    for n in range(1, 9):
                        yield OptionLine(n)
                yield Static("", id="rev-verdict")
                yield Static("", id="rev-explanation", markup=False)
            with VerticalScroll(id="rev-side"):
                yield QuestionGrid(len(self.entries), id="rev-grid")
                yield GridLegend(self.lang, review=True, id="rev-legend")
        yield Footer()

    def on_mount(self) -> None:
        self.show_item(self.current)

    def apply_language(self, lang: str) -> None:
        self.lang = lang
        localize_bindings_from(self, _REVIEW_BINDINGS, lang)

        async def redraw() -> None:
            await self.recompose()
            self.show_item(self.current)

        self.call_later(redraw)

    def show_item(self, index: int) -> None:
        self.current = max(0, min(len(self.entries) - 1, index))
        entry = self.entries[self.current]
        q = entry.question
        lang = self.lang
        lines = entry.lines(lang)
        self.query_one("#rev-head", Static).update(
            t(
                "exam.review_header",
                lang,
                n=self.current + 1,
                total=len(self.entries),
                verdict=lines["verdict"],
            )
        )
        self.query_one("#rev-prompt", ProseStatic).show(q.prompt(lang))
        code = self.query_one("#rev-code", Static)
        code.display = bool(q.code)
        code.update(Text(q.code.rstrip("\n")) if q.code else "")
        picked = set(q.picked(entry.answer))
        for line in self.query(OptionLine):
            n = line.number
            if n <= len(q.options):
                option = q.options[n - 1]
                mark = "✓" if option.correct else ("✗" if n in picked else " ")
                line.display = True
                line.show(option.text(lang), prefix=f"{mark} ({n}) ")
                line.set_class(option.correct, "-right")
                line.set_class(n in picked and not option.correct, "-wrong")
            else:
                line.display = False
        verdict = Text()
        style = {"correct": "bold green", "incorrect": "bold red"}.get(entry.status, "bold")
        verdict.append(lines["yours"] + "\n", style=style)
        verdict.append(lines["correct"])
        if lines["misconception"]:
            verdict.append("\n" + lines["misconception"], style="yellow")
        self.query_one("#rev-verdict", Static).update(verdict)
        explanation = lines["explanation"]
        self.query_one("#rev-explanation", Static).update(
            t("exam.explanation", lang) + "\n" + explanation if explanation else ""
        )
        states = [e.status for e in self.entries]
        self.query_one(QuestionGrid).show(states, [e.flagged for e in self.entries], self.current)
        self.query_one("#rev-item", VerticalScroll).scroll_home(animate=False)

    def action_move(self, step: int) -> None:
        self.show_item((self.current + step) % len(self.entries))

    def action_next_wrong(self) -> None:
        wrong = [i for i, e in enumerate(self.entries) if e.status != "correct"]
        if not wrong:
            self.notify(t("examres.all_right", self.lang))
            return
        later = [i for i in wrong if i > self.current]
        self.show_item(later[0] if later else wrong[0])

    @on(QuestionGrid.Selected)
    def grid_clicked(self, event: QuestionGrid.Selected) -> None:
        self.show_item(event.index)

    def action_close(self) -> None:
        self.dismiss(None)
