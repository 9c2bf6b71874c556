"""The built-in packs as a whole: they validate with 50 seeds and cover the chapter."""

from __future__ import annotations

import json

import pytest

from quizapp.cli import main, problem_json
from quizapp.grading.checks import check_instances
from quizapp.grading.lint import check_warnings
from quizapp.packs.generation import generate
from quizapp.packs.loader import builtin_dir, load_catalog, pack_files, read_pack
from quizapp.packs.model import Localized

CANONICAL = {
    "ffn.activation.sigmoid_value": ("numeric", {"x"}),
    "ffn.activation.sigmoid_grad": ("numeric", {"x"}),
    "ffn.activation.tanh_grad": ("numeric", {"x"}),
    "ffn.activation.relu_grad": ("numeric", {"x"}),
    "ffn.structure.param_count": ("numeric", {"sizes"}),
    "ffn.output.cross_entropy_value": ("numeric", {"y", "k"}),
    "ffn.output.softmax_ce_grad": ("vector", {"u", "k"}),
    "ffn.backprop.output_weight_grad": ("numeric", {"W", "b", "z", "d", "j", "i"}),
    "ffn.backprop.output_weight_grad_matrix": ("matrix", {"W", "b", "z", "d"}),
    "ffn.backprop.hidden_weight_grad": (
        "numeric",
        {"W1", "b1", "W2", "b2", "x", "d", "j", "i"},
    ),
    "ffn.backprop.chain_fill": ("single_choice", set()),
}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(builtin=True)


BUILTIN_FILES = pack_files([builtin_dir()])


def test_there_are_builtin_packs() -> None:
    assert len(BUILTIN_FILES) >= 4


# The one place where every built-in template is validated over many seeds (one test per
# file, so pytest-xdist spreads them); the per-pack test files do not repeat it. Strict:
# the warnings of `packs validate` (repeated calls, degenerate draws, a fixed number of
# correct options) fail the built-in packs too.
@pytest.mark.parametrize("path", BUILTIN_FILES, ids=lambda p: p.name)
def test_builtin_pack_validates_with_50_seeds(path) -> None:
    loaded, issues = read_pack(path)
    problems = [i.format() for i in issues]
    if loaded is not None:
        loaded.path = path
        problems += [i.format() for i in check_instances(loaded, 50)]
        problems += [i.format() for i in check_warnings(loaded, 50)]
    assert not problems, "\n".join(problems)


def test_validate_command_passes_on_questions(capsys) -> None:
    args = ["--lang", "en", "packs", "validate", str(builtin_dir()), "--seeds", "2", "--strict"]
    assert main(args) == 0
    assert "valid" in capsys.readouterr().out


def test_coverage_of_the_chapter(catalog) -> None:
    assert not catalog.issues
    templates = [ref.template for ref in catalog.templates.values()]
    assert len(templates) >= 60
    with_params = [t for t in templates if t.params]
    assert len(with_params) / len(templates) >= 0.6
    code_items = [
        t for t in templates
        if t.code or any(o.code for o in (t.answer.options or []))
    ]
    assert len(code_items) >= 10
    topics = {t.topic for t in templates}
    assert {"structure", "activation", "output", "backprop"} <= topics
    choice = [t for t in templates if t.kind in ("single_choice", "multi_choice")]
    assert len(choice) / len(templates) >= 0.4


def _answerable(tpl):
    """A template, or the parts of an item set (大問) viewed as templates."""
    from quizapp.packs.itemsets import part_template

    return [part_template(tpl, i) for i in range(len(tpl.parts))] if tpl.parts else [tpl]


def test_every_text_is_bilingual_and_every_template_explained(catalog) -> None:
    for tpl in (t for ref in catalog.templates.values() for t in _answerable(ref.template)):
        assert tpl.explanation.steps or tpl.explanation.summary, tpl.id
        for text in (tpl.prompt, tpl.explanation.summary, *tpl.explanation.steps):
            if isinstance(text, Localized):
                assert text.ja and text.en, tpl.id
        assert isinstance(tpl.prompt, Localized), f"{tpl.id}: the prompt needs ja and en"

def test_calculation_items_list_misconceptions(catalog) -> None:
    for ref in catalog.templates.values():
        for tpl in _answerable(ref.template):
            if tpl.kind in ("numeric", "vector", "matrix") and tpl.params:
                assert tpl.misconceptions, f"{tpl.id} has no misconceptions"


@pytest.mark.parametrize("template_id", sorted(CANONICAL))
def test_canonical_templates(catalog, template_id: str) -> None:
    kind, params = CANONICAL[template_id]
    tpl = catalog.template(template_id).template
    assert tpl.kind == kind
    assert params <= set(tpl.params)  # the contracted names; derived params may be added


def test_the_seed_slips_are_not_taught(catalog) -> None:
    """DESIGN.md: the notes print e^{−1}, y − b, ∂E/∂w_ji as the third factor, f(x) for f'(x)."""
    for ref in catalog.templates.values():
        tpl = ref.template
        texts = [tpl.prompt, tpl.explanation.summary, *tpl.explanation.steps]
        for text in texts:
            for s in ([text.ja, text.en] if isinstance(text, Localized) else [text]):
                if s:
                    assert "e^{−1}" not in s and "e^(−1))" not in s, tpl.id


def test_sample_json_of_every_builtin_template(catalog) -> None:
    """`sample --json` builds the object with `problem_json`: every template gives one,
    JSON-serializable, in both languages (one catalogue load, not one per template)."""
    for template_id, ref in sorted(catalog.templates.items()):
        problem = generate(ref.template, 1, pack_id=ref.pack.id, pack_version=str(ref.pack.version))
        for lang in ("ja", "en"):
            data = json.loads(json.dumps(problem_json(problem, lang), ensure_ascii=False))
            assert data["template"] == template_id and data["prompt"]
            assert data["pack"] == ref.pack.id and data["seed"] == 1


def test_built_in_packs_do_not_give_one_topic_id_two_titles(catalog) -> None:
    """Topic ids are shared across packs (`--topic`, the home tree, statistics): two built-in
    packs declaring the same id with different titles would show one pack's title for the
    other's templates (regularization's 'structure' once did for ffn.structure)."""
    titles: dict[str, set[str]] = {}
    for loaded in catalog.packs:
        for topic_id, topic in loaded.pack.topics.items():
            titles.setdefault(topic_id, set()).add(topic.title.en)
    assert {k: v for k, v in titles.items() if len(v) > 1} == {}
