"""Workshop charts: valid Vega-Lite (validated here once; the page skips validation), right data."""

from __future__ import annotations

import json

import numpy as np
import pytest

from model.analysis import monte_carlo
from model.assumptions import defaults
from model.workshop import StoredAnswer, tally
from ui import workshop_charts as wc


def results():
    rows = []
    for i, vote in enumerate(["yes", "yes", "no", "not_yet"]):
        est = {"bad_profit_share": {"low": 0.02 + i / 100, "likely": 0.08, "high": 0.2},
               "p_no_response": {"low": 0.1, "likely": 0.1, "high": 0.1}}
        rows.append(StoredAnswer(f"p{i}", "", "before", vote, 0.5, json.dumps(est), ""))
    rows.append(StoredAnswer("p0", "", "after", "no", 0.9, "{}", ""))
    return tally(rows)


def test_every_chart_is_valid_vega_lite_and_spec_skips_only_validation():
    res = results()
    mc = monte_carlo(defaults(), None, None, 200, 0)
    charts = [wc.votes_chart(res), wc.fans_chart(mc, mc),
              *(wc.pooled_chart(p, res.estimates[n]) for n, p in res.pooled.items())]
    for chart in charts:
        assert chart.to_dict() == wc.spec(chart)  # validates, and the fast path is the same


def test_vote_bars_count_once_per_participant_and_round():
    frame = wc.votes_frame(results()).set_index(["round", "vote"])["votes"]
    assert frame[("Before the analysis", "Yes")] == 2 and frame[("Before the analysis", "No")] == 1
    assert frame[("After the analysis", "No")] == 1 and frame.sum() == 5


def test_pooled_density_integrates_to_one_and_point_masses_are_ticks():
    res = results()
    p = res.pooled["bad_profit_share"]
    frame = wc.pooled_frame(p, res.estimates["bad_profit_share"], points=2001)
    assert np.trapezoid(frame["density"], frame["x"] / 100) == pytest.approx(1, abs=2e-3)
    point = res.pooled["p_no_response"]
    assert (point.low, point.likely, point.high) == (0.1, 0.1, 0.1)
    wc.pooled_chart(point, res.estimates["p_no_response"]).to_dict()  # draws without a curve


@pytest.mark.slow
def test_fans_show_both_sets_of_ranges():
    table = monte_carlo(defaults(), None, None, 200, 0)
    frame = wc.fans_frame(table, table)
    assert set(frame["ranges"]) == {wc.TABLE, wc.ROOM}
    assert (frame["p10"] <= frame["p50"]).all() and (frame["p50"] <= frame["p90"]).all()
