"""Decision analysis's inputs: the odds' settings and the uncertainty ranges (where they come
from — the table, the workshop's saved ranges or a file — and the editable table), validated.

Widget groups for pages/decision_analysis.py. Names from files and workspaces are shown through
``escape_markdown``; the model's messages about ranges through ``escape_markdown`` or, for our
own sentences, ``escape_dollars``.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from model import analysis, workshop
from model.assumptions import BY_NAME, ScenarioError
from model.library import Library, StoreError
from model.scenario import read_json
from model.simulation import Baseline
from ui import analysis_charts, state, workspace
from ui.format import escape_dollars, escape_markdown
from ui.widgets import render_setting, widget_label

SHAPES = {"pert": "PERT (most weight near likely)", "triangular": "Triangular"}


def label(name: str) -> str:
    """An assumption's label with its unit, as in the sidebar."""
    return widget_label(BY_NAME[name])


def odds_settings() -> tuple[int, int, str]:
    """Draws, seed and the shape of each range; then the chance of no response and how the
    effects move together (kept in the scenario). Returns (draws, seed, distribution)."""
    c_draws, c_seed, c_dist = st.columns([1, 1, 2])
    draws = int(c_draws.number_input(
        "Draws", min_value=100, max_value=analysis.MAX_DRAWS, value=analysis.DEFAULT_DRAWS,
        step=500, key="da_draws",
        help=f"Futures to simulate, up to {analysis.MAX_DRAWS:,}. More draws, steadier odds."))
    seed = int(c_seed.number_input(
        "Seed", min_value=0, max_value=2**31 - 1, value=0, step=1, key="da_seed",
        help="The same seed gives the same numbers; change it to see how much the odds move."))
    distribution = c_dist.radio(
        "Shape of each range", analysis.DISTRIBUTIONS, horizontal=True, key="da_distribution",
        format_func=SHAPES.get, help="How the draws spread between low, likely and high.")
    c_p, c_r, c_s, c_rho = st.columns(4)
    render_setting(c_p, "p_no_response")
    render_setting(c_r, "response_likely")
    render_setting(c_s, "response_spread")
    render_setting(c_rho, "effect_correlation")
    return draws, seed, distribution


# --- the ranges -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChosenRanges:
    ranges: tuple  # what the analysis uses: the table as edited (or its last valid state)
    values: dict  # the scenario the odds use: with the room's values when the workshop's are
    source: str  # "table", "workshop" or "file"
    fell_back: bool  # the chosen source gave nothing usable: the table's ranges are used
    edited: bool  # edited in the table, against the chosen source
    file_name: str | None  # the loaded file's name (user text)
    room: workshop.RoomView | None = None  # the workshop's view when its ranges are used

    def where(self) -> str | None:
        """Where the ranges came from, markdown-safe, for ``analysis_charts.rests_on``."""
        if self.fell_back:
            return None
        return {"workshop": "the workshop's pooled ranges",
                "file": f"the ranges of {escape_markdown(self.file_name)}"}.get(self.source)


def _reset_ranges() -> None:
    # A new key gives a fresh editor: Streamlit keeps a data editor's edits under its key.
    st.session_state["da_ranges_version"] = st.session_state.get("da_ranges_version", 0) + 1
    st.session_state.pop("da_ranges_good", None)


def _saved_ranges(lib: Library | None) -> tuple[workshop.RoomView | None, str | None]:
    """The room's view a workshop kept in the workspace (or None), and a store error."""
    if lib is None:
        return None, workspace.problem()
    try:
        return lib.room_view(), None
    except StoreError as err:
        return None, str(err)


def _source_ranges(source: str, saved: workshop.RoomView | None, values: dict,
                   baseline: Baseline | None) -> tuple[tuple, str | None]:
    """The ranges the chosen source gives, and why it fell back to the table's (or None)."""
    table = analysis.default_ranges(values, baseline)
    if source == "file":
        loaded = st.session_state.get("da_ranges_loaded")
        return (loaded, None) if loaded else (table, "Load a file below; until then the "
                                              "analysis uses the table's ranges.")
    if source == "workshop":
        if saved is None:
            return table, ("No workshop has saved ranges in this workspace yet (the "
                           "facilitator's \"Use these ranges\"); the analysis uses the table's.")
        return workshop.apply_view(values, saved, baseline)[1], None
    return table, None


def _load_ranges_file() -> None:
    file = st.session_state.get("da_ranges_file")
    if file is None:
        return
    try:
        loaded = analysis.parse_ranges(read_json(file.getvalue(), "ranges"),
                                       state.current_values(), state.current_baseline())
    except ScenarioError as err:  # size, depth and JSON errors too (read_json)
        st.session_state["da_ranges_file_error"] = f"{file.name}: {err}"
        return
    _reset_ranges()
    st.session_state["da_ranges_loaded"] = loaded
    st.session_state["da_ranges_file_name"] = file.name
    st.session_state["da_ranges_source"] = "file"  # loading a file means: use it
    st.session_state.pop("da_ranges_file_error", None)


