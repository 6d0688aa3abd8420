"""Formatting for people: money with a currency and separators, months as years, shares.

Pure functions (no Streamlit), so charts, reports, tables and tests share them.

One rounding rule for every amount: **the sign follows the number as shown**. A value is rounded to
the precision it is shown at (whole units, cents, or three significant figures of k/M/B when
compact) and a value that rounds to zero is shown as zero, with no sign: never "−$0" or "+$0.00".
Negative amounts use a typographic minus (−); gains get an explicit + only through the
``signed_*`` formatters.

Money on screen and in reports is compact by default: **three significant figures** ($896k,
$12.1M, $150M; trailing zeros dropped, so $6M and $1.2M), about what the model's assumptions
support. Exact amounts (to the cent) stay in tooltips, the exact line and the CSVs.
"""

from __future__ import annotations

import math
import os
import re

# The currency symbol shown everywhere; set ONEQ_CURRENCY (e.g. "€") to change it.
CURRENCY = os.environ.get("ONEQ_CURRENCY", "$")
MINUS = "−"  # U+2212: a typographic minus, also never read as a formula by spreadsheets
_COMPACT = ((1e9, "B"), (1e6, "M"), (1e3, "k"))


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and not math.isfinite(x))


SIGNIFICANT = 3  # figures of compact money


def three_significant(x: float, figures: int = SIGNIFICANT) -> float:
    """``x`` rounded to ``figures`` significant figures (0 stays 0)."""
    return float(f"{x:.{figures}g}") if x else 0.0


def _magnitude(a: float, currency: str, compact: bool, cents: bool,
               figures: int = SIGNIFICANT) -> str:
    """``a`` (≥ 0) as shown: with separators, to the cent, or compact (k/M/B at ``figures``
    significant figures, three by default, trailing zeros dropped)."""
    if compact:
        r = three_significant(a, figures)
        for size, suffix in _COMPACT:
            if r >= size:
                v = r / size
                digits = max(0, figures - len(str(int(v))))
                text = f"{v:,.{digits}f}"
                if "." in text:
                    text = text.rstrip("0").rstrip(".")
                return f"{currency}{text}{suffix}"
        return f"{currency}{r:,.0f}"
    return f"{currency}{a:,.2f}" if cents else f"{currency}{a:,.0f}"


def _is_zero(text: str) -> bool:
    return not any(c in "123456789" for c in text)


def _signed_text(x: float, shown: str, plus: bool) -> str:
    """The one rounding rule: no sign on a number that is shown as zero."""
    if _is_zero(shown):
        return shown
    if x < 0:
        return MINUS + shown
    return "+" + shown if plus else shown


def money(x: float | None, currency: str = CURRENCY, compact: bool = False,
          cents: bool = False) -> str:
    """``$1,234,567`` (``$1.2M`` when compact, ``$1,234,567.89`` with cents); ``−$1,234``."""
    if _missing(x):
        return "—"
    return _signed_text(float(x), _magnitude(abs(float(x)), currency, compact, cents), plus=False)


def signed_money(x: float | None, currency: str = CURRENCY, compact: bool = False,
                 cents: bool = False, figures: int = SIGNIFICANT) -> str:
    """Money with an explicit + for gains (``+$1.2M``, ``−$3,400``, and ``$0`` for nothing);
    compact money at ``figures`` significant figures."""
    if _missing(x):
        return "—"
    return _signed_text(float(x), _magnitude(abs(float(x)), currency, compact, cents, figures),
                        plus=True)


def figures_for(x: float, error: float) -> int:
    """Significant figures of ``x`` that an uncertainty of ``error`` leaves meaningful (1 to 3):
    no digit finer than the error's own order of magnitude."""
    if not math.isfinite(x) or not math.isfinite(error) or x == 0 or error <= 0:
        return SIGNIFICANT
    return int(min(SIGNIFICANT, max(1, math.floor(math.log10(abs(x)))
                                     - math.floor(math.log10(error)) + 1)))


def cents(x: float | None) -> str:
    """Money to the cent (``−$1,234.56``): exact amounts in the report and help texts."""
    return money(x, cents=True)


