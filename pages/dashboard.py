"""Dashboard: the three levers, the verdict, the profit curves with the tenure line, the table."""

import streamlit as st

from model.proportion import money_warnings
from model.scenario import safe_csv
from ui import charts, share, state
from ui.format import escape_markdown
from ui.shell import require_app
from ui.verdict import SACRIFICE_TITLE, exact_line, headline_metrics, verdict_sentence
from ui.widgets import render_sidebar

require_app()

QUESTION = ("Are you ready to give up short-term profit from your customers (“bad profits”) "
            "for long-term relationships — knowing the payback may come after your tenure ends?")

# --- read the link, the mode and the levers ------------------------------------------------------
notes = share.load_from_url_once()
st.session_state[state.PRESENTATION_WIDGET_KEY] = state.presentation_mode()

head, mode = st.columns([4, 1], vertical_alignment="bottom")
head.title("The one question")
mode.toggle("Presentation mode", key=state.PRESENTATION_WIDGET_KEY,
            on_change=lambda: state.set_presentation(
                st.session_state[state.PRESENTATION_WIDGET_KEY]),
            help="Hides the assumption panels and enlarges the verdict and charts for a projector.")
present = state.presentation_mode()
st.markdown(f"*{QUESTION}*")

values = render_sidebar()
for note in notes:
    st.warning(escape_markdown(note), icon=":material/warning:")

cal = state.current_calibration()
if cal is not None:
    badge, reset = st.columns([5, 1], vertical_alignment="center")
    badge.info(f"Calibrated with your churn data: **{cal.label}**. Customers, revenue per "
               "customer, churn and new customers come from the data.", icon=":material/dataset:")
    reset.button("Reset to defaults", key="reset_calibration", on_click=state.clear_calibration,
                 help="Forget the churn-data calibration and use the sidebar's assumptions.")

# --- the model ----------------------------------------------------------------------------------
try:
    result = state.cached_run(values, state.current_baseline())
except (ValueError, ArithmeticError) as err:  # a calibration the model cannot use
    st.error(f"The model could not run with these inputs: {err}. Reset the calibration or "
             "change the assumptions in the sidebar.")
    st.stop()
s = result.summary
params = share.write_url(values, present)

# --- verdict and metrics --------------------------------------------------------------------------
size = "2.1rem" if present else "1.35rem"
metric_size = "2.6rem" if present else "1.8rem"
st.html(f"<style>.st-key-verdict p {{font-size: {size}; line-height: 1.35; font-weight: 600;}}"
        f" [data-testid='stMetricValue'] {{font-size: {metric_size};}}</style>")
with st.container(key="verdict"):
    st.markdown(verdict_sentence(s).replace("$", "\\$"))
st.caption(exact_line(s), help="The verdict's amounts to the cent: a shared link reproduces them.")

metrics = headline_metrics(s)
for row in (metrics[:3], metrics[3:]):
    for column, metric in zip(st.columns(3), row, strict=True):
        column.metric(metric.label, metric.value, help=metric.help, delta=metric.note,
                      delta_color="off", delta_arrow="off")
for warning in money_warnings(values, state.current_baseline()):
    st.warning(escape_markdown(warning), icon=":material/scale:")

# --- charts (specs from cached layouts: Altair objects would cost more than the model run) ------
if present:
    for name, spec in (("c_profit", charts.profit_spec(result, height=460)),
                       ("c_sacrifice", charts.sacrifice_spec(result, SACRIFICE_TITLE, height=460))):
        st.vega_lite_chart(spec=charts.for_projector(spec), width="stretch", key=name)
    st.vega_lite_chart(spec=charts.for_projector(
        charts.customers_trust_spec(result, height=320, width=400)),
        width="content", key="c_customers_trust")
else:
    left, right = st.columns(2)
    left.vega_lite_chart(spec=charts.profit_spec(result), width="stretch", key="c_profit")
    right.vega_lite_chart(spec=charts.sacrifice_spec(result, SACRIFICE_TITLE), width="stretch",
                          key="c_sacrifice")
    st.vega_lite_chart(spec=charts.customers_trust_spec(result, height=220, width=360),
                       width="content", key="c_customers_trust")

if not present:
    table = result.combined_table()
    with st.expander("Monthly table (both strategies)"):
        st.dataframe(table, hide_index=True, key="monthly_table")
    st.download_button("Download the monthly table (CSV)",
                       lambda: safe_csv(table).encode("utf-8"),  # written only when clicked
                       file_name="one-question-monthly.csv", mime="text/csv",
                       key="download_csv", on_click="ignore")

    with st.expander("Share this view"):
        base = (st.context.url or "").split("?")[0]
        base = base if base.endswith("/") else base + "/"
        st.code(base + share.link_suffix(params), language=None)
        st.caption("The address bar always holds this view: copy it (or the line above) and "
                   "whoever opens it sees the same numbers."
                   + (" The churn-data calibration is not part of the link." if cal else ""))
