"""Plan against actual for the board pack: a monthly table (actual, plan median, the gap, the plan's
P10–P90 and the reading in words) and the headline — the odds before and now, the response, the
gate — as HTML (every piece of text escaped) and CSV. No Streamlit.

Nothing flatters the plan: every month is listed with its gap to the plan's median (not to the
most favourable forecast), misses are labelled bad news, the cumulative revenue gap is stated, and
a fall in the odds is said first.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from model.library import Library, StoreError
from model.scenario import safe_csv
from model.tracking import LIKELIHOOD, Actuals, ActualsError, Plan, Update, update
from ui.format import count, money, percent

_METRICS = (("customers", "customers_start", "Customers at start"),
            ("churned", "churned", "Churned"), ("new_customers", "new_customers", "New customers"),
            ("revenue", "revenue", "Revenue"))


@dataclass(frozen=True)
class TrackSection:
    title: str
    html: str  # a <section> for a report page
    csv: bytes  # the monthly table


def monthly_frame(plan: Plan, actuals: Actuals, result: Update) -> pd.DataFrame:
    """One row per month and figure: actual, plan P10 / median / P90, gap to the median (also in
    %), and the reading."""
    words = {(s.month, s.metric): s for s in result.surprises}
    rows = []
    for i, m in enumerate(actuals.month):
        if m > plan.horizon_months:
            continue
        for metric, field, label in _METRICS:
            x = float(getattr(actuals, field)[i])
            if np.isnan(x):
                continue
            p10, p50, p90 = (plan.fan[metric][k][m - 1] for k in range(3))
            s = words.get((int(m), metric))
            reading = ("inside the plan's range" if s is None or not s.surprising
                       else ("good news: " if s.good_news else "bad news: ") + s.text)
            rows.append({"month": int(m), "calendar_month": plan.month_label(int(m)),
                         "figure": label, "actual": x, "plan_median": p50, "plan_p10": p10,
                         "plan_p90": p90, "gap_to_median": x - p50,
                         "gap_to_median_pct": (x - p50) / p50 if p50 else float("nan"),
                         "reading": reading})
    return pd.DataFrame(rows)


def headline(plan: Plan, actuals: Actuals, result: Update) -> list[str]:
    """The sentences a board reads first (the app's own words; numbers only)."""
    before, now = result.odds_before, result.odds_now
    out = []
    fell = now["p_delta_npv_positive"] < before["p_delta_npv_positive"]
    out.append(f"The chance that the switch adds value {'fell' if fell else 'rose'} from "
               f"{percent(before['p_delta_npv_positive'])} at the commit to "
               f"{percent(now['p_delta_npv_positive'])} now; expected ΔNPV "
               f"{money(before['expected_delta_npv'], compact=True)} → "
               f"{money(now['expected_delta_npv'], compact=True)}; payback inside the tenure "
               f"{percent(before['p_payback_inside_tenure'])} → "
               f"{percent(now['p_payback_inside_tenure'])}.")
    out.append(f"Chance that customers respond: {percent(result.response_before['p_customers_respond'])}"
               f" → {percent(result.response_now['p_customers_respond'])} after "
               f"{len(result.months)} months of actuals (effective sample size "
               f"{result.effective_sample_size:,.0f}; "
               f"{'importance weights' if result.method == 'draws' else 'tempered weights: too few draws carry the evidence'}).")
    idx = actuals.month - 1
    have = ~np.isnan(actuals.revenue) & (actuals.month <= plan.horizon_months)
    if have.any():
        plan_rev = float(np.asarray(plan.fan["revenue"][1])[idx[have]].sum())
        act_rev = float(actuals.revenue[have].sum())
        out.append(f"Revenue over those months: {money(act_rev, compact=True)} against the "
                   f"plan's median {money(plan_rev, compact=True)} "
                   f"({'+' if act_rev >= plan_rev else '−'}{percent(abs(act_rev / plan_rev - 1), 1)}).")
    bad = [s for s in result.surprises if s.surprising and s.good_news is False]
    if bad:
        out.append(f"{len(bad)} figure-month(s) fell outside the plan's range on the wrong side.")
    if result.gate is not None:
        out.append(f"Gate: {result.gate.decision}. {result.gate.reason}")
    return out


def section(scenario: str, plan: Plan, actuals: Actuals, result: Update) -> TrackSection:
    frame = monthly_frame(plan, actuals, result)
    title = f"Plan against actual: {scenario} (month 1 = {plan.start_month})"

    def cell(row: pd.Series, key: str) -> str:
        x = row[key]
        return money(x, compact=True) if row["figure"] == "Revenue" else count(x)

    body = "".join(
        f"<tr><td>{escape(r.calendar_month)}</td><td>{escape(r.figure)}</td>"
        f"<td class=num>{escape(cell(r, 'actual'))}</td>"
        f"<td class=num>{escape(cell(r, 'plan_median'))}</td>"
        f"<td class=num>{escape(('+' if r.gap_to_median >= 0 else '') + cell(r, 'gap_to_median'))}"
        f" ({escape(percent(r.gap_to_median_pct, 1))})</td>"
        f"<td class=num>{escape(cell(r, 'plan_p10'))} – {escape(cell(r, 'plan_p90'))}</td>"
        f"<td>{escape(r.reading)}</td></tr>"
        for _, r in frame.sort_values(["month", "figure"]).iterrows())
    html = (f"<section><h2>{escape(title)}</h2>"
            + "".join(f"<p>{escape(s)}</p>" for s in headline(plan, actuals, result))
            + f"<p class=meta>Evidence: {escape(LIKELIHOOD)}.</p>"
            "<table><tr><th>Month</th><th>Figure</th><th>Actual</th><th>Plan median</th>"
            "<th>Gap to median</th><th>Plan P10 – P90</th><th>Reading</th></tr>"
            + body + "</table></section>")
    return TrackSection(title, html, safe_csv(frame).encode())


def for_workspace(lib: Library) -> TrackSection | None:
    """The newest live plan of the workspace that has actuals, as a report section (or None)."""
    try:
        for stored in lib.plans(history=False):
            actuals = lib.actuals(stored.id)
            if actuals is not None and len(actuals):
                _, plan = lib.plan(stored.id)
                result = update(plan.simulate(), plan.values, actuals, plan.staging)
                return section(stored.scenario, plan, actuals, result)
    except (StoreError, ActualsError):
        return None
    return None
