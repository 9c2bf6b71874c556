"""Item sets (大問): several sub-questions under one shared stem.

A template with `parts:` is an item set. Its `params` and `where` are drawn ONCE per
seed, its `prompt` and `code` are the stem, and each part (1), (2), … has its own
question text, answer kind, answer, misconceptions, hint and worked solution.

- Generation: `generate(set_template, seed)` (`generation.generate_set`) returns
  one `Problem` of kind `set` whose `parts` are ordinary problems (each with
  `part` = n and `stem` = the set's template), so grading, feedback and the exam's option conversion treat a part like
  any single problem. A part's `template` is a view of the set: the set's id, topic,
  field, params and code with the part's kind, prompt, answer, misconceptions, hint,
  explanation and plot.
- Identity: a set is ONE template id for progress and scheduling (one FSRS card).
  Each part's attempt is recorded under `ID#n` (`Problem.item_id`), so statistics and
  the attempt history keep which part was answered.
- The FSRS rating of a set comes from its parts: all parts correct → Good, otherwise
  Again (`set_correct`), given once, after the last part.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from quizapp.packs.model import Template

PART_SEPARATOR = "#"


def part_template(template: Template, index: int) -> Template:
    """The view of part `index` (0-based) of an item set as a single template."""
    part = template.parts[index]
    return template.model_copy(
        update={
            "kind": part.kind,
            "prompt": part.prompt,
            "answer": part.answer,
            "misconceptions": part.misconceptions,
            "explanation": part.explanation,
            "plot": part.plot,
            "hint": part.hint,
            "parts": [],
        }
    )


def split_item_id(item_id: str) -> tuple[str, int]:
    """`ID#n` → (ID, n); a plain template id → (ID, 0)."""
    base, sep, number = item_id.rpartition(PART_SEPARATOR)
    if sep and number.isdigit():
        return base, int(number)
    return item_id, 0


def set_correct(results: Iterable[bool]) -> bool:
    """The verdict of a whole set for its FSRS card: every part correct (→ Good), else
    Again. Documented in questions/README.md."""
    results = list(results)
    return bool(results) and all(results)


def select_part(problem: Any, number: int | None) -> Any:
    """Part `number` (1-based) of an item set. Raises ValueError: a set needs a part
    number in range; a single problem takes none (or 0)."""
    if not problem.parts:
        if number:
            raise ValueError(f"{problem.template_id} is not an item set: it has no parts")
        return problem
    if number is None or not 1 <= number <= len(problem.parts):
        raise ValueError(
            f"{problem.template_id} is an item set: give a part number from 1 to "
            f"{len(problem.parts)}"
        )
    return problem.parts[number - 1]
