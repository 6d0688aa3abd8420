"""Which column means what: the mapping, guessed from column names (and, for cohort tables, from
the values), which the user can override — including the shape of the file itself."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from model.churn._errors import ChurnDataError, columns_of, quote

MAX_SEGMENTS = 20
DEFAULT_COHORT_SIZE = 1000  # customers assumed per cohort when a table gives % alive
MONTHS_PER = {"months": 1, "years": 12}
SHAPES = ("customers", "cohort")
_MAX_COHORT_ROWS = 1000


@dataclass(frozen=True)
class ColumnMapping:
    """Which column means what. ``shape`` is "customers" or "cohort"."""

    shape: str = "customers"
    period: str = "months"  # the unit of durations / of the cohort period column
    duration: str | None = None
    event: str | None = None
    start: str | None = None
    end: str | None = None
    segment: str | None = None
    revenue: str | None = None  # revenue per customer per period
    customer_id: str | None = None
    blank_is_active: bool = True  # a blank churned flag means "still active"
    as_of: str | None = None  # ISO date; None = the latest date in the file
    cohort_period: str | None = None
    cohort_columns: tuple[str, ...] = ()
    cohort_as_segments: bool = True  # each survivor column is a segment (else pooled)
    cohort_size: float = DEFAULT_COHORT_SIZE

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise ChurnDataError(f"Unknown data shape {quote(self.shape)}: use customers or "
                                 f"cohort.")
        if self.period not in MONTHS_PER:
            raise ChurnDataError(f"Unknown period {quote(self.period)}: use months or years.")


_PATTERNS = {
    "duration": ("tenure", "duration", "lifetime", "monthsactive", "periods", "lengthofservice",
                 "monthsasacustomer", "age"),
    "event": ("churned", "churn", "ischurned", "event", "cancelled", "canceled", "status",
              "exited", "left", "attrition", "lost"),
    "start": ("startdate", "start", "signup", "signupdate", "joined", "joindate", "created",
              "subscriptionstart", "acquired", "acquisitiondate", "firstdate", "since"),
    "end": ("enddate", "end", "churndate", "canceldate", "cancellationdate", "terminated",
            "terminationdate", "leftdate", "lastdate", "until"),
    "segment": ("segment", "plan", "tier", "product", "region", "channel", "contract", "type",
                "customertype", "group"),
    "revenue": ("revenue", "arpu", "mrr", "monthlyrevenue", "monthlycharges", "charges", "price",
                "fee", "amount", "spend", "monthlyfee", "revenuepermonth"),
    "customer_id": ("customerid", "id", "customer", "accountid", "account", "userid", "clientid",
                    "subscriberid"),
    "cohort_period": ("period", "month", "year", "t", "age", "tenure", "months", "years",
                      "monthssincestart", "yearssincestart"),
}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _match(columns: Sequence[str], role: str, taken: set[str]) -> str | None:
    """Exact normalised match first, then a column that starts with / contains a pattern."""
    pats = _PATTERNS[role]
    normed = {c: _norm(c) for c in columns if c not in taken}
    for p in pats:
        for c, n in normed.items():
            if n == p:
                return c
    for p in pats:
        if len(p) < 4:
            continue
        for c, n in normed.items():
            if n.startswith(p) or n.endswith(p):
                return c
    return None


def _survivor_like(values: pd.Series, raw: pd.Series) -> bool:
    """Numbers from the first row down (blanks only at the bottom), starting above 1, mostly
    falling and ending no higher than they start: a cohort's survivors — perhaps with a typo that
    makes it rise once, which the loader then names."""
    v = values.dropna().to_numpy()
    if v.size < 2 or values.notna().sum() < raw.notna().sum() or v[0] <= 1:
        return False
    steps = np.diff(v)
    return bool(v[-1] <= v[0] and np.mean(steps <= 1e-9) >= 0.75)


def _looks_like_cohort(frame: pd.DataFrame) -> tuple[str, tuple[str, ...]] | None:
    """A first numeric column 0, 1, 2, … and survivor-like columns beside it."""
    if len(frame) < 2 or len(frame) > _MAX_COHORT_ROWS or frame.shape[1] < 2:
        return None
    numeric = frame.apply(pd.to_numeric, errors="coerce")
    first = numeric.iloc[:, 0]
    t = first.to_numpy()
    # Periods count up from 0 or 1 (a skipped period is an error the loader names, not a reason
    # to read the table as customers).
    if first.isna().any() or not np.all(np.diff(t) > 0) or not np.all(t == np.round(t)) \
            or t[0] not in (0, 1):
        return None
    cols = tuple(str(c) for c in frame.columns[1:])
    if not all(_survivor_like(numeric[c], frame[c]) for c in cols):
        return None
    return str(frame.columns[0]), cols


def cohort_mapping(frame: pd.DataFrame) -> ColumnMapping:
    """The cohort reading of a table: its first column counts periods, the rest are survivors."""
    found = _looks_like_cohort(frame)
    period_col, cols = found if found else (str(frame.columns[0]),
                                            tuple(str(c) for c in frame.columns[1:]))
    period = "years" if "year" in _norm(period_col) else "months"
    return ColumnMapping(shape="cohort", period=period, cohort_period=period_col,
                         cohort_columns=cols)


def customer_mapping(frame: pd.DataFrame) -> ColumnMapping:
    """The customer-rows reading of a table, each role guessed from the column names."""
    columns = list(frame.columns)
    taken: set[str] = set()
    found: dict[str, str | None] = {}
    for role in ("customer_id", "start", "end", "event", "duration", "revenue", "segment"):
        col = _match(columns, role, taken)
        # A column with dozens of values is not a segment. (Repeated ids are kept: they are an error
        # the user must see, not a reason to ignore the column.)
        if col is not None and role == "segment" and frame[col].nunique() > MAX_SEGMENTS:
            col = None
        found[role] = col
        if col is not None:
            taken.add(col)
    if found["start"] is not None:
        found["duration"] = None
    period = "years" if "year" in _norm(found["duration"] or "") else "months"
    return ColumnMapping(shape="customers", period=period, **found)


def guess_mapping(frame: pd.DataFrame, shape: str | None = None) -> ColumnMapping:
    """Best guesses for every role; ``shape`` ("customers" or "cohort") forces the reading."""
    if shape is not None and shape not in SHAPES:
        raise ChurnDataError(f"Unknown data shape {quote(shape)}: use customers or cohort.")
    if shape == "cohort" or (shape is None and _looks_like_cohort(frame) is not None):
        return cohort_mapping(frame)
    return customer_mapping(frame)


def with_overrides(mapping: ColumnMapping, overrides: dict[str, object]) -> ColumnMapping:
    """The mapping with the user's choices applied (None = keep the guess): naming a duration
    forgets guessed dates and naming a start date forgets a guessed duration."""
    overrides = {k: v for k, v in overrides.items() if v is not None}
    if "start" in overrides and "duration" not in overrides:
        overrides["duration"] = None
    if "duration" in overrides and "start" not in overrides:
        overrides.update(start=None, end=None)
    return replace(mapping, **overrides)


def mapped(frame: pd.DataFrame, col: str | None, role: str) -> str | None:
    """``col`` when it is one of the file's columns (None stays None); else a sentence."""
    if col is None:
        return None
    if col not in frame.columns:
        raise ChurnDataError(f"The {role} column {quote(col)} is not in the file; its columns "
                             f"are: {columns_of(frame)}.")
    return col
