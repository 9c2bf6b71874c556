"""Count the built-in templates per field, chapter (pack) and item shape.

    python benchmarks/content_counts.py [--markdown]

Shapes (a template can have several): calc = a computed answer (numeric, vector, matrix,
expression); concept = a choice or true/false item without code; code = code in the stem or
the options; neg = a negative stem (「不適切」「誤っている」 / INCORRECT); combo = a combination
item ((あ)(い) or (ア)(イ) pairs); multi = "choose all" (multi_choice); param = with parameters.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizapp.packs.loader import load_catalog
from quizapp.packs.model import FIELDS, Localized, Template

SHAPES = ("calc", "concept", "code", "neg", "combo", "multi", "param")
NEGATIVE = re.compile(r"不適切|誤っている|誤りを含む|INCORRECT|incorrect", re.I)
COMBO = re.compile(r"[（(][あア][)）].*[（(][いイ][)）]|組み合わせ|combination", re.S)


def shapes(t: Template) -> set[str]:
    ja = t.prompt.ja if isinstance(t.prompt, Localized) else t.prompt
    en = t.prompt.en if isinstance(t.prompt, Localized) else t.prompt
    prompt = f"{ja or ''}\n{en or ''}"
    out = set()
    is_code = bool(t.code) or any(o.code for o in t.answer.options or [])
    if t.kind in ("numeric", "vector", "matrix", "expression"):
        out.add("calc")
    elif not is_code:
        out.add("concept")
    if is_code:
        out.add("code")
    if NEGATIVE.search(prompt):
        out.add("neg")
    if COMBO.search(prompt):
        out.add("combo")
    if t.kind == "multi_choice":
        out.add("multi")
    if t.params:
        out.add("param")
    return out


def main(argv: list[str]) -> int:
    catalog = load_catalog(builtin=True)
    rows: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for ref in catalog.templates.values():
        t = ref.template
        key = (t.field, ref.pack.id)
        rows[key]["templates"] += 1
        for s in shapes(t):
            rows[key][s] += 1
    cols = ("templates", *SHAPES)
    print("| field | pack | " + " | ".join(cols) + " |")
    print("|---|---|" + "---|" * len(cols))
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for (field, pack), c in sorted(rows.items(), key=lambda kv: (FIELDS.index(kv[0][0]), kv[0][1])):
        print(f"| {field} | {pack} | " + " | ".join(str(c[k]) for k in cols) + " |")
        totals[field].update(c)
    grand: Counter[str] = Counter()
    for field in FIELDS:
        if field in totals:
            c = totals[field]
            grand.update(c)
            print(f"| **{field}** | (all) | " + " | ".join(str(c[k]) for k in cols) + " |")
    print("| **total** | | " + " | ".join(str(grand[k]) for k in cols) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
