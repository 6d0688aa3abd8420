"""The Decision analysis page through Streamlit's AppTest: odds, charts, tornado, break-even, gap."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from model import analysis as A
from model.assumptions import defaults
from model.curves import ConstantChurn
from model.simulate import Baseline, Segment
from ui import analysis_charts as C
from ui import state, theme
from ui.analysis_charts import describe, percent_text

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE = "pages/decision_analysis.py"


def open_page(**session) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in session.items():
        at.session_state[key] = value
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def test_page_shows_the_odds_charts_break_even_and_gap():
    at = open_page()
    at.number_input(key="da_draws").set_value(300).run()
    assert not at.exception
    shown = metrics(at)
    mc = A.monte_carlo(defaults(), draws=300, seed=0)
    assert shown["Pays back inside your tenure"] == percent_text(mc.p_payback_inside_tenure)
    assert shown["Pays back within 10 years"] == percent_text(mc.p_payback_inside_horizon)
    assert shown["Adds value (ΔNPV > 0)"] == percent_text(mc.p_delta_npv_positive)
    assert len(at.get("vega_lite_chart")) == 5  # fan, histogram, two tornados, investment
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    titles = " | ".join(json.dumps(s.get("title", ""), ensure_ascii=False) for s in specs)
    for words in ("Cumulative Δ", "ΔNPV across 300 draws", "ΔNPV over the horizon: base case",
                  "Δ inside your tenure: base case", "How much to invest"):
        assert words in titles, titles
    body = text(at)
    assert "from 300 draws" in body
    assert "best for the company over 10 years" in body and "best for a 5-year tenure" in body
    # Break-even tiles for the first effect (churn removed by the fixes).
    be = A.break_even(defaults(), "fix_churn_reduction_max", "tenure")
    assert shown["To pay back inside your 5-year tenure"] == describe(be.name, be.value)


def test_seed_and_draws_change_the_numbers_and_are_reproducible():
    at = open_page()
    at.number_input(key="da_draws").set_value(200).run()
    first = text(at)
    at.number_input(key="da_seed").set_value(5).run()
    assert not at.exception
    assert text(at) != first  # different seed, different quantiles
    at.number_input(key="da_seed").set_value(0).run()
    assert text(at) == first  # same seed, same numbers


def test_choosing_another_effect_changes_the_break_even():
    at = open_page()
    at.number_input(key="da_draws").set_value(100).run()
    at.selectbox(key="da_break_even_name").set_value("trust_gain_honesty").run()
    assert not at.exception
    shown = metrics(at)
    assert shown["To pay back inside your 5-year tenure"] == "not reachable"
    assert "Not reachable within the range" in text(at)


def test_triangular_distribution_runs():
    at = open_page()
    at.number_input(key="da_draws").set_value(100).run()
    pert = metrics(at)["Pays back within 10 years"]
    at.radio(key="da_distribution").set_value("triangular").run()
    assert not at.exception
    mc = A.monte_carlo(defaults(), draws=100, seed=0, distribution="triangular")
    assert metrics(at)["Pays back within 10 years"] == percent_text(mc.p_payback_inside_horizon)
    assert pert  # both render


def test_scenario_from_state_drives_the_page():
    values = {**defaults(), "tenure_years": 8.0, "investment": 1e7}
    at = open_page(**{state.VALUES_KEY: values})
    at.number_input(key="da_draws").set_value(100).run()
    shown = metrics(at)
    assert "Pays back inside your tenure" in shown
    assert "To pay back inside your 8-year tenure" in shown
    mc = A.monte_carlo(values, draws=100, seed=0)
    assert shown["Pays back inside your tenure"] == percent_text(mc.p_payback_inside_tenure)


def test_calibrated_baseline_is_announced_and_churn_not_varied():
    base = Baseline((Segment("all", 80_000, 40.0, ConstantChurn.from_annual(0.25), 1.0),),
                    source="test")
    at = open_page(**{state.CALIBRATION_KEY: state.Calibration(base, "test.csv · constant")})
    assert any("test.csv" in i.value for i in at.info)
    table = at.dataframe(key="da_ranges_0").value
    assert "Churn per year (status quo)" not in " ".join(table["Assumption"])
    at.number_input(key="da_draws").set_value(100).run()
    mc = A.monte_carlo(defaults(), base, draws=100, seed=0)
    assert metrics(at)["Adds value (ΔNPV > 0)"] == percent_text(mc.p_delta_npv_positive)


def test_draws_are_capped():
    at = open_page()
    at.number_input(key="da_draws").set_value(A.MAX_DRAWS + 1).run()
    # Streamlit refuses values above max_value; the page keeps working with a valid count.
    assert at.number_input(key="da_draws").value <= A.MAX_DRAWS


# --- chart builders and the ranges table (ui/analysis_charts.py, through to_dict) ---------------


def _datasets(chart) -> list[list[dict]]:
    return list(chart.to_dict()["datasets"].values())


def test_charts_send_bands_and_bins_not_raw_draws():
    mc = A.monte_carlo(defaults(), draws=1_500, seed=2)
    fan = C.fan_chart(mc).to_dict()
    rows = max(_datasets(C.fan_chart(mc)), key=len)
    assert len(rows) == 120  # one row per month, whatever the number of draws
    assert all(r["p10"] <= r["p50"] <= r["p90"] for r in rows)
    text = json.dumps(fan, ensure_ascii=False)
    assert "End of your tenure (year 5)" in text and theme.TENURE_RULE in text
    assert theme.CUSTOMER_CENTRIC in text and "Median ($)" in text  # tooltip with its unit
    hist = _datasets(C.delta_npv_histogram(mc, bins=30))
    assert max(len(d) for d in hist) == 30 and sum(r["count"] for r in hist[0]) == 1_500


def test_tornado_chart_orders_by_swing_and_uses_fixed_colours():
    torn = A.tornado(defaults())
    for metric in ("delta_npv", "delta_inside_tenure"):
        spec = C.tornado_chart(torn, metric).to_dict()
        order = spec["layer"][0]["encoding"]["y"]["sort"]
        expected = [A.BY_NAME[r.name].label for r in torn.sorted(metric)]
        assert order == expected
        assert spec["layer"][0]["encoding"]["color"]["scale"]["range"] == [
            C.LOW_COLOUR, C.HIGH_COLOUR]


def test_investment_chart_marks_both_optima_and_states_the_gap():
    curve = A.optimise_investment(defaults())
    text = json.dumps(C.investment_chart(curve).to_dict(), ensure_ascii=False)
    assert "Best over 10 years: $10.4M" in text and "Best inside tenure: $447.2k" in text
    sentence = C.gap_sentence(curve)
    assert sentence.startswith("The investment that is best for the company over 10 years is "
                               "**$10.4M**")
    assert "best for a 5-year tenure is **$447.2k**" in sentence
    assert "would invest $9.9M less than the company needs" in sentence


def test_ranges_table_shows_percentages_and_reads_back_model_units():
    ranges = A.default_ranges(defaults())
    frame = C.ranges_frame(ranges, lambda n: A.BY_NAME[n].label)
    margin = frame[frame["name"] == "gross_margin"].iloc[0]
    assert (margin["Low"], margin["Likely"], margin["High"]) == (55.0, 60.0, 65.0)
    assert A.validate_ranges(C.rows_from_frame(frame)) == ranges  # round trip, exactly
    frame.loc[frame["name"] == "gross_margin", "High"] = np.nan  # a cleared cell
    with pytest.raises(A.ScenarioError, match="Gross margin: high is empty"):
        A.validate_ranges(C.rows_from_frame(frame), show=C.describe)
    frame.loc[frame["name"] == "gross_margin", "High"] = 50.0
    with pytest.raises(A.ScenarioError, match="low 55 %, likely 60 % and high 50 %"):
        A.validate_ranges(C.rows_from_frame(frame), show=C.describe)
