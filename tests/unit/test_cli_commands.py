"""Issue 13 #16: `quizapp templates`, a Japanese --help, scope errors on the command line,
`grade`'s exit codes in its help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.cli import main

GOOD = str(Path(__file__).parent.parent / "data" / "good")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_templates_lists_ids_filtered_by_pack_and_topic(capsys, tmp_path) -> None:
    base = ["--lang", "en", "--data-dir", str(tmp_path), "--packs", GOOD]
    code, out, _ = run(capsys, *base, "templates", "--pack", "test.mini", "--json")
    assert code == 0
    ids = [row["id"] for row in json.loads(out)["templates"]]
    assert "test.mini.sigmoid_grad" in ids and "test.mini.chain" in ids
    code, out, _ = run(capsys, *base, "templates", "--pack", "test.mini",
                       "--topic", "activation")
    assert code == 0
    assert "test.mini.sigmoid_grad" in out and "test.mini.chain" not in out


def test_templates_unknown_topic_suggests(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "--lang", "en", "--data-dir", str(tmp_path), "--packs", GOOD,
                       "templates", "--pack", "test.mini", "--topic", "backpro")
    assert code == 2 and "backprop" in err


def test_unknown_template_points_to_templates_command(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "--lang", "en", "--data-dir", str(tmp_path), "--packs", GOOD,
                       "sample", "zzz.qqq.www")
    assert code == 2 and "quizapp templates" in err


def test_help_in_japanese_with_lang_ja(capsys, monkeypatch) -> None:
    monkeypatch.setenv("QUIZAPP_LANG", "en")
    with pytest.raises(SystemExit):
        main(["--lang", "ja", "--help"])
    out = capsys.readouterr().out
    assert "使い方：" in out and "オプション" in out and "問題を学習する" in out
    assert "usage:" not in out and "show this help" not in out
    with pytest.raises(SystemExit):
        main(["grade", "--help", "--lang=ja"])
    assert "終了コード" in capsys.readouterr().out


@pytest.mark.parametrize("columns", [60, 80, 120])
@pytest.mark.parametrize("command", [[], ["exam"], ["grade"], ["packs", "validate"]])
def test_japanese_help_fits_the_terminal_and_titles_end_in_a_full_width_colon(
        capsys, monkeypatch, columns, command) -> None:
    from quizapp.i18n.layout import cell_width

    monkeypatch.setenv("COLUMNS", str(columns))
    with pytest.raises(SystemExit):
        main(["--lang", "ja", *command, "--help"])
    out = capsys.readouterr().out
    too_wide = [line for line in out.splitlines() if cell_width(line) > columns]
    # argparse's usage lines are Latin text of its own; the rest is ours
    assert [line for line in too_wide if not line.startswith(" ")] == []
    assert all(cell_width(line) <= columns for line in out.splitlines()
               if any(ord(ch) > 0x2000 for ch in line)), too_wide
    assert "オプション：" in out and "オプション:" not in out


def test_grade_help_documents_exit_codes(capsys, monkeypatch) -> None:
    monkeypatch.setenv("QUIZAPP_LANG", "en")
    with pytest.raises(SystemExit):
        main(["grade", "--help"])
    out = capsys.readouterr().out
    assert "Exit codes" in out and "0" in out and "unknown template" in out


@pytest.mark.parametrize("args, expected", [
    (["--topic", "backpro"], "backprop"),
    (["--pack", "test.mimi"], "test.mini"),
    (["--template", "test.mini.sigmoid_gard"], "test.mini.sigmoid_grad"),
])
def test_study_with_an_unknown_scope_is_a_command_line_error(capsys, tmp_path, args,
                                                             expected) -> None:
    code, _, err = run(capsys, "--lang", "en", "--data-dir", str(tmp_path), "--packs", GOOD,
                       "study", *args)
    assert code == 2
    assert expected in err


def test_grade_answer_starting_with_a_minus_sign(capsys, tmp_path) -> None:
    code, out, err = run(capsys, "--lang", "en", "--data-dir", str(tmp_path), "--packs", GOOD,
                         "grade", "test.mini.sigmoid_grad", "--seed", "1", "--answer", "-log(0.35)")
    assert code == 0, err
    assert out.strip()


def test_packs_preview_of_a_missing_file_is_an_error(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "--lang", "en", "--data-dir", str(tmp_path),
                       "packs", "preview", str(tmp_path / "nope.yaml"))
    assert code == 2 and "nope.yaml" in err
