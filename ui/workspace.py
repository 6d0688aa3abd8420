"""The session's way into the store: who asks, the workspace chosen in the sidebar, the handles.

``select()`` draws the sidebar's workspace selector and returns that workspace's
``model.library.Library`` for this user (None when the store cannot be reached; ``problem()`` then
holds the one sentence to show). The choice lives in ``st.session_state["workspace"]`` and in the
URL (``?ws=NAME``), so a shared link opens the same workspace — for its members; anyone else gets
their own first workspace. Nothing else keeps a copy. An action that makes a workspace current
(create, import) calls ``choose(name)`` and reruns: a widget's value cannot be set once the widget
is drawn.
"""

from __future__ import annotations

import streamlit as st

from model.library import Library, StoreError, Workspaces, open_store
from ui import shell

KEY = "workspace"
PARAM = "ws"
NEXT_KEY = "workspace_next"  # the workspace to select on the next run
PROBLEM_KEY = "workspace_problem"  # why the store cannot be reached, for the page to say once
UNREACHABLE = ("Saved scenarios, workspaces and workshops cannot be reached right now ({}). The "
               "dashboard and the analysis still work; try again in a minute, or ask the person "
               "who runs the app to check the database.")


def workspaces() -> Workspaces:
    """The workspaces of the user of this session."""
    return Workspaces(open_store(), shell.user())


def choose(name: str) -> None:
    """Make ``name`` the current workspace from the next run on (call ``st.rerun()`` after)."""
    st.session_state[NEXT_KEY] = name


def problem() -> str | None:
    """The sentence to show when ``select()`` could not reach the store (else None)."""
    return st.session_state.get(PROBLEM_KEY)


def select() -> Library | None:
    """Draw the selector; returns the current workspace's library (None: the store is out of
    reach, and ``problem()`` says so)."""
    try:
        spaces = workspaces()
        options = spaces.names()
    except StoreError as err:
        st.session_state[PROBLEM_KEY] = UNREACHABLE.format(err)
        return None
    st.session_state.pop(PROBLEM_KEY, None)
    wanted = (st.session_state.pop(NEXT_KEY, None) or st.session_state.get(KEY)
              or st.query_params.get(PARAM))
    if wanted not in options:
        wanted = options[0]
    st.session_state[KEY] = wanted
    st.sidebar.selectbox("Workspace", options, key=KEY,
                         help="One workspace per client or engagement; the library, compare and "
                              "reports show one at a time. Manage them on the Workshop page.")
    current = st.session_state[KEY]
    if current != options[0] or PARAM in st.query_params:
        st.query_params[PARAM] = current
    try:
        return spaces.open(current)
    except StoreError as err:  # deleted by someone else a moment ago, or the store went away
        st.session_state[PROBLEM_KEY] = UNREACHABLE.format(err)
        return None
