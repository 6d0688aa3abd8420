"""Fixes in the dashboard's "Beyond one mass" panel: typed in or uploaded as CSV, and the ranking
by value per dollar, what the budget buys and the investment curve (``ui.segments_panel``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import streamlit as st

from model.assumptions import ScenarioError
from model.scenario import neutralise
from model.structure import StructuredRun, fixes_csv_example, parse_fixes_csv
from ui import segments_charts
from ui.format import escape_markdown, money, percent, signed_money
from ui.segments_state import current_structure, editor, set_structure
from ui.static_tables import show_static

FIX_COLUMNS = ("name", "capex", "opex_per_year", "churn_share", "low", "high", "segments",
               "build_months")
UPLOAD_KEY = "_fixes_upload"


def items_for_editor(fixes: list[dict[str, object]]) -> list[dict[str, object]]:
    out = []
    for f in fixes:
        share = f.get("churn_share")
        row = {**f}
        if isinstance(share, dict):
            row.update(churn_share=share["likely"], low=share["low"], high=share["high"])
        segs = f.get("segments", "all")
        row["segments"] = "all" if segs == "all" else "; ".join(segs)
        out.append(row)
    return out


def items_from_editor(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    out = []
    for row in rows:
        item = {k: v for k, v in row.items() if k not in ("low", "high", "segments")}
        if "low" in row or "high" in row:
            item["churn_share"] = {"low": row.get("low"), "likely": row.get("churn_share"),
                                   "high": row.get("high")}
        segs = str(row.get("segments", "all")).strip()
        if segs and segs.lower() != "all":
            item["segments"] = [s.strip() for s in segs.split(";") if s.strip()]
        if "build_months" in item and float(item["build_months"]).is_integer():
            item["build_months"] = int(item["build_months"])
        out.append(item)
    return out


def inputs(fixes: list[dict[str, object]], version: int) -> list[dict[str, object]]:
    """The fixes editor and CSV upload; the fixes as scenario-file items."""
    upload = st.file_uploader("Upload fixes (CSV)", type=["csv"], key=f"fixes_csv_{version}")
    st.download_button("Template (CSV)", fixes_csv_example(), "fixes.csv", "text/csv",
                       key="fixes_template")
    if upload is not None and st.session_state.get(UPLOAD_KEY) != upload.file_id:
        st.session_state[UPLOAD_KEY] = upload.file_id
        try:
            names = tuple(s.name for s in current_structure().segments)
            parsed = parse_fixes_csv(upload.getvalue(), names)
        except ScenarioError as e:
            st.error(escape_markdown(f"{upload.name}: {e}"), icon=":material/error:")
        else:
            set_structure(replace(current_structure(), fixes=parsed))
            st.rerun(scope="fragment")
    rows = editor(items_for_editor(fixes), FIX_COLUMNS, f"fix_editor_{version}",
                   "One row per broken experience: one-off cost, yearly run cost, the share of "
                   "today's churn it causes (low and high optional), “all” or segment names "
                   "separated by “;”, build months (empty: the scenario's).")
    return items_from_editor(rows)


def results(values: Mapping[str, object], result: StructuredRun) -> None:
    st.subheader("Fixes, by value per dollar")
    budget = float(result.run.values["investment"])
    bought = set(result.fixes_bought)
    table = [{
        "Rank": r["rank"], "Fix": neutralise(r["name"]),
        "One-off": money(r["capex"], compact=True),
        "Run cost a year": money(r["opex_per_year"], compact=True),
        "Share of churn": (percent(r["churn_share"], 1) if r["low"] == r["high"] else
                           f"{percent(r['churn_share'], 1)} ({percent(r['low'], 1)}–"
                           f"{percent(r['high'], 1)})"),
        "Hits": neutralise(r["segments"]),
        "Net ΔNPV alone": signed_money(r["delta_npv"], compact=True),
        "Per dollar, horizon": f"{r['value_per_dollar']:.2f}",
        "Per dollar, tenure": f"{r['value_per_dollar_in_tenure']:.2f}",
        "Bought": "yes" if r["name"] in bought else "no",
    } for r in result.fixes]
    show_static(table, app_text=True, hide_index=True)  # names neutralised above
    st.caption(f"The budget (the investment lever, {money(budget, compact=True)}) buys the fixes "
               "in this order, skipping any that no longer fit. Per dollar: the fix's net ΔNPV "
               "(or Δ inside the tenure) over its discounted one-off and run costs.")
    st.altair_chart(segments_charts.budget_curve_chart(result.budget_curve, budget),
                    width="stretch")
