"""Issue #14, items 7–13: a pack (or blueprint) is untrusted and may cost only seconds and a
bounded amount of memory. Each test failed before the limit it checks was added."""

from __future__ import annotations

import os
import random
import threading
from pathlib import Path

import pytest
import yaml

from quizapp.exam.blueprint import read_blueprint
from quizapp.exam.presets import ExamError
from quizapp.packs import drawing
from quizapp.packs.generation import GenerationError, draw_param, generate
from quizapp.packs.loader import Catalog, check_text, load_catalog, position, read_pack
from quizapp.packs.model import SimplexParam

HEAD = """id: hostile.{name}
version: 1
title: hostile
languages: [en]
templates:
  - id: hostile.{name}.t
    topic: x
    kind: numeric
    prompt: "p"
    params:
{params}
{where}
    answer:
      value: "1"
    explanation:
      summary: "s"
"""


def pack_text(name: str, params: str, where: str = "") -> str:
    return HEAD.format(name=name, params=params, where=where)


def messages(text: str) -> list[str]:
    loaded, issues = check_text(text, "hostile.yaml")
    return [i.format() for i in issues]


def template_of(text: str):
    loaded, issues = check_text(text, "hostile.yaml")
    assert loaded is not None, [i.format() for i in issues]
    return loaded.pack.templates[0]


# --- 7: parameters past the element limit are refused before anything is built


def test_a_huge_simplex_is_invalid() -> None:
    found = messages(pack_text("s", "      p: {simplex: 5000000, step: 1.0e-7}"))
    assert any("params.p" in m and "1,000,000" in m for m in found), found
    found = messages(pack_text("s", "      p: {simplex: 5000000, step: 1.0e-4}"))
    assert any("params.p" in m and "from 1 to 10,000" in m for m in found), found


def test_a_tiny_simplex_step_is_a_clear_error_not_an_overflow() -> None:
    found = messages(pack_text("s", "      p: {simplex: 10000000, step: 1.0e-300}"))
    assert any("1/step must be at most 1,000,000" in m for m in found), found
    found = messages(pack_text("s", "      p: {simplex: 3, step: 5.0e-324}"))
    assert found and not any("Overflow" in m for m in found), found


def test_array_grids_and_fixed_shapes_are_bounded_by_validation() -> None:
    found = messages(pack_text("a", "      W: {array: [200, 200]}"))
    assert any("40,000 entries" in m for m in found), found
    found = messages(pack_text("a", "      W: {array: [2], range: [0, 1], step: 1.0e-300}"))
    assert any("more than 1,000,000 values" in m for m in found), found


def test_a_simplex_size_from_an_expression_is_checked_before_building() -> None:
    spec = SimplexParam(simplex="n", step=0.0001)
    with pytest.raises(GenerationError, match="from 1 to 10,000"):
        draw_param(spec, random.Random(0), {"n": 5_000_000}, "p")


# --- 8, 9: one time budget for a whole problem, every `where` draw included


def test_an_expensive_where_is_stopped_by_the_problem_budget(monkeypatch) -> None:
    tpl = template_of(pack_text(
        "w", "      x: {int: [1, 10]}",
        "    where:\n      - \"optimizer_steps('adam', 1.0, zeros(300))[0] > 5\"",
    ))
    monkeypatch.setattr(drawing, "PROBLEM_SECONDS", 0.05)
    with pytest.raises(GenerationError) as err:
        generate(tpl, 1)
    assert err.value.key == "gen.too_slow"
    assert "0.05 s" in err.value.text("en") and "0.05 秒" in err.value.text("ja")


def test_a_large_array_with_an_unmet_where_hits_the_budget() -> None:
    tpl = template_of(pack_text(
        "a", "      W: {array: [100, 100], range: [-1, 1], step: 0.1}",
        '    where: ["sum(W) > 100000"]',
    ))
    with pytest.raises(GenerationError) as err:
        generate(tpl, 1)
    assert err.value.key == "gen.too_slow"


def test_the_budget_does_not_change_problems() -> None:
    tpl = template_of(pack_text("ok", "      x: {int: [1, 10]}", '    where: ["x > 5"]'))
    assert generate(tpl, 3).params == generate(tpl, 3).params


# --- 10: error positions are found in linear time, and at most 50 errors are reported


class CountingList(list):
    iterations = 0

    def __iter__(self):
        CountingList.iterations += 1
        return super().__iter__()


def test_positions_index_each_mapping_once() -> None:
    root = yaml.compose("\n".join(f"k{i}: {i}" for i in range(2000)))
    root.value = CountingList(root.value)
    for i in range(2000):
        assert position(root, (f"k{i}",))[0] == i + 1
    assert CountingList.iterations == 1


