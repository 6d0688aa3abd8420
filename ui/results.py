"""The dashboard's parts: title and mode, calibration badge, the verdict, metrics and charts of a
run, the monthly table, and the page's style (pages/dashboard.py puts them in order).

Words and numbers come from ``ui.verdict`` and ``ui.fields``, chart specs from ``ui.charts``; this
module only draws them. Our own sentences go through ``escape_dollars``, text from users or files
through ``escape_markdown``.
"""

from __future__ import annotations

import streamlit as st

from model.proportion import money_warnings
from model.scenario import safe_csv
from model.simulation import Run
from ui import charts, monthly, state
from ui.format import escape_dollars, escape_markdown
from ui.verdict import (
    PLAIN_UNITS,
    SACRIFICE_TITLE,
    crossing_note,
    exact_line,
    headline_metrics,
    verdict_sentence,
)

# Streamlit fades results that are being recomputed (a 1.5 s CSS transition on every element of
# the rerun). A lever move here reruns in about a tenth of a second, so the fade was rarely seen,
# yet every running transition makes the browser draw frames: with ten sessions on two cores it
# cost about a sixth of the browsers' CPU per move (benchmarks/bench_load.py). Results stay as
# they are until the new ones replace them; the header's "Running" sign still shows a rerun.
STEADY_RESULTS_CSS = (
    ".stElementContainer, [data-testid='stExpander'] details, [data-testid='stExpander'] summary,"
    " [data-testid='stSliderTickBar'] {transition: none !important;}"
    " .stElementContainer[data-stale='true'] {opacity: 1 !important;}")


# --- the header ---------------------------------------------------------------------------------


def title_with_mode(title: str) -> bool:
    """The page title with the presentation-mode toggle beside it; returns whether it is on."""
    st.session_state[state.PRESENTATION_WIDGET_KEY] = state.presentation_mode()
    head, mode = st.columns([3, 1], vertical_alignment="bottom")
    head.title(title)
    mode.toggle("Presentation mode", key=state.PRESENTATION_WIDGET_KEY,
                on_change=lambda: state.set_presentation(
                    st.session_state[state.PRESENTATION_WIDGET_KEY]),
                help="Hides the assumption panels and enlarges the verdict and charts for a "
                     "projector.")
    return state.presentation_mode()


def calibration_badge() -> bool:
    """Say that churn data calibrates the model, with a button to forget it; True when it does."""
    cal = state.current_calibration()
    if cal is None:
        return False
    badge, reset = st.columns([5, 1], vertical_alignment="center")
    # Where each number came from (the data, entered, or scaled), as the churn page said it.
    origins = " ".join(cal.baseline.origins) or ("Customers, revenue per customer, churn and "
                                                 "new customers come from the data.")
    badge.info(f"Calibrated with your churn data: **{escape_markdown(cal.label)}**. "
               f"{escape_markdown(origins)}", icon=":material/dataset:")
    reset.button("Reset to defaults", key="reset_calibration", on_click=state.clear_calibration,
                 help="Forget the churn-data calibration and use the sidebar's assumptions.")
    return True


# Presentation mode: the two main charts take the height the screen leaves under the title and
# the verdict (about 420 px), so they are larger on a projector and still above the fold on a
# laptop (issue 22, defect 7: they used to be 290 px on every screen, shorter than without it).
PRESENT_CSS = (".st-key-c_profit_box, .st-key-c_sacrifice_box "
               "{height: max(280px, calc(100vh - 430px)) !important; "
               "min-height: max(280px, calc(100vh - 430px)) !important; flex: none !important;}")


def page_style(present: bool) -> None:
    """A larger verdict and metrics (larger still for a projector) and steady results."""
    size = "1.7rem" if present else "1.35rem"
    metric_size = "2.2rem" if present else "1.8rem"
    st.html(f"<style>.st-key-verdict p {{font-size: {size}; line-height: 1.3; font-weight: 600;}}"
            f" [data-testid='stMetricValue'] {{font-size: {metric_size};}}"
            + (" [data-testid='stMainBlockContainer'] {padding-top: 1.5rem;} " + PRESENT_CSS
               if present else "")
            + " " + STEADY_RESULTS_CSS + "</style>")


# --- the scenario and its run -------------------------------------------------------------------


def scenario_name_line() -> str | None:
    """Name the scenario loaded from the library or a link; returns the name a share link keeps
    (None when there is none or the scenario changed since it was loaded)."""
    named = state.scenario_name()
    if named is None:
        return None
    name, changed = named
    st.markdown(f"Scenario: **{escape_markdown(name)}**"
                + (" — changed since it was loaded" if changed else ""))
    return None if changed else name


