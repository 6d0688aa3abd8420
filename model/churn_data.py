"""Churn data in, calibrated baseline out: read a CSV, map its columns, aggregate, fit, calibrate.

Two shapes of data are understood:

| shape      | columns                                                                         |
|------------|---------------------------------------------------------------------------------|
| customers  | one row per customer: tenure in periods, or start and end dates (blank end =    |
|            | still active at the "as of" date); a churned flag (Yes/No, 1/0, true/false,     |
|            | churned/active, …); optional segment, revenue per period, customer id           |
| cohort     | a period column (0, 1, 2, …) and one column of survivors (or % alive) per       |
|            | cohort or segment; blanks at the bottom of a column = not observed yet          |

Every problem with a file raises ``ChurnDataError`` with one sentence saying what is wrong and how
to fix it (naming the line or column at fault). Nothing here imports Streamlit.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from model.curves import MAX_AGE_MONTHS, survival_by_age
from model.fitting import (
    Counts,
    Fit,
    KaplanMeier,
    best_by_aic,
    fit_all,
    kaplan_meier,
    km_curve,
    upper_churn_without_events,
)
from model.simulate import Baseline, Segment

MAX_UPLOAD_ENV = "ONEQ_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 200
MAX_SEGMENTS = 20
DEFAULT_COHORT_SIZE = 1000  # customers assumed per cohort when a table gives % alive
MONTHS_PER = {"months": 1, "years": 12}
DAYS_PER_MONTH = 365.2425 / 12
CURVE_LABELS = {"constant": "Constant churn", "sbg": "sBG", "weibull": "Weibull",
                "km": "Kaplan–Meier"}


class ChurnDataError(ValueError):
    """A problem with an uploaded file, worded for the person who uploaded it."""


def max_upload_mb() -> float:
    """Upload limit in MB: ``ONEQ_MAX_UPLOAD_MB`` (default 200)."""
    raw = os.environ.get(MAX_UPLOAD_ENV, "")
    try:
        value = float(raw)
        return value if value > 0 else DEFAULT_MAX_UPLOAD_MB
    except ValueError:
        return DEFAULT_MAX_UPLOAD_MB


# --- reading bytes ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CsvFile:
    """A parsed file and how it was read."""

    frame: pd.DataFrame
    name: str
    encoding: str
    delimiter: str
    decimal: str
    notes: tuple[str, ...] = ()


_SIGNATURES = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or a zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"SQLite format", "an SQLite database"),
)
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_ARROW_FROM_BYTES = 4_000_000  # below this pandas' C parser is as fast and more forgiving


def read_csv_bytes(data: bytes, name: str = "file.csv", max_mb: float | None = None) -> CsvFile:
    """Parse uploaded bytes (CSV, optionally gzip-compressed) into a DataFrame.

    Detects the encoding (UTF-8 with or without BOM, UTF-16 with BOM, else Latin-1/Windows-1252),
    the delimiter (comma, semicolon, tab, pipe) and decimal commas.
    """
    limit = max_upload_mb() if max_mb is None else max_mb
    size_mb = len(data) / 1e6
    if size_mb > limit:
        raise ChurnDataError(
            f"The file is {size_mb:,.1f} MB, over the upload limit of {limit:g} MB: upload only "
            f"the columns you need, compress it as .csv.gz, or raise the limit with the "
            f"{MAX_UPLOAD_ENV} environment variable.")
    if data[:2] == b"\x1f\x8b":
        try:
            data = _gunzip(data, limit)
        except (OSError, EOFError, zlib.error) as e:
            raise ChurnDataError(f"The file looks gzip-compressed but could not be decompressed "
                                 f"({e}): compress it again or upload the plain CSV.") from None
    if not data.strip():
        raise ChurnDataError("The file is empty: upload a CSV with a header row and one row per "
                             "customer (or a cohort table).")
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            raise ChurnDataError(
                f"This is {what}, not a CSV file: open it in its program and save or export it "
                f"as CSV (in Excel: File › Save As › CSV UTF-8), then upload that.")
    notes: list[str] = []
    encoding = _encoding(data)
    if encoding in ("utf-16",):
        data = data.decode("utf-16").encode("utf-8")
        encoding, notes = "utf-8", ["The file was UTF-16 text; read it as such."]
    head = data[:65536]
    if b"\x00" in head:
        raise ChurnDataError("The file is binary, not text: upload a CSV (comma- or "
                             "semicolon-separated text with a header row).")
    head_text = head.decode(encoding if encoding != "utf-8-sig" else "utf-8-sig", errors="replace")
    lines = [ln for ln in head_text.splitlines() if ln.strip()]
    header = lines[0] if lines else ""
    delimiter = max(_DELIMITERS, key=header.count)
    if header.count(delimiter) == 0:
        delimiter = ","
    decimal = "."
    if delimiter != "," and any(re.search(r"(?<![\d.])\d+,\d+(?![\d,])", ln) for ln in lines[1:50]):
        decimal = ","
        notes.append("Numbers were read with decimal commas (e.g. 12,5 = 12.5).")
    if encoding == "cp1252":
        notes.append("The file is not UTF-8; read it as Latin-1 / Windows-1252.")
    if delimiter != ",":
        notes.append(f"Columns are separated by {_DELIMITER_NAMES[delimiter]}s.")
    try:
        frame = None
        if len(data) > _ARROW_FROM_BYTES and decimal == "." and encoding.startswith("utf-8"):
            try:  # multi-threaded and several times faster on big files
                frame = _numpy_backed(pd.read_csv(io.BytesIO(data), sep=delimiter,
                                                  encoding=encoding, engine="pyarrow",
                                                  dtype_backend="pyarrow"))
            except Exception:  # noqa: BLE001 - the C engine below gives the precise message
                frame = None
        if frame is None:
            frame = pd.read_csv(io.BytesIO(data), sep=delimiter, decimal=decimal,
                                encoding=encoding, skipinitialspace=True, low_memory=False)
    except pd.errors.EmptyDataError:
        raise ChurnDataError("The file is empty: upload a CSV with a header row and one row per "
                             "customer (or a cohort table).") from None
    except pd.errors.ParserError as e:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
        if m:
            raise ChurnDataError(
                f"Line {m.group(2)} has {m.group(3)} values but the header has {m.group(1)}: "
                f"check the delimiter and quotes on that line.") from None
        raise ChurnDataError(f"The file is not a readable CSV ({str(e).strip()}): check its "
                             f"delimiter and quotes.") from None
    except UnicodeDecodeError:
        raise ChurnDataError("The file's text encoding could not be read: save it as CSV "
                             "UTF-8 and upload again.") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.shape[1] < 2:
        raise ChurnDataError(
            f"Only one column was found ({frame.columns[0]!r}): the file needs at least a "
            f"duration and a churn column (comma- or semicolon-separated).")
    if len(frame) == 0:
        raise ChurnDataError(
            "The file has a header row but no data rows: add one row per customer (or per "
            "period for a cohort table).")
    return CsvFile(frame, name, encoding, delimiter, decimal, tuple(notes))


def _numpy_backed(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers and dates from Arrow into numpy (NaN / NaT for blanks); text stays in Arrow, where
    hashing a million strings is cheap and no Python objects are made."""
    import pyarrow as pa

    out = {}
    for c in frame.columns:
        s = frame[c]
        t = getattr(s.dtype, "pyarrow_dtype", None)
        if t is None or pa.types.is_string(t) or pa.types.is_large_string(t):
            out[c] = s
        elif pa.types.is_integer(t) and not s.isna().any():
            out[c] = s.to_numpy(dtype=np.int64)
        elif pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t):
            out[c] = s.to_numpy(dtype=float, na_value=np.nan)
        elif pa.types.is_date(t) or pa.types.is_timestamp(t):
            arr = pa.compute.cast(pa.chunked_array(s.array._pa_array), pa.timestamp("s"))
            out[c] = arr.to_numpy()
        else:
            out[c] = s.astype(str)
    return pd.DataFrame(out, index=frame.index)


