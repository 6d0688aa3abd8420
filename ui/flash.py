"""A message that outlives the rerun an action needs: ``rerun_with`` sets it and reruns, ``show``
draws it once (after a save, the lists, selectors and sidebar are drawn again from the store)."""

from __future__ import annotations

import streamlit as st

KEY = "flash"  # (kind, message): kind is an st function name ("success", "info", "error")


def rerun_with(kind: str, message: str) -> None:
    """Remember ``message`` for the next run, then rerun. ``message`` is Markdown: escape user text."""
    st.session_state[KEY] = (kind, message)
    st.rerun()


def show() -> None:
    """Draw the remembered message, once."""
    if KEY in st.session_state:
        kind, message = st.session_state.pop(KEY)
        getattr(st, kind)(message)
