"""The `quizapp` command's contracts: sample/grade JSON, packs validate/list/schema, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.cli import main

DATA = Path(__file__).parent.parent / "data"
GOOD = str(DATA / "good")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_sample_json_contract(capsys, tmp_path) -> None:
    code, out, _ = run(
        capsys, "--lang", "en", "--data-dir", str(tmp_path), "--packs", GOOD,
        "sample", "test.mini.output_grad", "--seed", "3", "--json",
    )
    assert code == 0
    data = json.loads(out)
    for key in ("template", "seed", "pack", "topic", "field", "kind", "params", "prompt",
                "choices", "answer", "explanation"):
        assert key in data
    assert data["template"] == "test.mini.output_grad" and data["seed"] == 3
    assert data["pack"] == "test.mini" and data["kind"] == "matrix" and data["choices"] is None
    assert set(data["params"]) == {"W", "b", "z", "d"}
    assert data["prompt"].startswith("With W = ")
    assert isinstance(data["answer"], list) and len(data["answer"]) == 2


def test_global_options_after_the_subcommand(capsys, tmp_path) -> None:
    code, out, _ = run(
        capsys, "sample", "test.mini.chain", "--packs", GOOD, "--lang", "ja",
        "--data-dir", str(tmp_path), "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["prompt"].startswith("空欄に入る因子は?")
    assert isinstance(data["answer"], int) and 1 <= data["answer"] <= 4
    assert len(data["choices"]) == 4


def test_grade_json_round_trip_with_sample(capsys, tmp_path) -> None:
    base = ["--lang", "en", "--data-dir", str(tmp_path), "--packs", GOOD]
    for template in ("test.mini.sigmoid_grad", "test.mini.chain", "test.mini.which_true"):
        _, out, _ = run(capsys, *base, "sample", template, "--seed", "5", "--json")
        answer = json.loads(out)["answer"]
        text = ",".join(map(str, answer)) if isinstance(answer, list) else str(answer)
        code, out, _ = run(capsys, *base, "grade", template, "--seed", "5", "--answer", text,
                           "--json")
        result = json.loads(out)
        assert code == 0
        assert result == {**result, "valid": True, "correct": True, "misconception": None}


def test_grade_json_invalid_and_misconception(capsys, tmp_path) -> None:
    base = ["--lang", "en", "--data-dir", str(tmp_path), "--packs", GOOD]
    _, out, _ = run(capsys, *base, "grade", "test.mini.sigmoid_grad", "--seed", "1",
                    "--answer", "hello", "--json")
    result = json.loads(out)
    assert result["valid"] is False and result["correct"] is False
    assert "hello" in result["feedback"]
    _, out, _ = run(capsys, *base, "sample", "test.mini.sigmoid_grad", "--seed", "1", "--json")
    x = json.loads(out)["params"]["x"]
    import math

    _, out, _ = run(capsys, *base, "grade", "test.mini.sigmoid_grad", "--seed", "1",
                    "--answer", f"{1 / (1 + math.exp(-x)):.4f}", "--json")
    result = json.loads(out)
    assert result["misconception"] == "sigma_not_derivative" and result["valid"]


def test_human_output_in_both_languages(capsys, tmp_path) -> None:
    base = ["--data-dir", str(tmp_path), "--packs", GOOD]
    _, out, _ = run(capsys, "--lang", "ja", *base, "sample", "test.mini.sigmoid_grad")
    assert "における σ'(x) を求めよ" in out and "正解：" in out and "解説：" in out
    _, out, _ = run(capsys, "--lang", "en", *base, "grade", "test.mini.sigmoid_grad",
                    "--seed", "0", "--answer", "5")
    assert out.startswith("Incorrect\n")


def test_unknown_template_suggests(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "--lang", "en", "--data-dir", str(tmp_path), "--packs", GOOD,
                       "sample", "test.mini.sigmoid_grd")
    assert code == 2
    assert "There is no template 'test.mini.sigmoid_grd'" in err
    assert "test.mini.sigmoid_grad" in err
    assert "Traceback" not in err


def test_validate_exit_codes(capsys, tmp_path) -> None:
    code, out, _ = run(capsys, "--lang", "en", "packs", "validate", GOOD, "--seeds", "5")
    assert code == 0 and "valid" in out
    code, out, _ = run(capsys, "--lang", "en", "packs", "validate",
                       str(DATA / "bad" / "unknown_key.yaml"), str(DATA / "bad" / "syntax.yaml"))
    assert code == 1
    lines = out.splitlines()
    assert any(line.startswith(str(DATA / "bad" / "unknown_key.yaml") + ":9:26: ") for line in lines)
    assert any(line.startswith(str(DATA / "bad" / "syntax.yaml") + ":7:1: ") for line in lines)
    code, out, _ = run(capsys, "packs", "validate", str(tmp_path / "nope.yaml"))
    assert code == 1


def test_packs_list_json_reports_bad_user_packs(capsys, tmp_path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "bad.yaml").write_text("id: [", "utf-8")
    (packs / "mini.yaml").write_text((DATA / "good" / "mini.yaml").read_text("utf-8"), "utf-8")
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "packs", "list", "--json")
    assert code == 0
    data = json.loads(out)
    ids = [p["id"] for p in data["packs"]]
    assert "test.mini" in ids
    assert any("bad.yaml" in issue for issue in data["issues"])
    assert "bad.yaml" in err


def test_packs_list_follows_the_syllabus_like_the_home_tree(capsys) -> None:
    from quizapp.packs.fields import FIELDS, main_field, pack_template_ids
    from quizapp.packs.loader import load_catalog

    code, out, _ = run(capsys, "--lang", "ja", "packs", "list", "--json")
    assert code == 0
    ids = [p["id"] for p in json.loads(out)["packs"]]
    catalog = load_catalog()
    by_id = {loaded.pack.id: loaded.pack for loaded in catalog.packs}
    fields = [main_field(catalog, pack_template_ids(catalog, by_id[i])) for i in ids]
    ranks = [FIELDS.index(f) for f in fields]
    assert ranks == sorted(ranks) and set(fields) == set(FIELDS)
    for a, b in zip(ids, ids[1:], strict=False):  # within a field, by each pack's order
        if fields[ids.index(a)] == fields[ids.index(b)]:
            assert by_id[a].order <= by_id[b].order
    assert ids[:3] == ["linalg", "prob", "info"]
    code, out, _ = run(capsys, "--lang", "ja", "packs", "list")
    assert "線形代数  （組み込み）" in out and "(組み込み)" not in out


def test_schema_is_json_schema(capsys) -> None:
    code, out, _ = run(capsys, "packs", "schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "quizapp question pack"
    assert "templates" in schema["properties"]


def test_bad_seed_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["sample", "x", "--seed", "-1"])
    assert info.value.code == 2


def test_module_entry_point_runs(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quizapp", "--lang", "en", "--data-dir", str(tmp_path),
         "--packs", GOOD, "sample", "test.mini.probs", "--seed", "2", "--json"],
        capture_output=True, text=True, check=True,
    )
    data = json.loads(result.stdout)
    y, k = data["params"]["y"], data["params"]["k"]
    import math

    assert data["answer"] == pytest.approx(-math.log(y[k - 1]))


def test_validate_reports_template_ids_used_by_two_files(capsys, tmp_path) -> None:
    text = (DATA / "good" / "mini.yaml").read_text("utf-8")
    (tmp_path / "a.yaml").write_text(text, "utf-8")
    (tmp_path / "b.yaml").write_text(text.replace("id: test.mini\n", "id: test.other\n"), "utf-8")
    code, out, _ = run(capsys, "--lang", "en", "packs", "validate", str(tmp_path), "--seeds", "2")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 9
    assert lines[0] == (
        f"{tmp_path / 'b.yaml'}:13:9: templates[0].id: the template id "
        f"'test.mini.sigmoid_grad' is used twice (also at {tmp_path / 'a.yaml'}:13:9)"
    )


@pytest.mark.parametrize("argv", [
    ["--lang", "en"],
    ["--lang", "en", "exam", "--questions", "5", "--topic", "a", "--topic", "b", "--seed", "3"],
    ["grade", "ffn.x", "--seed", "1", "--answer=-log(0.35)", "--json"],
    ["packs", "validate", "a.yaml", "--seeds", "7", "--strict"],
    ["--data-dir", "study", "stats", "--json"],
])
def test_a_parser_built_for_the_command_line_reads_it_as_the_full_parser(argv):
    """``build_parser(argv=…)`` builds only the subcommands named (start-up time)."""
    from quizapp.cli.parser import build_parser

    full = build_parser("en").parse_args(argv)
    lazy = build_parser("en", argv).parse_args(argv)
    assert vars(full) == vars(lazy)


def test_the_lazy_parser_still_lists_and_checks_every_subcommand(capsys):
    from quizapp.cli.parser import build_parser

    with pytest.raises(SystemExit):
        build_parser("en", ["--help"]).parse_args(["--help"])
    out = capsys.readouterr().out
    for name in ("study", "exam", "packs", "templates", "sample", "grade", "stats", "export",
                 "import", "serve"):
        assert f"    {name} " in out
    with pytest.raises(SystemExit):
        build_parser("en", ["stdy"]).parse_args(["stdy"])
    assert "invalid choice: 'stdy'" in capsys.readouterr().err
