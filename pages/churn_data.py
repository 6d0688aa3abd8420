"""Churn data: upload a CSV, map its columns, fit retention curves per segment, calibrate the model."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from pathlib import Path

import streamlit as st

from model import churn as cd
from model.curves import BEST, CHOICES
from model.curves import label as curve_label
from model.scenario import safe_csv
from ui import state
from ui.bounded_cache import BytesLRU
from ui.churn_charts import changes_frame, fits_frame, overlay_chart, survival_chart
from ui.format import escape_markdown
from ui.shell import require_app

require_app()

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "churn"
SAMPLE_FILES = (
    ("customers.csv", "One row per customer: segment, start and end dates, churned flag, revenue"),
    ("tenure.csv", "One row per customer: tenure in months, 1/0 churned flag, contract"),
    ("cohorts.csv", "Cohort table: survivors of two cohorts by year"),
)
NONE = "— none —"
FIT_KEY = "churn_fitted"  # (file digest, mapping) → (dataset, fits): this session's last fit only


# Parsed uploads, shared by all sessions and bounded in bytes (stated in SECURITY.md): a parsed
# 200 MB file can take a few hundred MB, so entries alone would not bound the memory.
PARSED_UPLOADS_BYTES = 768_000_000
_parsed: BytesLRU[cd.CsvFile] = BytesLRU(
    PARSED_UPLOADS_BYTES, lambda csv: int(csv.frame.memory_usage(deep=True).sum()))


def _read(digest: str, name: str, data: bytes) -> cd.CsvFile:
    """Parsed file, kept by the digest of its bytes (parsing 200 MB per rerun would be slow)."""
    cached = _parsed.get((digest, name))
    if cached is not None:
        return cached
    # Earlier uploads leave parsed frames in reference cycles; the product skips Streamlit's
    # collection after every run (it cost each slider move 100 ms), so collect before a new
    # file is parsed: 20 uploads of 50 MB then left the server at 720 MB resident, not 1,630 MB.
    gc.collect()
    return _parsed.put((digest, name), cd.read_csv_bytes(data, name))


def _fit(digest: str, csv: cd.CsvFile, mapping: cd.ColumnMapping):
    """Dataset and fits, kept for this session's current file and mapping (small: counts by
    duration), with a progress bar while a new file or mapping is fitted."""
    key = (digest, repr(mapping))
    held = st.session_state.get(FIT_KEY)
    if held is not None and held[0] == key:
        return held[1], held[2]
    st.session_state.pop(FIT_KEY, None)
    bar = st.progress(0.0, text=f"Fitting retention curves to {len(csv.frame):,} rows…")
    try:
        upload = cd.fit_upload(csv, mapping=mapping,
                               progress=lambda share, text: bar.progress(min(share, 1.0), text=text))
    finally:
        bar.empty()
    st.session_state[FIT_KEY] = (key, upload.dataset, upload.fitted)
    return upload.dataset, upload.fitted


def _kept() -> str:
    cal = state.current_calibration()
    where = f"the calibration from {escape_markdown(cal.label)}" if cal else "the default assumptions"
    return f" Nothing was changed: the model keeps using {where}."


def _select(label: str, columns: list[str], guess: str | None, key: str, help: str | None = None):
    options = [NONE, *columns]
    index = options.index(guess) if guess in options else 0
    value = st.selectbox(label, options, index=index, key=key, help=help)
    return None if value == NONE else value


def badge_and_reset() -> None:
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


def sample_downloads() -> None:
    with st.expander("No data at hand? Download a sample file and upload it", expanded=False):
        st.caption("Made by data/churn/make_samples.py from known curves (fixed seeds), so a good "
                   "fit should find them again.")
        for i, (name, what) in enumerate(SAMPLE_FILES):
            path = SAMPLES / name
            if path.exists():
                st.download_button(f"⬇ {name}", path.read_bytes(), file_name=name,
                                   mime="text/csv", key=f"churn_sample_{i}", help=what)
                st.caption(what)


def _cohort_widgets(columns: list[str], guess: cd.ColumnMapping, period: str,
                    key) -> cd.ColumnMapping:
    c1, c2 = st.columns(2)
    with c1:
        period_col = _select("Period column (0, 1, 2, …)", columns,
                             guess.cohort_period or columns[0], key("cohort_period"))
    default_cols = [c for c in (guess.cohort_columns or columns[1:]) if c != period_col]
    cols = c2.multiselect("Survivor columns (count or % alive)",
                          [c for c in columns if c != period_col], default=default_cols,
                          key=key("cohort_columns"))
    as_segments = st.checkbox("Each column is its own segment (untick to pool them)",
                              value=True, key=key("cohort_as_segments"))
    size = st.number_input("Customers per cohort, for columns in % alive", 10, 10_000_000,
                           cd.DEFAULT_COHORT_SIZE, key=key("cohort_size"))
    return cd.ColumnMapping(shape="cohort", period=period, cohort_period=period_col,
                            cohort_columns=tuple(cols), cohort_as_segments=as_segments,
                            cohort_size=float(size))


def _customer_widgets(columns: list[str], guess: cd.ColumnMapping, period: str,
                      key) -> cd.ColumnMapping:
    use_dates = st.radio("Tenure is given as", ["duration", "dates"], horizontal=True,
                         key=key("tenure_kind"), index=1 if guess.start else 0,
                         format_func={"duration": "a number of periods",
                                      "dates": "start and end dates"}.get) == "dates"
    c1, c2, c3 = st.columns(3)
    duration = start = end = as_of = None
    if use_dates:
        with c1:
            start = _select("Start date", columns, guess.start, key("start"))
        with c2:
            end = _select("End date (blank = still active)", columns, guess.end, key("end"))
        picked = c3.date_input("Data taken on (as of)", value=None, key=key("as_of"),
                               help="Blank: the latest date in the file.")
        as_of = picked.isoformat() if picked else None
    else:
        with c1:
            duration = _select("Tenure (periods)", columns, guess.duration, key("duration"))
    with st.columns(3)[0] if use_dates else c2:
        event = _select("Churned flag" + (" (optional with end dates)" if use_dates else ""),
                        columns, guess.event, key("event"),
                        help="Yes/No, 1/0, true/false, churned/active … are all understood.")
    blank_active = st.checkbox("A blank churned flag means still active", value=True,
                               key=key("blank_is_active"))
    c1, c2, c3 = st.columns(3)
    with c1:
        segment = _select("Segment (optional)", columns, guess.segment, key("segment"),
                          help="One retention curve is fitted per segment.")
    with c2:
        revenue = _select("Revenue per customer per period (optional)", columns, guess.revenue,
                          key("revenue"), help="Without it, today's revenue assumption is used.")
    with c3:
        cid = _select("Customer id (optional)", columns, guess.customer_id, key("customer_id"),
                      help="Used to catch customers listed twice.")
    return cd.ColumnMapping(shape="customers", period=period, duration=duration, event=event,
                            start=start, end=end, segment=segment, revenue=revenue,
                            customer_id=cid, blank_is_active=blank_active, as_of=as_of)


def mapping_widgets(csv: cd.CsvFile, digest: str) -> cd.ColumnMapping:
    """The guessed mapping as widgets; the shape can be forced (a near-cohort table read as
    customers, or the other way round), and the guesses then follow the chosen shape."""
    frame = csv.frame
    columns = [str(c) for c in frame.columns]
    guess = cd.guess_mapping(frame)

    def key(role: str) -> str:  # per file, so a new file gets fresh guesses
        return f"churn_{role}_{digest}"

    st.subheader("2. Tell us what the columns mean")
    c1, c2 = st.columns(2)
    shape = c1.radio("Each row is", list(cd.SHAPES), horizontal=True, key=key("shape"),
                     index=cd.SHAPES.index(guess.shape),
                     format_func={"customers": "one customer",
                                  "cohort": "a period of a cohort table"}.get)
    if shape != guess.shape:
        guess = cd.guess_mapping(frame, shape)
    period = c2.radio("One period is a", ["months", "years"], horizontal=True, key=key("period"),
                      index=0 if guess.period == "months" else 1,
                      format_func={"months": "month", "years": "year"}.get,
                      help="Guessed from the column names; durations, the cohort period column "
                           "and revenue per period use this unit.")
    if shape == "cohort":
        return _cohort_widgets(columns, guess, period, key)
    return _customer_widgets(columns, guess, period, key)


def _label(name: str, fitted, choice: str) -> str:
    curves = " + ".join(curve_label(k) for k in cd.chosen_keys(fitted, choice))
    return f"{name} · {curves} · {dt.date.today().isoformat()}"


def _stem(name: str) -> str:
    return Path(name).name.split(".")[0] or "churn"


def observed_and_fitted(name: str, dataset, fitted) -> None:
    """Notes, plain-words checks, one tab per segment (chart + Kaplan–Meier table), fit table."""
    st.subheader("3. Observed against fitted retention")
    for note in dataset.notes:
        st.info(escape_markdown(note))
    for f in fitted:
        for note in (*f.notes, *f.checks):
            st.warning(f"{escape_markdown(f.data.name)}: {escape_markdown(note)}")
    period = dataset.period
    st.caption(f"{dataset.rows:,} rows · {len(fitted)} segment(s) · one period = one "
               f"{period[:-1]}" + (f" · as of {escape_markdown(dataset.as_of)}" if dataset.as_of else "")
               + ". Black steps: Kaplan–Meier with its 95 % band; dashed on grey: the fitted "
                 "curves carried past the data.")
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
                st.dataframe(cd.km_table([f], period), hide_index=True, width="stretch")
    st.download_button("⬇ Kaplan–Meier tables (CSV, every segment)",
                       safe_csv(cd.km_table(fitted, period)),
                       file_name=f"{_stem(name)}-kaplan-meier.csv", mime="text/csv",
                       key="churn_km_csv")
    st.markdown("**Fit quality** — lower AIC is better; a ΔAIC above about 2 is a real difference.")
    st.dataframe(fits_frame(fitted), hide_index=True, width="stretch")


def calibrate(name: str, digest: str, fitted) -> None:
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
    try:
        baseline = cd.build_baseline(fitted, choice or BEST, values, label)
    except cd.ChurnDataError as e:
        st.error(escape_markdown(str(e)) + _kept())
        return
    st.markdown("**What the calibration would change**")
    st.dataframe(changes_frame(values, baseline), hide_index=True, width="stretch")
    if any(f.data.arpu_monthly is None for f in fitted):
        st.caption("No revenue column: revenue per customer stays at today's assumption.")
    if st.button("Use in model", type="primary", key="churn_use"):
        state.set_calibration(baseline, label)
        st.session_state["churn_applied"] = label
        st.rerun()


def page() -> None:
    st.title("Churn data")
    st.markdown("Upload your customers' churn history to fit retention curves per segment and "
                "run the dashboard on your own churn, revenue and customer mix.")
    applied = st.session_state.pop("churn_applied", None)
    if applied:
        st.toast(f"The model now runs on {escape_markdown(applied)}.")
    badge_and_reset()
    sample_downloads()
    st.subheader("1. Upload a file")
    upload = st.file_uploader(
        f"Churn data — CSV or .csv.gz, up to {cd.max_upload_mb():g} MB", type=["csv", "gz"],
        key="churn_upload",
        help="One row per customer (tenure or start/end dates, churned flag, optional segment and "
             "revenue), or a cohort table (period + survivors per cohort).")
    if upload is None:
        st.info("Upload a file, or download a sample above and upload it.")
        st.stop()
    data = upload.getvalue()
    digest = hashlib.sha1(data).hexdigest()[:12]
    try:
        csv = _read(digest, upload.name, data)
    except cd.ChurnDataError as e:
        st.error(escape_markdown(str(e)) + _kept())
        st.stop()
    with st.expander(f"Preview of {escape_markdown(upload.name, limit=80)} — {len(csv.frame):,} rows, "
                     f"{csv.frame.shape[1]} columns", expanded=True):
        st.dataframe(csv.frame.head(20), width="stretch")
        for note in csv.notes:
            st.caption(escape_markdown(note))
    mapping = mapping_widgets(csv, digest)
    try:
        dataset, fitted = _fit(digest, csv, mapping)
    except cd.ChurnDataError as e:
        st.error(escape_markdown(str(e)) + _kept())
        st.stop()
    observed_and_fitted(upload.name, dataset, fitted)
    calibrate(upload.name, digest, fitted)


try:
    page()
except Exception as exc:  # the page boundary: a sentence, never a traceback
    st.error(f"Something went wrong while reading or fitting this file ({type(exc).__name__}). "
             f"Check that it is a CSV of customers or a cohort table, or try a sample file."
             + _kept())
