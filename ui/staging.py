"""Decision analysis's staging section: staged vs all-in vs doing nothing over the same draws, the
value of the option to stop, how well the gate reads the evidence, and when we will know."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from model.simulation import Baseline
from model.tracking import StagedResult
from ui import track_panel, track_runs
from ui.analysis_charts import ADDS_VALUE, TOTAL
from ui.format import escape_dollars, money, percent, signed_money
from ui.static_tables import show_static


def rows(s: StagedResult) -> list[dict[str, str]]:
    out = []
    for title, x in (("Staged (pilot, then the gate)", s.staged), ("All-in now", s.all_in),
                     ("Staged, always releasing the rest", s.always_released),
                     ("Do nothing (status quo)", s.nothing)):
        out.append({"Strategy": title,
                    f"Expected {TOTAL.lower()}": money(x.expected_delta_npv, compact=True),
                    "Pays back inside your tenure": percent(x.p_payback_inside_tenure),
                    ADDS_VALUE: percent(x.p_delta_npv_positive)})
    return out


def sentence(s: StagedResult) -> str:
    """The option's value and the gate's reading, in words (the app's own text)."""
    option = money(abs(s.option_value), compact=True)
    vs = signed_money(s.staging_value, compact=True)
    worth = "is worth" if s.option_value >= 0 else "costs"
    text = (f"The option to stop {worth} {option} in expectation (staged against staged "
            f"but always releasing); staging against all-in now: {vs}. The gate releases the "
            f"rest in {percent(s.p_release)} of the futures: in "
            f"{percent(s.p_release_if_response)} of those where customers respond, and it stops "
            f"in {percent(s.p_stop_if_no_response)} of those where they do not; expected "
            f"investment left unspent {money(s.expected_unspent, compact=True)}.")
    if s.option_value < 0:
        text += (" At this gate the evidence is too thin: it stops too often when customers do "
                 "respond. A later gate, a lower threshold or a leading indicator would help.")
    return text


def section(values: Mapping[str, object], baseline: Baseline | None, ranges: tuple,
            draws: int, seed: int, distribution: str, analysed: object = None) -> None:
    """The whole section, drawn where it is called. ``analysed``: what the odds above ran on
    (a ``model.structure.Structured`` when the scenario has segments, tiers or fixes)."""
    structure = getattr(analysed, "structure", None)
    if structure is not None and not structure.empty:
        st.caption("Staging weighs one mass of customers at the sidebar's values: this "
                   "scenario's segments, tiers and fixes are not in it yet (the odds above "
                   "are), so its figures can differ from theirs.")
    if float(values["investment"]) <= 0:
        st.info("Staging needs an investment: set one in the sidebar.")
        return
    staging = track_panel.staging_inputs("da_stage")
    if staging is None:
        return
    result, when = track_runs.staged(values, baseline, ranges, staging, draws, seed,
                                     distribution)
    show_static(pd.DataFrame(rows(result)).set_index("Strategy"), app_text=True)
    st.markdown(escape_dollars(sentence(result)))
    st.markdown("**When will we know?** " + escape_dollars(when.text))
    st.caption("Each draw decides at the gate from the evidence it would itself have produced by "
               "then (monthly churn, binomial; new customers, Poisson), never from its true "
               "response. After a release, the rest's effect is the all-in path's extra over the "
               "pilot, started at the gate and discounted to it (an approximation).")
