"""Charts and the side-by-side table for the Scenarios & compare page (pure: no Streamlit).

Each compared scenario is a ``(label, Run)`` pair in the order the user chose them. Colours are
fixed by that order (``ui.theme.SCENARIO_COLOURS``); a scenario with every lever off is the status
quo and is drawn grey and dashed, as on the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from model.assumptions import BY_NAME, LEVERS_OFF
from model.simulate import Run
from ui import theme
from ui.format import CURRENCY, count, money, month_label, signed_money, value_with_unit

Item = tuple[str, Run]
SOLID: list[int] = [1, 0]
DASHED: list[int] = [6, 4]
MONEY_AXIS = f"{CURRENCY}~s" if CURRENCY == "$" else "~s"


@dataclass(frozen=True)
class Style:
    label: str
    colour: str
    dash: list[int]


def is_levers_off(run: Run) -> bool:
    """Every lever off: the scenario is its own status quo."""
    return all(float(run.values[k]) == float(v) for k, v in LEVERS_OFF.items())


def styles(items: Sequence[Item]) -> list[Style]:
    """Colour and dash per scenario; status-quo scenarios are grey dashed, the rest take the
    scenario colours in the order chosen."""
    out, n = [], 0
    for label, run in items:
        if is_levers_off(run):
            out.append(Style(label, theme.STATUS_QUO, DASHED))
        else:
            out.append(Style(label, theme.SCENARIO_COLOURS[n % len(theme.SCENARIO_COLOURS)], SOLID))
            n += 1
    return out


def _shared_status_quo(items: Sequence[Item]) -> bool:
    """True when every scenario has the same status quo (same business assumptions)."""
    first = items[0][1].status_quo["profit"].to_numpy()
    return all(np.array_equal(first, run.status_quo["profit"].to_numpy()) for _, run in items[1:])


def status_quo_label(items: Sequence[Item]) -> str:
    return "Status quo" if _shared_status_quo(items) else f"Status quo of {items[0][0]}"


def _scales(entries: list[Style]) -> dict[str, alt.Scale]:
    return {
        "color": alt.Scale(domain=[e.label for e in entries], range=[e.colour for e in entries]),
        "dash": alt.Scale(domain=[e.label for e in entries], range=[e.dash for e in entries]),
    }


def _x(horizon_months: int) -> alt.X:
    return alt.X("years:Q", title="Years from today",
                 scale=alt.Scale(domain=[0, horizon_months / 12]),
                 axis=alt.Axis(values=list(range(0, horizon_months // 12 + 1)), format="d",
                               grid=False))


def _horizon(items: Sequence[Item]) -> int:
    return max(run.summary.horizon_months for _, run in items)


def tenure_rules(items: Sequence[Item]) -> alt.LayerChart:
    """One dashed rule per distinct tenure end, labelled with the scenarios it belongs to."""
    by_month: dict[int, list[str]] = {}
    for label, run in items:
        by_month.setdefault(run.summary.tenure_month, []).append(label)
    horizon = _horizon(items)
    rows = []
    for i, (month, labels) in enumerate(sorted(by_month.items())):
        who = "" if len(by_month) == 1 else f": {', '.join(labels)}"
        rows.append({"years": month / 12, "month": month, "row": i,
                     "label": f"Tenure ends (year {month / 12:g}){who}",
                     "right": month > 0.7 * horizon})
    data = pd.DataFrame(rows)
    rule = alt.Chart(data).mark_rule(color=theme.TENURE_RULE, strokeDash=[6, 4],
                                     strokeWidth=2).encode(
        x="years:Q", tooltip=[alt.Tooltip("label:N", title="Tenure")])
    texts = []
    for right in (False, True):
        part = data[data["right"] == right]
        if part.empty:
            continue
        texts.append(alt.Chart(part).transform_calculate(pixel="4 + 16 * datum.row").mark_text(
            align="right" if right else "left", dx=-6 if right else 6, baseline="top",
            color=theme.TENURE_RULE, fontWeight="bold",
        ).encode(x="years:Q", y=alt.Y("pixel:Q", scale=None, axis=None), text="label:N"))
    return alt.layer(rule, *texts)


def _long(items: Sequence[Item], column: Callable[[Run], np.ndarray], entries: list[Style],
          name: str) -> pd.DataFrame:
    parts = []
    for (_label, run), entry in zip(items, entries, strict=True):
        months = run.scenario["month"].to_numpy()
        parts.append(pd.DataFrame({"scenario": entry.label, "month": months, "years": months / 12,
                                   name: column(run)}))
    return pd.concat(parts, ignore_index=True)


def _lines(data: pd.DataFrame, entries: list[Style], field: str, title: str,
           horizon: int) -> alt.Chart:
    scales = _scales(entries)
    legend = alt.Legend(title=None, orient="top", symbolType="stroke", symbolStrokeWidth=3,
                        labelLimit=260)
    return alt.Chart(data).mark_line(strokeWidth=2.5).encode(
        x=_x(horizon),
        y=alt.Y(f"{field}:Q", title=title, axis=alt.Axis(format=MONEY_AXIS)),
        color=alt.Color("scenario:N", scale=scales["color"], legend=legend,
                        sort=[e.label for e in entries]),
        strokeDash=alt.StrokeDash("scenario:N", scale=scales["dash"], legend=legend,
                                  sort=[e.label for e in entries]),
        tooltip=[alt.Tooltip("scenario:N", title="Scenario"),
                 alt.Tooltip("month:Q", title="Month"),
                 alt.Tooltip(f"{field}:Q", title=f"{title}", format=",.0f")],
    )


def profit_overlay(items: Sequence[Item], height: int = 320) -> alt.LayerChart:
    """Monthly profit of each scenario's strategy, with the status quo grey dashed."""
    entries = styles(items)
    data = _long(items, lambda r: r.scenario["profit"].to_numpy(), entries, "profit")
    if not any(is_levers_off(run) for _, run in items):
        # No status quo among the chosen: draw it as the reference everyone departs from.
        label = status_quo_label(items)
        entries = [*entries, Style(label, theme.STATUS_QUO, DASHED)]
        sq = items[0][1].status_quo
        data = pd.concat([data, pd.DataFrame({
            "scenario": label, "month": sq["month"].to_numpy(),
            "years": sq["month"].to_numpy() / 12, "profit": sq["profit"].to_numpy()})],
            ignore_index=True)
    horizon = _horizon(items)
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#BBBBBB").encode(y="y:Q")
    lines = _lines(data, entries, "profit", f"Profit per month ({CURRENCY})", horizon)
    return alt.layer(zero, lines, tenure_rules(items)).properties(
        height=height, width="container", title="Profit per month")


