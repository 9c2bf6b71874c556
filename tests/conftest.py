"""Shared test set-up: the catalogue cache goes to a temporary folder, never the user's."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _catalogue_cache_in_a_temp_dir(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("QUIZAPP_CACHE_DIR", str(tmp_path_factory.mktemp("catalog-cache")))
    yield
    mp.undo()
