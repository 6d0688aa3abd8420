"""The scenario library's widget groups on the Scenarios & compare page: save the current view, the
list, work with one saved scenario (load, copy, export, delete with confirmation, rename), and
import / export of scenario files. Every name, note and message from a user or a file is escaped.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from model.assumptions import ScenarioError, non_defaults
from model.library import MAX_NAME_LENGTH, MAX_NOTE_LENGTH, Entry, Library, StoreError
from model.structure import dump_structured, parse_structured
from ui import flash, report, segments_state, state
from ui.format import escape_markdown, quoted
from ui.static_tables import show_static

PENDING_DELETE_KEY = "compare_pending_delete"
SELECT_NEXT_KEY = "compare_select_next"  # name to select in "Saved scenario" after a rerun
MESSAGE_LIMIT = 300  # characters of an error shown on the page; quoted values are cut before


def show_error(err: Exception) -> None:
    st.error(escape_markdown(str(err), limit=MESSAGE_LIMIT), icon=":material/warning:")


def done(message: str, select: str | None = None) -> None:
    """Say what was done on the next run (selecting ``select`` in the list), then rerun."""
    if select is not None:
        st.session_state[SELECT_NEXT_KEY] = select
    flash.rerun_with("success", message)


def read_entries(lib: Library) -> list[Entry]:
    """The workspace's scenarios; on a store error a sentence, and the page goes on without them."""
    try:
        return lib.entries()
    except StoreError as err:
        show_error(err)
        return []


def save_form(lib: Library, values: dict) -> None:
    with st.form("save_form", clear_on_submit=False, border=True):
        st.subheader("Save the current view")
        name = st.text_input("Name", key="lib_save_name", max_chars=MAX_NAME_LENGTH,
                             placeholder="e.g. Bold, board meeting")
        note = st.text_area("Note (optional)", key="lib_save_note", height=80,
                            max_chars=MAX_NOTE_LENGTH)
        overwrite = st.checkbox("Replace a saved scenario with the same name",
                                key="lib_save_overwrite")
        if st.form_submit_button("Save", key="lib_save", type="primary"):
            try:
                saved = lib.save(name, values, note, overwrite=overwrite,
                                 structure=segments_state.current_structure())
            except StoreError as err:
                show_error(err)
            else:
                done(f"Saved {quoted(saved.name)}.", select=saved.name)


def saved_list(lib: Library, entries: list[Entry]) -> None:
    st.subheader("Saved scenarios")
    if not entries:
        st.info("The library is empty. Save the current view, import a file, or bring back the "
                "presets.")
        if st.button("Add the presets (Status quo, Cautious, Bold)", key="lib_restore_presets"):
            done(f"Added {len(lib.restore_presets())} presets.")
        return
    # Shown whole (names and notes wrap, nothing cut); every cell escaped (ui.static_tables).
    show_static([{"Name": e.name, "Note": e.note,
                  "Saved": e.updated_at.replace("T", " ").replace("+00:00", " UTC"),
                  "Created": e.created_at[:10],
                  "Status": "ok" if e.error is None else f"cannot be used: {e.error}"}
                 for e in entries], hide_index=True)


def _delete_confirmation(lib: Library) -> None:
    pending = st.session_state.get(PENDING_DELETE_KEY)
    if pending is None:
        return
    st.warning(f"Delete {quoted(pending)} for everyone who uses this workspace? It moves to the "
               "bin (Workspaces & workshops page), where it can be restored until it is removed "
               "for good; it cannot be undone on this page.")
    yes, no = st.columns(2)
    if yes.button("Yes, delete it", key="lib_delete_confirm", type="primary"):
        st.session_state.pop(PENDING_DELETE_KEY, None)
        try:
            lib.delete(pending)
        except StoreError as err:
            show_error(err)
        else:
            done(f"Deleted {quoted(pending)}.")
    if no.button("Cancel", key="lib_delete_cancel"):
        st.session_state.pop(PENDING_DELETE_KEY, None)
        st.rerun()


def work_with(lib: Library, entries: list[Entry]) -> None:
    """One saved scenario: load it, copy it, export it, delete it (asks first), rename it."""
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
            state.set_values(lib.load(picked), name=picked)
            segments_state.set_structure(entry.structure)
        except (StoreError, ScenarioError) as err:
            show_error(err)
        else:
            done(f"Loaded {quoted(picked)}: the sidebar and every page now show it.")
    if dup_c.button("Duplicate", key="lib_duplicate"):
        try:
            copy = lib.duplicate(picked)
        except StoreError as err:
            show_error(err)
        else:
            done(f"Saved a copy as {quoted(copy.name)}.", select=copy.name)
    if entry.values is not None:
        export_c.download_button(
            "Export as JSON", dump_structured(entry.values, entry.structure).encode("utf-8"),
            file_name=f"{report.file_stem(picked)}.json", mime="application/json",
            key="lib_export_saved", on_click="ignore")
    if delete_c.button("Delete…", key="lib_delete"):
        st.session_state[PENDING_DELETE_KEY] = picked
    _delete_confirmation(lib)
    with st.expander("Rename"):
        new_name = st.text_input("New name", key="lib_rename_to", max_chars=MAX_NAME_LENGTH)
        if st.button("Rename", key="lib_rename"):
            try:
                renamed = lib.rename(picked, new_name)
            except StoreError as err:
                show_error(err)
            else:
                done(f"Renamed {quoted(picked)} to {quoted(renamed.name)}.", select=renamed.name)


def _imported(lib: Library, upload) -> None:
    file = escape_markdown(upload.name, limit=100)
    try:
        # size, depth and numbers are capped; segments, tiers and fixes come along
        imported, structure = parse_structured(upload.getvalue())
    except ScenarioError as err:
        st.error(f"Cannot import {file}: {escape_markdown(str(err), limit=MESSAGE_LIMIT)}. "
                 "Nothing was saved; fix the file and upload it again.", icon=":material/warning:")
        return
    st.success(f"{file} is a valid scenario ({len(non_defaults(imported))} values differ from "
               "the defaults).")
    import_name = st.text_input("Save it as", value=Path(upload.name).stem, key="lib_import_name",
                                max_chars=MAX_NAME_LENGTH)
    a, b = st.columns(2)
    if a.button("Save to the library", key="lib_import_save"):
        try:
            saved = lib.save(import_name, imported, f"Imported from {upload.name}",
                             structure=structure)
        except StoreError as err:
            show_error(err)
        else:
            done(f"Imported as {quoted(saved.name)}.", select=saved.name)
    if b.button("Load into the dashboard", key="lib_import_load"):
        state.set_values(imported)
        segments_state.set_structure(structure)
        done(f"Loaded {file} into the dashboard.")


def import_export(lib: Library, values: dict) -> None:
    st.subheader("Import and export")
    imp_col, exp_col = st.columns(2)
    with imp_col:
        upload = st.file_uploader(
            "Import a scenario (JSON, the format of `python cli.py run`)", type=["json"],
            key="lib_import_file",
            help="A JSON object of assumption name → value; names left out take their defaults.")
        if upload is not None:
            _imported(lib, upload)
    with exp_col:
        current = dump_structured(values, segments_state.current_structure())
        st.download_button("Export the current view as JSON", current.encode(),
                           file_name="scenario.json", mime="application/json",
                           key="lib_export_current", on_click="ignore")
        st.caption("Run an exported file from the command line with `python cli.py run FILE`.")
