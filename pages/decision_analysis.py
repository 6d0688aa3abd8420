"""Decision analysis: the odds of paying back, what drives them, the best levers for each owner, goal seek."""

import streamlit as st

from model import analysis
from ui import (
    analysis_charts,
    analysis_inputs,
    analysis_runs,
    glossary,
    optimum_charts,
    progressive,
    segments_state,
    staging,
    state,
    workspace,
)
from ui.format import escape_dollars, escape_markdown, years
from ui.shell import require_app
from ui.widgets import render_setting, render_sidebar

require_app()

# --- read the scenario and the inputs -----------------------------------------------------------
values = render_sidebar()
lib = workspace.select()  # saved workshop ranges belong to the workspace
baseline = state.current_baseline()
tenure_years = float(values["tenure_years"])
horizon = int(values["horizon_years"])

st.title("Decision analysis")
st.markdown("The dashboard shows one future. This page asks how sure you can be: the **odds** "
            "that the switch pays back, **what drives** the answer, the **best plan** for the "
            "company, for a leader who stays "
            f"{years(12 * tenure_years)} and for the board, and the **break-even** of any "
            "assumption.")
if baseline is not None:
    st.info(f"Calibrated with your churn data ({escape_markdown(state.current_calibration().label)}"
            "): customers, revenue per customer and churn come from the data and are not varied "
            "here.", icon=":material/dataset:")
analysed = segments_state.for_analysis(values, baseline)  # with the dashboard's segments etc.

with st.expander("Words on this page (Δ, NPV, P10–P90, PERT, rank correlation…)"):
    st.markdown(escape_dollars(glossary.markdown(glossary.ANALYSIS_TERMS)))

# --- the odds -----------------------------------------------------------------------------------
st.header("The odds", divider="gray")
values = state.current_values()
# Both levers off: the scenario is today's business, there is nothing to weigh (issue 22, defect 3).
switch = analysis_runs.has_switch(values, baseline)
if not switch:
    st.info(analysis_charts.NO_SWITCH, icon=":material/block:")
else:
    draws, seed, distribution = analysis_inputs.odds_settings()
    values = state.current_values()
    chosen = analysis_inputs.choose_ranges(values, analysed, lib)
    ranges = chosen.ranges
    analysed = segments_state.with_room_fixes(analysed, values, chosen.room)  # the room's fixes
    mc = analysis_runs.monte_carlo(chosen.values, analysed, ranges, draws, seed, distribution)
    n_effects = sum(1 for r in ranges if r.name in analysis.response_names())
    # rests_on's own words hold no $; the file name in where() is escaped on its own.
    st.markdown(analysis_charts.rests_on(mc, len(ranges), n_effects, chosen.edited,
                                         chosen.where()))
    for column, (title, p, line) in zip(st.columns(3), analysis_charts.odds_lines(
            mc, tenure_years, horizon, bool(values["include_terminal_value"])), strict=True):
        column.metric(title, analysis_charts.percent_text(p))
        column.caption(escape_dollars(line))
    st.markdown(escape_dollars(analysis_charts.odds_sentence(mc)))
if not progressive.rest_of_page("decision_analysis"):  # the odds first; the rest on its heels
    st.stop()
if switch:
    left, right = st.columns(2)
    left.altair_chart(analysis_charts.fan_chart(mc), width="stretch", key="da_fan")
    right.altair_chart(analysis_charts.delta_npv_histogram(mc), width="stretch", key="da_hist")

    # --- staging: pilot first, a gate, the rest if customers respond -----------------------------
    st.header("Stage the investment? Staged, all-in or nothing", divider="gray")
    staging.section(chosen.values, baseline, ranges, draws, seed, distribution, analysed)

    # --- sensitivity ----------------------------------------------------------------------------
    st.header("What drives the answer", divider="gray")
    st.caption("Each assumption moved alone to its low and its high end (the values at the "
               "bars' ends), all others at likely; sorted by how far the result swings.")
    torn = analysis_runs.tornado(values, analysed, ranges)
    for metric in ("delta_npv", "delta_inside_tenure"):
        key = "da_tornado_npv" if metric == "delta_npv" else "da_tornado_tenure"
        st.altair_chart(analysis_charts.tornado_chart(torn, metric, analysis_inputs.label),
                        width="stretch", key=key)

# --- the best levers for each owner -------------------------------------------------------------
st.header("The best plan: for the company, for you, for the board", divider="gray")
(c_weight,) = st.columns(1)
render_setting(c_weight, "board_weight")
values = state.current_values()
lm = analysis_runs.best_levers(values, analysed)
st.markdown(escape_dollars(optimum_charts.gap_sentence(lm)))
for column, key in zip(st.columns(3), analysis.OBJECTIVES, strict=True):
    column.markdown(escape_dollars(optimum_charts.heading(lm, key)))
    column.altair_chart(optimum_charts.heatmap_chart(lm, key), width="stretch",
                        key=f"da_heat_{key}")
    column.markdown(escape_dollars(optimum_charts.optimum_sentence(lm, key)))
st.caption(f"{optimum_charts.MARKS_LEGEND}. Every other assumption as in the scenario, at its "
           "likely value. Blue: the switch gains against carrying on as today; orange: it loses. "
           "The board's view is the gain inside the tenure plus its weight times everything the "
           "switch adds after the tenure (the change in customer equity the next leader "
           "inherits).")

# --- goal seek (no switch: nothing breaks even) ---------------------------------------------------
if switch:
    st.header("Goal seek: where does the switch break even?", divider="gray")
    choices = analysis.goal_seek_choices(analysed)
    name = st.selectbox("Assumption", choices, format_func=analysis_inputs.label,
                        key="da_goal_name", index=choices.index("discount_rate_annual"),
                        help="The value of this assumption at which the switch breaks even, "
                             "searched over its whole allowed range; everything else as in the "
                             "scenario. On the discount rate it is the switch's internal rate of "
                             "return.")
    gs = analysis_runs.goal_seek(values, analysed, name)
    for column, target in zip(st.columns(3), analysis.GOAL_TARGETS, strict=True):
        column.metric(optimum_charts.GOAL_TITLES[target], optimum_charts.goal_value(gs, target),
                      help=f"Assumed now: {analysis_charts.describe(name, gs.current)}.")
        column.caption(escape_dollars(optimum_charts.goal_sentence(gs, target)))
