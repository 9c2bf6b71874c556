"""Problems from templates: parameters drawn from a seed, answers computed by the solvers.

`generate(template, seed)` is deterministic: the same pack, template id and seed give
the same problem on any machine (parameters come from `random.Random` seeded with a
string, whose stream Python keeps stable). Numbers are rounded as they are drawn, so
the numbers a prompt shows are the numbers the answer is computed from.

The pieces: `problem` (the Problem type), `drawing` (parameters), `answers` (answers and
options); this module puts them together and keeps the public names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from quizapp.packs.answers import _misconceptions, build_choices, compute_value
from quizapp.packs.drawing import (
    MAX_ARRAY_SIZE,
    MAX_DRAWS,
    PROBLEM_SECONDS,
    check_budget,
    draw_param,
    draw_params,
    problem_budget,
    rng_for,
)
from quizapp.packs.itemsets import part_template
from quizapp.packs.model import Template
from quizapp.packs.problem import (
    LANGS,
    Choice,
    GenerationError,
    MisconceptionValue,
    Problem,
    to_json,
)

MAX_SEED = 2**63 - 1  # seeds are stored as signed 64-bit integers

__all__ = [
    "MAX_SEED",
    "LANGS",
    "MAX_ARRAY_SIZE",
    "MAX_DRAWS",
    "PROBLEM_SECONDS",
    "Choice",
    "GenerationError",
    "MisconceptionValue",
    "Problem",
    "build_choices",
    "check_budget",
    "compute_value",
    "draw_param",
    "draw_params",
    "generate",
    "generate_set",
    "instantiate",
    "problem_budget",
    "rng_for",
    "to_json",
]


def generate(
    template: Template, seed: int, *, pack_id: str = "", pack_version: str = ""
) -> Problem:
    """The problem of `template` for `seed`. Raises GenerationError (with `where`).

    An item set (a template with `parts:`) gives one problem whose `parts` are the
    sub-problems, built from parameters drawn once (`quizapp.packs.itemsets`)."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise GenerationError(f"a seed is a whole number from 0 to {MAX_SEED}", "seed")
    with problem_budget():
        if template.parts:
            return _generate_set(template, seed, pack_id, pack_version)
        params = draw_params(template, seed)
        return instantiate(template, seed, params, pack_id=pack_id, pack_version=pack_version)


def instantiate(
    template: Template,
    seed: int,
    params: Mapping[str, Any],
    *,
    pack_id: str = "",
    pack_version: str = "",
    options_key: str | None = None,
) -> Problem:
    """The problem of `template` with parameters already drawn (`options_key` names the
    stream that shuffles choice options; the template id by default)."""
    params = dict(params)
    env = dict(params)
    misconceptions = _misconceptions(template, env)
    choices = None
    if template.kind in ("single_choice", "multi_choice"):
        choices, answer = build_choices(
            template, env, rng_for((options_key or template.id) + "/options", seed),
            misconceptions,
        )
    elif template.kind == "expression":
        answer = template.answer.value
    else:
        answer = compute_value(template, env)
    env["answer"] = answer
    return Problem(
        template=template,
        pack_id=pack_id,
        pack_version=str(pack_version),
        seed=seed,
        params=params,
        answer=answer,
        choices=choices,
        misconceptions=misconceptions,
        env=env,
    )


def generate_set(
    template: Template, seed: int, *, pack_id: str = "", pack_version: str = ""
) -> Problem:
    """The problem of an item set for `seed`: the parameters drawn once, every part built
    from them. A GenerationError names the part (`parts[i].answer.value`)."""
    with problem_budget():
        return _generate_set(template, seed, pack_id, pack_version)


def _generate_set(template: Template, seed: int, pack_id: str, pack_version: str) -> Problem:
    params = draw_params(template, seed)
    parts = []
    for i in range(len(template.parts)):
        try:
            problem = instantiate(
                part_template(template, i), seed, params, pack_id=pack_id,
                pack_version=pack_version, options_key=f"{template.id}#{i + 1}",
            )
        except GenerationError as exc:
            where = f"parts[{i}].{exc.where}" if exc.where else f"parts[{i}]"
            raise GenerationError(exc.message, where) from exc
        parts.append(replace(problem, part=i + 1, stem=template))
    answer = [p.answer for p in parts]
    return Problem(
        template=template,
        pack_id=pack_id,
        pack_version=str(pack_version),
        seed=seed,
        params=params,
        answer=answer,
        env={**params, "answer": answer},
        parts=tuple(parts),
    )
