"""Issue #10 item 6: the validated catalogue is cached by content hash; a corrupt, stale or
foreign cache is ignored and rebuilt."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from quizapp.packs import catalog_cache
from quizapp.packs import loader as loader_mod
from quizapp.packs.catalog_cache import CatalogCache
from quizapp.packs.loader import load_catalog

GOOD = Path(__file__).parent.parent / "data" / "good"


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """The files that were really checked (not taken from the cache)."""
    seen: list[str] = []
    real = loader_mod.check_text

    def counting(text, name, lang="en"):
        seen.append(Path(name).name)
        return real(text, name, lang)

    monkeypatch.setattr(loader_mod, "check_text", counting)
    return seen


def test_a_warm_cache_gives_the_same_catalogue_without_checking(cache_dir, checks) -> None:
    cold = load_catalog([GOOD], builtin=False)
    assert checks and (cache_dir / "catalog-1.pickle").is_file()
    checks.clear()
    warm = load_catalog([GOOD], builtin=False)
    assert checks == []
    assert [p.pack for p in warm.packs] == [p.pack for p in cold.packs]
    assert list(warm.templates) == list(cold.templates)
    assert [p.id_position(0) for p in warm.packs] == [p.id_position(0) for p in cold.packs]


def test_a_changed_file_is_checked_again(tmp_path, cache_dir, checks) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    for f in GOOD.glob("*.yaml"):
        (packs / f.name).write_bytes(f.read_bytes())
    load_catalog([packs], builtin=False)
    checks.clear()
    target = sorted(packs.glob("*.yaml"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    load_catalog([packs], builtin=False)
    assert checks == [target.name]


def test_issues_are_cached_per_language(tmp_path, cache_dir, checks) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "bad.yaml").write_text("id: bad\nversion: 1\n", encoding="utf-8")
    en = load_catalog([packs], builtin=False, lang="en")
    ja = load_catalog([packs], builtin=False, lang="ja")
    assert checks == ["bad.yaml", "bad.yaml"]
    assert en.issues[0].message != ja.issues[0].message
    again = load_catalog([packs], builtin=False, lang="ja")
    assert checks == ["bad.yaml", "bad.yaml"] and again.issues == ja.issues


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05garbage",
                                     pickle.dumps({"stamp": "old", "files": {}}),
                                     pickle.dumps(["a", "list"])])
def test_a_corrupt_or_stale_cache_is_rebuilt(cache_dir, checks, content) -> None:
    load_catalog([GOOD], builtin=False)
    (cache_dir / "catalog-1.pickle").write_bytes(content)
    checks.clear()
    catalog = load_catalog([GOOD], builtin=False)
    assert checks and catalog.templates
    checks.clear()
    load_catalog([GOOD], builtin=False)  # rebuilt: warm again
    assert checks == []


def test_a_cache_that_would_build_other_objects_is_ignored(cache_dir, checks) -> None:
    load_catalog([GOOD], builtin=False)
    stamp = CatalogCache(cache_dir).stamp
    evil = pickle.dumps({"stamp": stamp, "files": {"x": ("s", "", os.system)}})
    (cache_dir / "catalog-1.pickle").write_bytes(evil)
    checks.clear()
    assert load_catalog([GOOD], builtin=False).templates
    assert checks


def test_a_cache_others_can_write_is_ignored(cache_dir, checks) -> None:
    load_catalog([GOOD], builtin=False)
    (cache_dir / "catalog-1.pickle").chmod(0o666)
    checks.clear()
    load_catalog([GOOD], builtin=False)
    assert checks


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch, checks) -> None:
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", "off")
    assert catalog_cache.cache_dir() is None
    load_catalog([GOOD], builtin=False)
    load_catalog([GOOD], builtin=False)
    assert len(checks) == 2 * len(list(GOOD.glob("*.yaml")))


def test_an_unwritable_cache_folder_is_no_error(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(blocker / "cache"))
    assert load_catalog([GOOD], builtin=False).templates
