"""Dashboard: the three levers, the verdict, the profit curves with the tenure line, the table."""

import streamlit as st

from model.proportion import money_warnings
from model.scenario import safe_csv
from ui import charts, monthly, share, state
from ui.format import escape_markdown
from ui.shell import require_app
from ui.verdict import (
    PLAIN_UNITS,
    SACRIFICE_TITLE,
    crossing_note,
    exact_line,
    headline_metrics,
    verdict_sentence,
)
from ui.widgets import render_levers, render_panels

require_app()

QUESTION = ("Are you ready to give up short-term profit from your customers (“bad profits”) "
            "for long-term relationships — knowing the payback may come after your tenure ends?")

# --- read the link, the mode and the levers ------------------------------------------------------
share.load_from_url_once()  # before the mode: a link may ask for presentation mode
st.session_state[state.PRESENTATION_WIDGET_KEY] = state.presentation_mode()

head, mode = st.columns([3, 1], vertical_alignment="bottom")
head.title("The one question")
mode.toggle("Presentation mode", key=state.PRESENTATION_WIDGET_KEY,
            on_change=lambda: state.set_presentation(
                st.session_state[state.PRESENTATION_WIDGET_KEY]),
            help="Hides the assumption panels and enlarges the verdict and charts for a projector.")
present = state.presentation_mode()
st.markdown(f"*{QUESTION}*")

levers_box = st.sidebar.container()  # the levers sit above the panels
render_panels()  # also shows what a link asked for and could not use

cal = state.current_calibration()
if cal is not None:
    badge, reset = st.columns([5, 1], vertical_alignment="center")
    origins = " ".join(cal.baseline.origins) or ("Customers, revenue per customer, churn and "
                                                 "new customers come from the data.")
    badge.info(f"Calibrated with your churn data: **{escape_markdown(cal.label)}**. "
               f"{escape_markdown(origins)}", icon=":material/dataset:")
    reset.button("Reset to defaults", key="reset_calibration", on_click=state.clear_calibration,
                 help="Forget the churn-data calibration and use the sidebar's assumptions.")


def _money_text(text: str) -> str:
    """Our own sentences in markdown: a $ must not start a formula."""
    return text.replace("$", "\\$")


def _chart(column, spec: dict, key: str, title: bool = True) -> None:
    """The chart's title as text (it wraps on a phone), then the chart as wide as its column."""
    spec = charts.for_projector(spec) if present else spec
    if title:
        text, spec = charts.untitled(spec)
        column.markdown(f"**{text}**")
    column.vega_lite_chart(spec=charts.arrow_datasets(spec), width="stretch", key=key)


def _metrics(summary, tenure_years: float) -> None:
    metrics = headline_metrics(summary, tenure_years)
    for row in (metrics[:3], metrics[3:]):
        for column, metric in zip(st.columns(3), row, strict=True):
            column.metric(metric.label, metric.value, help=_money_text(metric.help),
                          delta=metric.note, delta_color="off", delta_arrow="off")


def _results(values: dict, result) -> None:
    """The verdict, the metrics, the two main charts, then customers and trust."""
    s = result.summary
    with st.container(key="verdict"):
        st.markdown(_money_text(verdict_sentence(s, values["tenure_years"])))
    st.caption(PLAIN_UNITS, help=None if present else _money_text(exact_line(s)))
    if not present:
        _metrics(s, values["tenure_years"])
    for warning in money_warnings(values, state.current_baseline()):
        st.warning(escape_markdown(warning), icon=":material/scale:")
    # Specs from cached layouts: Altair objects would cost more than the model run. A chart as
    # wide as its column fits its whole height (title, legend, labels, axes) into these pixels.
    height = 290 if present else 360
    left, right = st.columns(2)
    _chart(left, charts.profit_spec(result, height=height), "c_profit")
    _chart(right, charts.sacrifice_spec(result, SACRIFICE_TITLE, height=height), "c_sacrifice")
    note = crossing_note(result)
    if note:
        st.caption(note)
    if present:
        _metrics(s, values["tenure_years"])
    trust_specs = charts.panels(charts.customers_trust_spec(result, height=280))
    for column, spec, key in zip(st.columns(2), trust_specs, ("c_customers", "c_trust"),
                                 strict=True):
        _chart(column, spec, key, title=False)


