"""Issue 9's checks of the honest model: caps are caps, trust has a threshold, the market has an
edge, the end value does not depend on the horizon, and the Gupta–Lehmann–Stuart reconciliation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import defaults, run
from model.proportion import money_warnings

NO_ACQUISITION = {"new_customers_monthly": 0.0, "referral_rate_full_trust": 0.0,
                  "status_quo_trust_drift": 0.0, "cac_inflation_annual": 0.0}


def floor_of(v: dict) -> float:
    """annual_churn × (1 − d − e_fix) × (1 − e_trust), in monthly terms (the hazard multiplies)."""
    q = 1 - (1 - v["annual_churn"]) ** (1 / 12)
    d, e, t = (v["disappointment_churn_share"], v["fix_churn_reduction_max"],
               v["trust_churn_reduction_max"])
    return q * (1 - d - e) * (1 - t)


def test_full_honesty_and_unlimited_fixes_reach_the_churn_floor_and_no_lower():
    v = {**defaults(), "honesty": 1.0, "investment": 1e11, "trust_gain_honesty": 1.0,
         "horizon_years": 20, "turmoil_months": 0}
    churn = run(v).scenario["monthly_churn"].to_numpy()
    floor = floor_of(v)
    assert churn.min() >= floor * (1 - 1e-9)
    # Held long enough (the over-sold gone, trust full): at the floor within 1 %.
    assert churn[-1] == pytest.approx(floor, rel=0.01)


@settings(max_examples=30, deadline=None)
@given(d=st.floats(0, 0.9), e=st.floats(0, 0.9), t=st.floats(0, 0.9), p=st.floats(0, 0.9))
def test_no_channel_removes_more_than_its_share(d, e, t, p):
    v = {**defaults(), "honesty": 1.0, "investment": 1e11, "trust_gain_honesty": 1.0,
         "disappointment_churn_share": d, "fix_churn_reduction_max": e,
         "trust_churn_reduction_max": t, "overpromise_share": p, "horizon_years": 5}
    churn = run(v).scenario["monthly_churn"].to_numpy()
    # d above 0.9·p is capped, and e at what d leaves: the floor can only be higher.
    floor = floor_of({**v, "disappointment_churn_share": min(d, 1.0),
                      "fix_churn_reduction_max": min(e, 1 - min(d, 1.0))})
    assert churn.min() >= floor * (1 - 1e-9)


def test_todays_trust_changes_the_answer():
    low = run({**defaults(), "trust_initial": 0.2}).summary.delta_npv
    high = run({**defaults(), "trust_initial": 0.9}).summary.delta_npv
    assert abs(low - high) > 0.1 * abs(low)


def test_customers_never_exceed_the_market():
    for market in (defaults()["market_size"], 300_000):
        v = {**defaults(), "referral_rate_full_trust": 0.05, "market_size": market,
             "horizon_years": 20}
        r = run(v)
        s = r.summary
        assert s.peak_customers_scenario <= market * (1 + 1e-12)
        assert s.peak_customers_scenario > 0.7 * market  # the bound is what binds
    assert r.scenario["customers_active"].max() <= s.peak_customers_scenario


@pytest.mark.parametrize("overrides", [{}, {"disappointment_churn_share": 0.0}])
def test_stationary_value_does_not_depend_on_the_horizon(overrides):
    """Levers off, no acquisition: NPV + end value is the same at 1, 5, 10 and 20 years."""
    values = [run({**defaults(), **NO_ACQUISITION, **overrides, "honesty": 0.0,
                   "investment": 0.0, "horizon_years": h}).summary.npv_status_quo
              for h in (1, 5, 10, 20)]
    np.testing.assert_allclose(values, values[0], rtol=1e-9)


def test_settled_effects_give_the_same_delta_at_10_and_20_years():
    """Levers on, no acquisition, effects settled: ΔNPV over 10 and 20 years within 1 %."""
    base = {**defaults(), **NO_ACQUISITION, "disappointment_churn_share": 0.0,
            "trust_build_months": 6}
    ten = run({**base, "horizon_years": 10}).summary.delta_npv
    twenty = run({**base, "horizon_years": 20}).summary.delta_npv
    assert twenty == pytest.approx(ten, rel=0.01)


def test_run_cost_after_the_horizon_is_the_run_cost_inside_it():
    """Fixes with no effect: only cost. The end value carries the run cost as a perpetuity, so
    the loss is the same whichever horizon is chosen."""
    base = {**defaults(), **NO_ACQUISITION, "honesty": 0.0, "fix_churn_reduction_max": 0.0,
            "trust_gain_fixes": 0.0, "turmoil_cost_share": 0.0, "turmoil_churn_increase": 0.0}
    deltas = [run({**base, "horizon_years": h}).summary.delta_npv for h in (2, 5, 20)]
    np.testing.assert_allclose(deltas, deltas[0], rtol=1e-9)
    K = base["investment"]
    i = (1 + base["discount_rate_annual"]) ** (1 / 12) - 1
    build = base["build_months"]
    spend = sum(K / build / (1 + i) ** (t + 1) for t in range(build))
    running = K * base["fix_run_cost_share"] / 12 / i / (1 + i) ** build
    assert deltas[0] == pytest.approx(-(spend + running), rel=1e-9)


def test_money_out_of_proportion_is_flagged():
    small = {**defaults(), "customers": 5_000, "new_customers_monthly": 90}
    messages = money_warnings(small)
    assert any("investment" in m for m in messages)
    assert any("fix_half_investment" in m for m in messages)
    assert money_warnings(defaults()) == []


@settings(max_examples=40, deadline=None)
@given(h=st.floats(0, 1), k=st.floats(0, 5e7), tau=st.floats(0, 0.95), p=st.floats(0, 0.9),
       growth=st.floats(0, 5_000), market=st.integers(100_000, 10_000_000))
def test_without_any_customer_response_the_switch_never_pays(h, k, tau, p, growth, market):
    """The Monte Carlo's no-response draw zeroes every Assumption.response: what is left of the
    switch is its cost, so ΔNPV ≤ 0 (the market's headroom can only give back part of the
    customers the switch forgoes)."""
    from model.assumptions import RESPONSE_NAMES

    v = {**defaults(), **{name: 0.0 for name in RESPONSE_NAMES}, "honesty": h,
         "investment": k, "trust_initial": tau, "overpromise_share": p,
         "new_customers_monthly": growth, "market_size": market}
    s = run(v).summary
    scale = max(1.0, abs(s.npv_status_quo))
    assert s.delta_npv <= 1e-9 * scale
    assert s.delta_npv_excl_terminal <= 1e-9 * scale


def test_the_new_assumptions_are_in_the_registry_with_their_ranges():
    from model.assumptions import BY_NAME

    for name, response in (("market_size", False), ("trust_threshold", False),
                           ("status_quo_trust_drift", True), ("cac_inflation_annual", True)):
        a = BY_NAME[name]
        assert a.unit and a.meaning and a.min <= a.default <= a.max
        assert a.response is response
    assert BY_NAME["status_quo_trust_drift"].max == 0.0  # trust never drifts up by itself


@pytest.mark.parametrize("segments", [1, 2])
def test_the_plain_loops_for_few_series_equal_the_numpy_flow(segments):
    """A run of two series takes a plain Python loop (unrolled for one segment); a batch of 17
    takes numpy. The same scenario in both gives the same months."""
    from model.curves import ConstantChurn
    from model.simulation import Baseline, Segment, simulate

    baseline = None if segments == 1 else Baseline((
        Segment("a", 60_000, 45.0, ConstantChurn.from_annual(0.3), 0.7),
        Segment("b", 40_000, 70.0, ConstantChurn.from_annual(0.1), 0.3)))
    v = {**defaults(), "referral_rate_full_trust": 0.01, "market_size": 150_000}
    few = simulate({k: np.full(2, float(x)) for k, x in v.items()}, baseline)
    many = simulate({k: np.full(17, float(x)) for k, x in v.items()}, baseline)
    for name in ("customers", "churned", "new_bought", "new_referred", "profit"):
        np.testing.assert_allclose(getattr(few, name)[1], getattr(many, name)[16], rtol=1e-12,
                                   err_msg=name)
    np.testing.assert_allclose(few.terminal_value[1], many.terminal_value[16], rtol=1e-12)
