"""Charts and words for the best levers (honesty × investment) and for goal seek.

Pure functions of ``model.analysis`` results (no Streamlit), tested through ``chart.to_dict()``.
Optima are marked by shape and named in the legend, never by text on the chart, so that labels
cannot sit on each other (two optima at the same point stay readable: the legend names both).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from model.analysis import GOAL_TARGETS, GoalSeek, LeverMap, Optimum
from model.assumptions import BY_NAME
from ui import glossary
from ui.analysis_charts import describe, tenure_phrase
from ui.chart_parts import MONEY_AXIS, MONEY_TOOLTIP
from ui.format import CURRENCY, money, percent, signed_money

HEIGHT = 300
OWNERS = {"company": "the company", "tenure": "you, inside your tenure", "board": "the board"}
MARKS = {"company": "Best for the company", "tenure": "Best for your tenure",
         "board": "Best in the board's eyes", "now": "Your levers now"}
SHAPES = {"company": "circle", "tenure": "square", "board": "triangle-up", "now": "cross"}
MARK_COLOUR = "#111111"
GLYPHS = {"company": "●", "tenure": "■", "board": "▲", "now": "✚"}
# The marks' legend, said once under the maps (a legend in each narrow map squeezes the plot).
MARKS_LEGEND = " · ".join(f"{GLYPHS[k]} {MARKS[k].lower() if k != 'company' else MARKS[k]}"
                          for k in GLYPHS)


def titles(lm: LeverMap) -> dict[str, str]:
    """What each objective measures, in words."""
    return {
        "company": f"{glossary.name('delta_npv')} over {lm.horizon_years} years",
        "tenure": f"Gain or loss inside your {tenure_phrase(lm.tenure_years)}",
        "board": "What the board credits",
    }


def subtitles(lm: LeverMap) -> dict[str, str]:
    return {"company": "Everything the switch adds, today's money",
            "tenure": "What a leader judged on the tenure sees",
            "board": f"Tenure + {percent(lm.board_weight)} of the customer equity after it"}


def heatmap_frame(lm: LeverMap, key: str) -> pd.DataFrame:
    """One cell per (honesty, investment) with its edges, value and words for the tooltip."""
    H, K = np.meshgrid(lm.honesty, lm.investment, indexing="ij")
    dh = float(lm.honesty[1] - lm.honesty[0]) if lm.honesty.size > 1 else 1.0
    dk = float(lm.investment[1] - lm.investment[0]) if lm.investment.size > 1 else 1.0
    return pd.DataFrame({
        "h0": (H - dh / 2).ravel(), "h1": (H + dh / 2).ravel(),
        "k0": (K - dk / 2).ravel(), "k1": (K + dk / 2).ravel(),
        "honesty": H.ravel(), "investment": K.ravel(), "value": lm.grid[key].ravel(),
    })


MARK_GAP = 13  # px between markers that share a cell (a marker is about 13 px wide)


def marks_frame(lm: LeverMap) -> pd.DataFrame:
    """The optima and today's levers; ``offset`` (px) spreads markers that fall in the same
    cell side by side, so four markers on one spot do not hide each other (issue 22)."""
    rows = [{"mark": MARKS[k], "honesty": o.honesty, "investment": o.investment}
            for k, o in lm.optima.items()]
    rows.append({"mark": MARKS["now"], "honesty": lm.current_honesty,
                 "investment": lm.current_investment})
    frame = pd.DataFrame(rows)
    dh = float(lm.honesty[1] - lm.honesty[0]) if lm.honesty.size > 1 else 1.0
    dk = float(lm.investment[1] - lm.investment[0]) if lm.investment.size > 1 else 1.0
    cell = list(zip(np.round(frame["honesty"] / dh), np.round(frame["investment"] / dk),
                    strict=True))
    offsets = []
    for i, c in enumerate(cell):
        group = [j for j, other in enumerate(cell) if other == c]
        offsets.append(MARK_GAP * (group.index(i) - (len(group) - 1) / 2))
    frame["offset"] = offsets
    return frame


def heading(lm: LeverMap, key: str) -> str:
    """The map's title and subtitle as markdown for the page (wraps in a narrow column, where
    a title inside the chart was cut off)."""
    return f"**{titles(lm)[key]}**  \n{subtitles(lm)[key]}"


def heatmap_chart(lm: LeverMap, key: str, height: int = HEIGHT) -> alt.LayerChart:
    """A two-way table of one objective over honesty × investment, with every optimum marked."""
    data = heatmap_frame(lm, key)
    top = float(np.max(np.abs(data["value"]))) or 1.0
    x = alt.X("k0:Q", title=f"Investment ({CURRENCY})", axis=alt.Axis(format=MONEY_AXIS),
              scale=alt.Scale(domain=[float(data["k0"].min()), float(data["k1"].max())],
                              nice=False))
    y = alt.Y("h0:Q", title="Honest expectation setting", axis=alt.Axis(format=".0%"),
              scale=alt.Scale(domain=[float(data["h0"].min()), float(data["h1"].max())],
                              nice=False))
    cells = alt.Chart(data).mark_rect().encode(
        x=x, x2="k1:Q", y=y, y2="h1:Q",
        color=alt.Color("value:Q", title=f"{CURRENCY}, today's money",
                        scale=alt.Scale(scheme="blueorange", reverse=True, domainMid=0,
                                        domain=[-top, top]),
                        # Under the map, so the map keeps the column's width.
                        legend=alt.Legend(format=MONEY_AXIS, orient="bottom",
                                          direction="horizontal", gradientLength=160,
                                          title=None)),
        tooltip=[alt.Tooltip("honesty:Q", title="Honesty", format=".0%"),
                 alt.Tooltip("investment:Q", title=f"Investment ({CURRENCY})",
                             format=MONEY_TOOLTIP),
                 alt.Tooltip("value:Q", title=f"Value ({CURRENCY}, today's money)",
                             format=MONEY_TOOLTIP)])
    order = [MARKS[k] for k in ("company", "tenure", "board", "now")]
    marks = marks_frame(lm)
    points = [alt.Chart(marks[marks["offset"] == off]).mark_point(
        size=140, filled=True, color=MARK_COLOUR, stroke="white", strokeWidth=1, opacity=1,
        xOffset=float(off)).encode(
        x="investment:Q", y="honesty:Q",
        shape=alt.Shape("mark:N", scale=alt.Scale(domain=order,
                                                  range=[SHAPES[k] for k in SHAPES]),
                        legend=None),  # named once, under the three maps (MARKS_LEGEND)
        tooltip=[alt.Tooltip("mark:N", title="Point"),
                 alt.Tooltip("honesty:Q", title="Honesty", format=".0%"),
                 alt.Tooltip("investment:Q", title=f"Investment ({CURRENCY})",
                             format=MONEY_TOOLTIP)])
        for off in sorted(set(marks["offset"]))]
    # The title is the page's text above the map (``heading``): a narrow column cut it here.
    return alt.layer(cells, *points).properties(height=height, width="container")


def _pct(x: float) -> str:
    return percent(x)


def _money(x: float) -> str:
    return money(x, compact=True)


def _span(lo: float, hi: float, show) -> str:
    a, b = show(lo), show(hi)
    return f"only {a}" if a == b else f"anything from {a} to {b}"


def optimum_sentence(lm: LeverMap, key: str) -> str:
    """The best levers for one owner, with the ranges that are as good, in words."""
    o: Optimum = lm.optima[key]
    if abs(o.value) < 0.5:  # nothing to gain: "do nothing" is best (model.analysis.optimise_levers)
        gain, near = "nothing to gain: carrying on as today is best", "almost as good"
    else:
        gain, near = signed_money(o.value, compact=True), "as good, within 1 % of the best"
    return (f"**Best for {OWNERS[key]}:** honesty {_pct(o.honesty)} and an investment of "
            f"{_money(o.investment)} ({gain}). {near.capitalize()}: investment "
            f"{_span(*o.investment_range, _money)} (honesty held at {_pct(o.honesty)}); honesty "
            f"{_span(*o.honesty_range, _pct)} (investment held).")


def gap_sentence(lm: LeverMap) -> str:
    """The agency gap between the company and the tenure, and what the board's weight does."""
    c, t, b = (lm.optima[k] for k in ("company", "tenure", "board"))
    same = abs(c.honesty - t.honesty) < 0.05 and abs(c.investment - t.investment) < max(
        0.05 * c.investment, BY_NAME["investment"].step)
    if same:
        return ("Here the company and a leader judged on the tenure want the same plan: there is "
                "no agency gap to close.")
    closes = (abs(b.honesty - c.honesty) + abs(b.investment - c.investment) / max(c.investment, 1)
              < abs(b.honesty - t.honesty) + abs(b.investment - t.investment) / max(c.investment, 1))
    return (f"**The agency gap:** the company is best served by honesty {_pct(c.honesty)} and "
            f"{_money(c.investment)}, a leader judged only on the {tenure_phrase(lm.tenure_years)}"
            f" by honesty {_pct(t.honesty)} and {_money(t.investment)}. A board that credits "
            f"{_pct(lm.board_weight)} of the change in customer equity moves the leader's best to "
            f"honesty {_pct(b.honesty)} and {_money(b.investment)} — "
            + ("closer to the company's plan." if closes else "still closer to the tenure's plan."))


