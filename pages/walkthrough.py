"""The five demands, one step per screen: each switches on one more demand on top of the previous.

For a facilitator to present: the profit curves of the step, and waterfalls of ΔNPV and of Δ
inside the tenure split by demand (``model.workshop.demands``). The sidebar holds the scenario.
"""

from __future__ import annotations

import streamlit as st

from model.scenario import dump_scenario, parse_scenario
from model.workshop import demands
from ui import charts, glossary, progressive, workshop_charts
from ui.format import money, percent, signed_money
from ui.shell import require_app
from ui.verdict import SACRIFICE_TITLE
from ui.widgets import render_sidebar

require_app()

STEP = "walk_step"


@st.cache_data(max_entries=16, show_spinner=False)
def walk(values_json: str) -> list[demands.Step]:
    return demands.walk(parse_scenario(values_json))


def go(step: int) -> None:
    st.session_state[STEP] = step
    st.query_params["step"] = str(step)


values = render_sidebar()
if STEP not in st.session_state:
    wanted = st.query_params.get("step", "1")
    st.session_state[STEP] = int(wanted) if wanted in {"1", "2", "3", "4", "5"} else 1
k = st.session_state[STEP]
steps = walk(dump_scenario(values))
step = steps[k - 1]

# --- the step -------------------------------------------------------------------------------------
st.caption(f"The five demands · step {k} of 5")
st.title(f"{k}. {step.demand.title}")
st.markdown(step.demand.plain)
prev, _, nxt = st.columns([1, 4, 1])
prev.button("← Back", key="walk_back", disabled=k == 1, on_click=go, args=(k - 1,),
            width="stretch")
nxt.button("Next →", key="walk_next", disabled=k == 5, on_click=go, args=(k + 1,),
           type="primary", width="stretch")

TOTAL, INSIDE = glossary.name("delta_npv"), glossary.name("delta_inside_tenure")
m1, m2, m3 = st.columns(3)
m1.metric("This demand adds to the total", signed_money(step.step_npv, compact=True),
          help=glossary.meaning("delta_npv"))
m2.metric(f"{TOTAL} so far" + (" (expected)" if k >= 4 else ""),
          signed_money(step.delta_npv, compact=True))
m3.metric(f"{INSIDE} so far", signed_money(step.delta_inside_tenure, compact=True))
if not progressive.rest_of_page("walkthrough"):  # the step's figures first, its charts next
    st.stop()


def chart(title: str, chart) -> None:
    """One heading per chart, as text that wraps on a phone (the chart's own title dropped)."""
    st.markdown(f"**{title}**")
    st.altair_chart(chart.properties(title=""), width="stretch")

# --- what it does to the profit curves ---------------------------------------------------------------
left, right = st.columns(2)
with left:
    chart("Profit per month" + (": if customers respond" if k >= 4 else ""),
          charts.profit_chart(step.run))
with right:
    if k >= 4 and step.silent is not None:
        chart("Profit per month: if customers do not respond", charts.profit_chart(step.silent))
        st.caption(f"The chance of no response is {percent(step.p_no_response)}; otherwise "
                   "customers respond anywhere between none and all of the effects assumed "
                   "(Decision analysis page: the odds over every uncertain assumption). The "
                   f"expected total weighs them all: {money(step.delta_npv, compact=True)}.")
    else:
        chart(SACRIFICE_TITLE, charts.sacrifice_chart(step.run))
if k == 5:
    inside, total = step.delta_inside_tenure, step.delta_npv
    a, b = st.columns(2)
    a.metric("Inside your tenure (expected)", signed_money(inside, compact=True))
    b.metric("After your tenure (expected)", signed_money(total - inside, compact=True))

# --- the waterfalls ------------------------------------------------------------------------------
st.subheader("What each demand does")
w1, w2 = st.columns(2)
with w1:
    chart(f"{TOTAL}, demand by demand",
          workshop_charts.waterfall_chart(demands.waterfall(steps, k, "npv"), TOTAL))
with w2:
    chart(f"{INSIDE}, demand by demand", workshop_charts.waterfall_chart(
        demands.waterfall(steps, k, "inside_tenure"), INSIDE))
