"""Charts of segments, usage tiers and fixes (pure Altair and pandas, no Streamlit): where
today's bad profits sit, the tier mix over time, and the investment curve the fixes build."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from ui import theme
from ui.chart_parts import CC, MONEY_AXIS, MONEY_TOOLTIP, SQ, fill_legend, legend, zero_line

VULTURE = theme.TENURE_RULE  # vermillion: a segment whose honest LTV is below its CAC
HEALTHY = theme.CUSTOMER_CENTRIC


def bad_profits_chart(rows: Sequence[Mapping[str, object]], height: int = 260) -> alt.Chart:
    """Bad-profit revenue a year today by segment (bars), vulture segments in vermillion."""
    data = pd.DataFrame([{
        "segment": str(r["segment"]),
        "bad_profits": float(r["bad_profit_revenue_per_year_today"]),
        "revenue": float(r["revenue_per_year_today"]),
        "share": float(r["share_of_bad_profits"]),
        "kind": "Vulture (honest LTV < CAC)" if r["vulture"] else "Honest LTV covers CAC",
    } for r in rows])
    return alt.Chart(data, title="Where today's bad profits sit (a year, today)").mark_bar().encode(
        y=alt.Y("segment:N", sort="-x", title=None),
        x=alt.X("bad_profits:Q", title="Bad-profit revenue a year",
                axis=alt.Axis(format=MONEY_AXIS)),
        color=alt.Color("kind:N", title=None, legend=fill_legend(),
                        scale=alt.Scale(domain=["Honest LTV covers CAC",
                                                "Vulture (honest LTV < CAC)"],
                                        range=[HEALTHY, VULTURE])),
        tooltip=[alt.Tooltip("segment:N", title="Segment"),
                 alt.Tooltip("bad_profits:Q", title="Bad profits a year", format=MONEY_TOOLTIP),
                 alt.Tooltip("revenue:Q", title="Revenue a year", format=MONEY_TOOLTIP),
                 alt.Tooltip("share:Q", title="Share of all bad profits", format=".0%")],
    ).properties(height=height)


def tier_mix_chart(report: Mapping[str, object], height: int = 260) -> alt.Chart:
    """Share of customers in each tier by year, status quo dashed, customer-centric solid."""
    names = list(report["tiers"])
    rows = []
    for key, label in (("mix_by_year_status_quo", SQ), ("mix_by_year_scenario", CC)):
        for point in report[key]:
            for n in names:
                rows.append({"years": (int(point["month"]) - 1) / 12, "tier": n,
                             "share": float(point[n]), "strategy": label})
    data = pd.DataFrame(rows)
    title = alt.Title("Tier mix of the active customers",
                      subtitle=f"solid: {CC.lower()}, dashed: {SQ.lower()}")
    return alt.Chart(data, title=title).mark_line(point=True).encode(
        x=alt.X("years:Q", title="Years from today", axis=alt.Axis(format="d")),
        y=alt.Y("share:Q", title="Share of customers", axis=alt.Axis(format=".0%")),
        color=alt.Color("tier:N", title="Tier", sort=names, legend=legend(),
                        scale=alt.Scale(domain=names,
                                        range=list(theme.SCENARIO_COLOURS[:len(names)]))),
        strokeDash=alt.StrokeDash("strategy:N", title=None, sort=[SQ, CC],
                                  scale=alt.Scale(domain=[SQ, CC], range=[[6, 4], [1, 0]]),
                                  legend=None),  # said in the subtitle
        tooltip=[alt.Tooltip("tier:N", title="Tier"), alt.Tooltip("strategy:N", title="Strategy"),
                 alt.Tooltip("years:Q", title="Years", format=".0f"),
                 alt.Tooltip("share:Q", title="Share", format=".1%")],
    ).properties(height=height)


def budget_curve_chart(curve: Sequence[Mapping[str, object]], budget: float,
                       height: int = 260) -> alt.LayerChart:
    """ΔNPV at each budget that buys one more fix (a step: a fix is bought whole), and the
    scenario's budget as a rule."""
    data = pd.DataFrame([{"budget": float(p["budget"]), "delta_npv": float(p["delta_npv"]),
                          "inside": float(p["delta_inside_tenure"]),
                          "fixes": ", ".join(map(str, p["fixes"])) or "none"} for p in curve])
    line = alt.Chart(data).mark_line(point=True, interpolate="step-after",
                                     color=theme.CUSTOMER_CENTRIC).encode(
        x=alt.X("budget:Q", title="Budget (one-off cost of the fixes bought)",
                axis=alt.Axis(format=MONEY_AXIS)),
        y=alt.Y("delta_npv:Q", title="ΔNPV", axis=alt.Axis(format=MONEY_AXIS)),
        tooltip=[alt.Tooltip("budget:Q", title="Budget", format=MONEY_TOOLTIP),
                 alt.Tooltip("delta_npv:Q", title="ΔNPV", format=MONEY_TOOLTIP),
                 alt.Tooltip("inside:Q", title="Δ inside the tenure", format=MONEY_TOOLTIP),
                 alt.Tooltip("fixes:N", title="Fixes bought")])
    rule = alt.Chart(pd.DataFrame({"budget": [float(budget)]})).mark_rule(
        color=theme.TENURE_RULE, strokeDash=[6, 4]).encode(x="budget:Q")
    return alt.layer(zero_line(), line, rule, title="What each budget buys").properties(
        height=height)
