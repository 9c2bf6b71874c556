"""Loading question packs: YAML → validated `Pack`, every problem reported as `path:line:col`.

A pack is parsed with PyYAML's safe loader (the C loader where available): no tags
that build Python objects, aliases bounded. The parsed mapping is validated by the
pydantic models of `quizapp.packs.model`, then by the checks here that need the whole
template (expressions compile, names are defined, topics exist). Every problem of a
file is collected and mapped back to a line and column through the composed YAML
nodes, in plain words. `check_instances` then builds every template with many seeds
and grades its own answer, as `quizapp packs validate --seeds K` does.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from quizapp.i18n import t
from quizapp.packs.expressions import (
    CONSTANTS,
    FUNCTIONS,
    ExpressionError,
    check_interpolation,
    compile_expr,
)
from quizapp.packs.model import CHOICE_KINDS, Localized, Pack, Template

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 200_000
PACK_SUFFIXES = (".yaml", ".yml")



@dataclass(frozen=True)
class PackIssue:
    """One problem in a pack file, at a position (1-based line and column)."""

    path: str
    line: int
    col: int
    key: str
    message: str

    def format(self) -> str:
        key = f" {self.key}:" if self.key else ""
        return f"{self.path}:{self.line}:{self.col}:{key} {self.message}"


@dataclass
class LoadedPack:
    pack: Pack
    path: Path
    builtin: bool
    node: Any = field(default=None, repr=False)


# --- positions ------------------------------------------------------------------------------

Loc = tuple[str | int, ...]


def loc_text(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _child(node: Any, part: str | int) -> tuple[Any, Any] | None:
    """(key node, value node) of `part` inside a composed node, or None."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == str(part):
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        if 0 <= part < len(node.value):
            item = node.value[part]
            return item, item
    return None


def position(root: Any, loc: Loc, *, key: bool = False) -> tuple[int, int, Loc]:
    """The (line, col) of the deepest node along `loc` (1-based), and the loc that was found.

    Parts of `loc` that are not in the data (pydantic's union branch names) are skipped.
    With key=True the position of the last key itself is given, not of its value.
    """
    node = root
    mark = getattr(root, "start_mark", None)
    found: list[str | int] = []
    for part in loc:
        child = _child(node, part)
        if child is None:
            continue
        key_node, value_node = child
        found.append(part)
        mark = key_node.start_mark if key else value_node.start_mark
        node = value_node
    if mark is None:
        return 1, 1, tuple(found)
    return mark.line + 1, mark.column + 1, tuple(found)


# --- YAML -----------------------------------------------------------------------------------

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _count_nodes(node: Any, limit: int) -> int:
    """Nodes with aliases expanded (a billion-laughs file is refused before it is walked)."""
    memo: dict[int, int] = {}

    def count(n: Any) -> int:
        key = id(n)
        if key in memo:
            return memo[key]
        if isinstance(n, yaml.MappingNode):
            total = 1 + sum(count(k) + count(v) for k, v in n.value)
        elif isinstance(n, yaml.SequenceNode):
            total = 1 + sum(count(v) for v in n.value)
        else:
            total = 1
        memo[key] = min(total, limit + 1)
        return memo[key]

    return count(node)


def _duplicate_keys(node: Any, path: str, lang: str) -> Iterator[PackIssue]:
    stack = [node]
    seen_nodes: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen_nodes:
            continue
        seen_nodes.add(id(n))
        if isinstance(n, yaml.MappingNode):
            first: dict[str, int] = {}
            for k, v in n.value:
                name = getattr(k, "value", None)
                if isinstance(name, str):
                    if name in first:
                        yield PackIssue(
                            path,
                            k.start_mark.line + 1,
                            k.start_mark.column + 1,
                            "",
                            t("pack.duplicate_key", lang, key=name, line=first[name]),
                        )
                    else:
                        first[name] = k.start_mark.line + 1
                stack.append(v)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)


def parse_yaml(text: str, path: str, lang: str) -> tuple[Any, Any, list[PackIssue]]:
    """(data, root node, issues) of a YAML text; data is None when it cannot be used."""
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                return None, None, [PackIssue(path, 1, 1, "", t("pack.not_mapping", lang))]
            issues = list(_duplicate_keys(root, path, lang))
            count = _count_nodes(root, MAX_NODES)
            if count > MAX_NODES:
                msg = t("pack.aliases", lang, count=count, limit=MAX_NODES)
                return None, root, [PackIssue(path, 1, 1, "", msg)]
            data = loader.construct_document(root)
        finally:
            loader.dispose()
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        tag = (exc.problem or "").split("tag ")[-1].strip().strip("'") or "?"
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        return None, None, [_mark_issue(path, mark, t("pack.yaml_tag", lang, tag=tag))]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, None, [_mark_issue(path, mark, t("pack.yaml", lang, problem=problem))]
    except RecursionError:
        return None, None, [PackIssue(path, 1, 1, "", t("pack.yaml", lang, problem="too deep"))]
    return data, root, issues


def _mark_issue(path: str, mark: Any, message: str) -> PackIssue:
    if mark is None:
        return PackIssue(path, 1, 1, "", message)
    return PackIssue(path, mark.line + 1, mark.column + 1, "", message)


# --- pydantic errors in plain words ---------------------------------------------------------

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


def pydantic_issues(exc: ValidationError, root: Any, path: str, lang: str) -> list[PackIssue]:
    issues: list[PackIssue] = []
    seen: set[tuple[int, int, str]] = set()
    errors = exc.errors(include_url=False)
    for err in errors:
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
    return issues


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


