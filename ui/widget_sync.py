"""Keeping the sidebar's widgets and the scenario in step: the one state machine of the sidebar.

The scenario (``ui.state.current_values``) is the source of truth. A widget's key in the session
(``"w_<name>"``) holds only what the widget shows, in the widget's units: fractions as
percentages, and the investment as a share of a year's revenue (so one slider fits 5,000
customers as well as 5 million) beside an exact box in currency. Every run that draws widgets
goes through three steps, in this order:

1. **seed** (``seed``), before any widget is drawn: write the widget keys from the scenario —

   - all of them when the scenario changed outside the widgets (``request_sync``: a scenario
     loaded from the library or a link, a reset, a calibration) or when the sidebar is drawn on
     another page than last time (``page_changed``: Streamlit forgets the widgets a page does not
     draw, and would start them at their minimum);
   - the investment's share and exact box also when the business's revenue moved
     (``revenue_changed``): the same amount is another share of another revenue;
   - the ones a calibration fixes always, from the data;
   - otherwise only keys that are missing. A key is never rewritten without a reason: a run that
     finishes late would undo key presses made while it ran (issue 12, bug 1).

2. **draw** the widgets (``ui.widgets``); their callbacks keep the investment's two widgets
   together (``slider_moved``, ``exact_typed``).

3. **write back** (``changes``): what the user changed on the drawn widgets, in model units, for
   ``ui.state.set_values(..., sync_widgets=False)`` (the widgets already show it). If that moved
   the revenue, the page reruns once so the investment's share is redrawn at once.

Pure: every function takes the session as a mutable mapping (``st.session_state`` in the app, a
dict in tests/ui/test_widget_sync.py); nothing here imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping

from model.assumptions import BY_NAME, REGISTRY, Assumption

Session = MutableMapping[str, object]

SYNC_FLAG = "_sync_widgets"  # set when the scenario changed outside the sidebar widgets
PAGE_KEY = "_sidebar_page"  # the page whose sidebar was drawn last
REVENUE_KEY = "_investment_revenue"  # the revenue the investment widgets were last seeded with
INVESTMENT = "investment"
EXACT_KEY = "w_investment_exact"  # the number box beside the investment slider (currency)
TOP_KEY = "_investment_top"  # the investment slider's maximum when it was last drawn


def key_of(name: str) -> str:
    """The session key of an assumption's widget."""
    return f"w_{name}"


# --- units: what a widget shows for a model value, and back --------------------------------------


def to_widget(a: Assumption, value: object) -> float | int | bool:
    """A model value as its widget shows it (fractions as percentages)."""
    if a.kind == "bool":
        return bool(value)
    if a.kind == "int":
        return int(value)  # type: ignore[arg-type]
    x = float(value)  # type: ignore[arg-type]
    # Rounding keeps 0.07 → 7.0 (not 7.000000000000001) so the slider sits on its step.
    return round(100.0 * x, 10) if a.is_fraction else x


def from_widget(a: Assumption, shown: object) -> float | int | bool:
    """A widget's value back in model units."""
    if a.kind == "bool":
        return bool(shown)
    if a.kind == "int":
        return int(shown)  # type: ignore[arg-type]
    x = float(shown)  # type: ignore[arg-type]
    # round() goes through the shortest decimal, so 15 % comes back as exactly 0.15.
    return round(x / 100.0, 12) if a.is_fraction else x


def investment_to_share(investment: float, revenue: float) -> float:
    """Investment in currency → percent of a year's revenue, on the slider's grid when it is."""
    if revenue <= 0:
        return 0.0
    return round(100.0 * investment / revenue, 10)


def share_to_investment(share: float, revenue: float) -> float:
    """Percent of a year's revenue → currency, to the cent."""
    return round(share / 100.0 * revenue, 2)


def clamp(a: Assumption, x: float) -> float:
    """``x`` inside the assumption's allowed range."""
    return min(max(x, a.min), a.max)


# --- why to seed ----------------------------------------------------------------------------------


def request_sync(session: Session) -> None:
    """The scenario changed outside the widgets: rebuild every widget from it on the next run."""
    session[SYNC_FLAG] = True


def sync_requested(session: Session) -> bool:
    return bool(session.get(SYNC_FLAG, False))