def _gunzip(data: bytes, limit_mb: float) -> bytes:
    out = gzip.GzipFile(fileobj=io.BytesIO(data)).read(int(limit_mb * 1e6) + 1)
    if len(out) > limit_mb * 1e6:
        raise ChurnDataError(f"The decompressed file is over the upload limit of {limit_mb:g} MB: "
                             f"upload only the columns you need or raise {MAX_UPLOAD_ENV}.")
    return out


def _encoding(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def read_csv_path(path: str | Path) -> CsvFile:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise ChurnDataError(f"Cannot read {p}: {e.strerror or e}.") from None
    return read_csv_bytes(data, p.name)


# --- column mapping ---------------------------------------------------------------------------------


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
        if self.shape not in ("customers", "cohort"):
            raise ChurnDataError(f"Unknown data shape {self.shape!r}: use customers or cohort.")
        if self.period not in MONTHS_PER:
            raise ChurnDataError(f"Unknown period {self.period!r}: use months or years.")


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


def _looks_like_cohort(frame: pd.DataFrame) -> tuple[str, tuple[str, ...]] | None:
    """A first numeric column 0, 1, 2, … and numeric non-increasing columns beside it."""
    if len(frame) < 2 or len(frame) > 1000 or frame.shape[1] < 2:
        return None
    numeric = frame.apply(pd.to_numeric, errors="coerce")
    first = numeric.iloc[:, 0]
    if first.isna().any() or not np.all(np.diff(first.to_numpy()) == 1) or first.iloc[0] not in (0, 1):
        return None
    cols = []
    for c in frame.columns[1:]:
        v = numeric[c].dropna().to_numpy()
        if v.size == 0 or numeric[c].notna().sum() < frame[c].notna().sum() or v[0] <= 1:
            return None
        if np.all(np.diff(v) <= 1e-9):
            cols.append(c)
        else:
            return None
    return str(frame.columns[0]), tuple(cols)


def guess_mapping(frame: pd.DataFrame) -> ColumnMapping:
    """Best guesses for every role from column names (and, for cohort tables, the values)."""
    columns = list(frame.columns)
    cohort = _looks_like_cohort(frame)
    if cohort is not None:
        period_col, cols = cohort
        period = "years" if "year" in _norm(period_col) else "months"
        return ColumnMapping(shape="cohort", period=period, cohort_period=period_col,
                             cohort_columns=cols)
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
    duration_name = _norm(found["duration"] or "")
    period = "years" if "year" in duration_name else "months"
    return ColumnMapping(shape="customers", period=period, **found)


# --- customer-level data ------------------------------------------------------------------------


_CHURNED = {"1", "1.0", "yes", "y", "true", "t", "churned", "churn", "cancelled", "canceled",
            "left", "lost", "inactive", "closed", "terminated", "exited", "ended", "gone", "ja",
            "oui", "si", "sí", "x"}
_ACTIVE = {"0", "0.0", "no", "n", "false", "f", "active", "retained", "stayed", "current",
           "open", "live", "alive", "subscribed", "nein", "non"}


def _line(index: int) -> int:
    """File line of a data row (the header is line 1)."""
    return int(index) + 2


def _numbers(frame: pd.DataFrame, col: str, what: str, allow_blank: bool = False) -> np.ndarray:
    """A column as floats; text, blanks (" ") and decimal commas handled, bad values named."""
    s = frame[col]
    if pd.api.types.is_bool_dtype(s):
        s = s.astype(float)
    if pd.api.types.is_numeric_dtype(s):
        values = s.to_numpy(dtype=float)
        blank = np.isnan(values)
    else:
        # Convert the distinct values only: a million rows often hold a few hundred of them.
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        text = pd.Series(uniques, dtype="string").str.strip()
        u_blank = (text.isna() | (text == "")).to_numpy()
        cleaned = text.str.replace(r"[\s$€£%]", "", regex=True).str.replace(",", ".", regex=False)
        u_values = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float)
        u_values = np.append(u_values, np.nan)  # code −1 = missing
        u_blank = np.append(u_blank, True)
        values, blank = u_values[codes], u_blank[codes]
        bad = np.isnan(values) & ~blank
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ChurnDataError(
                f"Column {col!r} ({what}) has text that is not a number: {s.iloc[i]!r} on line "
                f"{_line(i)} ({int(bad.sum()):,} such values). Fix those cells or map another "
                f"column.")
    if blank.any() and not allow_blank:
        i = int(np.flatnonzero(blank)[0])
        raise ChurnDataError(
            f"Column {col!r} ({what}) is blank on line {_line(i)} ({int(blank.sum()):,} blank "
            f"cells): fill them in or remove those rows.")
    return values


