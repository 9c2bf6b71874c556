"""pydantic's validation errors of a pack in plain words, at file positions."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import ValidationError

from quizapp.i18n import t
from quizapp.packs.positions import Loc, PackIssue, loc_text, position

# pydantic's error type -> the catalogue word for what was expected (``pack.word.*``)
_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "whole_number",
    "int_parsing": "whole_number",
    "int_from_float": "whole_number",
    "float_type": "number",
    "float_parsing": "number",
    "bool_type": "true_false",
    "bool_parsing": "true_false",
    "list_type": "list",
    "tuple_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
}


def _describe(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return t("pack.got.mapping", lang)
    if isinstance(value, list):
        return t("pack.got.list", lang)
    if value is None:
        return t("pack.got.nothing", lang)
    return repr(value)


def _valid_keys(model_loc: Loc) -> list[str]:
    """The keys allowed at a location, to suggest a close one for a typo."""
    from quizapp.packs import model as m

    classes = {
        (): m.Pack,
        ("templates",): m.Template,
        ("answer",): m.Answer,
        ("explanation",): m.Explanation,
        ("options",): m.Option,
        ("misconceptions",): m.Misconception,
        ("tolerance",): m.Tolerance,
        ("plot",): m.Plot,
        ("topics",): m.Topic,
        ("parts",): m.Part,
    }
    names = [p for p in model_loc if isinstance(p, str)]
    if len(names) >= 3 and names[-2] == "params":
        return ["choice", "range", "step", "exclude", "int", "array", "nonzero", "simplex", "expr",
                "round"]
    for depth in range(len(names), -1, -1):
        key = tuple(names[depth - 1 : depth]) if depth else ()
        if key in classes:
            return list(classes[key].model_fields)
    return []


MAX_ISSUES = 50  # problems reported per file; the rest are counted


def cap_issues(issues: list[PackIssue], path: str, lang: str, more: int = 0) -> list[PackIssue]:
    """At most MAX_ISSUES issues, then one that says how many more there were."""
    more += max(0, len(issues) - MAX_ISSUES)
    if not more:
        return issues
    last = issues[MAX_ISSUES - 1] if len(issues) >= MAX_ISSUES else issues[-1]
    note = PackIssue(path, last.line, last.col, "", t("pack.more_issues", lang, n=f"{more:,}"))
    return [*issues[:MAX_ISSUES], note]


def pydantic_issues(exc: ValidationError, root: Any, path: str, lang: str) -> list[PackIssue]:
    """The validation errors in plain words, at most MAX_ISSUES (then how many more)."""
    issues, more = collect_pydantic_issues(exc, root, path, lang)
    return cap_issues(issues, path, lang, more)


def collect_pydantic_issues(
    exc: ValidationError, root: Any, path: str, lang: str
) -> tuple[list[PackIssue], int]:
    """(the first MAX_ISSUES validation errors in plain words, how many more there are)."""
    issues: list[PackIssue] = []
    seen: set[tuple[int, int, str]] = set()
    errors = exc.errors(include_url=False)
    for done, err in enumerate(errors):
        if len(issues) >= MAX_ISSUES:
            return issues, len(errors) - done
        found = position(root, err["loc"])[2]
        kind = err["type"]
        if kind in ("string_type", "bool_type", "int_type", "float_type") and isinstance(
            err.get("input"), dict
        ):
            continue  # a {ja, en} text or an option: the mapping branch reports the real problem
        if kind == "missing":
            line, col, _ = position(root, found, key=True)
            missing = err["loc"][-1]
            msg = t("pack.missing_key", lang, key=missing)
        elif kind == "extra_forbidden":
            line, col, _ = position(root, found, key=True)
            name = str(found[-1]) if found else str(err["loc"][-1])
            close = difflib.get_close_matches(name, _valid_keys(found[:-1]), n=1)
            hint = t("pack.did_you_mean", lang, name=close[0]) if close else ""
            msg = t("pack.unknown_key", lang, key=name, hint=hint)
        else:
            line, col, _ = position(root, found)
            msg = _plain(err, lang)
        key = (line, col, msg)
        if key in seen:
            continue
        seen.add(key)
        issues.append(PackIssue(path, line, col, loc_text(found), msg))
    return issues, 0


def _plain(err: dict[str, Any], lang: str) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "literal_error":
        allowed = err.get("ctx", {}).get("expected", "")
        return t("pack.one_of", lang, got=_describe(value, lang), allowed=allowed)
    if kind == "string_pattern_mismatch":
        return t("pack.bad_id", lang, got=value)
    if kind in _TYPE_WORDS:
        expected = t(f"pack.word.{_TYPE_WORDS[kind]}", lang)
        return t("pack.type", lang, expected=expected, got=_describe(value, lang))
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return t("pack.other", lang, msg=msg)

