"""Reading pack YAML safely: PyYAML's safe loader, bounded nodes, duplicate keys reported."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from quizapp.i18n import t
from quizapp.packs.files import MAX_FILE_BYTES, read_limited
from quizapp.packs.positions import PackIssue

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NODES", "parse_yaml", "read_limited", "scan_limits"]
MAX_NODES = 200_000  # YAML nodes of a file, aliases counted expanded
MAX_DEPTH = 64  # nesting of mappings and lists

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def scan_limits(
    text: str, path: str, lang: str, *, max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH
) -> PackIssue | None:
    """Count the nodes (aliases expanded) and the nesting of a YAML text from its event
    stream, before any node is built: a file over a limit is refused at the event that
    crosses it, in time and memory bounded by the limit. None when the text is within them.
    Syntax errors are left to the parse that follows."""
    loader = _Loader(text)
    try:
        count = 0
        aliases = False
        sizes: dict[str, int] = {}  # anchor -> nodes of the anchored value
        open_nodes: list[tuple[str | None, int]] = []
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return None
            if isinstance(event, yaml.ScalarEvent):
                count += 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, _OPEN):
                count += 1
                open_nodes.append((event.anchor, count))
                if len(open_nodes) > max_depth:
                    return _mark_issue(
                        path, event.start_mark, t("pack.too_deep", lang, limit=max_depth)
                    )
            elif isinstance(event, _CLOSE):
                anchor, first = open_nodes.pop()
                if anchor:
                    sizes[anchor] = count - first + 1
            elif isinstance(event, yaml.AliasEvent):
                aliases = True
                count += sizes.get(event.anchor, 1)
            if count > max_nodes:
                key = "pack.aliases" if aliases else "pack.too_many_nodes"
                return _mark_issue(path, event.start_mark, t(key, lang, limit=f"{max_nodes:,}"))
    except yaml.YAMLError as exc:
        if "nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's own depth limit
            mark = getattr(exc, "problem_mark", None)
            return _mark_issue(path, mark, t("pack.too_deep", lang, limit=max_depth))
        return None  # a syntax error: the parse that follows reports it
    finally:
        loader.dispose()


def _duplicate_keys(node: Any, path: str, lang: str) -> Iterator[PackIssue]:
    stack = [node]
    seen_nodes: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen_nodes:
            continue
        seen_nodes.add(id(n))
        if isinstance(n, yaml.MappingNode):
            first: dict[str, int] = {}
            for k, v in n.value:
                name = getattr(k, "value", None)
                if isinstance(name, str):
                    if name in first:
                        yield PackIssue(
                            path,
                            k.start_mark.line + 1,
                            k.start_mark.column + 1,
                            "",
                            t("pack.duplicate_key", lang, key=name, line=first[name]),
                        )
                    else:
                        first[name] = k.start_mark.line + 1
                stack.append(v)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)


def parse_yaml(text: str, path: str, lang: str) -> tuple[Any, Any, list[PackIssue]]:
    """(data, root node, issues) of a YAML text; data is None when it cannot be used."""
    too_much = scan_limits(text, path, lang)
    if too_much is not None:
        return None, None, [too_much]
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                return None, None, [PackIssue(path, 1, 1, "", t("pack.not_mapping", lang))]
            issues = list(_duplicate_keys(root, path, lang))
            data = loader.construct_document(root)
        finally:
            loader.dispose()
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        tag = (exc.problem or "").split("tag ")[-1].strip().strip("'") or "?"
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        return None, None, [_mark_issue(path, mark, t("pack.yaml_tag", lang, tag=tag))]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, None, [_mark_issue(path, mark, t("pack.yaml", lang, problem=problem))]
    except RecursionError:
        return None, None, [PackIssue(path, 1, 1, "", t("pack.yaml", lang, problem="too deep"))]
    return data, root, issues


def _mark_issue(path: str, mark: Any, message: str) -> PackIssue:
    if mark is None:
        return PackIssue(path, 1, 1, "", message)
    return PackIssue(path, mark.line + 1, mark.column + 1, "", message)

