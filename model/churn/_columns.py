"""Which column means what: the mapping, guessed from column names (and, for cohort tables, from
the values), which the user can override — including the shape of the file itself."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from model.churn._cells import looks_like_dates, looks_like_durations, looks_like_flags
from model.churn._errors import ChurnDataError, columns_of, quote

MAX_SEGMENTS = 20
DEFAULT_COHORT_SIZE = 1000  # customers assumed per cohort when a table gives % alive
MONTHS_PER = {"months": 1, "years": 12}  # units a cohort table's periods may count
UNITS = ("days", "weeks", "months", "years")  # units a tenure column may count
SHAPES = ("customers", "cohort")
_MAX_COHORT_ROWS = 1000


@dataclass(frozen=True)
class ColumnMapping:
    """Which column means what. ``shape`` is "customers" or "cohort"."""

    shape: str = "customers"
    period: str = "months"  # the unit of durations (UNITS) / of the cohort period column
    duration: str | None = None
    event: str | None = None
    start: str | None = None
    end: str | None = None
    segment: str | None = None
    revenue: str | None = None  # revenue per customer per period
    customer_id: str | None = None
    blank_is_active: bool = True  # a blank churned flag means "still active"
    as_of: str | None = None  # ISO date; None = the latest date in the file
    cutoff: str | None = None  # calendar backtest cut-off (ISO date); None = a third back
    cohort_period: str | None = None
    cohort_columns: tuple[str, ...] = ()
    cohort_as_segments: bool = True  # each survivor column is a segment (else pooled)
    cohort_size: float = DEFAULT_COHORT_SIZE

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise ChurnDataError(f"Unknown data shape {quote(self.shape)}: use customers or "
                                 f"cohort.")
        if self.period not in UNITS:
            raise ChurnDataError(f"Unknown unit {quote(self.period)}: use days, weeks, months or "
                                 f"years.")


# Exact names first (after lower-casing and dropping everything but letters and digits), in
# order of preference; then names whose words include one of ``_WORDS`` (each guess is checked
# against the values: a date column must hold dates, a churned flag flags, a tenure numbers).
_PATTERNS = {
    "duration": ("tenure", "duration", "lifetime", "monthsactive", "periods", "lengthofservice",
                 "monthsasacustomer", "t", "time", "week", "weeks", "days", "months", "years",
                 "timetoevent", "survivaltime"),
    "event": ("churned", "churn", "ischurned", "event", "e", "observed", "cancelled", "canceled",
              "status", "exited", "left", "attrition", "lost", "arrest", "death", "died", "dead",
              "failure", "failed"),
    "start": ("startdate", "start", "signup", "signupdate", "joined", "joindate", "created",
              "subscriptionstart", "acquired", "acquisitiondate", "firstdate", "since"),
    "end": ("enddate", "end", "churndate", "canceldate", "cancellationdate", "terminated",
            "terminationdate", "leftdate", "lastdate", "until", "subscriptionend"),
    "segment": ("segment", "plan", "tier", "product", "region", "channel", "contract", "type",
                "customertype", "group"),
    "revenue": ("revenue", "arpu", "mrr", "monthlyrevenue", "monthlycharges", "charges", "price",
                "fee", "amount", "spend", "monthlyfee", "revenuepermonth"),
    "customer_id": ("customerid", "id", "customer", "accountid", "account", "userid", "clientid",
                    "subscriberid"),
    "cohort_period": ("period", "month", "year", "t", "age", "tenure", "months", "years",
                      "monthssincestart", "yearssincestart"),
}
_WORDS = {
    "duration": {"tenure", "duration", "lifetime"},
    "event": {"churn", "churned", "exited", "cancelled", "canceled", "attrition", "observed",
              "event", "death", "died", "arrest"},
    "start": {"start", "started", "signup", "joined", "created", "begin", "began", "activated",
              "activation", "acquired", "acquisition", "since", "subscribed", "opened"},
    "end": {"end", "ended", "churn", "churned", "cancel", "cancelled", "canceled", "cancellation",
            "terminated", "termination", "stop", "stopped", "expiry", "expired", "until",
            "closed", "left"},
}
# Names that say their role plainly: taken without looking at the values, so that a bad cell in
# them is named ("blank on line 3") instead of the column being passed over.
_PLAIN = {"duration": {"tenure", "duration", "lifetime", "tenuremonths", "tenuredays",
                       "tenureyears", "tenureweeks"},
          "event": {"churned", "churn", "ischurned", "exited", "attrition"},
          "start": {"start", "startdate"}, "end": {"end", "enddate"}}
_UNIT_WORDS = {"days": {"day", "days", "d"}, "weeks": {"week", "weeks", "wk", "wks", "w"},
               "months": {"month", "months", "mo", "mos", "mth", "mths", "m"},
               "years": {"year", "years", "yr", "yrs", "y"}}
# A unit guessed from the range needs a file long enough for its range to say something.
_RANGE_ROWS = 200
_DAYS_FROM = 400  # a tenure this long (90th percentile) with no unit in its name counts days
_YEARS_UP_TO = 10  # a tenure never longer than this with no unit in its name counts years


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _words(name: str) -> set[str]:
    """``subscription_end`` → {subscription, end}; ``customerID`` → {customer, id}."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", str(name))
    return {w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w}


