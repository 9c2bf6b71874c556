"""The items of an exam: what is stored (`ExamItem`) and what is shown (`ExamQuestion`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quizapp.exam.options import exam_options
from quizapp.exam.presets import VALUE_KINDS
from quizapp.i18n import t
from quizapp.packs.generation import Choice as ExamOption
from quizapp.packs.model import canonical_field

if TYPE_CHECKING:
    from quizapp.packs.generation import Problem
    from quizapp.packs.loader import Catalog

# --------------------------------------------------------------------------- items


@dataclass(frozen=True)
class ExamItem:
    """One item of an exam: a template and the seed of its problem."""

    template_id: str
    seed: int
    pack_id: str
    pack_version: str
    topic: str
    field: str
    part: int = 0  # the part (1-based) of an item set; 0 for a single template

    def to_json(self) -> dict[str, Any]:
        return {
            "template": self.template_id,
            "seed": self.seed,
            "pack": self.pack_id,
            "pack_version": self.pack_version,
            "topic": self.topic,
            "field": self.field,
        } | ({"part": self.part} if self.part else {})

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ExamItem:
        return cls(
            template_id=str(data["template"]),
            seed=int(data["seed"]),
            pack_id=str(data.get("pack", "")),
            pack_version=str(data.get("pack_version", "")),
            topic=str(data.get("topic", "")),
            field=canonical_field(str(data.get("field", "深層学習の基礎"))),
            part=int(data.get("part", 0)),
        )


def parse_answer(answer: str | None, n: int) -> tuple[int, ...]:
    """Option numbers (1-based, sorted) from a saved answer ``"2"`` or ``"1,3"``.

    Anything unreadable or out of range reads as no answer.
    """
    if not answer:
        return ()
    picked = set()
    for part in answer.replace(" ", "").split(","):
        if not part.isdigit() or not 1 <= int(part) <= n:
            return ()
        picked.add(int(part))
    return tuple(sorted(picked))


def answer_text(picked: Iterable[int]) -> str | None:
    """The saved form of chosen options (None when nothing is chosen)."""
    numbers = sorted(set(picked))
    return ",".join(map(str, numbers)) if numbers else None


@dataclass(frozen=True)
class ExamQuestion:
    """An item made into a problem with its options, as the exam shows it."""

    index: int
    item: ExamItem
    problem: Problem
    options: tuple[ExamOption, ...]
    multi: bool

    @property
    def correct_options(self) -> tuple[int, ...]:
        return tuple(i for i, o in enumerate(self.options, 1) if o.correct)

    @property
    def converted(self) -> bool:
        """True for numeric/vector/matrix items shown with generated options."""
        return self.problem.kind in VALUE_KINDS

    def prompt(self, lang: str) -> str:
        text = self.problem.prompt(lang)
        return closest_value_prompt(text, lang) if self.converted else text

    @property
    def code(self) -> str | None:
        return self.problem.template.code

    def picked(self, answer: str | None) -> tuple[int, ...]:
        return parse_answer(answer, len(self.options))

    def is_correct(self, answer: str | None) -> bool:
        picked = self.picked(answer)
        return bool(picked) and picked == self.correct_options

    def toggled(self, answer: str | None, number: int) -> str | None:
        """The answer after pressing option ``number``: select it (single choice), or
        add/remove it (multiple choice)."""
        if not 1 <= number <= len(self.options):
            return answer
        if not self.multi:
            return str(number)
        picked = set(self.picked(answer))
        picked ^= {number}
        return answer_text(picked)

    def mistake(self, answer: str | None) -> ExamOption | None:
        """The wrongly chosen option that carries a misconception, if any."""
        if self.is_correct(answer):
            return None
        for n in self.picked(answer):
            option = self.options[n - 1]
            if not option.correct and (option.tag or option.message):
                return option
        return None

    def options_text(self, numbers: Iterable[int], lang: str) -> str:
        from quizapp.packs.problem import choices_text

        parts = []
        for n in numbers:
            text = self.options[n - 1].text(lang)
            first = text.splitlines()[0] if text else ""
            parts.append((n, first + (" …" if "\n" in text else "")))
        return choices_text(parts, lang)

    def explanation(self, lang: str) -> str:
        return self.problem.explanation(lang)


def closest_value_prompt(text: str, lang: str) -> str:
    """The stem of a numeric item shown with options: "to 3 decimal places" goes, and it
    asks for the closest value instead (「最も近い値を選べ」 / "Choose the closest value")."""
    # the patterns are language data: exam.places.sentence / exam.places.phrase
    out = re.sub(t("exam.places.sentence", lang), "", text)
    out = re.sub(t("exam.places.phrase", lang), "", out)
    out = re.sub(r"([\uff08(])\s*[\u3001,;]\s*", r"\1", out)  # "（、" → "（"
    out = re.sub(r"\s*[\uff08(]\s*[\uff09)]", "", out).rstrip()  # "（）" goes
    end = t("exam.sentence_end", lang)
    if out and out[-1] not in ".!?" + end:
        out += end
    sep = "" if lang == "ja" else " "
    return f"{out}{sep}{t('exam.choose_closest', lang)}"


def _build_question(index: int, item: ExamItem, catalog: Catalog) -> ExamQuestion:
    from quizapp.packs.generation import generate

    ref = catalog.templates[item.template_id]
    problem = generate(
        ref.template, item.seed, pack_id=ref.pack.id, pack_version=str(ref.pack.version)
    )
    if problem.parts or item.part:  # one part of an item set is one exam item
        from quizapp.packs.itemsets import select_part

        try:
            problem = select_part(problem, item.part)
        except ValueError as exc:
            from quizapp.packs.generation import GenerationError

            raise GenerationError(str(exc)) from exc
    options, multi = exam_options(problem)
    return ExamQuestion(index, item, problem, options, multi)


def _instance_key(q: ExamQuestion) -> tuple[str, ...]:
    return (q.item.template_id, q.prompt("en"), *(o.text("en") for o in q.options))