def _flags(frame: pd.DataFrame, col: str, blank_is_active: bool) -> np.ndarray:
    """Churned flags in any common spelling, via the distinct values (fast on a million rows)."""
    codes, uniques = pd.factorize(frame[col], use_na_sentinel=True)
    out_unique = np.zeros(len(uniques), dtype=np.int8)
    for k, u in enumerate(uniques):
        text = str(u).strip().lower()
        if isinstance(u, (bool, np.bool_)):
            out_unique[k] = 1 if u else 0
        elif text in _CHURNED:
            out_unique[k] = 1
        elif text in _ACTIVE:
            out_unique[k] = 0
        elif text == "":
            out_unique[k] = -1
        else:
            i = int(np.flatnonzero(codes == k)[0])
            raise ChurnDataError(
                f"Column {col!r} has a value that cannot be read as churned or active: {u!r} on "
                f"line {_line(i)}. Use Yes/No, 1/0, true/false or churned/active.")
    flags = np.where(codes >= 0, out_unique[np.maximum(codes, 0)], -1)
    if (flags == -1).any():
        if not blank_is_active:
            i = int(np.flatnonzero(flags == -1)[0])
            raise ChurnDataError(
                f"Column {col!r} is blank on line {_line(i)}: fill it in, or say that a blank "
                f"means the customer is still active.")
        flags = np.where(flags == -1, 0, flags)
    return flags.astype(bool)


