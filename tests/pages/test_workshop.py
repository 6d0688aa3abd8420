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
    me = at.query_params["me"]
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
    [row] = lib().answers(shop.id)
    assert row.participant_key == me and row.vote == "yes" and row.display_name == HOSTILE[:40]
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


def test_a_returning_participant_sees_their_answer_again(shop):
    at = app_with("join", shop.join_token)
    me = at.query_params["me"]
    me = me[0] if isinstance(me, list) else me
    at.radio(key="p_vote").set_value("No")
    at.slider(key="p_sure").set_value(80)
    at.button[0].click().run()
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    again.query_params["join"] = shop.join_token
    again.query_params["me"] = me
    again.run()
    assert again.radio(key="p_vote").value == "No" and again.slider(key="p_sure").value == 80
    again.button[0].click().run()  # sending again replaces, never adds
    assert len(lib().answers(shop.id)) == 1
