"""The building blocks of the pack schema: the strict base model, texts, numbers, expressions.

Every model of :mod:`quizapp.packs.model` and :mod:`quizapp.packs.model_params` derives
from ``Strict`` (unknown keys are errors, instances are frozen); ``Text`` is what a pack
may give wherever the learner reads something.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

Expression = Annotated[str, Field(min_length=1, max_length=2000)]
Number = int | float


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(Strict):
    """A text in several languages. Only ja and en are known."""

    ja: str | None = None
    en: str | None = None

    @model_validator(mode="after")
    def _one_language(self) -> Localized:
        if self.ja is None and self.en is None:
            raise ValueError("give the text in ja, en or both")
        return self

    def get(self, lang: str) -> str:
        return getattr(self, lang, None) or self.en or self.ja or ""


Text = str | Localized
"""One string for every language, or a mapping {ja: ..., en: ...}."""