_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d", "%d/%m/%Y",
                 "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y%m%d", "%Y-%m")


def _dates(frame: pd.DataFrame, col: str) -> np.ndarray:
    """A date column as datetime64[D] (NaT for blanks); unreadable dates are named."""
    s = frame[col]
    if pd.api.types.is_numeric_dtype(s) and not s.isna().all():
        i = int(np.flatnonzero(s.notna().to_numpy())[0])
        if not (19000101 <= s.iloc[i] <= 21001231):
            raise ChurnDataError(
                f"Column {col!r} should hold dates but has numbers, e.g. {s.iloc[i]!r} on line "
                f"{_line(i)}: map a date column, or map durations instead of dates.")
    if pd.api.types.is_datetime64_any_dtype(s):  # the pyarrow parser reads ISO dates itself
        return s.to_numpy(dtype="datetime64[D]")
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    text = pd.Series(uniques, dtype="string").str.strip()
    u_blank = np.append((text.isna() | (text == "")).to_numpy(), True)
    blank = u_blank[codes]
    sample = text[~u_blank[:-1]].head(200)
    chosen = None
    for fmt in _DATE_FORMATS:
        if pd.to_datetime(sample, format=fmt, errors="coerce").notna().all():
            chosen = fmt
            break
    if chosen is None:
        parsed_sample = pd.to_datetime(sample, format=_DATE_FORMATS[0], errors="coerce")
        for fmt in _DATE_FORMATS[1:]:
            parsed_sample = parsed_sample.fillna(pd.to_datetime(sample, format=fmt,
                                                                errors="coerce"))
        bad = parsed_sample.isna().to_numpy()
        u = int(sample.index[np.flatnonzero(bad)[0]]) if bad.any() else int(sample.index[0])
        i = int(np.flatnonzero(codes == u)[0])
        raise ChurnDataError(
            f"Column {col!r} has a date that cannot be read: {s.iloc[i]!r} on line {_line(i)}. "
            f"Write dates as YYYY-MM-DD (or DD/MM/YYYY), or map another column.")
    u_parsed = np.append(pd.to_datetime(text, format=chosen, errors="coerce").to_numpy(
        dtype="datetime64[D]"), np.datetime64("NaT"))
    parsed = u_parsed[codes]
    bad = np.isnat(parsed) & ~blank
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ChurnDataError(
            f"Column {col!r} has a date that cannot be read: {s.iloc[i]!r} on line {_line(i)} "
            f"(other dates look like {sample.iloc[0]!r}). Fix that cell or remove the row.")
    return parsed


@dataclass(frozen=True, eq=False)
class SegmentData:
    """One segment aggregated: counts for fitting plus what the calibration needs."""

    name: str
    counts: Counts
    active: float | None  # customers still active (None: a % table, unknown)
    arpu_monthly: float | None  # None: no revenue column
    age_mix: tuple[float, ...] | None  # share of active customers by age in months
    recent_starters: float  # customers who started in the last 12 months


@dataclass(frozen=True, eq=False)
class Dataset:
    """Everything read from a file, per segment, ready to fit."""

    segments: tuple[SegmentData, ...]
    months_per_period: int
    shape: str
    rows: int
    notes: tuple[str, ...] = ()
    as_of: str | None = None

    @property
    def period(self) -> str:
        return "years" if self.months_per_period == 12 else "months"


def _mapped(frame: pd.DataFrame, col: str | None, role: str) -> str | None:
    if col is None:
        return None
    if col not in frame.columns:
        raise ChurnDataError(f"The {role} column {col!r} is not in the file; its columns are: "
                             f"{', '.join(map(str, frame.columns))}.")
    return col


def _all_distinct(s: pd.Series) -> bool:
    """True when no non-blank value repeats (Arrow's hash table when the column is Arrow)."""
    pa_array = getattr(s.array, "_pa_array", None)
    if pa_array is not None:
        import pyarrow.compute as pc

        return len(pc.unique(pa_array.drop_null())) == len(s) - pa_array.null_count
    return not s.dropna().duplicated().any()


