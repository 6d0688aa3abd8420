"""The sidebar of assumptions, generated from the registry (levers on top, the rest in expanders).

How the widgets and the scenario stay in step (seed, draw, write back) is ``ui.widget_sync``;
this module draws: labels with units, the kind of widget, formats, the panels, the levers and the
Decision analysis page's own settings. People read fractions as percentages; the model stores
fractions.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from model.assumptions import BY_NAME, GROUP_TITLES, LEVERS, REGISTRY, Assumption, defaults
from model.proportion import annual_revenue
from model.simulation import Baseline, baseline_basics
from ui import share, state, widget_sync
from ui.format import CURRENCY, escape_dollars, escape_markdown, money
from ui.widget_sync import EXACT_KEY, INVESTMENT, from_widget, key_of, to_widget

# With a calibration these come from the customer data, not from the sliders.
CALIBRATED = ("customers", "arpu_monthly", "annual_churn", "new_customers_monthly")

_UNIT_SUFFIX = {
    "fraction": "%",
    "fraction/year": "% per year",
    "fraction/month": "% per month",
    "currency": CURRENCY,
    "currency/month": f"{CURRENCY} per month",
    "customers": "customers",
    "customers/month": "customers per month",
    "years": "years",
    "months": "months",
}


def widget_label(a: Assumption) -> str:
    """The registry label with its unit, unless the label already names it."""
    suffix = _UNIT_SUFFIX.get(a.unit)
    if suffix is None:
        return a.label
    word = a.unit.split("/")[0]
    if word in ("years", "months", "customers") and word in a.label.lower():
        return a.label
    return f"{a.label} ({suffix})"


def _decimals(step: float) -> int:
    for d in range(0, 6):
        if abs(round(step, d) - step) < 1e-12:
            return d
    return 6


def _bounds(a: Assumption) -> tuple[float | int, float | int, float | int]:
    scale = 100.0 if a.is_fraction else 1.0
    if a.kind == "int":
        return int(a.min), int(a.max), max(1, int(a.step))
    return round(a.min * scale, 10), round(a.max * scale, 10), round(a.step * scale, 10)


def widget_kind(a: Assumption) -> str:
    """toggle for yes/no, number box for wide money and customer counts, slider otherwise."""
    if a.kind == "bool":
        return "toggle"
    if a.group != "levers" and (a.unit.startswith("currency") or a.unit.startswith("customers")):
        return "number"
    return "slider"


def _format(a: Assumption) -> str:
    _, _, step = _bounds(a)
    if a.is_fraction:
        return f"%.{_decimals(float(step))}f%%"
    if widget_kind(a) == "number":  # number boxes take printf formats only
        return "%d" if a.kind == "int" else f"%.{max(_decimals(a.step), _decimals(a.min))}f"
    if a.unit.startswith("currency") or a.unit.startswith("customers"):
        return "compact"  # 6M reads faster than 6,000,000.00 on a slider
    if a.kind == "int":
        return "%d"
    return f"%.{_decimals(float(step))}f"


# The investment lever is offered as a share of a year's revenue (ui.widget_sync); the scenario
# keeps it in currency.
INVESTMENT_LABEL = "Investment in fixing broken experiences (% of a year's revenue)"
INVESTMENT_STEP = 0.5  # percent of a year's revenue
INVESTMENT_MAX = 200.0  # percent; widened when a scenario asks for more


def _slider_moved(revenue: float) -> None:
    widget_sync.slider_moved(st.session_state, revenue)


def _exact_typed(revenue: float) -> None:
    amount = widget_sync.exact_typed(st.session_state, revenue)
    state.set_values({**state.current_values(), INVESTMENT: amount}, sync_widgets=False)


def _draw_investment(revenue: float) -> None:
    a = BY_NAME[INVESTMENT]
    top = widget_sync.investment_top(st.session_state, INVESTMENT_MAX, INVESTMENT_STEP)
    st.slider(INVESTMENT_LABEL, min_value=0.0, max_value=top, step=INVESTMENT_STEP,
              key=key_of(INVESTMENT), format="%.1f%%", help=a.meaning,
              on_change=_slider_moved, args=(revenue,))
    st.number_input(f"Exact investment ({CURRENCY})", min_value=float(a.min),
                    max_value=float(a.max), step=50_000.0, format="%.0f", key=EXACT_KEY,
                    on_change=_exact_typed, args=(revenue,),
                    help=f"The investment in {CURRENCY}, to the unit (the slider rounds it).")
    exact = float(st.session_state.get(EXACT_KEY, 0.0))
    st.caption(escape_dollars(f"{money(exact)} · a year's revenue is "
                              f"{money(revenue, compact=True)}."))


def _reset_levers() -> None:
    base = defaults()
    state.set_values({**state.current_values(), **{k: base[k] for k in LEVERS}})


def calibrated_display(baseline: Baseline) -> dict[str, float | int]:
    """What the data says for customers, ARPU, churn and new customers (shown disabled)."""
    shown: dict[str, float | int] = dict(baseline_basics(baseline))
    shown["customers"] = int(round(shown["customers"]))
    return shown


def _draw(a: Assumption, disabled: bool = False) -> None:
    key = key_of(a.name)
    label = widget_label(a)
    kind = widget_kind(a)
    if kind == "toggle":
        st.toggle(label, key=key, help=a.meaning, disabled=disabled)
        return
    lo, hi, step = _bounds(a)
    if kind == "number":
        st.number_input(label, min_value=lo, max_value=hi, step=step, key=key, help=a.meaning,
                        format=_format(a), disabled=disabled)
    else:
        st.slider(label, min_value=lo, max_value=hi, step=step, key=key, help=a.meaning,
                  format=_format(a), disabled=disabled)


def _draw_panels(shown_cal: Mapping[str, float | int] | None, label: str) -> list[Assumption]:
    """The business and advanced expanders; returns the assumptions a user can change there
    (the ones a calibration fixes are drawn disabled, with where they come from)."""
    drawn: list[Assumption] = []
    for group in ("business", "advanced"):
        title = GROUP_TITLES[group]
        with st.expander(title, expanded=False):
            section = None
            for a in (x for x in REGISTRY if x.group == group):
                if a.section != section and a.section != title:
                    st.markdown(f"**{a.section}**")
                section = a.section
                locked = shown_cal is not None and a.name in shown_cal
                _draw(a, disabled=locked)
                if locked:
                    st.caption(f"From your churn data ({escape_markdown(label)}).")
                else:
                    drawn.append(a)
    return drawn


def _on_new_page() -> bool:
    """True when this run draws the sidebar on another page than the last one did."""
    ctx = get_script_run_ctx()
    return widget_sync.page_changed(st.session_state,
                                    ctx.page_script_hash if ctx is not None else None)


def _scene() -> tuple[dict[str, float | int | bool], Mapping[str, float | int] | None, str,
                     float]:
    """The scenario, what a calibration fixes (and its label) and the revenue it implies."""
    values = state.current_values()
    cal = state.current_calibration()
    shown_cal = calibrated_display(cal.baseline) if cal is not None else None
    revenue = annual_revenue(values, cal.baseline if cal is not None else None)
    return values, shown_cal, cal.label if cal is not None else "", revenue


def _apply(drawn: list[Assumption], values: Mapping[str, object], revenue: float) -> None:
    """Write what the user changed on the drawn widgets into the scenario."""
    changed = widget_sync.changes(st.session_state, drawn, values, revenue)
    if changed:
        state.set_values({**values, **changed}, sync_widgets=False)


def render_panels() -> None:
    """The part of the sidebar that changes rarely: the link's notes, every widget's seed, and the
    business and advanced panels (or presentation mode's note). Drawn by full runs only; a page
    draws the levers into a box above it with ``render_levers``, possibly from a fragment.
    """
    # A link's assumptions count on every page that draws the sidebar (once per session).
    for note in share.load_from_url_once():
        st.warning(escape_markdown(note), icon=":material/warning:")
    values, shown_cal, label, revenue = _scene()
    # A widget on another page is a new widget (it would start at its minimum): seed every widget
    # from the scenario when the page changed.
    new_page = _on_new_page()  # always called: it records the page
    widget_sync.seed(st.session_state, values, calibrated=shown_cal, revenue=revenue,
                     force=widget_sync.sync_requested(st.session_state) or new_page)
    widget_sync.mark_synced(st.session_state)
    with st.sidebar:
        if state.presentation_mode():
            st.caption("Presentation mode: assumption panels hidden (switch it off at the top "
                       "of the Dashboard).")
            return
        drawn = _draw_panels(shown_cal, label)
    _apply(drawn, values, revenue)
    if _scene()[3] != revenue:
        st.rerun()  # the business changed size: redraw the investment share at once


def render_levers(box) -> dict[str, float | int | bool]:
    """The three levers and their reset button in ``box``; returns the current scenario.

    Safe in a fragment: a lever move then reruns only the levers and what depends on them.
    """
    values, shown_cal, _, revenue = _scene()
    if widget_sync.sync_requested(st.session_state):  # e.g. the reset button, in a fragment
        widget_sync.seed(st.session_state, values, force=True, calibrated=shown_cal,
                         revenue=revenue, only=LEVERS)
        widget_sync.mark_synced(st.session_state)
    with box:
        st.header("Levers")
        for name in LEVERS:
            if name == INVESTMENT:
                _draw_investment(revenue)
            else:
                _draw(BY_NAME[name])
        st.button("Reset the levers to defaults", key="reset_levers", on_click=_reset_levers,
                  icon=":material/restart_alt:",
                  help="Honest expectation setting, the investment and the tenure go back to "
                       "their defaults; the other assumptions stay.")
    _apply([BY_NAME[name] for name in LEVERS], values, revenue)
    return state.current_values()


def render_sidebar() -> dict[str, float | int | bool]:
    """Draw the levers and assumption panels in the sidebar; return the current scenario.

    Pages that use the scenario call this first. In presentation mode only the levers show.
    """
    box = st.sidebar.container()
    render_panels()
    return render_levers(box)


def render_setting(column, name: str) -> float:
    """A slider (in ``column``) for one of the Decision analysis page's own assumptions (a share,
    e.g. the chance of no response), kept in the scenario like the sidebar's."""
    a = BY_NAME[name]
    shown = column.slider(widget_label(a), min_value=to_widget(a, a.min),
                          max_value=to_widget(a, a.max), step=to_widget(a, a.step),
                          key=key_of(name), help=a.meaning, format="%.0f%%")
    x = from_widget(a, shown)
    if x != state.current_values()[name]:
        state.set_values({**state.current_values(), name: x}, sync_widgets=False)
    return x
