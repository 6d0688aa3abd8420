"""Track: commit a plan, enter each month's actuals, and see what they say — the actuals on the
plan's fan, each surprise in words, the customer response's posterior, the odds before and now and
the gate's verdict."""

from __future__ import annotations

import streamlit as st

from model.tracking import ActualsError
from ui import flash, track_panel, workspace
from ui.format import escape_markdown, quoted
from ui.shell import require_app

require_app()

# --- which workspace -----------------------------------------------------------------------------
st.title("Track the plan")
st.markdown("Commit a saved scenario as **the plan**: its assumptions, its forecast fan and, if "
            "you stage the investment, the criterion for releasing the rest — set now, read "
            "back later. Then enter each month's actuals: the page says how they compare with "
            "the plan, what they tell about whether customers respond, and what the gate says.")
lib = workspace.select()
if lib is None:
    st.error(escape_markdown(workspace.problem()), icon=":material/cloud_off:")
    st.stop()
flash.show()

# --- commit a plan -------------------------------------------------------------------------------
with st.expander(f"Commit a plan in {quoted(lib.name)}", expanded=not lib.plans()):
    track_panel.commit_form(lib)

# --- the plan ------------------------------------------------------------------------------------
chosen = track_panel.choose_plan(lib)
if chosen is None:
    st.info("No plan committed in this workspace yet.")
    st.stop()
stored, plan = chosen
track_panel.describe_plan(stored, plan)

# --- actuals -------------------------------------------------------------------------------------
st.header("Actuals", divider="gray")
try:
    current = lib.actuals(stored.id)
except ActualsError as e:  # a stored version the reader no longer accepts: say so, keep it
    st.error("The saved actuals cannot be read: " + escape_markdown(str(e)))
    current = None
track_panel.actuals_entry(lib, stored, plan, current)

# --- what they say -------------------------------------------------------------------------------
st.header("What the actuals say", divider="gray")
if current is None or len(current) == 0:
    st.info("No actuals yet: the odds are the plan's. Type them above or upload a CSV.")
    st.stop()
track_panel.verdict(stored, plan, current)
