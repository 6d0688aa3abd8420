"""Altair chart builders for a model run: profit over time, the sacrifice curve, customers and trust.

Pure functions of a ``model.simulate.Run`` (no Streamlit), shared by the dashboard and the report,
and tested through ``chart.to_dict()``. Colours are fixed (ui.theme): status quo grey,
customer-centric blue, tenure end a dashed vermillion rule.

Speed: building and serialising Altair objects costs hundreds of milliseconds per chart, far more
than the model run. So each chart is declared once per layout over *named* datasets; everything
that depends on the run (curves, tenure, markers, label placement) is data. ``*_chart(run)``
returns the Altair chart with its data attached (report, tests); ``*_spec(run)`` returns the same
Vega-Lite spec from a cached layout plus fresh data in about a millisecond (the dashboard).
"""

from __future__ import annotations

import copy
import functools
import json

import altair as alt
import numpy as np
import pandas as pd

from model.simulate import Run
from ui import theme
from ui.format import CURRENCY, money

SQ = theme.STRATEGY_LABELS["status_quo"]
CC = theme.STRATEGY_LABELS["customer_centric"]
STRATEGY_SCALE = alt.Scale(domain=[SQ, CC], range=[theme.STATUS_QUO, theme.CUSTOMER_CENTRIC])
MARKER_SCALE = alt.Scale(domain=["deepest sacrifice", "payback"],
                         range=[theme.SACRIFICE, theme.PAYBACK])
# Money on axes: d3 format with a thousands separator and SI suffix ("$1.2M").
MONEY_AXIS = f"{CURRENCY}~s" if CURRENCY == "$" else "~s"
MONEY_TOOLTIP = ",.0f"

DEFAULT_HEIGHT = 300
Records = list[dict[str, object]]


# --- shared pieces --------------------------------------------------------------------------------


