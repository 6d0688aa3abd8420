"""Workshop pages through AppTest: token routing, the participant form, the facilitator view."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from model.library import join
from tests.support.app import ROOT, open_app
from tests.support.store import lib, spaces

HOSTILE = "![x](http://127.0.0.1:9/x.png) [Log in](https://example.org)"


def app_with(param: str, token: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params[param] = token
    at.run()
    assert not at.exception
    return at


@pytest.fixture
def shop():
    return lib().start_workshop(HOSTILE)


def answer(i: int, **changes) -> dict:
    return {"participant": f"p{i}", "round": "before", "vote": "yes", "confidence": 0.6,
            "estimates": {"bad_profit_share": {"low": 0.02, "likely": 0.05, "high": 0.2}},
            **changes}


def test_join_link_shows_only_that_workshop(shop):
    at = app_with("join", shop.join_token)
    assert "\\!\\[x\\]" in at.title[0].value  # the hostile title is shown as text
    assert len(at.radio) == 1 and at.radio[0].options == ["Yes", "Not yet", "No"]
    assert at.sidebar.selectbox.len == 0  # no library, no workspace selector, no navigation


@pytest.mark.parametrize("param, token", [
    ("join", "nope"), ("join", ""), ("facilitator", "x.y"), ("join", "a" * 300),
])
def test_wrong_tokens_get_a_plain_page(shop, param, token):
    at = app_with(param, token)
    assert at.title[0].value == "This link does not open a workshop"
    assert not at.radio and not at.metric and not at.get("vega_lite_chart")


def test_a_join_token_does_not_open_the_facilitator_view(shop):
    at = app_with("facilitator", shop.join_token)
    assert at.title[0].value == "This link does not open a workshop"


def test_participant_sends_revises_and_bad_input_loses_nothing(shop):
    at = app_with("join", shop.join_token)
    assert "me" not in at.query_params  # who answers is never in the address
    at.text_input(key="p_name").set_value(HOSTILE[:40])
    at.radio(key="p_vote").set_value("Not yet")
    at.number_input(key="p_bad_profit_share_low").set_value(2.0)
    at.number_input(key="p_bad_profit_share_likely").set_value(30.0)
    at.number_input(key="p_bad_profit_share_high").set_value(20.0)  # out of order
    at.button[0].click().run()
    assert not at.exception and "out of order" in at.error[0].value
    assert lib().answers(shop.id) == []
    assert at.number_input(key="p_bad_profit_share_likely").value == 30.0  # kept for fixing
    at.number_input(key="p_bad_profit_share_likely").set_value(10.0)
    at.button[0].click().run()
    assert not at.error and at.success
    at.radio(key="p_vote").set_value("Yes")
    at.button[0].click().run()
    [row] = lib().answers(shop.id)  # sent three times by one participant: one answer
    assert row.participant_key.startswith("p-") and row.vote == "yes"
    assert row.display_name == HOSTILE[:40]
    res = lib().results(shop.id)
    assert res.pooled["bad_profit_share"].low == 0.02


def test_half_filled_estimate_is_refused_with_the_assumption_named(shop):
    at = app_with("join", shop.join_token)
    at.radio(key="p_vote").set_value("No")
    at.number_input(key="p_turmoil_churn_increase_low").set_value(5.0)
    at.button[0].click().run()
    assert "Extra churn during turmoil" in at.error[0].value
    assert lib().answers(shop.id) == []


def test_closed_workshop_takes_no_answers(shop):
    lib().set_workshop(shop.id, status="closed")
    at = app_with("join", shop.join_token)
    assert at.title[-1].value == "The workshop is closed" and not at.radio


def test_facilitator_view_counts_pools_and_saves_ranges(shop):
    room = join(lib().store, shop.join_token)
    for i in range(4):
        room.submit(answer(i, name=HOSTILE[:40] if i == 0 else None))
    at = app_with("facilitator", shop.facilitator_token)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Participants"] == "4" and metrics["Voted before"] == "4"
    assert at.get("vega_lite_chart")  # votes, pooled view, fans
    assert any(t.value == "Named: " + HOSTILE[:40] for t in at.text)  # plain text, not markdown
    at.button(key="f_use").click().run()
    assert not at.exception
    [kept] = lib(shop.workspace).room_view().ranges
    assert kept.name == "bad_profit_share"
    assert "Saved 1 ranges" in at.success[0].value
    at.button(key="f_after").click().run()
    assert lib().workshop(shop.id).current_round == "after"


def test_workspace_selector_switches_the_compare_library():
    spaces().create("Client ✓", presets=False)
    lib("Client ✓").save("Only here", {"honesty": 0.3})
    at = open_app("pages/compare.py")
    assert at.sidebar.selectbox(key="workspace").options == ["My scenarios", "Client ✓"]
    shown = " ".join(str(s.options) for s in at.selectbox)
    assert "Bold" in shown and "Only here" not in shown
    at.sidebar.selectbox(key="workspace").set_value("Client ✓").run()
    assert not at.exception and at.query_params["ws"] in ("Client ✓", ["Client ✓"])
    shown = " ".join(str(s.options) for s in at.selectbox)
    assert "Only here" in shown and "Bold" not in shown


def test_workshop_page_starts_a_workshop_with_links():
    at = open_app("pages/workshop.py")
    at.text_input(key="ws_title").set_value("Offsite")
    at.button[0].click().run()
    assert not at.exception
    [made] = lib().workshops()
    assert made.title == "Offsite"
    codes = [c.value for c in at.code]
    assert any(f"?join={made.join_token}" in c for c in codes)
    assert any(f"?facilitator={made.facilitator_token}" in c for c in codes)


def test_a_key_in_the_address_is_not_an_identity(shop):
    """An address copied from an earlier version (``&me=KEY``) makes a new participant: the
    first participant's answer stays as it was."""
    first = app_with("join", shop.join_token)
    first.radio(key="p_vote").set_value("Yes")
    first.button[0].click().run()
    [row] = lib().answers(shop.id)
    copied = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    copied.query_params["join"] = shop.join_token
    copied.query_params["me"] = row.participant_key
    copied.run()
    assert "me" not in copied.query_params and copied.radio(key="p_vote").value is None
    copied.radio(key="p_vote").set_value("No")
    copied.button[0].click().run()
    rows = {r.participant_key: r.vote for r in lib().answers(shop.id)}
    assert len(rows) == 2 and rows[row.participant_key] == "yes"