def mark_synced(session: Session) -> None:
    session[SYNC_FLAG] = False


def page_changed(session: Session, page: object) -> bool:
    """Record the page drawing the sidebar; True when it is another one than last time."""
    new_page = session.get(PAGE_KEY) != page
    session[PAGE_KEY] = page
    return new_page


def revenue_changed(session: Session, revenue: float) -> bool:
    """Record the revenue the investment is seeded with; True when the business's size moved
    since the last seed (the investment's share must be re-derived)."""
    before = session.get(REVENUE_KEY)
    session[REVENUE_KEY] = revenue
    return before is not None and before != revenue


# --- step 1: seed ---------------------------------------------------------------------------------


def seed(session: Session, values: Mapping[str, object], *, force: bool,
         calibrated: Mapping[str, float | int] | None, revenue: float,
         only: Iterable[str] | None = None) -> None:
    """Write the widget keys (of ``only`` these assumptions, if given) from the scenario, before
    any widget is drawn in this run; ``force`` rewrites them all (see the module's step 1)."""
    business_moved = revenue_changed(session, revenue)
    for a in REGISTRY if only is None else [BY_NAME[name] for name in only]:
        key = key_of(a.name)
        if a.name == INVESTMENT:
            if force or business_moved or key not in session:
                session[key] = investment_to_share(float(values[INVESTMENT]), revenue)
            if force or business_moved or EXACT_KEY not in session:
                session[EXACT_KEY] = float(values[INVESTMENT])
        elif calibrated is not None and a.name in calibrated:
            session[key] = to_widget(a, clamp(a, float(calibrated[a.name])))
        elif force or key not in session:
            session[key] = to_widget(a, values[a.name])


# --- step 2: the investment's two widgets ---------------------------------------------------------


def slider_moved(session: Session, revenue: float) -> None:
    """The investment slider moved: the exact box follows (a callback, before the script runs)."""
    session[EXACT_KEY] = share_to_investment(float(session[key_of(INVESTMENT)]), revenue)


def exact_typed(session: Session, revenue: float) -> float:
    """An exact amount was typed: the slider follows; returns the amount (clamped to its range)
    for the scenario, which keeps it to the cent."""
    amount = clamp(BY_NAME[INVESTMENT], float(session[EXACT_KEY]))  # type: ignore[arg-type]
    session[key_of(INVESTMENT)] = investment_to_share(amount, revenue)
    return amount


def investment_top(session: Session, usual: float, step: float) -> float:
    """The investment slider's maximum: ``usual``, widened (to the step) only for a share above it.

    The maximum is part of the slider's identity in Streamlit: a new maximum makes a new widget,
    which starts at its minimum unless its key was written by the script. So the maximum never
    moves while the share sits inside the usual range (at the top it stays the top: issue 22,
    defect 1, where 200 % widened the range to 200.5 % and the slider snapped to 0), and when it
    does move the shown share is written back to the key so the new slider starts where the old
    one stood."""
    key = key_of(INVESTMENT)
    shown = float(session.get(key, 0.0))  # type: ignore[arg-type]
    steps = -(-round(shown / step, 9) // 1)  # ceil, with no float noise on a grid value
    top = max(usual, step * steps)
    before = session.get(TOP_KEY)
    session[TOP_KEY] = top
    if before is not None and before != top and key in session:
        session[key] = shown
    return top


# --- step 3: write back ---------------------------------------------------------------------------


def changes(session: Session, drawn: Iterable[Assumption], values: Mapping[str, object],
            revenue: float) -> dict[str, float | int | bool]:
    """What the user changed on the drawn widgets since the scenario was last written, in model
    units (an unchanged widget adds nothing: its rounding never rewrites the scenario)."""
    changed: dict[str, float | int | bool] = {}
    for a in drawn:
        shown = session.get(key_of(a.name))
        if shown is None:
            continue
        if a.name == INVESTMENT:
            if shown != investment_to_share(float(values[a.name]), revenue):  # type: ignore[arg-type]
                changed[a.name] = share_to_investment(float(shown), revenue)  # type: ignore[arg-type]
        elif shown != to_widget(a, values[a.name]):
            changed[a.name] = from_widget(a, shown)
    return changed
