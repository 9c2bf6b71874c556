"""Japanese (wide) characters stay whole where an overlay crosses a widget's edge.

Textual draws a screen line by line in *chops*: the line is cut at every column where any
widget starts or ends, and each piece is taken from the topmost widget there. A toast (or
any layer over other widgets) is cut at the edges of the widgets *under* it too, and a cut
through the middle of a two-column character turns that character into two spaces: a
notification read 「試験を中  しました」 where a border ran underneath
(Textualize/textual#6357, open). English text is never cut in the middle, so only
Japanese users saw it.

A partial update (only the regions that changed are written) cuts the same way at the
end of each changed span: when a widget under a toast is redrawn, the toast's line is
cropped at the widget's edge, and a terminal that receives half a wide character erases
the whole of it.

``install()`` replaces three methods of Textual 8.2 with copies that keep wide characters
whole: ``Compositor._render_chops`` joins neighbouring chops of one widget line when a cut
between them falls inside one of its wide characters (cropped from that line in one
piece); ``Compositor.render_partial_update`` takes the chop ends from the chops actually
made; ``ChopsUpdate.render_segments`` crops a chop at the end of a span one cell later when
the span ends inside a wide character (the whole character is written; the cell after it
belongs to the same chop). Lines without wide characters, or that no cut splits, are
drawn exactly as before; ``install()`` does nothing on a Textual whose compositor
does not have them (the pins in pyproject.toml keep us on 8.x, and the snapshot and Pilot
tests in tests/tui/test_wide_chars.py fail if the fix stops working).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.cells import get_character_cell_size
from rich.control import Control
from textual import _compositor
from textual.geometry import Region
from textual.strip import Strip

_installed = False


def _splits_wide_char(strip: Strip, offset: int) -> bool:
    """Whether cell ``offset`` of ``strip`` is the second half of a two-column character."""
    position = 0
    for segment in strip:
        for char in segment.text:
            width = get_character_cell_size(char)
            if position < offset < position + width:
                return True
            position += width
            if position >= offset:
                return False
    return False


def _join_split_runs(
    line: dict[int, Strip | None],
    owners: dict[int, tuple[Strip, int]],
    line_end: int,
) -> None:
    """Join neighbouring chops of one widget line where a cut splits a wide character."""
    keys = list(line)
    i = 0
    while i < len(keys):
        owner = owners.get(keys[i])
        j = i
        while (j + 1 < len(keys) and owner is not None
               and owners.get(keys[j + 1]) is owner):
            j += 1
        if j > i and owner is not None:
            strip, x = owner
            if any(_splits_wide_char(strip, cut - x) for cut in keys[i + 1 : j + 1]):
                end = keys[j + 1] if j + 1 < len(keys) else line_end
                line[keys[i]] = strip.crop(keys[i] - x, end - x)
                for cut in keys[i + 1 : j + 1]:
                    del line[cut]
        i = j + 1


def _render_chops(
    self: Any, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    """``Compositor._render_chops`` that keeps wide characters whole (see the module)."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    owners: dict[int, dict[int, tuple[Strip, int]]] = {}
    intersection = Region.intersection
    for region, clip, strips in self._get_renders(crop):
        render_region = intersection(region, clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            chops_line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            cut_strips = strip.divide([cut - render_x for cut in final_cuts[1:]])
            wide = len(final_cuts) > 2 and strip.cell_length != len(strip.text)
            owner = (strip, render_x)
            for cut, piece in zip(final_cuts, cut_strips, strict=False):
                if chops_line.get(cut) is None:  # front to back: the first one wins
                    chops_line[cut] = piece
                    if wide:
                        owners.setdefault(y, {})[cut] = owner
    for y, line_owners in owners.items():
        _join_split_runs(chops[y], line_owners, cuts[y][-1])
    return chops  # type: ignore[return-value]


def _render_partial_update(self: Any) -> Any:
    """``Compositor.render_partial_update`` with the chop ends of the chops made."""
    screen_region = self.size.region
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    crop = Region.from_union(update_regions).intersection(screen_region)
    spans = list(self._regions_to_spans(update_regions))
    is_rendered_line = {y for y, _, _ in spans}.__contains__
    chops = self._render_chops(crop, is_rendered_line)
    chop_ends = [[*list(line)[1:], cut_set[-1]]
                 for line, cut_set in zip(chops, self.cuts, strict=False)]
    return _compositor.ChopsUpdate(chops, spans, chop_ends)


def _render_segments(self: Any, console: Any) -> str:
    """``ChopsUpdate.render_segments`` whose crop at the end of a dirty span never cuts a
    wide character in two (the whole character is written: the chop goes on past it)."""
    sequences: list[str] = []
    append = sequences.append
    move_to = Control.move_to
    chops = self.chops
    chop_ends = self.chop_ends
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        line = chops[y]
        ends = chop_ends[y]
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            if not (x2 > x >= x1 and end <= x2):
                cut = min(end, x2) - x
                if cut < strip.cell_length and _splits_wide_char(strip, cut):
                    cut += 1
                strip = strip.crop(0, cut)
            append(move_to(x, y).segment.text)
            append(strip.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def install() -> None:
    """Patch Textual's compositor once (see the module docstring)."""
    global _installed
    compositor = getattr(_compositor, "Compositor", None)
    needed = ("_render_chops", "render_partial_update", "_get_renders", "_regions_to_spans",
              "cuts")
    if _installed or compositor is None or not hasattr(_compositor, "ChopsUpdate"):
        return
    if not all(hasattr(compositor, name) for name in needed):
        return
    compositor._render_chops = _render_chops
    compositor.render_partial_update = _render_partial_update
    _compositor.ChopsUpdate.render_segments = _render_segments
    _installed = True
