"""Money in proportion to the business: warnings when money assumptions do not fit its size.

Absolute money assumptions (the investment, the investment for half the effect, the acquisition
cost) are entered in currency; a 5,000-customer business and a 5-million-customer business need
amounts a thousand times apart. These checks compare them with a year's revenue and with a
customer's lifetime margin and say in words what looks out of proportion.
"""

from __future__ import annotations

from collections.abc import Mapping

from model.assumptions import BY_NAME
from model.simulation import Baseline, baseline_basics

# Beyond these multiples of a year's revenue an amount is probably meant for another business.
INVESTMENT_MAX_YEARS_OF_REVENUE = 1.0
HALF_INVESTMENT_RANGE = (0.01, 1.0)  # as shares of a year's revenue


def annual_revenue(values: Mapping[str, object], baseline: Baseline | None = None) -> float:
    """Today's revenue over a year: customers × revenue per customer-month × 12."""
    basics = baseline_basics(baseline) if baseline is not None else values
    return 12.0 * float(basics["customers"]) * float(basics["arpu_monthly"])


def lifetime_margin(values: Mapping[str, object], baseline: Baseline | None = None) -> float:
    """A customer's expected discounted margin at today's churn: m / (1 + i − r) per month."""
    basics = baseline_basics(baseline) if baseline is not None else values
    margin = float(values["gross_margin"]) * float(basics["arpu_monthly"])
    r = (1.0 - float(basics["annual_churn"])) ** (1.0 / 12.0)
    i = (1.0 + float(values["discount_rate_annual"])) ** (1.0 / 12.0) - 1.0
    return margin / (1.0 + i - r)


def money_warnings(values: Mapping[str, object], baseline: Baseline | None = None) -> list[str]:
    """Sentences naming each money assumption that is out of proportion to the business."""
    revenue = annual_revenue(values, baseline)
    if revenue <= 0:
        return []
    out = []
    share = float(values["investment"]) / revenue
    if share > INVESTMENT_MAX_YEARS_OF_REVENUE:
        out.append(f"investment is {share:.1f} years of revenue: more than the whole business "
                   "earns in a year. Lower it, or check the customers and revenue per customer.")
    half = float(values["fix_half_investment"]) / revenue
    low, high = HALF_INVESTMENT_RANGE
    if not low <= half <= high:
        out.append(f"fix_half_investment (investment for half the effect) is {100 * half:.0f} % "
                   f"of a year's revenue; between {100 * low:.0f} % and {100 * high:.0f} % fits "
                   "most businesses. Rescale it to the business.")
    cac, lifetime = float(values["cac"]), lifetime_margin(values, baseline)
    if lifetime > 0 and cac > lifetime:
        out.append(f"cac (acquisition cost) is {cac / lifetime:.1f}× a customer's lifetime "
                   "margin: every new customer loses money. Check the acquisition cost.")
    return out


def rescale_money(values: Mapping[str, object], old_revenue: float, new_revenue: float,
                  old_arpu: float, new_arpu: float) -> dict[str, object]:
    """The money assumptions moved in proportion when the business changes size (a calibration):
    investment and the investment for half the effect with a year's revenue, CAC with ARPU."""
    out = dict(values)
    if old_revenue > 0 and new_revenue > 0:
        ratio = new_revenue / old_revenue
        out["investment"] = float(values["investment"]) * ratio
        out["fix_half_investment"] = max(1_000.0, float(values["fix_half_investment"]) * ratio)
    if old_arpu > 0 and new_arpu > 0:
        out["cac"] = float(values["cac"]) * new_arpu / old_arpu
    return out


def follow_calibration(values: Mapping[str, object], before: Baseline | None,
                       after: Baseline) -> dict[str, object]:
    """The scenario's money after a calibration replaces the business ``before`` with ``after``,
    kept inside each assumption's range."""
    old_arpu = float((baseline_basics(before) if before else values)["arpu_monthly"])
    moved = rescale_money(values, annual_revenue(values, before), annual_revenue(values, after),
                          old_arpu, baseline_basics(after)["arpu_monthly"])
    for name in ("investment", "fix_half_investment", "cac"):
        a = BY_NAME[name]
        moved[name] = min(max(float(moved[name]), a.min), a.max)
    return moved
