"""The workspace selector in the sidebar: which client's scenarios the library shows.

``select()`` draws it and makes the choice the library's current workspace for this script run
(``model.library.use_workspace``); the choice lives in ``st.session_state["workspace"]`` and in the
URL (``?ws=NAME``), so a shared link opens the same workspace. Nothing else keeps a copy.
"""

from __future__ import annotations

import streamlit as st

from model import library
from model.store import StoreError, open_store, scenarios
from ui.format import escape_markdown

KEY = "workspace"
PARAM = "ws"


def names() -> list[str]:
    return [w.name for w in scenarios.list_workspaces(open_store())]


def select() -> str:
    """Draw the selector; returns the current workspace's name (the default one on errors)."""
    try:
        options = names()
    except StoreError as err:
        st.sidebar.error(escape_markdown(str(err)), icon=":material/warning:")
        library.use_workspace(None)
        return library.DEFAULT_WORKSPACE
    wanted = st.session_state.get(KEY) or st.query_params.get(PARAM)
    if wanted not in options:
        wanted = options[0]
    st.session_state[KEY] = wanted
    st.sidebar.selectbox("Workspace", options, key=KEY, format_func=escape_markdown,
                         help="One workspace per client or engagement; the library, compare and "
                              "reports show one at a time. Manage them on the Workshop page.")
    current = st.session_state[KEY]
    if current != options[0] or PARAM in st.query_params:
        st.query_params[PARAM] = current
    library.use_workspace(current)
    return current
