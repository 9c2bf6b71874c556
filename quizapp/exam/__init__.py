"""Timed mock exams in the style of the E資格: blueprint, items, four options, clock, score.

The real exam has about 100 four-option items in 120 minutes, a countdown, items that can
be flagged and revisited, no feedback until the end and a score report by field
(応用数学 / 機械学習 / 深層学習の基礎 / 深層学習の応用 / 開発・運用環境). This module builds such an exam from the
installed packs and keeps it in the progress store; it never imports Textual.

**Blueprint.** The items are shared out among the *strata* (field, topic) in proportion to
their weight, by largest-remainder rounding. A stratum's weight is the number of its
templates, each counted with its topic's ``weight`` (a pack's ``topics: {t: {weight: 2}}``,
default 1; 0 leaves the topic out), or the weight a blueprint file gives the topic. A
blueprint file may also give field shares: the items are then first shared out among the
fields, then among each field's topics.

**Items.** An item is (template id, problem seed). When a stratum has fewer templates than
items, its templates with parameters repeat with fresh seeds ("N templates for M items:
some repeat with new numbers"); a fixed template (no parameters) is never repeated. The
items are shuffled. Everything comes from one ``random.Random`` seeded with the exam's
seed, so the same seed and the same catalogue give the same items in the same order.

**Four options.** Choice templates are used as they are (a template may show 3 or 5
options; multi-choice items are "choose all that apply"). Numeric, vector and matrix
items become four options: the correct value, then distractors from the template's
misconceptions, then plausible slips (sign, factor 2 or ½, 1 − x, transpose …), all
distinct once formatted, none accepted by the grader, in an order drawn from the
problem's seed. Formula (``expression``) and true/false items are left out: a formula has
no natural four options, and a two-way item is not the exam's format.

**Clock.** The exam clock counts only the time the exam was really running: from start or
resume until the app leaves the exam. It is folded into the store on every answer and
every ``CHECKPOINT_SECONDS``; time while the app was closed (or killed, after its last
checkpoint) is not counted. When the time is up the exam is submitted as it stands.

**After the exam.** The score (overall, by field, by topic, time used, pace, the
*unofficial* pass line) is stored with the exam. Every answered item is recorded as an
attempt with ``mode="exam"``; a template answered wrongly is reviewed as failed
(FSRS ``Again``), so it comes back soon in study. Correct answers do not move the
schedule: with four options a correct answer may be a guess. Unanswered items are not
recorded.
"""

from __future__ import annotations

from quizapp.exam.blueprint import (
    Blueprint,
    BlueprintFile,
    Stratum,
    largest_remainder,
    plan_blueprint,
    read_blueprint,
)
from quizapp.exam.building import (
    Exam,
    build_exam,
    usable_in_exams,
)
from quizapp.exam.history import (
    ExamSummary,
    clock_level,
    clock_warning,
    exam_history,
    running_summary,
)
from quizapp.exam.items import (
    ExamItem,
    ExamQuestion,
    answer_text,
    parse_answer,
)
from quizapp.exam.options import (
    NotConvertible,
    exam_options,
    value_options,
)
from quizapp.exam.presets import (
    CHECKPOINT_SECONDS,
    CHOICE_KINDS,
    CONFIG_VERSION,
    DEFAULT_PASS_THRESHOLD,
    DEFAULT_PRESET,
    EXAM_KINDS,
    FIELD_ALIASES,
    MAX_MINUTES,
    MAX_QUESTIONS,
    OPTION_COUNT,
    PASS_SETTING,
    PRESETS,
    SECONDS_PER_ITEM,
    SEED_RETRIES,
    SKIPPED_KINDS,
    VALUE_KINDS,
    WARN_AT_SECONDS,
    ExamError,
    Note,
    Preset,
    field_label,
    format_duration,
    format_percent,
    preset_label,
)
from quizapp.exam.scoring import (
    ExamScore,
    ItemResult,
    ReviewEntry,
    Tally,
    field_rows,
    result_lines,
    review_entries,
    score_exam,
    topic_rows,
)
from quizapp.exam.session import (
    ExamSession,
    record_exam_attempts,
)
from quizapp.exam.spec import (
    ExamSpec,
    make_spec,
    new_seed,
    spec_from_options,
    stored_pass_threshold,
)

__all__ = [
    "Blueprint",
    "BlueprintFile",
    "CHECKPOINT_SECONDS",
    "CHOICE_KINDS",
    "CONFIG_VERSION",
    "DEFAULT_PASS_THRESHOLD",
    "DEFAULT_PRESET",
    "EXAM_KINDS",
    "Exam",
    "ExamError",
    "ExamItem",
    "ExamQuestion",
    "ExamScore",
    "ExamSession",
    "ExamSpec",
    "ExamSummary",
    "FIELD_ALIASES",
    "ItemResult",
    "MAX_MINUTES",
    "MAX_QUESTIONS",
    "NotConvertible",
    "Note",
    "OPTION_COUNT",
    "PASS_SETTING",
    "PRESETS",
    "Preset",
    "ReviewEntry",
    "SECONDS_PER_ITEM",
    "SEED_RETRIES",
    "SKIPPED_KINDS",
    "Stratum",
    "Tally",
    "VALUE_KINDS",
    "WARN_AT_SECONDS",
    "answer_text",
    "build_exam",
    "clock_level",
    "clock_warning",
    "exam_history",
    "exam_options",
    "field_label",
    "field_rows",
    "format_duration",
    "format_percent",
    "largest_remainder",
    "make_spec",
    "new_seed",
    "parse_answer",
    "plan_blueprint",
    "preset_label",
    "read_blueprint",
    "record_exam_attempts",
    "result_lines",
    "review_entries",
    "running_summary",
    "score_exam",
    "spec_from_options",
    "stored_pass_threshold",
    "topic_rows",
    "usable_in_exams",
    "value_options",
]
