"""Share by link: the view's non-default values live in the URL query string.

``encode`` and ``parse_query`` are pure (tested without Streamlit); ``load_from_url_once`` (called
by ``ui.widgets.render_panels``, so a link with assumptions works on every page that draws the
sidebar), ``write_url`` and ``show_link`` (the dashboard) are the thin Streamlit glue. Values are
written with Python's shortest round-trip float text, so a link reproduces the numbers to the last
bit.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from model.assumptions import BY_NAME, ScenarioError, coerce, non_defaults
from model.scenario import read_json
from model.structure import Structure, parse_structure

PRESENT = "present"  # presentation mode, "1" when on
NAME = "name"  # the scenario's name (shown escaped)
STRUCTURE = "structure"  # segments, tiers and fixes as compact JSON (docs/segments.md)
RESERVED = frozenset({PRESENT, NAME, STRUCTURE})
MAX_STRUCTURE_CHARS = 20_000
NAME_LIMIT = 80
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
MAX_NOTES = 3  # more ignored parameters than this are summarised in one note


@dataclass
class LinkState:
    """What a URL asks for: validated values, presentation mode, and notes on what was ignored."""

    values: dict[str, float | int | bool] = field(default_factory=dict)
    present: bool = False
    name: str | None = None  # the scenario's name, cut to NAME_LIMIT characters
    structure: Structure = field(default_factory=Structure)  # segments, tiers, fixes
    notes: list[str] = field(default_factory=list)  # at most MAX_NOTES, else one summary
    ignored: list[str] = field(default_factory=list)  # the parameters left out


def _text(value: bool | int | float) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    x = float(value)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def encode(values: Mapping[str, object], present: bool = False,
           name: str | None = None, structure: Structure | None = None) -> dict[str, str]:
    """Query parameters for ``values``: only the non-defaults, in registry order; then the
    segments, tiers and fixes, the scenario's name and presentation mode when given."""
    diff = non_defaults(values)
    out = {key: _text(diff[key]) for key in BY_NAME if key in diff}
    if structure is not None and not structure.empty:
        out[STRUCTURE] = json.dumps(structure.to_dict(), separators=(",", ":"),
                                    ensure_ascii=False)
    if name:
        out[NAME] = name[:NAME_LIMIT]
    if present:
        out[PRESENT] = "1"
    return out


def _shown(key: str) -> str:
    """A parameter name as quoted in a note: cut short, so a tampered link cannot flood the page."""
    return repr(key if len(key) <= 40 else key[:40] + "…")


def _one(raw: object) -> str:
    """A query value may repeat (?a=1&a=2); the last one wins, as in the address bar."""
    if isinstance(raw, (list, tuple)):
        return str(raw[-1]) if raw else ""
    return str(raw)


def _parse_value(name: str, text: str) -> float | int | bool:
    a = BY_NAME[name]
    t = text.strip().lower()
    if a.kind == "bool":
        if t in _TRUE:
            return True
        if t in _FALSE:
            return False
        raise ScenarioError(f"{name}: {_shown(text)} is not allowed; expected 1 or 0", key=name)
    try:
        x = float(t)
    except ValueError:
        raise ScenarioError(f"{name}: {_shown(text)} is not a number", key=name) from None
    if not math.isfinite(x):
        raise ScenarioError(f"{name}: {_shown(text)} is not a finite number", key=name)
    if a.kind == "int" and x.is_integer():
        return coerce(name, int(x))
    return coerce(name, x)


