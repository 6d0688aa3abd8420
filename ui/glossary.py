"""The one glossary: the words for every figure the app shows, in one place (issue 22).

Every page, the single and the comparison report and ``cli.py run --explain`` take a figure's name
and its meaning from here; the Method page shows the whole table. A figure keeps its name
everywhere: the total (cash plus the end value) is never called "ΔNPV over the horizon" on one
screen and "counting the value after the horizon" on another.

``name`` is the short label (tables, reports, chart axes); ``meaning`` says in plain words what the
figure contains, so it can be read without the Method page. Names may hold ``{horizon}`` (e.g.
"10 years") and ``{tenure}`` (e.g. "5 years"); ``name(key, **context)`` fills them in. Pure: no
Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

VS_TODAY = "gain (+) or loss (−) against carrying on as today, in today's money"


@dataclass(frozen=True)
class Term:
    key: str  # a key of model.simulation.Summary, or a concept ("p10_p90", "pert", …)
    name: str  # the words on every screen
    meaning: str  # what it contains, in plain words
    summary: bool = True  # a field of the CLI's summary (``cli.py run --explain``)


# Every money figure of a scenario is a difference against the status quo ("Δ"): the headline
# figures say so once (``VS_TODAY``), not in every name.
TERMS: tuple[Term, ...] = (
    # --- the headline figures of a scenario against the status quo -------------------------------
    Term("delta_inside_tenure", "Inside your tenure",
         f"Cash {VS_TODAY}, from today to the end of your tenure (discounted)."),
    Term("delta_after_tenure", "After your tenure",
         "What the switch adds after you leave: the cash from the tenure end to the horizon end "
         "plus the end value (both parts). It can exceed the total when the switch costs money "
         "inside the tenure: the total is this plus the figure inside your tenure."),
    Term("delta_cash_after_tenure", "Cash after your tenure",
         "Cash from the tenure end to the horizon end, without the end value."),
    Term("delta_npv_excl_terminal", "Cash over the horizon",
         f"Cash {VS_TODAY}, from today to the horizon end (the end of the running total chart)."),
    Term("delta_end_value_active", "End value: customers still active",
         "The expected discounted margin of the customers still active at the horizon end, "
         "against the status quo's."),
    Term("delta_end_value_arrivals", "End value: customers still to come",
         "The customers who would still arrive after the horizon (a going concern at the last "
         "month's conditions, net of acquisition cost), against the status quo's."),
    Term("delta_terminal_value", "End value (both parts)",
         "Customers still active plus customers still to come, after the horizon."),
    Term("delta_npv", "Total (cash + end value)",
         "Cash over the horizon plus the end value (both parts): the switch's whole value, "
         "also called ΔNPV. With the end value switched off it equals the cash over the "
         "horizon."),
    Term("payback_month", "Payback",
         "The first month from which the running total of cash gained or lost stays at or above "
         "zero until the horizon end (the end value is not counted). 'Immediate' when nothing is "
         "given up first."),
    Term("deepest_sacrifice", "Deepest sacrifice",
         "The lowest point of the running total of cash: the most you are ever behind carrying "
         "on as today, and the month it happens."),
    Term("npv_scenario", "NPV, customer-centric",
         "Net present value of the customer-centric business: discounted cash over the horizon "
         "plus its end value."),
    Term("npv_status_quo", "NPV, status quo",
         "Net present value of carrying on as today: discounted cash over the horizon plus its "
         "end value."),
    Term("customers_end_scenario", "Customers at the end, customer-centric",
         "Active customers in the last month of the horizon."),
    Term("customers_end_status_quo", "Customers at the end, status quo",
         "Active customers in the last month of the horizon."),
    Term("annual_churn_end_scenario", "Churn per year at the end, customer-centric",
         "The share of customers who leave in a year, at the horizon end."),
    Term("annual_churn_end_status_quo", "Churn per year at the end, status quo",
         "The share of customers who leave in a year, at the horizon end."),
    Term("trust_end_scenario", "Trust at the end, customer-centric",
         "The trust stock (0–100 %) at the horizon end."),
    Term("trust_end_status_quo", "Trust at the end, status quo",
         "The trust stock (0–100 %) at the horizon end."),
    # --- words of the charts and the odds --------------------------------------------------------
    Term("delta", "Δ (delta)", "A difference: the customer-centric business minus the status "
         "quo, month by month or in total.", summary=False),
    Term("npv", "NPV", "Net present value: cash of future months discounted to today's money at "
         "the discount rate.", summary=False),
    Term("end_value", "End value", "What the business is still worth after the horizon, in two "
         "parts: customers still active and customers still to come.", summary=False),
    Term("status_quo", "Status quo", "Carrying on as today: every lever off.", summary=False),
    Term("draws", "Draws", "Futures simulated for the odds, each with its own values drawn "
         "between low and high.", summary=False),
    Term("p10_p90", "P10–P90", "The middle 8 in 10 draws: 1 in 10 is below P10, 1 in 10 above "
         "P90.", summary=False),
    Term("median", "Median", "The middle draw: half are below, half above.", summary=False),
    Term("pert", "PERT", "A range shape that puts most weight near the likely value and little "
         "at the low and high ends (a scaled Beta).", summary=False),
    Term("triangular", "Triangular", "A range shape rising in a straight line from low to "
         "likely and falling to high.", summary=False),
    Term("rank_correlation", "Rank correlation", "How far the customer effects move together "
         "across draws: 0 independent, 100 % always ranked alike.", summary=False),
    Term("no_response", "No response", "A share of futures in which customers do not respond to "
         "the switch at all: its costs come, its effects do not.", summary=False),
)
BY_KEY: dict[str, Term] = {t.key: t for t in TERMS}


def name(key: str, **context: str) -> str:
    """The figure's words, with ``{horizon}``/``{tenure}`` filled in when given."""
    text = BY_KEY[key].name
    return text.format(**context) if context else text


