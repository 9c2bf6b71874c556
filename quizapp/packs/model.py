"""The question-pack schema: pydantic models for packs, templates, parameters and answers.

A pack is one YAML file. These models check its shape (unknown keys are
errors, every text is a string or a {ja, en} mapping); `quizapp.packs.loader` adds
the checks that need more than one field (expressions compile, names are
defined, topics are declared) and maps every error to a file position.

The parameters are in `quizapp.packs.model_params`, the base model and the text type
in `quizapp.packs.model_base`; every name of the schema is importable from here.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from quizapp.packs.fields import FIELDS, LEGACY_FIELDS, canonical_field  # noqa: F401
from quizapp.packs.model_base import (
    Expression,
    Localized,  # noqa: F401  (re-exported)
    Number,
    Strict,
    Text,
)
from quizapp.packs.model_params import (  # noqa: F401  (re-exported)
    MAX_GRID_VALUES,
    MAX_PARAM_ELEMENTS,
    ArrayParam,
    ChoiceParam,
    DerivedParam,
    IntParam,
    ParamSpec,
    RangeParam,
    SimplexParam,
)

FieldName = Literal["応用数学", "機械学習", "深層学習の基礎", "深層学習の応用", "開発・運用環境"]
KINDS = ("numeric", "vector", "matrix", "single_choice", "multi_choice", "expression", "true_false")
SET_KIND = "set"  # the kind of an item set (大問): a template with `parts:` (see `Part`)
CHOICE_KINDS = ("single_choice", "multi_choice")

# Default numeric tolerance: |a - v| <= abs + rel * |v|. Matches an answer rounded to
# three decimal places, and any answer within 0.5 % of the exact value.
DEFAULT_REL_TOL = 5e-3
DEFAULT_ABS_TOL = 5e-4

ID_PATTERN = r"^[a-z0-9_]+(\.[a-z0-9_]+)*$"
NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"


# --- answers --------------------------------------------------------------------------------


class Tolerance(Strict):
    """Accept |answer − value| <= abs + rel·|value|; or `sig: n` significant figures; or
    `places: n` decimal places (the value rounded or truncated to n places). Without any,
    a prompt that asks for n decimal places (「小数第 n 位まで」) grades with `places: n`."""

    rel: float = Field(default=DEFAULT_REL_TOL, ge=0, le=1)
    abs: float = Field(default=DEFAULT_ABS_TOL, ge=0)
    sig: int | None = Field(default=None, ge=1, le=15)
    places: int | None = Field(default=None, ge=0, le=12)


class Misconception(Strict):
    """A typical wrong answer: an expression of the parameters, a tag, and what to tell."""

    tag: str = Field(pattern=r"^[a-z0-9_]+$", max_length=60)
    value: Expression
    message: Text


class Option(Strict):
    """One option of a choice item: a `text`, a `code` snippet, or a computed `value`."""

    text: Text | None = None
    code: str | None = None
    value: Expression | None = None
    format: str = ".4g"
    correct: bool | Expression = False
    tag: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$", max_length=60)
    message: Text | None = None

    @model_validator(mode="after")
    def _one_body(self) -> Option:
        bodies = [k for k in ("text", "code", "value") if getattr(self, k) is not None]
        if len(bodies) != 1:
            raise ValueError("an option needs exactly one of text, code, value")
        return self


class Answer(Strict):
    """The answer spec. Which keys apply depends on the template's kind:

    - numeric / vector / matrix: `value` (an expression), `tolerance`, `shape` (optional check)
    - single_choice / multi_choice: `options` (each with `correct`), `count` shown (default 4),
      `from_misconceptions` (add the misconceptions as computed options), `shuffle`
    - expression: `value` (a formula in `variables`), `variables` with domains `[lo, hi]`
    - true_false: `value` (an expression giving a bool) or `correct: true/false`
    """

    value: Expression | None = None
    tolerance: Tolerance = Tolerance()
    shape: list[int | Expression] | None = None
    options: list[Option] | None = None
    count: int = Field(default=4, ge=2, le=8)
    from_misconceptions: bool = False
    shuffle: bool = True
    format: str = ".4g"
    variables: dict[Annotated[str, Field(pattern=NAME_PATTERN)], tuple[Number, Number]] | None = None
    correct: bool | None = None


class Explanation(Strict):
    """A worked solution: a summary and steps; `{expr:fmt}` fields show this instance's numbers."""

    summary: Text | None = None
    steps: list[Text] = []


class Plot(Strict):
    """A plot of functions of one variable with a marked point (activation items)."""

    functions: list[Annotated[str, Field(pattern=NAME_PATTERN)]] = Field(min_length=1, max_length=4)
    at: Expression | None = None
    range: tuple[Number, Number] = (-5, 5)


