"""Issue #10 item 6: the home tree is filled at start-up from the catalogue's index (plain
JSON, no pydantic), which says exactly what the loaded catalogue would."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.packs.index import CatalogIndex, index_path, read_index
from quizapp.packs.loader import load_catalog
from quizapp.progress.scheduler import Scheduler
from quizapp.progress.store import Store
from quizapp.study.overview import overview
from quizapp.study.scope import Scope

GOOD = Path(__file__).parent.parent / "data" / "good"
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def packs(tmp_path) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    for f in GOOD.glob("*.yaml"):
        (folder / f.name).write_bytes(f.read_bytes())
    return folder


def _tree(node) -> tuple:
    return (node.scope, node.label, node.counts, tuple(_tree(c) for c in node.children))


def _view(view) -> tuple:
    return (tuple(_tree(f) for f in view.fields), tuple(_tree(p) for p in view.packs),
            view.total, view.due_today, view.new_left, view.streak, view.templates)


def test_no_index_before_the_catalogue_was_loaded(cache_dir, packs) -> None:
    assert read_index([packs], builtin=False) is None


def test_the_index_gives_the_same_home_overview_as_the_catalogue(cache_dir) -> None:
    catalog = load_catalog()  # the built-in packs: every field, topic and kind
    index = read_index()
    assert isinstance(index, CatalogIndex)
    assert list(index.templates) == list(catalog.templates)
    scheduler = Scheduler(Store.memory(), clock=lambda: T0, tz=UTC)
    ids = list(catalog.templates)
    for i, tid in enumerate(ids[::37]):  # some progress: due and not yet due
        scheduler.review(tid, i % 3 != 0, now=T0 - timedelta(days=40 * (i % 2)))
    for days in (300, 250, 180, 100):  # and one mastered
        scheduler.review(ids[5], True, now=T0 - timedelta(days=days))
    assert overview(catalog, scheduler, "en").total.mastered == 1
    for lang in ("ja", "en"):
        assert _view(overview(index, scheduler, lang)) == _view(overview(catalog, scheduler,
                                                                         lang))
        for scope in (Scope(), Scope(pack="ffn.backprop"), Scope(topic="backprop"),
                      Scope(template=ids[0]), Scope(field="応用数学")):
            assert scope.describe(index, lang) == scope.describe(catalog, lang)
            assert scope.template_ids(index) == scope.template_ids(catalog)


def test_an_edited_pack_file_makes_the_index_unusable(cache_dir, packs) -> None:
    load_catalog([packs], builtin=False)
    assert read_index([packs], builtin=False) is not None
    target = sorted(packs.glob("*.yaml"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert read_index([packs], builtin=False) is None
    load_catalog([packs], builtin=False)  # loading again writes a fresh one
    assert read_index([packs], builtin=False) is not None


def test_an_added_or_removed_pack_file_makes_the_index_unusable(cache_dir, packs) -> None:
    load_catalog([packs], builtin=False)
    extra = packs / "extra.yaml"
    extra.write_bytes(sorted(packs.glob("*.yaml"))[0].read_bytes())
    assert read_index([packs], builtin=False) is None
    extra.unlink()
    assert read_index([packs], builtin=False) is not None
    assert read_index([packs]) is None  # another set of files: the built-in ones too


@pytest.mark.parametrize("content", [b"", b"{not json", b"[1, 2]", b'{"key": 1}'])
def test_a_corrupt_index_is_ignored(cache_dir, packs, content) -> None:
    load_catalog([packs], builtin=False)
    path = index_path()
    assert path is not None and path.is_file()
    path.write_bytes(content)
    assert read_index([packs], builtin=False) is None


def test_a_malformed_entry_with_the_right_key_is_ignored(cache_dir, packs) -> None:
    load_catalog([packs], builtin=False)
    path = index_path()
    data = json.loads(path.read_text(encoding="utf-8"))
    data["packs"][0]["title"] = ["not", "a", "text"]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert read_index([packs], builtin=False) is None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file ownership needs uids")
def test_an_index_others_can_write_is_ignored(cache_dir, packs) -> None:
    load_catalog([packs], builtin=False)
    index_path().chmod(0o666)
    assert read_index([packs], builtin=False) is None


def test_issues_are_kept_only_in_their_language(cache_dir, packs) -> None:
    (packs / "broken.yaml").write_text("id: broken\nversion: 1\n", encoding="utf-8")
    catalog = load_catalog([packs], builtin=False, lang="ja")
    assert catalog.issues
    same = read_index([packs], "ja", builtin=False)
    assert [i.format() for i in same.issues] == [i.format() for i in catalog.issues]
    other = read_index([packs], "en", builtin=False)
    assert other is not None and other.issues == []


def test_no_index_is_written_when_caching_is_off(tmp_path, monkeypatch, packs) -> None:
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", "off")
    load_catalog([packs], builtin=False)
    assert index_path() is None
    assert read_index([packs], builtin=False) is None


def test_the_packs_of_a_field_follow_their_order_then_the_files(cache_dir) -> None:
    """The home tree lists each field's packs in the syllabus order (``order:``)."""
    catalog = load_catalog()
    scheduler = Scheduler(Store.memory(), clock=lambda: T0, tz=UTC)
    view = overview(catalog, scheduler, "ja")
    orders = {loaded.pack.id: loaded.pack.order for loaded in catalog.packs}
    for group in view.fields:
        ids = [p.scope.pack for p in group.children]
        assert [orders[i] for i in ids] == sorted(orders[i] for i in ids), group.label
    basics = next(g for g in view.fields if g.scope.field == "深層学習の基礎")
    assert [p.scope.pack for p in basics.children][:4] == [
        "ffn.structure", "ffn.activation", "ffn.output", "ffn.backprop"]
    assert _view(overview(read_index(), scheduler, "ja")) == _view(view)


def test_an_unchanged_index_is_not_written_again_but_a_damaged_one_is(cache_dir, packs) -> None:
    load_catalog([packs], builtin=False)
    path = index_path()
    first = path.stat().st_mtime_ns
    assert read_index([packs], builtin=False) is not None
    load_catalog([packs], builtin=False)  # what a start-up does after reading the index
    assert path.stat().st_mtime_ns == first
    path.write_bytes(b"{damaged")
    load_catalog([packs], builtin=False)
    assert read_index([packs], builtin=False) is not None
