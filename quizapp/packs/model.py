"""The question-pack schema: pydantic models for packs, templates, parameters and answers.

A pack is one YAML file. These models check its shape (unknown keys are
errors, every text is a string or a {ja, en} mapping); `quizapp.packs.loader` adds
the checks that need more than one field (expressions compile, names are
defined, topics are declared) and maps every error to a file position.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from quizapp.packs.fields import FIELDS, LEGACY_FIELDS, canonical_field  # noqa: F401

FieldName = Literal["応用数学", "機械学習", "深層学習の基礎", "深層学習の応用", "開発・運用環境"]
KINDS = ("numeric", "vector", "matrix", "single_choice", "multi_choice", "expression", "true_false")
CHOICE_KINDS = ("single_choice", "multi_choice")

# Default numeric tolerance: |a - v| <= abs + rel * |v|. Matches an answer rounded to
# three decimal places, and any answer within 0.5 % of the exact value.
DEFAULT_REL_TOL = 5e-3
DEFAULT_ABS_TOL = 5e-4

ID_PATTERN = r"^[a-z0-9_]+(\.[a-z0-9_]+)*$"
NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"

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


def text_in(text: Text | None, lang: str) -> str:
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang)


# --- parameters -----------------------------------------------------------------------------


class ChoiceParam(Strict):
    """One value from a list: `{choice: [0.5, 1.0, 2.0]}` (values may be any YAML scalar/list)."""

    choice: list[Any] = Field(min_length=1, max_length=1000)


class RangeParam(Strict):
    """A number from `range: [lo, hi]` on a grid of `step` (lo + k·step, both ends included)."""

    range: tuple[Number, Number]
    step: Number = 1
    exclude: list[Number] = []

    @model_validator(mode="after")
    def _check(self) -> RangeParam:
        lo, hi = self.range
        if lo > hi:
            raise ValueError("range must be [low, high] with low <= high")
        if self.step <= 0:
            raise ValueError("step must be positive")
        if (hi - lo) / self.step > 1_000_000:
            raise ValueError("range/step gives more than 1,000,000 values")
        return self


class IntParam(Strict):
    """An integer from `int: [lo, hi]`, both ends included."""

    int: tuple[int, int]
    exclude: list[int] = []

    @model_validator(mode="after")
    def _check(self) -> IntParam:
        if self.int[0] > self.int[1]:
            raise ValueError("int must be [low, high] with low <= high")
        return self


class ArrayParam(Strict):
    """A vector or matrix of nice numbers: `array: [2, 3]` (the shape; entries may be
    expressions of earlier parameters), with entries from `range` on a grid of `step`."""

    array: list[int | Expression] = Field(min_length=1, max_length=3)
    range: tuple[Number, Number] = (-1, 1)
    step: Number = 0.1
    nonzero: bool = False

    @model_validator(mode="after")
    def _check(self) -> ArrayParam:
        lo, hi = self.range
        if lo > hi:
            raise ValueError("range must be [low, high] with low <= high")
        if self.step <= 0:
            raise ValueError("step must be positive")
        return self


class SimplexParam(Strict):
    """A probability vector of `simplex: n` entries, each a positive multiple of `step`,
    summing to exactly 1 (for softmax outputs and cross-entropy items)."""

    simplex: int | Expression
    step: Number = 0.05

    @field_validator("step")
    @classmethod
    def _step(cls, v: Number) -> Number:
        if not 0 < v <= 0.5:
            raise ValueError("step must be in (0, 0.5]")
        return v


class DerivedParam(Strict):
    """A value computed from earlier parameters: `expr: "W @ z + b"`; `round: 4` rounds it
    (do this for any derived value the prompt shows, so shown numbers are the ones used)."""

    expr: Expression
    round: int | None = Field(default=None, ge=0, le=12)


def _param_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for tag in ("array", "simplex", "expr", "choice", "int", "range"):
            if tag in value:
                return f"{tag} parameter"
        return None
    for tag, cls in (
        ("choice", ChoiceParam),
        ("range", RangeParam),
        ("int", IntParam),
        ("array", ArrayParam),
        ("simplex", SimplexParam),
        ("expr", DerivedParam),
    ):
        if isinstance(value, cls):
            return f"{tag} parameter"
    return None


ParamSpec = Annotated[
    Annotated[ChoiceParam, Tag("choice parameter")]
    | Annotated[RangeParam, Tag("range parameter")]
    | Annotated[IntParam, Tag("int parameter")]
    | Annotated[ArrayParam, Tag("array parameter")]
    | Annotated[SimplexParam, Tag("simplex parameter")]
    | Annotated[DerivedParam, Tag("expr parameter")],
    Discriminator(
        _param_tag,
        custom_error_type="param_kind",
        custom_error_message=(
            "a parameter needs one of the keys choice, range, int, array, simplex, expr"
        ),
    ),
]


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


class Template(Strict):
    """A question template: fixed text plus parameters drawn per seed."""

    id: str = Field(pattern=ID_PATTERN, max_length=120)
    topic: str = Field(pattern=r"^[a-z0-9_]+$")
    field: FieldName = "深層学習の基礎"
    kind: Literal[
        "numeric", "vector", "matrix", "single_choice", "multi_choice", "expression", "true_false"
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

    _legacy_field = field_validator("field", mode="before")(
        lambda v: canonical_field(v) if isinstance(v, str) else v
    )

    @property
    def is_fixed(self) -> bool:
        return not self.params


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
    languages: list[Literal["ja", "en"]] = Field(default=["ja", "en"], min_length=1)
    topics: dict[Annotated[str, Field(pattern=r"^[a-z0-9_]+$")], Topic] = {}
    templates: list[Template] = Field(min_length=1)


def pack_json_schema() -> dict[str, Any]:
    """The JSON Schema of a pack file, for editors (yaml-language-server)."""
    schema = Pack.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "quizapp question pack"
    return schema
