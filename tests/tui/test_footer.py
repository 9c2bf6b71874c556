"""The footer rebuilds only when the keys it shows change (issue #10 item 6: start-up)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from quizapp.tui.widgets.footer import Footer


class Keys(App[None]):
    BINDINGS = [Binding("f2", "go", "Go"), Binding("f3", "other", "Other")]
    allowed: bool | None = True

    def compose(self) -> ComposeResult:
        yield Input(id="a")
        yield Input(id="b")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.allowed if action == "other" else True


def _labels(app: App[None]) -> list[str]:
    return [str(key.description) for key in app.query("FooterKey")]


async def test_many_binding_changes_in_a_frame_rebuild_the_footer_once_or_not_at_all():
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        rebuilds = []
        real = footer.recompose

        async def counting():
            rebuilds.append(1)
            await real()

        footer.recompose = counting  # type: ignore[method-assign]
        for _ in range(5):  # focus moves and refreshes that change no key
            app.screen.refresh_bindings()
        await pilot.press("tab")
        await pilot.pause()
        await pilot.pause()
        assert rebuilds == []
        assert "Go" in _labels(app)


async def test_a_changed_label_or_state_rebuilds_it():
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        app._bindings.key_to_bindings["f2"][0] = Binding("f2", "go", "Aller")  # a new language
        app.allowed = None  # "other" is now shown disabled
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert "Aller" in _labels(app) and "Go" not in _labels(app)
        other = next(k for k in app.query("FooterKey") if str(k.description) == "Other")
        assert other.has_class("-disabled")
