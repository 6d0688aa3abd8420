"""The one vocabulary of chart parts: years axis, money axis, zero line, tenure rule, legend, colours.

Every chart module (``ui.charts``, ``ui.compare_charts``, and the analysis and churn charts) builds
its charts from these parts, so a reader sees the same axis, rule and legend on every page. Pure
Altair and pandas: no Streamlit, so the report and the command line can use them.

Parts, in the order a chart usually needs them:

- ``years_x(horizon_months)``: x encoding of a ``years`` field (time from today in years, whole-year
  ticks, the domain fixed to the horizon).
- ``money_y(field, title)``: y encoding of money with the currency's SI format (``$1.2M``);
  ``money_tooltip(field, title)`` for the matching tooltip (``$1,234,567``).
- ``zero_line()``: a thin grey horizontal rule at y = 0; ``zero_line_x()`` the same rule drawn
  vertically, for charts whose money runs along x (the ΔNPV histogram).
- ``tenure_frame(month, horizon)`` / ``tenure_ends(ends, horizon)``: the data of one or several
  tenure ends (years, label, align, row, rule); ``tenure_layers(data)``: the dashed vermillion rule
  with its label in the free space above the plot (never on a curve; stacked when there are
  several; no rule for a tenure that reaches the horizon end); ``tenure_rule(month, horizon)``
  is both at once.
- ``legend(**changes)``: a legend on top drawn as line swatches (``symbolType="stroke"``), any of
  its settings changed by keyword (a title, ``orient="bottom"``); ``fill_legend(**changes)`` the
  same with square swatches, for bars and bands.
- ``strategy_colour()``: status quo grey, customer-centric blue (``ui.theme``);
  ``series_scales(styles)``: colour and dash scales for named series (compare page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from ui import theme
from ui.format import CURRENCY

SQ = theme.STRATEGY_LABELS["status_quo"]
CC = theme.STRATEGY_LABELS["customer_centric"]
STRATEGY_SCALE = alt.Scale(domain=[SQ, CC], range=[theme.STATUS_QUO, theme.CUSTOMER_CENTRIC])
# Money on axes: d3 format with a thousands separator and SI suffix ("$1.2M").
MONEY_AXIS = f"{CURRENCY}~s" if CURRENCY == "$" else "~s"
# Money in tooltips: "$1,234,567" (d3 writes the typographic minus for losses).
MONEY_TOOLTIP = f"{CURRENCY},.0f" if CURRENCY == "$" else ",.0f"
YEARS_TITLE = "Years from today"
SOLID: list[int] = [1, 0]
DASHED: list[int] = [6, 4]
TENURE_DASH: list[int] = [6, 4]
_LABEL_STEP = 16  # pixels between stacked tenure labels
# Tenure labels sit in free space above the plot (never on a curve); charts leave room for them.
LABEL_ROOM = 22


def years_axis(horizon_months: int) -> alt.Axis:
    """Whole-year ticks: a 10-year horizon reads better in years than in 120 months."""
    return alt.Axis(title=YEARS_TITLE, values=list(range(0, horizon_months // 12 + 1)),
                    format="d", grid=False)


def years_x(horizon_months: int, field: str = "years") -> alt.X:
    """The x encoding of time in years, from 0 to the horizon."""
    return alt.X(f"{field}:Q", axis=years_axis(horizon_months),
                 scale=alt.Scale(domain=[0, horizon_months / 12]))


def money_y(field: str, title: str, **scale: object) -> alt.Y:
    """The y encoding of an amount of money; ``scale`` goes to ``alt.Scale`` (e.g. padding)."""
    return alt.Y(f"{field}:Q", title=title, axis=alt.Axis(format=MONEY_AXIS),
                 **({"scale": alt.Scale(**scale)} if scale else {}))


def money_tooltip(field: str, title: str) -> alt.Tooltip:
    return alt.Tooltip(f"{field}:Q", title=title, format=MONEY_TOOLTIP)


def zero_line() -> alt.Chart:
    """A thin grey rule at y = 0 (its one datum is inline)."""
    return alt.Chart(alt.Data(values=[{"y": 0.0}])).mark_rule(color=theme.ZERO_LINE).encode(
        y="y:Q")


def zero_line_x() -> alt.Chart:
    """A thin grey rule at x = 0 (its one datum is inline), the colour of ``zero_line``."""
    return alt.Chart(alt.Data(values=[{"x": 0.0}])).mark_rule(color=theme.ZERO_LINE).encode(
        x="x:Q")


def legend(**changes: object) -> alt.Legend:
    """A legend on top, without a title, drawn as line swatches; ``changes`` add settings or
    replace these (e.g. a title, or ``orient="bottom"``)."""
    settings: dict[str, object] = {"title": None, "orient": "top", "symbolType": "stroke",
                                   "symbolStrokeWidth": 3}
    return alt.Legend(**{**settings, **changes})


def fill_legend(**changes: object) -> alt.Legend:
    """The legend of filled marks (bars, bands): square swatches, since a line swatch of a mark
    without a stroke draws nothing (seen on the histogram, tornado and fan band)."""
    return legend(**{"symbolType": "square", **changes})


def strategy_colour(field: str = "strategy") -> alt.Color:
    """Status quo grey, customer-centric blue, with the line-swatch legend."""
    return alt.Color(f"{field}:N", scale=STRATEGY_SCALE, legend=legend())


@dataclass(frozen=True)
class Style:
    """How one named series is drawn."""

    label: str
    colour: str
    dash: list[int]


def series_scales(styles: Sequence[Style]) -> dict[str, alt.Scale]:
    """Colour and dash scales fixing each series' look in the order given."""
    return {
        "color": alt.Scale(domain=[e.label for e in styles], range=[e.colour for e in styles]),
        "dash": alt.Scale(domain=[e.label for e in styles], range=[e.dash for e in styles]),
    }


