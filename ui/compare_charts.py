"""Charts and the side-by-side table for the Scenarios & compare page (pure: no Streamlit).

Each compared scenario is a ``(label, Run)`` pair in the order the user chose them. Colours are
fixed by that order (``ui.theme.SCENARIO_COLOURS``); a scenario with every lever off is the status
quo and is drawn grey and dashed, as on the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from model.assumptions import BY_NAME, LEVERS_OFF
from model.simulation import Run
from ui import chart_parts as parts
from ui import theme
from ui.chart_parts import DASHED, SOLID, Style
from ui.fields import COMPARED
from ui.format import CURRENCY, compact, signed_compact, signed_points, value_with_unit

Item = tuple[str, Run]
__all__ = ["DASHED", "SOLID", "Style", "delta_overlay", "metrics_table", "profit_overlay",
           "styles", "tenure_rules"]


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


def _horizon(items: Sequence[Item]) -> int:
    return max(run.summary.horizon_months for _, run in items)


def tenure_rules(items: Sequence[Item]) -> alt.LayerChart:
    """One dashed rule per distinct tenure end, labelled with the scenarios it belongs to."""
    by_month: dict[int, list[str]] = {}
    for label, run in items:
        by_month.setdefault(run.summary.tenure_month, []).append(label)
    ends = [(month, f"Tenure ends (year {month / 12:g})"
             + ("" if len(by_month) == 1 else f": {', '.join(labels)}"))
            for month, labels in sorted(by_month.items())]
    return alt.layer(*parts.tenure_layers(parts.tenure_ends(ends, _horizon(items))))


def _long(items: Sequence[Item], column: Callable[[Run], np.ndarray], entries: list[Style],
          name: str) -> pd.DataFrame:
    pieces = []
    for (_label, run), entry in zip(items, entries, strict=True):
        months = run.scenario["month"].to_numpy()
        pieces.append(pd.DataFrame({"scenario": entry.label, "month": months, "years": months / 12,
                                   name: column(run)}))
    return pd.concat(pieces, ignore_index=True)


def _lines(data: pd.DataFrame, entries: list[Style], field: str, title: str,
           horizon: int) -> alt.Chart:
    scales = parts.series_scales(entries)
    legend = parts.legend(labelLimit=260, orient="bottom")  # tenure labels sit above the plot
    return alt.Chart(data).mark_line(strokeWidth=2.5).encode(
        x=parts.years_x(horizon),
        y=parts.money_y(field, title),
        color=alt.Color("scenario:N", scale=scales["color"], legend=legend,
                        sort=[e.label for e in entries]),
        strokeDash=alt.StrokeDash("scenario:N", scale=scales["dash"], legend=legend,
                                  sort=[e.label for e in entries]),
        tooltip=[alt.Tooltip("scenario:N", title="Scenario"),
                 alt.Tooltip("month:Q", title="Month"),
                 parts.money_tooltip(field, title)],
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
    lines = _lines(data, entries, "profit", f"Profit per month ({CURRENCY})", horizon)
    return alt.layer(parts.zero_line(), lines, tenure_rules(items)).properties(
        height=height, width="container", title="Profit per month")


def delta_overlay(items: Sequence[Item], height: int = 320) -> alt.LayerChart:
    """Cumulative Δ discounted profit against each scenario's own status quo."""
    entries = styles(items)
    data = _long(items, lambda r: r.cumulative_delta, entries, "delta")
    horizon = _horizon(items)
    lines = _lines(data, entries, "delta", f"Cumulative Δ discounted profit ({CURRENCY})", horizon)
    return alt.layer(parts.zero_line(), lines, tenure_rules(items)).properties(
        height=height, width="container",
        title="The sacrifice curves: cumulative Δ discounted profit against the status quo")


# --- the table --------------------------------------------------------------------------------


def _lever(name: str) -> tuple[str, Callable[[Run], str], Callable[[Run, Run], str]]:
    a = BY_NAME[name]

    def shown(r: Run) -> str:
        if a.unit.startswith("currency"):  # one money format in the table: $6.0M, not $6,000,000
            return compact(float(r.values[name])) + a.unit.removeprefix("currency")
        return value_with_unit(r.values[name], a.unit)

    def diff(r: Run, first: Run) -> str:
        x, y = float(r.values[name]), float(first.values[name])
        if a.is_fraction:
            return signed_points(x - y)
        if a.unit.startswith("currency"):
            return signed_compact(x - y)
        return "same" if x == y else f"{x - y:+g} {a.unit}".replace("-", "−")

    return a.label, shown, diff


def _months(n: float) -> str:
    n = int(round(abs(n)))
    return f"{n:,} month" + ("" if n == 1 else "s")


def payback_change(s: object, reference: object) -> str:
    """A payback against the reference's, in words: ``11 months later``, ``6 months earlier``,
    ``same month``; when either has no payback month, what each does instead."""
    def month(x: object) -> int | None:  # None: immediate (nothing given up) or never
        return None if x.deepest_sacrifice >= 0 else x.payback_month

    def what(x: object) -> str:
        if x.deepest_sacrifice >= 0:
            return "nothing to pay back"
        return "never pays back" if x.payback_month is None else f"month {x.payback_month}"

    a, b = month(s), month(reference)
    if a is not None and b is not None:
        return ("same month" if a == b else
                f"{_months(a - b)} {'later' if a > b else 'earlier'}")
    if what(s) == what(reference):
        return f"both: {what(s)}"
    return f"{what(s)} (vs {what(reference)})"


def _diff_of(f: object) -> Callable[[Run, Run], str]:
    if f.kind == "payback":  # months as words, not a signed number
        return lambda r, first: payback_change(r.summary, first.summary)
    return lambda r, first: f.diff(r.summary, first.summary)


# (row label, value as text, difference to the first scenario as text): the summary fields of
# ui.fields, then the levers.
ROWS: list[tuple[str, Callable[[Run], str], Callable[[Run, Run], str]]] = [
    *[(f.label, lambda r, f=f: f.short(r.summary), _diff_of(f)) for f in COMPARED],
    *[_lever(name) for name in ("honesty", "investment", "tenure_years", "horizon_years")],
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