def _years_axis(horizon_months: int) -> alt.Axis:
    """Whole-year ticks: a 10-year horizon reads better in years than in 120 months."""
    return alt.Axis(title="Years from today", values=list(range(0, horizon_months // 12 + 1)),
                    format="d", grid=False)


def _x(horizon_months: int) -> alt.X:
    return alt.X("years:Q", axis=_years_axis(horizon_months),
                 scale=alt.Scale(domain=[0, horizon_months / 12]))


def _legend() -> alt.Legend:
    return alt.Legend(title=None, orient="top", symbolType="stroke", symbolStrokeWidth=3)


def _records(frame: pd.DataFrame) -> Records:
    return frame.to_dict("records")  # pandas boxes numpy scalars to Python ones: JSON-ready


def _tenure_frame(tenure_month: int, horizon_months: int) -> pd.DataFrame:
    years = tenure_month / 12.0
    # Keep the label inside the plot: left of the rule when the tenure ends late in the horizon.
    align = "right" if tenure_month > 0.7 * horizon_months else "left"
    return pd.DataFrame({"years": [years], "label": [f"End of your tenure (year {years:g})"],
                         "align": [align]})


def _tenure_layers(data: alt.Data | pd.DataFrame) -> list[alt.Chart]:
    """Dashed rule at the tenure end and its label (placement chosen by the ``align`` field)."""
    base = alt.Chart(data)
    rule = base.mark_rule(color=theme.TENURE_RULE, strokeDash=[6, 4], strokeWidth=2).encode(
        x="years:Q", tooltip=[alt.Tooltip("label:N", title="Tenure")])
    texts = [base.transform_filter(alt.datum.align == side).mark_text(
        align=side, dx=6 if side == "left" else -6, baseline="top", color=theme.TENURE_RULE,
        fontWeight="bold").encode(x="years:Q", y=alt.value(4), text="label:N")
        for side in ("left", "right")]
    return [rule, *texts]


def tenure_rule(tenure_month: int, horizon_months: int) -> alt.LayerChart:
    """The dashed vertical rule at the end of the tenure, with its label (data inline)."""
    return alt.layer(*_tenure_layers(_tenure_frame(tenure_month, horizon_months)))


def _strategies(run: Run, column: str, name: str | None = None) -> pd.DataFrame:
    """Long table (one row per strategy and month) of ``column`` with month and time in years."""
    parts = []
    for label, table in ((SQ, run.status_quo), (CC, run.scenario)):
        month = table["month"].to_numpy()
        parts.append(pd.DataFrame({"month": month, "years": month / 12.0, "strategy": label,
                                   name or column: table[column].to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def _attach(chart: alt.TopLevelMixin, data: dict[str, Records]) -> alt.TopLevelMixin:
    chart.datasets = data  # a fresh chart object: safe to set its top-level datasets
    return chart


@functools.lru_cache(maxsize=64)
def _layout(kind: str, *key: object) -> str:
    """A chart's Vega-Lite spec without data, as JSON (built once per layout)."""
    chart = _BUILDERS[kind](*key)
    spec = chart.to_dict()
    spec.pop("datasets", None)
    return json.dumps(spec)


def _spec(kind: str, key: tuple, data: dict[str, Records]) -> dict:
    spec = json.loads(_layout(kind, *key))
    spec["datasets"] = copy.copy(data)
    return spec


# --- profit per month -------------------------------------------------------------------------


def _profit_data(run: Run) -> dict[str, Records]:
    s = run.summary
    return {"profit": _records(_strategies(run, "profit")),
            "tenure": _records(_tenure_frame(s.tenure_month, s.horizon_months))}


def _profit_layout(horizon_months: int, height: int, title: str) -> alt.LayerChart:
    lines = alt.Chart(alt.Data(name="profit")).mark_line(strokeWidth=2.5).encode(
        x=_x(horizon_months),
        y=alt.Y("profit:Q", title=f"Profit per month ({CURRENCY})",
                axis=alt.Axis(format=MONEY_AXIS)),
        color=alt.Color("strategy:N", scale=STRATEGY_SCALE, legend=_legend()),
        tooltip=[
            alt.Tooltip("strategy:N", title="Strategy"),
            alt.Tooltip("month:Q", title="Month"),
            alt.Tooltip("profit:Q", title=f"Profit ({CURRENCY}/month)", format=MONEY_TOOLTIP),
        ],
    )
    zero = alt.Chart(alt.Data(values=[{"y": 0.0}])).mark_rule(color="#BBBBBB").encode(y="y:Q")
    return alt.layer(zero, lines, *_tenure_layers(alt.Data(name="tenure"))).properties(
        height=height, width="container", title=title)


def _profit_key(run: Run, title: str | None, height: int) -> tuple:
    return (run.summary.horizon_months, height,
            title or "Profit per month: status quo vs customer-centric")


def profit_chart(run: Run, title: str | None = None, height: int = DEFAULT_HEIGHT) -> alt.LayerChart:
    """Monthly profit of the status quo and the customer-centric path, with the tenure end."""
    return _attach(_profit_layout(*_profit_key(run, title, height)), _profit_data(run))


def profit_spec(run: Run, title: str | None = None, height: int = DEFAULT_HEIGHT) -> dict:
    """``profit_chart(run).to_dict()``, fast."""
    return _spec("profit", _profit_key(run, title, height), _profit_data(run))


# --- the sacrifice curve -----------------------------------------------------------------------


def _sacrifice_data(run: Run) -> dict[str, Records]:
    s = run.summary
    cum = run.cumulative_delta
    months = np.arange(1, len(cum) + 1)
    curve = pd.DataFrame({"month": months, "years": months / 12.0, "delta": cum})
    markers = []
    late = 0.75 * s.horizon_months
    if s.deepest_sacrifice_month is not None:
        m = s.deepest_sacrifice_month
        # Below the deepest point (the curve runs above it); on the left when late.
        markers.append({"years": m / 12.0, "delta": float(cum[m - 1]), "month": m,
                        "kind": "deepest sacrifice", "place": "left-below" if m > late
                        else "right-below",
                        "label": f"Deepest sacrifice {money(s.deepest_sacrifice, compact=True)}"})
    if s.payback_month is not None and s.deepest_sacrifice < 0:
        m = s.payback_month
        # Above and left of the payback point: the curve arrives there from below.
        markers.append({"years": m / 12.0, "delta": float(cum[m - 1]), "month": m,
                        "kind": "payback", "place": "left-above" if m > 0.25 * s.horizon_months
                        else "right-above", "label": f"Pays back: month {m}"})
    return {"delta": _records(curve), "markers": markers,
            "tenure": _records(_tenure_frame(s.tenure_month, s.horizon_months))}


_PLACES = {"right-below": ("left", 8, 16), "left-below": ("right", -8, 16),
           "right-above": ("left", 8, -12), "left-above": ("right", -8, -12)}


def _sacrifice_layout(horizon_months: int, height: int, title: str) -> alt.LayerChart:
    x = _x(horizon_months)
    curve = alt.Chart(alt.Data(name="delta"))
    area = curve.mark_area(opacity=0.18, color=theme.CUSTOMER_CENTRIC).encode(
        x=x, y=alt.Y("delta:Q"))
    line = curve.mark_line(strokeWidth=2.5, color=theme.CUSTOMER_CENTRIC).encode(
        x=x,
        y=alt.Y("delta:Q", title=f"Cumulative Δ discounted profit ({CURRENCY})",
                axis=alt.Axis(format=MONEY_AXIS), scale=alt.Scale(padding=24)),
        tooltip=[alt.Tooltip("month:Q", title="Month"),
                 alt.Tooltip("delta:Q", title=f"Cumulative Δ ({CURRENCY}, today's money)",
                             format=MONEY_TOOLTIP)],
    )
    zero = alt.Chart(alt.Data(values=[{"y": 0.0}])).mark_rule(color="#888888").encode(y="y:Q")
    markers = alt.Chart(alt.Data(name="markers"))
    colour = alt.Color("kind:N", scale=MARKER_SCALE, legend=None)
    points = markers.mark_point(size=120, filled=True, opacity=1).encode(
        x="years:Q", y="delta:Q", color=colour,
        tooltip=[alt.Tooltip("label:N", title="Marker"), alt.Tooltip("month:Q", title="Month"),
                 alt.Tooltip("delta:Q", title=f"Cumulative Δ ({CURRENCY})",
                             format=MONEY_TOOLTIP)])
    labels = [markers.transform_filter(alt.datum.place == place).mark_text(
        align=align, dx=dx, dy=dy, fontWeight="bold").encode(
        x="years:Q", y="delta:Q", text="label:N", color=colour)
        for place, (align, dx, dy) in _PLACES.items()]
    # Without a legend the title sits on the top edge; the padding keeps it whole.
    return alt.layer(zero, area, line, points, *labels,
                     *_tenure_layers(alt.Data(name="tenure"))).properties(
        height=height, width="container", title=title,
        padding={"top": 12, "left": 5, "right": 5, "bottom": 5})


def _sacrifice_key(run: Run, title: str | None, height: int) -> tuple:
    return (run.summary.horizon_months, height,
            title or "The sacrifice curve: cumulative Δ discounted profit")


def sacrifice_chart(run: Run, title: str | None = None,
                    height: int = DEFAULT_HEIGHT) -> alt.LayerChart:
    """Cumulative Δ discounted profit (customer-centric minus status quo) with payback and the
    deepest sacrifice marked."""
    return _attach(_sacrifice_layout(*_sacrifice_key(run, title, height)), _sacrifice_data(run))


def sacrifice_spec(run: Run, title: str | None = None, height: int = DEFAULT_HEIGHT) -> dict:
    """``sacrifice_chart(run).to_dict()``, fast."""
    return _spec("sacrifice", _sacrifice_key(run, title, height), _sacrifice_data(run))


# --- customers and trust ----------------------------------------------------------------------


def _segment_columns(run: Run) -> list[str]:
    return [c for c in run.status_quo.columns if c.startswith("customers_active [")]


def _customers_trust_data(run: Run) -> dict[str, Records]:
    s = run.summary
    seg_cols = _segment_columns(run)
    if seg_cols:
        parts = []
        for label, table in ((SQ, run.status_quo), (CC, run.scenario)):
            month = table["month"].to_numpy()
            for c in seg_cols:
                parts.append(pd.DataFrame({
                    "month": month, "years": month / 12, "strategy": label,
                    "segment": c[len("customers_active ["):-1], "customers": table[c].to_numpy()}))
        customers = pd.concat(parts, ignore_index=True)
    else:
        customers = _strategies(run, "customers_active", "customers")
    return {"customers": _records(customers), "trust": _records(_strategies(run, "trust")),
            "tenure": _records(_tenure_frame(s.tenure_month, s.horizon_months))}


def _customers_trust_layout(horizon_months: int, height: int, width: int, title: str,
                            segmented: bool) -> alt.HConcatChart:
    x = _x(horizon_months)
    extra = {"strokeDash": alt.StrokeDash("segment:N", title="Segment")} if segmented else {}
    seg_tip = [alt.Tooltip("segment:N", title="Segment")] if segmented else []
    customers = alt.Chart(alt.Data(name="customers")).mark_line(strokeWidth=2.5).encode(
        x=x,
        y=alt.Y("customers:Q", title="Active customers", axis=alt.Axis(format="~s")),
        color=alt.Color("strategy:N", scale=STRATEGY_SCALE, legend=_legend()),
        tooltip=[alt.Tooltip("strategy:N", title="Strategy"), *seg_tip,
                 alt.Tooltip("month:Q", title="Month"),
                 alt.Tooltip("customers:Q", title="Active customers", format=",.0f")],
        **extra,
    )
    trust = alt.Chart(alt.Data(name="trust")).mark_line(strokeWidth=2.5).encode(
        x=x,
        y=alt.Y("trust:Q", title="Trust (0–100 %)", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("strategy:N", scale=STRATEGY_SCALE, legend=_legend()),
        tooltip=[alt.Tooltip("strategy:N", title="Strategy"),
                 alt.Tooltip("month:Q", title="Month"),
                 alt.Tooltip("trust:Q", title="Trust (%)", format=".1%")],
    )
    panels = [alt.layer(chart, *_tenure_layers(alt.Data(name="tenure"))).properties(
        height=height, width=width, title=panel_title)
        for chart, panel_title in ((customers, "Active customers"), (trust, "Trust"))]
    return alt.hconcat(*panels).properties(title=title).resolve_scale(color="shared")


def _customers_trust_key(run: Run, title: str | None, height: int, width: int) -> tuple:
    return (run.summary.horizon_months, height, width,
            title or "Customers and trust over time", bool(_segment_columns(run)))


def customers_trust_chart(run: Run, title: str | None = None, height: int = 240,
                          width: int = 420) -> alt.HConcatChart:
    """Active customers (per segment when the baseline has several) and trust over time."""
    return _attach(_customers_trust_layout(*_customers_trust_key(run, title, height, width)),
                   _customers_trust_data(run))


def customers_trust_spec(run: Run, title: str | None = None, height: int = 240,
                         width: int = 420) -> dict:
    """``customers_trust_chart(run).to_dict()``, fast."""
    return _spec("customers_trust", _customers_trust_key(run, title, height, width),
                 _customers_trust_data(run))


def for_projector(spec: dict) -> dict:
    """Larger text for a projector (presentation mode); the data and marks stay the same."""
    spec = dict(spec)
    spec["config"] = {**spec.get("config", {}),
                      "axis": {"labelFontSize": 15, "titleFontSize": 16},
                      "legend": {"labelFontSize": 16},
                      "title": {"fontSize": 20},
                      "text": {"fontSize": 14}}
    return spec


_BUILDERS = {"profit": _profit_layout, "sacrifice": _sacrifice_layout,
             "customers_trust": _customers_trust_layout}
