"""Charts and words for the Decision analysis page: the odds, the fan, the tornado, the ranges table.

Pure functions of ``model.analysis`` results (no Streamlit), tested through ``chart.to_dict()``.
Quantiles and histogram bins are computed in numpy by the model: the browser never receives the
raw draws. Colours are fixed (ui.theme). The levers' heatmaps and goal seek: ui.optimum_charts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from model.analysis import MonteCarlo, Range, Tornado, fan_table, histogram
from model.assumptions import BY_NAME
from ui import glossary, theme
from ui.chart_parts import (
    MONEY_AXIS,
    MONEY_TOOLTIP,
    fill_legend,
    legend,
    money_tooltip,
    money_y,
    tenure_rule,
    years_x,
    zero_line,
    zero_line_x,
)
from ui.format import CURRENCY, figures_for, money, percent, signed_money, value_with_unit
from ui.widget_sync import from_widget, to_widget

HEIGHT = 300
TOTAL = glossary.name("delta_npv")  # the one name of the total (cash + end value)
ADDS_VALUE = "Adds value (total > 0)"  # the odds that the total (cash + end value) is positive
LOW_END, HIGH_END = "at its low end", "at its high end"
LOW_COLOUR = theme.SCENARIO_COLOURS[1]  # orange: the assumption at its low end
HIGH_COLOUR = theme.CUSTOMER_CENTRIC  # blue: at its high end
GAIN_COLOUR = theme.CUSTOMER_CENTRIC
LOSS_COLOUR = theme.SACRIFICE


# --- uncertainty ranges table ------------------------------------------------------------------


def shown(name: str, x: float) -> float:
    """A model value as the table shows it: as its sidebar widget does (fractions as percentages)."""
    return float(to_widget(BY_NAME[name], x))


def unshown(name: str, x: object) -> object:
    """A table value back in model units (non-numbers become None for the model to reject).

    Whole numbers pass through unrounded: ``validate_ranges`` rounds them (8.6 months → 9).
    """
    if isinstance(x, bool) or not isinstance(x, (int, float, np.number)) or not np.isfinite(x):
        return None
    a = BY_NAME[name]
    return float(x) if a.kind == "int" else from_widget(a, x)


def describe(name: str, x: float) -> str:
    """An assumption value in words with its unit (for messages and tooltips); what is not in
    the registry (a fix's effect in the tornado) is a share of churn."""
    if name not in BY_NAME:
        return f"{100 * float(x):.1f}% of churn"
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


def quantile_error(draws: np.ndarray, p: float) -> float:
    """The Monte Carlo standard error of the ``p`` quantile of ``draws``: sqrt(p(1−p)/n) over
    the density there (estimated from the quantiles 5 points either side)."""
    n = draws.size
    lo, hi = np.quantile(draws, [max(p - 0.05, 0.0), min(p + 0.05, 1.0)])
    density_inv = (hi - lo) / (min(p + 0.05, 1.0) - max(p - 0.05, 0.0))
    return float(density_inv * np.sqrt(p * (1 - p) / max(n, 1)))


def odds_sentence(mc: MonteCarlo) -> str:
    """The spread of the total in words (P10 … P90 and the median), each to the precision its
    draws support (issue 22, defect 10: 2,000 draws do not support "$895.9k")."""
    q = mc.quantiles(mc.delta_npv)

    def shown(p: float, key: str) -> str:
        figures = figures_for(q[key], quantile_error(np.asarray(mc.delta_npv), p))
        return signed_money(q[key], compact=True, figures=figures)

    return (f"In 8 of 10 draws (P10–P90) the switch's total (cash + end value) is between "
            f"{shown(0.1, 'p10')} and {shown(0.9, 'p90')} (median {shown(0.5, 'p50')}), from "
            f"{mc.draws:,} draws.")


def delta_npv_histogram(mc: MonteCarlo, bins: int = 40, height: int = HEIGHT) -> alt.LayerChart:
    """Distribution of ΔNPV across draws: bars left of zero in the sacrifice colour."""
    data = histogram(mc.delta_npv, bins)
    mid = 0.5 * (data["start"] + data["end"])
    data["side"] = np.where(mid < 0, "Switch loses value", "Switch adds value")
    data["range"] = [f"{money(a, compact=True)} to {money(b, compact=True)}"
                     for a, b in zip(data["start"], data["end"], strict=True)]
    bars = alt.Chart(data).mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("start:Q", title=f"{TOTAL} ({CURRENCY}, today's money)",
                axis=alt.Axis(format=MONEY_AXIS)),
        x2="end:Q",
        y=alt.Y("count:Q", title="Draws"),
        y2=alt.datum(0),  # bars from zero: with x2 given, Vega-Lite would draw thin ticks
        color=alt.Color("side:N", legend=fill_legend(), scale=alt.Scale(
            domain=["Switch loses value", "Switch adds value"],
            range=[LOSS_COLOUR, GAIN_COLOUR])),
        tooltip=[alt.Tooltip("range:N", title=f"{TOTAL} ({CURRENCY})"),
                 alt.Tooltip("count:Q", title="Draws", format=",d"),
                 alt.Tooltip("share:Q", title="Share of draws", format=".1%")],
    )
    return alt.layer(bars, zero_line_x()).properties(
        height=height, width="container",
        title=alt.TitleParams(f"{TOTAL} across {mc.draws:,} draws",
                              subtitle="The switch's whole value against today, today's money"))


