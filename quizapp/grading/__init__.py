"""Reading and grading a learner's answer.

Input is normalized first (NFKC: full-width digits and signs from Japanese input
methods, `−`, `．`, `，`), then read according to the problem's kind. An answer
that cannot be read is *invalid* (the learner is told how it was read and may try
again; it costs no attempt), never *wrong*.
"""

from __future__ import annotations

from quizapp.grading.compare import (
    FORMULA_POINTS,
    FORMULA_TOLERANCE,
    Feedback,
    Grade,
    close,
    evaluate_formula,
    grade,
    normalize_formula,
)
from quizapp.grading.reading import (
    Unreadable,
    normalize,
    parse_array,
    parse_bool,
    parse_choices,
    parse_number,
)

__all__ = [
    "FORMULA_POINTS",
    "FORMULA_TOLERANCE",
    "Feedback",
    "Grade",
    "Unreadable",
    "close",
    "evaluate_formula",
    "grade",
    "normalize",
    "normalize_formula",
    "parse_array",
    "parse_bool",
    "parse_choices",
    "parse_number",
]