# --- goal seek ----------------------------------------------------------------------------------

GOAL_TITLES = {"inside_tenure": "Breaks even inside your tenure",
               "horizon": "Breaks even over the horizon",
               "cash": "Breaks even in cash"}
GOAL_MEANING = {
    "inside_tenure": "the gain or loss at the end of your tenure is zero",
    "horizon": "the total (cash over the horizon plus the end value: customers still active "
               "and still to come) is zero",
    "cash": "the cash over the horizon, without the end value, is zero",
}


def goal_value(g: GoalSeek, target: str) -> str:
    x = g.value(target)
    return "none in range" if x is None else describe(g.name, x)


def goal_sentence(g: GoalSeek, target: str) -> str:
    """One line per target: the break-even value, the IRR wording, or why there is none."""
    a = BY_NAME[g.name]
    x = g.value(target)
    if x is None:
        side = dict(g.no_root).get(target, "flat")
        how = {"gains": "the switch gains", "loses": "the switch loses",
               "flat": "this assumption does not change the result"}[side]
        return (f"No break-even between {describe(g.name, g.lowest)} and "
                f"{describe(g.name, g.highest)}: {how} over that whole range.")
    if g.name == "discount_rate_annual" and target in ("horizon", "cash"):
        what = "internal rate of return" + (" in cash" if target == "cash" else "")
        return (f"The switch's {what} is {describe(g.name, x)} a year: at that discount rate "
                f"{GOAL_MEANING[target]} (assumed now: {describe(g.name, g.current)}).")
    extra = dict(g.crossings).get(target, 1)
    note = f" ({extra} crossings in range; the one nearest today's value)" if extra > 1 else ""
    return (f"At “{a.label.lower()}” = {describe(g.name, x)} {GOAL_MEANING[target]} "
            f"(assumed now: {describe(g.name, g.current)}){note}.")


__all__ = ["GOAL_TARGETS", "gap_sentence", "goal_sentence", "goal_value", "heatmap_chart",
           "heatmap_frame", "marks_frame", "optimum_sentence", "titles"]
