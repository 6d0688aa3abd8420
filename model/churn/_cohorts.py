"""Cohort survival tables → counts per cohort (or pooled): a period column 0, 1, 2, … and one
column of survivors (counts or % alive) per cohort or segment, blanks only at the bottom."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.churn._cells import numbers
from model.churn._columns import MONTHS_PER, ColumnMapping, mapped
from model.churn._dataset import Dataset, SegmentData
from model.churn._errors import ChurnDataError, line, quote
from model.curves import MAX_AGE_MONTHS
from model.fitting import Counts

MAX_COHORT_SIZE = 1e12  # more customers than the world has people: a typo or another quantity


def _period_column(frame: pd.DataFrame, m: ColumnMapping) -> tuple[str, np.ndarray]:
    period_col = mapped(frame, m.cohort_period, "period")
    if period_col is None:
        raise ChurnDataError("No period column is mapped: choose the column with 0, 1, 2, … "
                             "periods since the start of each cohort.")
    if len(frame) < 2:
        raise ChurnDataError("The cohort table has only one period: it needs at least the "
                             "starting size and one later period.")
    t = numbers(frame, period_col, "period")
    wrong = np.flatnonzero((np.diff(t) != 1) | (t[1:] != np.round(t[1:])))
    if wrong.size or t[0] != np.round(t[0]):
        i = int(wrong[0]) + 1 if wrong.size else 0
        raise ChurnDataError(
            f"Column {quote(period_col)} must count periods 0, 1, 2, … one per row in order; "
            f"line {line(i)} has {quote(t[i])}.")
    return period_col, t


def _survivors(frame: pd.DataFrame, c: str) -> np.ndarray:
    """A survivor column up to its last value, checked: no gaps, never negative, never rising."""
    v = numbers(frame, c, "survivors", allow_blank=True)
    observed = ~np.isnan(v)
    last = int(np.flatnonzero(observed)[-1]) if observed.any() else -1
    if last < 1 or not observed[: last + 1].all() or np.isnan(v[0]):
        raise ChurnDataError(
            f"Column {quote(c)} needs its starting size on the first row and no gaps before its "
            f"last value (blanks are allowed only at the bottom, for periods not seen yet).")
    v = v[: last + 1]
    bad = np.flatnonzero((v < 0) | ~np.isfinite(v) | (v > MAX_COHORT_SIZE))
    if bad.size:
        i = int(bad[0])
        raise ChurnDataError(f"Column {quote(c)} has {quote(v[i])} survivors on line {line(i)}: "
                             f"survivors are counts (or % alive) of zero to "
                             f"{MAX_COHORT_SIZE:,.0f}.")
    rise = np.flatnonzero(np.diff(v) > 1e-9)
    if rise.size:
        i = int(rise[0]) + 1
        raise ChurnDataError(
            f"Column {quote(c)} rises from {quote(v[i - 1])} to {quote(v[i])} on line {line(i)}: "
            f"survivors of a cohort can only fall — is this column a cohort?")
    return v


def _segment(c: str, v: np.ndarray, k: int, size: float, notes: list[str]) -> SegmentData:
    percent = v[0] in (1.0, 100.0) and np.all(v <= v[0])
    counts_v = v / v[0] * size if percent else v
    churned = np.concatenate(([0.0], -np.diff(counts_v)))
    censored = np.zeros_like(counts_v)
    censored[-1] = counts_v[-1]
    age = (v.size - 1) * k
    age_mix = tuple([0.0] * min(age, MAX_AGE_MONTHS) + [1.0]) if not percent else None
    if percent:
        notes.append(f"Column {quote(c)} is read as % alive; the fit assumes {size:,.0f} "
                     f"customers at the start, so its standard errors are only indicative.")
    return SegmentData(str(c), Counts(churned, censored), None if percent else float(counts_v[-1]),
                       None, age_mix, float(counts_v[-1]) if age < 12 else 0.0)


def cohort_dataset(frame: pd.DataFrame, mapping: ColumnMapping) -> Dataset:
    """A period column plus survivor columns → counts per column (or pooled)."""
    m = mapping
    period_col, t = _period_column(frame, m)
    cols = [c for c in m.cohort_columns if mapped(frame, c, "survivors") and c != period_col]
    if not cols:
        raise ChurnDataError("No survivor columns are chosen: pick the columns with the number "
                             "(or %) of customers still active in each period.")
    if m.period not in MONTHS_PER:
        raise ChurnDataError(f"A cohort table's periods must be months or years, not "
                             f"{m.period}: choose months or years for the period column.")
    k = MONTHS_PER[m.period]
    notes: list[str] = []
    if t[0] != 0:
        notes.append(f"The table starts at period {quote(t[0])}; its first row is taken as the "
                     f"starting size of each cohort.")
    segments = [_segment(c, _survivors(frame, c), k, float(m.cohort_size), notes) for c in cols]
    if not m.cohort_as_segments and len(segments) > 1:
        pooled = segments[0].counts
        for sd in segments[1:]:
            pooled = pooled + sd.counts
        actives = [sd.active for sd in segments]
        active = None if any(a is None for a in actives) else float(sum(actives))
        segments = [SegmentData("All customers", pooled, active, None, None,
                                sum(sd.recent_starters for sd in segments))]
    return Dataset(tuple(segments), k, "cohort", len(frame), tuple(notes), unit=m.period)
