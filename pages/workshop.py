"""Workspaces & workshops: one workspace per client, its bin, export/import, workshops, the report."""

from __future__ import annotations

import io
import json
from datetime import date

import segno
import streamlit as st

from model import library
from model.store import StoreError, open_store, scenarios, transfer
from model.store import workshops as shops
from model.workshop import results as workshop_results
from ui import comparison_report, report, workspace
from ui.format import escape_markdown, quoted
from ui.shell import require_app
from ui.workshop_links import base_url

require_app()

FLASH = "ws_flash"


def flash(kind: str, message: str) -> None:
    st.session_state[FLASH] = (kind, message)
    st.rerun()


def links(shop: shops.Workshop) -> None:
    join = f"{base_url()}/?join={shop.join_token}"
    facilitator = f"{base_url()}/?facilitator={shop.facilitator_token}"
    left, right = st.columns([3, 1])
    left.markdown("Join link for participants (show the QR code on the projector):")
    left.code(join, language=None)
    left.markdown("Your facilitator link — **keep it to yourself**; it opens the live view:")
    left.code(facilitator, language=None)
    buf = io.BytesIO()
    segno.make(join, error="m").save(buf, kind="png", scale=6, border=2)
    right.image(buf.getvalue(), caption="Join", width=180)


st.title("Workspaces & workshops")
current = workspace.select()
store = open_store()
if FLASH in st.session_state:
    kind, message = st.session_state.pop(FLASH)
    getattr(st, kind)(message)

# --- workshops ---------------------------------------------------------------------------------
st.header(f"Workshops in {quoted(current)}")
st.caption("Start a workshop: participants join from their phones with the join link or QR code, "
           "vote on the one question before and after the analysis and give their own estimates; "
           "the facilitator link opens the live view for the projector.")
with st.form("new_workshop", border=False):
    title = st.text_input("Title participants see", key="ws_title", max_chars=80,
                          placeholder="Leadership offsite")
    if st.form_submit_button("Start a workshop", type="primary"):
        try:
            made = shops.create(store, current, title)
            st.session_state["ws_made"] = made.id
            flash("success", f"Workshop {quoted(made.title)} started.")
        except StoreError as err:
            st.error(escape_markdown(str(err)))
try:
    existing = shops.list_for(store, current)
except StoreError as err:
    existing = []
    st.error(escape_markdown(str(err)))
for shop in reversed(existing):
    with st.expander(f"{escape_markdown(shop.title)} · {shop.created_at[:16].replace('T', ' ')} "
                     f"UTC · {shop.status}", expanded=shop.id == st.session_state.get("ws_made")):
        links(shop)

# --- the comparison report -----------------------------------------------------------------------
st.header("Comparison report")
usable = {e.name: e for e in library.list_entries() if e.values is not None}
picked = st.multiselect("Scenarios (1 to 5)", list(usable), key="rep_pick",
                        max_selections=comparison_report.MAX_SCENARIOS,
                        format_func=escape_markdown, default=list(usable)[:3])
with_shop = st.selectbox("With the votes and pooled ranges of", [None, *existing], key="rep_shop",
                         format_func=lambda k: "no workshop" if k is None else
                         escape_markdown(f"{k.title} ({k.created_at[:10]})"))
if picked and st.button("Build the report", key="rep_build", type="primary"):
    bar = st.progress(0.0, text="Building the report…")
    shop_part = None if with_shop is None else (with_shop.title,
                                                workshop_results(store, with_shop.id))
    st.session_state["rep_files"] = comparison_report.comparison_files(
        [(n, usable[n].note, usable[n].values) for n in picked], current, date.today(),
        shop_part, progress=lambda done, total, what: bar.progress(done / total, text=what))
    bar.empty()
files = st.session_state.get("rep_files")
if files:
    a, b, c = st.columns(3)
    a.download_button("Report (HTML)", files["comparison.html"], "comparison.html", "text/html",
                      key="rep_html", on_click="ignore")
    b.download_button("Results (CSV)", files["comparison.csv"], "comparison.csv", "text/csv",
                      key="rep_csv", on_click="ignore")
    c.download_button("Everything (ZIP with PNG charts)", report.report_zip(files, "comparison"),
                      f"{report.file_stem(current)}-comparison.zip", "application/zip",
                      key="rep_zip", on_click="ignore")

