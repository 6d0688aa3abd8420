"""The Churn data page's results: the fit (kept for this session's file and mapping), observed
against fitted retention per segment, the Kaplan–Meier tables and the fit-quality table."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import streamlit as st

from model import churn as cd
from model.fitting import BAND_METHOD
from model.scenario import safe_csv
from ui.churn_charts import (
    backtest_frame,
    calendar_frame,
    cohort_chart,
    fits_frame,
    overlay_chart,
    survival_chart,
)
from ui.churn_source import Source
from ui.format import escape_markdown
from ui.tables import show_table

FIT_KEY = "churn_fitted"  # (file digest, mapping) → (dataset, fits): this session's last fit only


def fitted(source: Source, mapping: cd.ColumnMapping,
           horizon_months: int) -> tuple[cd.Dataset, cd.Fitted]:
    """Dataset and fits, kept for this session's current file and mapping (small: counts by
    duration), with a progress bar while a new file or mapping is fitted. Raises
    ``ChurnDataError`` for a file that cannot be fitted."""
    key = (source.digest, repr(mapping), horizon_months)
    held = st.session_state.get(FIT_KEY)
    if held is not None and held[0] == key:
        return held[1], held[2]
    st.session_state.pop(FIT_KEY, None)
    bar = st.progress(0.0, text="Fitting retention curves…")
    try:
        def progress(share: float, text: str) -> None:
            bar.progress(min(share, 1.0), text=text)

        if source.sql is not None:
            upload = cd.fit_sql(source.sql, mapping=mapping, horizon_months=horizon_months,
                                progress=progress)
        else:
            upload = cd.fit_upload(source.csv, mapping=mapping, horizon_months=horizon_months,
                                   progress=progress)
    finally:
        bar.empty()
    st.session_state[FIT_KEY] = (key, upload.dataset, upload.fitted)
    return upload.dataset, upload.fitted


def _stem(name: str) -> str:
    return Path(name).name.split(".")[0] or "churn"


def observed_and_fitted(name: str, dataset: cd.Dataset, fitted: Sequence[cd.SegmentFit],
                        horizon_months: int) -> None:
    """Notes, plain-words checks, one tab per segment (chart + Kaplan–Meier table), fit table."""
    st.subheader("3. Observed against fitted retention")
    for note in dataset.notes:
        st.info(escape_markdown(note))
    for note in getattr(fitted, "skipped", ()):
        st.warning(escape_markdown(note))
    for f in fitted:
        for note in (*f.notes, *f.checks):
            st.warning(f"{escape_markdown(f.data.name)}: {escape_markdown(note)}")
    period = dataset.period
    st.caption(f"{dataset.rows:,} rows · {len(fitted)} segment(s) · one period = one "
               f"{period[:-1]}" + (f" · as of {escape_markdown(dataset.as_of)}" if dataset.as_of else "")
               + ". Black steps: Kaplan–Meier with its 95 % band; dashed on grey: the fitted "
                 "curves carried past the data; shaded around the best curve: its 95 % band "
                 f"({BAND_METHOD.removesuffix(' (95 %)')}).")
    names = [escape_markdown(f.data.name, limit=40) for f in fitted]
    if len(fitted) > 1:
        tabs = st.tabs(["All segments", *names])
        with tabs[0]:
            st.altair_chart(overlay_chart(fitted, period), width="stretch")
        tabs = tabs[1:]
    else:
        tabs = [st.container()]
    for tab, f in zip(tabs, fitted, strict=True):
        with tab:
            st.altair_chart(survival_chart(f, period), width="stretch")
            with st.expander("Kaplan–Meier table with its 95 % band", expanded=False):
                show_table(cd.km_table([f], period), hide_index=True, width="stretch")
    st.download_button("⬇ Kaplan–Meier tables (CSV, every segment)",
                       safe_csv(cd.km_table(fitted, period)),
                       file_name=f"{_stem(name)}-kaplan-meier.csv", mime="text/csv",
                       key="churn_km_csv")
    st.download_button("⬇ Fitted curves with bands (CSV)",
                       safe_csv(cd.curves_table(fitted, dataset, horizon_months)),
                       file_name=f"{_stem(name)}-curves.csv", mime="text/csv",
                       key="churn_curves_csv",
                       help="Share still active and churn in each period, by segment and curve, "
                            "with 95 % bands, to the model's horizon.")
    st.markdown("**Fit quality** — lower AIC is better; a ΔAIC above about 2 is a real difference. "
                "BIC charges more for each parameter (log of the customers, not 2).")
    show_table(fits_frame(fitted), hide_index=True, width="stretch")
    if dataset.cohorts is not None and not dataset.cohorts.empty:
        st.markdown("**Cohorts by start month** — does a newer cohort keep its customers better or "
                    "worse than an older one at the same age?")
        st.altair_chart(cohort_chart(dataset.cohorts), width="stretch")
    backtests = backtest_frame(fitted, period)
    st.markdown("**Backtest** — each curve fitted on the customers' first periods only, then "
                "projected on the later ones and compared with what the data shows there.")
    if backtests.empty:
        st.caption("Too few periods to hold any back.")
    else:
        show_table(backtests, hide_index=True, width="stretch")
    calendar = calendar_frame(fitted, period)
    if not calendar.empty:
        st.markdown("**Backtest on the earlier calendar window** — each curve fitted on the data "
                    "as it stood on the cut-off date, then asked how many of the customers "
                    "active that day would still be active each later period; compared with what "
                    "they did.")
        show_table(calendar, hide_index=True, width="stretch")
