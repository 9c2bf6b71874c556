"""Writes survive a killed process, and two app instances do not lose each other's writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.progress.scheduler import Scheduler
from quizapp.progress.store import Attempt, Store

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
PAD = "x" * 300  # rows of a few hundred bytes: several per page, pages spill over

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")


def make_attempt(i: int, **changes) -> Attempt:
    fields = dict(
        template_id=f"ffn.t{i % 5}", pack_id="ffn", pack_version="1", seed=i,
        raw_answer=f"{i}", parsed={"value": i, "pad": PAD}, correct=i % 2 == 0,
        misconception=None, seconds=1.5, answered_at=T0 + timedelta(seconds=i),
    )
    fields.update(changes)
    return Attempt(**fields)


# The child records attempts as fast as it can and reports each one after it returned.
CHILD = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta
    from quizapp.progress.scheduler import Scheduler
    from quizapp.progress.store import Attempt, Store

    path, how, first = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Store.open(path)
    scheduler = Scheduler(store)
    t0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
    i = first
    while True:
        attempt = Attempt(
            template_id=f"ffn.t{i % 5}", pack_id="ffn", pack_version="1", seed=i,
            raw_answer=f"{i}", parsed={"value": i, "pad": "x" * 300}, correct=i % 2 == 0,
            misconception=None, seconds=1.5, answered_at=t0 + timedelta(seconds=i),
        )
        if how == "review":
            scheduler.review(attempt.template_id, attempt.correct, attempt,
                             now=attempt.answered_at)
        else:
            store.record_attempt(attempt)
        print(i, flush=True)
        i += 1
        if how == "count" and i == first + int(sys.argv[4]):
            break
    """
)


def spawn(path, how: str, first: int = 0, count: int = 0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), how, str(first), str(count)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def run_and_kill(path, how: str, lines_before_kill: int, extra_delay: float) -> int:
    """Start a child, SIGKILL it mid-run; return how many commits it reported."""
    child = spawn(path, how)
    reported = 0
    assert child.stdout is not None
    for line in child.stdout:
        assert line.endswith("\n")
        reported += 1
        if reported == lines_before_kill:
            break
    time.sleep(extra_delay)
    os.kill(child.pid, signal.SIGKILL)
    # Read the rest through the same buffered file object: lines it has read ahead from the
    # pipe are in its buffer, and communicate() would read the raw pipe and miss them.
    rest = child.stdout.read()
    err = child.stderr.read() if child.stderr is not None else ""
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, err
    reported += sum(1 for line in rest.splitlines(keepends=True) if line.endswith("\n"))
    return reported


@pytest.mark.parametrize(("how", "delay"), [("record", 0.0), ("record", 0.013),
                                            ("review", 0.007)])
def test_killed_writer_leaves_every_reported_row_complete(tmp_path, how, delay):
    path = tmp_path / "progress.sqlite3"
    reported = run_and_kill(path, how, lines_before_kill=40, extra_delay=delay)
    assert reported >= 40

    with Store.open(path) as store:
        assert store.notice is None  # passes quick_check: nothing to move aside
        rows = store.attempts()
        # Printing follows the commit, so at most the one row committed after the last
        # print can be there unreported; none that was reported may be missing.
        assert reported <= len(rows) <= reported + 1
        assert [a.seed for a in rows] == list(range(len(rows)))
        for a in rows:
            assert a == make_attempt(a.seed)
        if how == "review":
            # Attempt and card were one transaction: every attempt has its review.
            exported = store.export_json()
            assert len(exported["review_log"]) == len(rows)
            assert sorted(store.cards()) == sorted({a.template_id for a in rows})
        # The store is writable again after the crash.
        store.record_attempt(make_attempt(len(rows)))
        assert len(store.attempts()) == len(rows) + 1


def test_two_store_instances_writing_interleaved(tmp_path):
    path = tmp_path / "progress.sqlite3"
    first, second = Store.open(path), Store.open(path)
    sched1 = Scheduler(first, clock=lambda: T0)
    sched2 = Scheduler(second, clock=lambda: T0)
    try:
        for i in range(40):
            (first if i % 2 else second).record_attempt(make_attempt(i))
        first.set_setting("lang", "ja")
        second.set_setting("new_limit", 10)
        sched1.review("ffn.a", True)
        sched2.review("ffn.b", False)
        sched1.review("ffn.b", True, now=T0 + timedelta(minutes=2))  # sees 2's card
        exam = first.create_exam(1, {"items": []}, now=T0)
        second.save_exam_answer(exam, 0, "1.0", now=T0)
        first.save_exam_answer(exam, 1, "2.0", now=T0)

        for store in (first, second):
            assert sorted(a.seed for a in store.attempts()) == list(range(40))
            assert store.settings() == {"lang": "ja", "new_limit": 10}
            assert set(store.cards()) == {"ffn.a", "ffn.b"}
            assert set(store.exam(exam).answers) == {0, 1}
        assert len(first.export_json()["review_log"]) == 3
    finally:
        first.close()
        second.close()


def test_two_processes_writing_at_the_same_time(tmp_path):
    path = tmp_path / "progress.sqlite3"
    Store.open(path).close()
    children = [spawn(path, "count", first=0, count=60), spawn(path, "count", first=1000,
                                                                count=60)]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert len(out.splitlines()) == 60
    with Store.open(path) as store:
        seeds = sorted(a.seed for a in store.attempts())
    assert seeds == list(range(60)) + list(range(1000, 1060))