def customer_dataset(frame: pd.DataFrame, mapping: ColumnMapping) -> Dataset:
    """Customer-level rows → per-segment counts, active customers, ARPU and age mix."""
    m = mapping
    duration = _mapped(frame, m.duration, "duration")
    event = _mapped(frame, m.event, "churned")
    start = _mapped(frame, m.start, "start date")
    end = _mapped(frame, m.end, "end date")
    segment = _mapped(frame, m.segment, "segment")
    revenue = _mapped(frame, m.revenue, "revenue")
    cid = _mapped(frame, m.customer_id, "customer id")
    k = MONTHS_PER[m.period]
    notes: list[str] = []
    n = len(frame)
    if n < 2:
        raise ChurnDataError("The file has only one customer row: fitting a retention curve needs "
                             "many customers (hundreds or more), one row each.")
    if cid is not None:
        ids = frame[cid]
        if _all_distinct(ids):
            dup = np.zeros(0, dtype=bool)
        else:
            dup = ids.duplicated(keep=False).to_numpy() & ids.notna().to_numpy()
        if dup.any():
            rows = np.flatnonzero(dup)
            first = ids.iloc[rows[0]]
            same = rows[(ids.iloc[rows] == first).to_numpy()]
            raise ChurnDataError(
                f"Customer id {first!r} appears on lines {_line(same[0])} and {_line(same[1])} "
                f"({int(ids.duplicated().sum()):,} repeated ids in column {cid!r}): each customer "
                f"must be one row — remove the duplicates, or choose no id column.")
    as_of_text = None
    if start is not None:
        s = _dates(frame, start)
        if s.size and np.isnat(s).any():
            i = int(np.flatnonzero(np.isnat(s))[0])
            raise ChurnDataError(f"Column {start!r} (start date) is blank on line {_line(i)}: "
                                 f"every customer needs a start date.")
        e = _dates(frame, end) if end is not None else np.full(n, np.datetime64("NaT"), "M8[D]")
        if m.as_of:
            try:
                as_of = np.datetime64(pd.Timestamp(m.as_of).date(), "D")
            except ValueError:
                raise ChurnDataError(f"The as-of date {m.as_of!r} cannot be read: write it as "
                                     f"YYYY-MM-DD.") from None
        else:
            latest = [x.max() for x in (s, e[~np.isnat(e)]) if x.size]
            as_of = max(latest)
        as_of_text = str(as_of)
        before = ~np.isnat(e) & (e < s)
        if before.any():
            i = int(np.flatnonzero(before)[0])
            raise ChurnDataError(
                f"On line {_line(i)} the end date {e[i]} is before the start date {s[i]} "
                f"({int(before.sum()):,} such rows): fix or remove those rows.")
        late = s > as_of
        if late.any():
            i = int(np.flatnonzero(late)[0])
            raise ChurnDataError(
                f"On line {_line(i)} the start date {s[i]} is after the as-of date {as_of}: "
                f"choose a later as-of date or remove customers who had not started.")
        has_end = ~np.isnat(e) & (e <= as_of)
        if (~np.isnat(e) & (e > as_of)).any():
            notes.append("End dates after the as-of date count as still active on that date.")
        if event is not None:
            churned = _flags(frame, event, m.blank_is_active)
            if (churned & ~has_end).any():
                i = int(np.flatnonzero(churned & ~has_end)[0])
                raise ChurnDataError(
                    f"Line {_line(i)} says the customer churned but has no end date on or before "
                    f"{as_of}: add the end date or correct the churned flag.")
            churned = churned & has_end
        else:
            churned = has_end
        stop = np.where(churned, e, as_of)
        months = (stop - s).astype(np.int64) / DAYS_PER_MONTH
        periods = months / k
        # Churners paid for the period they left in; active customers have completed whole ones.
        dur = np.where(churned, np.maximum(np.ceil(periods - 1e-9), 1),
                       np.floor(periods + 1e-9)).astype(np.int64)
        age_months = np.floor(months + 1e-9).astype(np.int64)
    else:
        if duration is None:
            raise ChurnDataError("No duration column is mapped: choose the column with each "
                                 "customer's tenure in periods, or map start and end dates.")
        if event is None:
            raise ChurnDataError("No churned column is mapped: choose the column that says "
                                 "whether each customer left (Yes/No, 1/0, churned/active).")
        raw = _numbers(frame, duration, "tenure")
        if (raw < 0).any():
            i = int(np.flatnonzero(raw < 0)[0])
            raise ChurnDataError(
                f"Column {duration!r} has a negative duration: {raw[i]:g} on line {_line(i)}. "
                f"Durations count whole {m.period} from 0 up; fix those rows.")
        frac = np.abs(raw - np.round(raw)) > 1e-9
        if frac.any():
            i = int(np.flatnonzero(frac)[0])
            raise ChurnDataError(
                f"Column {duration!r} has a fractional duration: {raw[i]:g} on line {_line(i)} "
                f"({int(frac.sum()):,} such rows). Durations must be whole {m.period}: round them, "
                f"or map start and end dates instead.")
        dur = np.round(raw).astype(np.int64)
        churned = _flags(frame, event, m.blank_is_active)
        zero = churned & (dur == 0)
        if zero.any():
            notes.append(f"{int(zero.sum()):,} churned customers had a duration of 0; counted as "
                         f"leaving at the end of their first {m.period[:-1]}.")
            dur = np.where(zero, 1, dur)
        age_months = dur * k
    rev = None
    if revenue is not None:
        rev = _numbers(frame, revenue, "revenue", allow_blank=True)
        blanks = int(np.isnan(rev).sum())
        if blanks:
            notes.append(f"{blanks:,} blank revenue cells in {revenue!r} were left out of ARPU.")
        if (rev[~np.isnan(rev)] < 0).any():
            i = int(np.flatnonzero(rev < 0)[0])
            raise ChurnDataError(f"Column {revenue!r} has negative revenue: {rev[i]:g} on line "
                                 f"{_line(i)}. Map a column of revenue per customer per period.")
    if segment is not None:
        raw_codes, raw = pd.factorize(frame[segment], use_na_sentinel=True)
        labels = [str(x).strip() or "(blank)" for x in raw]
        if (raw_codes < 0).any():  # missing values form their own segment
            labels.append("(blank)")
            raw_codes = np.where(raw_codes < 0, len(labels) - 1, raw_codes)
        merged, names = pd.factorize(pd.Series(labels), sort=True)  # " a" and "a" are one
        codes = merged[raw_codes]
        names = [str(x) for x in names]
        if len(names) > MAX_SEGMENTS:
            raise ChurnDataError(
                f"Column {segment!r} has {len(names):,} distinct values, too many segments (at "
                f"most {MAX_SEGMENTS}): choose a column with a few groups, or no segment.")
    else:
        codes, names = np.zeros(n, dtype=np.int64), ["All customers"]
    segments = _aggregate(codes, names, dur, churned, rev, age_months, k)
    total_churned = sum(sd.counts.n_churned for sd in segments)
    if total_churned == len(frame):
        notes.append(_ALL_CHURNED)
    return Dataset(tuple(segments), k, "customers", n, tuple(notes), as_of_text)