def test_a_returning_participant_sees_their_answer_again_without_a_warning(shop, caplog):
    at = app_with("join", shop.join_token)
    at.radio(key="p_vote").set_value("No")
    at.slider(key="p_sure").set_value(80)
    at.button[0].click().run()
    at.session_state["prefilled"] = None  # as a new visit of the same browser would fill it
    at.run()
    assert at.radio(key="p_vote").value == "No" and at.slider(key="p_sure").value == 80
    assert "Session State API" not in caplog.text
    at.button[0].click().run()  # sending again replaces, never adds
    assert len(lib().answers(shop.id)) == 1


def test_an_answer_for_a_round_that_closed_meanwhile_is_refused_with_a_true_message(shop):
    at = app_with("join", shop.join_token)
    at.radio(key="p_vote").set_value("Yes")
    lib().set_workshop(shop.id, current_round="after")  # the facilitator moves on
    at.button[0].click().run()
    assert not at.exception and not at.success
    assert "not stored" in at.error[0].value and lib().answers(shop.id) == []
    assert at.radio(key="p_vote").value is None  # the new round asks for a new vote
    assert any("opened the vote" in i.value for i in at.info)
    at.radio(key="p_vote").set_value("No")
    at.button[0].click().run()
    [row] = lib().answers(shop.id)
    assert (row.round, row.vote) == ("after", "no")


def test_an_answer_sent_as_the_workshop_closes_is_refused_with_a_true_message(shop):
    at = app_with("join", shop.join_token)
    at.radio(key="p_vote").set_value("Yes")
    lib().set_workshop(shop.id, status="closed")
    at.button[0].click().run()
    assert not at.exception and lib().answers(shop.id) == []
    assert at.title[-1].value == "The workshop is closed"
    assert any("not stored" in m.value for m in at.markdown)


# --- the room's odds: one figure on the facilitator's view, Decision analysis and the CLI ---------