def signed_cents(x: float | None) -> str:
    """Signed money to the cent (``+$1,234.56``)."""
    return signed_money(x, cents=True)


def compact(x: float | None) -> str:
    """Short money for tables and metrics (``$1.2M``)."""
    return money(x, compact=True)


def signed_compact(x: float | None) -> str:
    """Short signed money for differences (``+$1.2M``; ``$0`` when it rounds to nothing)."""
    return signed_money(x, compact=True)


def count(x: float | None) -> str:
    if _missing(x):
        return "—"
    return _signed_text(float(x), f"{abs(float(x)):,.0f}", plus=False)


def signed_count(x: float | None) -> str:
    """A difference in customers (``+1,234``, ``−56``, ``0``)."""
    if _missing(x):
        return "—"
    return _signed_text(float(x), f"{abs(float(x)):,.0f}", plus=True)


def percent(x: float | None, digits: int = 0) -> str:
    if _missing(x):
        return "—"
    return _signed_text(float(x), f"{100 * abs(float(x)):.{digits}f} %", plus=False)


def signed_points(x: float | None, digits: int = 1) -> str:
    """A difference of two shares in percentage points (``+2.5 pp``, ``0 pp``)."""
    if _missing(x):
        return "—"
    shown = _signed_text(float(x), f"{100 * abs(float(x)):.{digits}f} pp", plus=True)
    return "0 pp" if _is_zero(shown) else shown


def signed_months(x: float | None) -> str:
    """A difference in months (``+12 months``, ``−1 month``, ``same``)."""
    if _missing(x):
        return "—"
    shown = _signed_text(float(x), f"{abs(float(x)):,.0f} month", plus=True)
    return "same" if _is_zero(shown) else shown + ("" if shown[1:] == "1 month" else "s")


def month_label(month: int | None) -> str:
    """``month 82 (year 7)``; ``never`` for None."""
    if month is None:
        return "never"
    return f"month {month} (year {(month - 1) // 12 + 1})"


NOT_WITHIN_HORIZON = "not within the horizon"


def payback(payback_month: int | None, deepest_sacrifice: float) -> str:
    """The payback in words, the same everywhere: ``immediate`` (nothing is given up first),
    ``month 82 (year 7)``, or ``not within the horizon``."""
    if deepest_sacrifice >= 0:
        return "immediate"
    return NOT_WITHIN_HORIZON if payback_month is None else month_label(payback_month)


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


# Every ASCII punctuation mark may be backslash-escaped in CommonMark; escaping all of them stops
# links, images, HTML, emphasis and Streamlit's :emoji:/:material/…:/:red[…] syntax.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\t\u2028\u2029]+")
# Escapes do NOT stop GFM autolink literals in the browser: Streamlit's renderer (remark-gfm) finds
# "http://", "www." and "user@host" in the text *after* escapes are resolved. A WORD JOINER
# (U+2060, invisible, no line break) inside each of those breaks the pattern.
WORD_JOINER = "\u2060"
_AUTOLINKS = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)")


def escape_markdown(text: object, limit: int | None = None) -> str:
    """Text from a user or a file, shown verbatim inside Streamlit markdown and widget labels.

    The one helper for names, file names, segment names, notes and quoted values: no link, image,
    autolink, HTML or formatting can come through; line breaks fold to spaces; ``limit`` cuts long
    text. Autolink patterns get an invisible word joiner (see ``_AUTOLINKS``).
    """
    text = _LINE_BREAKS.sub(" ", str(text))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINKS.sub(WORD_JOINER, text))


def escape_dollars(text: str) -> str:
    """The app's own sentence (amounts of money, no user text) for Streamlit markdown: every ``$``
    escaped, since a pair of them ("$1.2M … $3.4M") would start a LaTeX formula. Text from a user
    or a file goes through ``escape_markdown`` instead, which escapes ``$`` too."""
    return text.replace("$", "\\$")


def quoted(name: object) -> str:
    """A name from a user in typographic quotes, as text (see ``escape_markdown``)."""
    return f"“{escape_markdown(name)}”"
