"""Altair chart builders for a model run: profit over time, the sacrifice curve, customers and trust.

Pure functions of a ``model.simulation.Run`` (no Streamlit), shared by the dashboard and the report,
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
import pyarrow as pa

from model.simulation import Run
from ui import chart_parts as parts
from ui import theme
from ui.format import CURRENCY, money, month_label

SQ, CC = parts.SQ, parts.CC

DEFAULT_HEIGHT = 300
Records = list[dict[str, object]]


# --- shared pieces --------------------------------------------------------------------------------


def _records(frame: pd.DataFrame) -> Records:
    return frame.to_dict("records")  # pandas boxes numpy scalars to Python ones: JSON-ready


def _strategies(run: Run, column: str, name: str | None = None) -> pd.DataFrame:
    """Long table (one row per strategy and month) of ``column`` with month and time in years."""
    pieces = []
    for label, table in ((SQ, run.status_quo), (CC, run.scenario)):
        month = table["month"].to_numpy()
        pieces.append(pd.DataFrame({"month": month, "years": month / 12.0, "strategy": label,
                                   name or column: table[column].to_numpy()}))
    return pd.concat(pieces, ignore_index=True)


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
            "tenure": _records(parts.tenure_frame(s.tenure_month, s.horizon_months))}


def _profit_layout(horizon_months: int, height: int, title: str) -> alt.LayerChart:
    lines = alt.Chart(alt.Data(name="profit")).mark_line(strokeWidth=2.5).encode(
        x=parts.years_x(horizon_months),
        y=parts.money_y("profit", f"Profit per month ({CURRENCY})"),
        color=parts.strategy_colour(),
        tooltip=[
            alt.Tooltip("strategy:N", title="Strategy"),
            alt.Tooltip("month:Q", title="Month", format="d"),
            parts.money_tooltip("profit", "Profit per month"),
        ],
    )
    return alt.layer(parts.zero_line(), lines, *parts.tenure_layers(alt.Data(name="tenure"))).properties(
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
    if s.deepest_sacrifice_month is not None:
        m = s.deepest_sacrifice_month
        markers.append({"years": m / 12.0, "delta": float(cum[m - 1]), "month": m,
                        "kind": "deepest sacrifice", "colour": theme.SACRIFICE,
                        "label": f"Deepest sacrifice {money(s.deepest_sacrifice, compact=True)}"
                                 f" (month {m})"})
    if s.payback_month is not None and s.deepest_sacrifice < 0:
        m = s.payback_month
        markers.append({"years": m / 12.0, "delta": float(cum[m - 1]), "month": m,
                        "kind": "payback", "colour": theme.PAYBACK,
                        "label": f"Pays back in {month_label(m)}"})
    if not markers:  # the legend still says why nothing is marked (an empty legend breaks Vega)
        nothing = "No change: both strategies are the same" if not np.any(cum) else (
            "No sacrifice: ahead from month 1")
        markers.append({"years": 0.0, "delta": 0.0, "month": 0, "kind": "none",
                        "colour": theme.ZERO_LINE, "label": nothing})
    # A flat curve (every lever off) gives the axis no extent ("$NaN" ticks): two invisible
    # points give it one.
    flat = not np.any(np.abs(cum) >= 0.5)
    extent = [{"years": 0.0, "delta": y} for y in (-1000.0, 1000.0)] if flat else []
    return {"delta": _records(curve), "markers": markers, "extent": extent,
            "tenure": _records(parts.tenure_frame(s.tenure_month, s.horizon_months))}


def _sacrifice_layout(horizon_months: int, height: int, title: str) -> alt.LayerChart:
    x = parts.years_x(horizon_months)
    curve = alt.Chart(alt.Data(name="delta"))
    area = curve.mark_area(opacity=0.18, color=theme.CUSTOMER_CENTRIC).encode(
        x=x, y=alt.Y("delta:Q"))
    line = curve.mark_line(strokeWidth=2.5, color=theme.CUSTOMER_CENTRIC).encode(
        x=x,
        y=parts.money_y("delta", f"Gain or loss versus today ({CURRENCY})", padding=24),
        tooltip=[alt.Tooltip("month:Q", title="Month", format="d"),
                 parts.money_tooltip("delta", "Running total (today's money)")],
    )
    extent = alt.Chart(alt.Data(name="extent")).mark_point(opacity=0).encode(
        x="years:Q", y="delta:Q")
    # The markers' words live in a legend on top: they never sit on the curve or on each other.
    colour = alt.Color("label:N", sort=None, scale=alt.Scale(range=alt.FieldRange("colour")),
                       legend=alt.Legend(title=None, orient="top", direction="vertical",
                                         labelLimit=0))
    points = alt.Chart(alt.Data(name="markers")).mark_point(
        size=120, filled=True, opacity=1).encode(
        x="years:Q", y="delta:Q", color=colour,
        tooltip=[alt.Tooltip("label:N", title="Marker"),
                 alt.Tooltip("month:Q", title="Month", format="d"),
                 parts.money_tooltip("delta", "Running total (today's money)")])
    return alt.layer(parts.zero_line(), extent, area, line, points,
                     *parts.tenure_layers(alt.Data(name="tenure"))).properties(
        height=height, width="container", title=title,
        padding={"top": 5, "left": 5, "right": 5, "bottom": 5})


def _sacrifice_key(run: Run, title: str | None, height: int) -> tuple:
    return (run.summary.horizon_months, height,
            title or "Running total: gain or loss versus today")


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
        pieces = []
        for label, table in ((SQ, run.status_quo), (CC, run.scenario)):
            month = table["month"].to_numpy()
            for c in seg_cols:
                pieces.append(pd.DataFrame({
                    "month": month, "years": month / 12, "strategy": label,
                    "segment": c[len("customers_active ["):-1], "customers": table[c].to_numpy()}))
        customers = pd.concat(pieces, ignore_index=True)
    else:
        customers = _strategies(run, "customers_active", "customers")
    return {"customers": _records(customers), "trust": _records(_strategies(run, "trust")),
            "tenure": _records(parts.tenure_frame(s.tenure_month, s.horizon_months))}


def _customers_trust_layout(horizon_months: int, height: int, width: int, title: str,
                            segmented: bool) -> alt.HConcatChart:
    x = parts.years_x(horizon_months)
    extra = {"strokeDash": alt.StrokeDash("segment:N", title="Segment")} if segmented else {}
    seg_tip = [alt.Tooltip("segment:N", title="Segment")] if segmented else []
    customers = alt.Chart(alt.Data(name="customers")).mark_line(strokeWidth=2.5).encode(
        x=x,
        y=alt.Y("customers:Q", title="Active customers", axis=alt.Axis(format="~s")),
        color=parts.strategy_colour(),
        tooltip=[alt.Tooltip("strategy:N", title="Strategy"), *seg_tip,
                 alt.Tooltip("month:Q", title="Month", format="d"),
                 alt.Tooltip("customers:Q", title="Active customers", format=",.0f")],
        **extra,
    )
    trust = alt.Chart(alt.Data(name="trust")).mark_line(strokeWidth=2.5).encode(
        x=x,
        y=alt.Y("trust:Q", title="Trust (0–100 %)", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        color=parts.strategy_colour(),
        tooltip=[alt.Tooltip("strategy:N", title="Strategy"),
                 alt.Tooltip("month:Q", title="Month", format="d"),
                 alt.Tooltip("trust:Q", title="Trust (%)", format=".1%")],
    )
    panels = [alt.layer(chart, *parts.tenure_layers(alt.Data(name="tenure"))).properties(
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
                      "axis": {"labelFontSize": 15, "titleFontSize": 16, "tickCount": 8},
                      "legend": {"labelFontSize": 16},
                      "title": {"fontSize": 20},
                      "text": {"fontSize": 14}}
    return spec


def untitled(spec: dict) -> tuple[str, dict]:
    """The chart's title and the spec without it: the page prints the title as text, which
    wraps on a phone where a chart's own title would be cut."""
    spec = dict(spec)
    title = spec.pop("title", "")
    return (title if isinstance(title, str) else " ".join(title)), spec


def arrow_datasets(spec: dict) -> dict:
    """The spec with each named dataset as Arrow IPC bytes, which ``st.vega_lite_chart`` sends as
    they are: ten times cheaper than letting Streamlit turn the records into a DataFrame first,
    and the browser gets the same table."""
    def ipc(records: Records) -> bytes:
        table = pa.Table.from_pylist(records)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        return sink.getvalue().to_pybytes()

    return {**spec, "datasets": {name: ipc(rows) for name, rows in spec["datasets"].items()}}


def panels(spec: dict) -> list[dict]:
    """A side-by-side (hconcat) spec as one spec per panel, each as wide as its container, so
    the page can stack them on a narrow screen."""
    out = []
    for panel in spec["hconcat"]:
        one = {**panel, "width": "container"}
        for key in ("datasets", "config", "$schema"):
            if key in spec:
                one[key] = spec[key]
        out.append(one)
    return out


_BUILDERS = {"profit": _profit_layout, "sacrifice": _sacrifice_layout,
             "customers_trust": _customers_trust_layout}
