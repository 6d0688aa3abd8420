"""Retention-curve fitting: Kaplan–Meier against lifelines, closed forms, published and simulated fits."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from model.curves import FITTED, ConstantChurn, RetentionCurve, hazard_table
from model.fitting import (
    Counts,
    GeometricCurve,
    KaplanMeierCurve,
    SBGCurve,
    WeibullCurve,
    best_by_aic,
    churn_in_year,
    fit_all,
    kaplan_meier,
    km_curve,
)
from tests.support import oracle

# Fader & Hardie (2007), "How to project customer retention", Table 1 and §4.
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]


def survivors_to_counts(survivors: list[float]) -> Counts:
    s = np.asarray(survivors, dtype=float)
    censored = np.zeros_like(s)
    censored[-1] = s[-1]
    return Counts(np.concatenate(([0.0], -np.diff(s))), censored)


def simulate(rng: np.random.Generator, kind: str, params: dict[str, float], n: int,
             max_window: int = 36) -> tuple[np.ndarray, np.ndarray]:
    """Lifetimes from a known curve, right-censored at a random observation window."""
    if kind == "sbg":
        life = rng.geometric(rng.beta(params["alpha"], params["beta"], n))
    elif kind == "weibull":
        u = rng.uniform(size=n)
        life = np.maximum(1, np.ceil((np.log(u) / np.log1p(-params["theta"]))
                                     ** (1 / params["c"]))).astype(int)
    else:
        life = rng.geometric(params["churn"], n)
    window = rng.integers(1, max_window + 1, n)
    churned = life <= window
    return np.where(churned, life, window), churned


# --- Kaplan–Meier ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kaplan_meier_equals_lifelines(seed):
    rng = np.random.default_rng(seed)
    durations, churned = simulate(rng, "sbg", {"alpha": 0.8, "beta": 4.0}, 3000, max_window=24)
    km = kaplan_meier(Counts.from_arrays(durations, churned))
    ref = oracle.kaplan_meier(durations, churned)
    event_times = np.unique(durations[churned])
    at = np.isin(ref["timeline"], event_times)
    np.testing.assert_allclose(km.survival_at(event_times), ref["survival"][at], rtol=0, atol=1e-9)
    # The band: lifelines' default log(−log) Greenwood interval.
    mine = np.isin(km.times, event_times)
    np.testing.assert_allclose(km.lower_[mine], ref["lower"][at], atol=1e-9)
    np.testing.assert_allclose(km.upper_[mine], ref["upper"][at], atol=1e-9)


def test_kaplan_meier_handles_everyone_churning_and_ties_with_censoring():
    counts = Counts.from_arrays(np.array([1, 1, 2, 2, 3]), np.array([1, 0, 1, 1, 1], bool))
    km = kaplan_meier(counts)
    # n: 5 at t=1 (1 churn), 3 at t=2 (2 churns), 1 at t=3 (1 churn).
    np.testing.assert_allclose(km.survival_, [0.8, 0.8 / 3, 0.0])
    assert np.all(km.lower_ <= km.survival_ + 1e-12)
    assert np.all(km.upper_ >= km.survival_ - 1e-12)


def test_counts_aggregate_like_a_python_loop():
    rng = np.random.default_rng(5)
    d = rng.integers(0, 20, 500)
    e = rng.uniform(size=500) < 0.4
    c = Counts.from_arrays(d, e)
    for t in range(20):
        assert c.churned_at(t) == np.sum((d == t) & e)
        assert c.censored_at(t) == np.sum((d == t) & ~e)
    both = c + Counts.from_arrays(np.array([25]), np.array([True]))
    assert both.n == 501 and both.churned_at(25) == 1 and both.max_duration == 25


# --- closed forms -------------------------------------------------------------------------------


@pytest.mark.parametrize(("alpha", "beta"), [(0.704, 1.182), (0.668, 3.806), (2.5, 40.0)])
def test_sbg_survival_and_retention_match_closed_forms(alpha, beta):
    curve = SBGCurve(alpha, beta)
    t = np.arange(0, 30)
    np.testing.assert_allclose(curve.survival(t),
                               special.beta(alpha, beta + t) / special.beta(alpha, beta),
                               rtol=1e-12)
    tt = np.arange(1, 30)
    r = (beta + tt - 1) / (alpha + beta + tt - 1)
    np.testing.assert_allclose(curve.retention(tt), r, rtol=1e-12)
    np.testing.assert_allclose(curve.survival(tt) / curve.survival(tt - 1), r, rtol=1e-12)
    # Fader & Hardie's recursion: P(T=1) = α/(α+β), P(T=t) = (β+t−2)/(α+β+t−1) · P(T=t−1).
    p = [alpha / (alpha + beta)]
    for k in range(2, 30):
        p.append(p[-1] * (beta + k - 2) / (alpha + beta + k - 1))
    np.testing.assert_allclose(-np.diff(curve.survival(np.arange(0, 30))), p, rtol=1e-10)
    np.testing.assert_allclose(curve.monthly_hazard(np.arange(10.0)),
                               alpha / (alpha + beta + np.arange(10.0)), rtol=1e-12)


def test_weibull_and_constant_closed_forms():
    w = WeibullCurve(0.1, 0.7)
    t = np.arange(0, 20)
    np.testing.assert_allclose(w.survival(t), 0.9 ** (t ** 0.7), rtol=1e-12)
    assert np.all(np.diff(w.monthly_hazard(np.arange(1.0, 20.0))) < 0)  # c < 1: churn falls
    g = GeometricCurve(0.05)
    np.testing.assert_allclose(g.survival(t), 0.95 ** t, rtol=1e-12)
    assert g.monthly().monthly_churn == pytest.approx(0.05)


def test_fitted_curves_follow_the_protocol_and_are_hashable():
    for curve in (SBGCurve(1, 2), WeibullCurve(0.1, 0.8), GeometricCurve(0.1).monthly(),
                  KaplanMeierCurve((1.0, 0.8, 0.7), SBGCurve(1, 2))):
        assert isinstance(curve, RetentionCurve)
        hash(curve)
        h = hazard_table(curve)
        assert np.all((h >= 0) & (h <= 1))


# --- years → months ---------------------------------------------------------------------------


@pytest.mark.parametrize("curve", [SBGCurve(0.7, 1.2, 12), WeibullCurve(0.3, 0.6, 12),
                                   KaplanMeierCurve((1.0, 0.6, 0.45, 0.4), None, 12)])
def test_yearly_curves_match_at_whole_years_with_constant_hazard_inside_a_year(curve):
    monthly = curve.monthly_hazard(np.arange(0.0, 12 * 6))
    surv_months = np.concatenate(([1.0], np.cumprod(1 - monthly)))
    np.testing.assert_allclose(surv_months[::12], curve.survival(np.arange(0, 7)), rtol=1e-10)
    for year in range(6):
        block = monthly[12 * year:12 * (year + 1)]
        assert np.ptp(block) < 1e-15
        assert block[0] == pytest.approx(1 - (1 - curve.period_hazard(np.array(year))) ** (1 / 12))


def test_constant_fit_on_yearly_data_becomes_the_equivalent_monthly_churn():
    counts = Counts.from_arrays(*simulate(np.random.default_rng(4), "constant", {"churn": 0.2},
                                          5000, 10))
    fit = fit_all(counts, months_per_period=12)["constant"]
    assert isinstance(fit.monthly_curve, ConstantChurn)
    assert churn_in_year(fit.monthly_curve, 1) == pytest.approx(fit.params["churn"], rel=1e-12)


# --- Kaplan–Meier as a curve ------------------------------------------------------------------------


def test_km_curve_follows_the_steps_then_the_tail():
    km = kaplan_meier(survivors_to_counts(REGULAR))
    tail = SBGCurve(0.704, 1.182)
    curve = km_curve(km, tail)
    np.testing.assert_allclose(curve.survival(np.arange(8)), np.array(REGULAR) / 1000, rtol=1e-12)
    # Past the last observed period (7) the hazard is the tail's.
    np.testing.assert_allclose(curve.monthly_hazard(np.arange(7.0, 30.0)),
                               tail.monthly_hazard(np.arange(7.0, 30.0)), rtol=1e-12)
    bare = km_curve(km)  # no tail: the last observed hazard carries on
    assert bare.monthly_hazard(np.array([50.0]))[0] == pytest.approx(1 - 241 / 262)


# --- maximum likelihood --------------------------------------------------------------------------


@pytest.mark.parametrize(("survivors", "alpha", "beta", "loglik"),
                         [(REGULAR, 0.704, 1.182, -1680.3), (HIGH_END, 0.668, 3.806, -1611.2)])
def test_sbg_rebuilds_fader_hardie_published_estimates(survivors, alpha, beta, loglik):
    fits = fit_all(survivors_to_counts(survivors))
    sbg = fits["sbg"]
    assert sbg.params["alpha"] == pytest.approx(alpha, abs=6e-4)
    assert sbg.params["beta"] == pytest.approx(beta, abs=6e-4)
    assert sbg.loglik == pytest.approx(loglik, abs=0.05)
    assert best_by_aic(fits) == "sbg"  # heterogeneity beats constant churn on these data
    assert fits["constant"].aic > sbg.aic + 10


@pytest.mark.parametrize(("kind", "params"), [
    ("sbg", {"alpha": 0.7, "beta": 3.0}),
    ("sbg", {"alpha": 2.0, "beta": 30.0}),
    ("weibull", {"theta": 0.08, "c": 0.7}),
    ("weibull", {"theta": 0.05, "c": 1.3}),
    ("constant", {"churn": 0.04}),
])
def test_fits_recover_parameters_of_large_simulated_samples(kind, params):
    rng = np.random.default_rng(sum(map(ord, kind)) + int(100 * sum(params.values())))
    counts = Counts.from_arrays(*simulate(rng, kind, params, 200_000, max_window=48))
    fits = fit_all(counts)
    fit = fits[kind]
    for name, true in params.items():
        se = fit.se[name]
        assert np.isfinite(se) and se > 0
        assert abs(fit.params[name] - true) < 4 * se, (name, fit.params[name], true, se)
    assert best_by_aic(fits) == kind or kind == "constant"
    for f in fits.values():
        assert f.aic == pytest.approx(2 * len(f.params) - 2 * f.loglik)


def test_constant_churn_standard_error_matches_fisher_information():
    rng = np.random.default_rng(11)
    counts = Counts.from_arrays(*simulate(rng, "constant", {"churn": 0.05}, 20_000))
    fit = fit_all(counts)["constant"]
    deaths, exposure = counts.n_churned, counts.exposure
    q = deaths / exposure
    assert fit.params["churn"] == pytest.approx(q, rel=1e-7)
    info = deaths / q**2 + (exposure - deaths) / (1 - q) ** 2
    assert fit.se["churn"] == pytest.approx(1 / np.sqrt(info), rel=1e-4)


def test_every_model_is_fitted_and_named():
    fits = fit_all(survivors_to_counts(REGULAR))
    assert set(fits) == {m.key for m in FITTED}
    assert set(fits["sbg"].params) == {"alpha", "beta"}
    assert set(fits["weibull"].params) == {"theta", "c"}
    assert set(fits["constant"].params) == {"churn"}


def test_no_churn_cannot_be_fitted():
    with pytest.raises(ValueError, match="no churn"):
        fit_all(Counts.from_arrays(np.array([3, 4, 5]), np.zeros(3, bool)))


def test_churn_in_year_of_a_constant_curve_is_the_annual_rate():
    curve = ConstantChurn.from_annual(0.2)
    assert churn_in_year(curve, 1) == pytest.approx(0.2)
    assert churn_in_year(curve, 5) == pytest.approx(0.2)
    sbg = SBGCurve(0.7, 12.0)
    assert churn_in_year(sbg, 5) < churn_in_year(sbg, 1)  # survivors are the loyal ones


def test_survival_as_modelled_matches_whole_periods_and_the_monthly_model_inside():
    curve = SBGCurve(0.7, 1.2, 12)
    t = np.arange(0, 6)
    np.testing.assert_allclose(curve.survival_as_modelled(t), curve.survival(t), rtol=1e-12)
    months = np.arange(0, 72)
    monthly = np.concatenate(([1.0], np.cumprod(1 - curve.monthly_hazard(months.astype(float)))))
    np.testing.assert_allclose(curve.survival_as_modelled(np.arange(0, 73) / 12), monthly,
                               rtol=1e-10)
