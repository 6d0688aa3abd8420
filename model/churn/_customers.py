"""Customer rows → per-segment counts, active customers, ARPU and age mix.

Durations come from a tenure column (whole days, weeks, months or years) or from start and end
dates with or without a time of day (blank end = still active at the as-of date). Dates and
tenures in days or weeks are counted in whole days and fitted per month (``Counts`` keeps the
part-month each active customer was seen in: see model/fitting/_counts.py); tenures in months or
years are fitted per month or per year as they are. A tenure beyond ``MAX_TENURE_MONTHS`` (100
years) or one that is not a finite number is refused with its line: one typo must not cost the
server its memory.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from model.churn._calendar import calendar_holdouts, default_cut, read_cut
from model.churn._cells import churn_flags, dates, numbers
from model.churn._columns import MAX_SEGMENTS, MONTHS_PER, ColumnMapping, mapped
from model.churn._dataset import ALL_CHURNED, Dataset, aggregate, start_month_cohorts
from model.churn._errors import (
    MAX_TENURE_MONTHS,
    ChurnDataError,
    columns_of,
    line,
    plural,
    quote,
    quote_id,
)

DAYS_PER_MONTH = 365.2425 / 12
DAYS_PER = {"days": 1.0, "weeks": 7.0, "months": DAYS_PER_MONTH, "years": 365.2425}


@dataclass(frozen=True)
class _Durations:
    ticks: np.ndarray  # whole ticks: days (dates, tenure in days or weeks) or whole periods
    churned: np.ndarray
    age_months: np.ndarray  # age of active customers for the age mix
    ticks_per_period: float  # 1 for a tenure in whole periods; days per period otherwise
    as_of: str | None = None
    start: np.ndarray | None = None  # start dates (dates only): for the start-month cohorts
    as_of_time: np.datetime64 | None = None  # dates only: the end of the observation window


def _check_ids(frame: pd.DataFrame, cid: str) -> None:
    ids = frame[cid]
    pa_array = getattr(ids.array, "_pa_array", None)
    if pa_array is not None:  # Arrow's hash table: cheap on a million strings
        import pyarrow.compute as pc

        if len(pc.unique(pa_array.drop_null())) == len(ids) - pa_array.null_count:
            return
    elif not ids.dropna().duplicated().any():
        return
    dup = ids.duplicated(keep=False).to_numpy() & ids.notna().to_numpy()
    if not dup.any():
        return
    rows = np.flatnonzero(dup)
    first = ids.iloc[rows[0]]
    same = rows[(ids.iloc[rows] == first).to_numpy()]
    raise ChurnDataError(
        f"Customer id {quote_id(first)} appears on lines {line(same[0])} and {line(same[1])} "
        f"({plural(int(ids.duplicated().sum()), 'repeated id')} in column {quote(cid)}): each customer "
        f"must be one row — remove the duplicates, or choose no id column.")


def tenure_limit(unit: str) -> int:
    """The longest tenure in ``unit``: 100 years."""
    return int(MAX_TENURE_MONTHS * DAYS_PER_MONTH // DAYS_PER[unit]) if unit in (
        "days", "weeks") else MAX_TENURE_MONTHS // MONTHS_PER[unit]


def _too_long(col: str, value: float, i: int, unit: str) -> ChurnDataError:
    return ChurnDataError(
        f"Column {quote(col)} has a tenure of {quote(value)} {unit} on line {line(i)}, over "
        f"the maximum of {tenure_limit(unit):,} {unit} ({MAX_TENURE_MONTHS // 12} years): fix that row, "
        f"or check that the column counts {unit}.")


def _from_tenure(frame: pd.DataFrame, m: ColumnMapping, duration: str | None,
                 event: str | None, notes: list[str]) -> _Durations:
    if duration is None:
        raise ChurnDataError(f"No duration column is mapped (the file's columns are "
                             f"{columns_of(frame)}): choose the column with each customer's "
                             f"tenure in periods, or map start and end dates.")
    if event is None:
        raise ChurnDataError(f"No churned column is mapped (the file's columns are "
                             f"{columns_of(frame)}): choose the column that says whether each "
                             f"customer left (Yes/No, 1/0, churned/active).")
    unit = m.period
    raw = numbers(frame, duration, "tenure")
    bad = ~np.isfinite(raw)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ChurnDataError(
            f"Column {quote(duration)} has a tenure that is not a finite number: {quote(raw[i])} "
            f"on line {line(i)}. Durations count whole {unit}; fix that row.")
    if (raw < 0).any():
        i = int(np.flatnonzero(raw < 0)[0])
        raise ChurnDataError(
            f"Column {quote(duration)} has a negative duration: {quote(raw[i])} on line "
            f"{line(i)}. Durations count whole {unit} from 0 up; fix those rows.")
    over = raw > tenure_limit(unit)
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise _too_long(duration, raw[i], i, unit)
    frac = np.abs(raw - np.round(raw)) > 1e-9
    if frac.any():
        i = int(np.flatnonzero(frac)[0])
        raise ChurnDataError(
            f"Column {quote(duration)} has a fractional duration: {quote(raw[i])} on line "
            f"{line(i)} ({plural(int(frac.sum()), 'such row')}). Durations must be whole {unit}: "
            f"round them, or map start and end dates instead.")
    whole = np.round(raw).astype(np.int64)
    churned = churn_flags(frame, event, m.blank_is_active)
    zero = churned & (whole == 0)
    if zero.any():
        notes.append(f"{int(zero.sum()):,} churned customers had a duration of 0; counted as "
                     f"leaving at the end of their first {unit[:-1]}.")
        whole = np.where(zero, 1, whole)
    if unit in ("days", "weeks"):  # counted in days, fitted per month
        days = whole * int(DAYS_PER[unit])
        return _Durations(days, churned, np.floor(days / DAYS_PER_MONTH + 1e-9).astype(np.int64),
                          DAYS_PER_MONTH)
    return _Durations(whole, churned, whole * MONTHS_PER[unit], 1.0)


def _as_of(m: ColumnMapping, s: np.ndarray, e: np.ndarray) -> np.datetime64:
    if m.as_of:
        try:  # the end of the day the data was taken on
            day = np.datetime64(pd.Timestamp(m.as_of).date(), "D")
        except ValueError:
            raise ChurnDataError(f"The as-of date {quote(m.as_of)} cannot be read: write it as "
                                 f"YYYY-MM-DD.") from None
        return (day + np.timedelta64(1, "D")).astype("datetime64[s]") - np.timedelta64(1, "s")
    return max(x.max() for x in (s, e[~np.isnat(e)]) if x.size)


def shown(when: np.datetime64) -> str:
    """A date as people write it: without a time of day when it is midnight."""
    text = str(np.datetime64(when, "s")).replace("T", " ")
    return text[:10] if text.endswith("00:00:00") else text


def _check_dates(s: np.ndarray, e: np.ndarray, as_of: np.datetime64) -> None:
    before = ~np.isnat(e) & (e < s)
    if before.any():
        i = int(np.flatnonzero(before)[0])
        raise ChurnDataError(
            f"On line {line(i)} the end date {shown(e[i])} is before the start date "
            f"{shown(s[i])} ({plural(int(before.sum()), 'such row')}): fix or remove those rows.")
    late = s > as_of
    if late.any():
        i = int(np.flatnonzero(late)[0])
        raise ChurnDataError(
            f"On line {line(i)} the start date {shown(s[i])} is after the as-of date "
            f"{shown(as_of)}: choose a later as-of date or remove customers who had not started.")


def _from_dates(frame: pd.DataFrame, m: ColumnMapping, start: str, end: str | None,
                event: str | None, notes: list[str]) -> _Durations:
    s = dates(frame, start)
    e = dates(frame, end) if end is not None else np.full(len(frame), np.datetime64("NaT"), "M8[s]")
    if np.isnat(s).any():
        i = int(np.flatnonzero(np.isnat(s))[0])
        raise ChurnDataError(f"Column {quote(start)} (start date) is blank on line {line(i)}: "
                             f"every customer needs a start date.")
    as_of = _as_of(m, s, e)
    _check_dates(s, e, as_of)
    has_end = ~np.isnat(e) & (e <= as_of)
    if (~np.isnat(e) & (e > as_of)).any():
        notes.append("End dates after the as-of date count as still active on that date.")
    if event is not None:
        churned = churn_flags(frame, event, m.blank_is_active)
        if (churned & ~has_end).any():
            i = int(np.flatnonzero(churned & ~has_end)[0])
            raise ChurnDataError(
                f"Line {line(i)} says the customer churned but has no end date on or before "
                f"{shown(as_of)}: add the end date or correct the churned flag.")
        churned = churned & has_end
    else:
        churned = has_end
    # Whole days are the seam (a SQL source groups by them too); a churn on the day of the start
    # counts on the first day.
    days = (np.where(churned, e, as_of) - s).astype("m8[s]").astype(np.int64) // 86_400
    months = days / DAYS_PER_MONTH
    over = months > MAX_TENURE_MONTHS
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise ChurnDataError(
            f"On line {line(i)} the customer's tenure from {shown(s[i])} (column {quote(start)}) is "
            f"{months[i] / 12:,.0f} years, over the maximum of {MAX_TENURE_MONTHS // 12} years: "
            f"fix that row's dates.")
    same_day = churned & (days == 0)
    if same_day.any():
        notes.append(f"{int(same_day.sum()):,} customers churned on the day they started; counted "
                     f"as leaving after one day.")
        days = np.where(same_day, 1, days)
    per_period = DAYS_PER["years"] if m.period == "years" else DAYS_PER_MONTH
    return _Durations(days, churned, np.floor(months + 1e-9).astype(np.int64), per_period,
                      shown(as_of)[:10], s, as_of)


def _segments(frame: pd.DataFrame, segment: str | None) -> tuple[np.ndarray, list[str]]:
    """Segment code per row and the segment names (blank values form a "(blank)" segment)."""
    if segment is None:
        return np.zeros(len(frame), dtype=np.int64), ["All customers"]
    raw_codes, raw = pd.factorize(frame[segment], use_na_sentinel=True)
    labels = [str(x).strip() or "(blank)" for x in raw]
    if (raw_codes < 0).any():
        labels.append("(blank)")
        raw_codes = np.where(raw_codes < 0, len(labels) - 1, raw_codes)
    merged, names = pd.factorize(pd.Series(labels), sort=True)  # " a" and "a" are one
    if len(names) > MAX_SEGMENTS:
        raise ChurnDataError(
            f"Column {quote(segment)} has {len(names):,} distinct values, too many segments (at "
            f"most {MAX_SEGMENTS}): choose a column with a few groups, or no segment.")
    return merged[raw_codes], [str(x) for x in names]


def _revenue(frame: pd.DataFrame, revenue: str | None, notes: list[str]) -> np.ndarray | None:
    if revenue is None:
        return None
    rev = numbers(frame, revenue, "revenue", allow_blank=True)
    blanks = int(np.isnan(rev).sum())
    if blanks:
        notes.append(f"{blanks:,} blank revenue cells in {quote(revenue)} were left out of ARPU.")
    bad = ~np.isnan(rev) & ((rev < 0) | ~np.isfinite(rev))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ChurnDataError(f"Column {quote(revenue)} has revenue {quote(rev[i])} on line "
                             f"{line(i)}: map a column of revenue per customer per period "
                             f"(zero or more).")
    return rev


def customer_dataset(frame: pd.DataFrame, mapping: ColumnMapping) -> Dataset:
    """Customer-level rows → per-segment counts, active customers, ARPU and age mix."""
    m = mapping
    duration = mapped(frame, m.duration, "duration")
    event = mapped(frame, m.event, "churned")
    start = mapped(frame, m.start, "start date")
    end = mapped(frame, m.end, "end date")
    segment = mapped(frame, m.segment, "segment")
    revenue = mapped(frame, m.revenue, "revenue")
    cid = mapped(frame, m.customer_id, "customer id")
    notes: list[str] = []
    if len(frame) < 2:
        raise ChurnDataError("The file has only one customer row: fitting a retention curve needs "
                             "many customers (hundreds or more), one row each.")
    if cid is not None:
        _check_ids(frame, cid)
    if start is not None:
        d = _from_dates(frame, m, start, end, event, notes)
    else:
        d = _from_tenure(frame, m, duration, event, notes)
    rev = _revenue(frame, revenue, notes)
    codes, names = _segments(frame, segment)
    k = 12 if m.period == "years" else 1  # months per fitting period
    segments = aggregate(codes, names, d.ticks, d.churned, rev, d.age_months, k,
                         d.ticks_per_period)
    if d.start is not None:
        cut = (read_cut(m.cutoff, d.start, d.as_of_time) if m.cutoff
               else default_cut(d.start, d.as_of_time, d.ticks_per_period))
        holdouts = calendar_holdouts(codes, len(names), d.start, d.ticks, d.churned,
                                     d.as_of_time, d.ticks_per_period, cut)
        segments = [replace(sd, calendar=h) for sd, h in zip(segments, holdouts, strict=True)]
    elif m.cutoff:
        raise ChurnDataError("A backtest cut-off date needs start dates: this file has tenures, "
                             "so its backtest holds out the later periods of each customer's "
                             "life instead — leave the cut-off empty.")
    if sum(sd.counts.n_churned for sd in segments) == len(frame):
        notes.append(ALL_CHURNED)
    cohorts = (start_month_cohorts(d.start, d.ticks, d.churned, DAYS_PER_MONTH)
               if d.start is not None else None)
    return Dataset(tuple(segments), k, "customers", len(frame), tuple(notes), d.as_of,
                   "dates" if start is not None else m.period, cohorts)