def fan_chart(mc: MonteCarlo, height: int = HEIGHT) -> alt.LayerChart:
    """Cumulative Δ discounted profit: P10–P90 band, median line, zero line, tenure rule."""
    data = fan_table(mc)
    data["band"] = "P10–P90 (8 in 10 draws)"
    data["line"] = "Median"
    x = years_x(mc.horizon_months)
    tips = [alt.Tooltip("month:Q", title="Month"),
            money_tooltip("p10", f"P10 ({CURRENCY})"),
            money_tooltip("p50", f"Median ({CURRENCY})"),
            money_tooltip("p90", f"P90 ({CURRENCY})")]
    band = alt.Chart(data).mark_area(opacity=0.25).encode(
        x=x, y=alt.Y("p10:Q"), y2="p90:Q",
        color=alt.Color("band:N", legend=fill_legend(),
                        scale=alt.Scale(range=[theme.CUSTOMER_CENTRIC])),
        tooltip=tips)
    median = alt.Chart(data).mark_line(strokeWidth=2.5, color=theme.CUSTOMER_CENTRIC).encode(
        x=x, y=money_y("p50", f"Cumulative Δ discounted profit ({CURRENCY})"),
        strokeDash=alt.StrokeDash("line:N", legend=legend()),
        tooltip=tips)
    return alt.layer(zero_line(), band, median,
                     tenure_rule(mc.tenure_month, mc.horizon_months)).properties(
        height=height, width="container",
        title=alt.TitleParams("When does the switch pay back?",
                              subtitle="Cumulative Δ discounted profit across the draws"))


# --- tornado ------------------------------------------------------------------------------------

METRIC_TITLES = {key: glossary.name(key) for key in ("delta_npv", "delta_inside_tenure")}


def setting_text(name: str, x: float) -> str:
    """A short value for a bar label: money compact ($3.0M), the rest as ``describe``."""
    if name in BY_NAME and BY_NAME[name].unit.startswith("currency"):
        return money(float(x), compact=True) + BY_NAME[name].unit.removeprefix("currency")
    return describe(name, x)


def tornado_frame(torn: Tornado, metric: str, label: Callable[[str], str]) -> pd.DataFrame:
    """Two bars per assumption (low end, high end), sorted by swing, largest first."""
    base = torn.base_delta_npv if metric == "delta_npv" else torn.base_delta_inside_tenure
    rows = []
    for rank, r in enumerate(torn.sorted(metric)):
        for end, x in (("low", r.low), ("high", r.high)):
            value = getattr(r, f"{metric}_{end}")
            rows.append({"rank": rank, "name": r.name,
                         "assumption": r.label or label(r.name),  # a fix's row has its own
                         "end": LOW_END if end == "low" else HIGH_END,
                         "setting": describe(r.name, x), "tag": setting_text(r.name, x),
                         "value": value, "base": base, "change": value - base,
                         "swing": r.swing(metric)})
    return pd.DataFrame(rows)


