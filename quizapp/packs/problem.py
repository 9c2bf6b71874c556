"""A problem: a template instantiated with a seed, and the texts it shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from quizapp.i18n import text_in
from quizapp.packs.expressions import ExpressionError, format_value, interpolate
from quizapp.packs.model import Template, Text

LANGS = ("ja", "en")


class GenerationError(Exception):
    """A template could not be instantiated. `where` is a key path inside the template."""

    def __init__(self, message: str, where: str = "", *, key: str | None = None,
                 fields: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.key = key  # a catalogue key for `text(lang)` (the message is its English text)
        self.fields = dict(fields or {})

    @classmethod
    def of(cls, key: str, where: str = "", **fields: Any) -> GenerationError:
        """An error whose text comes from the message catalogues."""
        from quizapp.i18n import t

        return cls(t(key, "en", **fields), where, key=key, fields=fields)

    def text(self, lang: str) -> str:
        """The message in `lang` (the English message when it has no catalogue key)."""
        if self.key is None:
            return self.message
        from quizapp.i18n import t

        return t(self.key, lang, **self.fields)


@dataclass(frozen=True)
class Choice:
    """One option as shown: its text per language (or code), and what choosing it means."""

    texts: Mapping[str, str]
    code: str | None
    correct: bool
    tag: str | None = None
    message: Text | None = None

    def text(self, lang: str) -> str:
        if self.code is not None:
            return self.code
        return self.texts.get(lang) or self.texts.get("en") or self.texts.get("ja") or ""


@dataclass(frozen=True)
class MisconceptionValue:
    tag: str
    value: Any
    message: Text


@dataclass(frozen=True)
class Problem:
    """A template instantiated with a seed."""

    template: Template
    pack_id: str
    pack_version: str
    seed: int
    params: Mapping[str, Any]
    answer: Any
    choices: tuple[Choice, ...] | None = None
    misconceptions: tuple[MisconceptionValue, ...] = ()
    env: Mapping[str, Any] = field(default_factory=dict, repr=False)
    parts: tuple[Problem, ...] = ()
    """An item set's sub-problems (1), (2), … in order (see `quizapp.packs.itemsets`)."""
    part: int = 0
    """A part of an item set: its number (1-based); 0 for any other problem."""
    stem: Template | None = field(default=None, repr=False)
    """A part of an item set: the set's template (its prompt and code are the stem)."""

    @property
    def template_id(self) -> str:
        return self.template.id

    @property
    def item_id(self) -> str:
        """The template id, and for a part of an item set `ID#n` (how attempts record it)."""
        return f"{self.template.id}#{self.part}" if self.part else self.template.id

    @property
    def kind(self) -> str:
        return self.template.kind

    def text(self, text: Text | None, lang: str) -> str:
        """Any text of the template (a misconception or option message), filled in."""
        try:
            return _fill(text, lang, self.env, "")
        except GenerationError:
            return text_in(text, lang)

    def prompt(self, lang: str) -> str:
        """The question; for a part of an item set, the stem and then `(n) …`."""
        if self.stem is not None:
            stem = _fill(self.stem.prompt, lang, self.env, "prompt")
            return f"{stem}\n\n{self.part_prompt(lang)}"
        return _fill(self.template.prompt, lang, self.env, "prompt")

    def part_prompt(self, lang: str) -> str:
        """A part's own question `(n) …` without the stem (the prompt for other problems)."""
        if not self.part:
            return self.prompt(lang)
        own = _fill(self.template.prompt, lang, self.env, f"parts[{self.part - 1}].prompt")
        return f"({self.part}) {own}"

    def hint(self, lang: str) -> str:
        return _fill(self.template.hint, lang, self.env, "hint")

    def explanation_summary(self, lang: str) -> str:
        return _fill(self.template.explanation.summary, lang, self.env, "explanation.summary")

    def explanation_steps(self, lang: str) -> list[str]:
        return [
            _fill(step, lang, self.env, f"explanation.steps[{i}]")
            for i, step in enumerate(self.template.explanation.steps)
        ]

    def explanation(self, lang: str) -> str:
        """The worked solution as one text: the summary, then numbered steps."""
        if self.parts:
            return "\n".join(f"({p.part}) {p.explanation(lang)}" for p in self.parts)
        parts = []
        summary = self.explanation_summary(lang)
        if summary:
            parts.append(summary)
        parts.extend(f"{n}. {s}" for n, s in enumerate(self.explanation_steps(lang), 1))
        return "\n".join(parts)

    def answer_text(self, lang: str) -> str:
        """The canonical answer as a person reads it."""
        from quizapp.i18n import t

        kind = self.kind
        if self.parts:
            return t("answer.list_sep", lang).join(
                t("answer.part", lang, n=p.part, answer=p.answer_text(lang)) for p in self.parts)
        if kind in ("single_choice", "multi_choice"):
            assert self.choices is not None
            indices = [self.answer] if kind == "single_choice" else list(self.answer)
            return choices_text([(i, self.choices[i - 1].text(lang)) for i in indices], lang)
        if kind == "true_false":
            return t("bool.true" if self.answer else "bool.false", lang)
        if kind == "expression":
            return str(self.answer)
        return format_value(self.answer, "")

    def answer_json(self) -> Any:
        return to_json(self.answer)

    def params_json(self) -> dict[str, Any]:
        return {k: to_json(v) for k, v in self.params.items()}


def choices_text(numbered: Iterable[tuple[int, str]], lang: str) -> str:
    """Chosen options as a person reads them: 「1「…」、3「…」」, "1. …; 3. …"."""
    from quizapp.i18n import t

    return t("answer.list_sep", lang).join(
        t("answer.choice", lang, n=n, text=text) for n, text in numbered)


def to_json(value: Any) -> Any:
    """Numpy values to plain JSON types (arrays as nested lists)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def _fill(text: Text | None, lang: str, env: Mapping[str, Any], where: str) -> str:
    raw = text_in(text, lang)
    if not raw:
        return ""
    try:
        return interpolate(raw, env)
    except ExpressionError as exc:
        raise GenerationError(exc.message, where) from exc