_ALL_CHURNED = ("Every customer in the file churned: the curves can be fitted, but there are no "
                "active customers to count or to take an age mix from — add the customers who "
                "are still active before using this in the model.")


def _aggregate(codes: np.ndarray, names: Sequence[str], dur: np.ndarray, churned: np.ndarray,
               rev: np.ndarray | None, age_months: np.ndarray, k: int) -> list[SegmentData]:
    """Per-segment counts with one bincount over (segment, duration) — no per-row Python."""
    S = len(names)
    T = int(dur.max()) + 1
    flat = codes.astype(np.int64) * T + dur
    total = np.bincount(flat, minlength=S * T).reshape(S, T).astype(float)
    dead = np.bincount(flat[churned], minlength=S * T).reshape(S, T).astype(float)
    active = ~churned
    n_active = np.bincount(codes[active], minlength=S).astype(float)
    recent = np.bincount(codes[active & (age_months < 12)], minlength=S).astype(float)
    A = MAX_AGE_MONTHS + 1
    ages = np.minimum(age_months[active], A - 1)
    mix = np.bincount(codes[active].astype(np.int64) * A + ages, minlength=S * A).reshape(S, A)
    arpu = [None] * S
    if rev is not None:
        # ARPU of active customers where there are some (today's prices), else of everyone.
        use = ~np.isnan(rev)
        base = use & active
        for group in (base, use):
            sums = np.bincount(codes[group], weights=rev[group], minlength=S)
            cnt = np.bincount(codes[group], minlength=S)
            for j in range(S):
                if arpu[j] is None and cnt[j] > 0:
                    arpu[j] = float(sums[j] / cnt[j] / k)
    out = []
    for j, name in enumerate(names):
        counts = Counts(dead[j], total[j] - dead[j])
        m = mix[j]
        last = int(np.flatnonzero(m)[-1]) + 1 if m.any() else 0
        age_mix = tuple(float(x) for x in m[:last] / m.sum()) if m.sum() > 0 else None
        out.append(SegmentData(str(name), counts, float(n_active[j]), arpu[j], age_mix,
                               float(recent[j])))
    return out


