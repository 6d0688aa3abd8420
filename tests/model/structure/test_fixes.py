"""A portfolio of fixes: each fix's cost and effect, the budget buys them in ranking order, the
ranking is by value per dollar, and the Monte Carlo and tornado treat each effect as uncertain."""

from __future__ import annotations

import numpy as np
import pytest

from model.analysis import full_analysis, monte_carlo, tornado
from model.simulation import run
from model.structure import (
    Structured,
    budget_curve,
    buys,
    parse_structure,
    rank_fixes,
    run_structured,
)

FIXES = [{"name": "Billing", "capex": 1e6, "opex_per_year": 1e5, "churn_share": 0.08},
         {"name": "Onboarding", "capex": 2e6, "opex_per_year": 2e5,
          "churn_share": {"low": 0.05, "likely": 0.1, "high": 0.15}, "build_months": 6},
         {"name": "App", "capex": 4e6, "churn_share": 0.01}]


def test_a_fix_without_effect_costs_exactly_its_discounted_costs():
    values = {"honesty": 0.5, "investment": 1e6, "horizon_years": 5}
    none = run_structured({**values, "investment": 0.0},
                          parse_structure({"fixes": [{**FIXES[0], "churn_share": 0.0}]})).run
    one = run_structured(values, parse_structure({"fixes": [{**FIXES[0], "churn_share": 0.0}]}))
    assert one.fixes_bought == ["Billing"]
    sc = one.run.scenario
    cost = ((sc["investment_spend"] + sc["run_cost"]) * sc["discount_factor"]).sum()
    assert sc["investment_spend"].sum() == pytest.approx(1e6)
    assert sc["run_cost"].sum() == pytest.approx(1e5 / 12 * (60 - 12))
    assert (one.run.summary.delta_npv_excl_terminal - none.summary.delta_npv_excl_terminal
            == pytest.approx(-cost, rel=1e-9))


def test_one_fix_that_buys_everything_is_the_plain_lever_at_full_strength():
    """The plain lever's diminishing returns f = K/(K + K½) → 1 as K½ → 0."""
    e, K = 0.3, 6e6
    plain = run({"investment": K, "fix_churn_reduction_max": e, "fix_half_investment": 1_000.0,
                 "fix_run_cost_share": 0.15}).summary
    fix = run_structured({"investment": K}, parse_structure({"fixes": [
        {"name": "All", "capex": K, "opex_per_year": 0.15 * K, "churn_share": e}]})).run.summary
    assert fix.delta_npv == pytest.approx(plain.delta_npv, rel=1e-3)
    assert fix.delta_inside_tenure == pytest.approx(plain.delta_inside_tenure, rel=1e-3)


def test_a_budget_buys_the_best_value_per_dollar_first_skipping_what_does_not_fit():
    s = parse_structure({"fixes": FIXES})
    ranking = rank_fixes({}, s)
    assert [r.rank for r in ranking] == [1, 2, 3]
    assert all(a.value_per_dollar >= b.value_per_dollar
               for a, b in zip(ranking, ranking[1:], strict=False))
    by_name = {r.name: r for r in ranking}
    assert by_name["Billing"].cost_in_horizon > 1e6  # capex + run cost
    first = ranking[0]
    assert buys({}, s, first.capex) == [first.name]
    assert buys({}, s, 0.0) == []
    assert buys({}, s, 7e6) == [r.name for r in ranking]
    # 4.5M: the best two if they fit, then whatever else still fits.
    left, bought = 4.5e6, []
    for r in ranking:
        if r.capex <= left:
            bought.append(r.name)
            left -= r.capex
    assert buys({}, s, 4.5e6) == bought


def test_the_budget_curve_adds_one_fix_at_a_time():
    s = parse_structure({"fixes": FIXES})
    curve = budget_curve({}, s)
    assert [len(p["fixes"]) for p in curve] == [0, 1, 2, 3]
    assert curve[0]["delta_npv"] == pytest.approx(run_structured(
        {"investment": 0.0}, s).run.summary.delta_npv)
    assert curve[-1]["churn_removed_share"] == pytest.approx(0.19)


def test_a_fix_for_one_segment_leaves_the_other_alone():
    seg = [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5, "churn": 0.3}]
    with_fix = run_structured({"investment": 1e6}, parse_structure(
        {"segments": seg, "fixes": [{**FIXES[0], "segments": ["A"]}]})).segments
    without = run_structured({"investment": 1e6}, parse_structure(
        {"segments": seg, "fixes": [{**FIXES[0], "segments": ["A"], "churn_share": 0.0,
                                     "capex": 2e6}]})).segments  # too dear: bought by nobody
    assert with_fix[1]["delta_npv_in_scenario"] == pytest.approx(
        without[1]["delta_npv_in_scenario"], rel=1e-12)
    assert with_fix[0]["delta_npv_in_scenario"] != without[0]["delta_npv_in_scenario"]


def test_one_segment_monte_carlo_is_the_plain_one():
    values = {"honesty": 0.7}
    plain = monte_carlo(values, None, draws=300, seed=3)
    one = monte_carlo(values, Structured(parse_structure(
        {"segments": [{"name": "All", "share": 1.0}]}), values), draws=300, seed=3)
    np.testing.assert_allclose(one.delta_npv, plain.delta_npv, rtol=1e-9)


def test_the_monte_carlo_and_tornado_treat_each_fix_as_uncertain():
    values = {"investment": 3e6}
    s = parse_structure({"fixes": FIXES})
    mc = monte_carlo(values, Structured(s, values), draws=400, seed=1)
    certain = parse_structure({"fixes": [FIXES[0], {**FIXES[1], "churn_share": 0.1}, FIXES[2]]})
    mc0 = monte_carlo(values, Structured(certain, values), draws=400, seed=1)
    assert not np.array_equal(mc.delta_npv, mc0.delta_npv)
    torn = tornado(values, Structured(s, values))
    rows = {r.name: r for r in torn.rows}
    assert "fix_share_1" in rows and "fix_share_0" not in rows
    row = rows["fix_share_1"]
    assert row.to_dict()["label"] == "Fix: Onboarding (share of churn)"
    assert row.delta_npv_high > row.delta_npv_low
    # Same seed, same numbers.
    again = monte_carlo(values, Structured(s, values), draws=400, seed=1)
    np.testing.assert_array_equal(again.delta_npv, mc.delta_npv)


def test_full_analysis_with_structure_reports_the_structured_run():
    values = {"investment": 3e6}
    s = parse_structure({"segments": [{"name": "A", "share": 0.6},
                                      {"name": "B", "share": 0.4, "arpu": 90}],
                         "fixes": FIXES})
    out = full_analysis(values, None, draws=200, seed=0, structure=s)
    assert out["run"]["delta_npv"] == pytest.approx(
        run_structured(values, s).run.summary.delta_npv, rel=1e-12)
    assert [r["segment"] for r in out["structure"]["segments"]] == ["A", "B"]
    assert out["structure"]["fixes"]["ranking"][0]["rank"] == 1
