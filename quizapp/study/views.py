"""What the study screen shows for a problem: the input hint, the live preview, the
options, the feedback after an answer, the plot, durations. Texts in one language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from quizapp.grading import Grade
from quizapp.grading.compare import answer_text
from quizapp.i18n import t
from quizapp.packs.generation import Problem, to_json
from quizapp.packs.problem import choices_text


def answer_hint(problem: Problem, lang: str) -> str:
    """How to type the answer to this problem (the expected shape, never the answer)."""
    import numpy as np

    kind = problem.kind
    if kind == "vector":
        return t("hint.vector", lang, n=int(np.size(problem.answer)))
    if kind == "matrix":
        rows, cols = np.shape(problem.answer)
        example = "; ".join(" ".join(str(r * cols + c + 1) for c in range(cols))
                            for r in range(rows))
        return t("hint.matrix", lang, rows=rows, cols=cols, example=example)
    if kind == "expression":
        names = ", ".join(problem.template.answer.variables or {}) or "x"
        from quizapp.grading.preview import formula_example

        return t("hint.expression", lang, vars=names, example=formula_example(problem))
    if kind in ("single_choice", "multi_choice"):
        return t(f"hint.{kind}", lang, n=len(problem.choices or ()))
    return t(f"hint.{kind}", lang)


def read_preview(problem: Problem, raw: str, lang: str) -> str:
    """How the answer being typed reads so far (shown live under the box; it never tells
    whether it is right). See :func:`quizapp.grading.preview.reads_as`."""
    from quizapp.grading.preview import reads_as

    return reads_as(problem, raw, lang)


def choice_labels(problem: Problem, lang: str) -> list[str]:
    """The options of a choice or true/false item, in the order of the keys 1, 2, …"""
    if problem.kind == "true_false":
        return [t("bool.true", lang), t("bool.false", lang)]
    return [c.text(lang) for c in problem.choices or ()]


def raw_for_choice(problem: Problem, numbers: Sequence[int]) -> str:
    """The answer text the grader reads for the chosen option numbers (1-based)."""
    if problem.kind == "true_false":
        return "true" if list(numbers) == [1] else "false"
    return ",".join(str(n) for n in sorted(numbers))


@dataclass(frozen=True)
class FeedbackView:
    """The feedback after a valid answer, every part a text in one language."""

    verdict: str
    correct: bool
    your_answer: str
    misconception: str
    answer: str
    cells: str
    summary: str
    steps: tuple[str, ...]


def _parsed_text(problem: Problem, parsed: Any) -> str:
    from quizapp.packs.expressions import format_value

    if parsed is None:
        return ""
    if problem.kind in ("single_choice", "multi_choice"):
        return ", ".join(str(n) for n in (parsed if isinstance(parsed, list) else [parsed]))
    if problem.kind == "true_false":
        return "true" if parsed else "false"
    if isinstance(parsed, str):
        return parsed
    return format_value(to_json(parsed))


def _worth_showing(raw: str, parsed: str, kind: str) -> bool:
    """Whether "read as …" tells the learner something (not for a plain number typed)."""
    text = raw.strip()
    if kind == "numeric":
        try:
            float(text)
        except ValueError:
            return True
        return False
    if kind in ("single_choice", "multi_choice", "true_false"):
        return text.lower() != parsed.lower() and not text.isdigit()
    return "".join(text.split()) != "".join(parsed.split())


def feedback_view(
    problem: Problem, result: Grade, lang: str, *, raw: str = "", gave_up: bool = False
) -> FeedbackView:
    """What to show after a valid answer: verdict, misconception, answer, worked solution."""
    if gave_up:
        your = t("study.gave_up", lang)
    elif problem.kind in ("single_choice", "multi_choice", "true_false"):
        labels = choice_labels(problem, lang)
        picked = result.parsed if isinstance(result.parsed, list) else [result.parsed]
        if problem.kind == "true_false":
            picked = [1 if result.parsed else 2]
        shown = choices_text([(n, labels[n - 1]) for n in picked if 1 <= n <= len(labels)],
                             lang)
        your = t("study.your_answer", lang, raw=shown)
    else:
        parsed = _parsed_text(problem, result.parsed)
        if parsed and _worth_showing(raw, parsed, problem.kind):
            your = t("study.your_answer_read", lang, raw=raw.strip(), parsed=parsed)
        else:
            your = t("study.your_answer", lang, raw=raw.strip())
    cells = ""
    import numpy as np

    if result.cells and len(result.cells) < np.size(problem.answer):  # not when all are wrong
        key = "study.cells_vector" if problem.kind == "vector" else "study.cells"
        shown = ", ".join("(" + ", ".join(str(i + 1) for i in c) + ")" for c in result.cells)
        if problem.kind == "vector":
            shown = ", ".join(str(c[0] + 1) for c in result.cells)
        cells = t(key, lang, cells=shown)
    return FeedbackView(
        verdict=result.verdict(lang),
        correct=result.correct,
        your_answer=your,
        misconception=problem.text(result.message, lang) if result.message else "",
        answer=t("study.answer", lang, answer=answer_text(problem, lang)),
        cells=cells,
        summary=problem.explanation_summary(lang),
        steps=tuple(problem.explanation_steps(lang)),
    )


def invalid_text(result: Grade, lang: str) -> str:
    """Why an answer could not be read and how it was read, and that it cost nothing."""
    return t("study.invalid", lang, verdict=result.verdict(lang), reason=result.feedback(lang))


@dataclass(frozen=True)
class PlotData:
    """Functions of one variable sampled on the template's range, and the marked point."""

    xs: tuple[float, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    at: float | None
    marks: tuple[tuple[str, float], ...]
    """(function, value at `at`) for each function."""


def plot_data(problem: Problem, points: int = 121) -> PlotData | None:
    """The plot of an activation item (``template.plot``), or None when it has none."""
    spec = problem.template.plot
    if spec is None:
        return None
    import numpy as np

    from quizapp.packs.expressions import FUNCTIONS, ExpressionError, evaluate

    lo, hi = float(spec.range[0]), float(spec.range[1])
    xs = np.linspace(lo, hi, points)
    at = None
    if spec.at is not None:
        try:
            at = float(np.asarray(evaluate(spec.at, problem.env), dtype=float).reshape(-1)[0])
        except (ExpressionError, TypeError, ValueError):
            at = None
    series, marks = [], []
    for name in spec.functions:
        try:
            fn = FUNCTIONS[name]
            ys = np.asarray(fn(xs), dtype=float).reshape(-1)
            if ys.shape != xs.shape:
                continue
            series.append((name, tuple(float(y) for y in ys)))
            if at is not None:
                marks.append((name, float(np.asarray(fn(np.array([at])), dtype=float)[0])))
        except (KeyError, ExpressionError, TypeError, ValueError):
            continue
    if not series:
        return None
    return PlotData(tuple(float(x) for x in xs), tuple(series), at, tuple(marks))


def format_duration(seconds: float, lang: str) -> str:
    total = max(0, round(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    if h:
        return t("duration.h", lang, h=h, m=m)
    if m:
        return t("duration.ms", lang, m=m, s=s)
    return t("duration.s", lang, s=s)


def format_when(delta: timedelta, lang: str) -> str:
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 60:
        return t("when.minutes", lang, n=minutes)
    if minutes < 48 * 60:
        return t("when.hours", lang, n=round(minutes / 60))
    return t("when.days", lang, n=round(minutes / 1440))
