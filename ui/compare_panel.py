"""The Scenarios & compare page's compare and report sections: up to five scenarios side by side
(the current view among them), and the leave-behind report of one of them."""

from __future__ import annotations

from datetime import date

import streamlit as st

from model.library import Entry, name_key
from model.scenario import dump_scenario
from model.structure import run_structured
from ui import compare_charts, report, state
from ui.format import quoted
from ui.segments_state import current_structure
from ui.static_tables import show_static

CURRENT = "Current view"


def current_label(usable: dict) -> str:
    """"Current view", made distinct from any saved name (a scenario may be called that too)."""
    label = CURRENT
    while name_key(label) in {name_key(n) for n in usable}:
        label += " (unsaved)"
    return label


def _run(values: dict, structure, baseline):
    """The plain run (cached), or the structured one when the scenario has segments, tiers or
    fixes."""
    if structure is None or structure.empty:
        return state.cached_run(values, baseline)
    return run_structured(values, structure, baseline).run


def compare(values: dict, usable: dict, baseline, structures: dict | None = None) -> None:
    """Two to five scenarios side by side: both overlays and the table of differences
    (``structures``: each saved scenario's segments, tiers and fixes by name)."""
    label = current_label(usable)
    options = [label, *usable]
    default = [label] + [n for n in usable if n != label][:1]
    chosen = st.multiselect("Scenarios to compare (2 to 5, the first is the reference)", options,
                            default=default, max_selections=5, key="cmp_pick")
    if len(chosen) < 2:
        st.info("Choose at least two scenarios to compare them.")
        return
    try:
        structures = structures or {}
        items = [(n, _run(values, current_structure(), baseline) if n == label
                  else _run(usable[n], structures.get(n), baseline)) for n in chosen]
    except (ValueError, ArithmeticError):  # a calibration the model cannot use
        st.error("These scenarios could not be run with the current baseline. Reset the "
                 "calibration on the dashboard or choose other scenarios.",
                 icon=":material/warning:")
        return
    st.altair_chart(compare_charts.profit_overlay(items), width="stretch", key="cmp_profit")
    st.altair_chart(compare_charts.delta_overlay(items), width="stretch", key="cmp_delta")
    st.markdown(f"**Side by side** — differences are to {quoted(chosen[0])}.")
    show_static(compare_charts.metrics_table(items), app_text=True)  # uncut; names wrap


def report_section(values: dict, usable: dict, entries: list[Entry], baseline,
                   calibration) -> None:
    """Build the report of one scenario under a progress bar, then offer its files."""
    label = current_label(usable)
    report_on = st.selectbox("Report on", [label, *usable], key="rep_pick")
    report_values = values if report_on == label else usable[report_on]
    report_note = next((e.note for e in entries if e.name == report_on), None)
    today = date.today()
    stem = f"one-question-{report.file_stem(report_on)}-{today.isoformat()}"
    cal_label = calibration.label if calibration is not None else None
    spec = (dump_scenario(report_values), report_on, report_note, cal_label, today)
    if st.button("Build the report", key="rep_build", type="primary",
                 help="Draws the charts and writes the page: a few seconds."):
        bar = st.progress(0.0, text="Building the report…")
        st.session_state["rep_built"] = (spec, report.cached_report_files(
            report_values, report_on, today, baseline, cal_label, report_note,
            progress=lambda done, total, what: bar.progress(done / total, text=what)))
        bar.empty()
    built = st.session_state.get("rep_built")
    if built is not None and built[0] == spec:  # files of exactly this choice, or none
        files = built[1]
        zip_c, html_c = st.columns(2)
        zip_c.download_button("Download the report (ZIP: HTML, CSV, charts)",
                              report.report_zip(files, stem), file_name=f"{stem}.zip",
                              mime="application/zip", key="rep_zip", type="primary",
                              on_click="ignore")
        html_c.download_button("Download the HTML report only", files["report.html"],
                               file_name=f"{stem}.html", mime="text/html", key="rep_html",
                               on_click="ignore")
    st.caption("The HTML file is self-contained (charts embedded): e-mail it or open it offline. "
               "It carries the scenario's note; the CSV holds the monthly table of both "
               "strategies. The same files come from `python cli.py report SCENARIO.json --out "
               "DIR`.")
