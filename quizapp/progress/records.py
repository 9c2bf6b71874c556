"""The store's records, errors and time helpers (no database code here).

Every timestamp is stored as UTC ISO-8601 text with microseconds (so text order is time
order). Methods accept only timezone-aware datetimes and return aware UTC datetimes.
"""

from __future__ import annotations

import json
import math
import operator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any, NamedTuple

from quizapp.i18n import LocalizedError, t


class StoreError(LocalizedError):
    """A problem with the progress store that the user must be told about (``key`` names a
    ``store.*`` message of the catalogue)."""


@dataclass(frozen=True)
class StoreNotice:
    """Something the UI should show once after opening the store (e.g. a file moved aside)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` ("ja" or "en")."""
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.text("en")


# --------------------------------------------------------------------------- constants

MODES = ("study", "cram", "exam")
"""How an attempt was made: scheduled study, cramming (no scheduling), an exam."""

EXAM_STATUSES = ("running", "finished", "abandoned")

MASTERED_STABILITY_DAYS = 21.0
"""A card counts as *mastered* when its FSRS stability is at least this many days
(the interval after which recall probability falls to about 90 %)."""

APPLICATION_ID = 0x51415050  # "QAPP" in the SQLite header: marks the file as ours
EXPORT_FORMAT = "quizapp-progress"
EXPORT_VERSION = 1
DEFAULT_BUSY_TIMEOUT = 5.0

INT64 = (-(2**63), 2**63 - 1)
"""The range of a signed 64-bit integer (seeds and ids in both SQL dialects)."""


# --------------------------------------------------------------------------- time helpers


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime, name: str = "datetime") -> str:
    """UTC ISO-8601 text of an aware datetime; naive ones are refused."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got the naive {value!r})")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:  # never written by us; be lenient with hand-made files
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _dt_or_none(text: str | None) -> datetime | None:
    return None if text is None else _dt(text)


def _local_date(value: datetime, tz: tzinfo | None) -> date:
    """The calendar day of ``value`` in ``tz`` (None: the system's local time zone)."""
    return (value.astimezone(tz) if tz is not None else value.astimezone()).date()


def _local_midnight(day: date, tz: tzinfo | None) -> datetime:
    """The aware instant at which ``day`` starts in ``tz`` (None: system local time)."""
    if tz is not None:
        return datetime.combine(day, time(), tzinfo=tz)
    return datetime.combine(day, time()).astimezone()


def _today(tz: tzinfo | None) -> date:
    return _local_date(_utcnow(), tz)


def new_uid() -> str:
    """A new row ``uid`` (random, 32 hex digits): unique across machines, for merging."""
    import uuid  # not at start-up: uuid imports platform (~5 ms)

    return uuid.uuid4().hex


# --------------------------------------------------------------------------- records
# Immutable records: NamedTuples, except where a constructor checks its values (Attempt) or
# a default is made per instance (StoreNotice), which are frozen dataclasses. (A dataclass
# costs about 2 ms to define, a NamedTuple a sixth of that: this module is imported before
# the first frame.)


@dataclass(frozen=True)
class Attempt:
    """One answer to one problem. Only valid (readable) answers are recorded.

    ``parsed`` is how the answer was read (any JSON value; numpy values are converted).
    ``pack_version`` is kept as text. ``answered_at`` must be timezone-aware.
    """

    template_id: str
    pack_id: str
    pack_version: str
    seed: int
    raw_answer: str
    parsed: Any
    correct: bool
    misconception: str | None
    seconds: float
    answered_at: datetime
    session_id: int | None = None
    mode: str = "study"

    def __post_init__(self) -> None:
        _iso(self.answered_at, "answered_at")
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {self.mode!r}")
        if isinstance(self.seed, bool):
            raise TypeError("seed must be an int, not bool")
        seed = operator.index(self.seed)  # accepts numpy integers too
        if not INT64[0] <= seed <= INT64[1]:
            raise ValueError("seed must fit in 64 bits")
        object.__setattr__(self, "seed", seed)
        seconds = float(self.seconds)
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"seconds must be a finite number >= 0, not {self.seconds!r}")
        object.__setattr__(self, "seconds", seconds)
        object.__setattr__(self, "pack_version", str(self.pack_version))
        object.__setattr__(self, "correct", bool(self.correct))


class CardUpdate(NamedTuple):
    """What the scheduler wants stored for a card after a review (opaque to the store)."""

    card_json: str
    due: datetime
    stability: float | None
    review_log_json: str | None = None
    rating: int | None = None


class CardRecord(NamedTuple):
    """A stored card: the scheduler's JSON plus the columns the store queries."""

    template_id: str
    card_json: str
    due: datetime
    stability: float | None
    first_review_at: datetime
    updated_at: datetime


class SessionRecord(NamedTuple):
    """A study, cram or exam session."""

    id: int
    mode: str
    started_at: datetime
    ended_at: datetime | None
    filter: str | None
    planned: int | None
    summary: dict[str, Any] | None


class ExamAnswer(NamedTuple):
    """The saved answer to one exam item (``answer`` None: not answered yet)."""

    answer: str | None
    flagged: bool
    updated_at: datetime


class ExamRecord(NamedTuple):
    """A stored exam. ``config`` is whatever the exam module saved (blueprint + items).

    Time: ``elapsed_seconds`` is the time already counted; while the exam is open,
    ``last_resumed_at`` is the instant from which the running interval is counted
    (see ``Store.checkpoint_exam_time``).
    """

    id: int
    seed: int
    preset: str | None
    config: dict[str, Any]
    started_at: datetime
    elapsed_seconds: float
    last_resumed_at: datetime | None
    status: str
    finished_at: datetime | None
    score: dict[str, Any] | None
    answers: dict[int, ExamAnswer]


class TemplateAccuracy(NamedTuple):
    """Attempts and correct answers for one template."""

    attempts: int
    correct: int
    last_answered_at: datetime

    @property
    def accuracy(self) -> float:
        return self.correct / self.attempts if self.attempts else 0.0


class Counts(NamedTuple):
    """Due cards, never-reviewed templates and mastered cards among some templates."""

    due: int
    new: int
    mastered: int


# --------------------------------------------------------------------------- profiles

MAX_PROFILE_LENGTH = 64


def default_profile() -> str:
    """The profile used without ``--profile``: the operating-system user name."""
    import getpass

    try:
        name = getpass.getuser()
    except Exception:  # no user name in the environment (containers)
        name = ""
    name = name.strip()
    return name if name and check_profile(name, strict=False) else "default"


def check_profile(name: Any, *, strict: bool = True) -> str | None:
    """``name`` if it is a usable profile name (1–64 printable characters, no slash).

    ``strict``: raise ``StoreError("store.bad_profile")`` instead of returning None.
    """
    ok = (
        isinstance(name, str)
        and 0 < len(name) <= MAX_PROFILE_LENGTH
        and name == name.strip()
        and name.isprintable()
        and "/" not in name
    )
    if ok:
        return name
    if strict:
        raise StoreError("store.bad_profile", name=str(name)[:80], limit=MAX_PROFILE_LENGTH)
    return None


def _json_default(value: Any) -> Any:
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    if isinstance(value, datetime):
        return _iso(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)
