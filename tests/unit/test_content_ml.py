"""The 機械学習 packs (mlbasics, mlmodels, mleval): canonical templates agree with an
independent NumPy formula from the params of `sample --json`, their misconceptions are
recognized, and the chapter has the size, item shapes and Japanese typography it promises.

The packs are validated over 50 seeds by tests/unit/test_content.py; not repeated here."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import quizapp.packs.loader
from quizapp.cli import main
from quizapp.packs.loader import builtin_dir, read_pack
from quizapp.packs.model import Localized

FILES = {
    "mlbasics": builtin_dir() / "ml_basics.yaml",
    "mlmodels": builtin_dir() / "ml_models.yaml",
    "mleval": builtin_dir() / "ml_evaluation.yaml",
}
MINIMUM = {"mlbasics": 14, "mlmodels": 18, "mleval": 14}
CANONICAL = {
    "ml.metrics.f1": ("numeric", {"tp", "fp", "fn"}),
    "ml.pca.evr": ("numeric", {"lam", "k"}),
}
SEEDS = range(20)


@pytest.fixture(scope="module", autouse=True)
def _catalog_once():
    """Load the catalogue once per language for the in-process CLI calls below."""
    real = quizapp.packs.loader.load_catalog
    cache: dict = {}

    def cached(dirs=(), *, builtin=True, lang="en"):
        key = (tuple(str(d) for d in dirs), builtin, lang)
        if key not in cache:
            cache[key] = real(dirs, builtin=builtin, lang=lang)
        return cache[key]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(quizapp.packs.loader, "load_catalog", cached)
        yield


def _run(capsys, tmp_path, *args: str) -> dict:
    capsys.readouterr()
    code = main(["--lang", "en", "--data-dir", str(tmp_path), *args, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    return json.loads(out)


def sample(capsys, tmp_path, template_id: str, seed: int) -> dict:
    return _run(capsys, tmp_path, "sample", template_id, "--seed", str(seed))


def grade(capsys, tmp_path, template_id: str, seed: int, answer: str) -> dict:
    return _run(capsys, tmp_path, "grade", template_id, "--seed", str(seed), "--answer", answer)


@pytest.fixture(scope="module")
def packs():
    out = {}
    for pack_id, path in FILES.items():
        loaded, issues = read_pack(path)
        assert not issues, "\n".join(i.format() for i in issues)
        assert loaded is not None and loaded.pack.id == pack_id
        out[pack_id] = loaded.pack
    return out


@pytest.fixture(scope="module")
def templates(packs):
    return [t for pack in packs.values() for t in pack.templates]


# --------------------------------------------------------------------------- canonical answers


def f1_expected(p: dict) -> float:
    tp, fp, fn = (float(p[k]) for k in ("tp", "fp", "fn"))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return 2 * precision * recall / (precision + recall)


def evr_expected(p: dict) -> float:
    lam = np.asarray(p["lam"], dtype=float)
    assert np.all(np.diff(lam) <= 0), "eigenvalues are given in descending order"
    return float(np.cumsum(lam)[int(p["k"]) - 1] / lam.sum())


EXPECTED = {"ml.metrics.f1": f1_expected, "ml.pca.evr": evr_expected}


@pytest.mark.parametrize("template_id", sorted(CANONICAL))
def test_canonical_contract(templates, template_id: str) -> None:
    kind, names = CANONICAL[template_id]
    tpl = next(t for t in templates if t.id == template_id)
    assert tpl.kind == kind
    assert names <= set(tpl.params)
    assert tpl.field == "機械学習"


@pytest.mark.parametrize("template_id", sorted(CANONICAL))
def test_canonical_answers_match_numpy(capsys, tmp_path, template_id: str) -> None:
    for seed in SEEDS:
        data = sample(capsys, tmp_path, template_id, seed)
        assert data["template"] == template_id and data["kind"] == "numeric"
        assert CANONICAL[template_id][1] <= set(data["params"])
        assert data["answer"] == pytest.approx(EXPECTED[template_id](data["params"]), abs=1e-12)


def test_evr_agrees_with_pca_of_data_with_those_variances(capsys, tmp_path) -> None:
    """Data whose covariance eigenvalues are `lam`: the SVD of the centred data gives the same
    cumulative ratio as the template's answer."""
    data = sample(capsys, tmp_path, "ml.pca.evr", 5)
    lam, k = np.asarray(data["params"]["lam"], float), int(data["params"]["k"])
    d = lam.size
    # 2d points ±a_i e_i: mean 0, sample variance along e_i = 2 a_i² / (2d − 1) = lam_i
    a = np.sqrt(lam * (2 * d - 1) / 2)
    X = np.vstack([np.diag(a), -np.diag(a)])
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    var = s**2 / (X.shape[0] - 1)
    np.testing.assert_allclose(var, lam)
    assert data["answer"] == pytest.approx(var[:k].sum() / var.sum())


