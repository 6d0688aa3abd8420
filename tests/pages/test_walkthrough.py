"""The five demands: steps add up, each switches on what it says; the page walks through them."""

from __future__ import annotations

import pytest

from model.assumptions import RESPONSE_NAMES, defaults
from model.simulation import run
from model.workshop import demands
from tests.support.app import open_app


def test_steps_add_up_to_the_expected_total_and_each_step_is_its_own_run():
    values = defaults()
    steps = demands.walk(values)
    assert [s.demand.number for s in steps] == [1, 2, 3, 4, 5]
    assert sum(s.step_npv for s in steps) == pytest.approx(steps[-1].delta_npv, rel=1e-12)
    assert sum(s.step_inside_tenure for s in steps) == pytest.approx(
        steps[-1].delta_inside_tenure, rel=1e-12)
    honest_only = run({**values, "investment": 0.0, "turmoil_churn_increase": 0.0,
                       "turmoil_cost_share": 0.0})
    assert steps[0].delta_npv == pytest.approx(honest_only.summary.delta_npv, rel=1e-12)
    assert steps[2].delta_npv == pytest.approx(run(values).summary.delta_npv, rel=1e-12)
    assert steps[4].step_npv == 0.0  # the tenure splits, it adds nothing


def test_turmoil_costs_and_not_knowing_costs_in_expectation():
    steps = demands.walk(defaults())
    assert steps[2].step_npv < 0  # extra churn and lost productivity
    assert steps[3].step_npv < 0  # some chance the gains never come
    silent = demands.silent_values(defaults())
    assert all(silent[n] == 0.0 for n in RESPONSE_NAMES)


def test_no_chance_of_silence_makes_step_four_free():
    # Customers certain to respond, and fully: no mass at r = 0 and no spread above it.
    steps = demands.walk({**defaults(), "p_no_response": 0.0, "response_spread": 0.0})
    assert steps[3].step_npv == pytest.approx(0.0, abs=1e-6)


def test_waterfall_rows_float_from_zero_to_the_total():
    steps = demands.walk(defaults())
    rows = demands.waterfall(steps, 5)
    assert [r["kind"] for r in rows] == ["step"] * 4 + ["total"]
    assert rows[0]["start"] == 0 and all(a["end"] == pytest.approx(b["start"])
                                         for a, b in zip(rows[:3], rows[1:4], strict=True))
    assert rows[-1]["end"] == pytest.approx(steps[-1].delta_npv)
    assert len(demands.waterfall(steps, 2)) == 3


def test_the_page_walks_through_five_steps():
    at = open_app("pages/walkthrough.py")
    assert at.title[0].value == "1. Stop over-promising"
    for k in range(2, 6):
        at.button(key="walk_next").click().run()
        assert not at.exception and at.title[0].value.startswith(f"{k}. ")
    assert at.button(key="walk_next").disabled
    assert len(at.get("vega_lite_chart")) >= 4
    at.button(key="walk_back").click().run()
    assert at.title[0].value.startswith("4. ")
