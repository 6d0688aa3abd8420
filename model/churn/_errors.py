"""The one error of churn files and how values and lines are quoted in its messages."""

from __future__ import annotations

import math
import os

MAX_UPLOAD_ENV = "ONEQ_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 200
MAX_TENURE_MONTHS = 1200  # 100 years: a longer tenure is a typo or a unit mix-up, not a customer
_QUOTE_LIMIT = 40  # characters of a cell or column name quoted in a message


class ChurnDataError(ValueError):
    """A problem with an uploaded file, worded for the person who uploaded it: one sentence that
    names the line or column at fault and says how to fix it."""


def max_upload_mb() -> float:
    """Upload limit in MB: ``ONEQ_MAX_UPLOAD_MB`` (default 200)."""
    raw = os.environ.get(MAX_UPLOAD_ENV, "")
    try:
        value = float(raw)
        return value if value > 0 and math.isfinite(value) else DEFAULT_MAX_UPLOAD_MB
    except ValueError:
        return DEFAULT_MAX_UPLOAD_MB


def line(index: int) -> int:
    """File line of a data row (the header is line 1)."""
    return int(index) + 2


def quote(value: object) -> str:
    """A cell value or column name as a person reads it in a message: numbers plainly (never a
    numpy repr such as ``np.float64(20240619.0)``), text in quotes, long text cut."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar → Python
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}" if abs(value) < 10**15 else f"{value:.6g}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "blank" if math.isnan(value) else ("infinity" if value > 0 else "−infinity")
        return f"{int(value):,}" if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"
    text = " ".join(str(value).split())
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 1] + "…"
    return repr(text)


def quote_id(value: object) -> str:
    """An identifier or a year from a cell as written: ``1946``, never ``1,946``."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return quote(value)


def plural(n: int, word: str) -> str:
    """``1 blank cell``, ``3 blank cells``."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def columns_of(frame) -> str:
    """The file's column names for a message (the first twelve)."""
    names = ", ".join(quote(c) for c in list(frame.columns)[:12])
    more = "" if frame.shape[1] <= 12 else f" and {frame.shape[1] - 12:,} more"
    return names + more
