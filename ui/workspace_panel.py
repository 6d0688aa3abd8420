"""The Workspaces & workshops page's widget groups: start a workshop and show its links, the
comparison report, create / export / import / delete a workspace, its members, and the bin.

Every action that changes what the page lists says what it did on the next run (``ui.flash``);
one that makes another workspace current goes through ``ui.workspace.choose`` (the sidebar's
selector cannot be set once it is drawn). User text is escaped wherever Markdown would read it.
"""

from __future__ import annotations

import json
from datetime import date

import streamlit as st

from model.library import MAX_NAME_LENGTH, Library, StoreError, Workshop, Workspaces
from ui import comparison_report, flash, report, shell, track_report, workshop_links, workspace
from ui.format import escape_markdown, quoted

MADE_KEY = "ws_made"  # the workshop just started: its links open


def show_error(err: Exception) -> None:
    st.error(escape_markdown(str(err), limit=300), icon=":material/warning:")


def start_workshop(lib: Library) -> None:
    with st.form("new_workshop", border=False):
        title = st.text_input("Title participants see", key="ws_title", max_chars=80,
                              placeholder="Leadership offsite")
        if st.form_submit_button("Start a workshop", type="primary"):
            try:
                made = lib.start_workshop(title)
            except StoreError as err:
                show_error(err)
            else:
                st.session_state[MADE_KEY] = made.id
                flash.rerun_with("success", f"Workshop {quoted(made.title)} started.")


def workshops(lib: Library) -> list[Workshop]:
    """The workspace's workshops, newest first, each with its links in an expander."""
    try:
        shops = lib.workshops()
    except StoreError as err:
        show_error(err)
        return []
    for shop in reversed(shops):
        with st.expander(f"{escape_markdown(shop.title)} · "
                         f"{shop.created_at[:16].replace('T', ' ')} UTC · {shop.status}",
                         expanded=shop.id == st.session_state.get(MADE_KEY)):
            workshop_links.links(shop)
    return shops


def comparison(lib: Library, shops: list[Workshop]) -> None:
    """Pick 1–5 scenarios (and a workshop's votes), build the report, offer its files."""
    try:
        usable = {e.name: e for e in lib.entries() if e.values is not None}
    except StoreError as err:
        return show_error(err)
    picked = st.multiselect("Scenarios (1 to 5)", list(usable), key="rep_pick",
                            max_selections=comparison_report.MAX_SCENARIOS,
                            default=list(usable)[:3])
    with_shop = st.selectbox("With the votes and pooled ranges of", [None, *shops],
                             key="rep_shop", format_func=lambda k: "no workshop" if k is None
                             else f"{k.title} ({k.created_at[:10]})")
    if picked and st.button("Build the report", key="rep_build", type="primary"):
        bar = st.progress(0.0, text="Building the report…")
        try:
            shop_part = None if with_shop is None else (with_shop.title,
                                                        lib.results(with_shop.id))
        except StoreError as err:
            bar.empty()
            return show_error(err)
        st.session_state["rep_files"] = comparison_report.comparison_files(
            [(n, usable[n].note, usable[n].values) for n in picked], lib.name, date.today(),
            shop_part, progress=lambda done, total, what: bar.progress(done / total, text=what),
            tracking=track_report.for_workspace(lib),
            structures={n: usable[n].structure for n in picked})
        bar.empty()
    files = st.session_state.get("rep_files")
    if files:
        a, b, c = st.columns(3)
        a.download_button("Report (HTML)", files["comparison.html"], "comparison.html",
                          "text/html", key="rep_html", on_click="ignore")
        b.download_button("Results (CSV)", files["comparison.csv"], "comparison.csv", "text/csv",
                          key="rep_csv", on_click="ignore")
        c.download_button("Everything (ZIP with PNG charts)",
                          report.report_zip(files, "comparison"),
                          f"{report.file_stem(lib.name)}-comparison.zip", "application/zip",
                          key="rep_zip", on_click="ignore")


def _created(spaces: Workspaces, new_name: str) -> None:
    try:
        made = spaces.create(new_name)
    except StoreError as err:
        return show_error(err)
    workspace.choose(made.name)
    flash.rerun_with("success", f"Workspace {quoted(made.name)} created with the preset "
                                "scenarios; it is now the current workspace.")


def _imported(spaces: Workspaces, raw: bytes, name: str | None) -> None:
    try:
        made = spaces.import_file(raw, name)
    except StoreError as err:
        return show_error(err)
    workspace.choose(made.name)
    flash.rerun_with("success", f"Imported {quoted(made.name)} ({made.scenarios} scenarios); it "
                                "is now the current workspace.")


