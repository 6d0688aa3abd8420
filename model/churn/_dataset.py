"""What a file holds once read, per segment: counts for fitting plus what the calibration needs.

| shape      | columns                                                                         |
|------------|---------------------------------------------------------------------------------|
| customers  | one row per customer: tenure in periods, or start and end dates (blank end =    |
|            | still active at the "as of" date); a churned flag (Yes/No, 1/0, true/false,     |
|            | churned/active, …); optional segment, revenue per period, customer id           |
| cohort     | a period column (0, 1, 2, …) and one column of survivors (or % alive) per       |
|            | cohort or segment; blanks at the bottom of a column = not observed yet          |

``_customers.py`` and ``_cohorts.py`` read each shape into these dataclasses; ``load_dataset`` (in
``_pipeline.py``) picks the reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.curves import MAX_AGE_MONTHS
from model.fitting import CalendarHoldout, Counts, distinct, kaplan_meier

ALL_CHURNED = ("Every customer in the file churned: the curves can be fitted, but there are no "
               "active customers to count or to take an age mix from — add the customers who "
               "are still active before using this in the model.")


@dataclass(frozen=True, eq=False)
class SegmentData:
    """One segment aggregated: counts for fitting plus what the calibration needs."""

    name: str
    counts: Counts
    active: float | None  # customers still active (None: a % table, unknown)
    arpu_monthly: float | None  # None: no revenue column
    age_mix: tuple[float, ...] | None  # share of active customers by age in months
    recent_starters: float  # customers who started in the last 12 months
    calendar: CalendarHoldout | None = None  # date files: the window up to a cut-off date


@dataclass(frozen=True, eq=False)
class Dataset:
    """Everything read from a file, per segment, ready to fit."""

    segments: tuple[SegmentData, ...]
    months_per_period: int
    shape: str
    rows: int
    notes: tuple[str, ...] = ()
    as_of: str | None = None
    unit: str = "months"  # what durations were read in: days, weeks, months, years or dates
    # Retention by start-month cohort (date files): one row per cohort, one column per month of
    # age, Kaplan–Meier within the cohort; blank where the cohort is too young. None otherwise.
    cohorts: pd.DataFrame | None = None

    @property
    def period(self) -> str:
        """The fitting period: "months" or "years"."""
        return "years" if self.months_per_period == 12 else "months"


COHORT_MONTHS = 36  # ages shown for each start-month cohort
MAX_COHORTS = 120  # the latest ten years of monthly cohorts


def start_month_cohorts(start: np.ndarray, days: np.ndarray, churned: np.ndarray,
                        days_per_month: float) -> pd.DataFrame:
    """Share of each start month's customers still active at each month of age (Kaplan–Meier
    within the cohort, so the still-active are right-censored), latest ``MAX_COHORTS`` cohorts."""
    keys, codes = np.unique(start.astype("datetime64[M]"), return_inverse=True)
    return month_cohorts(keys.astype(str), codes.reshape(-1), days, churned, days_per_month)


def month_cohorts(keys: np.ndarray, codes: np.ndarray, days: np.ndarray, churned: np.ndarray,
                  days_per_month: float, weights: np.ndarray | None = None) -> pd.DataFrame:
    """``start_month_cohorts`` from each row's start month (``keys[codes]``, text "2024-01",
    ascending); with ``weights``, rows are groups of that many customers (a SQL source's
    GROUP BY)."""
    w = np.ones(len(days)) if weights is None else np.asarray(weights, dtype=float)
    churned = np.asarray(churned, dtype=bool)
    order = np.argsort(codes, kind="stable")  # one sort, then each cohort is a slice
    bounds = np.searchsorted(codes[order], np.arange(keys.size + 1))
    ages = np.arange(1, COHORT_MONTHS + 1)
    rows = {}
    for j in range(max(0, keys.size - MAX_COHORTS), keys.size):
        inside = order[bounds[j]:bounds[j + 1]]
        times, inverse = distinct(days[inside])
        dead = np.bincount(inverse, weights=w[inside] * churned[inside], minlength=times.size)
        total = np.bincount(inverse, weights=w[inside], minlength=times.size)
        counts = Counts(dead, total - dead, times, days_per_month)
        km = kaplan_meier(counts)
        seen = counts.times.max() / days_per_month if counts.times.size else 0.0
        rows[str(keys[j])] = np.where(ages <= seen + 1e-9, km.survival_at(ages), np.nan)
    return pd.DataFrame.from_dict(rows, orient="index", columns=[int(a) for a in ages])


def aggregate(codes: np.ndarray, names: Sequence[str], dur: np.ndarray, churned: np.ndarray,
              rev: np.ndarray | None, age_months: np.ndarray, k: int,
              ticks_per_period: float = 1.0, weights: np.ndarray | None = None,
              rev_n: np.ndarray | None = None) -> list[SegmentData]:
    """Per-segment counts with one bincount over (segment, distinct duration) — no per-row
    Python, and a cost set by the number of distinct durations, not by the largest.

    Rows are customers, or — with ``weights`` — groups of that many customers (a SQL source's
    GROUP BY); then ``rev`` holds each group's revenue sum over ``rev_n`` customers with one."""
    S = len(names)
    w = np.ones(len(dur)) if weights is None else np.asarray(weights, dtype=float)
    times, inverse = distinct(dur)
    T = times.size
    flat = codes.astype(np.int64) * T + inverse
    total = np.bincount(flat, weights=w, minlength=S * T).reshape(S, T)
    dead = np.bincount(flat[churned], weights=w[churned], minlength=S * T).reshape(S, T)
    active = ~churned
    n_active = np.bincount(codes[active], weights=w[active], minlength=S)
    young = active & (age_months < 12)
    recent = np.bincount(codes[young], weights=w[young], minlength=S)
    A = MAX_AGE_MONTHS + 1
    ages = np.minimum(age_months[active], A - 1)
    mix = np.bincount(codes[active].astype(np.int64) * A + ages, weights=w[active],
                      minlength=S * A).reshape(S, A)
    if rev is not None and rev_n is None:  # customers: a revenue each, blank left out
        rev_n = (~np.isnan(rev)).astype(float)
        rev = np.nan_to_num(rev)
    arpu = _arpu(codes, rev, rev_n, active, S, k)
    out = []
    for j, name in enumerate(names):
        counts = Counts(dead[j], total[j] - dead[j], times, ticks_per_period)
        m = mix[j]
        last = int(np.flatnonzero(m)[-1]) + 1 if m.any() else 0
        age_mix = tuple(float(x) for x in m[:last] / m.sum()) if m.sum() > 0 else None
        out.append(SegmentData(str(name), counts, float(n_active[j]), arpu[j], age_mix,
                               float(recent[j])))
    return out


def _arpu(codes: np.ndarray, rev: np.ndarray | None, rev_n: np.ndarray | None,
          active: np.ndarray, S: int, k: int) -> list[float | None]:
    """ARPU per month of active customers where there are some (today's prices), else of all."""
    arpu: list[float | None] = [None] * S
    if rev is None or rev_n is None:
        return arpu
    for group in (active, np.ones_like(active)):
        sums = np.bincount(codes[group], weights=rev[group], minlength=S)
        cnt = np.bincount(codes[group], weights=rev_n[group], minlength=S)
        for j in range(S):
            if arpu[j] is None and cnt[j] > 0:
                arpu[j] = float(sums[j] / cnt[j] / k)
    return arpu
