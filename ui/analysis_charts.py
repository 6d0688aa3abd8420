"""Charts and words for the Decision analysis page: odds, fan, tornado, break-even, investment gap.

Pure functions of ``model.analysis`` results (no Streamlit), tested through ``chart.to_dict()``.
Quantiles and histogram bins are computed in numpy by the model: the browser never receives the
raw draws. Colours are fixed (ui.theme).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from model.analysis import (
    BreakEven,
    InvestmentCurve,
    MonteCarlo,
    Range,
    Tornado,
    fan_table,
    histogram,
)
from model.assumptions import BY_NAME
from ui import theme
from ui.charts import MONEY_AXIS, MONEY_TOOLTIP, tenure_rule
from ui.format import CURRENCY, money, percent, signed_money, value_with_unit

HEIGHT = 300
LOW_END, HIGH_END = "at its low end", "at its high end"
LOW_COLOUR = theme.SCENARIO_COLOURS[1]  # orange: the assumption at its low end
HIGH_COLOUR = theme.CUSTOMER_CENTRIC  # blue: at its high end
GAIN_COLOUR = theme.CUSTOMER_CENTRIC
LOSS_COLOUR = theme.SACRIFICE


def _zero_rule(axis: str = "y") -> alt.Chart:
    return alt.Chart(pd.DataFrame({"v": [0.0]})).mark_rule(color="#888888").encode(
        **{axis: "v:Q"})


def _legend() -> alt.Legend:
    return alt.Legend(title=None, orient="top")


# --- uncertainty ranges table ------------------------------------------------------------------


def shown(name: str, x: float) -> float:
    """A model value as the table shows it: fractions as percentages (like the sidebar)."""
    a = BY_NAME[name]
    return round(100.0 * float(x), 10) if a.is_fraction else float(x)


def unshown(name: str, x: object) -> object:
    """A table value back in model units (non-numbers pass through for the model to reject)."""
    if isinstance(x, bool) or not isinstance(x, (int, float, np.number)) or not np.isfinite(x):
        return None
    return round(float(x) / 100.0, 12) if BY_NAME[name].is_fraction else float(x)


def describe(name: str, x: float) -> str:
    """An assumption value in words with its unit (for messages and tooltips)."""
    return value_with_unit(x, BY_NAME[name].unit)


def ranges_frame(ranges: Sequence[Range], label: Callable[[str], str]) -> pd.DataFrame:
    """The editable table: one row per uncertain assumption, in the units of the sidebar."""
    return pd.DataFrame({
        "name": [r.name for r in ranges],
        "Assumption": [label(r.name) for r in ranges],
        "Low": [shown(r.name, r.low) for r in ranges],
        "Likely": [shown(r.name, r.likely) for r in ranges],
        "High": [shown(r.name, r.high) for r in ranges],
    })


def rows_from_frame(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Edited table rows as model-unit mappings for ``model.analysis.validate_ranges``."""
    out = []
    for rec in frame.to_dict("records"):
        name = rec["name"]
        out.append({"name": name, **{k.lower(): unshown(name, rec[k])
                                      for k in ("Low", "Likely", "High")}})
    return out


# --- Monte Carlo --------------------------------------------------------------------------------


def odds_sentence(mc: MonteCarlo) -> str:
    """The spread of ΔNPV in words (P10 … P90 and the median)."""
    q = mc.quantiles(mc.delta_npv)
    return (f"In 8 of 10 draws the switch is worth between {signed_money(q['p10'], compact=True)}"
            f" and {signed_money(q['p90'], compact=True)} over the horizon "
            f"(median {signed_money(q['p50'], compact=True)}), from {mc.draws:,} draws.")


