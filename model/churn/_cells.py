"""Cells to values: numbers (text, blanks, decimal commas), churned flags in any common spelling,
dates and times in the common formats (ISO 8601 with fractions of a second, day-first and
month-first, YYYYMMDD stored as numbers included). Distinct values are converted
once, so a million rows with a few hundred distinct values cost a few hundred conversions. Every
unreadable cell is named by its column, its value and its line."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.churn._errors import ChurnDataError, line, plural, quote, quote_id

_CHURNED = {"1", "1.0", "yes", "y", "true", "t", "churned", "churn", "cancelled", "canceled",
            "left", "lost", "inactive", "closed", "terminated", "exited", "ended", "gone", "ja",
            "oui", "si", "sí", "x"}
CHURNED_SPELLINGS = _CHURNED
_ACTIVE = {"0", "0.0", "no", "n", "false", "f", "active", "retained", "stayed", "current",
           "open", "live", "alive", "subscribed", "nein", "non"}
ACTIVE_SPELLINGS = _ACTIVE


def looks_like_flags(values: pd.Series) -> bool:
    """True when a column's distinct values (a handful) all read as churned / active / blank."""
    sample = values.head(5000).dropna()
    uniques = pd.unique(sample)
    if len(uniques) == 0 or len(uniques) > 4:
        return False
    known = _CHURNED | _ACTIVE | {""}
    return all(isinstance(u, (bool, np.bool_)) or str(u).strip().lower() in known
               for u in uniques)


def looks_like_durations(values: pd.Series) -> bool:
    """True when a column's first cells are numbers of zero or more (not dates, not flags)."""
    sample = pd.to_numeric(values.head(5000), errors="coerce")
    filled = values.head(5000).notna()
    if filled.sum() == 0 or sample[filled].isna().mean() > 0.05:
        return False
    v = sample.dropna().to_numpy(dtype=float)
    return bool(v.size and (v >= 0).mean() > 0.95 and np.unique(v).size > 2)


def numbers(frame: pd.DataFrame, col: str, what: str, allow_blank: bool = False) -> np.ndarray:
    """A column as floats; text, blanks (" ") and decimal commas handled, bad values named."""
    s = frame[col]
    if pd.api.types.is_bool_dtype(s):
        s = s.astype(float)
    if pd.api.types.is_numeric_dtype(s):
        values = s.to_numpy(dtype=float)
        blank = np.isnan(values)
    else:
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
                f"Column {quote(col)} ({what}) has text that is not a number: "
                f"{quote(s.iloc[i])} on line {line(i)} ({plural(int(bad.sum()), 'such value')}). Fix "
                f"those cells or map another column.")
    if blank.any() and not allow_blank:
        i = int(np.flatnonzero(blank)[0])
        raise ChurnDataError(
            f"Column {quote(col)} ({what}) is blank on line {line(i)} "
            f"({plural(int(blank.sum()), 'blank cell')}): fill them in or remove those rows.")
    return values


def flags(frame: pd.DataFrame, col: str, blank_is_active: bool) -> np.ndarray:
    """Churned flags in any common spelling, via the distinct values (fast on a million rows)."""
    codes, uniques = pd.factorize(frame[col], use_na_sentinel=True)
    if not any(str(u).strip() for u in uniques):
        raise ChurnDataError(
            f"Column {quote(col)} (churned) is blank on every line: map the column that says "
            f"whether each customer left (Yes/No, 1/0), or one with end dates.")
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
                f"Column {quote(col)} has a value that cannot be read as churned or active: "
                f"{quote(u)} on line {line(i)}. Use Yes/No, 1/0, true/false or churned/active.")
    out = np.where(codes >= 0, out_unique[np.maximum(codes, 0)], -1)
    if (out == -1).any():
        if not blank_is_active:
            i = int(np.flatnonzero(out == -1)[0])
            raise ChurnDataError(
                f"Column {quote(col)} is blank on line {line(i)}: fill it in, or say that a blank "
                f"means the customer is still active.")
        out = np.where(out == -1, 0, out)
    return out.astype(bool)


def churn_flags(frame: pd.DataFrame, col: str, blank_is_active: bool) -> np.ndarray:
    """``flags``, or — for a column of dates (the day each customer left, blank while still
    active) — churned where a date is filled in."""
    if looks_like_dates(frame[col]):
        return ~np.isnat(dates(frame, col))
    return flags(frame, col, blank_is_active)


# ISO 8601 first: dates with or without a time of day, fractions of a second and a zone
# ("2013-10-01 22:20:10.165196"); then the day-first and month-first spellings of spreadsheets.
_DATE_FORMATS = ("ISO8601", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y",
                 "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S",
                 "%d.%m.%Y %H:%M", "%Y%m%d", "%Y-%m")


