"""The segments, tiers and fixes the user is looking at (session state: nothing else keeps a
copy), and the small table editor the panels share."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from model.assumptions import ScenarioError
from model.simulation import Baseline
from model.structure import Structure, Structured, StructuredRun, run_structured
from model.workshop import apply_fixes
from ui import state
from ui.format import escape_markdown

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


@st.cache_data(show_spinner=False, max_entries=64)
def _structured_cached(items: tuple[tuple[str, object], ...], structure: Structure,
                       baseline: Baseline | None, reports: bool) -> StructuredRun:
    return run_structured(dict(items), structure, baseline, reports)


def cached_structured(values: Mapping[str, object], structure: Structure,
                      baseline: Baseline | None = None, reports: bool = True) -> StructuredRun:
    """``run_structured`` cached on hashable inputs, as ``ui.state.cached_run`` (``reports=False``:
    the run alone, for the verdict; the panel's reports only while it is open)."""
    return _structured_cached(tuple(sorted(values.items())), structure, baseline, reports)


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


def with_room_fixes(analysed, values: dict, room):
    """``analysed`` (from ``for_analysis``) with the workshop's view of each fix's effect in
    place of the fix's own range, when the workshop's ranges are used and the room estimated a
    fix of this scenario (as the facilitator's room odds); else ``analysed`` unchanged."""
    if not isinstance(analysed, Structured) or room is None or not room.fixes:
        return analysed
    structure, _ = apply_fixes(analysed.structure, room)
    return analysed if structure == analysed.structure else Structured(
        structure, values, state.current_baseline())


def for_analysis(values: dict, baseline: Baseline | None):
    """What the Decision analysis page runs on: the calibration (or None), or — when the
    dashboard has segments, tiers or fixes — a ``Structured`` standing in for it (odds, tornado,
    best levers and goal seek of the structured business; each fix's effect drawn in the odds,
    and a tornado row for each fix with a low/likely/high)."""
    structure = current_structure()
    if structure.empty:
        return baseline
    try:
        return Structured(structure, values, baseline)
    except ScenarioError as e:
        st.error(escape_markdown(f"Segments, tiers and fixes left out: {e}"),
                 icon=":material/error:")
        return baseline
