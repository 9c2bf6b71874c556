"""A cache of the validated catalogue, so that start-up does not re-check unchanged packs.

One file in the user's cache folder (``platformdirs.user_cache_dir("quizapp")``, or
``$QUIZAPP_CACHE_DIR``; ``QUIZAPP_CACHE_DIR=off`` turns the cache off) holds, for every pack
file read, the SHA-256 of its bytes and what checking it gave: the validated ``Pack`` with
the positions of its ids, or its issues (in the language they were written in). The whole
cache is keyed by a stamp of the app version, Python, pydantic and the pack code, so a new
version or an edited schema starts from scratch. A stale entry (the file changed) is checked
again; a cache that is missing, corrupt, unreadable or not the user's own is ignored and
rebuilt. It is read with an unpickler that only builds the pack model classes and plain
containers, and only from a folder and file that the user owns and no one else can write.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import sys
from pathlib import Path
from typing import Any

from quizapp.cachefiles import cache_dir, read_private, write_atomically

FORMAT = 1
_MAX_CACHE_BYTES = 64_000_000

_SAFE_BUILTINS = frozenset({"dict", "list", "tuple", "set", "frozenset", "object", "int",
                            "float", "str", "bool", "bytes"})
_MODEL_MODULES = frozenset({"quizapp.packs.model", "quizapp.packs.model_base",
                            "quizapp.packs.model_params"})
"""The modules of the pack schema: their classes are the pack models."""


def _stamp() -> str:
    """What the cached objects depend on: versions, and the code that checks packs."""
    import pydantic

    return code_stamp(pydantic.VERSION)


def code_stamp(*extra: str) -> str:
    """A stamp of the app's version, Python and the code in ``quizapp/packs`` (sizes and
    modification times), with ``extra`` parts: what a cache of checked packs depends on."""
    import quizapp

    parts = [str(FORMAT), getattr(quizapp, "__version__", "?"), sys.version, *extra]
    here = Path(__file__).resolve().parent
    for f in sorted(here.glob("*.py")):
        try:
            info = f.stat()
        except OSError:
            continue
        parts.append(f"{f.name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Unpickler(pickle.Unpickler):
    """Builds only the pack models, the issue type and plain containers."""

    def find_class(self, module: str, name: str) -> Any:
        if module in _MODEL_MODULES or (
            module == "quizapp.packs.positions" and name == "PackIssue"
        ):
            return super().find_class(module, name)
        if module == "copyreg" and name in ("_reconstructor", "__newobj__"):
            return super().find_class(module, name)
        if module == "builtins" and name in _SAFE_BUILTINS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the catalogue cache")


class CatalogCache:
    """The cache entries of one catalogue load: read once, written back if anything changed."""

    def __init__(self, directory: Path | None) -> None:
        self.path = directory / f"catalog-{FORMAT}.pickle" if directory is not None else None
        self.stamp = _stamp() if self.path is not None else ""
        self.files: dict[str, tuple[str, str, Any]] = self._read()
        self.changed = False

    @classmethod
    def open(cls) -> CatalogCache:
        return cls(cache_dir())

    def _read(self) -> dict[str, tuple[str, str, Any]]:
        if self.path is None:
            return {}
        raw = read_private(self.path, _MAX_CACHE_BYTES)
        if raw is None:
            return {}
        try:
            data = _Unpickler(io.BytesIO(raw)).load()
        except Exception:  # corrupt: ignored, rebuilt
            return {}
        if not isinstance(data, dict) or data.get("stamp") != self.stamp:
            return {}
        files = data.get("files")
        return files if isinstance(files, dict) else {}

    def get(self, key: str, sha: str, lang: str) -> Any:
        """The cached result for this file content (and language, for issues), or None."""
        entry = self.files.get(key)
        if not (isinstance(entry, tuple) and len(entry) == 3):
            return None
        e_sha, e_lang, payload = entry
        if e_sha != sha or (e_lang and e_lang != lang):
            return None
        return payload

    def put(self, key: str, sha: str, lang: str, payload: Any) -> None:
        self.files[key] = (sha, lang, payload)
        self.changed = True

    def save(self) -> None:
        """Write the cache back (atomically); a folder that cannot be written is no error."""
        if self.path is None or not self.changed:
            return
        data = {"stamp": self.stamp, "files": self.files}
        try:
            raw = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return
        if write_atomically(self.path, raw):
            self.changed = False
