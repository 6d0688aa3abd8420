"""Customer rows → per-segment counts, active customers, ARPU and age mix.

Durations come from a tenure column (whole periods) or from start and end dates (blank end =
still active at the as-of date). A tenure beyond ``MAX_TENURE_MONTHS`` (100 years) or one that is
not a finite number is refused with its line: one typo must not cost the server its memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.churn._cells import dates, flags, numbers
from model.churn._columns import MAX_SEGMENTS, MONTHS_PER, ColumnMapping, mapped
from model.churn._dataset import ALL_CHURNED, Dataset, aggregate
from model.churn._errors import (
    MAX_TENURE_MONTHS,
    ChurnDataError,
    columns_of,
    line,
    plural,
    quote,
)

DAYS_PER_MONTH = 365.2425 / 12


@dataclass(frozen=True)
class _Durations:
    dur: np.ndarray  # whole periods
    churned: np.ndarray
    age_months: np.ndarray  # age of active customers for the age mix
    as_of: str | None = None


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
        f"Customer id {quote(first)} appears on lines {line(same[0])} and {line(same[1])} "
        f"({plural(int(ids.duplicated().sum()), 'repeated id')} in column {quote(cid)}): each customer "
        f"must be one row — remove the duplicates, or choose no id column.")


def _too_long(col: str, value: float, i: int, period: str, k: int) -> ChurnDataError:
    limit = MAX_TENURE_MONTHS // k
    return ChurnDataError(
        f"Column {quote(col)} has a tenure of {quote(value)} {period} on line {line(i)}, over "
        f"the maximum of {limit:,} {period} ({MAX_TENURE_MONTHS // 12} years): fix that row, or "
        f"check that the column counts {period}.")


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
    k = MONTHS_PER[m.period]
    raw = numbers(frame, duration, "tenure")
    bad = ~np.isfinite(raw)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ChurnDataError(
            f"Column {quote(duration)} has a tenure that is not a finite number: {quote(raw[i])} "
            f"on line {line(i)}. Durations count whole {m.period}; fix that row.")
    if (raw < 0).any():
        i = int(np.flatnonzero(raw < 0)[0])
        raise ChurnDataError(
            f"Column {quote(duration)} has a negative duration: {quote(raw[i])} on line "
            f"{line(i)}. Durations count whole {m.period} from 0 up; fix those rows.")
    over = raw > MAX_TENURE_MONTHS // k
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise _too_long(duration, raw[i], i, m.period, k)
    frac = np.abs(raw - np.round(raw)) > 1e-9
    if frac.any():
        i = int(np.flatnonzero(frac)[0])
        raise ChurnDataError(
            f"Column {quote(duration)} has a fractional duration: {quote(raw[i])} on line "
            f"{line(i)} ({plural(int(frac.sum()), 'such row')}). Durations must be whole {m.period}: "
            f"round them, or map start and end dates instead.")
    dur = np.round(raw).astype(np.int64)
    churned = flags(frame, event, m.blank_is_active)
    zero = churned & (dur == 0)
    if zero.any():
        notes.append(f"{int(zero.sum()):,} churned customers had a duration of 0; counted as "
                     f"leaving at the end of their first {m.period[:-1]}.")
        dur = np.where(zero, 1, dur)
    return _Durations(dur, churned, dur * k)


def _as_of(m: ColumnMapping, s: np.ndarray, e: np.ndarray) -> np.datetime64:
    if m.as_of:
        try:
            return np.datetime64(pd.Timestamp(m.as_of).date(), "D")
        except ValueError:
            raise ChurnDataError(f"The as-of date {quote(m.as_of)} cannot be read: write it as "
                                 f"YYYY-MM-DD.") from None
    return max(x.max() for x in (s, e[~np.isnat(e)]) if x.size)


def _check_dates(s: np.ndarray, e: np.ndarray, as_of: np.datetime64) -> None:
    before = ~np.isnat(e) & (e < s)
    if before.any():
        i = int(np.flatnonzero(before)[0])
        raise ChurnDataError(
            f"On line {line(i)} the end date {e[i]} is before the start date {s[i]} "
            f"({plural(int(before.sum()), 'such row')}): fix or remove those rows.")
    late = s > as_of
    if late.any():
        i = int(np.flatnonzero(late)[0])
        raise ChurnDataError(
            f"On line {line(i)} the start date {s[i]} is after the as-of date {as_of}: "
            f"choose a later as-of date or remove customers who had not started.")


def _from_dates(frame: pd.DataFrame, m: ColumnMapping, start: str, end: str | None,
                event: str | None, notes: list[str]) -> _Durations:
    s = dates(frame, start)
    e = dates(frame, end) if end is not None else np.full(len(frame), np.datetime64("NaT"), "M8[D]")
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
        churned = flags(frame, event, m.blank_is_active)
        if (churned & ~has_end).any():
            i = int(np.flatnonzero(churned & ~has_end)[0])
            raise ChurnDataError(
                f"Line {line(i)} says the customer churned but has no end date on or before "
                f"{as_of}: add the end date or correct the churned flag.")
        churned = churned & has_end
    else:
        churned = has_end
    months = (np.where(churned, e, as_of) - s).astype(np.int64) / DAYS_PER_MONTH
    over = months > MAX_TENURE_MONTHS
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise ChurnDataError(
            f"On line {line(i)} the customer's tenure from {s[i]} (column {quote(start)}) is "
            f"{months[i] / 12:,.0f} years, over the maximum of {MAX_TENURE_MONTHS // 12} years: "
            f"fix that row's dates.")
    periods = months / MONTHS_PER[m.period]
    # Churners paid for the period they left in; active customers have completed whole ones.
    dur = np.where(churned, np.maximum(np.ceil(periods - 1e-9), 1),
                   np.floor(periods + 1e-9)).astype(np.int64)
    return _Durations(dur, churned, np.floor(months + 1e-9).astype(np.int64), str(as_of))


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
    k = MONTHS_PER[m.period]
    segments = aggregate(codes, names, d.dur, d.churned, rev, d.age_months, k)
    if sum(sd.counts.n_churned for sd in segments) == len(frame):
        notes.append(ALL_CHURNED)
    return Dataset(tuple(segments), k, "customers", len(frame), tuple(notes), d.as_of)
