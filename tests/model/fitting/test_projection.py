"""Projection bands (delta method) against the closed form of constant churn, and the holdout
backtest on Fader & Hardie's published cohorts."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from model.fitting import (
    CalendarHoldout,
    Counts,
    backtest,
    calendar_backtest,
    fit_all,
    hazard_band,
    survival_band,
)

REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]  # Fader & Hardie (2007), Table 1


def cohort(survivors: list[float]) -> Counts:
    s = np.asarray(survivors, dtype=float)
    censored = np.zeros_like(s)
    censored[-1] = s[-1]
    return Counts(np.concatenate(([0.0], -np.diff(s))), censored)


def test_constant_churn_band_is_the_delta_method_in_closed_form():
    rng = np.random.default_rng(4)
    life, window = rng.geometric(0.05, 5000), rng.integers(1, 40, 5000)
    fit = fit_all(Counts.from_arrays(np.minimum(life, window), life <= window))["constant"]
    q, se = fit.params["churn"], fit.se["churn"]
    t = np.array([1.0, 12.0, 60.0])
    s, low, high = survival_band(fit, t)
    # log S = t log(1 − q); sd of log(−log S) = se / ((1 − q) |log(1 − q)|), whatever t.
    sd = se / ((1 - q) * abs(np.log1p(-q)))
    z = stats.norm.ppf(0.975)
    eta = np.log(-t * np.log1p(-q))
    np.testing.assert_allclose(low, np.exp(-np.exp(eta + z * sd)), rtol=1e-4)
    np.testing.assert_allclose(high, np.exp(-np.exp(eta - z * sd)), rtol=1e-4)
    assert np.all(low < s) and np.all(s < high)
    h, h_low, h_high = hazard_band(fit, t)
    np.testing.assert_allclose(h, q, rtol=1e-12)
    assert np.all(h_low < q) and np.all(q < h_high)
    np.testing.assert_allclose(h_high - h_low, 2 * z * se, rtol=0.02)  # ≈ q ± z·se


def test_bands_widen_past_the_data():
    fit = fit_all(cohort(REGULAR))["sbg"]
    _, low, high = survival_band(fit, np.array([3.0, 7.0, 20.0]))
    assert np.all(np.diff(np.log(high / low)) > 0)


def test_backtest_on_fader_hardie_prefers_the_heterogeneous_curves():
    b = backtest(cohort(REGULAR))
    assert b.cut == 4 and b.periods.tolist() == [5, 6, 7]
    np.testing.assert_allclose(b.observed, np.array(REGULAR[5:]) / 1000)
    assert b.mean_error["sbg"] < 0.015 and b.mean_error["constant"] > 0.08
    assert b.best in ("sbg", "sbdw")
    assert b.last_error["constant"] < -0.1  # constant churn under-projects retention
    assert backtest(cohort(REGULAR), cut=6).periods.tolist() == [7]
    assert backtest(cohort(REGULAR[:3])) is None  # too short to hold anything out


def test_censored_after_is_what_would_have_been_seen_then():
    c = Counts.from_arrays(np.array([1, 2, 3, 5, 8]), np.array([1, 0, 1, 1, 0], bool))
    seen = c.censored_after(3)
    assert seen.times.tolist() == [1, 2, 3] and seen.churned.tolist() == [1, 0, 1]
    assert seen.censored.tolist() == [0, 1, 2] and seen.n == c.n
    days = Counts.from_arrays(np.array([10, 40, 100]), np.array([1, 1, 0], bool), 30.436875)
    assert days.censored_after(1).times.tolist() == [10, 30]
    with pytest.raises(ValueError):
        days + Counts.from_arrays(np.array([1]), np.array([True]))


def test_calendar_backtest_projects_constant_churn_in_closed_form():
    """Under constant churn q, S(a + k) / S(a) = (1 − q)^k whatever the ages on the cut-off."""
    rng = np.random.default_rng(8)
    life, window = rng.geometric(0.05, 4000), rng.integers(1, 30, 4000)
    train = Counts.from_arrays(np.minimum(life, window), life <= window)
    ages = np.array([0.0, 2.5, 7.25, 20.0])
    steps = np.arange(1, 7)
    observed = 0.95 ** steps
    holdout = CalendarHoldout("2024-01-01", train, ages, np.array([10.0, 5.0, 1.0, 4.0]), steps,
                              observed)
    b = calendar_backtest(holdout)
    q = fit_all(train)["constant"].params["churn"]
    np.testing.assert_allclose(b.projected["constant"], (1 - q) ** steps, rtol=1e-12)
    assert b.customers == 20 and b.cut == "2024-01-01"
    assert b.mean_error["constant"] == pytest.approx(np.mean(np.abs((1 - q) ** steps - observed)))
    assert b.last_error["constant"] == pytest.approx((1 - q) ** 6 - 0.95 ** 6)
    # sBG: the survivors of older ages are more loyal, so older customers are retained better
    young, old = (calendar_backtest(CalendarHoldout("2024-01-01", train, np.array([a]),
                                                    np.ones(1), steps, observed)).projected["sbg"]
                  for a in (0.0, 20.0))
    assert np.all(old >= young - 1e-12)


def test_calendar_backtest_needs_churn_before_the_cut_off():
    quiet = Counts(np.zeros(5), np.full(5, 10.0))
    holdout = CalendarHoldout("2024-01-01", quiet, np.array([1.0]), np.ones(1), np.arange(1, 3),
                              np.array([0.9, 0.8]))
    assert calendar_backtest(holdout) is None
    assert calendar_backtest(None) is None
