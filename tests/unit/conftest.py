from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.packs.loader import Catalog, load_catalog

GOOD = Path(__file__).parent.parent / "data" / "good"


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
