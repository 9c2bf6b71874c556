"""The home screen's index of the catalogue: packs, topics and templates as plain data.

Filling the home tree needs only names: each pack's id and title, its topics' titles, and
each template's id, topic, field and kind. Loading the checked catalogue for that costs
pydantic, the pack models and the cache's pickle (about half a second); this index is a
small JSON file written beside the catalogue cache (``catalog_cache``) each time the
catalogue is loaded, and read at start-up with the standard library only. The TUI fills the
tree from it at once and replaces it with the real catalogue when that is loaded.

The index is keyed by the SHA-256 of every pack file (with its path and whether it is built
in), the app version and the code in ``quizapp/packs``: an index for other files, another
version, or one that is missing, corrupt or not the user's own is not used.

``CatalogIndex`` has the attributes of ``quizapp.packs.loader.Catalog`` that the home screen
reads (``packs[i].pack.id/title/topics/templates``, ``templates[id].pack/template``,
``issues``, ``suggest``), so ``quizapp.study.overview`` and ``Scope`` work on either; it
cannot make problems.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.cachefiles import cache_dir, read_private, write_atomically
from quizapp.packs.catalog_cache import code_stamp
from quizapp.packs.fields import pack_template_ids
from quizapp.packs.files import catalog_sources
from quizapp.packs.positions import PackIssue

FORMAT = 2
_MAX_INDEX_BYTES = 8_000_000


@dataclass(frozen=True)
class IndexText:
    """A text in ja and en (as ``Localized`` of the pack model)."""

    ja: str | None = None
    en: str | None = None

    def get(self, lang: str) -> str:
        return getattr(self, lang, None) or self.en or self.ja or ""


@dataclass(frozen=True)
class IndexTopic:
    title: str | IndexText


@dataclass(frozen=True)
class IndexTemplate:
    id: str
    topic: str
    field: str
    kind: str


@dataclass(frozen=True, eq=False)
class IndexPack:
    id: str
    title: str | IndexText
    topics: dict[str, IndexTopic]
    templates: tuple[IndexTemplate, ...]
    order: int = 100


@dataclass(frozen=True)
class IndexEntry:
    """One pack of the index (``LoadedPack`` of the catalogue)."""

    pack: IndexPack


@dataclass(frozen=True)
class IndexRef:
    """One template of the index (``TemplateRef`` of the catalogue)."""

    template: IndexTemplate
    pack: IndexPack


@dataclass
class CatalogIndex:
    """The names in a catalogue, for the home screen."""

    packs: list[IndexEntry] = field(default_factory=list)
    templates: dict[str, IndexRef] = field(default_factory=dict)
    issues: list[PackIssue] = field(default_factory=list)

    def suggest(self, template_id: str) -> list[str]:
        return difflib.get_close_matches(template_id, list(self.templates), n=3, cutoff=0.5)


# --- building and (de)serialising ------------------------------------------------------------


def _text(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    return {"ja": value.ja, "en": value.en}


def _untext(value: Any) -> str | IndexText:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        ja, en = value.get("ja"), value.get("en")
        if (ja is None or isinstance(ja, str)) and (en is None or isinstance(en, str)):
            return IndexText(ja, en)
    raise ValueError("not a text")


def index_data(catalog: Any) -> list[dict[str, Any]]:
    """The packs of a loaded catalogue as JSON-ready data (only the templates it kept)."""
    packs = []
    for loaded in catalog.packs:
        pack = loaded.pack
        templates = [
            [tpl.id, tpl.topic, tpl.field, tpl.kind]
            for tpl in (catalog.templates[tid].template
                        for tid in pack_template_ids(catalog, pack))
        ]
        packs.append({
            "id": pack.id,
            "title": _text(pack.title),
            "topics": {name: _text(topic.title) for name, topic in pack.topics.items()},
            "templates": templates,
            "order": pack.order,
        })
    return packs


def index_from_data(packs: Any, issues: Any = ()) -> CatalogIndex:
    """The index from its JSON data; ValueError (or KeyError, TypeError) when malformed."""
    index = CatalogIndex()
    for data in packs:
        templates = tuple(IndexTemplate(*(str(v) for v in row)) for row in data["templates"]
                          if len(row) == 4)
        pack = IndexPack(
            str(data["id"]),
            _untext(data["title"]),
            {str(k): IndexTopic(_untext(v)) for k, v in data["topics"].items()},
            templates,
            int(data.get("order", 100)),
        )
        index.packs.append(IndexEntry(pack))
        for tpl in templates:
            index.templates.setdefault(tpl.id, IndexRef(tpl, pack))
    index.issues = [PackIssue(str(p), int(line), int(col), str(k), str(m))
                    for p, line, col, k, m in issues]
    return index


_digests: dict[tuple[str, int, int], str] = {}
"""SHA-256 of pack files by (path, size, mtime): the worker's start-up reads the index and
then loads the catalogue, which writes it; the files are hashed once for both."""

_current: tuple[str, str, str, int, int] | None = None
"""The index file as this process last read or wrote it: (path, key, language, size,
mtime). A catalogue that gives the same is not written again."""


def _file_mark(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _digest(path: Path) -> str | None:
    try:
        info = path.stat()
        mark = (str(path), info.st_size, info.st_mtime_ns)
        if mark not in _digests:
            _digests[mark] = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return _digests[mark]


def _key(sources: Sequence[tuple[Path, bool]]) -> str | None:
    """The SHA-256 over every pack file's path, origin and bytes (None: one is unreadable)."""
    h = hashlib.sha256(code_stamp().encode())
    for path, builtin in sources:
        digest = _digest(path)
        if digest is None:
            return None
        h.update(f"\0{path}\0{int(builtin)}\0{digest}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


# --- the file --------------------------------------------------------------------------------


def index_path() -> Path | None:
    directory = cache_dir()
    return directory / f"index-{FORMAT}.json" if directory is not None else None


def read_index(
    dirs: Sequence[Path] = (), lang: str = "en", *, builtin: bool = True
) -> CatalogIndex | None:
    """The index of the catalogue that ``load_catalog(dirs, builtin=builtin)`` would load,
    if one was written for exactly these files; else None. Never raises. The issues are
    kept only when they were written in ``lang``."""
    path = index_path()
    if path is None:
        return None
    raw = read_private(path, _MAX_INDEX_BYTES)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        key = _key(catalog_sources(dirs, builtin=builtin))
        if not isinstance(data, dict) or key is None or data.get("key") != key:
            return None
        issues = data.get("issues", []) if data.get("lang") == lang else []
        index = index_from_data(data["packs"], issues)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    _remember(path, key, str(data.get("lang")))
    return index


def _remember(path: Path, key: str, lang: str) -> None:
    global _current
    mark = _file_mark(path)
    _current = (str(path), key, lang, *mark) if mark is not None else None


def write_index(
    path: Path | None, sources: Sequence[tuple[Path, bool]], catalog: Any, lang: str
) -> None:
    """Write the index of a just-loaded catalogue (atomically); failures are ignored."""
    if path is None:
        return
    key = _key(sources)
    if key is None:
        return
    mark = _file_mark(path)
    if mark is not None and _current == (str(path), key, lang, *mark):
        return  # the file already holds this index
    data = {
        "format": FORMAT,
        "key": key,
        "lang": lang,
        "packs": index_data(catalog),
        "issues": [[i.path, i.line, i.col, i.key, i.message] for i in catalog.issues],
    }
    try:
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError):
        return
    if write_atomically(path, raw):
        _remember(path, key, lang)