AnswerKind = Literal[
    "numeric", "vector", "matrix", "single_choice", "multi_choice", "expression", "true_false"
]


class Part(Strict):
    """One sub-question (1), (2), … of an item set (大問). The parts share the set's
    `params`, `where`, stem `prompt` and `code`; each has its own question text, answer
    kind, answer, misconceptions, hint and worked solution."""

    kind: AnswerKind
    prompt: Text
    answer: Answer
    misconceptions: list[Misconception] = []
    explanation: Explanation
    plot: Plot | None = None
    hint: Text | None = None


class Template(Strict):
    """A question template: fixed text plus parameters drawn per seed.

    With `parts:` it is an item set (大問): `prompt`/`code` are the shared stem, `kind`
    is `set` (may be left out), and `answer`/`explanation`/`misconceptions` belong to
    the parts, not to the set.
    """

    id: str = Field(pattern=ID_PATTERN, max_length=120)
    topic: str = Field(pattern=r"^[a-z0-9_]+$")
    field: FieldName = "深層学習の基礎"
    kind: Literal[
        "numeric", "vector", "matrix", "single_choice", "multi_choice", "expression", "true_false",
        "set",
    ]
    difficulty: int = Field(default=2, ge=1, le=5)
    tags: list[str] = []
    convention: Literal["math", "code"] | None = None
    params: dict[Annotated[str, Field(pattern=NAME_PATTERN)], ParamSpec] = {}
    where: list[Expression] = []
    prompt: Text
    code: str | None = None
    answer: Answer
    misconceptions: list[Misconception] = []
    explanation: Explanation
    plot: Plot | None = None
    hint: Text | None = None
    parts: list[Part] = Field(default=[], max_length=10)

    _legacy_field = field_validator("field", mode="before")(
        lambda v: canonical_field(v) if isinstance(v, str) else v
    )

    @model_validator(mode="before")
    @classmethod
    def _set_defaults(cls, data: Any) -> Any:
        """An item set may leave out `kind` (it is `set`), `answer` and `explanation`."""
        if isinstance(data, dict) and data.get("parts"):
            data = dict(data)
            data.setdefault("kind", SET_KIND)
            data.setdefault("answer", {})
            data.setdefault("explanation", {})
        return data

    @model_validator(mode="after")
    def _set_shape(self) -> Template:
        if self.kind == SET_KIND and not self.parts:
            raise ValueError("kind set needs parts: a list of sub-questions")
        if self.parts and self.kind != SET_KIND:
            raise ValueError("a template with parts is an item set: leave kind out (or kind: set)")
        own = (self.answer.model_fields_set or self.misconceptions or self.hint or self.plot
               or self.explanation.model_fields_set)
        if self.parts and own:
            raise ValueError("an item set has no answer, misconceptions, explanation, hint or "
                             "plot of its own: give them in each part")
        return self

    @property
    def is_fixed(self) -> bool:
        return not self.params

    @property
    def is_set(self) -> bool:
        """An item set (大問): one template id, several parts sharing the stem."""
        return bool(self.parts)


class Topic(Strict):
    title: Text
    field: FieldName = "深層学習の基礎"
    weight: float = Field(default=1.0, ge=0)
    """Blueprint weight in mock exams: items ∝ templates × weight (0 leaves the topic out)."""

    _legacy_field = field_validator("field", mode="before")(
        lambda v: canonical_field(v) if isinstance(v, str) else v
    )


class Pack(Strict):
    """One YAML file of templates."""

    id: str = Field(pattern=ID_PATTERN, max_length=80)
    version: int | str
    title: Text
    description: Text | None = None
    order: int = Field(default=100, ge=0, le=10_000)
    """Where the pack stands among the packs of its exam field on the home screen (lower
    first, then by file name): the built-in packs follow the syllabus."""
    languages: list[Literal["ja", "en"]] = Field(default=["ja", "en"], min_length=1)
    topics: dict[Annotated[str, Field(pattern=r"^[a-z0-9_]+$")], Topic] = {}
    templates: list[Template] = Field(min_length=1)


def pack_json_schema() -> dict[str, Any]:
    """The JSON Schema of a pack file, for editors (yaml-language-server)."""
    schema = Pack.model_json_schema()
    # An item set needs `parts` instead of `kind`, `answer` and `explanation`.
    template = schema.get("$defs", {}).get("Template", {})
    if "required" in template:
        template["required"] = [
            k for k in template["required"] if k not in ("kind", "answer", "explanation")
        ]
        template["anyOf"] = [{"required": ["parts"]}, {"required": ["kind", "answer", "explanation"]}]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "quizapp question pack"
    return schema
