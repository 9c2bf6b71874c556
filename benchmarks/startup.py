"""Start-up time of the TUI against a minimal Textual app, measured the same way.

Each run starts a fresh process in a pseudo-terminal (120×40) and records, from just
before the process is spawned:

- **ready**: the first frame of the home screen has been drawn (for the minimal app:
  its first frame);
- **tree filled** (quizapp only): the home tree shows every field, pack and topic with
  its counts. With a warm cache this comes from the catalogue's index
  (``quizapp.packs.index``, read in a thread after the first frame); with a cold cache
  (separate runs) from the packs themselves, checked from scratch;
- **packs loaded** (quizapp only, warm cache): the validated catalogue
  (``quizapp.packs.catalog_cache``) is in memory and a study session can start;
- **peak memory**: the child's maximum resident set size (``os.wait4`` rusage).

The apps write the times themselves through ``QUIZAPP_STARTUP_PROBE`` (see
``quizapp.tui.app``) and exit. Bytecode is cached in a temporary folder
(``PYTHONPYCACHEPREFIX``) after a warm-up run of each app, as an installed app has it.
Prints the medians and the ratios to the minimal app's first frame (targets: first frame
at most 1.3×, tree filled on a warm cache at most 1.6×; issue #10 item 6). The machines
this runs on drift in speed by a third within a minute, so each ratio is taken between a
quizapp run and the minimal app's run just before it, and the median of those is printed.

    python benchmarks/startup.py [--runs 7] [--packs DIR]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import shutil
import statistics
import struct
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

PROBE_ENV = "QUIZAPP_STARTUP_PROBE"
SIZE = (40, 120)  # rows, columns

MINIMAL_APP = f"""
import os, time
from textual.app import App
from textual.widgets import Footer, Static


class Minimal(App):
    def compose(self):
        yield Static("hello")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.done)

    def done(self):
        with open(os.environ[{PROBE_ENV!r}], "a") as fh:
            fh.write(f"ready {{time.time():.6f}}\\n")
        self.exit()


Minimal().run()
"""


def run_once(
    argv: list[str], probe: Path, pycache: Path, timeout: float = 60.0
) -> tuple[dict[str, float], int]:
    """Run argv in a pty; return ({event: seconds after spawn}, peak RSS in KiB)."""
    probe.unlink(missing_ok=True)
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(SIZE[1]), LINES=str(SIZE[0]))
    env[PROBE_ENV] = str(probe)
    # Compiled bytecode as an installed app has it (a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile our modules from source on every start).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[0], SIZE[1], 0, 0))

    def drain() -> None:
        while True:
            try:
                if not os.read(master, 65536):
                    return
            except OSError:
                return

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.time()
    pid = os.fork()
    if pid == 0:  # child: the pty is its terminal
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.close(master)
        os.execvpe(argv[0], argv, env)
    os.close(slave)
    deadline = start + timeout
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.time() > deadline:
            os.kill(pid, 9)
            os.wait4(pid, 0)
            raise RuntimeError(f"{argv} did not finish in {timeout} s")
        time.sleep(0.005)
    os.close(master)
    events: dict[str, float] = {}
    if probe.exists():
        for line in probe.read_text().splitlines():
            name, stamp = line.split()
            events.setdefault(name, float(stamp) - start)
    if "ready" not in events:
        raise RuntimeError(f"{argv} exited ({status}) without reaching its first frame")
    return events, usage.ru_maxrss


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each app (at least 5)")
    parser.add_argument("--packs", action="append", default=[], help="extra pack folders")
    args = parser.parse_args()
    runs = max(5, args.runs)
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as tmp:
        tmp_path = Path(tmp)
        probe = tmp_path / "probe.txt"
        cache = tmp_path / "cache"
        os.environ["QUIZAPP_CACHE_DIR"] = str(cache)  # the catalogue cache, for the children
        quizapp = [sys.executable, "-m", "quizapp", "--lang", "en", "--data-dir",
                   str(tmp_path / "data")]
        for folder in args.packs:
            quizapp += ["--packs", folder]
        minimal = [sys.executable, "-c", MINIMAL_APP]
        pycache = tmp_path / "pycache"
        run_once(quizapp, probe, pycache)  # the progress file, bytecode, OS caches, pack cache
        run_once(minimal, probe, pycache)
        results: dict[str, list[tuple[dict[str, float], int]]] = {"minimal": [], "quizapp": []}
        for _ in range(runs):  # interleaved, so drifts in machine load hit both alike
            results["minimal"].append(run_once(minimal, probe, pycache))
            results["quizapp"].append(run_once(quizapp, probe, pycache))
        cold: list[float] = []
        for _ in range(max(3, runs // 2)):  # the catalogue checked from scratch
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(run_once(quizapp, probe, pycache)[0].get("loaded", float("nan")))
    templates = _count_templates(args.packs)
    ready_min = median([e["ready"] for e, _ in results["minimal"]])
    ready_app = median([e["ready"] for e, _ in results["quizapp"]])
    loaded_app = median([e["loaded"] for e, _ in results["quizapp"] if "loaded" in e])
    catalog_app = median([e["catalog"] for e, _ in results["quizapp"] if "catalog" in e])
    rss_min = max(r for _, r in results["minimal"]) / 1024
    rss_app = max(r for _, r in results["quizapp"]) / 1024
    print(f"runs per app: {runs} (Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}); templates: {templates}")
    print(f"minimal Textual app  first frame  median {ready_min * 1000:7.0f} ms   "
          f"peak RSS {rss_min:6.1f} MiB")
    print(f"quizapp home screen  first frame  median {ready_app * 1000:7.0f} ms   "
          f"peak RSS {rss_app:6.1f} MiB")
    print(f"quizapp tree filled, warm cache   median {loaded_app * 1000:7.0f} ms")
    print(f"quizapp packs loaded, warm cache  median {catalog_app * 1000:7.0f} ms")
    print(f"quizapp tree filled, cold cache   median {median(cold) * 1000:7.0f} ms")
    # Each quizapp run is compared with the minimal app's run just before it (the two are
    # interleaved), so a drift in the machine's speed during the benchmark hits both alike.
    pairs = list(zip(results["minimal"], results["quizapp"], strict=True))
    ratio = median([q["ready"] / m["ready"] for (m, _), (q, _) in pairs])
    filled = median([q["loaded"] / m["ready"] for (m, _), (q, _) in pairs if "loaded" in q])
    print(f"first frame / minimal first frame        {ratio:.2f}x  (target <= 1.3x: "
          f"{'met' if ratio <= 1.3 else 'NOT met'})")
    print(f"tree filled (warm) / minimal first frame {filled:.2f}x  (target <= 1.6x: "
          f"{'met' if filled <= 1.6 else 'NOT met'})")
    print("(ratios: the median over the runs of each quizapp run against the minimal app's "
          "run just before it)")
    return 0


def _count_templates(extra: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from quizapp.packs.loader import load_catalog

    return len(load_catalog([Path(d) for d in extra], cache=False).templates)


if __name__ == "__main__":
    sys.exit(main())
