"""Warnings about templates that work but teach badly (``packs validate`` prints them).

- the same function call written three or more times in one template (issue #10.4: a value
  used twice should be a derived parameter named from the math, used by name);
- draws that repeat (few distinct problems over many seeds) or degenerate (a drawn array
  parameter whose entries are all equal, a matrix with a zero row or two equal rows; values
  listed with `choice:` are the author's and are not checked) (issue #13.19);
- a multi-choice item whose number of correct options is the same in every draw, so the
  count can be guessed (issue #13.20).

A warning does not make ``validate`` fail unless ``--strict`` is given.
"""

from __future__ import annotations

import ast
import json
import math
from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np

from quizapp.i18n import t
from quizapp.packs.expressions import ExpressionError, check_interpolation, compile_expr
from quizapp.packs.generation import GenerationError, Problem, generate
from quizapp.packs.loader import LoadedPack, PackIssue, loc_text, position
from quizapp.packs.model import ArrayParam, DerivedParam, Localized, SimplexParam, Template

REPEAT_LIMIT = 3
"""A call written this many times in one template is a warning."""
MIN_DISTINCT = 5
"""A parameterized calculation should give at least this many distinct problems in 50 seeds.
(A choice item may draw from a few scenarios by design: it is not held to this.)"""
VALUE_KINDS = ("numeric", "vector", "matrix")
MIN_DRAWS_FOR_COUNT = 20
"""A varying number of correct options is only judged over this many draws."""


# --------------------------------------------------------------------------- repeated calls


def _texts(text: Any) -> Iterator[str]:
    if isinstance(text, Localized):
        yield from (s for s in (text.ja, text.en) if s)
    elif isinstance(text, str):
        yield text


def _expressions(template: Template) -> Iterator[str]:
    """The source of every expression of the template, including the ``{...}`` text fields."""
    for spec in template.params.values():
        if isinstance(spec, DerivedParam):
            yield spec.expr
    yield from template.where
    answer = template.answer
    if answer.value is not None and template.kind != "expression":
        yield answer.value
    for item in answer.shape or []:
        if isinstance(item, str):
            yield item
    for opt in answer.options or []:
        if opt.value is not None:
            yield opt.value
        if isinstance(opt.correct, str):
            yield opt.correct
    for m in template.misconceptions:
        if template.kind != "expression":
            yield m.value
    texts: list[Any] = [template.prompt, template.hint, template.explanation.summary]
    texts += list(template.explanation.steps)
    texts += [m.message for m in template.misconceptions]
    for opt in answer.options or []:
        texts += [opt.text, opt.message]
    for text in texts:
        for s in _texts(text):
            try:
                for expr in check_interpolation(s):
                    yield expr.source
            except ExpressionError:
                continue


def repeated_calls(template: Template, limit: int = REPEAT_LIMIT) -> list[tuple[str, int]]:
    """The function calls (as written, normalized) that occur ``limit`` or more times."""
    counts: Counter[str] = Counter()
    for source in _expressions(template):
        try:
            body = compile_expr(source).body
        except ExpressionError:
            continue
        for node in ast.walk(body):
            if isinstance(node, ast.Call):
                counts[ast.unparse(node)] += 1
    return sorted(((s, n) for s, n in counts.items() if n >= limit), key=lambda x: (-x[1], x[0]))


# --------------------------------------------------------------------------- draws


def _key(value: Any) -> str:
    try:
        return json.dumps(np.asarray(value, dtype=float).round(9).tolist())
    except (TypeError, ValueError):
        return json.dumps(value, sort_keys=True, default=str)


def degenerate(value: Any) -> str | None:
    """Why an array value is degenerate (a message key suffix), or None."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    if arr.ndim == 0 or arr.size < 2 or not np.all(np.isfinite(arr)):
        return None
    if np.all(arr == arr.flat[0]):
        return "all_equal"
    if arr.ndim == 2 and arr.shape[0] >= 2:
        if np.any(np.all(arr == 0, axis=1)):
            return "zero_row"
        rows = {tuple(r) for r in arr.tolist()}
        if len(rows) < arr.shape[0]:
            return "equal_rows"
    return None


def _problem_key(problem: Problem, drawn: list[str]) -> tuple[str, ...]:
    """What makes two problems the same: the drawn parameters (and, for a choice item, the
    options shown, as a set: a different selection of distractors is a different item)."""
    key = tuple(_key(problem.params[n]) for n in drawn)
    if problem.choices is not None:
        key += tuple(sorted(c.code or c.text("en") for c in problem.choices))
    return key


def draw_warnings(template: Template, seeds: int) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(where, message key, params) for repeated or degenerate draws and fixed answer counts."""
    if not template.params:
        if template.kind == "multi_choice":
            yield "answer.options", "lint.fixed_correct_count", {}
        return
    problems = []
    for seed in range(seeds):
        try:
            problems.append(generate(template, seed))
        except GenerationError:
            continue  # reported by check_instances
    if not problems:
        return
    drawn = [n for n, s in template.params.items() if not isinstance(s, DerivedParam)]
    random_arrays = [
        n for n, s in template.params.items() if isinstance(s, ArrayParam | SimplexParam)
    ]
    constant = {n for n in drawn if len({_key(p.params[n]) for p in problems}) == 1}
    distinct = {_problem_key(p, drawn) for p in problems}
    need = min(MIN_DISTINCT, math.ceil(len(problems) / 10))
    if drawn and template.kind in VALUE_KINDS and len(distinct) < need:
        yield "params", "lint.few_distinct", {"n": len(distinct), "seeds": len(problems)}
    flagged: set[str] = set()
    for p in problems:
        for n in random_arrays:
            if n in flagged or n in constant:
                continue
            why = degenerate(p.params[n])
            if why is not None:
                flagged.add(n)
                yield f"params.{n}", f"lint.degenerate.{why}", {"seed": p.seed, "name": n}
    if template.kind == "multi_choice" and len(problems) >= MIN_DRAWS_FOR_COUNT:
        counts = {sum(c.correct for c in p.choices or ()) for p in problems}
        if len(counts) == 1:
            yield "answer.options", "lint.fixed_correct_count", {}


# --------------------------------------------------------------------------- the pack


def _loc(where: str) -> tuple[str | int, ...]:
    return tuple(where.split(".")) if where else ()


def check_warnings(loaded: LoadedPack, seeds: int, lang: str = "en") -> list[PackIssue]:
    """The warnings of every template of a loaded pack (draws checked with ``seeds`` seeds)."""
    issues: list[PackIssue] = []
    prefix = t("lint.warning", lang)
    for index, template in enumerate(loaded.pack.templates):
        found: list[tuple[str, str, dict[str, Any]]] = []
        for source, count in repeated_calls(template):
            found.append(("", "lint.repeated_call", {"call": source, "count": count}))
        found.extend(draw_warnings(template, seeds))
        for where, key, params in found:
            loc = ("templates", index, *_loc(where))
            line, col, _ = position(loaded.node, loc)
            message = f"{prefix} {template.id}: {t(key, lang, **params)}"
            issues.append(PackIssue(str(loaded.path), line, col, loc_text(loc), message))
    return issues
