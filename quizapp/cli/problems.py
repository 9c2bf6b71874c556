"""`quizapp sample` and `quizapp grade`: one problem of a template, on the command line."""

from __future__ import annotations

from typing import Any

from quizapp.cli.base import Context, print_json
from quizapp.i18n import t

GRADE_EXIT_CODES = (0, 1, 2)
"""`grade` exits 0 when the answer was graded (correct, incorrect or unreadable: see the
verdict or --json), 1 when the problem could not be built, 2 for a usage error or an
unknown template."""


def problem_json(problem: Any, lang: str) -> dict[str, Any]:
    """The `sample --json` object (DESIGN.md contract)."""
    template = problem.template
    choices = None
    if problem.choices is not None:
        choices = [c.text(lang) for c in problem.choices]
    return {
        "template": template.id,
        "seed": problem.seed,
        "pack": problem.pack_id,
        "topic": template.topic,
        "field": template.field,
        "kind": template.kind,
        "params": problem.params_json(),
        "prompt": problem.prompt(lang),
        "code": template.code,
        "choices": choices,
        "answer": problem.answer_json(),
        "answer_text": problem.answer_text(lang),
        "explanation": problem.explanation(lang),
    } | ({"parts": [_part_json(p, lang) for p in problem.parts]} if problem.parts else {})


def _part_json(part: Any, lang: str) -> dict[str, Any]:
    """One part of an item set in `sample --json`'s `parts` list."""
    choices = [c.text(lang) for c in part.choices] if part.choices is not None else None
    return {
        "part": part.part,
        "kind": part.kind,
        "prompt": part.part_prompt(lang),
        "choices": choices,
        "answer": part.answer_json(),
        "answer_text": part.answer_text(lang),
        "explanation": part.explanation(lang),
    }


def cmd_sample(ctx: Context) -> int:
    problem = ctx.problem(ctx.args.template_id, ctx.args.seed)
    data = problem_json(problem, ctx.lang)
    if ctx.args.json:
        print_json(data)
        return 0
    lang = ctx.lang
    print(f"[{data['template']}  seed={data['seed']}]")
    print()
    print(data["prompt"])
    if data["code"]:
        print()
        for line in data["code"].rstrip("\n").splitlines():
            print("    " + line)
    for item in [data, *data.get("parts", [])]:
        if item is not data:
            print()
            print(item["prompt"])
        for n, text in enumerate(item["choices"] or [], 1):
            lines = text.splitlines() or [""]
            print(("\n" if n == 1 else "") + f"  {n}. {lines[0]}")
            for more in lines[1:]:
                print(f"     {more}")
    from quizapp.grading.compare import answer_text

    print()
    shown, exact = answer_text(problem, lang), data["answer_text"]
    if shown == exact:
        print(t("cli.answer", lang, answer=exact))
    else:  # rounded to the places the prompt asks for: the exact value beside it
        print(t("cli.answer_exact", lang, answer=shown, exact=exact))
    if data["explanation"]:
        print()
        print(t("cli.explanation", lang))
        for line in data["explanation"].splitlines():
            print("  " + line)
    return 0


def cmd_grade(ctx: Context) -> int:
    from quizapp.cli.base import QuizappError
    from quizapp.grading import grade
    from quizapp.packs.generation import to_json
    from quizapp.packs.itemsets import select_part

    problem = ctx.problem(ctx.args.template_id, ctx.args.seed)
    if problem.parts or ctx.args.part:  # an item set: grade one part (--part N)
        try:
            problem = select_part(problem, ctx.args.part)
        except ValueError:
            key = "itemset.needs_part" if problem.parts else "itemset.not_a_set"
            raise QuizappError(
                t(key, ctx.lang, id=problem.template_id, n=len(problem.parts))
            ) from None
    result = grade(problem, ctx.args.answer)
    if ctx.args.json:
        print_json(
            {
                "valid": result.valid,
                "correct": result.correct,
                "parsed": to_json(result.parsed),
                "feedback": result.feedback(ctx.lang),
                "misconception": result.misconception,
            }
        )
        return 0
    print(result.verdict(ctx.lang))
    feedback = result.feedback(ctx.lang)
    if feedback:
        print(feedback)
    return 0
