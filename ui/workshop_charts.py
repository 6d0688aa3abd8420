"""Charts of a workshop: votes before and after, the room's pooled views, the two fans (Altair)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from model.analysis import MonteCarlo
from model.assumptions import BY_NAME
from model.structure import Structure
from model.workshop import QUESTIONS, VOTE_LABELS, VOTES, Pooled, Results, fix_name_of, mixture_pdf
from ui import theme
from ui.chart_parts import fill_legend, money_tooltip, money_y, tenure_rule, years_x, zero_line
from ui.format import CURRENCY, percent, signed_money

NO_STRUCTURE = Structure()  # a scenario of one mass of customers

ROUND_LABELS = {"before": "Before the analysis", "after": "After the analysis"}
VOTE_COLOURS = {"yes": "#009E73", "not_yet": "#E69F00", "no": "#D55E00"}
TABLE, ROOM = "The table's ranges", "The room's pooled ranges"


def spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec without Altair's schema validation.

    The facilitator view redraws every few seconds, and validation took 80 % of the chart time
    (1.56 s against 0.32 s for its eight charts, measured in benchmarks/bench_workshop.py's
    setting); tests/ui/test_workshop_charts.py validates every chart once instead."""
    return chart.to_dict(validate=False)


def votes_frame(results: Results) -> pd.DataFrame:
    return pd.DataFrame([{"round": ROUND_LABELS[r], "vote": VOTE_LABELS[v], "votes": n,
                          "order": i} for r, counts in results.votes.items()
                         for i, (v, n) in enumerate(counts.items())])


def votes_chart(results: Results, height: int = 220) -> alt.Chart:
    """Simple bars: how many said yes / not yet / no, before and after."""
    frame = votes_frame(results)
    colours = alt.Scale(domain=[VOTE_LABELS[v] for v in VOTES],
                        range=[VOTE_COLOURS[v] for v in VOTES])
    most = max(1, int(frame["votes"].max()))  # no votes yet: an axis of 0 … 1, not 0 … 0
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("votes:Q", title="Votes", scale=alt.Scale(domain=[0, most], nice=False),
                axis=alt.Axis(tickMinStep=1, format="d", values=list(range(most + 1))
                              if most <= 10 else alt.Undefined)),
        y=alt.Y("vote:N", sort=[VOTE_LABELS[v] for v in VOTES], title=None),
        color=alt.Color("vote:N", scale=colours, legend=None),
        row=alt.Row("round:N", title=None, sort=list(ROUND_LABELS.values()),
                    header=alt.Header(labelAngle=0, labelAlign="left", labelFontSize=14)),
        tooltip=["round:N", "vote:N", "votes:Q"],
    ).properties(height=height / 2.5, width=520)


def pooled_frame(pooled: Pooled, estimates: Sequence, points: int = 121) -> pd.DataFrame:
    x, dens = mixture_pdf(estimates, points)
    return pd.DataFrame({"x": x * 100, "density": dens})


def label(name: str) -> str:
    """An asked assumption's label, or a fix's effect ("Fix: Billing (share of churn)")."""
    fix = fix_name_of(name)
    return BY_NAME[name].label if fix is None else f"Fix: {fix} (share of churn)"


def question(name: str) -> str:
    """The question the room answered about ``name`` (an asked assumption or a fix)."""
    fix = fix_name_of(name)
    return (QUESTIONS[name] if fix is None else
            f"How much of today's churn does fixing “{fix}” remove?")


def pooled_chart(pooled: Pooled, estimates: Sequence, height: int = 150) -> alt.LayerChart:
    """The pooled density, the P10–P90 band, and each participant's likely value as a tick."""
    curve = alt.Chart(pooled_frame(pooled, estimates)).mark_area(
        color=theme.CUSTOMER_CENTRIC, opacity=0.35, line=True).encode(
        x=alt.X("x:Q", title=f"{label(pooled.name)} (%)"), y=alt.Y("density:Q", title=None, axis=None))
    band = alt.Chart(pd.DataFrame([{"p10": pooled.p10 * 100, "p90": pooled.p90 * 100}])).mark_rect(
        color=theme.CUSTOMER_CENTRIC, opacity=0.12).encode(x="p10:Q", x2="p90:Q")
    ticks = alt.Chart(pd.DataFrame({"likely": [e.likely * 100 for e in estimates]})).mark_tick(
        color="#333", thickness=2, size=18).encode(
        x="likely:Q", tooltip=alt.Tooltip("likely:Q", title="a participant's likely (%)",
                                          format=".1f"))
    median = alt.Chart(pd.DataFrame([{"m": pooled.likely * 100}])).mark_rule(
        color=theme.TENURE_RULE, strokeWidth=2).encode(
        x="m:Q", tooltip=alt.Tooltip("m:Q", title="pooled median (%)", format=".1f"))
    return alt.layer(band, curve, ticks, median).properties(height=height, width="container")


