"""Monthly actuals: the table a CFO keeps, read from CSV (every bad cell named by line and column
with its fix) or built from a customer-level file with start and end dates.

| column          | meaning                                            | type                  |
|-----------------|----------------------------------------------------|-----------------------|
| month           | the plan's month (1 = its start month) or YYYY-MM  | whole number or date  |
| customers_start | customers active at the month's start              | whole number ≥ 0      |
| churned         | customers who left during the month                | whole number ≤ start  |
| new_customers   | customers won during the month                     | whole number ≥ 0      |
| revenue         | revenue of the month, in currency                  | number ≥ 0            |
| trust           | optional: trust or NPS score as you measure it     | number (blank = none) |

Only churned and new customers enter the evidence about the response (``_evidence``); revenue
and trust are compared with the plan and shown, never weighed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.churn import ChurnDataError, guess_mapping, read_source

COLUMNS = ("month", "customers_start", "churned", "new_customers", "revenue", "trust")
REQUIRED = COLUMNS[:5]
MAX_ROWS = 600  # 50 years of months
MAX_PROBLEMS = 20
_ALIASES = {"customersatstart": "customers_start", "customers": "customers_start",
            "startcustomers": "customers_start", "activeatstart": "customers_start",
            "newcustomers": "new_customers", "new": "new_customers", "churn": "churned",
            "lost": "churned", "nps": "trust", "period": "month", "monthnumber": "month"}


class ActualsError(ValueError):
    """Bad actuals: every problem as (line, column, what is wrong and how to fix it)."""

    def __init__(self, problems: Sequence[tuple[int | None, str | None, str]]):
        self.problems = tuple(problems)
        super().__init__("; ".join(_problem(p) for p in self.problems[:5])
                         + (f"; and {len(self.problems) - 5} more" if len(self.problems) > 5
                            else ""))

    def lines(self) -> list[str]:
        return [_problem(p) for p in self.problems]


def _problem(p: tuple[int | None, str | None, str]) -> str:
    line, column, text = p
    where = ", ".join(x for x in (f"line {line}" if line else "",
                                  f"column “{column}”" if column else "") if x)
    return f"{where}: {text}" if where else text


@dataclass(frozen=True)
class Actuals:
    """Monthly actuals in plan months (1-based), sorted; revenue and trust may be NaN."""

    month: np.ndarray  # int
    customers_start: np.ndarray
    churned: np.ndarray
    new_customers: np.ndarray
    revenue: np.ndarray
    trust: np.ndarray
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.month)

    def up_to(self, month: int) -> Actuals:
        keep = self.month <= month
        return Actuals(*(getattr(self, f)[keep] for f in COLUMNS), notes=self.notes)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({f: getattr(self, f) for f in COLUMNS})

    def to_csv(self) -> str:
        return frame_csv(self.to_frame())


def empty() -> Actuals:
    z = np.zeros(0)
    return Actuals(np.zeros(0, dtype=int), z, z, z, z, z)


def frame_csv(frame: pd.DataFrame) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for row in frame.itertuples(index=False):
        cells = []
        for name, x in zip(COLUMNS, row, strict=True):
            if x is None or (isinstance(x, float) and np.isnan(x)):
                cells.append("")
            elif name in ("month", "customers_start", "churned", "new_customers"):
                cells.append(str(int(x)))
            else:
                cells.append(f"{float(x):g}" if name == "trust" else f"{float(x):.2f}")
        w.writerow(cells)
    return out.getvalue()


def template_csv() -> str:
    """The header of an actuals file (the downloadable template)."""
    return ",".join(COLUMNS) + "\n"


def month_index(text: str, start_month: str | None) -> int | None:
    """A plan month from "7" or "2027-03" (with the plan's start month "YYYY-MM"), else None."""
    text = text.strip()
    if re.fullmatch(r"\d{1,4}", text):
        return int(text)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", text)
    if m and start_month and 1 <= int(m.group(2)) <= 12:
        y0, m0 = (int(x) for x in start_month.split("-"))
        return (int(m.group(1)) - y0) * 12 + int(m.group(2)) - m0 + 1
    return None


def _key(name: str) -> str:
    k = re.sub(r"[^a-z0-9]", "", name.strip().lower().lstrip("\ufeff"))
    return next((c for c in COLUMNS if c.replace("_", "") == k), _ALIASES.get(k, ""))


def read_actuals(data: bytes | str, start_month: str | None = None,
                 horizon_months: int | None = None) -> Actuals:
    """Actuals from CSV text; ActualsError lists every problem (nothing is partly read)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ActualsError([(None, None, "the file is not UTF-8 text: save it as CSV "
                                 "(UTF-8) from your spreadsheet")]) from None
    text = data.lstrip("\ufeff")
    if not text.strip():
        raise ActualsError([(None, None, "the file is empty: start from the template (header "
                             + template_csv().strip() + ") and add one row per month")])
    first = text.splitlines()[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return actuals_from_rows(rows[0], rows[1:], start_month, horizon_months, first_line=2)


def actuals_from_frame(frame: pd.DataFrame, start_month: str | None = None,
                       horizon_months: int | None = None) -> Actuals:
    """Actuals from a table typed on the page (the same checks; row 1 is "line 2")."""
    def cell(x: object) -> str:
        return "" if x is None or (isinstance(x, float) and np.isnan(x)) else str(x)
    rows = [[cell(x) for x in row] for row in frame.itertuples(index=False)]
    return actuals_from_rows([str(c) for c in frame.columns], rows, start_month, horizon_months,
                             first_line=2)


def actuals_from_rows(header: Sequence[str], rows: Iterable[Sequence[str]],
                      start_month: str | None, horizon_months: int | None,
                      first_line: int = 2) -> Actuals:
    problems: list[tuple[int | None, str | None, str]] = []
    keys = [_key(h) for h in header]
    missing = [c for c in REQUIRED if c not in keys]
    if missing:
        raise ActualsError([(1, None, "the header needs the columns " + ", ".join(REQUIRED)
                             + " (trust is optional); missing: " + ", ".join(missing)
                             + ". Start from the template.")])
    where = {c: keys.index(c) for c in COLUMNS if c in keys}
    out: dict[str, list[float]] = {c: [] for c in COLUMNS}
    lines: list[int] = []
    seen: dict[int, int] = {}
    for i, row in enumerate(rows):
        line = first_line + i
        if not any(str(x).strip() for x in row):
            continue
        if len(lines) >= MAX_ROWS:
            problems.append((line, None, f"more than {MAX_ROWS} months; split the file"))
            break
        values = _row(row, where, line, start_month, horizon_months, problems)
        if values is None:
            continue
        month = int(values["month"])
        if month in seen:
            problems.append((line, "month", f"month {month} is already on line {seen[month]}; "
                             "keep one row per month"))
            continue
        seen[month] = line
        lines.append(line)
        for c in COLUMNS:
            out[c].append(values[c])
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise ActualsError(problems)
    if not lines:
        raise ActualsError([(None, None, "no months in the file: add one row per month under "
                             "the header")])
    order = np.argsort(out["month"])
    arr = {c: np.asarray(out[c], dtype=float)[order] for c in COLUMNS}
    return Actuals(month=arr["month"].astype(int), customers_start=arr["customers_start"],
                   churned=arr["churned"], new_customers=arr["new_customers"],
                   revenue=arr["revenue"], trust=arr["trust"], notes=tuple(consistency(arr)))


def _row(row: Sequence[str], where: Mapping[str, int], line: int, start_month: str | None,
         horizon_months: int | None, problems: list) -> dict[str, float] | None:
    values: dict[str, float] = {}
    ok = True
    for c in COLUMNS:
        raw = str(row[where[c]]).strip() if c in where and where[c] < len(row) else ""
        if c == "month":
            m = month_index(raw, start_month)
            if m is None or m < 1 or (horizon_months is not None and m > horizon_months):
                top = f" to {horizon_months}" if horizon_months else ""
                problems.append((line, c, f"“{raw[:40]}” is not a month of the plan: write 1"
                                 f"{top} (1 = the plan's start month) or YYYY-MM"
                                 + (f" from {start_month}" if start_month else "")))
                ok = False
            else:
                values[c] = float(m)
            continue
        if raw == "":
            if c == "trust":
                values[c] = float("nan")
                continue
            problems.append((line, c, f"is blank; write the month's {c.replace('_', ' ')}"))
            ok = False
            continue
        try:
            x = float(raw.replace(",", "") if c != "trust" else raw)
        except ValueError:
            x = float("nan")
        whole = c in ("customers_start", "churned", "new_customers")
        if not np.isfinite(x) or x < 0 or (whole and x != int(x)):
            kind = "a whole number of customers" if whole else "a number ≥ 0"
            problems.append((line, c, f"“{raw[:40]}” is not {kind}; write e.g. "
                             + ("1200" if whole else "1250000.50")))
            ok = False
            continue
        values[c] = x
    if ok and values["churned"] > values["customers_start"]:
        problems.append((line, "churned", f"{int(values['churned'])} churned is more than the "
                         f"{int(values['customers_start'])} customers at the start; check both"))
        ok = False
    return values if ok else None


def consistency(arr: Mapping[str, np.ndarray]) -> list[str]:
    """Notes (not errors): months missing, and a start count that does not follow from the month
    before (customers − churned + new)."""
    notes = []
    m = arr["month"].astype(int)
    gaps = sorted(set(range(1, int(m.max()) + 1)) - set(m.tolist())) if len(m) else []
    if gaps:
        shown = ", ".join(str(g) for g in gaps[:6]) + (" …" if len(gaps) > 6 else "")
        notes.append(f"No actuals for month {shown}: those months are left out of the evidence.")
    for i in range(1, len(m)):
        if m[i] == m[i - 1] + 1:
            expected = (arr["customers_start"][i - 1] - arr["churned"][i - 1]
                        + arr["new_customers"][i - 1])
            if abs(arr["customers_start"][i] - expected) > max(1.0, 0.001 * expected):
                notes.append(f"Month {m[i]}: {arr['customers_start'][i]:,.0f} customers at the "
                             f"start, but month {m[i - 1]} ended with {expected:,.0f} (start − "
                             "churned + new); check the counts.")
    return notes[:10]


def actuals_from_customers(source: bytes | str, start_month: str, name: str = "customers.csv"
                           ) -> Actuals:
    """Monthly actuals from customer rows with start and end dates (end blank = still active),
    read by ``model.churn``'s reader and column guesses. Months run from the plan's start month
    to the last whole month before the file's latest date; revenue is summed from a revenue per
    month column when there is one (else left blank)."""
    try:
        csv_file = read_source(source.encode() if isinstance(source, str) else source, name)
        mapping = guess_mapping(csv_file.frame, "customers")
    except ChurnDataError as e:
        raise ActualsError([(None, None, str(e))]) from None
    frame = csv_file.frame
    if mapping.start is None or mapping.end is None:
        raise ActualsError([(1, None, "a customer file needs a start date column and an end "
                             "date column (blank end = still active), e.g. "
                             "customer_id,start_date,end_date")])
    start = _dates(frame, mapping.start)
    end = _dates(frame, mapping.end, blank_ok=True)
    as_of = np.nanmax(np.concatenate([start.astype("datetime64[D]").astype(float),
                                      end[~np.isnat(end)].astype("datetime64[D]").astype(float)]))
    y0, m0 = (int(x) for x in start_month.split("-"))
    first = np.datetime64(f"{y0:04d}-{m0:02d}", "M")
    last_full = np.datetime64(int(as_of), "D").astype("datetime64[M]")  # month holding as_of
    months = int((last_full - first).astype(int))  # whole months before it
    if months < 1:
        raise ActualsError([(None, mapping.start, f"no whole month from the plan's start "
                             f"{start_month} to the file's last date; check the start month")])
    revenue = (pd.to_numeric(frame[mapping.revenue], errors="coerce").to_numpy(float)
               if mapping.revenue else None)
    rows = {c: [] for c in COLUMNS}
    s_d, e_d = start.astype("datetime64[D]"), end.astype("datetime64[D]")
    for k in range(months):
        lo = (first + k).astype("datetime64[D]")
        hi = (first + k + 1).astype("datetime64[D]")
        active = (s_d < lo) & (np.isnat(e_d) | (e_d >= lo))
        rows["month"].append(k + 1)
        rows["customers_start"].append(int(active.sum()))
        rows["churned"].append(int((active & ~np.isnat(e_d) & (e_d < hi)).sum()))
        joined = (s_d >= lo) & (s_d < hi)
        rows["new_customers"].append(int(joined.sum()))
        rows["revenue"].append(float(np.nansum(revenue[active | joined])) if revenue is not None
                               else float("nan"))
        rows["trust"].append(float("nan"))
    arr = {c: np.asarray(v, dtype=float) for c, v in rows.items()}
    notes = [f"Monthly actuals from {len(frame):,} customer rows ({mapping.start} to "
             f"{mapping.end}); months up to {str(last_full - 1)}, the last whole month in the file."]
    if revenue is None:
        notes.append("The file has no revenue column: revenue is left blank.")
    return Actuals(month=arr["month"].astype(int), customers_start=arr["customers_start"],
                   churned=arr["churned"], new_customers=arr["new_customers"],
                   revenue=arr["revenue"], trust=arr["trust"], notes=tuple(notes))


def _dates(frame: pd.DataFrame, column: str, blank_ok: bool = False) -> np.ndarray:
    raw = frame[column]
    parsed = pd.to_datetime(raw, errors="coerce", format="mixed")
    blank = raw.isna() | (raw.astype(str).str.strip() == "")
    bad = parsed.isna() & ~blank
    if bad.any() or (not blank_ok and blank.any()):
        i = int(np.flatnonzero((bad | (blank & (not blank_ok))).to_numpy())[0])
        raise ActualsError([(i + 2, column, f"“{str(raw.iloc[i])[:40]}” is not a date; write "
                             "YYYY-MM-DD" + (" or leave it blank for a customer still active"
                                             if blank_ok else ""))])
    return parsed.to_numpy(dtype="datetime64[s]")
