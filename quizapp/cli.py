"""The `quizapp` command (placeholder until the core lands)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("quizapp: E資格 study app (under construction)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