def pooled_table(results: Results, today: dict[str, object],
                 structure: Structure = NO_STRUCTURE) -> pd.DataFrame:
    """One row per asked assumption or fix: the scenario's value today and the room's view."""
    own = {" ".join(f.name.split()).casefold(): f.churn_share for f in structure.fixes}
    rows = []
    for name, p in results.pooled.items():
        fix = fix_name_of(name)
        now = (float(today[name]) if fix is None else
               own.get(" ".join(fix.split()).casefold()))
        rows.append({"Assumption": label(name), "Answers": p.n,
                     "Today": "—" if now is None else percent(now, 1),
                     "Low": percent(p.low, 1), "Pooled median": percent(p.likely, 1),
                     "High": percent(p.high, 1),
                     "Middle 80 %": f"{percent(p.p10, 1)} – {percent(p.p90, 1)}",
                     "Spread of 'likely'": f"{percent(p.likely_min, 1)} – "
                                           f"{percent(p.likely_max, 1)}"})
    return pd.DataFrame(rows)


def fans_frame(table: MonteCarlo, room: MonteCarlo) -> pd.DataFrame:
    parts = []
    for label, mc in ((TABLE, table), (ROOM, room)):
        months = np.arange(1, mc.horizon_months + 1)
        parts.append(pd.DataFrame({"years": months / 12, "p10": mc.fan[0], "p50": mc.fan[1],
                                   "p90": mc.fan[2], "ranges": label}))
    return pd.concat(parts, ignore_index=True)


def fans_chart(table: MonteCarlo, room: MonteCarlo, height: int = 300) -> alt.LayerChart:
    """The cumulative Δ's P10–P90 band and median under both sets of ranges."""
    frame = fans_frame(table, room)
    colour = alt.Color("ranges:N", scale=alt.Scale(domain=[TABLE, ROOM],
                                                    range=[theme.STATUS_QUO,
                                                           theme.CUSTOMER_CENTRIC]),
                       legend=fill_legend())
    x = years_x(table.horizon_months)
    base = alt.Chart(frame)
    band = base.mark_area(opacity=0.2).encode(
        x=x, y=money_y("p10", f"Cumulative Δ discounted profit ({CURRENCY})"), y2="p90:Q",
        color=colour)
    line = base.mark_line(strokeWidth=2).encode(
        x=x, y="p50:Q", color=colour,
        tooltip=[alt.Tooltip("ranges:N", title="Ranges"),
                 alt.Tooltip("years:Q", title="Years from today", format=".1f"),
                 money_tooltip("p50", f"Median ({CURRENCY})")])
    return alt.layer(band, line, zero_line(),
                     tenure_rule(table.tenure_month, table.horizon_months)
                     ).properties(height=height, width="container")


def short_demand(label: str) -> str:
    """"2. Invest in fixing what is broken" → "2. Invest": the axis names every bar in a word
    (the tooltip and the page say the whole demand)."""
    number, _, words = label.partition(". ")
    return f"{number}. {words.split()[0]}" if words else label


def waterfall_chart(rows: list[dict], title: str, height: int = 280) -> alt.LayerChart:
    """The total (or the figure inside the tenure) built up demand by demand: floating bars,
    then the total. Every bar is named on the axis (short enough that none is hidden as
    overlapping, issue 22 defect 9) and carries its amount; ``title`` names the y axis only
    (the page prints the chart's one heading)."""
    frame = pd.DataFrame(rows)
    frame["order"] = range(len(frame))
    frame["short"] = [short_demand(x) for x in frame["label"]]
    frame["sign"] = np.where(frame["kind"] == "total", "Total",
                             np.where(frame["amount"] >= 0, "Gain", "Cost"))
    frame["text"] = [signed_money(a, compact=True) for a in frame["amount"]]
    frame["top"] = frame[["start", "end"]].max(axis=1)
    colours = alt.Scale(domain=["Gain", "Cost", "Total"],
                        range=[theme.PAYBACK, theme.TENURE_RULE, theme.CUSTOMER_CENTRIC])
    x = alt.X("short:N", sort=alt.SortField("order"), title=None,
              axis=alt.Axis(labelAngle=0, labelLimit=0, labelOverlap=False, labelFontSize=11))
    tips = [alt.Tooltip("label:N", title="Demand"),
            money_tooltip("amount", f"Amount ({CURRENCY})")]
    base = alt.Chart(frame)
    bars = base.mark_bar().encode(
        x=x, y=money_y("start", f"{title} ({CURRENCY})"),
        y2="end:Q", color=alt.Color("sign:N", scale=colours, legend=None), tooltip=tips)
    amounts = base.mark_text(dy=-7, fontSize=12, fontWeight="bold").encode(
        x=x, y="top:Q", text="text:N", tooltip=tips)
    return alt.layer(bars, amounts, zero_line()).properties(height=height, width="container")