def _match(columns: Sequence[str], role: str, taken: set[str], fits=None) -> str | None:
    """Exact normalised match first, then a column that starts or ends with a pattern, then one
    whose words include a role word; ``fits(column)`` must accept the values. Each name is
    normalised once: the cost is one pass over the columns per pattern, no more."""
    normed = [(c, _norm(c)) for c in columns if c not in taken]
    ok = fits or (lambda c: True)
    by_name: dict[str, str] = {}
    for c, n in normed:
        by_name.setdefault(n, c)
    for p in _PATTERNS[role]:
        if p in by_name and (p in _PLAIN.get(role, ()) or ok(by_name[p])):
            return by_name[p]
    for p in _PATTERNS[role]:
        if len(p) < 4:
            continue
        for c, n in normed:
            if (n.startswith(p) or n.endswith(p)) and ok(c):
                return c
    words = _WORDS.get(role)
    if words:
        for c, _ in normed:
            if words & _words(c) and ok(c):
                return c
    return None


def guess_unit(frame: pd.DataFrame, column: str) -> tuple[str, str]:
    """The unit a tenure column counts, and why: from a unit in its name, else from its range."""
    for unit, words in _UNIT_WORDS.items():
        if words & _words(column) and not (len(words & _words(column)) == 1
                                           and len(_words(column)) == 1
                                           and next(iter(words & _words(column))) in "dwmy"):
            return unit, f"from the column name {quote(column)}"
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if values.size < _RANGE_ROWS:
        return "months", "the default for a tenure column"
    high, top = float(np.percentile(values, 90)), float(values.max())
    if high >= _DAYS_FROM:
        return "days", f"from its range: up to {quote(top)}, too long for months"
    if 0 < top <= _YEARS_UP_TO and float(values.min()) >= 0:
        return "years", f"from its range: 0 to {quote(top)}"
    return "months", "the default for a tenure column"


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
    """The customer-rows reading of a table, each role guessed from the column names and
    checked against the values (dates hold dates, a churned flag reads as flags)."""
    columns = list(frame.columns)
    taken: set[str] = set()
    found: dict[str, str | None] = {}
    checks = {
        "start": lambda c: looks_like_dates(frame[c]),
        "end": lambda c: looks_like_dates(frame[c]),
        "event": lambda c: looks_like_flags(frame[c]),
        "duration": lambda c: looks_like_durations(frame[c]),
        # A column with dozens of values is not a segment. (Repeated ids are kept: they are an
        # error the user must see, not a reason to ignore the column.)
        "segment": lambda c: frame[c].nunique() <= MAX_SEGMENTS,
    }
    for role in ("customer_id", "start", "end", "event", "duration", "revenue", "segment"):
        if role == "duration" and found["start"] is not None:
            found[role] = None  # dates give the durations
            continue
        col = _match(columns, role, taken, checks.get(role))
        found[role] = col
        if col is not None:
            taken.add(col)
    if found["start"] is None and found["duration"] and found["end"] and found["event"] is None:
        # A tenure beside an end date and no flag: the end date says who churned (blank =
        # still active).
        found["event"], found["end"] = found["end"], None
    period = guess_unit(frame, found["duration"])[0] if found["duration"] else "months"
    return ColumnMapping(shape="customers", period=period, **found)


def guess_mapping(frame: pd.DataFrame, shape: str | None = None) -> ColumnMapping:
    """Best guesses for every role; ``shape`` ("customers" or "cohort") forces the reading."""
    if shape is not None and shape not in SHAPES:
        raise ChurnDataError(f"Unknown data shape {quote(shape)}: use customers or cohort.")
    if shape == "cohort" or (shape is None and _looks_like_cohort(frame) is not None):
        return cohort_mapping(frame)
    return customer_mapping(frame)


def with_overrides(mapping: ColumnMapping, overrides: dict[str, object]) -> ColumnMapping:
    """The mapping with the user's choices applied (None = keep the guess; "" = no such column,
    dropping a guess): naming a duration forgets guessed dates and naming a start date forgets a
    guessed duration."""
    overrides = {k: (None if v == "" else v) for k, v in overrides.items() if v is not None}
    if overrides.get("start") and "duration" not in overrides:
        overrides["duration"] = None
    if overrides.get("duration") and "start" not in overrides:
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