ROOM = [  # four participants; their chance of no response differs from the scenario's 20 %
    {"fix_churn_reduction_max": {"low": 0.05, "likely": 0.12, "high": 0.3},
     "bad_profit_share": {"low": 0.05, "likely": 0.1, "high": 0.2},
     "p_no_response": {"low": 0.1, "likely": 0.3, "high": 0.6}},
    {"fix_churn_reduction_max": {"low": 0.1, "likely": 0.2, "high": 0.35},
     "p_no_response": {"low": 0.2, "likely": 0.35, "high": 0.5}},
    {"bad_profit_share": {"low": 0.02, "likely": 0.06, "high": 0.12},
     "p_no_response": {"low": 0.05, "likely": 0.15, "high": 0.4}},
    {"fix_churn_reduction_max": {"low": 0.0, "likely": 0.05, "high": 0.15}},
]


def test_the_rooms_odds_are_one_figure_on_every_screen_and_the_command_line(tmp_path, capsys):
    import json

    import numpy as np

    import cli
    from model import analysis, workshop
    from model.assumptions import defaults
    from ui import analysis_runs, facilitator_view
    from ui.analysis_charts import percent_text
    from ui.format import percent

    shop = lib().start_workshop("Odds")
    room = join(lib().store, shop.join_token)
    for i, estimates in enumerate(ROOM):
        room.submit(answer(i, estimates=estimates))
    view = lib().results(shop.id).view()
    values, ranges = workshop.apply_view(defaults(), view)
    assert values["p_no_response"] != defaults()["p_no_response"]  # the room's own, carried
    expected = analysis.monte_carlo(values, None, ranges, analysis.DEFAULT_DRAWS, seed=0)

    # the facilitator's view: its figure, draw for draw, and what the projector shows
    fac = facilitator_view.room_odds(defaults(), view)
    assert np.array_equal(fac.delta_npv, expected.delta_npv)
    assert np.array_equal(fac.payback_month, expected.payback_month, equal_nan=True)
    at = app_with("facilitator", shop.facilitator_token)
    shown = [m.value for m in at.metric if m.label == "Room"]
    assert shown == [percent(expected.p_payback_inside_tenure),
                     percent(expected.p_payback_inside_horizon),
                     percent(expected.p_delta_npv_positive)]
    at.button(key="f_use").click().run()  # keep the room's view in the workspace

    # Decision analysis on the room's ranges: the same cached Monte Carlo, the same figures shown
    da = open_app("pages/decision_analysis.py")
    da.radio(key="da_ranges_source").set_value("workshop").run()
    assert not da.exception and any("room's own view" in i.value for i in da.info)
    odds = {m.label: m.value for m in da.metric}
    assert odds["Adds value (total > 0)"] == percent_text(expected.p_delta_npv_positive)
    assert odds["Pays back inside your tenure"] == percent_text(expected.p_payback_inside_tenure)
    assert not any("edited by you" in m.value for m in da.markdown)  # nothing was edited
    same = analysis_runs.odds(values, None, ranges, analysis.DEFAULT_DRAWS, 0, "pert")
    assert np.array_equal(same.delta_npv, expected.delta_npv)

    # the command line on the saved ranges
    kept = tmp_path / "room.json"
    assert cli.main(["workspace", "ranges", shop.workspace]) == 0
    kept.write_text(capsys.readouterr().out)
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(defaults()))
    assert cli.main(["analyze", str(scenario), "--ranges", str(kept), "--seed", "0",
                     "--draws", str(analysis.DEFAULT_DRAWS)]) == 0
    printed = json.loads(capsys.readouterr().out)["monte_carlo"]
    assert printed == json.loads(cli.to_json(expected.to_dict()))


def test_without_sign_in_configured_the_app_is_one_local_user_and_says_so():
    from ui.shell import identity

    at = open_app()  # the dashboard: the sidebar says who is using the app
    assert any("Local mode: one user on this machine" in c.value for c in at.sidebar.caption)
    assert not [b for b in at.sidebar.button if b.key == "sign_out"]
    at.switch_page("pages/workshop.py")
    at.run()
    assert any("runs without sign-in, as one local user" in c.value for c in at.caption)
    # who a signed-in person is: the address the provider vouches for, else its subject id
    assert identity({"email": "Ana@Example.org", "sub": "123"}) == "ana@example.org"
    assert identity({"email": "ana@example.org", "email_verified": False, "sub": "x1"}) == "x1"
    assert identity({"sub": "x1"}) == "x1" and identity({}) is None
