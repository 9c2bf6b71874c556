"""The full mock exam over the built-in packs resembles the real one (issue #12 "Mock exam"):
all five fields in the documented (unofficial) proportions, every chapter drawn from, and a
blueprint file overrides the proportions."""

from __future__ import annotations

from collections import Counter

import pytest

from quizapp.exam.blueprint import BlueprintFile
from quizapp.exam.building import build_exam
from quizapp.exam.presets import FULL_EXAM_FIELDS, PRESETS
from quizapp.exam.spec import make_spec
from quizapp.packs.loader import load_catalog
from quizapp.packs.model import FIELDS

OFFICIAL = ("応用数学", "機械学習", "深層学習の基礎", "深層学習の応用", "開発・運用環境")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(builtin=True)


def test_the_full_preset_names_the_official_fields_and_sums_to_100() -> None:
    assert set(FULL_EXAM_FIELDS) == set(OFFICIAL) == set(FIELDS)
    assert sum(FULL_EXAM_FIELDS.values()) == 100
    assert PRESETS["full"].fields is FULL_EXAM_FIELDS
    assert PRESETS["full"].questions == 100


@pytest.mark.parametrize("seed", [1, 2])
def test_the_full_exam_follows_the_field_proportions_and_draws_every_pack(
    catalog, seed: int
) -> None:
    exam = build_exam(catalog, make_spec(preset="full", seed=seed))
    assert len(exam.questions) == 100
    by_field = Counter(q.problem.template.field for q in exam.questions)
    assert dict(by_field) == {f: int(FULL_EXAM_FIELDS[f]) for f in OFFICIAL}
    packs = {q.problem.pack_id for q in exam.questions}
    every_pack = {ref.pack.id for ref in catalog.templates.values()}
    assert packs == every_pack, sorted(every_pack - packs)
    assert {row["field"] for row in exam.blueprint} == set(OFFICIAL)


def test_a_blueprint_file_overrides_the_proportions(catalog) -> None:
    shares = {"応用数学": 20, "機械学習": 20, "深層学習の基礎": 20, "深層学習の応用": 20,
              "開発・運用環境": 20}
    blueprint = BlueprintFile(path="bp.yaml", fields=shares)
    exam = build_exam(catalog, make_spec(preset="full", seed=3, blueprint=blueprint))
    by_field = Counter(q.problem.template.field for q in exam.questions)
    assert set(by_field.values()) == {20}


def test_a_limited_exam_is_not_forced_into_the_proportions(catalog) -> None:
    spec = make_spec(preset="full", seed=1, packs=["ffn.output"])
    assert spec.field_weights is None
    exam = build_exam(catalog, spec)
    assert {q.problem.pack_id for q in exam.questions} == {"ffn.output"}
    assert not [n for n in exam.notes if n.key == "exam.note.field_missing"]


def test_the_quick_preset_keeps_its_template_count_shares() -> None:
    assert make_spec(preset="quick", seed=1).field_weights is None
