"""The checks of one template that pydantic cannot make alone (expressions, names, topics)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

import yaml

from quizapp.i18n import t
from quizapp.packs.expressions import (
    CONSTANTS,
    FUNCTIONS,
    ExpressionError,
    check_interpolation,
    compile_expr,
)
from quizapp.packs.model import CHOICE_KINDS, Localized, Pack, Template
from quizapp.packs.positions import Loc, PackIssue, _child, loc_text, position


class _Checker:
    """The checks of one template that pydantic cannot make alone."""

    def __init__(self, pack: Pack, index: int, root: Any, path: str, lang: str) -> None:
        self.pack = pack
        self.template = pack.templates[index]
        self.base: Loc = ("templates", index)
        self.root = root
        self.path = path
        self.lang = lang
        self.issues: list[PackIssue] = []

    def add(self, loc: Loc, message: str, *, key: bool = False, col_offset: int = 0) -> None:
        full = self.base + loc
        line, col, _ = position(self.root, full, key=key)
        self.issues.append(
            PackIssue(self.path, line, col + col_offset, loc_text(full), message)
        )

    def expr(self, source: str, loc: Loc, defined: Iterable[str]) -> None:
        try:
            compiled = compile_expr(source)
        except ExpressionError as exc:
            self.add(
                loc,
                t("pack.expression", self.lang, msg=exc.message),
                col_offset=self._scalar_offset(loc, exc.col),
            )
            return
        self._names(compiled, loc, set(defined))

    def _scalar_offset(self, loc: Loc, col: int | None) -> int:
        """Columns from the start of a one-line YAML scalar to character `col` of its text."""
        if col is None:
            return 0
        node = self.root
        for part in self.base + loc:
            child = _child(node, part)
            if child is None:
                return 0
            node = child[1]
        if not isinstance(node, yaml.ScalarNode) or node.start_mark.line != node.end_mark.line:
            return 0
        return col + (1 if node.style in ("'", '"') else 0)

    def _names(self, compiled: Any, loc: Loc, defined: set[str]) -> None:
        for name in sorted(compiled.names - defined - CONSTANTS.keys()):
            close = difflib.get_close_matches(name, sorted(defined), n=1)
            hint = t("pack.did_you_mean", self.lang, name=close[0]) if close else ""
            shown = ", ".join(sorted(defined)) or "-"
            self.add(loc, t("pack.undefined_name", self.lang, name=name, defined=shown, hint=hint))
        for name in sorted(compiled.calls - set(FUNCTIONS)):
            close = difflib.get_close_matches(name, sorted(FUNCTIONS), n=1)
            hint = t("pack.did_you_mean", self.lang, name=close[0]) if close else ""
            self.add(loc, t("pack.unknown_function", self.lang, name=name, hint=hint))

    def text(self, text: Any, loc: Loc, defined: Iterable[str]) -> None:
        if text is None:
            return
        defined = set(defined)
        if isinstance(text, Localized):
            for lang in self.pack.languages:
                if getattr(text, lang) is None:
                    self.add(
                        loc,
                        t(
                            "pack.missing_language",
                            self.lang,
                            langs=", ".join(self.pack.languages),
                            lang=lang,
                        ),
                    )
            pieces = [(getattr(text, lang), loc + (lang,)) for lang in ("ja", "en")]
        else:
            pieces = [(text, loc)]
        for raw, where in pieces:
            if raw is None:
                continue
            try:
                fields = check_interpolation(raw)
            except ExpressionError as exc:
                self.add(
                    where,
                    t("pack.expression", self.lang, msg=exc.message),
                    col_offset=self._scalar_offset(where, exc.col),
                )
                continue
            for compiled in fields:
                self._names(compiled, where, defined)

    def run(self) -> list[PackIssue]:
        tpl: Template = self.template
        pack = self.pack
        if pack.topics and tpl.topic not in pack.topics:
            close = difflib.get_close_matches(tpl.topic, list(pack.topics), n=1)
            hint = t("pack.did_you_mean", self.lang, name=close[0]) if close else ""
            self.add(("topic",), t("pack.undeclared_topic", self.lang, topic=tpl.topic, hint=hint))
        defined: list[str] = []
        for name, spec in tpl.params.items():
            for attr in ("expr", "simplex"):
                source = getattr(spec, attr, None)
                if isinstance(source, str):
                    self.expr(source, ("params", name, attr), defined)
            for i, dim in enumerate(getattr(spec, "array", None) or []):
                if isinstance(dim, str):
                    self.expr(dim, ("params", name, "array", i), defined)
            defined.append(name)
        params = set(defined)
        for i, cond in enumerate(tpl.where):
            self.expr(cond, ("where", i), params)
        if tpl.parts:  # an item set: the stem here, each part like a template of its own
            self.text(tpl.prompt, ("prompt",), params)
            for j, part in enumerate(tpl.parts):
                sub = _Checker(pack, 0, self.root, self.path, self.lang)
                sub.template, sub.base = part, self.base + ("parts", j)  # type: ignore[assignment]
                self.issues.extend(sub._own(params))
            return self.issues
        return self._own(params)

    def _own(self, params: set[str]) -> list[PackIssue]:
        """The checks of what a single template (or a part of an item set) answers."""
        tpl = self.template
        self._answer(params)
        tags: set[str] = set()
        variables = set(tpl.answer.variables or {})
        for i, m in enumerate(tpl.misconceptions):
            if m.tag in tags:
                self.add(("misconceptions", i, "tag"), t("pack.duplicate_tag", self.lang, tag=m.tag))
            tags.add(m.tag)
            self.expr(m.value, ("misconceptions", i, "value"), params | variables)
            self.text(m.message, ("misconceptions", i, "message"), params)
        self.text(tpl.prompt, ("prompt",), params)
        self.text(tpl.hint, ("hint",), params)
        after = params | {"answer"}
        self.text(tpl.explanation.summary, ("explanation", "summary"), after)
        for i, step in enumerate(tpl.explanation.steps):
            self.text(step, ("explanation", "steps", i), after)
        if tpl.plot is not None:
            for i, name in enumerate(tpl.plot.functions):
                if name not in FUNCTIONS:
                    close = difflib.get_close_matches(name, sorted(FUNCTIONS), n=1)
                    hint = t("pack.did_you_mean", self.lang, name=close[0]) if close else ""
                    self.add(
                        ("plot", "functions", i),
                        t("pack.unknown_function", self.lang, name=name, hint=hint),
                    )
            if tpl.plot.at is not None:
                self.expr(tpl.plot.at, ("plot", "at"), params)
        return self.issues

    def _answer(self, params: set[str]) -> None:
        tpl = self.template
        spec = tpl.answer
        kind = tpl.kind
        set_keys = spec.model_fields_set
        allowed = {
            "numeric": {"value", "tolerance"},
            "vector": {"value", "tolerance", "shape"},
            "matrix": {"value", "tolerance", "shape"},
            "single_choice": {"options", "count", "from_misconceptions", "shuffle", "format"},
            "multi_choice": {"options", "count", "from_misconceptions", "shuffle", "format"},
            "expression": {"value", "variables"},
            "true_false": {"value", "correct"},
        }[kind]
        for key in sorted(set_keys - allowed):
            self.add(("answer", key), t("pack.not_for_kind", self.lang, key=key, kind=kind), key=True)
        needs = {
            "numeric": ["value"],
            "vector": ["value"],
            "matrix": ["value"],
            "expression": ["value", "variables"],
        }.get(kind, [])
        if kind in CHOICE_KINDS and not (spec.options or spec.from_misconceptions):
            needs = ["options"]
        if kind == "true_false" and spec.value is None and spec.correct is None:
            needs = ["value"]
        for key in needs:
            if getattr(spec, key) is None:
                self.add(("answer",), t("pack.needs", self.lang, kind=kind, key=key), key=True)
        variables = set(spec.variables or {})
        if spec.value is not None:
            self.expr(spec.value, ("answer", "value"), params | variables)
        for i, dim in enumerate(spec.shape or []):
            if isinstance(dim, str):
                self.expr(dim, ("answer", "shape", i), params)
        for i, opt in enumerate(spec.options or []):
            where = ("answer", "options", i)
            if opt.value is not None:
                self.expr(opt.value, where + ("value",), params)
            if isinstance(opt.correct, str):
                self.expr(opt.correct, where + ("correct",), params)
            self.text(opt.text, where + ("text",), params)
            self.text(opt.message, where + ("message",), params)

