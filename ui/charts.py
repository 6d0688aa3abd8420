"""Altair chart builders for a model run: profit over time, the sacrifice curve, customers and trust.

Pure functions of a ``model.simulate.Run`` (no Streamlit), shared by the dashboard and the report,
and tested through ``chart.to_dict()``. Colours are fixed (ui.theme): status quo grey,
customer-centric blue, tenure end a dashed vermillion rule.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from model.simulate import Run
from ui import theme
from ui.format import CURRENCY, money

SQ = theme.STRATEGY_LABELS["status_quo"]
CC = theme.STRATEGY_LABELS["customer_centric"]
STRATEGY_SCALE = alt.Scale(domain=[SQ, CC], range=[theme.STATUS_QUO, theme.CUSTOMER_CENTRIC])
# Money on axes: d3 format with a thousands separator and SI suffix ("$1.2M").
MONEY_AXIS = f"{CURRENCY}~s" if CURRENCY == "$" else "~s"
MONEY_TOOLTIP = ",.0f"

DEFAULT_HEIGHT = 300


def _years_axis(horizon_months: int) -> alt.Axis:
    """Whole-year ticks: a 10-year horizon reads better in years than in 120 months."""
    return alt.Axis(title="Years from today", values=list(range(0, horizon_months // 12 + 1)),
                    format="d", grid=False)


def _legend() -> alt.Legend:
    return alt.Legend(title=None, orient="top", symbolType="stroke", symbolStrokeWidth=3)


def _frame(run: Run, column: str) -> pd.DataFrame:
    """Long table (one row per strategy and month) of ``column`` with month and time in years."""
    parts = []
    for label, table in ((SQ, run.status_quo), (CC, run.scenario)):
        parts.append(pd.DataFrame({
            "month": table["month"].to_numpy(),
            "years": table["month"].to_numpy() / 12.0,
            "strategy": label,
            column: table[column].to_numpy(),
        }))
    return pd.concat(parts, ignore_index=True)


def tenure_rule(tenure_month: int, horizon_months: int) -> alt.Chart:
    """The dashed vertical rule at the end of the tenure, with its label."""
    years = tenure_month / 12.0
    shown = f"{years:g}"
    label = f"End of your tenure (year {shown})"
    data = pd.DataFrame({"years": [years], "label": [label], "kind": ["tenure end"]})
    base = alt.Chart(data)
    rule = base.mark_rule(color=theme.TENURE_RULE, strokeDash=[6, 4], strokeWidth=2).encode(
        x="years:Q", tooltip=[alt.Tooltip("label:N", title="Tenure")])
    # Keep the label inside the plot: left of the rule when the tenure ends late in the horizon.
    right = tenure_month > 0.7 * horizon_months
    text = base.mark_text(
        align="right" if right else "left", dx=-6 if right else 6, dy=0, baseline="top",
        color=theme.TENURE_RULE, fontWeight="bold",
    ).encode(x="years:Q", y=alt.value(4), text="label:N")
    return alt.layer(rule, text)


def profit_chart(run: Run, title: str | None = None, height: int = DEFAULT_HEIGHT) -> alt.LayerChart:
    """Monthly profit of the status quo and the customer-centric path, with the tenure end."""
    s = run.summary
    data = _frame(run, "profit")
    lines = alt.Chart(data).mark_line(strokeWidth=2.5).encode(
        x=alt.X("years:Q", axis=_years_axis(s.horizon_months),
                scale=alt.Scale(domain=[0, s.horizon_months / 12])),
        y=alt.Y("profit:Q", title=f"Profit per month ({CURRENCY})",
                axis=alt.Axis(format=MONEY_AXIS)),
        color=alt.Color("strategy:N", scale=STRATEGY_SCALE, legend=_legend()),
        tooltip=[
            alt.Tooltip("strategy:N", title="Strategy"),
            alt.Tooltip("month:Q", title="Month"),
            alt.Tooltip("profit:Q", title=f"Profit ({CURRENCY}/month)", format=MONEY_TOOLTIP),
        ],
    )
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#BBBBBB").encode(y="y:Q")
    chart = alt.layer(zero, lines, tenure_rule(s.tenure_month, s.horizon_months)).properties(
        height=height, width="container",
        title=title or "Profit per month: status quo vs customer-centric")
    return chart


def sacrifice_chart(run: Run, title: str | None = None,
                    height: int = DEFAULT_HEIGHT) -> alt.LayerChart:
    """Cumulative Δ discounted profit (customer-centric minus status quo) with payback and the
    deepest sacrifice marked."""
    s = run.summary
    cum = run.cumulative_delta
    months = np.arange(1, len(cum) + 1)
    data = pd.DataFrame({"month": months, "years": months / 12.0, "delta": cum,
                         "side": np.where(cum < 0, "behind", "ahead")})
    x = alt.X("years:Q", axis=_years_axis(s.horizon_months),
              scale=alt.Scale(domain=[0, s.horizon_months / 12]))
    area = alt.Chart(data).mark_area(opacity=0.18, color=theme.CUSTOMER_CENTRIC).encode(
        x=x, y=alt.Y("delta:Q"))
    line = alt.Chart(data).mark_line(strokeWidth=2.5, color=theme.CUSTOMER_CENTRIC).encode(
        x=x,
        y=alt.Y("delta:Q", title=f"Cumulative Δ discounted profit ({CURRENCY})",
                axis=alt.Axis(format=MONEY_AXIS)),
        tooltip=[alt.Tooltip("month:Q", title="Month"),
                 alt.Tooltip("delta:Q", title=f"Cumulative Δ ({CURRENCY}, today's money)",
                             format=MONEY_TOOLTIP)],
    )
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#888888").encode(y="y:Q")
    layers: list[alt.Chart | alt.LayerChart] = [zero, area, line]

    markers = []
    if s.deepest_sacrifice_month is not None:
        markers.append({"years": s.deepest_sacrifice_month / 12.0,
                        "delta": float(cum[s.deepest_sacrifice_month - 1]),
                        "month": s.deepest_sacrifice_month, "kind": "deepest sacrifice",
                        "label": f"Deepest sacrifice {money(s.deepest_sacrifice, compact=True)}",
                        "colour": theme.SACRIFICE})
    if s.payback_month is not None and s.deepest_sacrifice < 0:
        markers.append({"years": s.payback_month / 12.0,
                        "delta": float(cum[s.payback_month - 1]),
                        "month": s.payback_month, "kind": "payback",
                        "label": f"Pays back: month {s.payback_month}",
                        "colour": theme.PAYBACK})
    if markers:
        mk = pd.DataFrame(markers)
        colour = alt.Color("kind:N", scale=alt.Scale(
            domain=list(mk["kind"]), range=list(mk["colour"])), legend=None)
        points = alt.Chart(mk).mark_point(size=120, filled=True, opacity=1).encode(
            x="years:Q", y="delta:Q", color=colour,
            tooltip=[alt.Tooltip("label:N", title="Marker"), alt.Tooltip("month:Q", title="Month"),
                     alt.Tooltip("delta:Q", title=f"Cumulative Δ ({CURRENCY})",
                                 format=MONEY_TOOLTIP)])
        layers.append(points)
        # The deepest point sits at the bottom of the plot: its label goes above it.
        for kind, dy in (("deepest sacrifice", -14), ("payback", 14)):
            layers.append(alt.Chart(mk[mk["kind"] == kind]).mark_text(
                align="left", dx=8, dy=dy, fontWeight="bold").encode(
                x="years:Q", y="delta:Q", text="label:N", color=colour))
    layers.append(tenure_rule(s.tenure_month, s.horizon_months))
    return alt.layer(*layers).properties(
        height=height, width="container",
        title=title or "The sacrifice curve: cumulative Δ discounted profit")


def customers_trust_chart(run: Run, title: str | None = None, height: int = 240,
                          width: int = 420) -> alt.HConcatChart:
    """Active customers (per segment when the baseline has several) and trust over time."""
    s = run.summary
    x = alt.X("years:Q", axis=_years_axis(s.horizon_months),
              scale=alt.Scale(domain=[0, s.horizon_months / 12]))
    seg_cols = [c for c in run.status_quo.columns if c.startswith("customers_active [")]
    if seg_cols:
        parts = []
        for label, table in ((SQ, run.status_quo), (CC, run.scenario)):
            for c in seg_cols:
                parts.append(pd.DataFrame({
                    "month": table["month"].to_numpy(), "years": table["month"].to_numpy() / 12,
                    "strategy": label, "segment": c[len("customers_active ["):-1],
                    "customers": table[c].to_numpy()}))
        cust_data = pd.concat(parts, ignore_index=True)
        dash = {"strokeDash": alt.StrokeDash("segment:N", title="Segment")}
        seg_tip = [alt.Tooltip("segment:N", title="Segment")]
    else:
        cust_data = _frame(run, "customers_active").rename(columns={"customers_active": "customers"})
        dash, seg_tip = {}, []
    customers = alt.Chart(cust_data).mark_line(strokeWidth=2.5).encode(
        x=x,
        y=alt.Y("customers:Q", title="Active customers", axis=alt.Axis(format="~s")),
        color=alt.Color("strategy:N", scale=STRATEGY_SCALE, legend=_legend()),
        tooltip=[alt.Tooltip("strategy:N", title="Strategy"), *seg_tip,
                 alt.Tooltip("month:Q", title="Month"),
                 alt.Tooltip("customers:Q", title="Active customers", format=",.0f")],
        **dash,
    )
    customers = alt.layer(customers, tenure_rule(s.tenure_month, s.horizon_months)).properties(
        height=height, width=width, title="Active customers")
    trust_data = _frame(run, "trust")
    trust = alt.Chart(trust_data).mark_line(strokeWidth=2.5).encode(
        x=x,
        y=alt.Y("trust:Q", title="Trust (0–100 %)", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("strategy:N", scale=STRATEGY_SCALE, legend=_legend()),
        tooltip=[alt.Tooltip("strategy:N", title="Strategy"),
                 alt.Tooltip("month:Q", title="Month"),
                 alt.Tooltip("trust:Q", title="Trust (%)", format=".1%")],
    )
    trust = alt.layer(trust, tenure_rule(s.tenure_month, s.horizon_months)).properties(
        height=height, width=width, title="Trust")
    return alt.hconcat(customers, trust).properties(
        title=title or "Customers and trust over time").resolve_scale(color="shared")
