"""What the study screen shows of an item set (大問): the stem, and the parts answered.

The parts come one at a time (``StudySession.item_set``, ``set_results``); the screen
shows the shared stem once, a line per part already answered (its verdict and the
answer), then the current part.
"""

from __future__ import annotations

from typing import Any

from quizapp.i18n import t


def set_widgets_text(session: Any, lang: str) -> tuple[str, str]:
    """(the stem, one line per part answered so far) of the item set on screen."""
    item_set = session.item_set
    if item_set is None:
        return "", ""
    stem = item_set.prompt(lang)
    done = [
        t(
            "itemset.done",
            lang,
            n=r.problem.part,
            verdict=r.grade.verdict(lang),
            answer=r.problem.answer_text(lang),
        )
        for r in session.set_results
        if session.current is None or r is not session.current.result
    ]
    return stem, "\n".join(done)
