"""Instance checks of templates: build each with many seeds and grade its own answers.

For every seed: the problem builds, its texts interpolate in every language of the
pack, the grader accepts the canonical answer in its usual spellings, rejects every
distractor, and recognizes every misconception (which must differ from the answer and
from every other misconception). Warnings (repeated calls, degenerate draws) are in
:mod:`quizapp.grading.lint`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np

from quizapp.grading.compare import close, grade
from quizapp.i18n import t
from quizapp.packs.generation import GenerationError, Problem, generate
from quizapp.packs.loader import LoadedPack, PackIssue, loc_text, position

FULLWIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789.-,"} | {"-": "−"})


def spellings(problem: Problem) -> list[str]:
    """The ways a learner would type the canonical answer."""
    answer = problem.answer
    kind = problem.kind
    if kind == "numeric":
        v = float(answer)
        out = [repr(v), f"{v:.6g}", f"{v:.4f}" if abs(v) >= 0.01 else f"{v:.3e}"]
        out.append(out[0].translate(FULLWIDTH))
        return out
    if kind in ("vector", "matrix"):
        arr = np.asarray(answer)
        lists = json.dumps(np.round(arr, 8).tolist())
        if arr.ndim == 1:
            plain = " ".join(f"{x:.6g}" for x in arr)
        else:
            plain = "; ".join(" ".join(f"{x:.6g}" for x in row) for row in arr)
        return [lists, plain]
    if kind == "single_choice":
        return [str(answer), f" {answer} ".translate(FULLWIDTH)]
    if kind == "multi_choice":
        return [",".join(map(str, answer)), " ".join(map(str, answer))]
    if kind == "true_false":
        return ["true", "○"] if answer else ["false", "×"]
    return [str(answer)]


def problem_faults(problem: Problem, langs: list[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(where, message key, params) for each thing wrong with this instance."""
    seed = problem.seed
    for lang in langs:
        problem.prompt(lang)
        problem.explanation(lang)
        problem.hint(lang)
        problem.answer_text(lang)
    for spelling in spellings(problem):
        if not grade(problem, spelling).correct:
            yield "answer", "pack.own_answer_rejected", {
                "seed": seed,
                "answer": problem.answer_json(),
                "spelling": spelling,
            }
            break
    if problem.choices is not None:
        for n, choice in enumerate(problem.choices, 1):
            if not choice.correct:
                result = grade(problem, str(n))
                if result.correct:
                    yield "answer.options", "pack.distractor_accepted", {"seed": seed, "n": n}
        return
    if problem.kind in ("numeric", "vector", "matrix"):
        tol = problem.template.answer.tolerance
        yield from _coinciding(problem)
        for i, m in enumerate(problem.misconceptions):
            same_shape = np.shape(m.value) == np.shape(problem.answer)
            if same_shape and bool(np.all(close(m.value, problem.answer, tol))):
                yield f"misconceptions[{i}].value", "pack.misconception_equals_answer", {
                    "seed": seed,
                    "tag": m.tag,
                    "value": json.dumps(np.round(np.asarray(m.value), 6).tolist()),
                }
                continue
            text = json.dumps(np.asarray(m.value, dtype=float).tolist())
            result = grade(problem, text)
            if result.correct or result.misconception is None:
                yield f"misconceptions[{i}].value", "pack.misconception_not_matched", {
                    "seed": seed,
                    "tag": m.tag,
                }
    if problem.kind == "expression":
        for i, m in enumerate(problem.misconceptions):
            result = grade(problem, str(m.value))
            if result.correct:
                yield f"misconceptions[{i}].value", "pack.misconception_equals_answer", {
                    "seed": seed,
                    "tag": m.tag,
                    "value": m.value,
                }


def instance_faults(
    problem: Problem, langs: list[str]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """`problem_faults`, and for an item set those of every part (at `parts[i]. …`)."""
    if not problem.parts:
        yield from problem_faults(problem, langs)
        return
    for lang in langs:
        problem.prompt(lang)  # the stem
    for i, part in enumerate(problem.parts):
        for where, key, params in problem_faults(part, langs):
            yield f"parts[{i}].{where}", key, params


def _coinciding(problem: Problem) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Two misconceptions with the same value for this seed (issue #13.7): the grader could
    name only one of them, so the other's message would be wrong."""
    tol = problem.template.answer.tolerance
    ms = problem.misconceptions
    for i, a in enumerate(ms):
        for b in ms[:i]:
            if np.shape(a.value) != np.shape(b.value):
                continue
            if bool(np.all(close(a.value, b.value, tol))):
                yield f"misconceptions[{i}].value", "pack.misconceptions_coincide", {
                    "seed": problem.seed,
                    "tag": b.tag,
                    "other": a.tag,
                    "value": json.dumps(np.round(np.asarray(a.value), 6).tolist()),
                }
                break


def _where_loc(where: str) -> tuple[str | int, ...]:
    loc: list[str | int] = []
    for part in where.replace("]", "").split("."):
        name, _, index = part.partition("[")
        if name:
            loc.append(name)
        if index:
            loc.append(int(index))
    return tuple(loc)


def check_instances(loaded: LoadedPack, seeds: int, lang: str = "en") -> list[PackIssue]:
    """Every template of a loaded pack, instantiated with seeds 0..seeds-1."""
    issues: list[PackIssue] = []
    pack = loaded.pack
    langs = list(pack.languages)
    for index, template in enumerate(pack.templates):
        reported: set[tuple[str, str]] = set()
        for seed in range(seeds):
            base = ("templates", index)
            try:
                problem = generate(
                    template, seed, pack_id=pack.id, pack_version=str(pack.version)
                )
                faults = list(instance_faults(problem, langs))
            except GenerationError as exc:
                faults = [(exc.where, "pack.instance", {"seed": seed, "msg": exc.message})]
            for where, key, params in faults:
                if (where, key) in reported:
                    continue
                reported.add((where, key))
                loc = base + _where_loc(where)
                line, col, _ = position(loaded.node, loc)
                message = t(key, lang, **params)
                issues.append(PackIssue(str(loaded.path), line, col, loc_text(loc), message))
    return issues