def parse_query(params: Mapping[str, object]) -> LinkState:
    """Validate every parameter; anything unknown, malformed or out of range is left out with a
    note naming it (never an exception)."""
    state = LinkState()
    for key, raw in params.items():
        text = _one(raw)
        if key == PRESENT:
            state.present = text.strip().lower() in _TRUE
            continue
        if key == NAME:
            state.name = text.strip()[:NAME_LIMIT] or None
            continue
        if key == STRUCTURE:
            try:
                if len(text) > MAX_STRUCTURE_CHARS:
                    raise ScenarioError(f"{len(text):,} characters; at most "
                                        f"{MAX_STRUCTURE_CHARS:,}")
                data = read_json(text)
                if not isinstance(data, dict):
                    raise ScenarioError("not an object of segments, tiers and fixes")
                state.structure = parse_structure(
                    {k: v for k, v in data.items() if k in ("segments", "tiers", "fixes")})
            except ScenarioError as err:
                state.notes.append(f"Ignored the link's segments, tiers and fixes ({err}).")
                state.ignored.append(key)
            continue
        if key not in BY_NAME:
            state.notes.append(f"Ignored the link parameter {_shown(key)}: it is not an assumption "
                               "of this model.")
            state.ignored.append(key)
            continue
        try:
            state.values[key] = _parse_value(key, text)
        except ScenarioError as err:
            state.notes.append(f"Ignored the link parameter {_shown(key)} ({err}); using "
                               "the default instead.")
            state.ignored.append(key)
    if len(state.notes) > MAX_NOTES:
        state.notes = [_summary(state.ignored)]
    return state


def _summary(ignored: list[str]) -> str:
    """One note for many ignored parameters (a tampered link must not flood the page)."""
    named = ", ".join(_shown(k) for k in ignored[:MAX_NOTES])
    return (f"Ignored {len(ignored)} link parameters that are not assumptions of this model or "
            f"hold values it cannot use ({named} and {len(ignored) - MAX_NOTES} more); using the "
            "defaults for them.")


# --- Streamlit glue -----------------------------------------------------------------------------

_LOADED_KEY = "_share_loaded"
_NOTES_KEY = "_share_notes"


def load_from_url_once() -> list[str]:
    """On the first run of a session, apply the URL's values; return notes on ignored params.

    The notes stay visible until the user changes the scenario loaded from the link.
    """
    import streamlit as st

    from ui import segments_state, state

    if not st.session_state.get(_LOADED_KEY):
        st.session_state[_LOADED_KEY] = True
        link = parse_query({k: st.query_params.get_all(k) for k in st.query_params})
        if link.values:
            state.set_values(link.values)
        if not link.structure.empty:
            segments_state.set_structure(link.structure)
        if link.name:
            state.set_scenario_name(link.name)
        if link.present:
            state.set_presentation(True)
        st.session_state[_NOTES_KEY] = (link.notes, state.current_values())
    notes, loaded = st.session_state.get(_NOTES_KEY, ([], None))
    return list(notes) if notes and loaded == state.current_values() else []


def write_url(values: Mapping[str, object], present: bool,
              name: str | None = None, structure: Structure | None = None) -> dict[str, str]:
    """Make the address bar hold this view (only when it differs, to avoid needless messages)."""
    import streamlit as st

    wanted = encode(values, present, name, structure)
    current = {k: st.query_params.get(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)
    return wanted


def link_suffix(params: Mapping[str, str]) -> str:
    """``?honesty=0.8&tenure_years=3`` (empty for the default view)."""
    from urllib.parse import urlencode

    return "?" + urlencode(params) if params else ""


def show_link(params: Mapping[str, str], calibrated: bool) -> None:
    """The "Share this view" panel: the link spelt out, built only while the panel is open."""
    import streamlit as st

    box = st.expander("Share this view", key="share_open", on_change="rerun")
    if not box.open:  # the address bar holds the link anyway: spell it out only when asked
        return
    with box:
        base = (st.context.url or "").split("?")[0]
        base = base if base.endswith("/") else base + "/"
        st.code(base + link_suffix(params), language=None)
        st.caption("The address bar always holds this view: copy it (or the line above) and "
                   "whoever opens it sees the same numbers."
                   + (" The churn-data calibration is not part of the link." if calibrated
                      else ""))
