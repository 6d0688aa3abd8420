"""Formatting for people: money with a currency and separators, months as years, shares.

Pure functions (no Streamlit), so charts, reports and tests share them.
"""

from __future__ import annotations

import math
import os
import re

# The currency symbol shown everywhere; set ONEQ_CURRENCY (e.g. "€") to change it.
CURRENCY = os.environ.get("ONEQ_CURRENCY", "$")


def money(x: float | None, currency: str = CURRENCY, compact: bool = False) -> str:
    """``$1,234,567`` (or ``$1.2M`` when compact); negatives as ``−$1,234``."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    sign = "−" if x < 0 else ""
    a = abs(x)
    if compact:
        for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if a >= size:
                return f"{sign}{currency}{a / size:,.1f}{suffix}"
        return f"{sign}{currency}{a:,.0f}"
    return f"{sign}{currency}{a:,.0f}"


def signed_money(x: float, currency: str = CURRENCY, compact: bool = False) -> str:
    """Money with an explicit + for gains."""
    text = money(x, currency, compact)
    return text if x < 0 or text == "—" else f"+{text}"


def count(x: float | None) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{x:,.0f}"


def percent(x: float | None, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{100 * x:.{digits}f} %"


def month_label(month: int | None) -> str:
    """``month 82 (year 7)``; ``never`` for None."""
    if month is None:
        return "never"
    return f"month {month} (year {(month - 1) // 12 + 1})"


def years(months: float) -> str:
    """``5 years``, ``6.5 years``, ``1 year``."""
    y = months / 12
    text = f"{y:.0f}" if float(y).is_integer() else f"{y:.1f}"
    return f"{text} year" + ("" if text == "1" else "s")


def value_with_unit(x: float | bool, unit: str) -> str:
    """An assumption value as a person reads it, following its registry unit."""
    if unit == "yes/no":
        return "yes" if x else "no"
    if unit.startswith("fraction"):
        rest = unit.removeprefix("fraction")
        return percent(float(x), 2 if abs(float(x)) < 0.01 and x != 0 else 1 if abs(float(x) * 100 % 1) > 1e-9 else 0) + rest
    if unit.startswith("currency"):
        return money(float(x)) + unit.removeprefix("currency")
    return f"{x:,g} {unit}"


# Every ASCII punctuation mark may be backslash-escaped in CommonMark; escaping all of them also
# breaks GFM autolinks (www., http:, user@host) and Streamlit's :emoji:/:material/…:/:red[…] syntax.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\t\u2028\u2029]+")


def escape_markdown(text: object, limit: int | None = None) -> str:
    """Text from a user or a file, shown verbatim inside Streamlit markdown and widget labels.

    The one helper for names, file names, segment names, notes and quoted values: no link, image,
    HTML or formatting can come through; line breaks fold to spaces; ``limit`` cuts long text.
    """
    text = _LINE_BREAKS.sub(" ", str(text))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
