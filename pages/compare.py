"""Scenarios & compare: the scenario library, import/export, side-by-side comparison, the report."""

from __future__ import annotations

import streamlit as st

from ui import compare_panel, flash, library_panel, progressive, state, workspace
from ui.format import escape_markdown
from ui.shell import require_app
from ui.widgets import render_sidebar

require_app()

# --- state and the workspace's library -----------------------------------------------------------
st.title("Scenarios & compare")
values = render_sidebar()
lib = workspace.select()  # the library below is the workspace chosen in the sidebar
baseline = state.current_baseline()
calibration = state.current_calibration()
st.caption("Save the view you are looking at under a name, compare up to five scenarios side by "
           "side and take a report away. Saved scenarios are kept on the server and survive "
           "restarts.")
if calibration is not None:
    st.info(f"Every scenario here runs on the baseline calibrated from your churn data "
            f"({escape_markdown(calibration.label)}).", icon=":material/dataset:")
if lib is None:  # the store is out of reach: one sentence, and nothing that would need it
    st.error(escape_markdown(workspace.problem()), icon=":material/cloud_off:")
    st.stop()
entries = library_panel.read_entries(lib)
usable = {e.name: e.values for e in entries if e.values is not None}

# --- Library -------------------------------------------------------------------------------------
st.header("Library")
flash.show()
save_col, list_col = st.columns([1, 2])
with save_col:
    library_panel.save_form(lib, values)
with list_col:
    library_panel.saved_list(lib, entries)
if not progressive.rest_of_page("compare"):  # the saved list first, the rest on its heels
    st.stop()
if entries:
    library_panel.work_with(lib, entries)
library_panel.import_export(lib, values)

# --- Compare -------------------------------------------------------------------------------------
st.header("Compare")
compare_panel.compare(values, usable, baseline, {e.name: e.structure for e in entries})

# --- Report --------------------------------------------------------------------------------------
st.header("Report")
compare_panel.report_section(values, usable, entries, baseline, calibration)
