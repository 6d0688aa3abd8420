"""The Track page's sections: commit a plan, pick one, enter actuals (typed, CSV, customer file),
and what the actuals say — the gate's verdict, the odds before and now, the response's posterior,
the actuals on the plan's fan and each month's surprise in words.

Every message about a bad file or cell is the reader's own sentence (line, column, fix), shown as
text; nothing is stored unless it was read whole.
"""

from __future__ import annotations

from datetime import date
from html import escape as html_escape

import pandas as pd
import streamlit as st

from model.assumptions import ScenarioError
from model.library import Library, StoredPlan, StoreError
from model.tracking import (
    COLUMNS,
    LIKELIHOOD,
    Actuals,
    ActualsError,
    Plan,
    Staging,
    actuals_from_customers,
    actuals_from_frame,
    read_actuals,
    template_csv,
)
from ui import flash, track_charts, track_report, track_runs
from ui.format import escape_dollars, escape_markdown
from ui.static_tables import show_static

ENTRY = ("Type them", "Upload a CSV", "From a customer file")


def next_month() -> str:
    today = date.today()
    return f"{today.year + today.month // 12:04d}-{today.month % 12 + 1:02d}"


def staging_inputs(prefix: str, container=st) -> Staging | None:
    """Pilot share, gate month and threshold (None when staging is off); the criterion is read
    back as a sentence."""
    if not container.toggle("Stage the investment (pilot first, a gate to release the rest)",
                            key=f"{prefix}_staged", value=True):
        return None
    a, b, c = container.columns(3)
    pilot = a.slider("Pilot share of the investment", 0.05, 0.95, 0.3, 0.05, format="%.2f",
                     key=f"{prefix}_pilot")
    gate = b.number_input("Gate month", 1, 119, 12, 1, key=f"{prefix}_gate")
    threshold = c.slider("Release the rest if P(customers respond) is at least", 0.0, 1.0, 0.7,
                         0.05, format="%.2f", key=f"{prefix}_threshold")
    staging = Staging(float(pilot), int(gate), float(threshold))
    container.info(staging.sentence(), icon=":material/flag:")
    return staging


def commit_form(lib: Library) -> None:
    """Freeze a saved scenario as the plan."""
    names = lib.names()
    if not names:
        st.info("Save a scenario first (Scenarios & compare), then commit it here.")
        return
    left, right = st.columns(2)
    entries = {e.name: e.values for e in lib.entries() if e.values is not None}
    changed = [n for n in names if entries.get(n) and (entries[n]["honesty"] > 0
                                                       or entries[n]["investment"] > 0)]
    scenario = left.selectbox("Saved scenario", names, key="track_scenario",
                              index=names.index(changed[0]) if changed else 0)
    start = right.text_input("Plan month 1 (YYYY-MM)", next_month(), key="track_start")
    staging = staging_inputs("track")
    if st.button("Commit this plan", key="track_commit", type="primary"):
        try:
            stored, _ = lib.commit_plan(scenario, start, staging=staging)
        except (StoreError, ScenarioError) as e:
            st.error(escape_markdown(str(e)))
            return
        st.session_state["track_plan"] = stored.id
        flash.rerun_with("success", f"Committed {escape_markdown(stored.scenario)} as plan "
                         f"{stored.id}. It cannot be edited; committing again supersedes it.")


def plan_label(p: StoredPlan) -> str:
    state = "live" if p.live else f"superseded by {p.superseded_by}"
    return f"{p.scenario} · {p.id} · committed {p.created_at[:10]} ({state})"


def choose_plan(lib: Library) -> tuple[StoredPlan, Plan] | None:
    plans = lib.plans()
    if not plans:
        return None
    ids = [p.id for p in plans]
    if st.session_state.get("track_plan") not in ids:
        st.session_state["track_plan"] = ids[0]
    by_id = {p.id: p for p in plans}
    chosen = st.selectbox("Plan", ids, key="track_plan", format_func=lambda i: plan_label(by_id[i]),
                          help="Plans are never edited; a new commit of the same scenario "
                               "supersedes the old one, which stays here.")
    return lib.plan(chosen)


def describe_plan(stored: StoredPlan, plan: Plan) -> None:
    st.markdown(f"Plan of {escape_markdown(stored.scenario)}, month 1 = {plan.start_month}, "
                f"{plan.draws:,} draws (seed {plan.seed}), committed by "
                f"{escape_markdown(stored.created_by)} on {stored.created_at[:10]}.")
    if plan.staging:
        st.info(plan.staging.sentence(), icon=":material/flag:")
    st.markdown(escape_dollars(track_runs.when(plan).text))


def _show_problems(e: ActualsError) -> None:
    st.error("Nothing was saved. " + escape_markdown(f"{len(e.problems)} problem(s):"))
    for line in e.lines()[:20]:
        st.markdown("- " + escape_markdown(line))


def _save(lib: Library, stored: StoredPlan, actuals: Actuals, source: str) -> None:
    saved = lib.save_actuals(stored.id, actuals, source)
    flash.rerun_with("success", f"Saved {len(actuals)} months of actuals (version "
                     f"{saved.version}; earlier versions are kept).")


