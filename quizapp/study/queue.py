"""The order of a study session: which template comes next, and how many are left.

A mixin of ``StudySession`` (:mod:`quizapp.study.session`). In study mode the order is
``Scheduler.queue`` (due reviews first, then new templates up to the daily limit), asked
again after every answer, so a failed card can come back; in cram mode it is the session's
``_cram_order`` (every template of the scope once), walked once. Templates that could not
be generated (``_excluded``) are left out, and the ``first`` template of
``--template ID --seed N`` comes before everything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any


class QueueMixin:
    """What comes next in a ``StudySession``: ``upcoming``, ``progress`` and ``_pick``."""

    mode: str
    scheduler: Any
    template_ids: list[str]
    new_limit: int
    current: Any
    item_set: Any
    set_open: bool
    _clock: Callable[[], datetime]
    _first: tuple[str, int | None] | None
    _cram_order: list[str]
    _cram_pos: int
    _excluded: set[str]
    _done: int

    def _queue(self) -> list[str]:
        if self.mode == "cram":
            rest = self._cram_order[self._cram_pos :]
            return [x for x in rest if x not in self._excluded]
        ids = self.scheduler.queue(self.template_ids, self._clock(), self.new_limit)
        return [x for x in ids if x not in self._excluded]

    def upcoming(self) -> list[str]:
        """The templates still to come (not counting the problem on screen)."""
        queue = self._queue()
        cur = self.current
        if cur is not None and cur.result is None and not cur.extra and self.mode == "study":
            queue = [x for x in queue if x != cur.problem.template_id]
        if self.set_open and self.mode == "study":  # the set's card is reviewed at its end
            queue = [x for x in queue if x != self.item_set.template_id]  # type: ignore[union-attr]
        if self._first is not None:
            queue = [self._first[0]] + [x for x in queue if x != self._first[0]]
        return queue

    def progress(self) -> tuple[int, int]:
        """(done, planned): answered queue items, and those plus what is still to come."""
        cur = self.current
        pending = 1 if cur is not None and not cur.extra and (
            cur.result is None or self.set_open) else 0
        return self._done, self._done + pending + len(self.upcoming())

    def _pick(self) -> tuple[str, int | None] | None:
        if self._first is not None:
            first, self._first = self._first, None
            if self.mode == "cram":
                self._cram_pos += 1
            return first
        if self.mode == "cram":
            while self._cram_pos < len(self._cram_order):
                tid = self._cram_order[self._cram_pos]
                self._cram_pos += 1
                if tid not in self._excluded:
                    return tid, None
            return None
        queue = self._queue()
        last = self.current.problem.template_id if self.current else None
        if len(queue) > 1 and queue[0] == last:
            queue = queue[1:] + queue[:1]  # not the same template twice in a row
        return (queue[0], None) if queue else None
