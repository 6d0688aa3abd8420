"""The verdict in plain words and the four headline metrics, as pure functions of a Summary."""

from __future__ import annotations

from dataclasses import dataclass

from model.simulate import Summary
from ui.format import CURRENCY, money, month_label, signed_money

# The sacrifice curve is cash only: its end is the verdict's "in cash" figure.
SACRIFICE_TITLE = "The sacrifice curve: cumulative Δ cash (discounted)"
# Below this (in currency) an amount is "about nothing": rounding noise, not a result.
_NEGLIGIBLE = 0.5


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str
    note: str | None = None  # shown under the value (e.g. when the deepest point is reached)


def _years_text(months: int) -> str:
    y = months / 12
    return f"{y:g}"


def _amount(x: float) -> str:
    return money(abs(x), compact=True)


def _gain_or_loss(x: float, give_up: str = "give up", gain: str = "gain") -> str:
    if abs(x) < _NEGLIGIBLE:
        return "break even"
    return f"{give_up if x < 0 else gain} {_amount(x)}"


def is_status_quo(s: Summary) -> bool:
    """Every lever off: both strategies are the same business, to the cent."""
    return (s.npv_scenario == s.npv_status_quo and s.deepest_sacrifice == 0.0
            and s.delta_inside_tenure == 0.0 and s.delta_npv_excl_terminal == 0.0)


def _horizon_clause(s: Summary, horizon_y: str) -> str:
    """Cash within the horizon, then (when counted) the value of the customers still active."""
    cash = f"over {horizon_y} years you {_gain_or_loss(s.delta_npv_excl_terminal, 'lose', 'gain')}"
    cash += " in cash"
    if not s.include_terminal_value:
        return cash + " (customers still active then are not counted)"
    return (f"{cash}; counting the customers you still have then, "
            f"{_gain_or_loss(s.delta_npv, 'you lose', 'you gain')}")


def verdict_sentence(s: Summary) -> str:
    """One plain sentence answering the question for this scenario; every amount says what it
    contains (cash within the tenure or horizon, or cash plus the customers still active).

    "Inside your 5-year tenure you give up $1.1M; over 10 years you gain $20.8M in cash;
    counting the customers you still have then, you gain $50.4M; the switch pays back in month
    64 (year 6)."
    """
    horizon_y = _years_text(s.horizon_months)
    if is_status_quo(s):
        return ("Every lever is off: this is the status quo — nothing to give up and nothing to "
                "gain. Move honest expectation setting or the investment to see the trade-off.")
    tenure_y = _years_text(s.tenure_month)
    if s.tenure_month >= s.horizon_months:
        # The summary clips the tenure to the horizon, so its own length is not known here.
        first = (f"Your tenure covers the whole {horizon_y}-year horizon: inside it you "
                 f"{_gain_or_loss(s.delta_inside_tenure)} in cash")
        if s.include_terminal_value:
            first += (f"; counting the customers you still have then, "
                      f"{_gain_or_loss(s.delta_npv, 'you lose', 'you gain')}")
    else:
        first = (f"Inside your {tenure_y}-year tenure you {_gain_or_loss(s.delta_inside_tenure)}; "
                 f"{_horizon_clause(s, horizon_y)}")

    if s.deepest_sacrifice >= 0.0:
        second = "there is no sacrifice: the switch is ahead from month 1"
    elif s.payback_month is None:
        second = f"the switch does not pay back in cash within the {horizon_y}-year horizon"
    elif s.payback_month <= s.tenure_month:
        second = f"the switch pays back in {month_label(s.payback_month)}, inside your tenure"
    else:
        second = f"the switch pays back in {month_label(s.payback_month)}"
    return f"{first}; {second}."


def _signed(x: float) -> str:
    """Compact signed money; nothing at all reads as $0, not +$0."""
    return money(0.0) if abs(x) < _NEGLIGIBLE else signed_money(x, compact=True)


def _cents(x: float) -> str:
    sign = "−" if x < 0 else "+"
    return f"{sign}{CURRENCY}{abs(x):,.2f}"


def exact_line(s: Summary) -> str:
    """The verdict's amounts to the cent, so a shared link can be checked exactly."""
    line = (f"Exact: Δ inside tenure {_cents(s.delta_inside_tenure)} · Δ cash over the horizon "
            f"{_cents(s.delta_npv_excl_terminal)}")
    if s.include_terminal_value:
        line += f" · with the customers still active {_cents(s.delta_npv)}"
    return line + f" · payback {month_label(s.payback_month)}"


def headline_metrics(s: Summary) -> list[Metric]:
    """Δ inside tenure, Δ after it, cash over the horizon, with the customers still active,
    payback and the deepest sacrifice (with help texts)."""
    horizon_y = _years_text(s.horizon_months)
    payback_note = None
    if s.deepest_sacrifice >= 0:
        payback = "immediate"
    elif s.payback_month is None:
        payback = "never"  # short enough for a metric; the note says within what
        payback_note = f"not within the {horizon_y}-year horizon"
    else:
        payback = f"year {s.payback_year}"
        when = "inside" if s.payback_month <= s.tenure_month else "after"
        payback_note = f"month {s.payback_month}, {when} your tenure"
    deepest = ("none" if s.deepest_sacrifice_month is None
               else money(s.deepest_sacrifice, compact=True))
    deepest_note = (None if s.deepest_sacrifice_month is None
                    else f"in {month_label(s.deepest_sacrifice_month)}")
    counted = ("counted in ΔNPV" if s.include_terminal_value
               else "not counted in ΔNPV (switched off)")
    return [
        Metric(f"Δ inside your tenure ({_years_text(s.tenure_month)} years)",
               _signed(s.delta_inside_tenure),
               "Cash: customer-centric minus status quo, the cumulative difference in discounted "
               f"profit at the end of month {s.tenure_month}, in today's money "
               f"({_cents(s.delta_inside_tenure)})."),
        Metric("Δ after your tenure", _signed(s.delta_after_tenure),
               "What the switch adds after you leave: cash from the tenure end to the horizon "
               f"end ({_cents(s.delta_cash_after_tenure)})"
               + (" plus the value of the customers still active then"
                  if s.include_terminal_value else "")
               + f" ({_cents(s.delta_after_tenure)} in all)."),
        Metric(f"Δ cash over {horizon_y} years", _signed(s.delta_npv_excl_terminal),
               "Cash only: the cumulative Δ discounted profit at the horizon end — the end of "
               f"the sacrifice curve ({_cents(s.delta_npv_excl_terminal)})."),
        Metric("ΔNPV with the customers still active", _signed(s.delta_npv),
               "Cash over the horizon plus the value of the customers still active at its end "
               f"(Δ {_cents(s.delta_terminal_value)}, {counted}): "
               f"{_cents(s.delta_npv)}."),
        Metric("Payback", payback,
               "First month from which the cumulative Δ discounted profit stays at or above zero "
               "until the horizon end (cash only: the customers active at the end are not "
               "counted).", payback_note),
        Metric("Deepest sacrifice", deepest,
               "The lowest point of the cumulative Δ discounted profit: the most you are behind "
               f"the status quo at any time, and when ({_cents(s.deepest_sacrifice)}).",
               deepest_note),
    ]
