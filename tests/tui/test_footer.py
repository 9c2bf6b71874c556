"""The footer: one widget that draws the screen's keys, repainted only when they change
(issue #10 item 6: start-up), with Textual's footer's look and mouse behaviour."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from quizapp.tui.widgets.footer import PALETTE_BAR, Footer


class Keys(App[None]):
    BINDINGS = [
        Binding("f2", "go", "Go"),
        Binding("f3", "other", "Other"),
        Binding("f4", "go", "Go again"),  # the same action: shown once
        Binding("f5", "hidden", "Hidden", show=False),
        Binding("f6", "pick(1)", "Pick", group=Binding.Group("Choose", compact=True)),
        Binding("f7", "pick(2)", "Pick", group=Binding.Group("Choose", compact=True)),
    ]
    allowed: bool | None = True

    def __init__(self) -> None:
        super().__init__()
        self.went = 0

    def compose(self) -> ComposeResult:
        yield Input(id="a")
        yield Input(id="b")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.allowed if action == "other" else True

    def action_go(self) -> None:
        self.went += 1


def _labels(app: App[None]) -> list[str]:
    return [item.description for item in app.query_one(Footer).items]


def _line(app: App[None]) -> str:
    return str(app.query_one(Footer).render())


async def test_it_shows_each_action_once_with_groups_and_the_palette_on_the_right():
    app = Keys()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        line = _line(app)
        assert line.startswith(" f2 Go  f3 Other ")
        assert "Go again" not in line and "Hidden" not in line
        assert " f6f7 Choose " in line  # a compact group: its keys, then its label
        assert line.rstrip().endswith(f"{PALETTE_BAR}^p palette")
        assert len(line) == 100
        assert not app.query_one(Footer).children  # no widget per key


async def test_focus_moves_that_change_no_key_do_not_repaint_it():
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        repaints = []
        real = footer.refresh

        def counting(*args, **kwargs):
            repaints.append(1)
            return real(*args, **kwargs)

        footer.refresh = counting  # type: ignore[method-assign]
        for _ in range(5):
            app.screen.refresh_bindings()
        await pilot.press("tab")
        await pilot.pause()
        await pilot.pause()
        assert repaints == []
        assert "Go" in _labels(app)


async def test_a_changed_label_or_state_repaints_it_and_a_disabled_key_is_dim():
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        app._bindings.key_to_bindings["f2"] = [Binding("f2", "go", "Aller")]  # a new language
        app.allowed = None  # "other" is now shown disabled
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert "Aller" in _labels(app) and "Go" not in _labels(app)
        footer = app.query_one(Footer)
        other = next(item for item in footer.items if item.description == "Other")
        assert not other.enabled
        text = footer.render()
        dim = [span for span in text.spans
               if span.start <= other.start < span.end and "dim" in str(span.style)]
        assert dim


async def test_a_mouse_press_on_a_key_presses_it():
    app = Keys()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        go = next(item for item in footer.items if item.description == "Go")
        await pilot.mouse_down(Footer, offset=(go.start + 1, 0))
        await pilot.pause()
        assert app.went == 1
        await pilot.mouse_down(Footer, offset=(footer.items[-1].start - 2, 0))  # between keys
        await pilot.pause()
        assert app.went == 1


async def test_keys_that_do_not_fit_are_cut_and_the_palette_stays():
    app = Keys()
    async with app.run_test(size=(28, 10)) as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        line = _line(app)
        assert len(line) == 28 and line.rstrip().endswith("^p palette")
        palette = footer.items[-1]
        assert palette.key == "ctrl+p" and palette.end <= 28
        assert all(item.end <= palette.start for item in footer.items[:-1])
        assert "Other" not in _labels(app) and "Oth" not in line  # left out whole, not cut
