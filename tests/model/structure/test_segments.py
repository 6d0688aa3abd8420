"""Segments with their own economics: one segment is the plain model to the cent, segments with
the same economics add up to the whole, and the per-segment table says where bad profits sit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.curves import ConstantChurn
from model.simulation import Baseline, Segment, run
from model.structure import (
    honest_ltv,
    parse_structure,
    run_structured,
    segments_from_calibration,
)

FIELDS = ("delta_npv", "delta_npv_excl_terminal", "delta_inside_tenure", "npv_status_quo",
          "npv_scenario", "deepest_sacrifice", "customers_end_scenario",
          "delta_end_value_active", "delta_end_value_arrivals")


def _segments(*shares, **extra):
    return parse_structure({"segments": [{"name": f"S{i}", "share": s, **extra}
                                         for i, s in enumerate(shares)]})


def test_one_segment_is_the_plain_model_to_the_bit():
    plain = run({"honesty": 0.8, "investment": 3e6})
    one = run_structured({"honesty": 0.8, "investment": 3e6}, _segments(1.0)).run
    for k in FIELDS:
        assert getattr(one.summary, k) == getattr(plain.summary, k), k
    np.testing.assert_array_equal(one.scenario["profit"], plain.scenario["profit"])
    np.testing.assert_array_equal(one.status_quo["customers_active"],
                                  plain.status_quo["customers_active"])


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(1, 20), min_size=2, max_size=5),
       st.floats(0.0, 1.0), st.floats(0.0, 2e7), st.integers(1, 20))
def test_segments_with_the_same_economics_add_up_to_the_whole(parts, honesty, investment,
                                                             horizon):
    shares = np.array(parts, dtype=float) / sum(parts)
    shares[-1] = 1.0 - shares[:-1].sum()
    values = {"honesty": honesty, "investment": investment, "horizon_years": horizon}
    plain = run(values).summary
    split = run_structured(values, _segments(*shares)).run.summary
    for k in FIELDS:
        assert getattr(split, k) == pytest.approx(getattr(plain, k), abs=0.005, rel=1e-12), k
    assert split.payback_month == plain.payback_month


def test_the_sum_over_segments_is_the_whole_of_different_segments():
    s = parse_structure({"segments": [
        {"name": "Small", "share": 0.7, "arpu": 30, "churn": 0.3, "cac": 200},
        {"name": "Large", "share": 0.3, "arpu": 150, "churn": 0.08, "bad_profit_share": 0.15,
         "honesty": 1.0}]})
    r = run_structured({}, s)
    table = r.segments
    assert [row["segment"] for row in table] == ["Small", "Large"]
    assert sum(row["delta_npv_in_scenario"] for row in table) == pytest.approx(
        r.run.summary.delta_npv, rel=1e-9)
    sim = r.run.simulation
    np.testing.assert_allclose(sim.customers_by_segment.sum(axis=2), sim.customers, rtol=1e-12)
    assert sum(row["share_of_bad_profits"] for row in table) == pytest.approx(1.0)
    # The large segment: 30 % of the customers, 150 vs 30 a month and 15 % vs 8 % bad profits.
    large = table[1]
    assert large["bad_profit_revenue_per_year_today"] == pytest.approx(30_000 * 150 * 12 * 0.15)
    assert large["share_of_bad_profits"] > 0.7
    assert large["honesty"] == 1.0 and table[0]["honesty"] == 0.6


def test_going_honest_alone_is_the_segment_alone():
    """ΔNPV of going honest in one segment alone equals a one-segment run of that segment."""
    s = parse_structure({"segments": [
        {"name": "A", "share": 0.4, "arpu": 80, "churn": 0.12},
        {"name": "B", "share": 0.6, "arpu": 35, "churn": 0.3, "bad_profit_share": 0.2}]})
    table = run_structured({"honesty": 0.7}, s).segments
    alone = run({"honesty": 0.7, "investment": 0.0, "customers": 60_000, "arpu_monthly": 35,
                 "annual_churn": 0.3, "bad_profit_share": 0.2,
                 "market_size": 600_000,
                 "new_customers_monthly": _new_share(s, 1) * 1_800}).summary
    assert table[1]["delta_npv_honest_alone"] == pytest.approx(alone.delta_npv, rel=1e-9)


def _new_share(s, i):
    m = [1 - (1 - x) ** (1 / 12) for x in (0.12, 0.3)]
    w = [seg.share * mm for seg, mm in zip(s.segments, m, strict=True)]
    return w[i] / sum(w)


def test_a_vulture_segment_is_flagged_with_its_figure_and_the_choice():
    s = parse_structure({"segments": [
        {"name": "Fine", "share": 0.8},
        {"name": "Deal hunters", "share": 0.2, "arpu": 12, "churn": 0.6, "cac": 500,
         "bad_profit_share": 0.3}]})
    table = run_structured({}, s).segments
    fine, vulture = table
    assert not fine["vulture"] and "vulture_reason" not in fine
    assert vulture["vulture"] and vulture["ltv_honest"] < vulture["cac"]
    ltv = honest_ltv(run({}).values, 12, 0.6, 0.3, 0.15)
    assert vulture["ltv_honest"] == pytest.approx(ltv)
    assert f"{ltv:,.0f}" in vulture["vulture_reason"] and "500" in vulture["vulture_reason"]
    assert "Re-price" in vulture["vulture_reason"] and "stop acquiring" in vulture["vulture_reason"]
    # At the break-even ARPU the honest lifetime value is the CAC.
    assert honest_ltv(run({}).values, vulture["break_even_arpu_honest"], 0.6, 0.3,
                      0.15) == pytest.approx(500)


def test_honest_ltv_closed_form():
    values = run({"discount_rate_annual": 0.1, "gross_margin": 0.5,
                  "disappointment_churn_share": 0.0}).values
    v = 1.1 ** (-1 / 12)
    q = 1 - 0.8 ** (1 / 12)
    assert honest_ltv(values, 100, 0.2, 0.0, 0.15) == pytest.approx(50 * v / (1 - v * (1 - q)))


def test_typed_segments_take_the_place_of_a_calibration_with_a_note():
    base = Baseline((Segment("x", 1000, 50, ConstantChurn(0.02), 1.0),))
    with_cal = run_structured({}, _segments(1.0), base)
    without = run_structured({}, _segments(1.0))
    assert with_cal.run.summary.delta_npv == without.run.summary.delta_npv
    assert any("take the place of the churn-data calibration" in n
               for n in with_cal.run.summary.notes)


def test_segments_from_a_calibration_carry_its_sizes_revenue_and_churn():
    base = Baseline((Segment("Small", 3000, 20.0, ConstantChurn(0.03), 0.5),
                     Segment("Large", 1000, 90.0, ConstantChurn(0.01), 0.5)))
    small, large = segments_from_calibration(base)
    assert (small.name, large.name) == ("Small", "Large")
    assert small.share + large.share == 1.0 and large.share == pytest.approx(0.25)
    assert small.arpu == 20.0 and large.arpu == 90.0
    assert small.churn == pytest.approx(1 - 0.97 ** 12) and large.churn == pytest.approx(
        1 - 0.99 ** 12)
    # They are a valid scenario's segments, ready for their own economics.
    data = {"segments": [{**{k: v for k, v in seg.__dict__.items() if v is not None},
                          "bad_profit_share": 0.1} for seg in (small, large)]}
    assert len(parse_structure(data).segments) == 2
