"""The one registry of assumptions: name, label, unit, default, range, meaning, group, uncertainty.

Sliders, scenario files, the command line, the Method page, Monte Carlo and the tests all read
this table. Adding an assumption is one entry here plus its use in ``model.simulation``.
Defaults are illustrative: a mid-sized subscription business (see the Method page).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Kind = Literal["float", "int", "bool"]
Group = Literal["levers", "business", "advanced", "analysis"]


@dataclass(frozen=True)
class Assumption:
    name: str  # key in scenario files, URLs and the command line
    label: str  # what a person reads next to the widget
    unit: str  # "fraction", "currency", "currency/month", "customers", "customers/month", "years", "months", ...
    default: float | bool
    min: float
    max: float
    step: float
    meaning: str  # one line, shown as help text and on the Method page
    group: Group
    section: str  # sub-heading inside the group
    kind: Kind = "float"
    low: float | None = None  # uncertainty range for decision analysis; None = treated as known
    high: float | None = None
    # A customer response the switch counts on: scaled by the latent response r ∈ [0, 1] of a
    # Monte Carlo draw (r = 0 with probability p_no_response: no response at all); costs are
    # never scaled.
    response: bool = False
    source: str = "illustrative"  # where the default comes from (the Method page shows it)

    @property
    def uncertain(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def is_fraction(self) -> bool:
        return self.unit == "fraction" or self.unit.startswith("fraction")


def _a(*args, **kwargs) -> Assumption:
    return Assumption(*args, **kwargs)


REGISTRY: tuple[Assumption, ...] = (
    # --- the three levers -------------------------------------------------------------------
    _a("honesty", "Honest expectation setting", "fraction", 0.6, 0.0, 1.0, 0.05,
       "How far you stop misleading, manipulating and over-promising: 0 = business as usual, "
       "100 % = none of it left.", "levers", "Levers"),
    _a("investment", "Investment in fixing broken experiences", "currency", 6_000_000.0, 0.0,
       100_000_000_000.0, 250_000.0,
       "One-off amount spent to fix broken or missing customer experiences, spread over the "
       "build months. The dashboard offers it as a share of a year's revenue.", "levers",
       "Levers"),
    _a("tenure_years", "Your tenure (years you stay in the role)", "years", 5.0, 0.5, 20.0, 0.5,
       "Years the decision-maker stays; splits every result into inside and after the tenure.",
       "levers", "Levers"),
    # --- business basics ----------------------------------------------------------------------
    _a("customers", "Active customers today", "customers", 100_000.0, 1.0, 100_000_000.0, 1_000.0,
       "Customers paying today.", "business", "Business basics", kind="int",
       source="your business (a churn-data calibration replaces it)"),
    _a("arpu_monthly", "Revenue per customer per month", "currency/month", 50.0, 0.01, 100_000.0,
       1.0, "Average revenue per active customer per month (ARPU), bad profits included.",
       "business", "Business basics",
       source="your business (a churn-data calibration replaces it)"),
    _a("gross_margin", "Gross margin", "fraction", 0.6, 0.01, 1.0, 0.01,
       "Share of revenue left after the direct cost of serving a customer.", "business",
       "Business basics", low=0.55, high=0.65),
    _a("annual_churn", "Churn per year (status quo)", "fraction", 0.2, 0.005, 0.95, 0.005,
       "Share of customers who leave in a year today; converted to a monthly rate "
       "1 − (1 − annual)^(1/12).", "business", "Business basics", low=0.17, high=0.23,
       source="your business (a churn-data calibration replaces it)"),
    _a("new_customers_monthly", "New customers per month (status quo)", "customers/month",
       1_800.0, 0.0, 10_000_000.0, 100.0,
       "Customers won each month by sales and marketing today.", "business", "Business basics",
       low=1_500.0, high=2_100.0,
       source="your business (a churn-data calibration replaces it)"),
    _a("cac", "Acquisition cost per new customer", "currency", 300.0, 0.0, 100_000.0, 10.0,
       "Sales and marketing cost of winning one new customer (CAC).", "business",
       "Business basics", low=250.0, high=350.0),
    _a("market_size", "Market size (customers you could ever have)", "customers", 1_000_000.0,
       1.0, 10_000_000_000.0, 10_000.0,
       "Bounds bought and referred customers: inflow shrinks with the share of the headroom "
       "left and never takes the customers above it. At least today's customers.", "business",
       "Business basics", kind="int"),
    _a("discount_rate_annual", "Discount rate per year", "fraction", 0.10, 0.01, 0.5, 0.005,
       "Cost of capital used to discount future cash; monthly rate (1 + annual)^(1/12) − 1.",
       "business", "Business basics", low=0.07, high=0.13),
    _a("horizon_years", "Horizon", "years", 10, 1, 20, 1,
       "Years the profit curves cover.", "business", "Business basics", kind="int"),
    _a("include_terminal_value", "Count the value after the horizon end", "yes/no",
       True, 0, 1, 1,
       "Adds the end value in its two parts: the customers still active at the horizon end "
       "(their expected discounted remaining margin) and the customers who would still arrive "
       "after it (the business going on at the last month's conditions, net of acquisition and "
       "run costs). Leaving it out biases the answer toward the short term.", "business",
       "Business basics", kind="bool", source="Gupta, Lehmann & Stuart (2004)"),
    # --- advanced: honesty ---------------------------------------------------------------------
    _a("bad_profit_share", "Bad-profit share of revenue", "fraction", 0.08, 0.0, 0.5, 0.005,
       "Share of today's revenue from fees, penalties, traps and exploited inertia that "
       "customers would refuse if they understood them, earned on the whole base; honesty "
       "takes its share of it off every bill.", "advanced", "Honesty", low=0.04, high=0.14,
       source="Reichheld (2006) for the definition; the size is illustrative"),
    _a("bad_profit_phaseout_months", "Months to take bad profits off existing bills", "months",
       12, 1, 60, 1,
       "Honesty removes the bad-profit share from existing customers' bills too, in equal "
       "steps over this many months (the first step in month 1).", "advanced", "Honesty",
       kind="int", low=6, high=24),
    _a("overpromise_share", "New customers won by over-promising", "fraction", 0.15, 0.0, 0.9,
       0.01, "Share of today's new customers won by promises the product does not keep. "
       "Competitors keep over-promising, so honest selling loses them to competitors until "
       "trust wins them back.", "advanced", "Honesty", low=0.05, high=0.25),
    _a("sales_budget_adjust_months", "Months until the sales budget adjusts", "months", 12, 1,
       60, 1,
       "The sales budget is committed: the spend that used to win the customers honesty now "
       "loses goes on at first (each bought customer costs more) and falls away in equal steps "
       "over this many months.", "advanced", "Honesty", kind="int", low=6, high=24),
    _a("disappointment_churn_share", "Churn caused by broken promises", "fraction", 0.10, 0.0,
       0.9, 0.01, "Share of today's churn that comes from disappointment with what was promised; "
       "honesty removes it.", "advanced", "Honesty", low=0.03, high=0.2, response=True),
    # --- advanced: fixing broken experiences ----------------------------------------------------
    _a("build_months", "Build time of the fixes", "months", 12, 1, 60, 1,
       "Months over which the one-off investment is spent before the fixes go live.",
       "advanced", "Fixing broken experiences", kind="int", low=9, high=18),
    _a("fix_ramp_months", "Ramp-up after the build", "months", 12, 0, 60, 1,
       "Months after the build until the fixes reduce churn at full strength (0 = at once).",
       "advanced", "Fixing broken experiences", kind="int", low=6, high=24),
    _a("fix_churn_reduction_max", "Churn caused by broken experiences", "fraction", 0.30, 0.0,
       0.9, 0.01, "Share of today's churn caused by broken or missing experiences: the most an "
       "unlimited investment in fixes can remove (at most what broken promises leave).",
       "advanced", "Fixing broken experiences", low=0.15, high=0.45, response=True),
    _a("fix_half_investment", "Investment for half the effect", "currency", 5_000_000.0, 1_000.0,
       1_000_000_000.0, 250_000.0,
       "Diminishing returns: this investment buys half of the most churn the fixes can remove.",
       "advanced", "Fixing broken experiences", low=3_000_000.0, high=8_000_000.0),
    _a("fix_run_cost_share", "Yearly run cost of the fixes", "fraction/year", 0.15, 0.0, 1.0,
       0.01, "Cost of running and maintaining the fixes each year, as a share of the investment.",
       "advanced", "Fixing broken experiences", low=0.10, high=0.25),
    # --- advanced: trust and referrals ----------------------------------------------------------
    _a("trust_initial", "Trust today", "fraction", 0.4, 0.0, 0.95, 0.01,
       "How far customers trust you not to exploit them today (0 = not at all, 1 = fully); "
       "where it sits against the threshold decides how much more trust is worth.", "advanced",
       "Trust and referrals", low=0.3, high=0.5),
    _a("trust_threshold", "Trust at which customers attach", "fraction", 0.6, 0.05, 0.95, 0.05,
       "Customers attach (churn less, spend more, refer) as trust passes this level: the "
       "steepest point of the logistic attachment curve (width 0.1).", "advanced",
       "Trust and referrals", low=0.45, high=0.75),
    _a("status_quo_trust_drift", "Trust lost per year of bad profits", "fraction/year", -0.02,
       -0.2, 0.0, 0.005,
       "Change in trust per year while bad profits continue (scaled by the share that "
       "continues); customers learn. 0 = the status quo holds today's trust.", "advanced",
       "Trust and referrals", low=-0.04, high=0.0, response=True),
    _a("trust_gain_honesty", "Trust gap closed by full honesty", "fraction", 0.6, 0.0, 1.0, 0.05,
       "Share of the gap to full trust that complete honesty closes in the long run.",
       "advanced", "Trust and referrals", low=0.4, high=0.8, response=True),
    _a("trust_gain_fixes", "Trust gap closed by the fixes", "fraction", 0.4, 0.0, 1.0, 0.05,
       "Share of the gap to full trust that fully effective fixes close in the long run when "
       "broken experiences cause all the churn broken promises do not; in proportion to what "
       "is broken otherwise (nothing broken, no trust gained).",
       "advanced", "Trust and referrals", low=0.2, high=0.6, response=True),
    _a("trust_from_bills_share", "Share of experienced honesty that comes from the bills",
       "fraction", 0.5, 0.0, 1.0, 0.05,
       "Trust follows what customers experience: this share of it comes from their bills "
       "(bad profits taken off), the rest from how they were sold, which changes only as new "
       "customers replace those sold the old way.", "advanced", "Trust and referrals",
       low=0.3, high=0.7),
    _a("trust_build_months", "Months to build trust", "months", 24, 1, 120, 1,
       "Time constant while trust rises: about 63 % of the way to its target after this many "
       "months.", "advanced", "Trust and referrals", kind="int", low=12, high=48),
    _a("trust_loss_months", "Months to lose trust", "months", 3, 1, 120, 1,
       "Time constant while trust falls; trust is lost much faster than it is built.",
       "advanced", "Trust and referrals", kind="int"),
    _a("trust_churn_reduction_max", "Share of the remaining churn full trust prevents",
       "fraction", 0.30, 0.0, 0.9, 0.01,
       "Of the churn not caused by broken promises or experiences, the share that a fully "
       "attached customer does not show compared with one not attached at all (today's "
       "customers are partly attached already).",
       "advanced", "Trust and referrals", low=0.15, high=0.45, response=True),
    _a("trust_arpu_uplift_max", "Extra spend at full trust", "fraction", 0.05, 0.0, 0.5, 0.01,
       "Extra revenue of a fully attached customer over one not attached at all (customers "
       "buy more as they attach).", "advanced", "Trust and referrals", low=0.0, high=0.10,
       response=True),
    _a("referral_rate_full_trust", "Referrals per customer per month at full trust", "fraction/month",
       0.001, 0.0, 0.05, 0.0005,
       "New customers referred each month per active customer, in proportion to the "
       "attachment the switch gains above today's level (bounded by the market).", "advanced",
       "Trust and referrals", low=0.0005, high=0.004, response=True),
    _a("cac_inflation_annual", "Yearly rise of acquisition cost under bad profits",
       "fraction/year", 0.02, 0.0, 0.3, 0.005,
       "How much dearer a bought customer gets each year while bad profits continue (scaled by "
       "the share that continues): word of mouth turns. 0 = today's cost forever.", "advanced",
       "Trust and referrals", low=0.0, high=0.05, response=True),
    _a("referral_cost_share", "Cost of a referred customer", "fraction", 0.2, 0.0, 1.0, 0.05,
       "Acquisition cost of a referred customer as a share of the cost of a bought one.",
       "advanced", "Trust and referrals"),
    _a("successor_reverts", "Successor returns to bad profits", "yes/no", False, 0, 1, 1,
       "After your tenure the next leader brings back the bad profits and over-promising: "
       "trust falls fast, below where it would have been (betrayal).", "advanced",
       "Trust and referrals", kind="bool"),
    _a("betrayal_trust_penalty", "Trust lost to a betrayal", "fraction", 0.1, 0.0, 0.5, 0.01,
       "When a successor brings the bad profits back, trust falls this far below where it "
       "would have been without the switch: customers who were promised better feel "
       "betrayed.", "advanced", "Trust and referrals", low=0.05, high=0.2, response=True),
    # --- advanced: turmoil -----------------------------------------------------------------------
    _a("turmoil_months", "Months of turmoil", "months", 12, 0, 60, 1,
       "Months of disruption while the house is rebuilt with everyone living in it.",
       "advanced", "Turmoil", kind="int", low=6, high=24),
    _a("turmoil_churn_increase", "Extra churn during turmoil", "fraction", 0.10, 0.0, 1.0, 0.01,
       "Relative rise in churn during the turmoil for the largest change; scales with the size "
       "of the change.", "advanced", "Turmoil", low=0.0, high=0.25),
    _a("turmoil_cost_share", "Productivity lost during turmoil", "fraction", 0.03, 0.0, 0.5, 0.005,
       "Share of gross margin lost each turmoil month for the largest change; scales with the "
       "size of the change.", "advanced", "Turmoil", low=0.01, high=0.06),
    # --- decision analysis: how the odds and the optima are computed (not in a single run) ------
    _a("p_no_response", "Chance that customers do not respond at all", "fraction", 0.2, 0.0,
       0.9, 0.01,
       "Probability that the change makes no difference to customers (latent response r = 0): "
       "the sacrifice is made but the churn, trust and referral effects never come. Used by "
       "the Monte Carlo odds.", "analysis", "Uncertainty"),
    _a("response_likely", "Most likely response when customers respond", "fraction", 1.0, 0.0,
       1.0, 0.05,
       "When customers respond, the latent response r (the share of every customer effect that "
       "comes) is drawn from a PERT with this most likely value; 1 = as assumed.", "analysis",
       "Uncertainty"),
    _a("response_spread", "Spread of the response when customers respond", "fraction", 1.0,
       0.0, 1.0, 0.05,
       "How far the latent response may fall (or rise) from its most likely value: the PERT "
       "runs from likely − spread to likely + spread, within 0 … 1. 0 = exactly the most likely "
       "response.", "analysis", "Uncertainty"),
    _a("effect_correlation", "How far the effects move together", "fraction", 0.5, 0.0, 0.95,
       0.05, "Rank correlation among the effect sizes in the Monte Carlo: 0 = each effect is "
       "larger or smaller than expected on its own; near 1 = all are larger or all smaller.",
       "analysis", "Uncertainty"),
    _a("board_weight", "Weight the board gives to customer equity", "fraction", 0.5, 0.0, 1.0,
       0.05, "How much of the change in customer equity at the tenure end the board credits to "
       "the CEO: 0 = profits inside the tenure only, 1 = the full value of the customers left.",
       "analysis", "Agency"),
)

BY_NAME: dict[str, Assumption] = {a.name: a for a in REGISTRY}
NAMES: tuple[str, ...] = tuple(BY_NAME)
LEVERS: tuple[str, ...] = tuple(a.name for a in REGISTRY if a.group == "levers")
# Setting these to zero turns a scenario into the status quo (tenure only splits the results).
LEVERS_OFF: dict[str, float] = {"honesty": 0.0, "investment": 0.0}
GROUP_TITLES: dict[str, str] = {
    "levers": "Levers",
    "business": "Business basics",
    "advanced": "Advanced assumptions",
    "analysis": "Decision analysis",
}
# Assumptions a customer response stands behind (see Assumption.response).
RESPONSE_NAMES: tuple[str, ...] = tuple(a.name for a in REGISTRY if a.response)


class ScenarioError(ValueError):
    """A scenario value that cannot be used; the message names the key, the value and the fix."""

    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.key = key


def defaults() -> dict[str, float | int | bool]:
    """Every assumption at its default, in registry order."""
    return {a.name: coerce(a.name, a.default) for a in REGISTRY}


def allowed(a: Assumption) -> str:
    """The allowed values of an assumption, in words."""
    if a.kind == "bool":
        return "true or false"
    kind = "a whole number" if a.kind == "int" else "a number"
    return f"{kind} from {_num(a.min)} to {_num(a.max)}"


def _num(x: float) -> str:
    return f"{int(x)}" if float(x).is_integer() else f"{x:g}"


def unknown_key(name: str, shown: str) -> str:
    """The message for a key the registry does not know, with the nearest known keys."""
    near = difflib.get_close_matches(str(name), NAMES, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(near)}?" if near else ""
    return (f"unknown key {shown}{hint} (every key is listed by the defaults command and on the "
            "Method page)")


def coerce(name: str, value: object) -> float | int | bool:
    """Check one value against the registry and return it in its proper type.

    Raises ScenarioError with a one-line message naming the key, the value and the allowed range.
    """
    a = BY_NAME.get(name)
    if a is None:
        raise ScenarioError(unknown_key(name, repr(name)), key=name)
    shown = repr(value)
    if a.kind == "bool":
        if isinstance(value, bool):
            return value
        raise ScenarioError(f"{name}: {shown} is not allowed; expected {allowed(a)}", key=name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(f"{name}: {shown} is not a number; expected {allowed(a)}", key=name)
    x = float(value)
    if not math.isfinite(x):
        raise ScenarioError(f"{name}: {shown} is not a finite number; expected {allowed(a)}",
                            key=name)
    if a.kind == "int" and not x.is_integer():
        raise ScenarioError(f"{name}: {shown} is not a whole number; expected {allowed(a)}",
                            key=name)
    if x < a.min or x > a.max:
        unit = "" if a.is_fraction or a.unit == "yes/no" else f" ({a.unit})"
        hint = " (fractions are written as fractions: 0.25, not 25)" if a.is_fraction else ""
        raise ScenarioError(
            f"{name}: {shown} is out of range; expected {allowed(a)}{unit}{hint}", key=name
        )
    return int(x) if a.kind == "int" else x


def validate(values: Mapping[str, object]) -> dict[str, float | int | bool]:
    """A complete scenario: defaults overlaid with ``values``, every value checked."""
    out = defaults()
    for name, value in values.items():
        out[name] = coerce(name, value)
    return out


def non_defaults(values: Mapping[str, object]) -> dict[str, object]:
    """Only the values that differ from their defaults (for compact links and files)."""
    base = defaults()
    return {k: v for k, v in values.items() if k in base and v != base[k]}