def meaning(key: str) -> str:
    return BY_KEY[key].meaning


def explain(keys: list[str] | None = None) -> dict[str, dict[str, str]]:
    """Field → {name, meaning} for the CLI's summary (``cli.py run --explain``); fields the
    glossary does not name (counts of months, flags) get their key as name."""
    out: dict[str, dict[str, str]] = {}
    for key in keys if keys is not None else [t.key for t in TERMS if t.summary]:
        term = BY_KEY.get(key)
        out[key] = ({"name": term.name, "meaning": term.meaning} if term is not None
                    else {"name": key, "meaning": _OTHER.get(key, "")})
    return out


_OTHER = {
    "tenure_month": "The last month of your tenure (clipped to the horizon).",
    "horizon_months": "Months simulated (12 × horizon years).",
    "include_terminal_value": "Whether the end value is counted in the total.",
    "payback_year": "The year of the payback month.",
    "deepest_sacrifice_month": "The month of the deepest sacrifice.",
    "terminal_value_status_quo": "End value (both parts) of the status quo.",
    "terminal_value_scenario": "End value (both parts) of the customer-centric business.",
    "end_value_active_status_quo": "Status quo's customers still active at the horizon end.",
    "end_value_active_scenario": "Customer-centric customers still active at the horizon end.",
    "end_value_arrivals_status_quo": "Status quo's customers still to come after the horizon.",
    "end_value_arrivals_scenario": "Customer-centric customers still to come after the horizon.",
    "peak_customers_status_quo": "The most active customers in any month, status quo.",
    "peak_customers_scenario": "The most active customers in any month, customer-centric.",
    "notes": ("Every cap, clip or cost outside the horizon the model applied, and whether the "
              "total still moves with the horizon, in words."),
}


def table() -> list[tuple[str, str]]:
    """(name, meaning) of every term, for the Method page."""
    return [(t.name, t.meaning) for t in TERMS]


def markdown(keys: list[str]) -> str:
    """A few terms as a markdown list (the app's own words: callers escape ``$``)."""
    return "\n".join(f"- **{BY_KEY[k].name}**: {BY_KEY[k].meaning}" for k in keys)


# The words Decision analysis uses beyond the dashboard's.
ANALYSIS_TERMS = ["delta", "npv", "delta_npv", "delta_inside_tenure", "end_value", "draws",
                  "p10_p90", "median", "pert", "triangular", "rank_correlation", "no_response"]
