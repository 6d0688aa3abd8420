"""Nothing is changed silently: a sentence for every input that was capped, clipped or left out
of the horizon (``Summary.notes``; the command line prints them, the dashboard shows them)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from model.simulation._core import Simulation
from model.simulation._levers import MAX_DISAPPOINTMENT_OF_OVERSOLD


def _n(x: float) -> str:
    return f"{x:g}"


def notes_of(values: Mapping[str, object], sim: Simulation) -> tuple[str, ...]:
    """The notes of one run: ``values`` is the scenario, ``sim`` its batch (status quo and
    scenario)."""
    v = {k: float(x) for k, x in values.items()}
    H = sim.horizon_months
    out = []
    p, d, e = v["overpromise_share"], v["disappointment_churn_share"], v["fix_churn_reduction_max"]
    cap = MAX_DISAPPOINTMENT_OF_OVERSOLD * p
    if d > cap:
        out.append(f"disappointment_churn_share {_n(d)} is more than 0.9 × overpromise_share "
                   f"({_n(p)}): broken promises can only drive away the over-sold, so it was "
                   f"capped at {_n(cap)}.")
    d = min(d, cap)
    if e > 1 - d:
        out.append(f"fix_churn_reduction_max {_n(e)} is more than the churn broken promises "
                   f"leave ({_n(1 - d)}), so it was capped there.")
    if bool(np.any(sim.churn_capped)):
        out.append("In some months a class of customers would have churned more than 100 % a "
                   "month (the over-sold on a steep retention curve, or in the turmoil); their "
                   "churn was capped at 100 %.")
    if bool(np.any(sim.trust_drift_clipped)):
        out.append("Under the status quo's decay, trust reaches "
                   f"{'0' if v['status_quo_trust_drift'] < 0 else '1'} inside the horizon and "
                   "stays there (status_quo_trust_drift).")
    years = H // 12
    if 12 * v["tenure_years"] > H:
        out.append(f"tenure_years {_n(v['tenure_years'])} runs past the {years}-year horizon: "
                   "“inside your tenure” stops at the horizon end.")
    build, ramp = v["build_months"], v["fix_ramp_months"]
    if v["investment"] > 0 and build > H:
        share = H / build
        out.append(f"build_months {_n(build)} runs past the {H}-month horizon: only "
                   f"{share:.0%} of the investment is spent inside it and the fixes never go "
                   "live; the rest of the investment is left out.")
    elif v["investment"] > 0 and build + ramp > H:
        out.append(f"The fixes reach full strength only after the {H}-month horizon (build "
                   f"{_n(build)} + ramp-up {_n(ramp)} months); the end value keeps them at the "
                   "strength they have at the horizon end.")
    change = v["honesty"] > 0 or v["investment"] > 0
    if change and v["turmoil_months"] > H:
        out.append(f"turmoil_months {_n(v['turmoil_months'])} runs past the horizon; the "
                   "turmoil after it is left out.")
    if v["honesty"] > 0 and v["bad_profit_phaseout_months"] > H:
        out.append(f"bad_profit_phaseout_months {_n(v['bad_profit_phaseout_months'])} runs past "
                   "the horizon; the end value keeps the bills as they are at its end.")
    if v["honesty"] > 0 and v["sales_budget_adjust_months"] > H:
        out.append(f"sales_budget_adjust_months {_n(v['sales_budget_adjust_months'])} runs "
                   "past the horizon; the sales budget still committed after it is left out.")
    return tuple(out)


def amount_in_words(x: float) -> str:
    """A signed amount at three significant figures in words (``+58.7 million``): notes are
    plain sentences, the same in the command line and on screen, with no currency symbol."""
    a = abs(x)
    sign = "" if round(a) == 0 else "−" if x < 0 else "+"  # no sign on a zero
    for size, word in ((1e9, " billion"), (1e6, " million"), (1e3, " thousand")):
        if float(f"{a:.3g}") >= size:
            return f"{sign}{float(f'{a / size:.3g}'):g}{word}"
    return f"{sign}{a:,.0f}"  # below a thousand: whole units


def horizon_note(total: float, total_longest: float, longest_years: int) -> str | None:
    """When the total (cash plus end value) at this horizon and at the longest one differ as
    shown: the switch has not settled by the horizon end, and the end value, which holds the
    last month's conditions, does not see what still changes after it."""
    if amount_in_words(total) == amount_in_words(total_longest):
        return None
    return (f"The total (cash plus end value) still depends on the horizon: the switch has not "
            "settled by its end — customers and trust keep changing after it, and the end value "
            "holds the last month's conditions. Over the longest horizon, "
            f"{longest_years} years, the same total is {amount_in_words(total_longest)} (here "
            f"{amount_in_words(total)}).")
