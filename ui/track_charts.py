"""Track charts and words: the actuals on the plan's fan, the response before and now, and the
tables of odds and surprises. Pure Altair and pandas (no Streamlit): the report uses them too."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from model.tracking import Actuals, Plan, Update
from ui import theme
from ui.analysis_charts import TOTAL
from ui.chart_parts import fill_legend, legend
from ui.format import count, money, percent

METRICS = {"churned": "Churned customers", "new_customers": "New customers",
           "customers": "Customers at the month's start", "revenue": "Revenue",
           "cumulative_delta": "Cumulative Δ discounted profit"}
_ACTUAL = {"churned": "churned", "new_customers": "new_customers",
           "customers": "customers_start", "revenue": "revenue"}
ACTUAL_COLOUR = "#000000"


def fan_frame(plan: Plan, metric: str, months: int | None = None) -> pd.DataFrame:
    band = np.asarray(plan.fan[metric])
    H = band.shape[1] if months is None else min(months, band.shape[1])
    m = np.arange(1, H + 1)
    return pd.DataFrame({"month": m, "label": [plan.month_label(k) for k in m],
                         "p10": band[0, :H], "p50": band[1, :H], "p90": band[2, :H]})


def actual_frame(plan: Plan, actuals: Actuals | None, metric: str) -> pd.DataFrame:
    if actuals is None or len(actuals) == 0 or metric not in _ACTUAL:
        return pd.DataFrame({"month": [], "label": [], "actual": []})
    x = getattr(actuals, _ACTUAL[metric])
    keep = ~np.isnan(x)
    return pd.DataFrame({"month": actuals.month[keep],
                         "label": [plan.month_label(int(k)) for k in actuals.month[keep]],
                         "actual": x[keep]})


def fan_chart(plan: Plan, actuals: Actuals | None, metric: str, height: int = 260) -> alt.LayerChart:
    """The plan's P10–P90 band and median by month, the actuals as black points on it (the months
    shown: the actuals' span plus a year, at least two years)."""
    acts = actual_frame(plan, actuals, metric)
    last = int(acts["month"].max()) if len(acts) else 0
    data = fan_frame(plan, metric, max(24, last + 12))
    data["band"] = "Plan P10–P90 (8 in 10 forecasts)"
    data["line"] = "Plan median"
    fmt = ",.0f"
    x = alt.X("month:Q", title="Plan month", axis=alt.Axis(format="d", grid=False))
    tips = [alt.Tooltip("label:N", title="Month"), alt.Tooltip("p10:Q", title="P10", format=fmt),
            alt.Tooltip("p50:Q", title="Median", format=fmt),
            alt.Tooltip("p90:Q", title="P90", format=fmt)]
    band = alt.Chart(data).mark_area(opacity=0.25).encode(
        x=x, y=alt.Y("p10:Q", title=METRICS[metric], axis=alt.Axis(format="~s")), y2="p90:Q",
        color=alt.Color("band:N", legend=fill_legend(title=None),
                        scale=alt.Scale(range=[theme.CUSTOMER_CENTRIC])), tooltip=tips)
    median = alt.Chart(data).mark_line(color=theme.CUSTOMER_CENTRIC).encode(
        x=x, y="p50:Q", strokeDash=alt.StrokeDash("line:N", legend=legend(title=None)),
        tooltip=tips)
    layers = [band, median]
    if len(acts):
        acts = acts.assign(series="Actual")
        layers.append(alt.Chart(acts).mark_point(filled=True, size=45).encode(
            x=x, y="actual:Q",
            shape=alt.Shape("series:N", legend=legend(title=None)),
            color=alt.value(ACTUAL_COLOUR),
            tooltip=[alt.Tooltip("label:N", title="Month"),
                     alt.Tooltip("actual:Q", title="Actual", format=fmt)]))
    return alt.layer(*layers).resolve_scale(color="independent", shape="independent").properties(
        height=height, width="container", title=METRICS[metric])


def response_frame(d_response: np.ndarray, result: Update, bins: int = 10) -> pd.DataFrame:
    """The latent response's distribution before and now: r = 0 as its own bar, the rest in
    equal bins of 0 … 1 (shares of the weight)."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    labels = ["none (0)"] + [f"{edges[i]:.1f}–{edges[i + 1]:.1f}" for i in range(bins)]
    rows = []
    for when, w in (("Before (the plan)", np.full(len(d_response), 1.0 / len(d_response))),
                    ("Now (with the actuals)", result.weights)):
        zero = d_response == 0
        shares = [float(w[zero].sum())]
        idx = np.clip(np.digitize(d_response[~zero], edges[1:-1]), 0, bins - 1)
        shares += list(np.bincount(idx, weights=w[~zero], minlength=bins))
        rows += [{"response": lab, "order": i, "when": when, "share": s}
                 for i, (lab, s) in enumerate(zip(labels, shares, strict=True))]
    return pd.DataFrame(rows)


def response_chart(frame: pd.DataFrame, height: int = 300) -> alt.Chart:
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("response:N", sort=alt.SortField("order"), title="Customer response r "
                "(0 = none, 1 = every effect as assumed)", axis=alt.Axis(labelAngle=0)),
        xOffset="when:N",
        y=alt.Y("share:Q", title="Share of the weight", axis=alt.Axis(format="%")),
        color=alt.Color("when:N", legend=fill_legend(title=None),
                        scale=alt.Scale(range=[theme.STATUS_QUO, theme.CUSTOMER_CENTRIC])),
        tooltip=[alt.Tooltip("response:N", title="r"), alt.Tooltip("when:N", title=""),
                 alt.Tooltip("share:Q", title="Share", format=".1%")],
    ).properties(height=height, width="container",
                 title="How strongly do customers respond? Before and now")


ODDS_ROWS = (("p_customers_respond", "Chance that customers respond"),
             ("p_payback_inside_tenure", "Chance of payback inside your tenure"),
             ("p_delta_npv_positive", f"Chance that the switch adds value ({TOTAL.lower()} > 0)"),
             ("expected_delta_npv", f"Expected {TOTAL.lower()}"))


def odds_rows(result: Update) -> list[dict[str, str]]:
    out = []
    for key, title in ODDS_ROWS:
        show = (lambda x: money(x, compact=True)) if key == "expected_delta_npv" else percent
        out.append({"": title, "Plan (before)": show(result.odds_before[key]),
                    "Now": show(result.odds_now[key])})
    return out


def surprise_rows(result: Update, only_surprising: bool = False) -> list[dict[str, str]]:
    """Each month's comparison in words, latest first."""
    rows = []
    for s in sorted(result.surprises, key=lambda s: (-s.month, s.metric)):
        if only_surprising and not s.surprising:
            continue
        shown = money(s.actual, compact=True) if s.metric == "revenue" else count(s.actual)
        band = (f"{money(s.p10, compact=True)} – {money(s.p90, compact=True)}"
                if s.metric == "revenue" else f"{count(s.p10)} – {count(s.p90)}")
        verdict = ("inside the plan's range" if not s.surprising
                   else "good news" if s.good_news else "bad news")
        rows.append({"Month": str(s.month), "Actual": shown, "Plan P10 – P90": band,
                     "In words": s.text, "Reading": verdict})
    return rows
