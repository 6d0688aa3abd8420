"""Dashboard: the three levers, the verdict, the profit curves with the tenure line, the table."""

import streamlit as st

from ui import results, segments_panel, share
from ui.shell import require_app
from ui.widgets import render_levers, render_panels

require_app()

QUESTION = ("Are you ready to give up short-term profit from your customers (“bad profits”) "
            "for long-term relationships — knowing the payback may come after your tenure ends?")

# --- read the link, the mode and the assumption panels --------------------------------------------
share.load_from_url_once()  # before the mode: a link may ask for presentation mode
present = results.title_with_mode("The one question")
st.markdown(f"*{QUESTION}*")
levers_box = st.sidebar.container()  # the levers sit above the panels
render_panels()  # also shows what a link asked for and could not use
calibrated = results.calibration_badge()
results.page_style(present)


# --- the levers and everything computed from them ---------------------------------------------------
@st.fragment
def levers_and_verdict() -> None:
    """A lever move reruns only this: the levers, the verdict and everything computed from it.
    The header, the assumption panels and the page menu stay as they are (less server work, and
    less for the browser to redraw)."""
    values = render_levers(levers_box)
    name = results.scenario_name_line()
    result = results.run_or_explain(values)
    if result is None:
        return
    result, holds = segments_panel.verdict_run(values, result)  # "5 segments, 3 tiers, 10 fixes"
    results.show(values, result, present, holds)
    structure = segments_panel.show(values, present)  # segments, usage tiers, fixes
    params = share.write_url(values, present, name, structure)
    if not present:
        results.monthly_table(result)
        share.show_link(params, calibrated)


levers_and_verdict()
