"""The verdict in plain words and the six headline metrics, as pure functions of a Summary.

Every amount is a gain or loss versus carrying on as today, in today's money. Values come from
``ui.fields`` (the one table of summary fields) and ``ui.format`` (the one set of formatters).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.simulation import Run, Summary
from ui.fields import BY_KEY, HEADLINE, no_change
from ui.format import compact, month_label, signed_cents, signed_compact, years

# The sacrifice curve is cash only: its end is the verdict's "in cash" figure.
SACRIFICE_TITLE = "Running total of cash gained or lost versus today"
PLAIN_UNITS = "All amounts: gain (+) or loss (−) versus carrying on as today, in today's money."
BEYOND = "beyond the horizon"


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str
    note: str | None = None  # shown under the value (e.g. when the deepest point is reached)


def is_status_quo(s: Summary) -> bool:
    """Every lever off: both strategies are the same business, to the cent."""
    return no_change(s)


def tenure_beyond(s: Summary, tenure_years: float | None = None) -> bool:
    """The tenure goes past the horizon end (known only from the tenure lever itself)."""
    if tenure_years is not None:
        return tenure_years * 12 > s.horizon_months
    return False  # unknown: the summary clips the tenure to the horizon


def _gain_or_loss(x: float, give_up: str = "give up", gain: str = "gain") -> str:
    shown = compact(abs(x))
    if shown == compact(0.0):  # rounds to nothing (ui.format's one rounding rule)
        return "break even"
    return f"{give_up if x < 0 else gain} {shown}"


def _tenure_words(s: Summary, tenure_years: float | None) -> str:
    y = tenure_years if tenure_years is not None else s.tenure_month / 12
    return years(y * 12)


def _end_value_clause(s: Summary) -> str:
    """The total with the end value, its two parts apart (still active, still to come)."""
    return (f"counting the customers you still have then and those still to come "
            f"({signed_compact(s.delta_end_value_active)} and "
            f"{signed_compact(s.delta_end_value_arrivals)}), "
            f"{_gain_or_loss(s.delta_npv, 'you lose', 'you gain')}")


def _horizon_clause(s: Summary) -> str:
    """Cash within the horizon, then (when counted) the end value's two parts and the total."""
    cash = f"over {years(s.horizon_months)} you {_gain_or_loss(s.delta_npv_excl_terminal, 'lose', 'gain')}"
    cash += " in cash"
    if not s.include_terminal_value:
        return cash + " (customers still active or still to come then are not counted)"
    return f"{cash}; {_end_value_clause(s)}"


def verdict_sentence(s: Summary, tenure_years: float | None = None) -> str:
    """One plain sentence answering the question for this scenario; every amount says what it
    contains (cash within the tenure or horizon, or cash plus the customers still active).

    "Inside your 5-year tenure you give up $1.1M; over 10 years you gain $20.8M in cash;
    counting the customers you still have then, you gain $50.4M; the switch pays back in month
    64 (year 6)."
    """
    if is_status_quo(s):
        return ("Every lever is off: this is the status quo — nothing to give up and nothing to "
                "gain. Move honest expectation setting or the investment to see the trade-off.")
    horizon_y = f"{s.horizon_months / 12:g}-year"
    if s.tenure_month >= s.horizon_months:
        if tenure_years is not None and tenure_beyond(s, tenure_years):
            first = (f"Your {tenure_years:g}-year tenure reaches {BEYOND}: within the {horizon_y} "
                     f"horizon you {_gain_or_loss(s.delta_inside_tenure)} in cash")
        else:
            first = (f"Your tenure covers the whole {horizon_y} horizon: inside it you "
                     f"{_gain_or_loss(s.delta_inside_tenure)} in cash")
        if s.include_terminal_value:
            first += f"; {_end_value_clause(s)}"
    else:
        tenure_y = f"{s.tenure_month / 12:g}"
        first = (f"Inside your {tenure_y}-year tenure you {_gain_or_loss(s.delta_inside_tenure)}; "
                 f"{_horizon_clause(s)}")

    ahead = ahead_at_tenure_end(s)
    if s.deepest_sacrifice >= 0.0:
        second = "there is no sacrifice: the switch is ahead from month 1"
    elif s.payback_month is None:
        second = (f"you are ahead when your tenure ends, but the switch falls behind after it "
                  f"and does not pay back in cash within the {horizon_y} horizon" if ahead else
                  f"the switch does not pay back in cash within the {horizon_y} horizon")
    elif s.payback_month <= s.tenure_month:
        second = f"the switch pays back in {month_label(s.payback_month)}, inside your tenure"
    elif ahead:
        second = (f"you are ahead when your tenure ends, but the switch falls behind after it "
                  f"and pays back for good only in {month_label(s.payback_month)}")
    else:
        second = f"the switch pays back in {month_label(s.payback_month)}"
    return f"{first}; {second}."


def ahead_at_tenure_end(s: Summary) -> bool:
    """The running total of cash is above zero (as shown) when the tenure ends, inside the
    horizon: a gain inside the tenure that a later dip can still undo."""
    return (s.tenure_month < s.horizon_months
            and _gain_or_loss(s.delta_inside_tenure).startswith("gain"))


