"""Scenarios & compare: the scenario library, import/export, side-by-side comparison, the report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import streamlit as st

from model import library
from model.assumptions import ScenarioError, non_defaults
from model.library import LibraryError
from model.scenario import dump_scenario, parse_scenario
from ui import compare_charts, report, state, workspace
from ui.format import escape_markdown, quoted
from ui.shell import require_app
from ui.static_tables import show_static
from ui.widgets import render_sidebar

require_app()

FLASH_KEY = "compare_flash"  # (kind, message) shown once after an action and its rerun
PENDING_DELETE_KEY = "compare_pending_delete"
SELECT_NEXT_KEY = "compare_select_next"  # name to select in "Saved scenario" after a rerun
MESSAGE_LIMIT = 300  # characters of an error shown on the page; quoted values are cut before


def flash(kind: str, message: str, select: str | None = None) -> None:
    """Remember a message for the next run, then rerun so the list and the sidebar refresh."""
    st.session_state[FLASH_KEY] = (kind, message)
    if select is not None:
        st.session_state[SELECT_NEXT_KEY] = select
    st.rerun()


def show_error(err: Exception) -> None:
    st.error(escape_markdown(str(err), limit=MESSAGE_LIMIT), icon=":material/warning:")


st.title("Scenarios & compare")
values = render_sidebar()
workspace.select()  # the library below shows the workspace chosen in the sidebar
baseline = state.current_baseline()
calibration = state.current_calibration()
st.caption("Save the view you are looking at under a name, compare up to five scenarios side by "
           "side and take a report away. Saved scenarios are kept in a file on the server and "
           "survive restarts.")
if calibration is not None:
    st.info(f"Every scenario here runs on the baseline calibrated from your churn data "
            f"({escape_markdown(calibration.label)}).", icon=":material/dataset:")

try:
    entries = library.list_entries()
except LibraryError as err:  # the file cannot be opened: the rest of the page still works
    entries = []
    show_error(err)
except Exception:  # noqa: BLE001 - one bad stored row must not take the page down for everyone
    entries = []
    st.error("The scenario library could not be read; the rest of the page still works. Ask the "
             "person who runs the app to check the library.", icon=":material/warning:")
usable = {e.name: e.values for e in entries if e.values is not None}

# --- Library ----------------------------------------------------------------------------------
st.header("Library")
if FLASH_KEY in st.session_state:
    kind, message = st.session_state.pop(FLASH_KEY)
    getattr(st, kind)(message)

save_col, list_col = st.columns([1, 2])
with save_col, st.form("save_form", clear_on_submit=False, border=True):
    st.subheader("Save the current view")
    name = st.text_input("Name", key="lib_save_name", max_chars=library.MAX_NAME_LENGTH,
                         placeholder="e.g. Bold, board meeting")
    note = st.text_area("Note (optional)", key="lib_save_note", height=80,
                        max_chars=library.MAX_NOTE_LENGTH)
    overwrite = st.checkbox("Replace a saved scenario with the same name", key="lib_save_overwrite")
    if st.form_submit_button("Save", key="lib_save", type="primary"):
        try:
            saved = library.save(name, values, note, overwrite=overwrite)
        except LibraryError as err:
            show_error(err)
        else:
            flash("success", f"Saved {quoted(saved.name)}.", select=saved.name)

with list_col:
    st.subheader("Saved scenarios")
    if not entries:
        st.info("The library is empty. Save the current view, import a file, or bring back the "
                "presets.")
        if st.button("Add the presets (Status quo, Cautious, Bold)", key="lib_restore_presets"):
            added = library.restore_presets()
            flash("success", f"Added {len(added)} presets.")
    else:
        # Shown whole (names and notes wrap, nothing cut); every cell escaped (ui.static_tables).
        show_static(
            [{"Name": e.name, "Note": e.note,
              "Saved": e.updated_at.replace("T", " ").replace("+00:00", " UTC"),
              "Created": e.created_at[:10],
              "Status": "ok" if e.error is None else f"cannot be used: {e.error}"}
             for e in entries],
            hide_index=True)

if entries:
    st.subheader("Work with a saved scenario")
    names = [e.name for e in entries]
    if st.session_state.get(SELECT_NEXT_KEY) in names:
        st.session_state["lib_pick"] = st.session_state.pop(SELECT_NEXT_KEY)
    picked = st.selectbox("Saved scenario", names, key="lib_pick")
    entry = next(e for e in entries if e.name == picked)
    if entry.error is not None:
        st.warning(f"This saved scenario can no longer be used ({escape_markdown(entry.error)}). "
                   "Delete it, or load a file and save it again under this name.")
    load_c, dup_c, export_c, delete_c = st.columns(4)
    if load_c.button("Load into the dashboard", key="lib_load", type="primary",
                     disabled=entry.values is None,
                     help="Replaces the current view; the sidebar and every page show it."):
        try:
            state.set_values(library.load(picked), name=picked)
        except (LibraryError, ScenarioError) as err:
            show_error(err)
        else:
            flash("success", f"Loaded {quoted(picked)}: the sidebar and every page now show it.")
    if dup_c.button("Duplicate", key="lib_duplicate"):
        try:
            copy = library.duplicate(picked)
        except LibraryError as err:
            show_error(err)
        else:
            flash("success", f"Saved a copy as {quoted(copy.name)}.", select=copy.name)
    if entry.values is not None:
        export_c.download_button(
            "Export as JSON", dump_scenario(entry.values).encode("utf-8"),
            file_name=f"{report.file_stem(picked)}.json", mime="application/json",
            key="lib_export_saved", on_click="ignore")
    if delete_c.button("Delete…", key="lib_delete"):
        st.session_state[PENDING_DELETE_KEY] = picked
    pending = st.session_state.get(PENDING_DELETE_KEY)
    if pending is not None:
        st.warning(f"Delete {quoted(pending)} for everyone who uses this library? This cannot be "
                   "undone.")
        yes, no = st.columns(2)
        if yes.button("Yes, delete it", key="lib_delete_confirm", type="primary"):
            st.session_state.pop(PENDING_DELETE_KEY, None)
            try:
                library.delete(pending)
            except LibraryError as err:
                show_error(err)
            else:
                flash("success", f"Deleted {quoted(pending)}.")
        if no.button("Cancel", key="lib_delete_cancel"):
            st.session_state.pop(PENDING_DELETE_KEY, None)
            st.rerun()

    with st.expander("Rename"):
        new_name = st.text_input("New name", key="lib_rename_to",
                                 max_chars=library.MAX_NAME_LENGTH)
        if st.button("Rename", key="lib_rename"):
            try:
                renamed = library.rename(picked, new_name)
            except LibraryError as err:
                show_error(err)
            else:
                flash("success", f"Renamed {quoted(picked)} to {quoted(renamed.name)}.",
                      select=renamed.name)

# --- Import / export ----------------------------------------------------------------------------
st.subheader("Import and export")
imp_col, exp_col = st.columns(2)
with imp_col:
    upload = st.file_uploader(
        "Import a scenario (JSON, the format of `python cli.py run`)", type=["json"],
        key="lib_import_file",
        help="A JSON object of assumption name → value; names left out take their defaults.")
    if upload is not None:
        try:
            imported = parse_scenario(upload.getvalue())  # size, depth and numbers are capped
        except ScenarioError as err:
            st.error(f"Cannot import {escape_markdown(upload.name, limit=100)}: "
                     f"{escape_markdown(str(err), limit=MESSAGE_LIMIT)}. "
                     "Nothing was saved; fix the file and upload it again.", icon=":material/warning:")
        else:
            changed = len(non_defaults(imported))
            st.success(f"{escape_markdown(upload.name, limit=100)} is a valid scenario ({changed} values differ "
                       "from the defaults).")
            import_name = st.text_input("Save it as", value=Path(upload.name).stem,
                                        key="lib_import_name", max_chars=library.MAX_NAME_LENGTH)
            a, b = st.columns(2)
            if a.button("Save to the library", key="lib_import_save"):
                try:
                    saved = library.save(import_name, imported, f"Imported from {upload.name}")
                except LibraryError as err:
                    show_error(err)
                else:
                    flash("success", f"Imported as {quoted(saved.name)}.", select=saved.name)
            if b.button("Load into the dashboard", key="lib_import_load"):
                state.set_values(imported)
                flash("success", f"Loaded {escape_markdown(upload.name, limit=100)} into the "
                      "dashboard.")
with exp_col:
    st.download_button("Export the current view as JSON", dump_scenario(values).encode("utf-8"),
                       file_name="scenario.json", mime="application/json",
                       key="lib_export_current", on_click="ignore")
    st.caption("Run an exported file from the command line with `python cli.py run FILE`.")

# --- Compare ------------------------------------------------------------------------------------
st.header("Compare")
current_label = "Current view"
while library.name_key(current_label) in {library.name_key(n) for n in usable}:
    current_label += " (unsaved)"  # a saved scenario may be called "Current view" too
options = [current_label, *usable]
default = [current_label] + [n for n in usable if n != current_label][:1]
chosen = st.multiselect("Scenarios to compare (2 to 5, the first is the reference)", options,
                        default=default, max_selections=5, key="cmp_pick")
items: list = []
if len(chosen) < 2:
    st.info("Choose at least two scenarios to compare them.")
else:
    try:
        items = [(label, state.cached_run(values if label == current_label else usable[label],
                                          baseline)) for label in chosen]
    except (ValueError, ArithmeticError):  # a calibration the model cannot use
        st.error("These scenarios could not be run with the current baseline. Reset the "
                 "calibration on the dashboard or choose other scenarios.",
                 icon=":material/warning:")
if items:
    st.altair_chart(compare_charts.profit_overlay(items), width="stretch", key="cmp_profit")
    st.altair_chart(compare_charts.delta_overlay(items), width="stretch", key="cmp_delta")
    st.markdown(f"**Side by side** — differences are to {quoted(chosen[0])}.")
    show_static(compare_charts.metrics_table(items), app_text=True)  # uncut; names wrap

# --- Report -------------------------------------------------------------------------------------
st.header("Report")
report_on = st.selectbox("Report on", options, key="rep_pick")
report_values = values if report_on == current_label else usable[report_on]
report_note = next((e.note for e in entries if e.name == report_on), None)
today = date.today()
stem = f"one-question-{report.file_stem(report_on)}-{today.isoformat()}"
cal_label = calibration.label if calibration is not None else None
spec = (dump_scenario(report_values), report_on, report_note, cal_label, today)
if st.button("Build the report", key="rep_build", type="primary",
             help="Draws the charts and writes the page: a few seconds."):
    bar = st.progress(0.0, text="Building the report…")

    def step(done: int, total: int, what: str) -> None:
        bar.progress(done / total, text=what)

    st.session_state["rep_built"] = (spec, report.cached_report_files(
        report_values, report_on, today, baseline, cal_label, report_note, progress=step))
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
           "It carries the scenario's note; the CSV holds the monthly table of both strategies. "
           "The same files come from `python cli.py report SCENARIO.json --out DIR`.")