# --- cohort tables ---------------------------------------------------------------------------------


def cohort_dataset(frame: pd.DataFrame, mapping: ColumnMapping) -> Dataset:
    """A period column plus survivor columns → counts per column (or pooled)."""
    m = mapping
    period_col = _mapped(frame, m.cohort_period, "period")
    if period_col is None:
        raise ChurnDataError("No period column is mapped: choose the column with 0, 1, 2, … "
                             "periods since the start of each cohort.")
    cols = [c for c in m.cohort_columns if _mapped(frame, c, "survivors")]
    if not cols:
        raise ChurnDataError("No survivor columns are chosen: pick the columns with the number "
                             "(or %) of customers still active in each period.")
    if len(frame) < 2:
        raise ChurnDataError("The cohort table has only one period: it needs at least the "
                             "starting size and one later period.")
    t = _numbers(frame, period_col, "period")
    if np.any(np.diff(t) != 1) or np.any(t != np.round(t)):
        raise ChurnDataError(f"Column {period_col!r} must count periods 0, 1, 2, … one per row "
                             f"in order; it has {t[:6].tolist()}….")
    k = MONTHS_PER[m.period]
    notes: list[str] = []
    if t[0] != 0:
        notes.append(f"The table starts at period {t[0]:g}; its first row is taken as the "
                     f"starting size of each cohort.")
    segments = []
    for c in cols:
        v = _numbers(frame, c, "survivors", allow_blank=True)
        observed = ~np.isnan(v)
        last = int(np.flatnonzero(observed)[-1]) if observed.any() else -1
        if last < 1 or not observed[: last + 1].all() or np.isnan(v[0]):
            raise ChurnDataError(
                f"Column {c!r} needs its starting size on the first row and no gaps before its "
                f"last value (blanks are allowed only at the bottom, for periods not seen yet).")
        v = v[: last + 1]
        if (v < 0).any():
            raise ChurnDataError(f"Column {c!r} has a negative number of survivors.")
        rise = np.flatnonzero(np.diff(v) > 1e-9)
        if rise.size:
            i = int(rise[0]) + 1
            raise ChurnDataError(
                f"Column {c!r} rises from {v[i - 1]:g} to {v[i]:g} on line {_line(i)}: survivors "
                f"of a cohort can only fall — is this column a cohort?")
        percent = v[0] in (1.0, 100.0) and np.all(v <= v[0])
        size = float(m.cohort_size)
        counts_v = v / v[0] * size if percent else v
        churned = np.concatenate(([0.0], -np.diff(counts_v)))
        censored = np.zeros_like(counts_v)
        censored[-1] = counts_v[-1]
        seg_active = None if percent else float(counts_v[-1])
        age = last * k
        age_mix = tuple([0.0] * min(age, MAX_AGE_MONTHS) + [1.0]) if not percent else None
        segments.append(SegmentData(str(c), Counts(churned, censored), seg_active, None, age_mix,
                                    float(counts_v[-1]) if age < 12 else 0.0))
        if percent:
            notes.append(f"Column {c!r} is read as % alive; the fit assumes {size:,.0f} customers "
                         f"at the start, so its standard errors are only indicative.")
    if not m.cohort_as_segments and len(segments) > 1:
        pooled = segments[0].counts
        for sd in segments[1:]:
            pooled = pooled + sd.counts
        actives = [sd.active for sd in segments]
        active = None if any(a is None for a in actives) else float(sum(actives))
        segments = [SegmentData("All customers", pooled, active, None, None,
                                sum(sd.recent_starters for sd in segments))]
    return Dataset(tuple(segments), k, "cohort", len(frame), tuple(notes))


def load_dataset(frame: pd.DataFrame, mapping: ColumnMapping) -> Dataset:
    if mapping.shape == "cohort":
        return cohort_dataset(frame, mapping)
    return customer_dataset(frame, mapping)


# --- fitting per segment -------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SegmentFit:
    data: SegmentData
    km: KaplanMeier
    fits: dict[str, Fit]
    best: str  # key of the best parametric fit by AIC
    notes: tuple[str, ...] = field(default=())