def test_errors_per_file_are_capped() -> None:
    keys = "\n".join(f"u{i}: 1" for i in range(5000))
    found = messages(f"id: p\nversion: 1\ntitle: t\nlanguages: [en]\n{keys}\ntemplates: []\n")
    assert len(found) == 51
    assert any("hostile.yaml:5:1: u0: unknown key 'u0'" in m for m in found), found[:3]
    assert "and 4,951 more problems" in found[-1]


# --- 11: only regular files are read, and never more than the limit + 1 bytes


def _in_thread(fn, *args):
    """Run fn in a daemon thread (a read that blocks forever must not hang the tests)."""
    out: list = []
    thread = threading.Thread(target=lambda: out.append(fn(*args)), daemon=True)
    thread.start()
    thread.join(30)
    assert out, "the read did not return"
    return out[0]


def test_devices_and_fifos_are_refused(tmp_path: Path) -> None:
    loaded, issues = _in_thread(read_pack, Path("/dev/zero"))
    assert loaded is None and "not a regular file" in issues[0].message
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    loaded, issues = _in_thread(read_pack, fifo)
    assert loaded is None and "not a regular file" in issues[0].message
    loaded, issues = read_pack(tmp_path)
    assert loaded is None and "not a regular file" in issues[0].message


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("x: 1\n" * 250_000)
    loaded, issues = read_pack(big)
    assert loaded is None and "too large" in issues[0].message


def _blueprint_error(path: Path) -> str:
    def read():
        try:
            read_blueprint(path)
        except ExamError as exc:
            return exc.text("en")
        return ""

    return _in_thread(read)


def test_blueprints_get_the_same_limits(tmp_path: Path) -> None:
    assert "not a regular file" in _blueprint_error(Path("/dev/zero"))
    fifo = tmp_path / "bp.yaml"
    os.mkfifo(fifo)
    assert "not a regular file" in _blueprint_error(fifo)
    deep = tmp_path / "deep.yaml"
    deep.write_text("fields: " + "[" * 40_000 + "]" * 40_000 + "\n")
    message = _blueprint_error(deep)
    assert "deep.yaml:1:" in message and "nested more than 8 levels" in message, message
    big = tmp_path / "big.yaml"
    big.write_text("topics:\n" + "".join(f"  t{i}: 1\n" for i in range(50_000)))
    assert "too large" in _blueprint_error(big)
    many = tmp_path / "many.yaml"
    many.write_text("topics: [" + ",".join(["1"] * 20_000) + "]\n")
    assert "more than 10,000 YAML nodes" in _blueprint_error(many)


def test_blueprint_problems_are_capped(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("".join(f"k{i}: 1\n" for i in range(200)))
    message = _blueprint_error(bad)
    assert "and 150 more problems" in message, message[-300:]


# --- 12: a file with too many nodes is refused early, naming the node limit


def test_a_long_flow_list_names_the_node_limit() -> None:
    found = messages("x: [" + ",".join(["1"] * 250_000) + "]\n")
    assert len(found) == 1
    assert "more than 200,000 YAML nodes" in found[0] and "aliases" not in found[0]
    assert found[0].startswith("hostile.yaml:1:")


def test_deep_nesting_in_a_pack_has_a_position() -> None:
    found = messages("id: p\nx: " + "[" * 1000 + "]" * 1000 + "\n")
    assert len(found) == 1 and found[0].startswith("hostile.yaml:2:")
    assert "nested more than 64 levels deep here" in found[0]
    found = messages("id: p\nx:\n" + "".join(" " * i + f"k{i}:\n" for i in range(100)))
    assert found == ["hostile.yaml:67:65: lists and mappings are nested more than 64 levels "
                     "deep here"]


# --- 13: a pack id that is already taken is reported like a template id


def test_a_user_pack_with_a_builtin_id_is_reported(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(pack_text("x", "      x: {int: [1, 2]}").replace(
        "id: hostile.x\n", "id: ffn.activation\n", 1))
    catalog = load_catalog([tmp_path])
    clash = [i for i in catalog.issues if i.path == str(mine)]
    assert len(clash) == 1
    assert clash[0].line == 1 and clash[0].key == "id"
    assert "pack id 'ffn.activation' is already used" in clash[0].message
    assert "ffn_activation" in clash[0].message or "ffn" in clash[0].message
    assert "hostile.x.t" not in catalog.templates
    assert sum(1 for p in catalog.packs if p.pack.id == "ffn.activation") == 1


def test_two_user_packs_with_one_id() -> None:
    first, _ = check_text(pack_text("a", "      x: {int: [1, 2]}"), "a.yaml")
    second, _ = check_text(
        pack_text("a", "      x: {int: [1, 2]}").replace("hostile.a.t", "hostile.b.t"), "b.yaml"
    )
    catalog = Catalog()
    catalog.add(first, "ja")
    catalog.add(second, "ja")
    assert [i.format() for i in catalog.issues] == [
        "b.yaml:1:5: id: パック id 'hostile.a' はすでに使われています（a.yaml:1:5）。"
        "このパックは読み込みません"
    ]