def delta_npv_histogram(mc: MonteCarlo, bins: int = 40, height: int = HEIGHT) -> alt.LayerChart:
    """Distribution of ΔNPV across draws: bars left of zero in the sacrifice colour."""
    data = histogram(mc.delta_npv, bins)
    mid = 0.5 * (data["start"] + data["end"])
    data["side"] = np.where(mid < 0, "Switch loses value", "Switch adds value")
    data["range"] = [f"{money(a, compact=True)} to {money(b, compact=True)}"
                     for a, b in zip(data["start"], data["end"], strict=True)]
    bars = alt.Chart(data).mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("start:Q", title=f"ΔNPV over the horizon ({CURRENCY}, today's money)",
                axis=alt.Axis(format=MONEY_AXIS)),
        x2="end:Q",
        y=alt.Y("count:Q", title="Draws"),
        y2=alt.datum(0),  # bars from zero: with x2 given, Vega-Lite would draw thin ticks
        color=alt.Color("side:N", legend=_legend(), scale=alt.Scale(
            domain=["Switch loses value", "Switch adds value"],
            range=[LOSS_COLOUR, GAIN_COLOUR])),
        tooltip=[alt.Tooltip("range:N", title=f"ΔNPV ({CURRENCY})"),
                 alt.Tooltip("count:Q", title="Draws", format=",d"),
                 alt.Tooltip("share:Q", title="Share of draws", format=".1%")],
    )
    return alt.layer(bars, _zero_rule("x")).properties(
        height=height, width="container",
        title=alt.TitleParams(f"ΔNPV across {mc.draws:,} draws",
                              subtitle="Value of the switch over the horizon, today's money"))