def _numeric_dates(s: pd.Series, col: str) -> pd.Series:
    """YYYYMMDD read as numbers (floats when a column has blanks) → text "20240619"; other
    numbers are refused: they are not dates."""
    values = s.to_numpy(dtype=float)
    seen = ~np.isnan(values)
    ok = seen & (values >= 19000101) & (values <= 21001231) & (values == np.round(values))
    if (seen & ~ok).any():
        i = int(np.flatnonzero(seen & ~ok)[0])
        raise ChurnDataError(
            f"Column {quote(col)} should hold dates but has numbers, e.g. {quote_id(values[i])} on "
            f"line {line(i)}: map a date column (YYYY-MM-DD or YYYYMMDD), or map durations "
            f"instead of dates.")
    text = np.where(seen, np.nan_to_num(values).astype(np.int64).astype(str), "")
    return pd.Series(text, index=s.index, dtype="string")


def _to_datetime(text: pd.Series, fmt: str) -> pd.Series:
    """Text → naive timestamps (a zone is converted to UTC and dropped); NaT where unreadable."""
    out = pd.to_datetime(text, format=fmt, errors="coerce", utc=True)
    return out.dt.tz_localize(None)


def _date_format(sample: pd.Series) -> str | None:
    for fmt in _DATE_FORMATS:
        if _to_datetime(sample, fmt).notna().all():
            return fmt
    return None


def looks_like_dates(values: pd.Series) -> bool:
    """True when the first non-blank cells of a column read as dates (for guessing columns;
    numbers count only as YYYYMMDD)."""
    sample = values.dropna().head(50)
    if sample.empty:
        return False
    if pd.api.types.is_datetime64_any_dtype(sample):
        return True
    if pd.api.types.is_bool_dtype(sample):
        return False
    if pd.api.types.is_numeric_dtype(sample):
        v = sample.to_numpy(dtype=float)
        return bool(np.all((v >= 19000101) & (v <= 21001231) & (v == np.round(v))))
    text = sample.astype("string").str.strip()
    text = text[text != ""]
    if text.empty or text.str.fullmatch(r"-?\d{1,6}(\.\d+)?").mean() > 0.2:
        return False  # plain numbers (a year, a count) are not dates
    # Most cells, not all: one bad date is named when the column is read, not a reason to
    # pass the column over.
    return any(_to_datetime(text, fmt).notna().mean() >= 0.8 for fmt in _DATE_FORMATS)


def dates(frame: pd.DataFrame, col: str) -> np.ndarray:
    """A date column as datetime64[s], the time of day kept (NaT for blanks); unreadable dates
    are named."""
    s = frame[col]
    if pd.api.types.is_datetime64_any_dtype(s):  # the pyarrow parser reads ISO dates itself
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        return s.to_numpy(dtype="datetime64[s]")
    if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        s = _numeric_dates(s.astype(float), col)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    text = pd.Series(uniques, dtype="string").str.strip()
    u_blank = np.append((text.isna() | (text == "")).to_numpy(), True)
    blank = u_blank[codes]
    sample = text[~u_blank[:-1]].head(200)
    if sample.empty:
        return np.full(len(s), np.datetime64("NaT"), dtype="datetime64[s]")
    chosen = _date_format(sample)
    if chosen is None:
        parsed_sample = _to_datetime(sample, _DATE_FORMATS[0])
        for fmt in _DATE_FORMATS[1:]:
            parsed_sample = parsed_sample.fillna(_to_datetime(sample, fmt))
        bad = parsed_sample.isna().to_numpy()
        u = int(sample.index[np.flatnonzero(bad)[0]]) if bad.any() else int(sample.index[0])
        i = int(np.flatnonzero(codes == u)[0])
        raise ChurnDataError(
            f"Column {quote(col)} has a date that cannot be read: {quote(s.iloc[i])} on line "
            f"{line(i)}. Write dates as YYYY-MM-DD (or DD/MM/YYYY), or map another column.")
    u_parsed = np.append(_to_datetime(text, chosen).to_numpy(dtype="datetime64[s]"),
                         np.datetime64("NaT"))
    parsed = u_parsed[codes]
    bad = np.isnat(parsed) & ~blank
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ChurnDataError(
            f"Column {quote(col)} has a date that cannot be read: {quote(s.iloc[i])} on line "
            f"{line(i)} (other dates look like {quote(sample.iloc[0])}). Fix that cell or remove "
            f"the row.")
    return parsed