def delta_overlay(items: Sequence[Item], height: int = 320) -> alt.LayerChart:
    """Cumulative Δ discounted profit against each scenario's own status quo."""
    entries = styles(items)
    data = _long(items, lambda r: r.cumulative_delta, entries, "delta")
    horizon = _horizon(items)
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#888888").encode(y="y:Q")
    lines = _lines(data, entries, "delta", f"Cumulative Δ discounted profit ({CURRENCY})", horizon)
    return alt.layer(zero, lines, tenure_rules(items)).properties(
        height=height, width="container",
        title="The sacrifice curves: cumulative Δ discounted profit against the status quo")


# --- the table --------------------------------------------------------------------------------

def _money(x: float) -> str:
    return money(x, compact=True)


def _signed(x: float) -> str:
    """Signed money; zero (to the cent) reads "$0", not "+$0"."""
    return money(0.0) if abs(x) < 0.005 else signed_money(x, compact=True)


def _minus(text: str) -> str:
    """A typographic minus, as in ui.format."""
    return text.replace("-", "−")


def _months_diff(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "—"
    d = int(a - b)
    return "same" if d == 0 else _minus(f"{d:+d} months")


def _pp(a: float, b: float) -> str:
    d = 100 * (a - b)
    return "0 pp" if abs(d) < 0.05 else _minus(f"{d:+.1f} pp")


def _count_diff(a: float, b: float) -> str:
    d = a - b
    return "0" if abs(d) < 0.5 else _minus(f"{d:+,.0f}")


def _payback(run: Run) -> str:
    s = run.summary
    if s.deepest_sacrifice >= 0:
        return "immediate"
    return month_label(s.payback_month) if s.payback_month is not None else "not within horizon"


def _lever(name: str) -> tuple[str, Callable[[Run], str], Callable[[Run, Run], str]]:
    a = BY_NAME[name]

    def shown(r: Run) -> str:
        return value_with_unit(r.values[name], a.unit)

    def diff(r: Run, first: Run) -> str:
        x, y = float(r.values[name]), float(first.values[name])
        if a.is_fraction:
            return _pp(x, y)
        if a.unit.startswith("currency"):
            return _signed(x - y)
        return f"0 {a.unit}" if x == y else _minus(f"{x - y:+g} {a.unit}")

    return a.label, shown, diff


# (row label, value as text, difference to the first scenario as text)
ROWS: list[tuple[str, Callable[[Run], str], Callable[[Run, Run], str]]] = [
    ("ΔNPV over the horizon", lambda r: _signed(r.summary.delta_npv),
     lambda r, f: _signed(r.summary.delta_npv - f.summary.delta_npv)),
    ("Δ inside the tenure", lambda r: _signed(r.summary.delta_inside_tenure),
     lambda r, f: _signed(r.summary.delta_inside_tenure - f.summary.delta_inside_tenure)),
    ("Δ after the tenure", lambda r: _signed(r.summary.delta_after_tenure),
     lambda r, f: _signed(r.summary.delta_after_tenure - f.summary.delta_after_tenure)),
    ("Payback", _payback,
     lambda r, f: _months_diff(r.summary.payback_month, f.summary.payback_month)),
    ("Deepest sacrifice", lambda r: _money(r.summary.deepest_sacrifice),
     lambda r, f: _signed(r.summary.deepest_sacrifice - f.summary.deepest_sacrifice)),
    ("NPV, customer-centric", lambda r: _money(r.summary.npv_scenario),
     lambda r, f: _signed(r.summary.npv_scenario - f.summary.npv_scenario)),
    ("NPV, status quo", lambda r: _money(r.summary.npv_status_quo),
     lambda r, f: _signed(r.summary.npv_status_quo - f.summary.npv_status_quo)),
    ("Customers at the end", lambda r: count(r.summary.customers_end_scenario),
     lambda r, f: _count_diff(r.summary.customers_end_scenario, f.summary.customers_end_scenario)),
    ("Churn per year at the end", lambda r: f"{100 * r.summary.annual_churn_end_scenario:.1f} %",
     lambda r, f: _pp(r.summary.annual_churn_end_scenario, f.summary.annual_churn_end_scenario)),
    ("Trust at the end", lambda r: f"{100 * r.summary.trust_end_scenario:.0f} %",
     lambda r, f: _pp(r.summary.trust_end_scenario, f.summary.trust_end_scenario)),
    _lever("honesty"),
    _lever("investment"),
    _lever("tenure_years"),
    _lever("horizon_years"),
]


def metrics_table(items: Sequence[Item]) -> pd.DataFrame:
    """Summary metrics side by side (one column per scenario) and, after them, the differences
    of each later scenario to the first chosen one. All cells are text, ready to show."""
    first_label, first = items[0]
    data: dict[str, list[str]] = {}
    for label, run in items:
        data[label] = [shown(run) for _, shown, _ in ROWS]
    for label, run in items[1:]:
        data[f"{label} − {first_label}"] = [diff(run, first) for _, _, diff in ROWS]
    return pd.DataFrame(data, index=pd.Index([row[0] for row in ROWS], name="Metric"))
