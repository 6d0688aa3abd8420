"""The segments, tiers and fixes the user is looking at (session state: nothing else keeps a
copy), and the small table editor the panels share."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from model.structure import Structure

STRUCTURE_KEY = "_structure"
VERSION_KEY = "_structure_version"  # bumped when the structure is replaced from outside
TEXT_COLUMNS = ("name", "segments")  # every other column of an editor holds numbers


def current_structure() -> Structure:
    """The segments, tiers and fixes the user is looking at (empty: the plain model)."""
    return st.session_state.get(STRUCTURE_KEY) or Structure()


def set_structure(structure: Structure) -> None:
    """Replace the structure from outside the panel (a link, an upload): the editors restart."""
    st.session_state[STRUCTURE_KEY] = structure
    st.session_state[VERSION_KEY] = st.session_state.get(VERSION_KEY, 0) + 1


def rows_to_items(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Editor rows → scenario-file items: empty rows dropped, empty cells left out."""
    items = []
    for row in frame.to_dict("records"):
        item = {}
        for k, v in row.items():
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            if isinstance(v, str) and not v.strip():
                continue
            item[k] = v.item() if hasattr(v, "item") else v
        if item:
            items.append(item)
    return items


def frame_of(items: list[dict[str, object]], columns: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame([{c: item.get(c) for c in columns} for item in items],
                         columns=list(columns))
    for c in columns[1:]:
        if c not in TEXT_COLUMNS:
            frame[c] = pd.to_numeric(frame[c], errors="coerce")
    frame["name"] = frame["name"].astype(object)
    return frame


def editor(items: list[dict[str, object]], columns: tuple[str, ...], key: str,
            help_text: str) -> list[dict[str, object]]:
    st.caption(help_text)
    edited = st.data_editor(frame_of(items, columns), key=key, num_rows="dynamic",
                            hide_index=True, width="stretch")
    return rows_to_items(edited)