def actuals_entry(lib: Library, stored: StoredPlan, plan: Plan, current: Actuals | None) -> None:
    history = lib.actuals_history(stored.id)
    if history:
        last = history[-1]
        st.caption(f"Version {last.version} of the actuals, saved from {escape_markdown(last.source)}"
                   f" by {escape_markdown(last.saved_by)} on {last.saved_at[:16].replace('T', ' ')}"
                   " (UTC); every earlier version is kept.")
    st.download_button("Download the template (CSV)", template_csv(), "actuals_template.csv",
                       "text/csv", key="track_template")
    how = st.radio("How", ENTRY, horizontal=True, key="track_entry", label_visibility="collapsed")
    if how == ENTRY[0]:
        frame = (current.to_frame() if current is not None
                 else pd.DataFrame({c: pd.Series(dtype=float) for c in COLUMNS}))
        edited = st.data_editor(frame, num_rows="dynamic", key="track_editor", hide_index=True)
        if st.button("Save the table", key="track_save_table"):
            try:
                _save(lib, stored, actuals_from_frame(edited, plan.start_month,
                                                      plan.horizon_months), "table")
            except ActualsError as e:
                _show_problems(e)
    elif how == ENTRY[1]:
        st.caption("Columns: " + ", ".join(COLUMNS) + " (trust optional). Month is the plan's "
                   "month (1, 2, …) or YYYY-MM.")
        file = st.file_uploader("Actuals CSV", type=["csv", "txt"], key="track_upload")
        if file is not None:
            try:
                actuals = read_actuals(file.getvalue(), plan.start_month, plan.horizon_months)
            except ActualsError as e:
                _show_problems(e)
            else:
                st.success(f"Read {len(actuals)} months.")
                if st.button("Save these actuals", key="track_save_upload", type="primary"):
                    _save(lib, stored, actuals, "csv")
    else:
        st.caption("One row per customer with a start date and an end date (blank: still "
                   "active); monthly counts are made from it.")
        file = st.file_uploader("Customer file", type=["csv", "txt", "gz"], key="track_customers")
        if file is not None:
            try:
                actuals = actuals_from_customers(file.getvalue(), plan.start_month, file.name)
            except ActualsError as e:
                _show_problems(e)
            else:
                for note in actuals.notes:
                    st.caption(escape_markdown(note))
                show_static(actuals.to_frame().astype(object).where(actuals.to_frame().notna(), ""))
                if st.button("Save these monthly actuals", key="track_save_customers"):
                    _save(lib, stored, actuals, "customers")


def verdict(stored: StoredPlan, plan: Plan, actuals: Actuals) -> None:
    """What the actuals say (see the module docstring)."""
    result = track_runs.weigh(plan, actuals.to_csv())
    gate = result.gate
    if gate is not None:
        show = {"continue": st.success, "stop": st.error}.get(gate.decision, st.info)
        show(f"Gate: {gate.decision}. " + gate.reason, icon=":material/flag:")
    show_static(pd.DataFrame(track_charts.odds_rows(result)).set_index(""), app_text=True)
    st.caption(f"Evidence: {len(result.months)} months. Likelihood — {LIKELIHOOD}. Effective "
               f"sample size {result.effective_sample_size:,.0f} of {len(result.weights):,} draws"
               f" ({'importance weights on the draws' if result.method == 'draws' else 'tempered weights, see below'}).")
    weight_notes = [n for n in result.notes if "effective sample size" in n]
    for note in weight_notes:
        st.warning(escape_markdown(note))
    data_notes = [n for n in result.notes if n not in weight_notes]
    if data_notes:
        with st.expander(f"{len(data_notes)} note(s) on the actuals themselves"):
            for note in data_notes:
                st.markdown("- " + escape_markdown(note))
    d = track_runs.draws(plan)
    st.altair_chart(track_charts.response_chart(track_charts.response_frame(d.response, result)),
                    width="stretch", key="track_response")
    left, right = st.columns(2)
    for i, metric in enumerate(("churned", "new_customers", "customers", "revenue")):
        (left if i % 2 == 0 else right).altair_chart(
            track_charts.fan_chart(plan, actuals, metric), width="stretch", key=f"track_fan_{metric}")
    board = track_report.section(stored.scenario, plan, actuals, result)
    a, b = st.columns(2)
    a.download_button("Board summary (HTML, paste into a board pack)",
                      f"<!doctype html><meta charset=utf-8><title>{html_escape(board.title)}</title>"
                      f"{board.html}".encode(), "plan_vs_actual.html", "text/html",
                      key="track_board_html", on_click="ignore")
    b.download_button("Monthly plan against actual (CSV)", board.csv, "plan_vs_actual.csv",
                      "text/csv", key="track_board_csv", on_click="ignore")
    st.subheader("Each month against the plan")
    rows = track_charts.surprise_rows(result)
    if rows:
        show_static(pd.DataFrame(rows[:48]).set_index("Month"), app_text=True)
