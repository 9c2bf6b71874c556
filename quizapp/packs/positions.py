"""Positions in a pack file: the issue type, key paths, and mapping a path to `line:col`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PackIssue:
    """One problem in a pack file, at a position (1-based line and column)."""

    path: str
    line: int
    col: int
    key: str
    message: str

    def format(self) -> str:
        key = f" {self.key}:" if self.key else ""
        return f"{self.path}:{self.line}:{self.col}:{key} {self.message}"


Loc = tuple[str | int, ...]


def loc_text(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_INDEX = "_quizapp_keys"  # attribute caching a mapping node's {key: (key node, value node)}


def _child(node: Any, part: str | int) -> tuple[Any, Any] | None:
    """(key node, value node) of `part` inside a composed node, or None.

    A mapping's keys are indexed once (on first lookup, kept on the node), so mapping the
    thousands of errors of a hostile file to positions stays linear in their number.
    """
    import yaml  # here, so that importing the loader for a cached catalogue needs no YAML

    if isinstance(node, yaml.MappingNode):
        index = getattr(node, _INDEX, None)
        if index is None:
            index = {}
            for key_node, value_node in node.value:
                name = getattr(key_node, "value", None)
                if isinstance(name, str):
                    index.setdefault(name, (key_node, value_node))
            setattr(node, _INDEX, index)
        return index.get(str(part))
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        if 0 <= part < len(node.value):
            item = node.value[part]
            return item, item
    return None


def position(root: Any, loc: Loc, *, key: bool = False) -> tuple[int, int, Loc]:
    """The (line, col) of the deepest node along `loc` (1-based), and the loc that was found.

    Parts of `loc` that are not in the data (pydantic's union branch names) are skipped.
    With key=True the position of the last key itself is given, not of its value.
    """
    node = root
    mark = getattr(root, "start_mark", None)
    found: list[str | int] = []
    for part in loc:
        child = _child(node, part)
        if child is None:
            continue
        key_node, value_node = child
        found.append(part)
        mark = key_node.start_mark if key else value_node.start_mark
        node = value_node
    if mark is None:
        return 1, 1, tuple(found)
    return mark.line + 1, mark.column + 1, tuple(found)