def exact_line(s: Summary) -> str:
    """The verdict's amounts to the cent, so a shared link can be checked exactly."""
    line = (f"Exact: inside your tenure {signed_cents(s.delta_inside_tenure)} · cash over the "
            f"horizon {signed_cents(s.delta_npv_excl_terminal)}")
    if s.include_terminal_value:
        line += (f" · with the end value (still active {signed_cents(s.delta_end_value_active)},"
                 f" still to come {signed_cents(s.delta_end_value_arrivals)}) "
                 f"{signed_cents(s.delta_npv)}")
    return line + f" · payback {BY_KEY['payback_month'].exact(s)}"


def crossing_month(run: Run) -> int | None:
    """First month from which the customer-centric profit per month stays at or above the status
    quo's (None when it never catches up, or is never behind)."""
    gap = run.scenario["profit"].to_numpy() - run.status_quo["profit"].to_numpy()
    behind = np.flatnonzero(gap < 0)
    if behind.size == 0 or behind[-1] + 1 >= gap.size:
        return None
    return int(behind[-1]) + 2  # months are 1-based


def crossing_note(run: Run) -> str | None:
    """One line on why the monthly profit lines cross long before the payback."""
    s = run.summary
    cross = crossing_month(run)
    if cross is None or s.payback_month is None or s.payback_month <= cross:
        return None
    return (f"The monthly profit lines cross in {month_label(cross)}; the payback comes "
            f"{s.payback_month - cross} months later, in {month_label(s.payback_month)}, once the "
            "losses of the months before the crossing are earned back.")


def _after_note(s: Summary, beyond: bool) -> str | None:
    """Why "after your tenure" reads as it does: only the end value when the tenure reaches the
    horizon end; more than the total when it first makes up what the tenure gave up."""
    if no_change(s):
        return None
    # Notes sit under a metric a third of the page wide: short enough not to be cut at 1280 px;
    # the help text says it in full.
    if beyond or s.tenure_month >= s.horizon_months:
        return "the end value only"
    after, total = signed_compact(s.delta_after_tenure), signed_compact(s.delta_npv)
    if s.delta_after_tenure > s.delta_npv and after != total and s.delta_inside_tenure < 0:
        return f"total + the {compact(-s.delta_inside_tenure)} given up first"
    return None


def _notes(s: Summary, beyond: bool) -> dict[str, str | None]:
    if no_change(s):
        pay = "both strategies are the same"
    elif s.deepest_sacrifice >= 0:
        pay = "nothing is given up first"
    elif s.payback_month is None:
        pay = "not within the horizon"
    elif s.payback_month <= s.tenure_month:
        pay = "inside your tenure"
    elif ahead_at_tenure_end(s):
        pay = "ahead at tenure end, then behind"
    else:
        pay = "after your tenure"
    return {
        "delta_after_tenure": _after_note(s, beyond),
        "payback_month": pay,
        "deepest_sacrifice": (None if s.deepest_sacrifice_month is None
                              else f"in {month_label(s.deepest_sacrifice_month)}"),
    }


def _helps(s: Summary) -> dict[str, str]:
    counted = "counted" if s.include_terminal_value else "not counted (switched off)"
    vs = "versus carrying on as today, in today's money"
    return {
        "delta_inside_tenure": f"Cash gained or lost {vs}, from today to the end of your tenure "
                               f"(month {s.tenure_month}): {signed_cents(s.delta_inside_tenure)}.",
        "delta_after_tenure": "What the switch adds after you leave: cash from the tenure end to "
                              f"the horizon end ({signed_cents(s.delta_cash_after_tenure)})"
                              + (" plus the value of the customers still active then"
                                 if s.include_terminal_value else "")
                              + f": {signed_cents(s.delta_after_tenure)} in all. It is the total "
                              f"({signed_cents(s.delta_npv)}) minus what you gained or lost inside "
                              f"your tenure ({signed_cents(s.delta_inside_tenure)}), so it exceeds "
                              "the total when the tenure costs money. When your tenure reaches the "
                              "horizon end, only the end value comes after it.",
        "delta_npv_excl_terminal": f"Cash only, {vs}, to the end of the horizon — the end of the "
                                   f"running total chart: {signed_cents(s.delta_npv_excl_terminal)}.",
        "delta_npv": "Cash over the horizon plus the end value, in two parts: the customers "
                     f"still active at its end ({signed_cents(s.delta_end_value_active)}) and "
                     "those who would still arrive after it "
                     f"({signed_cents(s.delta_end_value_arrivals)}), {counted}: "
                     f"{signed_cents(s.delta_npv)}.",
        "payback_month": "The first month from which the running total of cash gained or lost "
                         "stays at or above zero until the horizon end (customers still active "
                         "at the end are not counted).",
        "deepest_sacrifice": "The lowest point of the running total: the most you are behind "
                             f"carrying on as today at any time: {signed_cents(s.deepest_sacrifice)}.",
    }


def headline_metrics(s: Summary, tenure_years: float | None = None) -> list[Metric]:
    """Inside the tenure, after it, cash over the horizon, with the customers still active,
    payback and the deepest sacrifice (``ui.fields.HEADLINE``), with help texts."""
    beyond = tenure_beyond(s, tenure_years)
    words = {"tenure": BEYOND if beyond else _tenure_words(s, tenure_years),
             "horizon": years(s.horizon_months)}
    notes, helps = _notes(s, beyond), _helps(s)
    return [Metric(f.headline.format(**words), f.short(s), helps[f.key], notes.get(f.key))
            for f in HEADLINE]
