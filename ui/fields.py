"""The one table of summary fields: key, plain label, kind (which fixes the formatters).

Used by the report's table of results (``ui.report.summary_rows``), the compare table
(``ui.compare_charts.metrics_table``) and open to the dashboard's metrics. Pure: no Streamlit.

Adding a field is one line in ``FIELDS``: the key of ``model.simulation.Summary`` it shows, a plain
label, and its kind. The kind decides how the value reads exactly (report, to the cent), short
(tables and metrics, compact) and as a difference between two scenarios:

==========  ===============================  =====================  ======================
kind        exact                            short                  difference
==========  ===============================  =====================  ======================
delta       ``+$1,234.56`` (signed cents)    ``+$1.2M``             ``+$0.3M``
money       ``$1,234.56``                    ``$1.2M``              ``+$0.3M``
count       ``1,234``                        ``1,234``              ``+56``
rate        ``12.3 %``                       ``12.3 %``             ``+1.5 pp``
share       ``45 %``                         ``45 %``               ``+1.5 pp``
payback     ``month 82 (year 7)``            same                   ``+12 months``
sacrifice   ``−$1,234.56 · month 20 (...)``  ``−$1.2M``             ``+$0.3M``
==========  ===============================  =====================  ======================

A ``note`` adds context to the label where one scenario is shown (the report): it may name any
summary attribute in braces (``"to month {tenure_month}"``) and ``{tv}`` ("with"/"without" the
value of customers active at the end).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ui import glossary
from ui.format import (
    cents,
    compact,
    count,
    month_label,
    payback,
    percent,
    signed_cents,
    signed_compact,
    signed_count,
    signed_months,
    signed_points,
)

NO_CHANGE = "no change"
Formatter = Callable[[object, str], str]  # (summary, key) -> text


def _get(s: object, key: str) -> float:
    return getattr(s, key)


def no_change(s: object) -> bool:
    """Both strategies are the same business to the cent (every lever off): nothing to pay back."""
    return (s.npv_scenario == s.npv_status_quo and s.deepest_sacrifice == 0.0
            and s.delta_inside_tenure == 0.0 and s.delta_npv_excl_terminal == 0.0)


def _payback(s: object, key: str) -> str:
    return NO_CHANGE if no_change(s) else payback(s.payback_month, s.deepest_sacrifice)


def _payback_short(s: object, key: str) -> str:
    """As ``_payback``, short enough for a metric at 1280 px ("not by year 10" where the exact
    form says "not within the horizon", cut off there: issue 22, defect 6)."""
    if not no_change(s) and s.deepest_sacrifice < 0 and s.payback_month is None:
        return f"not by year {s.horizon_months / 12:g}"
    return _payback(s, key)


def _sacrifice_exact(s: object, key: str) -> str:
    return f"{cents(s.deepest_sacrifice)} · {month_label(s.deepest_sacrifice_month)}"


def _sacrifice_short(s: object, key: str) -> str:
    return "none" if s.deepest_sacrifice_month is None else compact(s.deepest_sacrifice)


def _months_diff(a: object, b: object, key: str) -> str:
    x, y = _get(a, key), _get(b, key)
    return "—" if x is None or y is None else signed_months(x - y)


def _by(fmt: Callable[[float], str]) -> Formatter:
    return lambda s, key: fmt(_get(s, key))


def _diff(fmt: Callable[[float], str]) -> Callable[[object, object, str], str]:
    return lambda a, b, key: fmt(_get(a, key) - _get(b, key))


# kind → (exact, short, difference)
KINDS: dict[str, tuple[Formatter, Formatter, Callable[[object, object, str], str]]] = {
    "delta": (_by(signed_cents), _by(signed_compact), _diff(signed_compact)),
    "money": (_by(cents), _by(compact), _diff(signed_compact)),
    "count": (_by(count), _by(count), _diff(signed_count)),
    "rate": (_by(lambda x: percent(x, 1)), _by(lambda x: percent(x, 1)), _diff(signed_points)),
    "share": (_by(percent), _by(percent), _diff(signed_points)),
    "payback": (_payback, _payback_short, _months_diff),
    "sacrifice": (_sacrifice_exact, _sacrifice_short, _diff(signed_compact)),
}


@dataclass(frozen=True)
class Field:
    key: str  # attribute of model.simulation.Summary
    kind: str  # a key of KINDS
    note: str = ""  # context for a single scenario (report); may use {summary attributes}, {tv}
    compare: bool = True  # also a row of the compare table
    headline: str = ""  # the dashboard metric's label in plain words ({tenure}, {horizon})

    @property
    def label(self) -> str:
        """The figure's words, the same on every screen (``ui.glossary``)."""
        return glossary.name(self.key)

    @property
    def meaning(self) -> str:
        return glossary.meaning(self.key)

    def exact(self, s: object) -> str:
        return KINDS[self.kind][0](s, self.key)

    def short(self, s: object) -> str:
        return KINDS[self.kind][1](s, self.key)

    def diff(self, s: object, reference: object) -> str:
        return KINDS[self.kind][2](s, reference, self.key)

    def full_label(self, s: object) -> str:
        """The label with its note filled in for this summary."""
        if not self.note:
            return self.label
        context = {**s.to_dict(), "tv": "with" if s.include_terminal_value else "without"}
        return f"{self.label} ({self.note.format(**context)})"


FIELDS: tuple[Field, ...] = (
    Field("delta_npv", "delta",
          note="{tv} the end value: customers still active and still to come",
          headline="Total (cash + end value)"),
    Field("delta_npv_excl_terminal", "delta", headline="Cash over {horizon}"),
    Field("delta_end_value_active", "delta"),
    Field("delta_end_value_arrivals", "delta"),
    Field("delta_terminal_value", "delta", compare=False),
    Field("delta_inside_tenure", "delta", headline="Inside your tenure ({tenure})"),
    Field("delta_after_tenure", "delta", headline="After your tenure"),
    Field("delta_cash_after_tenure", "delta", compare=False),
    Field("payback_month", "payback", headline="Payback"),
    Field("deepest_sacrifice", "sacrifice", headline="Deepest sacrifice"),
    Field("npv_scenario", "money"),
    Field("npv_status_quo", "money"),
    Field("customers_end_scenario", "count"),
    Field("customers_end_status_quo", "count", compare=False),
    Field("annual_churn_end_scenario", "rate"),
    Field("annual_churn_end_status_quo", "rate", compare=False),
    Field("trust_end_scenario", "share"),
    Field("trust_end_status_quo", "share", compare=False),
)
BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
COMPARED: tuple[Field, ...] = tuple(f for f in FIELDS if f.compare)
# The dashboard's six metrics, in the order an executive reads them.
HEADLINE: tuple[Field, ...] = tuple(BY_KEY[k] for k in (
    "delta_inside_tenure", "delta_after_tenure", "delta_npv_excl_terminal", "delta_npv",
    "payback_month", "deepest_sacrifice"))


def short(key: str, s: object) -> str:
    """One field of a summary as the dashboard's metrics and tables show it."""
    return BY_KEY[key].short(s)
