"""Session state shared by every page: the current scenario and the churn-data calibration.

Pages read the scenario through ``current_values()`` and the baseline through
``current_baseline()``; nothing else keeps a copy, so every page shows the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from model.assumptions import defaults, validate
from model.simulate import Baseline

VALUES_KEY = "scenario_values"
CALIBRATION_KEY = "calibration"


@dataclass(frozen=True)
class Calibration:
    baseline: Baseline
    label: str  # shown on the badge, e.g. "churn.csv · sBG · fitted 2026-11-22"


def current_values() -> dict[str, float | int | bool]:
    """The scenario the user is looking at (a validated copy)."""
    if VALUES_KEY not in st.session_state:
        st.session_state[VALUES_KEY] = defaults()
    return dict(st.session_state[VALUES_KEY])


def set_values(values: Mapping[str, object]) -> None:
    """Replace the scenario; raises ScenarioError (and keeps the old one) if a value is bad."""
    st.session_state[VALUES_KEY] = validate(values)


def current_calibration() -> Calibration | None:
    return st.session_state.get(CALIBRATION_KEY)


def current_baseline() -> Baseline | None:
    """The calibrated baseline, or None for the one built from the assumptions."""
    cal = current_calibration()
    return None if cal is None else cal.baseline


def set_calibration(baseline: Baseline, label: str) -> None:
    st.session_state[CALIBRATION_KEY] = Calibration(baseline, label)


def clear_calibration() -> None:
    st.session_state.pop(CALIBRATION_KEY, None)
