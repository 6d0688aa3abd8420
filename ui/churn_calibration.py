"""The Churn data page's calibration: what the model runs on now (with a reset), the choice of
curve and what it would change, "Use in model", and refusals that keep the last good calibration."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

import streamlit as st

from model import churn as cd
from model.curves import BEST, CHOICES
from model.curves import label as curve_label
from ui import state
from ui.churn_charts import changes_frame
from ui.format import escape_markdown
from ui.tables import show_table

APPLIED_KEY = "churn_applied"  # the label just applied, announced once on the next run


def kept() -> str:
    """The sentence that follows every refusal: what the model keeps using."""
    cal = state.current_calibration()
    where = f"the calibration from {escape_markdown(cal.label)}" if cal else "the default assumptions"
    return f" Nothing was changed: the model keeps using {where}."


@contextmanager
def refusal_keeps_calibration() -> Iterator[None]:
    """A ``ChurnDataError`` inside becomes its sentence on the page, and the page stops there."""
    try:
        yield
    except cd.ChurnDataError as e:
        st.error(escape_markdown(str(e)) + kept())
        st.stop()


def badge_and_reset() -> None:
    """A toast for a calibration just applied, then what the model runs on, with a reset."""
    applied = st.session_state.pop(APPLIED_KEY, None)
    if applied:
        st.toast(f"The model now runs on {escape_markdown(applied)}.")
    cal = state.current_calibration()
    if cal is None:
        st.caption("The model runs on the default assumptions (constant churn). Upload your own "
                   "churn data below to calibrate it.")
        return
    left, right = st.columns([4, 1])
    left.success(f"Calibrated on your data: **{escape_markdown(cal.label)}** — "
                 f"{len(cal.baseline.segments)} segment(s).")
    if right.button("Reset to defaults", key="churn_reset", width="stretch"):
        state.clear_calibration()
        st.rerun()


def _label(name: str, fitted: Sequence[cd.SegmentFit], choice: str) -> str:
    curves = " + ".join(curve_label(k) for k in cd.chosen_keys(fitted, choice))
    return f"{name} · {curves} · {dt.date.today().isoformat()}"


def calibrate(name: str, digest: str, fitted: Sequence[cd.SegmentFit]) -> None:
    """The choice of curve, what the calibration would change, and "Use in model"."""
    st.subheader("4. Calibrate the model")
    # Option labels never depend on the data: a label that changes (e.g. with the segment
    # column) makes Streamlit draw a new widget with nothing selected while the server keeps
    # the old value. What "best" means per segment is said in the caption below.
    choice = st.radio("Retention curve for the model", CHOICES, key=f"churn_choice_{digest}",
                      horizontal=True, format_func=curve_label,
                      help="Kaplan–Meier follows the data step by step and continues past it "
                           "with the best fitted curve.")
    best = "; ".join(f"{escape_markdown(f.data.name)}: {curve_label(f.best)}" for f in fitted)
    st.caption(f"Best by AIC — {best}.")
    values = state.current_values()
    label = _label(name, fitted, choice or BEST)
    new, market = _entered_sizes(digest)
    try:
        baseline = cd.build_baseline(fitted, choice or BEST, values, label, new_customers=new)
    except cd.ChurnDataError as e:
        st.error(escape_markdown(str(e)) + kept())
        return
    market_size, market_said = cd.market_size_for(baseline, values, market)
    for sentence in (*baseline.origins, market_said):
        st.caption(sentence)
    st.markdown("**What the calibration would change**")
    show_table(changes_frame(values, baseline), hide_index=True, width="stretch")
    if any(f.data.arpu_monthly is None for f in fitted):
        st.caption("No revenue column: revenue per customer stays at today's assumption.")
    if st.button("Use in model", type="primary", key="churn_use"):
        state.set_calibration(replace(baseline, origins=(*baseline.origins, market_said)), label)
        state.set_values({**state.current_values(), "market_size": round(market_size)})
        st.session_state[APPLIED_KEY] = label
        st.rerun()


def _entered_sizes(digest: str) -> tuple[float | None, float | None]:
    """New customers a month and market size as the analyst knows them (blank: from the data,
    or the assumptions scaled to the data's customers)."""
    left, right = st.columns(2)
    new = left.number_input("New customers a month, if you know it", min_value=0.0,
                            value=None, step=100.0, key=f"churn_new_{digest}",
                            help="Blank: from the customers who started in the last 12 months, or "
                                 "the assumption scaled to your customer count.")
    market = right.number_input("Market size, if you know it", min_value=1.0, value=None,
                                step=10_000.0, key=f"churn_market_{digest}",
                                help="Blank: the assumption scaled to your customer count.")
    return new, market
