"""The store on SQLite and on PostgreSQL (same tests): workspaces, bin, names, export/import."""

from __future__ import annotations

import json

import pytest

from model.analysis import Range
from model.assumptions import defaults
from model.store import (
    DEFAULT_WORKSPACE,
    LOCAL_USER,
    StoreError,
    open_store,
    scenarios,
    transfer,
    workshops,
    workspaces,
)
from model.workshop import RoomView
from tests.support.threads import run_threads

U = LOCAL_USER


def scenario(**changes) -> dict:
    return {**defaults(), **changes}


@pytest.fixture
def store(store_url):
    return open_store(store_url)


# --- workspaces ---------------------------------------------------------------------------------

def test_first_start_has_the_default_workspace_with_the_presets(store):
    assert [w.name for w in workspaces.list_workspaces(store, U)] == [DEFAULT_WORKSPACE]
    names = [e.name for e in scenarios.list_entries(store, U, None)]
    assert names == ["Status quo", "Cautious", "Bold"]


def test_scenarios_belong_to_one_workspace(store):
    workspaces.create_workspace(store, U, "Acme GmbH", presets=False)
    scenarios.save(store, U, "Acme GmbH", "Plan", scenario(honesty=0.3))
    scenarios.save(store, U, None, "Plan", scenario(honesty=0.9))  # same name, other workspace
    assert [e.name for e in scenarios.list_entries(store, U, "acme gmbh")] == ["Plan"]
    assert scenarios.get(store, U, "Acme GmbH", "plan").values["honesty"] == 0.3
    assert scenarios.get(store, U, None, "Plan").values["honesty"] == 0.9
    with pytest.raises(StoreError, match="already exists"):
        workspaces.create_workspace(store, U, "ACME GMBH")
    with pytest.raises(StoreError, match="no workspace named “Nope”"):
        scenarios.list_entries(store, U, "Nope")


def test_deleting_a_scenario_can_be_undone_until_purged(store):
    scenarios.save(store, U, None, "Keep me", scenario(honesty=0.25), "a note")
    scenarios.delete(store, U, None, "keep me")
    assert "Keep me" not in [e.name for e in scenarios.list_entries(store, U, None)]
    binned = scenarios.list_entries(store, U, None, deleted=True)
    assert [e.name for e in binned] == ["Keep me"] and binned[0].deleted_at
    scenarios.save(store, U, None, "Keep me", scenario(), "a new one")  # the name is free again
    with pytest.raises(StoreError, match="exists again"):
        scenarios.restore(store, U, None, "Keep me")
    scenarios.delete(store, U, None, "Keep me")  # now two in the bin: the latest comes back first
    back = scenarios.restore(store, U, None, "Keep me")
    assert back.note == "a new one" and back.deleted_at is None
    assert scenarios.purge(store, U, None) == 1
    with pytest.raises(StoreError, match="no deleted scenario"):
        scenarios.restore(store, U, None, "Keep me")
    assert scenarios.get(store, U, None, "Keep me").note == "a new one"


def test_deleting_a_workspace_can_be_undone_and_the_last_one_stays(store):
    with pytest.raises(StoreError, match="only workspace"):
        workspaces.delete_workspace(store, U, DEFAULT_WORKSPACE)
    workspaces.create_workspace(store, U, "Client B")
    scenarios.save(store, U, "Client B", "Theirs", scenario(honesty=0.4))
    workspaces.delete_workspace(store, U, "Client B")
    assert [w.name for w in workspaces.list_workspaces(store, U)] == [DEFAULT_WORKSPACE]
    assert [w.name for w in workspaces.list_workspaces(store, U, deleted=True)] == ["Client B"]
    with pytest.raises(StoreError, match="no workspace"):
        scenarios.list_entries(store, U, "Client B")
    workspaces.restore_workspace(store, U, "client b")
    assert scenarios.get(store, U, "Client B", "Theirs").values["honesty"] == 0.4
    workspaces.delete_workspace(store, U, "Client B")
    workspaces.purge_workspace(store, U, "Client B")
    with pytest.raises(StoreError, match="no deleted workspace"):
        workspaces.restore_workspace(store, U, "Client B")


@pytest.mark.parametrize("name", ["👩‍💻 Dev plan", "می‌خواهم", "Смелый план", "大胆な計画",
                                  "![x](http://127.0.0.1:9/x.png)"])
def test_names_with_joiners_and_any_script_are_kept(store, name):
    scenarios.save(store, U, None, name, scenario(honesty=0.5))
    assert name in [e.name for e in scenarios.list_entries(store, U, None)]
    workspaces.create_workspace(store, U, name, presets=False)
    assert name in [w.name for w in workspaces.list_workspaces(store, U)]


@pytest.mark.parametrize("name", ["a\u0000b", "two\nlines", "tab\there", "rtl\u202eoverride",
                                  "x" * 81])