def tornado_chart(torn: Tornado, metric: str = "delta_npv", label: Callable[[str], str] | None = None,
                  height: int | None = None) -> alt.LayerChart:
    """Bars from the base case to the result with each assumption at its low and high end.

    Each assumption has two sub-rows (low end above, high end below) and each bar is labelled
    at its outer end with the value it stands for, so labels never sit on each other; the axis
    is widened so the labels fit.
    """
    label = label or (lambda n: BY_NAME[n].label)
    data = tornado_frame(torn, metric, label)
    order = list(dict.fromkeys(data["assumption"]))
    base = float(data["base"].iloc[0]) if len(data) else 0.0
    lo = float(min(data["value"].min(), base)) if len(data) else base - 1.0
    hi = float(max(data["value"].max(), base)) if len(data) else base + 1.0
    pad = 0.28 * max(hi - lo, 1.0)
    y = alt.Y("assumption:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=320, labelOverlap=False))
    y_offset = alt.YOffset("end:N", sort=[LOW_END, HIGH_END])
    x = alt.X("value:Q", title=f"{METRIC_TITLES[metric]} ({CURRENCY})",
              axis=alt.Axis(format=MONEY_AXIS),
              # Not from zero: the base case is the reference, and the swings are what matter.
              scale=alt.Scale(zero=False, domain=[lo - pad, hi + pad], nice=False))
    bars = alt.Chart(data).mark_bar(opacity=0.9).encode(
        y=y, yOffset=y_offset, x=x, x2="base:Q",
        color=alt.Color("end:N", legend=fill_legend(title="Assumption"),
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
    text = alt.Chart(data)
    right = text.mark_text(align="left", dx=4, fontSize=11, color="#333333").encode(
        y=y, yOffset=y_offset, x="value:Q", text="tag:N").transform_filter("datum.change >= 0")
    left = text.mark_text(align="right", dx=-4, fontSize=11, color="#333333").encode(
        y=y, yOffset=y_offset, x="value:Q", text="tag:N").transform_filter("datum.change < 0")
    rule = alt.Chart(pd.DataFrame({"v": [base]})).mark_rule(color="#333333").encode(x="v:Q")
    return alt.layer(bars, right, left, rule).properties(
        height=height or max(140, 34 * len(order)), width="container",
        title=f"{METRIC_TITLES[metric]}: base case {signed_money(base, compact=True)}")


# --- words -------------------------------------------------------------------------------------

NO_SWITCH = ("**There is no switch to evaluate.** Honest expectation setting and the investment "
             "are both off, so the scenario is today's business: nothing is given up, nothing "
             "is gained, and there are no odds of a payback. Move either lever in the sidebar to "
             "weigh a switch; the best plan for each owner below shows where to start.")


def tenure_phrase(tenure_years: float) -> str:
    """``5-year tenure``, ``6.5-year tenure``."""
    return f"{float(tenure_years):g}-year tenure"


def odds_lines(mc: MonteCarlo, tenure_years: float, horizon_years: int,
               include_terminal_value: bool) -> list[tuple[str, float, str]]:
    """The three odds as (label, probability, one line saying what it counts)."""
    end_value = (", counting the customers still active at its end and those still to come"
                 if include_terminal_value else "")
    return [
        ("Pays back inside your tenure", mc.p_payback_inside_tenure,
         f"Draws in which the switch has earned back its early losses by the end of your "
         f"{tenure_phrase(tenure_years)} and stays ahead."),
        (f"Pays back within {horizon_years} years", mc.p_payback_inside_horizon,
         f"Draws in which it has earned them back in cash by year {horizon_years}."),
        (ADDS_VALUE, mc.p_delta_npv_positive,
         f"Draws in which the switch is worth more than carrying on as today over "
         f"{horizon_years} years{end_value}."),
    ]


def rests_on(mc: MonteCarlo, n_ranges: int, n_effects: int, edited: bool = False,
             source: str | None = None) -> str:
    """What the odds rest on, in plain words; ``source`` names where the ranges came from
    (markdown-safe text, e.g. "the workshop's pooled ranges"), None for the table's."""
    shape = {"pert": "PERT", "triangular": "triangular"}.get(mc.distribution, mc.distribution)
    where = "your edited ranges" if edited else "the ranges in the table below"
    if source:
        where = f"{source}, edited by you" if edited else source
    together = (f"the {n_effects} effects customers must deliver move together (rank "
                f"correlation {mc.effect_correlation:.2f}: when one is larger than expected, the "
                f"others tend to be too)" if mc.effect_correlation > 0
                else f"the {n_effects} effects customers must deliver vary independently")
    silent = (f"in {percent_text(mc.p_no_response)} of futures customers do not respond at all "
              f"— the sacrifice and the costs come, the churn, trust and referral effects do not "
              f"({mc.no_response.sum():,} of {mc.draws:,} draws here)" if mc.p_no_response > 0
              else "customers always respond to some degree (no draws without a response)")
    silent += ("; when they respond, each effect comes in a share drawn between none and all "
               "of it (the same share for every effect in a draw)")
    return (f"**What these odds rest on:** {n_ranges} assumptions drawn between low and high "
            f"({shape}) from {where}; {together}; and {silent}. Everything else is as in the "
            f"sidebar. Change the two settings above to see how much the odds depend on them.")


def percent_text(p: float) -> str:
    """A probability as people read it; never "0 %" or "100 %" for rare but possible events."""
    if 0 < p < 0.005:
        return "< 1 %"
    if 0.995 < p < 1:
        return "> 99 %"
    return percent(p)
