"""The mock exam on small terminals (issue #13 item 15, issue #14 item 19): at 80×24 the
dialogs fit and every key that matters is on the screen; at 40×12 the question stays, with
a notice; prompts lay out Japanese and matrices for the width they have."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer as TextualFooter

from quizapp.packs.loader import load_catalog
from quizapp.progress.store import Store
from quizapp.tui.screens.exam import ExamScreen, ExamSetupScreen, open_exam
from quizapp.tui.widgets.footer import Footer
from quizapp.tui.widgets.mathblock import ProseStatic

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"


class ExamApp(App[None]):
    # the real app's own keys, which the exam footer shows too
    BINDINGS = [Binding("f1", "noop", "Help"), Binding("ctrl+q", "quit", "Quit")]

    def __init__(self, store, catalog, lang, options=None) -> None:
        super().__init__()
        self.store, self.catalog, self.lang, self.options = store, catalog, lang, options

    def on_mount(self) -> None:
        open_exam(self, self.options)


def quick(seed: int = 3) -> argparse.Namespace:
    return argparse.Namespace(preset="quick", questions=None, minutes=None, seed=seed,
                              resume=False, topic=None, pack=None)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([GOOD], builtin=False)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "progress.sqlite3")
    yield s
    s.close()


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def visible_keys(screen) -> str:
    """The text of the key hints that lie wholly on the screen."""
    width = screen.size.width
    shown = []
    for footer in screen.query(Footer):
        left = footer.region.x
        for item in footer.items:
            if footer.region.width and left + item.start >= 0 and left + item.end <= width:
                shown.append(f"{item.display} {item.description}".rstrip())
    for line in screen.query("#exam-keys"):
        if line.display and line.region.width:
            shown.append(str(line.render()))
    return "\n".join(shown)


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["s Submit", "esc Pause", "g Go to", "u Unanswered", "f1 Help", "^q Quit"]),
    ("ja", ["s 提出", "esc 中断", "g 移動", "u 未回答へ", "f1 Help"]),
])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_key_that_matters_is_visible(store, catalog, lang, words, size):
    app = ExamApp(store, catalog, lang, quick())
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ExamScreen)
        keys = visible_keys(app.screen)
        for word in words:
            assert word in keys, (word, keys)


@pytest.mark.parametrize("lang", ["en", "ja"])
async def test_the_setup_dialog_fits_80x24(store, catalog, lang):
    app = ExamApp(store, catalog, lang, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ExamSetupScreen)
        box = app.screen.query_one("ExamSetupScreen > VerticalScroll").region
        assert box.x >= 0 and box.right <= 80 and box.y >= 0 and box.bottom <= 24
        seed = app.screen.query_one("#setup-seed").region
        assert seed.x >= 0 and seed.right <= 80


@pytest.mark.parametrize(("lang", "notice"), [("en", "too small"), ("ja", "小さすぎる")])
async def test_a_tiny_window_shows_the_question_and_a_notice(store, catalog, lang, notice):
    app = ExamApp(store, catalog, lang, quick())
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        warning = screen.query_one("#exam-too-small")
        assert warning.display and notice in str(warning.render())
        prompt = screen.query_one("#exam-prompt", ProseStatic).region
        assert prompt.width >= 30 and prompt.height >= 1 and prompt.bottom <= 12
        assert not screen.query_one("#exam-side").display
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not screen.query_one("#exam-too-small").display


class ProseApp(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield ProseStatic(self.text, id="prose")
        yield TextualFooter()


async def test_a_matrix_in_a_prompt_is_a_block_not_broken_inside_a_row():
    text = ("出力層の重みを W = [[-0.2, 0.9, -0.4], [0, 0.8, -0.2]]、バイアスを b = [0.1, -0.3]、"
            "入力を z = [1, 0.5, -2] とするとき、二乗誤差の W についての勾配 ∂E/∂W を求めよ。")
    app = ProseApp(text)
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        lines = str(app.query_one("#prose").render()).split("\n")
        rows = [line for line in lines if "[" in line and "]" in line and "W" not in line]
        assert any(line.endswith("[[-0.2, 0.9, -0.4],") for line in lines), lines
        assert any(line.strip().startswith("[   0, 0.8, -0.2]]") for line in lines), lines
        # no line ends inside a row: after the last "[" of a line comes its "]"
        assert rows and all(line.rfind("[") < line.rfind("]") for line in lines if "[" in line)


def test_the_setup_counts_item_sets_whose_parts_can_all_be_set():
    """A topic's count in the exam setup follows the exam builder: an item set (kind of its
    own, parts of exam kinds) counts, a template of a skipped kind does not."""
    from quizapp.exam import EXAM_KINDS, usable_in_exams

    catalog = load_catalog()
    sets = [r for r in catalog.templates.values() if r.template.parts]
    assert sets and all(usable_in_exams(r.template) for r in sets)
    assert not any(r.template.kind in EXAM_KINDS for r in sets)  # what the old count read
    counts = {topic: n for topic, _, _, n in ExamSetupScreen(catalog, "en")._usable_topics()}
    for topic in {r.template.topic for r in sets}:
        expected = sum(1 for r in catalog.templates.values()
                       if r.template.topic == topic and usable_in_exams(r.template))
        assert counts[topic] == expected
    skipped = [r for r in catalog.templates.values() if r.template.kind == "true_false"]
    assert skipped and not any(usable_in_exams(r.template) for r in skipped)
