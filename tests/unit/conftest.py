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
