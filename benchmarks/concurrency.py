"""Concurrency benchmark: many learners answering against one PostgreSQL store.

Each learner is a process with its own profile and connection. It answers as the study screen
does (``Scheduler.review``: the fsrs update, the attempt, the card and the review-log row in
one transaction) as fast as it can for ``--seconds``. The benchmark prints answers/s, the
latency of recording an answer (median, p95, max), and checks that no answer is lost: every
answer a learner saw committed is in the database at the end, and nothing else.

    python benchmarks/concurrency.py [--learners 50] [--seconds 60] [--url postgresql://…]

Without ``--url`` (or ``$QUIZAPP_TEST_PG_URL``) a throwaway server is started (initdb +
pg_ctl, with fsync on, as in production) and stopped at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEMPLATES = [f"bench.t{i}" for i in range(20)]


def learner(url: str, profile: str, seconds: float, start: object, out: object) -> None:
    from quizapp.progress.scheduler import Scheduler
    from quizapp.progress.store import Attempt, Store

    store = Store.open(url, profile=profile)
    scheduler = Scheduler(store)
    latencies: list[float] = []
    errors = 0
    start.wait()
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        template = TEMPLATES[n % len(TEMPLATES)]
        correct = n % 3 != 0
        attempt = Attempt(
            template_id=template, pack_id="bench", pack_version="1", seed=n,
            raw_answer=str(n), parsed=n, correct=correct,
            misconception=None if correct else "bench_tag", seconds=1.0,
            answered_at=datetime.now(UTC), mode="study",
        )
        t0 = time.perf_counter()
        try:
            scheduler.review(template, correct, attempt)
        except Exception:
            errors += 1
            continue
        latencies.append(time.perf_counter() - t0)
        n += 1
    store.close()
    out.put((profile, len(latencies), errors, latencies))


def run(url: str, learners: int, seconds: float) -> int:
    from quizapp.progress.store import Store

    run_id = uuid.uuid4().hex[:8]
    Store.open(url, profile=f"bench-{run_id}-setup").close()  # migrate once, up front
    ctx = mp.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=learner, args=(url, f"bench-{run_id}-{i:02d}", seconds, start, out))
        for i in range(learners)
    ]
    for p in procs:
        p.start()
    time.sleep(1.0)  # let every learner connect
    began = time.monotonic()
    start.set()
    results = [out.get() for _ in procs]
    wall = time.monotonic() - began
    for p in procs:
        p.join()
    reported = {profile: n for profile, n, _, _ in results}
    errors = sum(e for _, _, e, _ in results)
    latencies = sorted(x for *_, lat in results for x in lat)
    with Store.open(url, profile=f"bench-{run_id}-setup") as store:
        counted = {
            p: sum(n for q, _, n, _ in store.cohort_attempts() if q == p) for p in reported
        }
    total = sum(reported.values())
    lost = sum(max(0, reported[p] - counted[p]) for p in reported)
    extra = sum(max(0, counted[p] - reported[p]) for p in reported)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    print(f"learners          {learners} processes, {seconds:g} s each (wall {wall:.1f} s)")
    print(f"answers recorded  {total}  ({total / wall:.1f} answers/s)")
    if latencies:
        print(f"record latency    median {statistics.median(latencies) * 1000:.1f} ms, "
              f"p95 {p95 * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms")
    print(f"errors            {errors}")
    print(f"lost answers      {lost}  (unexpected extra rows: {extra})")
    return 0 if lost == 0 and extra == 0 and errors == 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--url", default=os.environ.get("QUIZAPP_TEST_PG_URL"))
    args = parser.parse_args(argv)
    if args.url:
        return run(args.url, args.learners, args.seconds)
    sys.path.insert(0, str(ROOT / "tests"))
    from pgserver import start

    server = start(fsync=True)
    try:
        return run(server.url, args.learners, args.seconds)
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