# --- checks across fields -------------------------------------------------------------------


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



# --- files and catalogues -------------------------------------------------------------------


def read_pack(path: Path, lang: str = "en", *, shown: str | None = None) -> tuple[
    LoadedPack | None, list[PackIssue]
]:
    """Load and check one pack file. Never raises for a bad file: issues say what is wrong."""
    name = shown or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            msg = t("pack.too_large", lang, size=size, limit=MAX_FILE_BYTES)
            return None, [PackIssue(name, 1, 1, "", msg)]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [PackIssue(name, 1, 1, "", t("pack.unreadable", lang, error=exc.strerror))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [PackIssue(name, 1, 1, "", t("pack.not_utf8", lang))]
    return check_text(text, name, lang)


def check_text(text: str, name: str, lang: str = "en") -> tuple[LoadedPack | None, list[PackIssue]]:
    data, root, issues = parse_yaml(text, name, lang)
    if data is None:
        return None, issues
    if not isinstance(data, dict):
        line, col, _ = position(root, ())
        return None, [*issues, PackIssue(name, line, col, "", t("pack.not_mapping", lang))]
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        return None, issues + pydantic_issues(exc, root, name, lang)
    seen: dict[str, int] = {}
    for i, tpl in enumerate(pack.templates):
        if tpl.id in seen:
            line, col, _ = position(root, ("templates", seen[tpl.id], "id"))
            issues.append(
                PackIssue(
                    name,
                    *position(root, ("templates", i, "id"))[:2],
                    f"templates[{i}].id",
                    t("pack.duplicate_template", lang, id=tpl.id, other=f"{name}:{line}:{col}"),
                )
            )
        seen.setdefault(tpl.id, i)
        issues.extend(_Checker(pack, i, root, name, lang).run())
    loaded = LoadedPack(pack, Path(name), builtin=False, node=root)
    return (None if issues else loaded), issues


def pack_files(paths: Iterable[Path]) -> list[Path]:
    """YAML files named directly, and those inside folders (sorted, not following hidden)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.suffix in PACK_SUFFIXES
                    and f.is_file()
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                )
            )
        else:
            files.append(p)
    return files


def builtin_dir() -> Path:
    """The shipped packs: inside the installed package, or `questions/` of a source checkout."""
    package = Path(__file__).resolve().parents[1]  # quizapp/
    installed = package / "_builtin_packs"
    if installed.is_dir():
        return installed
    return package.parent / "questions"


def user_pack_dirs(cli_dirs: Sequence[str] = (), data_dir: Path | None = None) -> list[Path]:
    """--packs folders, then QUIZAPP_PACKS (os.pathsep separated), then DATA_DIR/packs."""
    dirs = [Path(d) for d in cli_dirs]
    env = os.environ.get("QUIZAPP_PACKS")
    if env:
        dirs.extend(Path(d) for d in env.split(os.pathsep) if d)
    if data_dir is not None:
        dirs.append(data_dir / "packs")
    out: list[Path] = []
    for d in dirs:
        if d not in out:
            out.append(d)
    return out


@dataclass
class TemplateRef:
    template: Template
    pack: Pack
    loaded: LoadedPack


@dataclass
class Catalog:
    """Every usable pack, the templates by id, and what was wrong with the others."""

    packs: list[LoadedPack] = field(default_factory=list)
    templates: dict[str, TemplateRef] = field(default_factory=dict)
    issues: list[PackIssue] = field(default_factory=list)

    def template(self, template_id: str) -> TemplateRef:
        return self.templates[template_id]

    def suggest(self, template_id: str) -> list[str]:
        return difflib.get_close_matches(template_id, list(self.templates), n=3, cutoff=0.5)

    def add(self, loaded: LoadedPack, lang: str) -> None:
        kept = []
        for i, tpl in enumerate(loaded.pack.templates):
            other = self.templates.get(tpl.id)
            if other is not None:
                line, col, _ = position(loaded.node, ("templates", i, "id"))
                o_line, o_col, _ = position(
                    other.loaded.node,
                    ("templates", other.pack.templates.index(other.template), "id"),
                )
                self.issues.append(
                    PackIssue(
                        str(loaded.path),
                        line,
                        col,
                        f"templates[{i}].id",
                        t(
                            "pack.duplicate_template",
                            lang,
                            id=tpl.id,
                            other=f"{other.loaded.path}:{o_line}:{o_col}",
                        ),
                    )
                )
                continue
            kept.append(tpl)
            self.templates[tpl.id] = TemplateRef(tpl, loaded.pack, loaded)
        if kept:
            self.packs.append(loaded)


def load_catalog(
    dirs: Sequence[Path] = (), *, builtin: bool = True, lang: str = "en"
) -> Catalog:
    """Built-in packs, then the packs in `dirs`. A bad pack is reported and skipped."""
    catalog = Catalog()
    sources: list[tuple[Path, bool]] = []
    if builtin:
        sources.extend((f, True) for f in pack_files([builtin_dir()]))
    sources.extend((f, False) for f in pack_files([d for d in dirs if d.exists()]))
    for path, is_builtin in sources:
        loaded, issues = read_pack(path, lang)
        catalog.issues.extend(issues)
        if loaded is not None:
            loaded.builtin = is_builtin
            catalog.add(loaded, lang)
    return catalog
