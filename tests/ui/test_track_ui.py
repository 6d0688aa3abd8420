"""Track's charts, words and board summary (no Streamlit): the fan with the actuals, the response
before and now, the odds table, the plan-against-actual section of the comparison report."""

from __future__ import annotations

import numpy as np
import pytest

from model.library import Library, Workspaces, open_store
from model.tracking import Staging, freeze, read_actuals, update
from ui import comparison_report, staging, track_charts, track_report

HOSTILE = "![x](http://127.0.0.1:9/x.png) <b>bold</b>"
ACTUALS = ("month,customers_start,churned,new_customers,revenue,trust\n"
           + "".join(f"{m},100000,{2600 if m == 3 else 1800},1500,4000000,\n"
                     for m in range(1, 7)))


@pytest.fixture(scope="module")
def tracked():
    plan, d = freeze({}, "2027-01", seed=1, draws=300, staging=Staging(0.3, 12, 0.7))
    actuals = read_actuals(ACTUALS)
    return plan, d, actuals, update(d, plan.values, actuals, plan.staging)


def test_fan_chart_has_band_median_and_actual_points(tracked):
    plan, _, actuals, _ = tracked
    spec = track_charts.fan_chart(plan, actuals, "churned").to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
             for layer in spec["layer"]]
    assert marks == ["area", "line", "point"]
    points = spec["datasets"][spec["layer"][2]["data"]["name"]]
    assert [p["actual"] for p in points][:3] == [1800, 1800, 2600]


def test_response_frame_shares_add_up(tracked):
    _, d, _, result = tracked
    frame = track_charts.response_frame(d.response, result)
    for _when, part in frame.groupby("when"):
        assert part["share"].sum() == pytest.approx(1.0)
    track_charts.response_chart(frame).to_dict()


def test_odds_and_surprise_rows(tracked):
    _, _, _, result = tracked
    rows = track_charts.odds_rows(result)
    assert rows[0][""] == "Chance that customers respond"
    surprises = track_charts.surprise_rows(result)
    assert surprises[0]["Month"] == "6"  # latest first
    bad = [r for r in surprises if r["Month"] == "3" and "Churn" in r["In words"]]
    assert bad and bad[0]["Reading"] == "bad news"


def test_board_section_says_the_misses_and_escapes_names(tracked):
    plan, _, actuals, result = tracked
    s = track_report.section(HOSTILE, plan, actuals, result)
    assert "<b>bold</b>" not in s.html and "&lt;b&gt;" in s.html
    assert "bad news: Churn in month 3 was higher than" in s.html
    assert "Revenue over those months" in s.html
    assert "Gate: not yet" in s.html
    frame = track_report.monthly_frame(plan, actuals, result)
    assert set(frame["figure"]) == {"Customers at start", "Churned", "New customers", "Revenue"}
    assert np.all(frame["gap_to_median"] == frame["actual"] - frame["plan_median"])
    assert b"gap_to_median" in s.csv


def test_comparison_report_gains_the_plan_vs_actual_section(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 's.sqlite'}")
    Workspaces(store).create("Client")
    lib = Library(store, "Client")
    assert track_report.for_workspace(lib) is None
    stored, _ = lib.commit_plan("Bold", "2027-01", draws=200)
    lib.save_actuals(stored.id, read_actuals(ACTUALS))
    section = track_report.for_workspace(lib)
    files = comparison_report.comparison_files([("Bold", "", lib.load("Bold"))], "Client",
                                               "2027-07-01", tracking=section)
    assert b"Plan against actual: Bold" in files["comparison.html"]
    assert files["plan_vs_actual.csv"].startswith(b"month,calendar_month,figure")


def test_staging_sentence_is_honest_about_a_negative_option():
    from model.tracking import plan_draws, staged_analysis

    st_ = Staging(0.3, 3, 0.95)
    d = plan_draws({}, draws=300, seed=1, pilot_share=st_.pilot_share)
    result = staged_analysis({}, st_, draws_result=d, seed=1)
    text = staging.sentence(result)
    assert text.startswith("The option to stop is worth" if result.option_value >= 0
                           else "The option to stop costs")
    if result.option_value < 0:
        assert "costs" in text and "too thin" in text
    assert len(staging.rows(result)) == 4