def run_or_explain(values: dict) -> Run | None:
    """The cached model run of ``values``, or None after saying why the model could not run."""
    try:
        return state.cached_run(values, state.current_baseline())
    except (ValueError, ArithmeticError) as err:  # a calibration the model cannot use
        st.error(f"The model could not run with these inputs: {escape_markdown(err)}. Reset the "
                 "calibration or change the assumptions in the sidebar.")
        return None


# --- the results ----------------------------------------------------------------------------------


def _chart(column, spec: dict, key: str, present: bool, title: bool = True,
           tall: bool = False) -> None:
    """The chart's title as text (it wraps on a phone), then the chart as wide as its column;
    ``tall`` (presentation mode's two main charts): as high as the screen leaves room for."""
    spec = charts.for_projector(spec) if present else spec
    if title:
        text, spec = charts.untitled(spec)
        column.markdown(f"**{text}**")
    if tall:  # the box's height follows the viewport (PRESENT_CSS); the chart fills it
        box = column.container(key=f"{key}_box")
        box.vega_lite_chart(spec=charts.arrow_datasets({**spec, "height": "container"}),
                            width="stretch", height="stretch", key=key)
        return
    column.vega_lite_chart(spec=charts.arrow_datasets(spec), width="stretch", key=key)


def _metrics(summary, tenure_years: float) -> None:
    metrics = headline_metrics(summary, tenure_years)
    for row in (metrics[:3], metrics[3:]):
        for column, metric in zip(st.columns(3), row, strict=True):
            column.metric(metric.label, metric.value, help=escape_dollars(metric.help),
                          delta=metric.note, delta_color="off", delta_arrow="off")


def _notes(result: Run) -> None:
    """Inputs the model capped, clipped or left out of the horizon, and whether the total still
    moves with it."""
    for note in result.notes:
        st.info(escape_markdown(note), icon=":material/info:")


def show(values: dict, result: Run, present: bool, holds: str = "") -> None:
    """The verdict, the metrics, the two main charts, then customers and trust. ``holds`` says
    what a structured run holds ("5 segments, 3 tiers, 10 fixes"; "" for one mass)."""
    s = result.summary
    with st.container(key="verdict"):
        st.markdown(escape_dollars(verdict_sentence(s, values["tenure_years"])))
    st.caption(PLAIN_UNITS, help=None if present else escape_dollars(exact_line(s)))
    if not present:
        _metrics(s, values["tenure_years"])
    for warning in money_warnings(values, state.current_baseline()):
        st.warning(escape_markdown(warning), icon=":material/scale:")
    if not present:  # on a projector they follow the charts, which must fit the first screen
        _notes(result)
    # Specs from cached layouts: Altair objects would cost more than the model run. A chart as
    # wide as its column fits its whole height (title, legend, labels, axes) into these pixels.
    height = 360
    left, right = st.columns(2)
    _chart(left, charts.profit_spec(result, height=height), "c_profit", present, tall=present)
    _chart(right, charts.sacrifice_spec(result, SACRIFICE_TITLE, height=height), "c_sacrifice",
           present, tall=present)
    note = crossing_note(result)
    if holds:  # every figure on the page is the structured run's: say so under the charts
        note = (f"The scenario with {holds} (“Beyond one mass” below), summed: the verdict, "
                "metrics and charts are its figures, not one mass of customers'. "
                + (note or ""))
    if note:
        st.caption(note)
    if present:
        _metrics(s, values["tenure_years"])
        _notes(result)
    trust_specs = charts.panels(charts.customers_trust_spec(result, height=280))
    for column, spec, key in zip(st.columns(2), trust_specs, ("c_customers", "c_trust"),
                                 strict=True):
        _chart(column, spec, key, present, title=False)


def monthly_table(result: Run) -> None:
    """The monthly table of both strategies (built only while open) and its CSV download."""
    # Built only while it is open: building it cost every slider move a sixth of the script.
    box = st.expander("Monthly table (both strategies)", key="monthly_open", on_change="rerun")
    if box.open:
        with box:
            st.dataframe(monthly.readable_table(result.combined_table()), hide_index=True,
                         key="monthly_table",
                         column_config={name: st.column_config.NumberColumn(name, format=fmt)
                                        for name, fmt in monthly.column_formats().items()})
            st.caption("Rounded for reading; the CSV below keeps the model's full precision.")
    st.download_button("Download the monthly table (CSV)",
                       lambda: safe_csv(result.combined_table()).encode("utf-8"),  # on click
                       file_name="one-question-monthly.csv", mime="text/csv",
                       key="download_csv", on_click="ignore")
