"""Workspaces & workshops: one workspace per client, its workshops, the comparison report, export
and import, and the bin."""

from __future__ import annotations

import streamlit as st

from ui import flash, workspace, workspace_panel
from ui.format import escape_markdown, quoted
from ui.shell import require_app

require_app()

# --- who asks, and which workspace ---------------------------------------------------------------
st.title("Workspaces & workshops")
lib = workspace.select()
if lib is None:  # the store is out of reach: one sentence, and nothing that would need it
    st.error(escape_markdown(workspace.problem()), icon=":material/cloud_off:")
    st.stop()
spaces = workspace.workspaces()
flash.show()

# --- workshops -----------------------------------------------------------------------------------
st.header(f"Workshops in {quoted(lib.name)}")
st.caption("Start a workshop: participants join from their phones with the join link or QR code, "
           "vote on the one question before and after the analysis and give their own estimates; "
           "the facilitator link opens the live view for the projector.")
workspace_panel.start_workshop(lib)
shops = workspace_panel.workshops(lib)

# --- the comparison report -----------------------------------------------------------------------
st.header("Comparison report")
workspace_panel.comparison(lib, shops)

# --- workspaces ----------------------------------------------------------------------------------
st.header("Workspaces")
workspace_panel.manage(spaces, lib)

# --- the bin -------------------------------------------------------------------------------------
st.header("Bin")
st.caption("Deleted scenarios and workspaces stay here until you remove them for good.")
workspace_panel.bin_(spaces, lib)