def _tag(capsys, tmp_path, template_id: str, seed: int, value: float) -> str | None:
    result = grade(capsys, tmp_path, template_id, seed, repr(float(value)))
    assert result["valid"], result
    assert not result["correct"], result
    return result["misconception"]


def test_f1_misconceptions(capsys, tmp_path) -> None:
    tid = "ml.metrics.f1"
    for seed in range(6):
        p = sample(capsys, tmp_path, tid, seed)["params"]
        tp, fp, fn = (float(p[k]) for k in ("tp", "fp", "fn"))
        P, R = tp / (tp + fp), tp / (tp + fn)
        assert grade(capsys, tmp_path, tid, seed, f"{f1_expected(p):.3f}")["correct"]
        assert _tag(capsys, tmp_path, tid, seed, (P + R) / 2) == "arithmetic_mean"
        assert _tag(capsys, tmp_path, tid, seed, tp / (tp + fp + fn)) == "forgot_factor_two"
        assert _tag(capsys, tmp_path, tid, seed, P) == "precision_only"
        assert _tag(capsys, tmp_path, tid, seed, R) == "recall_only"


def test_evr_misconceptions(capsys, tmp_path) -> None:
    tid = "ml.pca.evr"
    for seed in range(6):
        p = sample(capsys, tmp_path, tid, seed)["params"]
        lam, k = np.asarray(p["lam"], float), int(p["k"])
        top, total = lam[:k].sum(), lam.sum()
        assert grade(capsys, tmp_path, tid, seed, f"{top / total:.3f}")["correct"]
        assert _tag(capsys, tmp_path, tid, seed, lam[k - 1] / total) == "only_kth"
        assert _tag(capsys, tmp_path, tid, seed, top / (total - top)) == "ratio_to_rest"
        assert _tag(capsys, tmp_path, tid, seed, k / lam.size) == "count_ratio"


def _counts(p: dict) -> tuple[float, float, float, float]:
    return tuple(float(p[k]) for k in ("tp", "fp", "fn", "tn"))  # type: ignore[return-value]


def test_precision_recall_swapped_and_accuracy_instead_of_f1(capsys, tmp_path) -> None:
    for seed in range(4):
        tp, fp, fn, tn = _counts(sample(capsys, tmp_path, "mleval.precision", seed)["params"])
        assert grade(capsys, tmp_path, "mleval.precision", seed, f"{tp / (tp + fp):.3f}")["correct"]
        assert (
            _tag(capsys, tmp_path, "mleval.precision", seed, tp / (tp + fn))
            == "precision_recall_swapped"
        )
        tp, fp, fn, tn = _counts(sample(capsys, tmp_path, "mleval.recall", seed)["params"])
        assert grade(capsys, tmp_path, "mleval.recall", seed, f"{tp / (tp + fn):.3f}")["correct"]
        assert (
            _tag(capsys, tmp_path, "mleval.recall", seed, tp / (tp + fp))
            == "precision_recall_swapped"
        )
        tp, fp, fn, tn = _counts(sample(capsys, tmp_path, "mleval.f1_vs_accuracy", seed)["params"])
        acc = (tp + tn) / (tp + fp + fn + tn)
        assert _tag(capsys, tmp_path, "mleval.f1_vs_accuracy", seed, acc) == "accuracy_not_f1"


