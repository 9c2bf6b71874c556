"""Issue #10 item 6: the garbage collector is paused during start-up only, and given back."""

from __future__ import annotations

import gc

import pytest

from quizapp import gcpause
from quizapp.cli import main


@pytest.fixture(autouse=True)
def _collector_on():
    gc.enable()
    yield
    gc.enable()


def test_pause_and_resume_turn_the_collector_off_and_on():
    gcpause.pause()
    assert not gc.isenabled()
    gcpause.resume()
    assert gc.isenabled()


def test_resume_does_not_turn_on_a_collector_someone_else_turned_off():
    gc.disable()
    gcpause.pause()  # it was already off: not ours to turn on
    gcpause.resume()
    assert not gc.isenabled()


def test_resume_with_freeze_moves_the_survivors_out_of_sight():
    gc.unfreeze()
    gcpause.pause()
    gcpause.resume(freeze=True)
    try:
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_plain_command_runs_with_the_collector_on(capsys, monkeypatch):
    seen = []
    from quizapp.cli import packs as packs_cmds

    real = packs_cmds.cmd_templates

    def spy(ctx):
        seen.append(gc.isenabled())
        return real(ctx)

    monkeypatch.setattr(packs_cmds, "cmd_templates", spy)
    assert main(["--lang", "en", "templates", "--pack", "ffn.activation"]) == 0
    assert seen == [True]
    assert gc.isenabled()


def test_the_collector_is_on_again_after_a_failed_command(capsys):
    assert main(["--lang", "en", "grade", "no.such.template", "--seed", "1",
                 "--answer", "1"]) != 0
    assert gc.isenabled()
    with pytest.raises(SystemExit):  # a command-line error: argparse exits
        main(["--lang", "en", "grade"])
    assert gc.isenabled()
