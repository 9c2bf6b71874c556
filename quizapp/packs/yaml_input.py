"""Reading pack YAML safely: PyYAML's safe loader, bounded nodes, duplicate keys reported."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from quizapp.i18n import t
from quizapp.packs.positions import PackIssue

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 200_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _count_nodes(node: Any, limit: int) -> int:
    """Nodes with aliases expanded (a billion-laughs file is refused before it is walked)."""
    memo: dict[int, int] = {}

    def count(n: Any) -> int:
        key = id(n)
        if key in memo:
            return memo[key]
        if isinstance(n, yaml.MappingNode):
            total = 1 + sum(count(k) + count(v) for k, v in n.value)
        elif isinstance(n, yaml.SequenceNode):
            total = 1 + sum(count(v) for v in n.value)
        else:
            total = 1
        memo[key] = min(total, limit + 1)
        return memo[key]

    return count(node)


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
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                return None, None, [PackIssue(path, 1, 1, "", t("pack.not_mapping", lang))]
            issues = list(_duplicate_keys(root, path, lang))
            count = _count_nodes(root, MAX_NODES)
            if count > MAX_NODES:
                msg = t("pack.aliases", lang, count=count, limit=MAX_NODES)
                return None, root, [PackIssue(path, 1, 1, "", msg)]
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

