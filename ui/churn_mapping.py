"""The Churn data page's column mapping: the guessed meaning of every column as widgets, for
customer rows or a cohort table; the shape itself can be forced and the guesses then follow it."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from model import churn as cd
from model.churn import guess_unit
from ui.format import escape_markdown

NONE = "— none —"


def _select(label: str, columns: list[str], guess: str | None, key: str,
            help: str | None = None) -> str | None:
    options = [NONE, *columns]
    index = options.index(guess) if guess in options else 0
    value = st.selectbox(label, options, index=index, key=key, help=help)
    return None if value == NONE else value


def mapping_widgets(csv: cd.CsvFile, digest: str) -> cd.ColumnMapping:
    """The guessed mapping as widgets, keyed per file (``digest``) so a new file gets fresh
    guesses; a near-cohort table can be read as customers, or the other way round."""
    frame = csv.frame
    columns = [str(c) for c in frame.columns]
    guess = cd.guess_mapping(frame)

    def key(role: str) -> str:
        return f"churn_{role}_{digest}"

    st.subheader("2. Tell us what the columns mean")
    c1, c2 = st.columns(2)
    shape = c1.radio("Each row is", list(cd.SHAPES), horizontal=True, key=key("shape"),
                     index=cd.SHAPES.index(guess.shape),
                     format_func={"customers": "one customer",
                                  "cohort": "a period of a cohort table"}.get)
    if shape != guess.shape:
        guess = cd.guess_mapping(frame, shape)
    units = ["months", "years"] if shape == "cohort" else ["days", "weeks", "months", "years"]
    period = c2.radio("Durations count" if shape != "cohort" else "One period is a", units,
                      horizontal=True, key=key("period"),
                      index=units.index(guess.period) if guess.period in units else 0,
                      format_func=lambda u: u if shape != "cohort" else u[:-1],
                      help="Guessed from the column's name and range; tenures in days or weeks and "
                           "dates are fitted per month. Revenue is per period of this unit.")
    if shape != "cohort" and guess.duration:
        c2.caption(escape_markdown(f"Guessed {guess_unit(frame, guess.duration)[1]}."))
    if shape == "cohort":
        return _cohort_widgets(columns, guess, period, key)
    return _customer_widgets(columns, guess, period, key)


def _cohort_widgets(columns: list[str], guess: cd.ColumnMapping, period: str,
                    key: Callable[[str], str]) -> cd.ColumnMapping:
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
                      key: Callable[[str], str]) -> cd.ColumnMapping:
    use_dates = st.radio("Tenure is given as", ["duration", "dates"], horizontal=True,
                         key=key("tenure_kind"), index=1 if guess.start else 0,
                         format_func={"duration": "a number of periods",
                                      "dates": "start and end dates"}.get) == "dates"
    c1, c2, c3 = st.columns(3)
    duration = start = end = as_of = cutoff = None
    row = st.columns(3) if use_dates else None
    if use_dates:
        with c1:
            start = _select("Start date", columns, guess.start, key("start"))
        with c2:
            end = _select("End date (blank = still active)", columns, guess.end, key("end"))
        picked = c3.date_input("Data taken on (as of)", value=None, key=key("as_of"),
                               help="Blank: the latest date in the file.")
        as_of = picked.isoformat() if picked else None
        cut = row[1].date_input("Backtest cut-off date", value=None, key=key("cutoff"),
                                help="The calendar backtest fits every curve on what was seen "
                                     "by this date and projects the customers active then. "
                                     "Blank: a third of the window before the as-of date.")
        cutoff = cut.isoformat() if cut else None
    else:
        with c1:
            duration = _select("Tenure", columns, guess.duration, key("duration"))
    with row[0] if row else c2:
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
                            customer_id=cid, blank_is_active=blank_active, as_of=as_of,
                            cutoff=cutoff)
