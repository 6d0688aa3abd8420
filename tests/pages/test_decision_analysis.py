"""The Decision analysis page through Streamlit's AppTest: odds, charts, tornado, levers, goal seek."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from model import analysis as A
from model.assumptions import defaults
from model.curves import ConstantChurn
from model.simulation import Baseline, Segment
from tests.support.app import APP
from ui import optimum_charts, state
from ui.analysis_charts import describe, percent_text
from ui.format import escape_markdown

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


def test_page_shows_the_odds_charts_levers_and_goal_seek():
    at = open_page()
    at.number_input(key="da_draws").set_value(300).run()
    assert not at.exception
    shown = metrics(at)
    mc = A.monte_carlo(defaults(), draws=300, seed=0)
    assert shown["Pays back inside your tenure"] == percent_text(mc.p_payback_inside_tenure)
    assert shown["Pays back within 10 years"] == percent_text(mc.p_payback_inside_horizon)
    assert shown["Adds value (total > 0)"] == percent_text(mc.p_delta_npv_positive)
    # fan, histogram, two tornados, three heatmaps
    assert len(at.get("vega_lite_chart")) == 7
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    titles = " | ".join(json.dumps(s.get("title", ""), ensure_ascii=False) for s in specs)
    for words in ("Cumulative Δ", "Total (cash + end value) across 300 draws",
                  "Total (cash + end value): base case", "Inside your tenure: base case"):
        assert words in titles, titles
    body = text(at)
    # The maps' titles are the page's text above them (a narrow column cut them in the chart).
    for words in ("Total (cash + end value) over 10 years",
                  "Gain or loss inside your 5-year tenure", "What the board credits"):
        assert words in body, words
    assert "from 300 draws" in body
    assert "What these odds rest on" in body and "do not respond at all" in body
    # One line under each of the odds says what it counts.
    assert "earned back its early losses by the end of your 5-year tenure" in body
    lm = A.optimise_levers(defaults())
    for key in A.OBJECTIVES:
        assert optimum_charts.optimum_sentence(lm, key).replace("$", "\\$") in body
    # Goal seek starts on the discount rate: the switch's internal rate of return.
    gs = A.goal_seek(defaults(), "discount_rate_annual")
    assert shown["Breaks even over the horizon"] == describe(gs.name, gs.horizon)
    assert "internal rate of return" in body


def test_the_chance_of_no_response_moves_the_odds_and_stays_in_the_scenario():
    at = open_page()
    at.number_input(key="da_draws").set_value(300).run()
    at.slider(key="w_p_no_response").set_value(0.0).run()
    at.slider(key="w_effect_correlation").set_value(0.0).run()
    assert not at.exception
    assert at.session_state[state.VALUES_KEY]["p_no_response"] == 0.0
    v = {**defaults(), "p_no_response": 0.0, "effect_correlation": 0.0}
    mc = A.monte_carlo(v, draws=300, seed=0)
    assert metrics(at)["Adds value (total > 0)"] == percent_text(mc.p_delta_npv_positive)
    assert "customers always respond" in text(at)


def test_board_weight_moves_the_boards_optimum():
    at = open_page()
    at.number_input(key="da_draws").set_value(100).run()
    at.slider(key="w_board_weight").set_value(100.0).run()
    assert not at.exception
    lm = A.optimise_levers({**defaults(), "board_weight": 1.0})
    assert optimum_charts.optimum_sentence(lm, "board").replace("$", "\\$") in text(at)


def test_seed_and_draws_change_the_numbers_and_are_reproducible():
    at = open_page()
    at.number_input(key="da_draws").set_value(200).run()
    first = text(at)
    at.number_input(key="da_seed").set_value(5).run()
    assert not at.exception
    assert text(at) != first  # different seed, different quantiles
    at.number_input(key="da_seed").set_value(0).run()
    assert text(at) == first  # same seed, same numbers


def test_goal_seek_on_another_assumption():
    at = open_page()
    at.number_input(key="da_draws").set_value(100).run()
    at.selectbox(key="da_goal_name").set_value("fix_churn_reduction_max").run()
    assert not at.exception
    gs = A.goal_seek(defaults(), "fix_churn_reduction_max")
    shown = metrics(at)
    for target, title in optimum_charts.GOAL_TITLES.items():
        assert shown[title] == optimum_charts.goal_value(gs, target)


def test_triangular_distribution_runs():
    at = open_page()
    at.number_input(key="da_draws").set_value(100).run()
    at.radio(key="da_distribution").set_value("triangular").run()
    assert not at.exception
    mc = A.monte_carlo(defaults(), draws=100, seed=0, distribution="triangular")
    assert metrics(at)["Pays back within 10 years"] == percent_text(mc.p_payback_inside_horizon)


def test_scenario_from_state_drives_the_page():
    values = {**defaults(), "tenure_years": 8.0, "investment": 1e7}
    at = open_page(**{state.VALUES_KEY: values})
    at.number_input(key="da_draws").set_value(100).run()
    mc = A.monte_carlo(values, draws=100, seed=0)
    assert metrics(at)["Pays back inside your tenure"] == percent_text(mc.p_payback_inside_tenure)
    assert "Gain or loss inside your 8-year tenure" in text(at)


def test_calibrated_baseline_is_announced_and_churn_not_varied():
    base = Baseline((Segment("all", 80_000, 40.0, ConstantChurn.from_annual(0.25), 1.0),),
                    source="test")
    at = open_page(**{state.CALIBRATION_KEY: state.Calibration(base, "test.csv · constant"),
                      "da_ranges_open": True})
    # The file name is user text: shown through escape_markdown (literal, never a link).
    assert any(escape_markdown("test.csv · constant") in i.value for i in at.info)
    table = at.dataframe(key="da_ranges_0").value
    assert "Churn per year (status quo)" not in " ".join(table["Assumption"])
    at.number_input(key="da_draws").set_value(100).run()
    mc = A.monte_carlo(defaults(), base, draws=100, seed=0)
    assert metrics(at)["Adds value (total > 0)"] == percent_text(mc.p_delta_npv_positive)


def test_draws_are_capped():
    at = open_page()
    at.number_input(key="da_draws").set_value(A.MAX_DRAWS + 1).run()
    assert at.number_input(key="da_draws").value <= A.MAX_DRAWS


def test_a_workshop_ranges_file_replaces_the_table_and_a_bad_one_names_the_key():
    at = open_page(da_ranges_open=True)
    at.number_input(key="da_draws").set_value(100).run()
    good = json.dumps({"gross_margin": {"low": 0.3, "likely": 0.4, "high": 0.5}}).encode()
    at.file_uploader(key="da_ranges_file").set_value(("pooled.json", good, "application/json"))
    at.run()
    assert not at.exception
    table = at.dataframe(key="da_ranges_1").value
    row = table[table["name"] == "gross_margin"].iloc[0]
    assert (row["Low"], row["Likely"], row["High"]) == (30.0, 40.0, 50.0)
    assert at.radio(key="da_ranges_source").value == "file"  # loading a file chose it
    assert f"the ranges of {escape_markdown('pooled.json')}" in text(at)
    bad = json.dumps({"cac": {"low": 500, "likely": 300, "high": 400}}).encode()
    at.file_uploader(key="da_ranges_file").set_value(("bad.json", bad, "application/json"))
    at.run()
    assert any("cac" in e.value and "out of order" in e.value for e in at.error)


def test_the_workshops_saved_ranges_are_a_choice_beside_the_table_and_a_file():
    from model.workshop import RoomView
    from tests.support.store import lib

    pooled = {"gross_margin": {"low": 0.3, "likely": 0.4, "high": 0.5}}
    lib().keep_room_view(RoomView((A.Range("gross_margin", 0.3, 0.4, 0.5),)))  # "Use these ranges"
    at = open_page(da_ranges_open=True)
    at.number_input(key="da_draws").set_value(100).run()
    source = at.radio(key="da_ranges_source")
    assert source.value == "table" and list(source.options) == [
        "The table's", "The workshop's (saved in My scenarios)", "A file"]
    table = at.dataframe(key="da_ranges_0").value
    assert table[table["name"] == "gross_margin"].iloc[0]["Low"] != 30.0
    source.set_value("workshop").run()
    assert not at.exception
    version = at.session_state["da_ranges_version"]
    table = at.dataframe(key=f"da_ranges_{version}").value
    row = table[table["name"] == "gross_margin"].iloc[0]
    assert (row["Low"], row["Likely"], row["High"]) == (30.0, 40.0, 50.0)
    assert "the workshop's pooled ranges" in text(at)
    ranges = A.parse_ranges(pooled, defaults())
    mc = A.monte_carlo(defaults(), None, ranges, draws=100, seed=0)
    assert metrics(at)["Adds value (total > 0)"] == percent_text(mc.p_delta_npv_positive)
    assert metrics(at)["Pays back inside your tenure"] == percent_text(
        mc.p_payback_inside_tenure)
    # Back to the table's ranges: the workshop's are no longer used.
    at.radio(key="da_ranges_source").set_value("table").run()
    version = at.session_state["da_ranges_version"]
    table = at.dataframe(key=f"da_ranges_{version}").value
    assert table[table["name"] == "gross_margin"].iloc[0]["Low"] != 30.0
    assert "the workshop's pooled ranges" not in text(at)


def test_choosing_the_workshops_ranges_when_none_were_saved_says_so():
    at = open_page()
    at.number_input(key="da_draws").set_value(100).run()
    assert "none saved yet" in at.radio(key="da_ranges_source").options[1]
    at.radio(key="da_ranges_source").set_value("workshop").run()
    assert not at.exception
    assert any("No workshop has saved ranges" in i.value for i in at.info)
    mc = A.monte_carlo(defaults(), draws=100, seed=0)  # the table's ranges
    assert metrics(at)["Adds value (total > 0)"] == percent_text(mc.p_delta_npv_positive)


def test_the_ranges_table_is_built_only_when_opened_and_gives_the_same_odds():
    """Issue 22, defect 11: a closed, unedited table is not sent to the browser; the odds are
    the same as with it open."""
    closed = open_page()
    closed.number_input(key="da_draws").set_value(100).run()
    assert not closed.get("arrow_data_frame") and not closed.get("data_editor")
    opened = open_page(da_ranges_open=True)
    opened.number_input(key="da_draws").set_value(100).run()
    assert opened.dataframe(key="da_ranges_0").value is not None
    assert metrics(closed) == metrics(opened)