def test_specificity_and_confusion_matrix(capsys, tmp_path) -> None:
    data = sample(capsys, tmp_path, "mleval.specificity", 3)
    tp, fp, fn, tn = _counts(data["params"])
    assert data["answer"] == pytest.approx(tn / (tn + fp))
    assert _tag(capsys, tmp_path, "mleval.specificity", 3, fp / (fp + tn)) == "fpr_not_specificity"

    data = sample(capsys, tmp_path, "mleval.confusion_matrix", 1)
    yt = np.asarray(data["params"]["yt"], int)
    yp = np.asarray(data["params"]["yp"], int)
    M = np.zeros((2, 2), int)
    for t, p in zip(yt, yp, strict=True):
        M[t, p] += 1
    np.testing.assert_array_equal(data["answer"], M)
    result = grade(capsys, tmp_path, "mleval.confusion_matrix", 1, json.dumps(M.T.tolist()))
    assert result["misconception"] == "transposed"


def _auc(y: np.ndarray, s: np.ndarray) -> float:
    pos, neg = s[y == 1], s[y == 0]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (pos.size * neg.size))


def _ap(y: np.ndarray, s: np.ndarray) -> float:
    order = np.argsort(-s, kind="stable")
    hits = y[order] == 1
    precision_at = np.cumsum(hits) / np.arange(1, y.size + 1)
    return float(precision_at[hits].sum() / hits.sum())


def test_roc_auc_and_average_precision_by_pairs_and_ranks(capsys, tmp_path) -> None:
    for seed in range(8):
        data = sample(capsys, tmp_path, "mleval.roc_auc", seed)
        y, s = (np.asarray(data["params"][k], float) for k in ("y", "s"))
        assert data["answer"] == pytest.approx(_auc(y, s))
        assert _tag(capsys, tmp_path, "mleval.roc_auc", seed, 1 - _auc(y, s)) == "reversed_scores"
        data = sample(capsys, tmp_path, "mleval.average_precision", seed)
        y, s = (np.asarray(data["params"][k], float) for k in ("y", "s"))
        assert data["answer"] == pytest.approx(_ap(y, s))


def test_model_calculations_match_numpy(capsys, tmp_path) -> None:
    for seed in range(5):
        p = sample(capsys, tmp_path, "mlmodels.ols_slope", seed)["params"]
        x, y = np.asarray(p["x"], float), np.asarray(p["y"], float)
        w = np.polyfit(x, y, 1)[0]
        assert sample(capsys, tmp_path, "mlmodels.ols_slope", seed)["answer"] == pytest.approx(w)
        assert _tag(capsys, tmp_path, "mlmodels.ols_slope", seed, (x @ y) / (x @ x)) == (
            "through_origin"
        )

        data = sample(capsys, tmp_path, "mlmodels.normal_equation_vector", seed)
        x, y = (np.asarray(data["params"][k], float) for k in ("x", "y"))
        X = np.column_stack([np.ones(3), x])
        np.testing.assert_allclose(data["answer"], np.linalg.solve(X.T @ X, X.T @ y), atol=1e-9)

        data = sample(capsys, tmp_path, "mlmodels.svm_margin", seed)
        assert data["answer"] == pytest.approx(2 / np.linalg.norm(data["params"]["w"]))

        data = sample(capsys, tmp_path, "mlmodels.hinge_loss", seed)
        f, t = (np.asarray(data["params"][k], float) for k in ("f", "t"))
        assert data["answer"] == pytest.approx(np.maximum(0, 1 - t * f).mean())

        data = sample(capsys, tmp_path, "mlmodels.kmeans_update", seed)
        X, C = (np.asarray(data["params"][k], float) for k in ("X", "C"))
        near = np.argmin(((X[:, None, :] - C[None]) ** 2).sum(-1), axis=1)
        np.testing.assert_allclose(data["answer"], X[near == 0].mean(axis=0))


