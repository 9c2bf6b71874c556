"""Problems from templates: parameters drawn from a seed, answers computed by the solvers.

`generate(template, seed)` is deterministic: the same pack, template id and seed give
the same problem on any machine (parameters come from `random.Random` seeded with a
string, whose stream Python keeps stable). Numbers are rounded as they are drawn, so
the numbers a prompt shows are the numbers the answer is computed from.

The pieces: `problem` (the Problem type), `drawing` (parameters), `answers` (answers and
options); this module puts them together and keeps the public names.
"""

from __future__ import annotations

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
from quizapp.packs.model import Template
from quizapp.packs.problem import (
    LANGS,
    Choice,
    GenerationError,
    MisconceptionValue,
    Problem,
    to_json,
)

__all__ = [
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
    "problem_budget",
    "rng_for",
    "to_json",
]


def generate(
    template: Template, seed: int, *, pack_id: str = "", pack_version: str = ""
) -> Problem:
    """The problem of `template` for `seed`. Raises GenerationError (with `where`)."""
    with problem_budget():
        return _generate(template, seed, pack_id, pack_version)


def _generate(template: Template, seed: int, pack_id: str, pack_version: str) -> Problem:
    params = draw_params(template, seed)
    env = dict(params)
    misconceptions = _misconceptions(template, env)
    choices = None
    if template.kind in ("single_choice", "multi_choice"):
        choices, answer = build_choices(
            template, env, rng_for(template.id + "/options", seed), misconceptions
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