def _source(workspace_name: str, saved: workshop.RoomView | None) -> str:
    file_name = st.session_state.get("da_ranges_file_name")
    labels = {
        "table": "The table's",
        "workshop": (f"The workshop's (saved in {escape_markdown(workspace_name)})"
                     if saved is not None else "The workshop's (none saved yet)"),
        "file": f"A file ({escape_markdown(file_name)})" if file_name else "A file",
    }
    return st.radio("Ranges", tuple(labels), key="da_ranges_source", horizontal=True,
                    format_func=labels.get,  # user text escaped above
                    on_change=_reset_ranges,
                    help="Where low / likely / high come from: the assumption table's ranges, "
                         "the ranges a workshop pooled and saved in this workspace, or a JSON "
                         "file. Names a workshop or file leaves out keep the table's ranges.")


def _validated(edited, default_ranges: tuple) -> tuple:
    try:
        ranges = analysis.validate_ranges(analysis_charts.rows_from_frame(edited),
                                          show=analysis_charts.describe)
        st.session_state["da_ranges_good"] = ranges
    except ScenarioError as err:
        ranges = st.session_state.get("da_ranges_good", default_ranges)
        st.error(escape_dollars(f"{err}. Until then the analysis uses the last valid ranges."),
                 icon=":material/warning:")
    return ranges


def _has_edits(key: str) -> bool:
    state = st.session_state.get(key)
    return bool(state) and any(state.get(k) for k in ("edited_rows", "added_rows",
                                                       "deleted_rows"))


def _editor(default_ranges: tuple) -> tuple:
    """The expander with the file uploader and the editable table; returns the valid ranges.

    The table is built only while the expander is open (or holds edits, which it must keep): a
    data editor costs the browser a large script before the page's first figure can show
    (issue 22, defect 11). Closed and unedited, the ranges are the ones it would return."""
    version = st.session_state.get("da_ranges_version", 0)
    box = st.expander("Uncertainty ranges — edit low / likely / high, or load a file",
                      key="da_ranges_open", on_change="rerun")
    if not box.open and not _has_edits(f"da_ranges_{version}"):
        return _validated(analysis_charts.ranges_frame(default_ranges, label), default_ranges)
    with box:
        st.caption("Likely starts at the scenario's value. When your value lies outside the usual "
                   "range, the range keeps its relative width around your value. Percentages as "
                   "in the sidebar. A JSON file {\"name\": {\"low\": …, \"likely\": …, \"high\": "
                   "…}} replaces the ranges it names (model units: fractions as 0.25).")
        st.file_uploader("Load ranges (JSON)", type=["json"], key="da_ranges_file",
                         on_change=_load_ranges_file)
        if st.session_state.get("da_ranges_file_error"):
            st.error(escape_markdown(st.session_state["da_ranges_file_error"]),
                     icon=":material/warning:")
        edited = st.data_editor(
            analysis_charts.ranges_frame(default_ranges, label), key=f"da_ranges_{version}",
            hide_index=True, num_rows="fixed", width="stretch",
            column_order=("Assumption", "Low", "Likely", "High"), disabled=("Assumption",),
            column_config={c: st.column_config.NumberColumn(c, format="%g", required=True)
                           for c in ("Low", "Likely", "High")})
        st.button("Reset ranges", key="da_reset_ranges", on_click=_reset_ranges)
        return _validated(edited, default_ranges)


def _room_values(values: dict, saved: workshop.RoomView) -> dict:
    """The scenario with the room's values (its chance of no response), said when they differ."""
    room = dict(saved.values)
    changed = {k: v for k, v in room.items() if values.get(k) != v}
    if changed:
        st.info(escape_dollars("With the workshop's ranges the odds use the room's own view: "
                               + ", ".join(f"{BY_NAME[k].label.lower()} "
                                           f"{analysis_charts.describe(k, v)}"
                                           for k, v in changed.items())
                               + " (not the setting above) — the facilitator's figure."),
                icon=":material/groups:")
    return {**values, **room}


def choose_ranges(values: dict, baseline: Baseline | None, lib: Library | None) -> ChosenRanges:
    """Where the ranges come from, what that source gave (or why not), and the table to edit."""
    saved, store_error = _saved_ranges(lib)
    source = _source(lib.name if lib is not None else "", saved)
    default_ranges, fallback = _source_ranges(source, saved, values, baseline)
    if store_error and source == "workshop":
        st.error(escape_markdown(store_error), icon=":material/warning:")
    elif fallback:
        st.info(escape_markdown(fallback), icon=":material/info:")
    elif source == "workshop":
        values = _room_values(values, saved)
    ranges = _editor(default_ranges)
    used = saved if source == "workshop" and fallback is None and not store_error else None
    return ChosenRanges(ranges, values, source, fallback is not None, ranges != default_ranges,
                        st.session_state.get("da_ranges_file_name"), used)
