"""Core benchmark: loading and validating packs, and instantiating + grading problems.

    python benchmarks/core.py [--problems 10000] [--repeat 5]

Prints:
- the time to load and validate every pack (built-in plus tests/data/good) against a plain
  `yaml.load` with the C safe loader of the same files, measured in the same run, and the
  ratio (target: <= 3x the plain parse);
- problems instantiated and graded per second over N problems drawn round-robin from every
  template with fresh seeds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp.grading import grade  # noqa: E402
from quizapp.grading.checks import spellings  # noqa: E402
from quizapp.packs.generation import generate  # noqa: E402
from quizapp.packs.loader import builtin_dir, pack_files, read_pack  # noqa: E402


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    files = pack_files([builtin_dir(), ROOT / "tests" / "data" / "good"])
    texts = [f.read_text("utf-8") for f in files]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def plain() -> None:
        for text in texts:
            yaml.load(text, Loader=loader)

    loaded = []

    def ours() -> None:
        loaded.clear()
        for f in files:
            pack, issues = read_pack(f)
            assert pack is not None, issues
            loaded.append(pack)

    ours()  # warm the expression cache and imports once, like any second run
    t_plain = median_time(plain, args.repeat)
    t_ours = median_time(ours, args.repeat)
    templates = [tpl for p in loaded for tpl in p.pack.templates]
    print(f"packs: {len(files)} files, {len(templates)} templates ({loader.__name__})")
    print(f"  yaml.load (plain parse):   {t_plain * 1000:8.2f} ms")
    print(f"  load + validate (quizapp): {t_ours * 1000:8.2f} ms")
    print(f"  ratio: {t_ours / t_plain:.2f}x (target <= 3x)")

    start = time.perf_counter()
    graded = correct = 0
    for n in range(args.problems):
        tpl = templates[n % len(templates)]
        problem = generate(tpl, 100_000 + n)
        result = grade(problem, spellings(problem)[0])
        graded += 1
        correct += result.correct
    elapsed = time.perf_counter() - start
    print(f"problems: {graded} instantiated and graded in {elapsed:.2f} s "
          f"= {graded / elapsed:,.0f} problems/s ({correct} of them accepted their own answer)")


if __name__ == "__main__":
    main()