def test_pca_score_and_lasso(capsys, tmp_path) -> None:
    for seed in range(5):
        data = sample(capsys, tmp_path, "mlmodels.pca_score", seed)
        X, j = np.asarray(data["params"]["X"], float), int(data["params"]["j"])
        Xc = X - X.mean(axis=0)
        _, vecs = np.linalg.eigh(Xc.T @ Xc)
        u = vecs[:, -1] * np.sign(vecs[np.argmax(np.abs(vecs[:, -1])), -1])
        np.testing.assert_allclose(u, [0.6, 0.8], atol=1e-9)
        assert data["answer"] == pytest.approx(Xc[j - 1] @ u)

        data = sample(capsys, tmp_path, "mlmodels.lasso_soft_threshold", seed)
        z, lam = np.asarray(data["params"]["z"], float), float(data["params"]["lam"])
        expected = np.sign(z) * np.maximum(np.abs(z) - lam, 0)
        np.testing.assert_allclose(data["answer"], expected)
        assert (expected == 0).any() and (expected != 0).any()


# --------------------------------------------------------------------------- coverage and form


def _is_code(t) -> bool:
    return bool(t.code) or any(o.code for o in t.answer.options or [])


def _texts(t) -> list:
    texts = [t.prompt, t.hint, t.explanation.summary, *t.explanation.steps]
    texts += [m.message for m in t.misconceptions]
    for o in t.answer.options or []:
        texts += [o.text, o.message]
    return [x for x in texts if x is not None]


def test_chapter_size_and_item_shapes(packs, templates) -> None:
    for pack_id, pack in packs.items():
        assert len(pack.templates) >= MINIMUM[pack_id], pack_id
        with_params = sum(1 for t in pack.templates if t.params)
        assert with_params / len(pack.templates) >= 0.6, pack_id
        assert pack.languages == ["ja", "en"]
        assert all(topic.field == "機械学習" for topic in pack.topics.values())
    assert len(templates) >= 48
    assert all(t.field == "機械学習" for t in templates)
    assert sum(1 for t in templates if _is_code(t)) >= 6
    assert all(t.convention == "code" for t in templates if _is_code(t))
    negative = [t for t in templates if "最も不適切" in t.prompt.ja and "INCORRECT" in t.prompt.en]
    assert len(negative) >= 3
    combination = [t for t in templates if "（あ）" in t.prompt.ja or "【イ】" in t.prompt.ja]
    assert len(combination) >= 3
    single = [t for t in templates if t.kind == "single_choice"]
    assert all(t.answer.count == 4 for t in single)


def test_multi_choice_number_of_correct_options_varies(capsys, tmp_path, templates) -> None:
    multi = [t.id for t in templates if t.kind == "multi_choice"]
    assert len(multi) >= 3
    for tid in multi:
        counts = set()
        for seed in range(12):
            data = sample(capsys, tmp_path, tid, seed)
            correct = data["answer"]
            counts.add(len(correct))
            assert len(correct) < len(data["choices"]), (tid, seed)
        assert len(counts) >= 2, tid


def test_calculations_have_hints_and_misconceptions(templates) -> None:
    for t in templates:
        if t.kind in ("numeric", "vector", "matrix"):
            assert t.hint is not None and t.hint.ja and t.hint.en, t.id
            assert t.misconceptions, t.id


def test_every_text_in_both_languages(templates) -> None:
    for t in templates:
        assert isinstance(t.prompt, Localized) and t.prompt.ja and t.prompt.en, t.id
        for text in _texts(t):
            if isinstance(text, Localized):
                assert text.ja and text.en, t.id
        for m in t.misconceptions:
            assert isinstance(m.message, Localized), t.id
            assert "{" not in m.message.ja and "{" not in m.message.en, t.id


# Japanese prose uses full-width （） and ：. Half-width ones are allowed only inside formulas
# and code: a "(" or ")" or ":" with Japanese text right inside or beside it is prose.
JA = r"[\u3040-\u30ff\u3400-\u9fff々ー、。（）「」]"
PROSE_HALF_WIDTH = re.compile(rf"\({JA}|{JA}\)|{JA}\s?:|:\s?{JA}")


def test_japanese_prose_uses_full_width_brackets_and_colons(templates) -> None:
    bad = []
    for t in templates:
        for text in _texts(t):
            ja = text.ja if isinstance(text, Localized) else text
            if ja and PROSE_HALF_WIDTH.search(ja):
                bad.append(f"{t.id}: {ja}")
    assert not bad, "\n".join(bad)