def _monthly_table(result) -> None:
    # Built only while it is open: building it cost every slider move a sixth of the script.
    box = st.expander("Monthly table (both strategies)", key="monthly_open", on_change="rerun")
    if box.open:
        with box:
            st.dataframe(monthly.report_table(result.combined_table()), hide_index=True,
                         key="monthly_table",
                         column_config={name: st.column_config.NumberColumn(name, format=fmt)
                                        for name, fmt in monthly.column_formats().items()})
            st.caption("Rounded for reading; the CSV below keeps the model's full precision.")
    st.download_button("Download the monthly table (CSV)",
                       lambda: safe_csv(result.combined_table()).encode("utf-8"),  # on click
                       file_name="one-question-monthly.csv", mime="text/csv",
                       key="download_csv", on_click="ignore")


def _share(params: dict) -> None:
    box = st.expander("Share this view", key="share_open", on_change="rerun")
    if not box.open:  # the address bar holds the link anyway: spell it out only when asked
        return
    with box:
        base = (st.context.url or "").split("?")[0]
        base = base if base.endswith("/") else base + "/"
        st.code(base + share.link_suffix(params), language=None)
        st.caption("The address bar always holds this view: copy it (or the line above) and "
                   "whoever opens it sees the same numbers."
                   + (" The churn-data calibration is not part of the link." if cal else ""))


# Streamlit fades results that are being recomputed (a 1.5 s CSS transition on every element of
# the rerun). A lever move here reruns in about a tenth of a second, so the fade was rarely seen,
# yet every running transition makes the browser draw frames: with ten sessions on two cores it
# cost about a sixth of the browsers' CPU per move (benchmarks/bench_load.py). Results stay as
# they are until the new ones replace them; the header's "Running" sign still shows a rerun.
STEADY_RESULTS_CSS = (
    ".stElementContainer, [data-testid='stExpander'] details, [data-testid='stExpander'] summary,"
    " [data-testid='stSliderTickBar'] {transition: none !important;}"
    " .stElementContainer[data-stale='true'] {opacity: 1 !important;}")

size = "1.7rem" if present else "1.35rem"
metric_size = "2.2rem" if present else "1.8rem"
st.html(f"<style>.st-key-verdict p {{font-size: {size}; line-height: 1.3; font-weight: 600;}}"
        f" [data-testid='stMetricValue'] {{font-size: {metric_size};}}"
        + (" [data-testid='stMainBlockContainer'] {padding-top: 1.5rem;}" if present else "")
        + " " + STEADY_RESULTS_CSS + "</style>")


@st.fragment
def levers_and_verdict() -> None:
    """A lever move reruns only this: the levers, the verdict and everything computed from it.
    The header, the assumption panels and the page menu stay as they are (less server work, and
    less for the browser to redraw)."""
    values = render_levers(levers_box)
    named = state.scenario_name()
    if named is not None:
        name, changed = named
        st.markdown(f"Scenario: **{escape_markdown(name)}**"
                    + (" — changed since it was loaded" if changed else ""))
    try:
        result = state.cached_run(values, state.current_baseline())
    except (ValueError, ArithmeticError) as err:  # a calibration the model cannot use
        st.error(f"The model could not run with these inputs: {escape_markdown(err)}. Reset the "
                 "calibration or change the assumptions in the sidebar.")
        return
    params = share.write_url(values, present, named[0] if named and not named[1] else None)
    _results(values, result)
    if not present:
        _monthly_table(result)
        _share(params)


levers_and_verdict()
