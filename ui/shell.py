"""The app shell: pages run inside app.py's navigation, never in Streamlit's legacy pages/ mode."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from model.library import LOCAL_USER

APP_MARK = "_ran_through_app"  # set by app.py before it runs a page


def mark_app_ran() -> None:
    st.session_state[APP_MARK] = True


def require_app() -> None:
    """Rerun through app.py when Streamlit ran this page file directly.

    A fresh server decides once, from the folder's name, whether to run its legacy multipage
    mode; until app.py has called ``st.navigation`` once, a direct link (e.g. /compare) as the
    very first visit runs the page file alone (no navigation, no layout). Switching the mode off
    and rerunning runs app.py with the same page.
    """
    if not st.session_state.get(APP_MARK):
        PagesManager.uses_pages_directory = False
        st.rerun()


def user() -> str:
    """Who is asking: the local user (the app runs without sign-in)."""
    return LOCAL_USER
