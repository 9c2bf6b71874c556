"""Blueprint files (YAML: field shares, topic weights) and sharing items among strata
(field, topic) by largest-remainder rounding.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp.exam.presets import FIELD_ALIASES, MAX_MINUTES, MAX_QUESTIONS, ExamError, Note
from quizapp.i18n import t
from quizapp.packs.model import FIELDS, LEGACY_FIELDS, canonical_field

# --------------------------------------------------------------------------- blueprint files

# A blueprint is a few dozen lines; these bound what a hostile one can cost.
MAX_BLUEPRINT_BYTES = 100_000
MAX_BLUEPRINT_NODES = 10_000
MAX_BLUEPRINT_DEPTH = 8
MAX_BLUEPRINT_PROBLEMS = 50


@dataclass(frozen=True)
class BlueprintFile:
    """A YAML blueprint: any of questions, minutes, pass_percent, fields, topics."""

    path: str
    questions: int | None = None
    minutes: int | None = None
    pass_threshold: float | None = None
    fields: Mapping[str, float] | None = None
    topics: Mapping[str, float] | None = None



def _node_pos(node: Any) -> tuple[int, int]:
    mark = getattr(node, "start_mark", None)
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _scalar(node: Any) -> Any:
    import yaml

    return yaml.safe_load(yaml.serialize(node))


def read_blueprint(path: str | Path, lang: str = "en") -> BlueprintFile:
    """Read and check a blueprint YAML file; every problem is reported as ``path:line:col``.

    ```yaml
    questions: 100          # optional
    minutes: 120            # optional
    pass_percent: 65        # optional, the (unofficial) pass line
    fields:                 # optional: shares of the items per field (any positive numbers)
      応用数学: 10            # or applied_math, machine_learning, dl_basics, dl_applications, devops
      深層学習の基礎: 80
    topics:                 # optional: topic weights (override the packs' weights)
      backprop: 2
    ```
    Raises ``ExamError("exam.blueprint_invalid")`` listing every problem.
    """
    import yaml

    name = str(path)
    problems: list[str] = []

    def add(node: Any, key: str, message: str) -> None:
        line, col = _node_pos(node)
        problems.append(
            f"{name}:{line}:{col}: {key}: {message}" if key else f"{name}:{line}:{col}: {message}"
        )

    from quizapp.packs.yaml_input import read_limited, scan_limits

    text, issues = read_limited(Path(path), name, lang, limit=MAX_BLUEPRINT_BYTES)
    if text is None:
        raise ExamError("exam.blueprint_invalid", problems=issues[0].format())
    too_much = scan_limits(
        text, name, lang, max_nodes=MAX_BLUEPRINT_NODES, max_depth=MAX_BLUEPRINT_DEPTH
    )
    if too_much is not None:
        raise ExamError("exam.blueprint_invalid", problems=too_much.format())
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ExamError(
            "exam.blueprint_invalid",
            problems=f"{name}:{line}:{col}: "
            + t("exam.bp.yaml", lang, problem=getattr(exc, "problem", None) or str(exc)),
        ) from exc
    if root is None:
        return BlueprintFile(name)
    if not isinstance(root, yaml.MappingNode):
        add(root, "", t("exam.bp.not_mapping", lang))
        raise ExamError("exam.blueprint_invalid", problems="\n".join(problems))
    known = ("questions", "minutes", "pass_percent", "fields", "topics")
    values: dict[str, Any] = {}
    for key_node, value_node in root.value:
        key = str(key_node.value)
        if key not in known:
            near = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
            hint = t("exam.bp.hint", lang, name=near[0]) if near else ""
            add(key_node, "", t("exam.bp.unknown_key", lang, key=key, hint=hint))
            continue
        if key in ("questions", "minutes"):
            limit = MAX_QUESTIONS if key == "questions" else MAX_MINUTES
            value = _scalar(value_node) if isinstance(value_node, yaml.ScalarNode) else None
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
                add(
                    value_node,
                    key,
                    t(
                        "exam.bp.not_whole",
                        lang,
                        max=limit,
                        got=value_node.value if isinstance(value_node, yaml.ScalarNode) else "…",
                    ),
                )
            else:
                values[key] = value
        elif key == "pass_percent":
            value = _scalar(value_node) if isinstance(value_node, yaml.ScalarNode) else None
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not 0 <= value <= 100
            ):
                add(
                    value_node,
                    key,
                    t("exam.bp.percent", lang, got=getattr(value_node, "value", "…")),
                )
            else:
                values["pass_threshold"] = float(value) / 100
        else:
            if not isinstance(value_node, yaml.MappingNode):
                add(value_node, key, t("exam.bp.not_weights", lang))
                continue
            weights: dict[str, float] = {}
            for k_node, v_node in value_node.value:
                item = str(k_node.value)
                where = f"{key}.{item}"
                if key == "fields":
                    canonical = (
                        canonical_field(item)
                        if item in FIELDS or item in LEGACY_FIELDS
                        else FIELD_ALIASES.get(item.lower())
                    )
                    if canonical is None:
                        names = ", ".join([*FIELDS, *FIELD_ALIASES])
                        add(k_node, where, t("exam.bp.unknown_field", lang, name=item, names=names))
                        continue
                    item = canonical
                value = _scalar(v_node) if isinstance(v_node, yaml.ScalarNode) else None
                if (
                    isinstance(value, bool)
                    or not isinstance(value, (int, float))
                    or not math.isfinite(value)
                    or value < 0
                ):
                    add(
                        v_node,
                        where,
                        t("exam.bp.not_number", lang, got=getattr(v_node, "value", "…")),
                    )
                    continue
                weights[item] = float(value)
            if weights and not any(weights.values()):
                add(value_node, key, t("exam.bp.all_zero", lang))
            values[key] = weights
    if problems:
        if len(problems) > MAX_BLUEPRINT_PROBLEMS:
            more = len(problems) - MAX_BLUEPRINT_PROBLEMS
            problems = problems[:MAX_BLUEPRINT_PROBLEMS]
            problems.append(f"{name}: " + t("pack.more_issues", lang, n=f"{more:,}"))
        raise ExamError("exam.blueprint_invalid", problems="\n".join(problems))
    return BlueprintFile(name, **values)


# --------------------------------------------------------------------------- blueprint


@dataclass(frozen=True)
class Stratum:
    """The templates of one (field, topic) in the exam, and its share of the items."""

    field: str
    topic: str
    templates: tuple[str, ...]
    weight: float
    fixed: tuple[str, ...] = ()
    """The templates without parameters: each can give only one distinct item."""

    @property
    def key(self) -> tuple[int, str]:
        return (FIELDS.index(self.field), self.topic)

    @property
    def capacity(self) -> int | None:
        """The most items this stratum can give (None: no limit, templates repeat)."""
        return None if len(self.fixed) < len(self.templates) else len(self.templates)


def largest_remainder(
    weights: Mapping[Any, float],
    total: int,
    capacity: Mapping[Any, int | None] | None = None,
) -> dict[Any, int]:
    """Share ``total`` among the keys in proportion to ``weights`` (Hamilton's method).

    Each key gets the whole part of its quota; the items left go to the largest
    remainders (ties: larger weight, then key order). A key never gets more than its
    ``capacity``; what it cannot take is shared again among the others. The sum is
    ``total`` unless every key is full.
    """
    capacity = capacity or {}
    order = {k: i for i, k in enumerate(sorted(weights))}
    counts = {k: 0 for k in weights}
    remaining = total

    def room(k: Any) -> float:
        cap = capacity.get(k)
        return math.inf if cap is None else cap - counts[k]

    while remaining > 0:
        active = [k for k in weights if weights[k] > 0 and room(k) > 0]
        if not active:
            break
        total_weight = sum(weights[k] for k in active)
        quotas = {k: remaining * weights[k] / total_weight for k in active}
        shares = {k: math.floor(quotas[k]) for k in active}
        left = remaining - sum(shares.values())
        ranked = sorted(active, key=lambda k: (-(quotas[k] - shares[k]), -weights[k], order[k]))
        for k in ranked[:left]:
            shares[k] += 1
        given = 0
        for k in active:
            take = int(min(shares[k], room(k)))
            counts[k] += take
            given += take
        remaining -= given
        if given == 0:
            break
    return counts


@dataclass(frozen=True)
class Blueprint:
    """How many items each (field, topic) gives."""

    strata: tuple[Stratum, ...]
    counts: Mapping[tuple[str, str], int]
    notes: tuple[Note, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def by_field(self) -> dict[str, int]:
        out = {f: 0 for f in FIELDS}
        for (f, _), n in self.counts.items():
            out[f] += n
        return {f: n for f, n in out.items() if n}

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "field": s.field,
                "topic": s.topic,
                "templates": len(s.templates),
                "items": self.counts.get((s.field, s.topic), 0),
            }
            for s in self.strata
        ]


def plan_blueprint(
    strata: Sequence[Stratum], questions: int, field_weights: Mapping[str, float] | None = None
) -> Blueprint:
    """Share ``questions`` among ``strata`` (by field first when ``field_weights`` is given)."""
    strata = sorted(strata, key=lambda s: s.key)
    caps = {s.key: s.capacity for s in strata}
    weights = {s.key: s.weight for s in strata}
    notes: list[Note] = []
    if field_weights:
        present = {s.field for s in strata if s.weight > 0}
        for f, w in field_weights.items():
            if w > 0 and f not in present:
                notes.append(Note("exam.note.field_missing", {"field": f}))
        fw = {f: field_weights.get(f, 0.0) for f in present}
        if not any(fw.values()):
            fw = {f: 1.0 for f in present}
        field_caps: dict[str, int | None] = {}
        for f in present:
            members = [caps[s.key] for s in strata if s.field == f and s.weight > 0]
            field_caps[f] = None if any(c is None for c in members) else sum(members)  # type: ignore[arg-type]
        per_field = largest_remainder(fw, questions, field_caps)
        shortfall = questions - sum(per_field.values())
        if shortfall > 0:  # fields with zero share take what the others cannot
            extra = largest_remainder(
                {f: 1.0 for f in present},
                shortfall,
                {
                    f: None if field_caps[f] is None else field_caps[f] - per_field[f]  # type: ignore[operator]
                    for f in present
                },
            )
            for f, n in extra.items():
                per_field[f] += n
        counts_by_key: dict[tuple[int, str], int] = {}
        for f, n in per_field.items():
            members = {s.key: s.weight for s in strata if s.field == f and s.weight > 0}
            counts_by_key.update(largest_remainder(members, n, caps))
    else:
        counts_by_key = largest_remainder(weights, questions, caps)
    counts = {(s.field, s.topic): counts_by_key.get(s.key, 0) for s in strata}
    return Blueprint(tuple(strata), counts, tuple(notes))
