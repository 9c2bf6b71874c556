"""Where the data folder, the user's packs and the progress database are."""

from __future__ import annotations

import pytest

from quizapp.progress import paths
from quizapp.progress.store import Store, StoreError


def test_cli_value_wins_and_is_created(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "from-env"))
    chosen = paths.data_dir(str(tmp_path / "cli" / "nested"))
    assert chosen == tmp_path / "cli" / "nested"
    assert chosen.is_dir()
    assert not (tmp_path / "from-env").exists()


def test_env_then_platform_default(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    assert paths.data_dir() == tmp_path / "home"
    assert paths.data_dir(None) == tmp_path / "home"
    monkeypatch.delenv("QUIZAPP_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # platformdirs on Linux
    monkeypatch.setattr("platformdirs.user_data_dir",
                        lambda name: str(tmp_path / "xdg" / name))
    chosen = paths.data_dir()
    assert chosen == tmp_path / "xdg" / "quizapp" and chosen.is_dir()


def test_user_expansion(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths.data_dir("~/qa") == tmp_path / "qa"


def test_files_inside_the_data_dir(tmp_path):
    assert paths.user_packs_dir(tmp_path) == tmp_path / "packs"
    assert paths.db_path(tmp_path) == tmp_path / "progress.sqlite3"
    with Store.open(paths.db_path(paths.data_dir(str(tmp_path / "d")))) as store:
        assert store.path == tmp_path / "d" / "progress.sqlite3"


def test_a_file_in_the_way(tmp_path):
    (tmp_path / "taken").write_text("x")
    with pytest.raises(StoreError) as info:
        paths.data_dir(str(tmp_path / "taken"))
    assert info.value.key == "store.dir_unwritable"
    with pytest.raises(StoreError):
        paths.data_dir(str(tmp_path / "taken" / "below"))
