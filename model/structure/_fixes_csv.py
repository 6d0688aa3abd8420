"""A list of fixes from CSV (one fix a row), checked like the scenario file's ``fixes``.

| column          | meaning                                                   | required |
|-----------------|-----------------------------------------------------------|----------|
| name            | the broken experience                                     | yes      |
| capex           | one-off cost                                              | yes      |
| opex_per_year   | yearly run cost once live (blank = 0)                     | no       |
| churn_share     | share of today's churn it causes (likely)                 | yes      |
| low, high       | the share's range (both or neither)                       | no       |
| segments        | "all" (or blank) or segment names separated by ";"        | no       |
| build_months    | months to build (blank = the scenario's)                  | no       |

Messages name the line and the column (line 1 is the header).
"""

from __future__ import annotations

import csv
import io

from model.assumptions import ScenarioError
from model.structure._spec import MAX_FIXES, FixSpec, parse_fixes

COLUMNS = ("name", "capex", "opex_per_year", "churn_share", "low", "high", "segments",
           "build_months")
REQUIRED = ("name", "capex", "churn_share")
MAX_CSV_BYTES = 200_000


def _number(text: str, line: int, column: str) -> float:
    try:
        return float(text.replace(",", "")) if column != "build_months" else int(float(text))
    except ValueError:
        raise ScenarioError(f"line {line}, column {column}: {text[:40]!r} is not a number; "
                            "write digits, e.g. 250000") from None


def parse_fixes_csv(data: bytes | str, segment_names: tuple[str, ...] = ()
                    ) -> tuple[FixSpec, ...]:
    """The fixes of a CSV file; ScenarioError names the line, the column and the fix."""
    if len(data) > MAX_CSV_BYTES:
        raise ScenarioError(f"the file is {len(data):,} bytes; a fixes file is at most "
                            f"{MAX_CSV_BYTES:,} bytes")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScenarioError("the file is not UTF-8 text; save it as CSV (UTF-8)") from None
    rows = list(csv.reader(io.StringIO(data)))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise ScenarioError("the file is empty; the first line names the columns: "
                            + ", ".join(COLUMNS))
    header = [h.strip().lower() for h in rows[0]]
    for i, h in enumerate(header):
        if h not in COLUMNS:
            raise ScenarioError(f"line 1, column {i + 1}: {h[:40]!r} is not a column of a fixes "
                                f"file; the columns are {', '.join(COLUMNS)}")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ScenarioError(f"line 1: the column {missing[0]!r} is missing; the required "
                            f"columns are {', '.join(REQUIRED)}")
    if len(rows) - 1 > MAX_FIXES:
        raise ScenarioError(f"{len(rows) - 1} fixes; at most {MAX_FIXES}")
    items = []
    for n, row in enumerate(rows[1:], start=2):
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        item: dict[str, object] = {"name": cells["name"]}
        for c in ("capex", "opex_per_year", "build_months"):
            if cells.get(c):
                item[c] = _number(cells[c], n, c)
        likely = _number(cells["churn_share"], n, "churn_share") if cells["churn_share"] else None
        if likely is None:
            raise ScenarioError(f"line {n}, column churn_share: empty; give the share of "
                                "today's churn this experience causes, e.g. 0.05")
        low, high = cells.get("low", ""), cells.get("high", "")
        if bool(low) != bool(high):
            raise ScenarioError(f"line {n}: give both low and high, or neither")
        item["churn_share"] = ({"low": _number(low, n, "low"), "likely": likely,
                                "high": _number(high, n, "high")} if low else likely)
        seg = cells.get("segments", "")
        if seg and seg.lower() != "all":
            item["segments"] = [s.strip() for s in seg.split(";") if s.strip()]
        if "capex" not in item:
            raise ScenarioError(f"line {n}, column capex: empty; give the one-off cost")
        items.append(item)
    try:
        return parse_fixes({"fixes": items}, segment_names)
    except ScenarioError as e:  # fixes[i].field → line, column
        text = str(e)
        if text.startswith("fixes[") and "]" in text:
            i = int(text[6:text.index("]")])
            rest = text[text.index("]") + 1:]
            column = rest[1:].split(":", 1)[0].split("[")[0].split(".")[0] if rest.startswith(".") else ""
            detail = rest.split(": ", 1)[1] if ": " in rest else rest
            where = f"line {i + 2}" + (f", column {column}" if column else "")
            raise ScenarioError(f"{where}: {detail}") from None
        raise


def fixes_csv_example() -> str:
    """A fixes file the reader accepts as written (the page offers it as a template)."""
    return ("name,capex,opex_per_year,churn_share,low,high,segments,build_months\n"
            "Billing errors,1000000,100000,0.08,0.05,0.12,all,9\n"
            "Onboarding,2000000,150000,0.1,,,all,\n")