def fit_dataset(dataset: Dataset) -> tuple[SegmentFit, ...]:
    """Kaplan–Meier and every parametric curve for each segment."""
    k = dataset.months_per_period
    out = []
    for sd in dataset.segments:
        c = sd.counts
        if c.n_churned <= 0:
            bound = upper_churn_without_events(c, k)
            where = "in the file" if len(dataset.segments) == 1 else f"in segment {sd.name!r}"
            raise ChurnDataError(
                f"No customer {where} churned ({c.n:,.0f} customers followed for up to "
                f"{c.max_duration} {dataset.period}), so churn cannot be estimated — only that it "
                f"is probably below {100 * bound:.2g} % a month. Customer count, revenue and age "
                f"mix can be read, but a retention curve cannot: add the customers who left"
                + (" or choose no segment column." if len(dataset.segments) > 1 else "."))
        fits = fit_all(c, k)
        notes = tuple(n for f in fits.values() for n in f.notes)
        out.append(SegmentFit(sd, kaplan_meier(c), fits, best_by_aic(fits), notes))
    return tuple(out)


def curve_for(fit: SegmentFit, choice: str):
    """The monthly retention curve the model should use for ``choice`` (a fit key or "km")."""
    if choice == "km":
        return km_curve(fit.km, fit.fits[fit.best].curve, fit.fits[fit.best].curve.months_per_period)
    return fit.fits[choice].monthly_curve


def build_baseline(fitted: Sequence[SegmentFit], choice: str, values: Mapping[str, object],
                   source: str) -> Baseline:
    """The calibrated business: one ``Segment`` per fitted segment.

    ``choice`` is "best" (each segment's best by AIC), a fit key or "km". Customers are the active
    count (or, for a % table, today's ``customers`` assumption shared equally); ARPU comes from the
    revenue column or, without one, today's ``arpu_monthly``; new customers per month are estimated
    from the survivors of the last year's starts and split like them (or like active customers
    when nobody started in the last year; then the assumption stays in use).
    """
    if not fitted:
        raise ChurnDataError("Nothing was fitted: upload a file and map its columns first.")
    total_active = [f.data.active for f in fitted]
    if all(a is not None and a <= 0 for a in total_active):
        raise ChurnDataError(_ALL_CHURNED)
    S = len(fitted)
    curves = [curve_for(f, f.best if choice == "best" else choice) for f in fitted]
    # Customers younger than a year who are still here are the survivors of a year of starts:
    # a steady inflow n leaves n·Σ_{a<12} S(a) of them, so n = survivors / Σ_{a<12} S(a).
    inflow = np.array([f.data.recent_starters / expected_survivors_of_a_year(c)
                       for f, c in zip(fitted, curves, strict=True)], dtype=float)
    actives = np.array([f.data.active if f.data.active is not None else 1.0 for f in fitted])
    weights = inflow if inflow.sum() > 0 else actives
    shares = weights / weights.sum() if weights.sum() > 0 else np.full(S, 1.0 / S)
    segments = []
    for f, curve, share in zip(fitted, curves, shares, strict=True):
        customers = (f.data.active if f.data.active is not None
                     else float(values["customers"]) / S)
        arpu = f.data.arpu_monthly if f.data.arpu_monthly is not None else float(
            values["arpu_monthly"])
        segments.append(Segment(f.data.name, float(customers), float(arpu), curve,
                                float(share), f.data.age_mix))
    new_monthly = float(inflow.sum()) if inflow.sum() > 0 else None
    return Baseline(tuple(segments), source, new_customers_monthly=new_monthly)


def expected_survivors_of_a_year(curve) -> float:
    """Σ_{a=0}^{11} S(a): customers still active per customer-per-month started in the last year."""
    hazard = np.clip(curve.monthly_hazard(np.arange(12, dtype=float)), 0.0, 1.0)
    return float(survival_by_age(hazard).sum())


def fit_report(fitted: Sequence[SegmentFit], dataset: Dataset) -> dict[str, object]:
    """Everything the command line prints, as plain JSON-ready data."""
    segs = []
    for f in fitted:
        c = f.data.counts
        segs.append({
            "segment": f.data.name,
            "customers": c.n, "churned": c.n_churned, "active": f.data.active,
            "arpu_monthly": f.data.arpu_monthly,
            "max_duration": c.max_duration,
            "kaplan_meier": {"times": f.km.times.tolist(), "survival": f.km.survival_.tolist()},
            "fits": {k: {"name": fit.name, "params": fit.params, "se": fit.se,
                         "loglik": fit.loglik, "aic": fit.aic} for k, fit in f.fits.items()},
            "best": f.best,
        })
    return {"shape": dataset.shape, "period": dataset.period, "rows": dataset.rows,
            "as_of": dataset.as_of, "notes": list(dataset.notes), "segments": segs}
