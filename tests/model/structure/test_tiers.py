"""Usage tiers as a Markov chain (Pfeifer & Carraway 2000): with every transition at zero the
model is the one-tier model to the cent; the chain is the matrix power when nothing else moves;
upgrades rise with attachment; tiers fitted from a customer file at two dates."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.assumptions import ScenarioError
from model.simulation import run
from model.structure import fit_tiers, parse_structure, run_structured

TIERS = [{"name": "User", "share": 0.6, "arpu": 40, "upgrade": 0.02},
         {"name": "Heavy", "share": 0.3, "arpu": 60, "churn_multiplier": 0.7, "upgrade": 0.01,
          "downgrade": 0.01},
         {"name": "Super", "share": 0.1, "arpu": 80, "churn_multiplier": 0.5,
          "referral_multiplier": 3, "downgrade": 0.01}]


def _frozen():
    return [{k: v for k, v in t.items() if k not in ("upgrade", "downgrade")} for t in TIERS]


def test_without_transitions_three_tiers_are_the_one_tier_model_to_the_bit():
    values = {"honesty": 0.9, "investment": 4e6}
    three = run_structured(values, parse_structure({"tiers": _frozen()})).run
    one = run_structured(values, parse_structure(
        {"tiers": [{"name": "All", "share": 1.0, "arpu": 0.6 * 40 + 0.3 * 60 + 0.1 * 80}]})).run
    plain = run({**values, "trust_arpu_uplift_max": 0.0, "arpu_monthly": 50.0})
    for k in ("delta_npv", "delta_inside_tenure", "npv_status_quo", "delta_end_value_arrivals"):
        assert getattr(three.summary, k) == getattr(one.summary, k) == getattr(plain.summary, k)
    np.testing.assert_array_equal(three.scenario["revenue"], plain.scenario["revenue"])


def test_the_status_quo_chain_is_the_matrix_power_when_nothing_else_moves():
    """No new customers (ρ = 0), no trust drift (g = 0): π_t = π_0·P^t."""
    values = {"new_customers_monthly": 0.0, "status_quo_trust_drift": 0.0, "horizon_years": 3}
    same_churn = [{**t, "churn_multiplier": 1.0} for t in TIERS]
    r = run_structured(values, parse_structure({"tiers": same_churn}))
    P = np.zeros((3, 3))
    up = [0.02, 0.01, 0.0]
    down = [0.0, 0.01, 0.01]
    for k in range(3):
        P[k, k] = 1 - up[k] - down[k]
        if k < 2:
            P[k, k + 1] = up[k]
        if k > 0:
            P[k, k - 1] = down[k]
    pi0 = np.array([0.6, 0.3, 0.1])
    for row in r.tiers["mix_by_year_status_quo"]:
        m = row["month"] - 1
        np.testing.assert_allclose([row[n] for n in ("User", "Heavy", "Super")],
                                   pi0 @ np.linalg.matrix_power(P, m), rtol=1e-12)


def test_upgrades_rise_with_attachment_and_honesty_makes_more_super_users():
    r = run_structured({"honesty": 1.0, "investment": 8e6}, parse_structure({"tiers": TIERS}))
    t = r.tiers
    assert t["super_users_horizon_end_scenario"] > t["super_users_horizon_end_status_quo"]
    assert t["super_users_tenure_end_scenario"] > t["super_users_tenure_end_status_quo"]
    assert t["super_users_today"] == pytest.approx(10_000)
    last = t["mix_by_year_scenario"][-1]
    assert sum(last[n] for n in ("User", "Heavy", "Super")) == pytest.approx(1.0)


def test_net_revenue_retention_without_transitions_is_the_survival_and_the_price():
    values = {"status_quo_trust_drift": 0.0, "horizon_years": 2}
    r = run_structured(values, parse_structure({"tiers": [
        {"name": "A", "share": 0.5, "arpu": 40}, {"name": "B", "share": 0.5, "arpu": 60}]}))
    sq = r.run.status_quo
    kept = float(np.prod(1 - sq["monthly_churn"].to_numpy()[:12]))
    price = (sq["revenue"][12] / sq["customers_active"][12]) / (sq["revenue"][0]
                                                                / sq["customers_active"][0])
    assert r.tiers["nrr_12_months_status_quo"] == pytest.approx(kept * price, rel=1e-9)
    assert r.tiers["nrr_12_months_scenario"] < r.tiers["nrr_12_months_status_quo"]  # bills cut


def _file():
    rows = ([("Basic", "Basic", 10)] * 70 + [("Basic", "Plus", 10)] * 10
            + [("Basic", "", 10)] * 20 + [("Plus", "Plus", 30)] * 40 + [("Plus", "Basic", 30)] * 5
            + [("Plus", "", 30)] * 5 + [("", "Plus", 30)] * 7)
    return pd.DataFrame(rows, columns=["plan_2024", "plan_2025", "mrr"])


def test_tiers_are_fitted_from_two_dates():
    fit = fit_tiers(_file(), "plan_2024", "plan_2025", 12, revenue="mrr")
    basic, plus = fit.tiers
    assert [basic["name"], plus["name"]] == ["Basic", "Plus"]  # by revenue
    assert fit.customers == 150 and fit.churned == 25
    assert basic["share"] == pytest.approx(100 / 150)
    assert basic["upgrade"] == pytest.approx(1 - (1 - 10 / 80) ** (1 / 12))
    assert plus["downgrade"] == pytest.approx(1 - (1 - 5 / 45) ** (1 / 12))
    assert basic["churn_multiplier"] == pytest.approx((20 / 100) / (25 / 150), rel=1e-5)
    assert plus["arpu"] == 30
    # The fitted tiers are a valid scenario's tiers.
    parse_structure({"tiers": [{**t, "share": t["share"]} for t in fit.tiers]})


@pytest.mark.parametrize("kwargs, message", [
    ({"then": "nope"}, "column 'nope' (the first date's tier) is not in the file"),
    ({"months": 0}, "months: 0 is not allowed"),
    ({"order": ["Plus"]}, "tier 'Basic' is in the file but not in the order given"),
])
def test_bad_tier_files_get_a_sentence(kwargs, message):
    args = {"then": "plan_2024", "now": "plan_2025", "months": 12, **kwargs}
    with pytest.raises(ScenarioError, match=re.escape(message)):
        fit_tiers(_file(), args.pop("then"), args.pop("now"), args.pop("months"), **args)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.floats(0.05, 1.0), st.floats(0.0, 0.2), st.floats(0.0, 0.2)),
                min_size=2, max_size=4),
       st.floats(0.0, 1.0), st.integers(1, 5))
def test_the_tier_mix_always_adds_up_to_one(rows, honesty, horizon):
    total = sum(r[0] for r in rows)
    shares = [r[0] / total for r in rows]
    shares[-1] = 1.0 - sum(shares[:-1])
    tiers = [{"name": f"T{k}", "share": s, "arpu": 10.0 * (k + 1),
              "upgrade": 0.0 if k == len(rows) - 1 else up,
              "downgrade": 0.0 if k == 0 else down}
             for k, (s, (_, up, down)) in enumerate(zip(shares, rows, strict=True))]
    r = run_structured({"honesty": honesty, "horizon_years": horizon},
                       parse_structure({"tiers": tiers}))
    for key in ("mix_by_year_status_quo", "mix_by_year_scenario"):
        for point in r.tiers[key]:
            mix = [point[t["name"]] for t in tiers]
            assert sum(mix) == pytest.approx(1.0, abs=1e-9) and min(mix) >= -1e-12
    assert r.tiers["nrr_12_months_scenario"] > 0