# --- the tenure rule ------------------------------------------------------------------------------


def tenure_ends(ends: Sequence[tuple[int, str]], horizon_months: int) -> pd.DataFrame:
    """Data of tenure rules: one row per ``(month, label)``; a label is placed left of its rule
    when the tenure ends late in the horizon (so it stays inside the chart); labels stack. A
    tenure that reaches the horizon end gets no rule (it would sit on the curves' last point):
    its label stands at the right edge."""
    inside = [month < horizon_months for month, _ in ends]
    return pd.DataFrame({
        "years": [min(month, horizon_months) / 12.0 for month, _ in ends],
        "month": [month for month, _ in ends],
        "label": [label for _, label in ends],
        "align": ["right" if month > 0.7 * horizon_months else "left" for month, _ in ends],
        "row": list(range(len(ends))),
        "rule": inside,
    })


def tenure_label(tenure_month: int, horizon_months: int, beyond: bool = False) -> str:
    """``End of your tenure (year 5)``, or that it lies beyond the horizon."""
    if beyond or tenure_month >= horizon_months:
        return "Your tenure: to the horizon end or beyond"
    return f"End of your tenure (year {tenure_month / 12.0:g})"


def tenure_frame(tenure_month: int, horizon_months: int) -> pd.DataFrame:
    """The data of the one tenure rule of a run."""
    return tenure_ends([(tenure_month, tenure_label(tenure_month, horizon_months))],
                       horizon_months)


def tenure_layers(data: alt.Data | pd.DataFrame) -> list[alt.Chart]:
    """Dashed vermillion rule at each tenure end (none at the horizon end) and its bold label
    above the plot, in free space (placement from the data's ``align``, stacking from ``row``)."""
    base = alt.Chart(data)
    rule = base.transform_filter(alt.datum.rule).mark_rule(
        color=theme.TENURE_RULE, strokeDash=TENURE_DASH, strokeWidth=2).encode(
        x="years:Q", tooltip=[alt.Tooltip("label:N", title="Tenure")])
    texts = [base.transform_filter(alt.datum.align == side)
             .transform_calculate(pixel=f"-6 - {_LABEL_STEP} * datum.row")
             .mark_text(align=side, dx=-2 if side == "left" else 2, baseline="bottom",
                        color=theme.TENURE_RULE, fontWeight="bold")
             .encode(x="years:Q", y=alt.Y("pixel:Q", scale=None, axis=None), text="label:N")
             for side in ("left", "right")]
    return [rule, *texts]


def tenure_rule(tenure_month: int, horizon_months: int) -> alt.LayerChart:
    """The dashed vertical rule at the end of the tenure, with its label (data inline)."""
    return alt.layer(*tenure_layers(tenure_frame(tenure_month, horizon_months)))
