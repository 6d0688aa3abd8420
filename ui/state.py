"""Session state shared by every page: the current scenario and the churn-data calibration.

Pages read the scenario through ``current_values()`` and the baseline through
``current_baseline()``; nothing else keeps a copy, so every page shows the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from model.assumptions import defaults, validate
from model.proportion import follow_calibration
from model.simulation import Baseline, Run, run
from ui import widget_sync

VALUES_KEY = "scenario_values"
CALIBRATION_KEY = "calibration"
PRESENTATION_KEY = "_presentation"  # the mode itself (survives pages without the toggle)
PRESENTATION_WIDGET_KEY = "presentation_mode"  # the toggle's key
NAME_KEY = "_scenario_name"  # (name, the values it was loaded with)
NAME_LIMIT = 80  # characters of a scenario name kept from a link


@dataclass(frozen=True)
class Calibration:
    baseline: Baseline
    label: str  # shown on the badge, e.g. "churn.csv · sBG · fitted 2026-11-22"


def current_values() -> dict[str, float | int | bool]:
    """The scenario the user is looking at (a validated copy)."""
    if VALUES_KEY not in st.session_state:
        st.session_state[VALUES_KEY] = defaults()
    return dict(st.session_state[VALUES_KEY])


def set_values(values: Mapping[str, object], *, sync_widgets: bool = True,
               name: str | None = None) -> None:
    """Replace the scenario; raises ScenarioError (and keeps the old one) if a value is bad.

    The sidebar's widgets show the new values on their next run (``ui.widget_sync.request_sync``:
    Streamlit keeps a widget's own value otherwise). ``sync_widgets=False`` is for the widgets'
    own write-back: they already show these values.
    """
    st.session_state[VALUES_KEY] = validate(values)
    if sync_widgets:
        widget_sync.request_sync(st.session_state)
    if name is not None:
        set_scenario_name(name)


def set_scenario_name(name: str | None) -> None:
    """Name the current scenario (loaded from the library or a link); None forgets the name."""
    if name is None or not str(name).strip():
        st.session_state.pop(NAME_KEY, None)
    else:
        st.session_state[NAME_KEY] = (str(name).strip()[:NAME_LIMIT], current_values())


def scenario_name() -> tuple[str, bool] | None:
    """(name, changed since loaded) of the current scenario, or None when it has no name."""
    named = st.session_state.get(NAME_KEY)
    if named is None:
        return None
    name, loaded = named
    return name, loaded != current_values()


def presentation_mode() -> bool:
    """Projector view: assumption panels hidden, verdict and charts enlarged."""
    return bool(st.session_state.get(PRESENTATION_KEY, False))


def set_presentation(on: bool) -> None:
    # Kept outside the toggle's own key: Streamlit forgets a widget's state on pages that do
    # not draw it, and the mode must survive a visit to another page.
    st.session_state[PRESENTATION_KEY] = bool(on)


def current_calibration() -> Calibration | None:
    return st.session_state.get(CALIBRATION_KEY)


def current_baseline() -> Baseline | None:
    """The calibrated baseline, or None for the one built from the assumptions."""
    cal = current_calibration()
    return None if cal is None else cal.baseline


def set_calibration(baseline: Baseline, label: str) -> None:
    """Use the churn data's baseline; the money assumptions follow the business's new size
    (investment and the investment for half the effect with a year's revenue, CAC with ARPU)."""
    st.session_state[VALUES_KEY] = validate(
        follow_calibration(current_values(), current_baseline(), baseline))
    st.session_state[CALIBRATION_KEY] = Calibration(baseline, label)
    widget_sync.request_sync(st.session_state)  # customers, ARPU, churn now show the data


def clear_calibration() -> None:
    st.session_state.pop(CALIBRATION_KEY, None)
    widget_sync.request_sync(st.session_state)  # back to the scenario's own values


@st.cache_data(show_spinner=False, max_entries=512)
def _run_cached(items: tuple[tuple[str, object], ...], baseline: Baseline | None) -> Run:
    return run(dict(items), baseline)


def cached_run(values: Mapping[str, object], baseline: Baseline | None = None) -> Run:
    """``model.run`` cached on hashable inputs (values as a sorted tuple, frozen baseline)."""
    return _run_cached(tuple(sorted(values.items())), baseline)
