"""Retention-curve fitting: Kaplan–Meier against lifelines, published and simulated fits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special

from model import churn as cd
from model.curves import FITTED, ConstantChurn, SBGCurve, churn_in_year
from model.fitting import Counts, best_by_aic, fit_all, kaplan_meier, km_curve
from tests.support import oracle
from tests.support.app import ROOT

CORPUS = ROOT / "tests" / "corpus" / "analysts"

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
    # heterogeneity beats constant churn on these data (sBdW is sBG with duration dependence)
    assert best_by_aic(fits) in ("sbg", "sbdw")
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


# --- issue 21, defect 1: a Weibull optimum far below expit(−30) is found, not clipped ----------------


def test_weibull_on_a_rare_late_churn_segment_matches_an_independent_fit():
    """The Telco look-alike's "Two year" segment: churn is rare and late, so θ is about 1e-14 —
    below expit(−30) = 9.4e-14, where the old fitter clipped the optimum (log-likelihood −1254
    instead of −674, constant churn chosen, a false tail warning)."""
    frame = pd.read_csv(CORPUS / "telco_like.csv")
    two = frame[frame.Contract == "Two year"]
    durations, churned = two.tenure.to_numpy(), (two.Churn == "Yes").to_numpy()
    fits = fit_all(Counts.from_arrays(durations, churned))
    ref = oracle.discrete_weibull(durations, churned)
    weibull = fits["weibull"]
    assert weibull.params["theta"] < special.expit(-30) / 2  # past the old clip
    assert weibull.loglik >= ref["log_likelihood"] - 1e-6  # at least as good as scipy's own
    assert weibull.loglik == pytest.approx(ref["log_likelihood"], abs=1e-4)
    assert weibull.params["c"] == pytest.approx(ref["c"], rel=1e-3)
    assert weibull.params["theta"] == pytest.approx(ref["theta"], rel=2e-2)
    # lifelines' continuous Weibull has the same survival at whole periods: a similar shape.
    assert weibull.params["c"] == pytest.approx(ref["lifelines_rho_"], rel=0.15)
    assert best_by_aic(fits) in ("weibull", "sbdw") and fits["constant"].aic > weibull.aic + 100
    # No false "disagrees with the data in the tail" warning, and the Weibull is the best curve.
    segment = next(f for f in cd.fit_upload(CORPUS / "telco_like.csv").fitted
                   if f.data.name == "Two year")
    assert not any(c.startswith("Weibull disagrees") for c in segment.checks), segment.checks


def test_a_degenerate_sbg_costs_tens_of_likelihood_calls_not_thousands(monkeypatch):
    """Constant-churn data send sBG's α and β to infinity; the fitter used to wander there with
    the simplex (16,875 calls for one 163-row segment)."""
    import model.fitting._likelihood as likelihood

    rng = np.random.default_rng(1)
    life, window = rng.geometric(0.05, 163), rng.integers(1, 40, 163)
    counts = Counts.from_arrays(np.minimum(life, window), life <= window)
    calls = []
    original = likelihood.loglik
    monkeypatch.setattr(likelihood, "loglik", lambda *a, **k: calls.append(1) or original(*a, **k))
    fits = fit_all(counts)
    assert len(calls) < 400, len(calls)
    assert fits["sbg"].loglik == pytest.approx(fits["constant"].loglik, abs=1e-3)
    assert min(fits["sbg"].params.values()) > 1e4  # the constant-churn limit, said in words