def test_control_characters_and_long_names_are_refused(store, name):
    before = scenarios.list_entries(store, U, None)
    with pytest.raises(StoreError, match="control character|at most 80"):
        scenarios.save(store, U, None, name, scenario())
    assert scenarios.list_entries(store, U, None) == before


def test_twenty_threads_saving_at_once_lose_nothing(store):
    errors = run_threads(lambda i: scenarios.save(store, U, None, f"S{i}", scenario(honesty=i / 20)),
                         20)
    assert errors == []
    entries = {e.name: e for e in scenarios.list_entries(store, U, None)}
    assert len(entries) == 23 and all(entries[f"S{i}"].values["honesty"] == i / 20
                                      for i in range(20))


def test_twenty_threads_creating_one_name_make_exactly_one(store):
    errors = run_threads(lambda i: scenarios.save(store, U, None, "Race", scenario(honesty=i / 20)),
                         20)
    assert len(errors) == 19 and all("already exists" in str(e) for e in errors)
    assert [e.name for e in scenarios.list_entries(store, U, None)].count("Race") == 1


# --- export / import ----------------------------------------------------------------------------

def test_workspace_export_import_round_trip(store):
    workspaces.create_workspace(store, U, "Acme", presets=False)
    scenarios.save(store, U, "Acme", "Plan <b>", scenario(honesty=0.35), "note *x*")
    workspaces.save_view(store, U, "Acme", RoomView(
        (Range("bad_profit_share", 0.05, 0.08, 0.2),), (("p_no_response", 0.3),)))
    shop = workshops.create(store, U, "Acme", "Board day")
    workshops.upsert_answer(store, shop.id, "p1", "Ana", "before", "yes", 0.7,
                        json.dumps({"bad_profit_share": {"low": 0.05, "likely": 0.1,
                                                         "high": 0.2}}))
    data = json.loads(json.dumps(transfer.export_workspace(store, U, "Acme")))
    assert "join_token" not in json.dumps(data) and shop.join_token not in json.dumps(data)
    ws = transfer.import_workspace(store, U, data, name="Acme copy")
    assert ws.scenarios == 1
    entry = scenarios.get(store, U, "Acme copy", "Plan <b>")
    assert entry.note == "note *x*" and entry.values == scenario(honesty=0.35)
    view = workspaces.load_view(store, U, "Acme copy")
    assert view.ranges == (Range("bad_profit_share", 0.05, 0.08, 0.2),)
    assert view.values == (("p_no_response", 0.3),)
    [copy] = workshops.list_for(store, U, "Acme copy")
    assert copy.id != shop.id and copy.join_token != shop.join_token
    [ans] = workshops.answers(store, U, copy.id)
    assert (ans.participant_key, ans.display_name, ans.vote) == ("p1", "Ana", "yes")


def test_a_bad_workspace_file_changes_nothing(store):
    good = {"format": transfer.FORMAT, "version": 1, "name": "New",
            "scenarios": [{"name": "A", "note": "", "values": scenario()},
                          {"name": "B", "note": "", "values": {"honesty": 7}}]}
    with pytest.raises(StoreError, match=r"scenarios\[1\].*honesty"):
        transfer.import_workspace(store, U, good)
    assert [w.name for w in workspaces.list_workspaces(store, U)] == [DEFAULT_WORKSPACE]
    with pytest.raises(StoreError, match="not a workspace file"):
        transfer.import_workspace(store, U, {"hello": 1})
    with pytest.raises(StoreError, match="not JSON"):
        transfer.read_workspace_file(b"\xff\xfe{")


# --- workshops: tokens ------------------------------------------------------------------------

def test_tokens_are_unguessable_and_open_only_their_own_workshop(store):
    a = workshops.create(store, U, None, "A")
    b = workshops.create(store, U, None, "B")
    assert len(a.join_token.split(".", 1)[1]) >= 32 and a.join_token != a.facilitator_token
    assert workshops.by_token(store, a.join_token, "join").title == "A"
    assert workshops.by_token(store, b.facilitator_token, "facilitator").title == "B"
    assert workshops.by_token(store, a.join_token, "facilitator") is None  # join ≠ facilitator
    forged = a.id + "." + b.join_token.split(".", 1)[1]  # a's id with b's secret
    for bad in (forged, a.join_token + "x", a.id, "", None, "x" * 500, "' OR 1=1 --.x"):
        assert workshops.by_token(store, bad, "join") is None


def test_deleted_workspace_hides_its_workshop_links(store):
    workspaces.create_workspace(store, U, "Gone")
    shop = workshops.create(store, U, "Gone")
    workspaces.delete_workspace(store, U, "Gone")
    assert workshops.by_token(store, shop.join_token, "join") is None
