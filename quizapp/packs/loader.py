"""Loading question packs: YAML → validated `Pack`, every problem reported as `path:line:col`.

A pack is parsed with PyYAML's safe loader (the C loader where available): no tags
that build Python objects, aliases bounded. The parsed mapping is validated by the
pydantic models of `quizapp.packs.model`, then by the checks here that need the whole
template (expressions compile, names are defined, topics exist). Every problem of a
file is collected and mapped back to a line and column through the composed YAML
nodes, in plain words (`yaml_input`, `pack_errors`, `template_checks`, `positions`). `check_instances` then builds every template with many seeds
and grades its own answer, as `quizapp packs validate --seeds K` does.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.i18n import t
from quizapp.packs.catalog_cache import CatalogCache, digest
from quizapp.packs.files import (
    MAX_FILE_BYTES,
    PACK_SUFFIXES,
    builtin_dir,
    catalog_sources,
    pack_files,
    read_limited,
    user_pack_dirs,
)
from quizapp.packs.model import Pack, Template
from quizapp.packs.positions import Loc, PackIssue, loc_text, position

MAX_ISSUES = 50  # problems reported per file (quizapp.packs.pack_errors)
MAX_NODES = 200_000  # YAML nodes per file (quizapp.packs.yaml_input)
# Checking a pack needs YAML, pydantic's errors and the expression language; a catalogue
# taken from the cache needs none of them, so they are imported when first used.
_LAZY = {
    "parse_yaml": "quizapp.packs.yaml_input",
    "pydantic_issues": "quizapp.packs.pack_errors",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ISSUES",
    "MAX_NODES",
    "PACK_SUFFIXES",
    "Catalog",
    "LoadedPack",
    "Loc",
    "PackIssue",
    "TemplateRef",
    "builtin_dir",
    "check_text",
    "load_catalog",
    "loc_text",
    "pack_files",
    "position",
    "read_pack",
    "read_pack_cached",
    "user_pack_dirs",
]

@dataclass
class LoadedPack:
    pack: Pack
    path: Path
    builtin: bool
    node: Any = field(default=None, repr=False)
    # (line, col) of the pack's id and of each template's id, when no node is kept (cache)
    id_marks: dict[str, Any] | None = field(default=None, repr=False)

    def id_position(self, template: int | None) -> tuple[int, int]:
        """Where the pack's id (template=None) or the id of template number `template` is."""
        loc: Loc = ("id",) if template is None else ("templates", template, "id")
        if self.node is None and self.id_marks is not None:
            mark = self.id_marks["id"] if template is None else self.id_marks["templates"][template]
            return int(mark[0]), int(mark[1])
        line, col, _ = position(self.node, loc)
        return line, col

    def marks(self) -> dict[str, Any]:
        """The id positions, to keep with the pack where its YAML nodes are not kept."""
        if self.id_marks is not None:
            return self.id_marks
        return {
            "id": self.id_position(None),
            "templates": [self.id_position(i) for i in range(len(self.pack.templates))],
        }



# --- files and catalogues -------------------------------------------------------------------


def read_pack(path: Path, lang: str = "en", *, shown: str | None = None) -> tuple[
    LoadedPack | None, list[PackIssue]
]:
    """Load and check one pack file. Never raises for a bad file: issues say what is wrong."""
    name = shown or str(path)
    text, issues = read_limited(path, name, lang, limit=MAX_FILE_BYTES)
    if text is None:
        return None, issues
    return check_text(text, name, lang)


def read_pack_cached(
    path: Path, lang: str, cache: CatalogCache | None
) -> tuple[LoadedPack | None, list[PackIssue]]:
    """`read_pack` through the catalogue cache: an unchanged file is not checked again."""
    if cache is None:
        return read_pack(path, lang)
    name = str(path)
    text, issues = read_limited(path, name, lang, limit=MAX_FILE_BYTES)
    if text is None:
        return None, issues
    sha = digest(text.encode("utf-8", "surrogatepass"))
    hit = cache.get(name, sha, lang)
    if isinstance(hit, tuple) and len(hit) == 3 and hit[0] == "pack" and isinstance(hit[1], Pack):
        return LoadedPack(hit[1], path, builtin=False, id_marks=hit[2]), []
    if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == "issues":
        return None, list(hit[1])
    loaded, issues = check_text(text, name, lang)
    if loaded is not None:
        cache.put(name, sha, "", ("pack", loaded.pack, loaded.marks()))
    else:
        cache.put(name, sha, lang, ("issues", issues))
    return loaded, issues


def check_text(text: str, name: str, lang: str = "en") -> tuple[LoadedPack | None, list[PackIssue]]:
    """Parse and check the text of a pack; at most MAX_ISSUES issues are reported."""
    from quizapp.packs.pack_errors import cap_issues

    loaded, issues, more = _check_text(text, name, lang)
    return loaded, cap_issues(issues, name, lang, more)


def _check_text(
    text: str, name: str, lang: str
) -> tuple[LoadedPack | None, list[PackIssue], int]:
    from pydantic import ValidationError

    from quizapp.packs.pack_errors import collect_pydantic_issues
    from quizapp.packs.template_checks import _Checker
    from quizapp.packs.yaml_input import parse_yaml

    data, root, issues = parse_yaml(text, name, lang)
    if data is None:
        return None, issues, 0
    if not isinstance(data, dict):
        line, col, _ = position(root, ())
        return None, [*issues, PackIssue(name, line, col, "", t("pack.not_mapping", lang))], 0
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        found, more = collect_pydantic_issues(exc, root, name, lang)
        return None, issues + found, more
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
    return (None if issues else loaded), issues, 0


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
        """Add a pack; a pack id or template id already taken is reported and skipped."""
        path = str(loaded.path)
        for other in self.packs:
            if other.pack.id == loaded.pack.id:
                line, col = loaded.id_position(None)
                o_line, o_col = other.id_position(None)
                self.issues.append(PackIssue(path, line, col, "id", t(
                    "pack.duplicate_pack", lang, id=loaded.pack.id,
                    other=f"{other.path}:{o_line}:{o_col}",
                )))
                return
        kept = []
        for i, tpl in enumerate(loaded.pack.templates):
            other_ref = self.templates.get(tpl.id)
            if other_ref is not None:
                line, col = loaded.id_position(i)
                o_line, o_col = other_ref.loaded.id_position(
                    other_ref.pack.templates.index(other_ref.template)
                )
                self.issues.append(PackIssue(path, line, col, f"templates[{i}].id", t(
                    "pack.duplicate_template", lang, id=tpl.id,
                    other=f"{other_ref.loaded.path}:{o_line}:{o_col}",
                )))
                continue
            kept.append(tpl)
            self.templates[tpl.id] = TemplateRef(tpl, loaded.pack, loaded)
        if kept:
            self.packs.append(loaded)


def load_catalog(
    dirs: Sequence[Path] = (), *, builtin: bool = True, lang: str = "en", cache: bool = True
) -> Catalog:
    """Built-in packs, then the packs in `dirs`. A bad pack is reported and skipped.

    With `cache` an unchanged file is taken from the catalogue cache (`catalog_cache`)."""
    catalog = Catalog()
    store = CatalogCache.open() if cache else None
    sources = catalog_sources(dirs, builtin=builtin)
    for path, is_builtin in sources:
        loaded, issues = read_pack_cached(path, lang, store)
        catalog.issues.extend(issues)
        if loaded is not None:
            loaded.builtin = is_builtin
            catalog.add(loaded, lang)
    if store is not None:
        store.save()
        from quizapp.packs.index import index_path, write_index

        write_index(index_path(), sources, catalog, lang)
    return catalog
