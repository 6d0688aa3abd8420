"""The workshop with a fix's effect: a participant estimates a fix of the analysed scenario on
the phone form; the facilitator view names the scenario's fixes, pools the room's estimate and
computes the room's odds with the fix drawn from the room's range."""

from __future__ import annotations

import numpy as np
from streamlit.testing.v1 import AppTest

from model import analysis, workshop
from model.assumptions import defaults
from model.library import join
from model.structure import Structured, parse_structure
from tests.support.app import ROOT
from tests.support.store import lib
from ui.format import percent

STRUCTURE = parse_structure({"fixes": [
    {"name": "Billing errors", "capex": 1e6, "churn_share": {"low": 0.04, "likely": 0.08,
                                                             "high": 0.12}}]})


def app_with(param: str, token: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params[param] = token
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


FIXES = [f"Broken journey {i + 1}" for i in range(11)] + ["Billing <b>errors</b>"]


def test_a_participant_estimates_any_of_the_rooms_fixes_by_name():
    """Every fix the facilitator asks about has its own row, named, with no typing of names (the
    form used to take three typed names); the name shows as text, not markup."""
    library = lib()
    shop = library.start_workshop("Fixes")
    assert app_with("join", shop.join_token).expander == []  # no fixes asked: no fix section
    library.set_workshop_fixes(shop.id, FIXES)
    at = app_with("join", shop.join_token)
    assert [t.value for t in at.text] == FIXES
    assert "12" in at.expander[0].label and not at.text_input(key="p_name").value
    at.radio(key="p_vote").set_value("Yes")
    at.number_input(key="p_fix11_low").set_value(3.0)
    at.number_input(key="p_fix11_likely").set_value(6.0)
    at.button[0].click().run()
    assert "Fix: Billing <b>errors</b> (share of churn): fill in" in \
        at.error[0].value.replace("\\", "")
    assert library.answers(shop.id) == []
    at.number_input(key="p_fix11_high").set_value(12.0)
    at.number_input(key="p_fix0_low").set_value(1.0)
    at.number_input(key="p_fix0_likely").set_value(2.0)
    at.number_input(key="p_fix0_high").set_value(4.0)
    at.button[0].click().run()
    assert not at.error and at.success
    [row] = library.answers(shop.id)
    assert workshop.parse_estimates(row.estimates_json) == {
        "fix:Broken journey 1": workshop.Estimate(0.01, 0.02, 0.04),
        "fix:Billing <b>errors</b>": workshop.Estimate(0.03, 0.06, 0.12)}


def test_a_returning_participant_finds_each_fix_in_its_row(monkeypatch):
    from ui import participant_form

    library = lib()
    shop = library.set_workshop_fixes(library.start_workshop("Back").id, ["A", "Billing"])
    room = join(library.store, shop.join_token)
    room.submit({"participant": "p-me", "round": "before", "vote": "yes", "confidence": 0.5,
                 "estimates": {"fix:billing": {"low": 0.1, "likely": 0.2, "high": 0.3},
                               "fix:Gone": {"low": 0.1, "likely": 0.2, "high": 0.3}}})
    state: dict = {}
    monkeypatch.setattr(participant_form.st, "session_state", state)  # what prefill writes
    participant_form.prefill(room, room.state(), "p-me")
    assert (state["p_fix1_low"], state["p_fix1_likely"], state["p_fix1_high"]) == (10, 20, 30)
    assert not any(k.startswith("p_fix0") for k in state)  # a fix no longer asked is left out


def test_the_facilitator_pools_the_fix_and_the_rooms_odds_draw_it():
    library = lib()
    values = {**defaults(), "honesty": 0.6}
    library.save("With a fix", values, structure=STRUCTURE)
    shop = library.start_workshop("Fixes")
    room = join(library.store, shop.join_token)
    for i, (lo, li, hi) in enumerate([(0.2, 0.25, 0.3), (0.22, 0.3, 0.4)]):
        room.submit({"participant": f"p{i}", "round": "before", "vote": "yes",
                     "confidence": 0.5, "estimates": {"fix:billing errors": {
                         "low": lo, "likely": li, "high": hi}}})
    at = app_with("facilitator", shop.facilitator_token)
    assert library.workshop(shop.id).fixes == ()  # the model's defaults: no fixes to ask about
    at.selectbox(key="f_scenario").set_value("With a fix").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Billing errors" in t.value for t in at.text)  # the names the room can estimate
    assert library.workshop(shop.id).fixes == ("Billing errors",)  # and the phones ask them
    again = app_with("facilitator", shop.facilitator_token)  # reopened: the same scenario
    assert again.selectbox(key="f_scenario").value == "With a fix"
    table = at.dataframe[0].value
    row = table[table["Assumption"] == "Fix: billing errors (share of churn)"].iloc[0]
    assert row["Answers"] == 2 and row["Today"] == percent(0.08, 1)

    view = library.results(shop.id).view()
    applied, ranges = workshop.apply_view(library.get("With a fix").values, view)
    structure, unknown = workshop.apply_fixes(STRUCTURE, view)
    assert not unknown and structure.fixes[0].low == 0.2
    expected = analysis.monte_carlo(applied, Structured(structure, applied), ranges,
                                    analysis.DEFAULT_DRAWS, seed=0)
    plain = analysis.monte_carlo(applied, Structured(STRUCTURE, applied), ranges,
                                 analysis.DEFAULT_DRAWS, seed=0)
    assert not np.array_equal(expected.delta_npv, plain.delta_npv)
    shown = [m.value for m in at.metric if m.label == "Room"]
    assert shown == [percent(expected.p_payback_inside_tenure),
                     percent(expected.p_payback_inside_horizon),
                     percent(expected.p_delta_npv_positive)]


def test_decision_analysis_on_the_workshops_ranges_draws_the_rooms_fix():
    from tests.support.app import APP
    from ui.analysis_charts import ADDS_VALUE, percent_text
    from ui.segments_state import STRUCTURE_KEY

    library = lib()
    shop = library.start_workshop("Kept")
    room = join(library.store, shop.join_token)
    room.submit({"participant": "p0", "round": "before", "vote": "yes", "confidence": 0.5,
                 "estimates": {"fix:Billing errors": {"low": 0.3, "likely": 0.35,
                                                      "high": 0.4}}})
    library.keep_room_view(library.results(shop.id).view())
    da = AppTest.from_file(APP, default_timeout=120)
    da.session_state[STRUCTURE_KEY] = STRUCTURE
    da.switch_page("pages/decision_analysis.py")
    da.run()
    da.radio(key="da_ranges_source").set_value("workshop").run()
    assert not da.exception, [e.value for e in da.exception]
    view = library.room_view()
    values, ranges = workshop.apply_view(defaults(), view)
    structure, _ = workshop.apply_fixes(STRUCTURE, view)
    expected = analysis.monte_carlo(values, Structured(structure, defaults()), ranges,
                                    analysis.DEFAULT_DRAWS, seed=0)
    own = analysis.monte_carlo(values, Structured(STRUCTURE, defaults()), ranges,
                               analysis.DEFAULT_DRAWS, seed=0)
    assert expected.p_delta_npv_positive != own.p_delta_npv_positive
    odds = {m.label: m.value for m in da.metric}
    assert odds[ADDS_VALUE] == percent_text(expected.p_delta_npv_positive)
