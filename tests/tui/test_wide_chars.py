"""Issue #13 finding 15: a toast's Japanese text stays whole where it crosses the edges of
the widgets under it (Textualize/textual#6357; the fix is quizapp.tui.wide_chars)."""

from __future__ import annotations

import re

import pytest
from rich.cells import get_character_cell_size
from rich.console import Console
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Static

import quizapp.tui.app  # noqa: F401  (installs the fix, as the app does)
from quizapp.tui.wide_chars import _join_split_runs, _splits_wide_char

MESSAGE = "試験を中断しました。時計は止まっています。進捗は保存されています。"
SIZE = (80, 24)


class Columns(App[None]):
    """Bordered columns of uneven widths under a toast: edges at odd and even columns."""

    CSS = "Static { border: round grey; height: 1fr; }"

    def compose(self) -> ComposeResult:
        with Horizontal():
            for i, width in enumerate((10, 10, 10, 11, 10, 9, 10, 10)):
                yield Static(f"w{i}", id=f"w{i}", classes="col").set_styles(f"width: {width};")


class Terminal:
    """A grid of cells that, like tmux or a real terminal, erases a wide character when
    half of it is overwritten."""

    CSI = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])")

    def __init__(self, lines: list[str], width: int) -> None:
        self.width = width
        self.cells: list[list[str]] = []
        for line in lines:
            row: list[str] = []
            for char in line:
                row.append(char)
                if get_character_cell_size(char) == 2:
                    row.append("")  # the second half
            self.cells.append((row + [" "] * width)[:width])

    def _clear(self, y: int, x: int) -> None:
        row = self.cells[y]
        if row[x] == "" and x > 0:  # the second half of a wide character
            row[x - 1] = " "
        elif x + 1 < self.width and row[x + 1] == "" and get_character_cell_size(row[x]) == 2:
            row[x + 1] = " "
        row[x] = " "

    def write(self, data: str) -> None:
        x = y = 0
        pos = 0
        while pos < len(data):
            match = self.CSI.match(data, pos)
            if match:
                if match.group(2) == "H":
                    row, col = (int(v) for v in match.group(1).split(";"))
                    y, x = row - 1, col - 1
                pos = match.end()
                continue
            char = data[pos]
            pos += 1
            if char == "\n":
                continue
            width = get_character_cell_size(char)
            for dx in range(width):
                if x + dx < self.width:
                    self._clear(y, x + dx)
            if x < self.width:
                self.cells[y][x] = char
                if width == 2 and x + 1 < self.width:
                    self.cells[y][x + 1] = ""
            x += width

    def region(self, region: Region) -> list[str]:
        """The text of the cells in ``region`` (a wide character cut in two at its edge
        shows as a space, as on a screen)."""
        lines = []
        for row in self.cells[region.y : region.bottom]:
            cells = row[region.x : region.right]
            if cells and cells[0] == "":
                cells[0] = " "
            if cells and get_character_cell_size(cells[-1]) == 2:
                cells[-1] = " "
            lines.append("".join(cells))
        return lines


def _toast_lines(app: Columns) -> tuple[Region, list[str]]:
    """Where the toast is, and the lines it draws on its own."""
    toast = app.screen.query("Toast").first()
    region = app.screen._compositor.visible_widgets[toast][0]
    strips = toast.render_lines(Region(0, 0, region.width, region.height))
    return region, [strip.text for strip in strips]


async def _shown(app: Columns, pilot) -> None:
    app.notify(MESSAGE, timeout=60)
    for _ in range(6):
        await pilot.pause(0.05)
    assert app.screen.query("Toast"), "no toast shown"


async def test_a_full_redraw_keeps_every_character_of_the_toast():
    app = Columns()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _shown(app, pilot)
        region, expected = _toast_lines(app)
        assert any("試験を中断" in line for line in expected)
        screen = Terminal([s.text for s in app.screen._compositor.render_strips()], SIZE[0])
        assert screen.region(region) == expected


async def test_redrawing_the_widgets_under_a_toast_keeps_its_characters():
    """Each column under the toast is redrawn alone (a partial update), as when a tree or
    a timer under a toast changes: the terminal must still show the whole message."""
    app = Columns()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _shown(app, pilot)
        compositor = app.screen._compositor
        console = Console(width=SIZE[0], height=SIZE[1], force_terminal=True,
                          color_system="truecolor", legacy_windows=False)
        full = [strip.text for strip in compositor.render_strips()]
        toast_region, expected = _toast_lines(app)
        under = [w for w in app.query(".col")
                 if compositor.visible_widgets[w][0].overlaps(toast_region)]
        assert len(under) >= 3
        toast = app.screen.query("Toast").first()
        lines = toast.render_lines(Region(0, 0, toast_region.width, toast_region.height))
        edges = {r.x for r in (compositor.visible_widgets[w][0] for w in under)}
        assert any(_splits_wide_char(line, edge - toast_region.x)
                   for line in lines for edge in edges), "no edge splits a character"
        for widget in under:
            terminal = Terminal(full, SIZE[0])
            compositor._dirty_regions.add(compositor.visible_widgets[widget][0])
            update = compositor.render_partial_update()
            terminal.write(update.render_segments(console))
            assert terminal.region(toast_region) == expected, widget.id


@pytest.mark.parametrize(("offset", "split"), [(0, False), (1, True), (2, False), (3, True),
                                               (4, False), (5, False), (6, False)])
def test_which_cells_split_a_wide_character(offset, split):
    strip = Strip([_seg("試験"), _seg("ab")])
    assert _splits_wide_char(strip, offset) is split


def test_neighbouring_chops_of_one_line_are_joined_only_where_a_character_is_split():
    line_strip = Strip([_seg("ab試験cd")])  # cells: a b 試試 験験 c d
    owner = (line_strip, 10)
    line = {10: line_strip.crop(0, 3), 13: line_strip.crop(3, 5), 15: line_strip.crop(5, 8)}
    _join_split_runs(line, {10: owner, 13: owner, 15: owner}, 18)
    assert list(line) == [10]
    assert line[10].text == "ab試験cd"
    clean = {10: line_strip.crop(0, 2), 12: line_strip.crop(2, 8)}
    _join_split_runs(clean, {10: owner, 12: owner}, 18)
    assert list(clean) == [10, 12]  # the cut at 12 splits nothing: left as it was


def _seg(text: str):
    from rich.segment import Segment

    return Segment(text)
