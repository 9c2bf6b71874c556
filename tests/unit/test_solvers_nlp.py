"""solvers.nlp: BLEU (the original paper) and perplexity."""

from __future__ import annotations

import math

import numpy as np
import pytest

import solvers


def test_bleu_three_tokens_by_hand():
    # candidate "the cat sat" against "the cat sat down": p1 = 1, p2 = 1, p3 = 1
    # c = 3 < r = 4: BP = exp(1 − 4/3)
    assert solvers.bleu("the cat sat", ["the cat sat down"], max_n=3) == pytest.approx(
        math.exp(1 - 4 / 3)
    )
    # p1 = 2/3, p2 = 1/2 ("the cat" matches), max_n = 2; same length, BP = 1
    assert solvers.bleu(["the", "cat", "ran"], [["the", "cat", "sat"]], max_n=2) == (
        pytest.approx(math.sqrt(2 / 3 * 1 / 2))
    )


def test_bleu_clipping_and_zero():
    # the classic "the the the …": clipped to the reference count 2 → p1 = 2/7
    cand = ["the"] * 7
    refs = [["the", "cat", "is", "on", "the", "mat"], ["there", "is", "a", "cat"]]
    assert solvers.bleu(cand, refs, max_n=1) == pytest.approx(2 / 7)
    # no matching 4-gram: BLEU is 0 (no smoothing)
    assert solvers.bleu("a b c d", ["a b c e"]) == 0.0
    assert solvers.bleu("", ["a"]) == 0.0


def test_bleu_closest_reference_length_tie_to_shorter():
    # c = 2; references of length 1 and 3 are equally close: r = 1 → BP = 1
    assert solvers.bleu("a b", ["a", "a b c"], max_n=1) == pytest.approx(1.0)
    assert solvers.bleu("a b", ["a b c"], max_n=1) == pytest.approx(math.exp(1 - 3 / 2))


def test_perplexity():
    assert solvers.perplexity([0.25, 0.25]) == pytest.approx(4.0)
    p = np.array([0.5, 0.125])
    p.flags.writeable = False
    assert solvers.perplexity(p) == pytest.approx(4.0)  # geometric mean of 2 and 8
    assert solvers.perplexity([0.5, 0.0]) == math.inf
    with pytest.raises(ValueError, match="probabilities"):
        solvers.perplexity([1.5])
    with pytest.raises(ValueError, match="max_n"):
        solvers.bleu("a", ["a"], max_n=0)
    with pytest.raises(ValueError, match="at least one reference"):
        solvers.bleu("a", [])