def fan_chart(mc: MonteCarlo, height: int = HEIGHT) -> alt.LayerChart:
    """Cumulative Δ discounted profit: P10–P90 band, median line, zero line, tenure rule."""
    data = fan_table(mc)
    data["band"] = "P10–P90 (8 in 10 draws)"
    data["line"] = "Median"
    x = alt.X("years:Q", title="Years from today",
              axis=alt.Axis(values=list(range(0, mc.horizon_months // 12 + 1)), format="d",
                            grid=False),
              scale=alt.Scale(domain=[0, mc.horizon_months / 12]))
    tips = [alt.Tooltip("month:Q", title="Month"),
            alt.Tooltip("p10:Q", title=f"P10 ({CURRENCY})", format=MONEY_TOOLTIP),
            alt.Tooltip("p50:Q", title=f"Median ({CURRENCY})", format=MONEY_TOOLTIP),
            alt.Tooltip("p90:Q", title=f"P90 ({CURRENCY})", format=MONEY_TOOLTIP)]
    band = alt.Chart(data).mark_area(opacity=0.25).encode(
        x=x, y=alt.Y("p10:Q"), y2="p90:Q",
        color=alt.Color("band:N", legend=_legend(),
                        scale=alt.Scale(range=[theme.CUSTOMER_CENTRIC])),
        tooltip=tips)
    median = alt.Chart(data).mark_line(strokeWidth=2.5, color=theme.CUSTOMER_CENTRIC).encode(
        x=x,
        y=alt.Y("p50:Q", title=f"Cumulative Δ discounted profit ({CURRENCY})",
                axis=alt.Axis(format=MONEY_AXIS)),
        strokeDash=alt.StrokeDash("line:N", legend=_legend()),
        tooltip=tips)
    return alt.layer(_zero_rule(), band, median,
                     tenure_rule(mc.tenure_month, mc.horizon_months)).properties(
        height=height, width="container",
        title=alt.TitleParams("When does the switch pay back?",
                              subtitle="Cumulative Δ discounted profit across the draws"))


# --- tornado ------------------------------------------------------------------------------------

METRIC_TITLES = {
    "delta_npv": "ΔNPV over the horizon",
    "delta_inside_tenure": "Δ inside your tenure",
}


def tornado_frame(torn: Tornado, metric: str, label: Callable[[str], str]) -> pd.DataFrame:
    """Two bars per assumption (low end, high end), sorted by swing, largest first."""
    base = torn.base_delta_npv if metric == "delta_npv" else torn.base_delta_inside_tenure
    rows = []
    for rank, r in enumerate(torn.sorted(metric)):
        for end, x in (("low", r.low), ("high", r.high)):
            value = getattr(r, f"{metric}_{end}")
            rows.append({"rank": rank, "name": r.name, "assumption": label(r.name),
                         "end": LOW_END if end == "low" else HIGH_END,
                         "setting": describe(r.name, x),
                         "value": value, "base": base, "change": value - base,
                         "swing": r.swing(metric)})
    return pd.DataFrame(rows)


def tornado_chart(torn: Tornado, metric: str = "delta_npv", label: Callable[[str], str] | None = None,
                  height: int | None = None) -> alt.LayerChart:
    """Bars from the base case to the result with each assumption at its low and high end."""
    label = label or (lambda n: BY_NAME[n].label)
    data = tornado_frame(torn, metric, label)
    order = list(dict.fromkeys(data["assumption"]))
    base = float(data["base"].iloc[0]) if len(data) else 0.0
    bars = alt.Chart(data).mark_bar(opacity=0.9).encode(
        y=alt.Y("assumption:N", sort=order, title=None,
                axis=alt.Axis(labelLimit=320, labelOverlap=False)),
        # Not from zero: the base case is the reference, and the swings are what matter.
        x=alt.X("value:Q", title=f"{METRIC_TITLES[metric]} ({CURRENCY})",
                axis=alt.Axis(format=MONEY_AXIS), scale=alt.Scale(zero=False)),
        x2="base:Q",
        color=alt.Color("end:N", legend=alt.Legend(title="Assumption", orient="top"),
                        scale=alt.Scale(domain=[LOW_END, HIGH_END],
                                        range=[LOW_COLOUR, HIGH_COLOUR])),
        tooltip=[alt.Tooltip("assumption:N", title="Assumption"),
                 alt.Tooltip("end:N", title="End"),
                 alt.Tooltip("setting:N", title="Set to"),
                 alt.Tooltip("value:Q", title=f"{METRIC_TITLES[metric]} ({CURRENCY})",
                             format=MONEY_TOOLTIP),
                 alt.Tooltip("change:Q", title=f"Change from the base case ({CURRENCY})",
                             format="+,.0f"),
                 alt.Tooltip("swing:Q", title=f"Swing ({CURRENCY})", format=MONEY_TOOLTIP)])
    rule = alt.Chart(pd.DataFrame({"v": [base]})).mark_rule(color="#333333").encode(x="v:Q")
    return alt.layer(bars, rule).properties(
        height=height or max(120, 24 * len(order)), width="container",
        title=f"{METRIC_TITLES[metric]}: base case {signed_money(base, compact=True)}")


# --- break-even ---------------------------------------------------------------------------------


def tenure_phrase(tenure_years: float) -> str:
    """``5-year tenure``, ``6.5-year tenure``."""
    return f"{float(tenure_years):g}-year tenure"


def break_even_sentence(be: BreakEven, tenure_years: float) -> str:
    """What the break-even means, in one sentence."""
    a = BY_NAME[be.name]
    goal = (f"pay back inside your {tenure_phrase(tenure_years)}"
            if be.target == "tenure" else "pay back within the horizon")
    now = describe(be.name, be.current)
    if be.status == "unreachable":
        return (f"Not reachable within the range: even at {describe(be.name, be.highest)} "
                f"“{a.label.lower()}” is not enough to {goal}.")
    if be.status == "already":
        return (f"The switch would {goal} even at the smallest value "
                f"({describe(be.name, be.lowest)}); today's assumption is {now}.")
    gap = "already met" if be.current >= be.value else "not met yet"
    return (f"“{a.label}” must reach at least {describe(be.name, be.value)} to {goal} "
            f"(assumed now: {now}, {gap}).")


def break_even_value(be: BreakEven) -> str:
    """The short form for a metric tile."""
    if be.value is None:
        return "not reachable"
    return describe(be.name, be.value)


# --- investment optimiser -----------------------------------------------------------------------

HORIZON_SERIES = "Over the horizon (ΔNPV)"
TENURE_SERIES = "Inside your tenure (Δ at its end)"


def investment_frame(curve: InvestmentCurve) -> pd.DataFrame:
    return pd.concat([
        pd.DataFrame({"investment": curve.investment, "value": curve.delta_npv,
                      "series": HORIZON_SERIES}),
        pd.DataFrame({"investment": curve.investment, "value": curve.delta_inside_tenure,
                      "series": TENURE_SERIES}),
    ], ignore_index=True)


def investment_chart(curve: InvestmentCurve, height: int = 340) -> alt.LayerChart:
    """Value against the investment for both horizons, both optima marked, today's choice ruled."""
    data = investment_frame(curve)
    colour = alt.Color("series:N", legend=alt.Legend(title=None, orient="top", labelLimit=400),
                       scale=alt.Scale(domain=[HORIZON_SERIES, TENURE_SERIES],
                                       range=[theme.CUSTOMER_CENTRIC, theme.TENURE_RULE]))
    x = alt.X("investment:Q", title=f"Investment in fixing broken experiences ({CURRENCY})",
              axis=alt.Axis(format=MONEY_AXIS),
              scale=alt.Scale(domain=[0, float(curve.investment[-1])], nice=False))
    lines = alt.Chart(data).mark_line(strokeWidth=2.5).encode(
        x=x, y=alt.Y("value:Q", title=f"Value against the status quo ({CURRENCY})",
                     axis=alt.Axis(format=MONEY_AXIS)),
        color=colour,
        tooltip=[alt.Tooltip("series:N", title="Measured"),
                 alt.Tooltip("investment:Q", title=f"Investment ({CURRENCY})",
                             format=MONEY_TOOLTIP),
                 alt.Tooltip("value:Q", title=f"Value ({CURRENCY}, today's money)",
                             format=MONEY_TOOLTIP)])
    best = pd.DataFrame({
        "investment": [curve.best_for_horizon, curve.best_for_tenure],
        "value": [curve.best_delta_npv, curve.best_delta_inside_tenure],
        "series": [HORIZON_SERIES, TENURE_SERIES],
        "label": [f"Best over {curve.horizon_years} years: {money(curve.best_for_horizon, compact=True)}",
                  f"Best inside tenure: {money(curve.best_for_tenure, compact=True)}"],
    })
    points = alt.Chart(best).mark_point(size=150, filled=True, opacity=1).encode(
        x="investment:Q", y="value:Q", color=colour,
        tooltip=[alt.Tooltip("label:N", title="Optimum"),
                 alt.Tooltip("investment:Q", title=f"Investment ({CURRENCY})",
                             format=MONEY_TOOLTIP),
                 alt.Tooltip("value:Q", title=f"Value ({CURRENCY})", format=MONEY_TOOLTIP)])
    labels = alt.Chart(best).mark_text(align="left", dx=9, dy=-10, fontWeight="bold").encode(
        x="investment:Q", y="value:Q", text="label:N", color=colour)
    now = pd.DataFrame({"investment": [curve.current],
                        "label": [f"Your investment now: {money(curve.current, compact=True)}"]})
    now_rule = alt.Chart(now).mark_rule(color=theme.STATUS_QUO, strokeDash=[4, 4]).encode(
        x="investment:Q", tooltip=[alt.Tooltip("label:N", title="Now")])
    # Label at the lowest point of the curves, clear of the optima near the top.
    now_text = alt.Chart(now).mark_text(align="left", dx=5, dy=-4, baseline="bottom",
                                        color=theme.STATUS_QUO).encode(
        x="investment:Q", y=alt.datum(float(data["value"].min())), text="label:N")
    return alt.layer(_zero_rule(), lines, now_rule, now_text, points, labels).properties(
        height=height, width="container",
        title="How much to invest? Value against the investment, for you and for the company")


def gap_sentence(curve: InvestmentCurve) -> str:
    """The agency gap in words."""
    h, t = curve.best_for_horizon, curve.best_for_tenure
    horizon = f"{curve.horizon_years} years"
    text = (f"The investment that is best for the company over {horizon} is "
            f"**{money(h, compact=True)}** (ΔNPV {signed_money(curve.best_delta_npv, compact=True)}); "
            f"the one best for a {tenure_phrase(curve.tenure_years)} is **{money(t, compact=True)}** (Δ at the tenure "
            f"end {signed_money(curve.best_delta_inside_tenure, compact=True)}).")
    if curve.tenure_years >= curve.horizon_years:
        text += (" (Your tenure outlasts the horizon, so “inside the tenure” is measured at the "
                 "horizon end, without the value of the customers still active then.)")
    step = BY_NAME["investment"].step
    if abs(h - t) < step:
        return text + " Here the two agree: what is good for you is good for the company."
    if h > t:
        return text + (f" A leader judged only on the tenure would invest "
                       f"{money(h - t, compact=True)} less than the company needs.")
    return text + (f" A leader judged only on the tenure would invest "
                   f"{money(t - h, compact=True)} more than pays off for the company.")


def percent_text(p: float) -> str:
    """A probability as people read it; never "0 %" or "100 %" for rare but possible events."""
    if 0 < p < 0.005:
        return "< 1 %"
    if 0.995 < p < 1:
        return "> 99 %"
    return percent(p)
