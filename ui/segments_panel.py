"""The dashboard's "Beyond one mass" panel: segments, usage tiers and fixes typed in (or fixes
uploaded as CSV), checked like every other input, and what they show — the per-segment table,
where today's bad profits sit, vulture segments with the figure that makes them one, the tier
mix, net revenue retention and super users, and the fixes' ranking (``ui.fixes_panel``).

The current structure lives in ``ui.segments_state`` (nothing else keeps a copy); a link
carries it (``ui.share``). Text from a user is shown as text, never markdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import streamlit as st
from streamlit.errors import StreamlitAPIException

from model.assumptions import ScenarioError
from model.scenario import neutralise
from model.simulation import Run
from model.structure import (
    Structure,
    StructuredRun,
    parse_structure,
    segments_from_calibration,
)
from ui import fixes_panel, segments_charts, state, tiers_fit
from ui.format import escape_markdown, money, percent, signed_money
from ui.segments_state import (
    STRUCTURE_KEY,
    VERSION_KEY,
    cached_structured,
    current_structure,
    editor,
    set_structure,
)
from ui.static_tables import show_static

SEGMENT_COLUMNS = ("name", "share", "arpu", "churn", "bad_profit_share", "over_promise_share",
                   "cac", "honesty")
TIER_COLUMNS = ("name", "share", "arpu", "churn_multiplier", "referral_multiplier", "upgrade",
                "downgrade")


def _inputs(structure: Structure, values: Mapping[str, object]) -> Structure | None:
    """The three editors (and the fixes' CSV upload); the structure they hold, or None (and an
    error shown) when it cannot be used."""
    version = st.session_state.get(VERSION_KEY, 0)
    data = structure.to_dict()
    seg_tab, tier_tab, fix_tab = st.tabs(["Segments", "Usage tiers", "Fixes"])
    with seg_tab:
        calibration = state.current_baseline()
        if calibration is not None and st.button(
                "Start from the calibration's segments", key="seg_from_calibration",
                help="Each calibrated segment with its share of customers, revenue and yearly "
                     "churn; then give each its own bad profits, over-promising, CAC and "
                     "honesty."):
            set_structure(replace(structure, segments=segments_from_calibration(calibration)))
            st.rerun(scope="fragment")
        segments = editor(data.get("segments", []), SEGMENT_COLUMNS, f"seg_editor_{version}",
                           "One row per segment: its share of today's customers (all add up to "
                           "1); ARPU a month, yearly churn, bad-profit and over-promise shares, "
                           "CAC and honesty as fractions — empty cells take the scenario's "
                           "value.")
    with tier_tab:
        tiers = editor(data.get("tiers", []), TIER_COLUMNS, f"tier_editor_{version}",
                        "From the lightest use to the heaviest (the last row: super users). "
                        "Upgrade and downgrade are monthly probabilities of moving one tier.")
        tiers_fit.fit_panel(values, version)
    with fix_tab:
        fixes = fixes_panel.inputs(data.get("fixes", []), version)
    wanted: dict[str, object] = {}
    for key, items in (("segments", segments), ("tiers", tiers), ("fixes", fixes)):
        if items:
            wanted[key] = items
    try:
        return parse_structure(wanted)
    except ScenarioError as e:
        st.error(escape_markdown(f"Not used yet: {e}"), icon=":material/error:")
        return None


def verdict_run(values: Mapping[str, object], plain: Run) -> tuple[Run, str]:
    """The run the dashboard's verdict, metrics and charts show, and what it holds ("5 segments,
    3 tiers, 10 fixes"): the structured run when the scenario has segments, tiers or fixes, else
    ``plain`` and "". A structure that cannot run leaves the figures plain, with a warning (the
    panel below names the fix)."""
    structure = current_structure()
    if structure.empty:
        return plain, ""
    try:
        run = cached_structured(values, structure, state.current_baseline(), reports=False).run
    except ScenarioError as e:
        st.warning(escape_markdown(f"The figures are of one mass of customers: the segments, "
                                   f"tiers and fixes could not run ({e})."),
                   icon=":material/warning:")
        return plain, ""
    return run, structure.describe()


def _rerun_figures() -> None:
    """Run the dashboard's fragment again (a full run when this one is not a fragment rerun:
    Streamlit refuses a fragment rerun then)."""
    try:
        st.rerun(scope="fragment")
    except StreamlitAPIException:
        st.rerun()


def show(values: Mapping[str, object], present: bool) -> Structure:
    """The panel, one call from the dashboard; returns the structure in use (for the link)."""
    structure = current_structure()
    if present and structure.empty:
        return structure
    box = st.expander("Beyond one mass: segments, usage tiers and fixes", key="structure_open",
                      on_change="rerun", expanded=not structure.empty)
    if not box.open:  # built only while open: a lever move stays as fast as without it
        return structure
    with box:
        if not present:
            new = _inputs(structure, values)
            if new is not None and new != structure:  # the verdict above shows the new figures
                st.session_state[STRUCTURE_KEY] = new
                _rerun_figures()
        if structure.empty:
            st.caption("Add segments, tiers or fixes above: the verdict, metrics and charts "
                       "then show the scenario with them. Scenario files: docs/segments.md.")
            return structure
        try:
            result = cached_structured(values, structure, state.current_baseline())
        except ScenarioError as e:
            st.error(escape_markdown(str(e)), icon=":material/error:")
            return structure
        _results(values, result)
    return structure


def _results(values: Mapping[str, object], result: StructuredRun) -> None:
    # The verdict, metrics, notes and charts above are already this run's (``verdict_run``).
    st.caption(f"Where the figures above come from: {result.structure.describe()}.")
    if result.segments:
        _segments(result.segments)
    if result.tiers:
        _tiers(result.tiers)
    if result.fixes:
        fixes_panel.results(values, result)


def _segments(rows: list[dict[str, object]]) -> None:
    st.subheader("Segments")
    st.altair_chart(segments_charts.bad_profits_chart(rows), width="stretch")
    table = [{
        "Segment": neutralise(r["segment"]), "Customers": f"{r['customers']:,.0f}",
        "Revenue a year": money(r["revenue_per_year_today"], compact=True),
        "Bad-profit revenue a year": money(r["bad_profit_revenue_per_year_today"], compact=True),
        "Honest LTV": money(r["ltv_honest"]), "CAC": money(r["cac"]),
        "ΔNPV going honest alone": signed_money(r["delta_npv_honest_alone"], compact=True),
        "Its part of the scenario's ΔNPV": signed_money(r["delta_npv_in_scenario"],
                                                         compact=True),
        "Vulture": "yes" if r["vulture"] else "no",
    } for r in rows]
    show_static(table, app_text=True, hide_index=True)  # names neutralised above
    st.caption("Honest LTV: the discounted margin of a customer sold and billed honestly, at "
               "today's churn of the fairly sold; ΔNPV going honest alone: the segment at the "
               "scenario's honesty (its own where set), no investment, every other segment as "
               "today.")
    for r in rows:
        if r["vulture"]:
            st.warning(escape_markdown(f"Vulture segment “{r['segment']}”: "
                                       f"{r['vulture_reason']}"), icon=":material/warning:")


def _tiers(report: Mapping[str, object]) -> None:
    st.subheader("Usage tiers")
    st.altair_chart(segments_charts.tier_mix_chart(report), width="stretch")
    a, b, c = st.columns(3)
    a.metric("Net revenue retention, 12 months", percent(report["nrr_12_months_scenario"]),
             f"{(report['nrr_12_months_scenario'] - report['nrr_12_months_status_quo']) * 100:+.1f} "
             "points vs status quo")
    b.metric("Super users at the tenure end", f"{report['super_users_tenure_end_scenario']:,.0f}",
             f"{report['super_users_tenure_end_scenario'] - report['super_users_tenure_end_status_quo']:+,.0f} vs status quo")
    c.metric("Super users at the horizon end",
             f"{report['super_users_horizon_end_scenario']:,.0f}",
             f"{report['super_users_horizon_end_scenario'] - report['super_users_horizon_end_status_quo']:+,.0f} vs status quo")
    st.caption(f"Super users today: {report['super_users_today']:,.0f}. Net revenue retention: "
               "revenue of today's customers in month 13 over month 1 (churn, tier moves and "
               "the bills included).")