def manage(spaces: Workspaces, lib: Library) -> None:
    """Create a workspace; export, import or delete one."""
    c1, c2 = st.columns(2)
    with c1, st.form("new_ws", border=False):
        new_name = st.text_input("New workspace", key="ws_new", max_chars=MAX_NAME_LENGTH,
                                 placeholder="Acme GmbH, 2027 strategy")
        if st.form_submit_button("Create workspace"):
            _created(spaces, new_name)
    with c2:
        try:
            exported = json.dumps(lib.export(), indent=2, ensure_ascii=False).encode()
        except StoreError as err:
            exported = b""
            show_error(err)
        st.download_button("Export this workspace (JSON)", key="ws_export", on_click="ignore",
                           data=exported, file_name=f"workspace-{date.today()}.json",
                           mime="application/json")
        upload = st.file_uploader("Import a workspace (JSON)", type=["json"], key="ws_upload")
        name = st.text_input("Import under another name (optional)", key="ws_import_name",
                             max_chars=MAX_NAME_LENGTH)
        if upload is not None and st.button("Import it", key="ws_import"):
            _imported(spaces, upload.getvalue(), name or None)
    if st.button(f"Delete workspace {quoted(lib.name)}", key="ws_delete"):
        try:
            spaces.delete(lib.name)
        except StoreError as err:
            return show_error(err)
        st.query_params.pop(workspace.PARAM, None)  # the selector falls back to the first one
        flash.rerun_with("info", f"Workspace {quoted(lib.name)} moved to the bin; restore it "
                                 "below.")


def members(lib: Library) -> None:
    """Who can see this workspace, and adding someone by the e-mail address they sign in with."""
    if not shell.sign_in_configured():
        st.caption("This app runs without sign-in, as one local user: everything here is "
                   "yours. On a team server people sign in and each workspace is seen only by "
                   "its members (docs/deploy.md).")
        return
    try:
        people = lib.members()
    except StoreError as err:
        return show_error(err)
    st.markdown("Seen by " + ", ".join(quoted(p) for p in people) + " — and nobody else.")
    with st.form("add_member", border=False, clear_on_submit=True):
        other = st.text_input("Add someone (the e-mail address they sign in with)",
                              key="ws_member", max_chars=200, placeholder="name@example.org")
        if st.form_submit_button("Add to this workspace") and other.strip():
            try:
                lib.share(other)
            except StoreError as err:
                return show_error(err)
            flash.rerun_with("success", f"{quoted(other.strip())} can now see "
                                        f"{quoted(lib.name)}, its scenarios and workshops.")
    others = people[1:]  # the owner comes first and stays
    if others:
        with st.form("remove_member", border=False):
            gone = st.selectbox("Remove someone (the owner removes anyone; you can leave)",
                                others, index=None, key="ws_remove", placeholder="Choose…")
            if st.form_submit_button("Remove from this workspace") and gone is not None:
                try:
                    lib.unshare(gone)
                except StoreError as err:
                    return show_error(err)
                flash.rerun_with("success", f"{quoted(gone)} no longer sees {quoted(lib.name)}.")


def _restore_or_purge(key: str, what: str, name: str, restore, purge, detail: str) -> None:
    a, b, c = st.columns([3, 1, 1])
    a.markdown(f"{what} {quoted(name)} ({detail})")
    if b.button("Restore", key=f"{key}_restore"):
        try:
            restore(name)
        except StoreError as err:
            return show_error(err)
        flash.rerun_with("success", f"{what} {quoted(name)} restored.")
    if c.button("Remove for good", key=f"{key}_purge"):
        try:
            purge(name)
        except StoreError as err:
            return show_error(err)
        flash.rerun_with("info", f"{what} {quoted(name)} removed for good.")


def bin_(spaces: Workspaces, lib: Library) -> None:
    """Deleted workspaces and scenarios: restore them or remove them for good."""
    try:
        gone_ws, gone = spaces.list(deleted=True), lib.entries(deleted=True)
    except StoreError as err:
        return show_error(err)
    if not gone_ws and not gone:
        st.caption("The bin is empty.")
    for i, w in enumerate(gone_ws):
        _restore_or_purge(f"ws_{i}", "Workspace", w.name, spaces.restore, spaces.purge,
                          f"{w.scenarios} scenarios")
    for i, e in enumerate(gone):
        _restore_or_purge(f"sc_{i}", "Scenario", e.name, lib.restore, lib.purge,
                          f"deleted {e.deleted_at[:16].replace('T', ' ')} UTC")
