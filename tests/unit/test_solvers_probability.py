"""solvers.probability: densities, mass functions and Bayes' rule."""

from __future__ import annotations

import math

import numpy as np
import pytest

import solvers


def test_normal_pdf():
    assert solvers.normal_pdf(0.0) == pytest.approx(1 / math.sqrt(2 * math.pi))
    x = np.array([-1.0, 0.5, 3.0])
    x.flags.writeable = False
    expected = np.exp(-((x - 1) ** 2) / (2 * 4)) / (2 * math.sqrt(2 * math.pi))
    np.testing.assert_allclose(solvers.normal_pdf(x, 1.0, 2.0), expected, rtol=1e-14)
    with pytest.raises(ValueError, match="sigma"):
        solvers.normal_pdf(0.0, 0.0, 0.0)


def test_bernoulli_and_binomial():
    np.testing.assert_allclose(solvers.bernoulli_pmf([0, 1, 2, 0.5], 0.3), [0.7, 0.3, 0, 0])
    np.testing.assert_array_equal(solvers.binomial_pmf([0, 1, 2, 3, 1.5], 2, 0.5),
                                  [0.25, 0.5, 0.25, 0.0, 0.0])  # fmt: skip
    assert solvers.binomial_pmf(2, 5, 0.3) == pytest.approx(10 * 0.3**2 * 0.7**3, rel=1e-14)
    assert solvers.binomial_pmf(0, 4, 0.0) == 1.0
    # large n (log space) still sums to 1
    assert np.sum(solvers.binomial_pmf(np.arange(201), 200, 0.37)) == pytest.approx(1.0)
    assert solvers.binomial_pmf(70, 100, 0.5) == pytest.approx(
        math.comb(100, 70) / 2**100, rel=1e-10
    )
    with pytest.raises(ValueError, match="p must be a probability"):
        solvers.binomial_pmf(1, 2, 1.5)
    with pytest.raises(ValueError, match="n must be a whole number"):
        solvers.binomial_pmf(1, 2.5, 0.5)


def test_poisson_and_multinomial():
    assert solvers.poisson_pmf(2, 3.0) == pytest.approx(9 / 2 * math.exp(-3), rel=1e-13)
    assert solvers.poisson_pmf(0, 0.0) == 1.0
    assert solvers.poisson_pmf(-1, 2.0) == 0.0
    assert np.sum(solvers.poisson_pmf(np.arange(60), 4.0)) == pytest.approx(1.0)
    # 3 fair coin flips: two heads and one tail in any order, 3/8
    assert solvers.multinomial_pmf([2, 1], [0.5, 0.5]) == pytest.approx(3 / 8, rel=1e-15)
    assert solvers.multinomial_pmf([1, 1, 1], [0.2, 0.3, 0.5]) == pytest.approx(6 * 0.03)
    with pytest.raises(ValueError, match="sum to 1"):
        solvers.multinomial_pmf([1, 1], [0.5, 0.6])
    with pytest.raises(ValueError, match=r"expected equal shapes \(K,\)"):
        solvers.multinomial_pmf([1, 1], [1.0])


def test_bayes_disease_test():
    # prevalence 1%, sensitivity 99%, false positive rate 5%
    prior = np.array([0.01, 0.99])
    prior.flags.writeable = False
    post = solvers.bayes(prior, [0.99, 0.05])
    assert post[0] == pytest.approx(0.0099 / (0.0099 + 0.0495))
    assert post.sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="evidence"):
        solvers.bayes([1.0, 0.0], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"expected equal shapes \(K,\)"):
        solvers.bayes([0.5, 0.5], [1.0])
