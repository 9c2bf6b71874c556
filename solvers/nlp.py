"""Language-model and translation metrics: BLEU and perplexity."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from ._arrays import as_float

__all__ = ["bleu", "perplexity"]


def _tokens(what: str, name: str, seq) -> list:
    """A token sequence: a text (split on whitespace) or a sequence of tokens."""
    if isinstance(seq, str):
        return seq.split()
    if isinstance(seq, np.ndarray):
        if seq.ndim != 1:
            raise ValueError(f"{what}: {name} has shape {seq.shape}, expected tokens (L,)")
        return seq.tolist()
    try:
        return list(seq)
    except TypeError:
        raise ValueError(f"{what}: {name} must be a text or a sequence of tokens") from None


def _ngrams(tokens: list, n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def bleu(candidate, references, max_n=4):
    """Sentence BLEU (Papineni et al. 2002), no smoothing.

    BLEU = BP · exp(Σ_{n=1}^{N} (1/N) log p_n), N = ``max_n``, where p_n is the
    modified n-gram precision: each candidate n-gram counted at most as often
    as in the reference where it occurs most (clipped counts), divided by the
    number of candidate n-grams. BP = 1 if c > r, else exp(1 − r/c), with c the
    candidate length and r the reference length closest to c (the shorter on a
    tie). BLEU is 0 when some p_n is 0 (also when the candidate has fewer than
    N tokens). Equals ``nltk.translate.bleu_score.sentence_bleu`` with uniform
    weights when every p_n > 0.

    ``candidate``: a sequence of tokens, or a text split on whitespace;
    ``references``: a list of such sequences (a single text is one reference).
    Returns a float in [0, 1].
    """
    if isinstance(max_n, (bool, np.bool_)) or int(max_n) != max_n or max_n < 1:
        raise ValueError(f"bleu: max_n must be a whole number ≥ 1, got {max_n!r}")
    max_n = int(max_n)
    cand = _tokens("bleu", "candidate", candidate)
    if isinstance(references, str):
        references = [references]
    refs = [_tokens("bleu", "a reference", r) for r in references]
    if not refs:
        raise ValueError("bleu: references is empty; give at least one reference")
    c = len(cand)
    if c == 0:
        return np.float64(0.0)
    log_sum = 0.0
    for n in range(1, max_n + 1):
        counts = _ngrams(cand, n)
        total = sum(counts.values())
        max_ref: dict = {}
        for ref in refs:  # the elementwise maximum of the counts over the references
            for g, k in _ngrams(ref, n).items():
                if k > max_ref.get(g, 0):
                    max_ref[g] = k
        clipped = sum(min(k, max_ref.get(g, 0)) for g, k in counts.items())
        if clipped == 0:
            return np.float64(0.0)
        log_sum += math.log(clipped / total) / max_n
    r = min((abs(len(ref) - c), len(ref)) for ref in refs)[1]
    bp = 1.0 if c > r else math.exp(1.0 - r / c)
    return np.float64(bp * math.exp(log_sum))


def perplexity(probs_of_true_tokens):
    """Perplexity PP = exp(−(1/T) Σ_t log p_t) of the probabilities the model gave the T
    true tokens (the geometric mean of 1/p_t).

    ``probs_of_true_tokens``: any shape, all elements are tokens, 0 ≤ p ≤ 1
    (p = 0 gives inf). Returns a float ≥ 1.
    """
    p = as_float(probs_of_true_tokens)
    if p.size == 0 or not np.all((p >= 0) & (p <= 1)):
        raise ValueError("perplexity: expected probabilities in [0, 1], at least one")
    with np.errstate(divide="ignore"):
        return np.float64(np.exp(-np.mean(np.log(p))))