# --- workspaces ---------------------------------------------------------------------------------
st.header("Workspaces")
c1, c2 = st.columns(2)
with c1, st.form("new_ws", border=False):
    new_name = st.text_input("New workspace", key="ws_new", max_chars=library.MAX_NAME_LENGTH,
                             placeholder="Acme GmbH, 2027 strategy")
    if st.form_submit_button("Create workspace"):
        try:
            made = scenarios.create_workspace(store, new_name)
            st.session_state[workspace.KEY] = made.name
            flash("success", f"Workspace {quoted(made.name)} created with the preset scenarios.")
        except StoreError as err:
            st.error(escape_markdown(str(err)))
with c2:
    try:
        exported = json.dumps(transfer.export_workspace(store, current), indent=2,
                              ensure_ascii=False).encode()
    except StoreError as err:
        exported = b""
        st.error(escape_markdown(str(err)))
    st.download_button("Export this workspace (JSON)", key="ws_export", on_click="ignore",
                       data=exported,
                       file_name=f"workspace-{date.today()}.json", mime="application/json")
    upload = st.file_uploader("Import a workspace (JSON)", type=["json"], key="ws_upload")
    if upload is not None and st.button("Import it", key="ws_import"):
        try:
            made = transfer.import_workspace(store, transfer.read_workspace_file(upload.getvalue()),
                                             st.session_state.get("ws_import_name") or None)
            st.session_state[workspace.KEY] = made.name
            flash("success", f"Imported {quoted(made.name)} ({made.scenarios} scenarios).")
        except StoreError as err:
            st.error(escape_markdown(str(err)))
    st.text_input("Import under another name (optional)", key="ws_import_name",
                  max_chars=library.MAX_NAME_LENGTH)
if st.button(f"Delete workspace {quoted(current)}", key="ws_delete"):
    try:
        scenarios.delete_workspace(store, current)
        st.session_state.pop(workspace.KEY, None)
        st.query_params.pop(workspace.PARAM, None)
        flash("info", f"Workspace {quoted(current)} moved to the bin; restore it below.")
    except StoreError as err:
        st.error(escape_markdown(str(err)))

# --- the bins -----------------------------------------------------------------------------------
st.header("Bin")
st.caption("Deleted scenarios and workspaces stay here until you remove them for good.")
try:
    gone_ws = scenarios.list_workspaces(store, deleted=True)
    gone = library.deleted_entries()
except StoreError as err:
    gone_ws, gone = [], []
    st.error(escape_markdown(str(err)))
if not gone_ws and not gone:
    st.caption("The bin is empty.")
for i, w in enumerate(gone_ws):
    a, b, c = st.columns([3, 1, 1])
    a.markdown(f"Workspace {quoted(w.name)} ({w.scenarios} scenarios)")
    if b.button("Restore", key=f"ws_restore_{i}"):
        try:
            scenarios.restore_workspace(store, w.name)
            flash("success", f"Workspace {quoted(w.name)} restored.")
        except StoreError as err:
            st.error(escape_markdown(str(err)))
    if c.button("Remove for good", key=f"ws_purge_{i}"):
        scenarios.purge_workspace(store, w.name)
        flash("info", f"Workspace {quoted(w.name)} removed for good.")
for i, e in enumerate(gone):
    a, b, c = st.columns([3, 1, 1])
    a.markdown(f"Scenario {quoted(e.name)} (deleted {e.deleted_at[:16].replace('T', ' ')} UTC)")
    if b.button("Restore", key=f"sc_restore_{i}"):
        try:
            library.restore(e.name)
            flash("success", f"Scenario {quoted(e.name)} restored.")
        except StoreError as err:
            st.error(escape_markdown(str(err)))
    if c.button("Remove for good", key=f"sc_purge_{i}"):
        library.purge(e.name)
        flash("info", f"Scenario {quoted(e.name)} removed for good.")
