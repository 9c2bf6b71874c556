from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from quizapp.packs.loader import Catalog, load_catalog

_load_catalog = load_catalog  # the real one (the `cli` fixture patches the module's)

GOOD = Path(__file__).parent.parent / "data" / "good"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    """A catalogue cache folder of the test's own (QUIZAPP_CACHE_DIR)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def mini() -> Catalog:
    catalog = load_catalog([GOOD], builtin=False)
    assert not catalog.issues, catalog.issues
    return catalog


# --------------------------------------------------------------------------- store back ends


@pytest.fixture(scope="session")
def pg_url():
    """A PostgreSQL URL: ``$QUIZAPP_TEST_PG_URL``, else a throwaway server for this session."""
    import os

    url = os.environ.get("QUIZAPP_TEST_PG_URL")
    if url:
        yield url
        return
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent))
    from pgserver import find_bindir, start

    if find_bindir() is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine "
                    "and QUIZAPP_TEST_PG_URL is not set")
    server = start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def new_store(request):
    """A factory of fresh, empty stores on the back end of the parameter.

    PostgreSQL: every store is a new profile in one shared database (profiles isolate rows
    completely, which these tests then check as a side effect).
    """
    import uuid

    from quizapp.progress.store import Store

    made = []
    if request.param == "sqlite":

        def make(profile=None):
            made.append(Store.memory(profile))
            return made[-1]
    else:
        url = request.getfixturevalue("pg_url")

        def make(profile=None):
            made.append(Store.open(url, profile=profile or f"test-{uuid.uuid4().hex[:12]}"))
            return made[-1]

    make.backend = request.param
    make.url = None if request.param == "sqlite" else request.getfixturevalue("pg_url")
    yield make
    for store in made:
        try:
            store.close()
        except Exception:
            pass


@cache
def _builtin_catalog(lang: str) -> Catalog:
    return _load_catalog(lang=lang)


@pytest.fixture
def cli(monkeypatch, tmp_path, capsys):
    """Run `quizapp ... --json` in-process and return the JSON (the built-in catalogue is
    loaded once per language for the whole test session)."""
    from quizapp.cli import main
    from quizapp.packs import loader

    monkeypatch.delenv("QUIZAPP_PACKS", raising=False)
    monkeypatch.setattr(
        loader, "load_catalog",
        lambda dirs=(), *, builtin=True, lang="en": _builtin_catalog(lang),
    )

    def run(*args: str, lang: str = "en") -> dict:
        capsys.readouterr()
        code = main(["--lang", lang, "--data-dir", str(tmp_path), *args, "--json"])
        out = capsys.readouterr().out
        assert code == 0, out
        return json.loads(out)

    return run
