"""The store on SQLite and on PostgreSQL (same tests): workspaces, bin, names, export/import."""

from __future__ import annotations

import json

import pytest

from model.assumptions import defaults
from model.store import DEFAULT_WORKSPACE, StoreError, open_store, scenarios, transfer
from model.store import workshops as shops
from tests.support.threads import run_threads


def scenario(**changes) -> dict:
    return {**defaults(), **changes}


@pytest.fixture
def store(store_url):
    return open_store(store_url)


# --- workspaces ---------------------------------------------------------------------------------

def test_first_start_has_the_default_workspace_with_the_presets(store):
    assert [w.name for w in scenarios.list_workspaces(store)] == [DEFAULT_WORKSPACE]
    names = [e.name for e in scenarios.list_entries(store, None)]
    assert names == ["Status quo", "Cautious", "Bold"]


def test_scenarios_belong_to_one_workspace(store):
    scenarios.create_workspace(store, "Acme GmbH", presets=False)
    scenarios.save(store, "Acme GmbH", "Plan", scenario(honesty=0.3))
    scenarios.save(store, None, "Plan", scenario(honesty=0.9))  # same name, other workspace
    assert [e.name for e in scenarios.list_entries(store, "acme gmbh")] == ["Plan"]
    assert scenarios.get(store, "Acme GmbH", "plan").values["honesty"] == 0.3
    assert scenarios.get(store, None, "Plan").values["honesty"] == 0.9
    with pytest.raises(StoreError, match="already exists"):
        scenarios.create_workspace(store, "ACME GMBH")
    with pytest.raises(StoreError, match="no workspace named “Nope”"):
        scenarios.list_entries(store, "Nope")


def test_deleting_a_scenario_can_be_undone_until_purged(store):
    scenarios.save(store, None, "Keep me", scenario(honesty=0.25), "a note")
    scenarios.delete(store, None, "keep me")
    assert "Keep me" not in [e.name for e in scenarios.list_entries(store, None)]
    binned = scenarios.list_entries(store, None, deleted=True)
    assert [e.name for e in binned] == ["Keep me"] and binned[0].deleted_at
    scenarios.save(store, None, "Keep me", scenario(), "a new one")  # the name is free again
    with pytest.raises(StoreError, match="exists again"):
        scenarios.restore(store, None, "Keep me")
    scenarios.delete(store, None, "Keep me")  # now two in the bin: the latest comes back first
    back = scenarios.restore(store, None, "Keep me")
    assert back.note == "a new one" and back.deleted_at is None
    assert scenarios.purge(store, None) == 1
    with pytest.raises(StoreError, match="no deleted scenario"):
        scenarios.restore(store, None, "Keep me")
    assert scenarios.get(store, None, "Keep me").note == "a new one"


def test_deleting_a_workspace_can_be_undone_and_the_last_one_stays(store):
    with pytest.raises(StoreError, match="only workspace"):
        scenarios.delete_workspace(store, DEFAULT_WORKSPACE)
    scenarios.create_workspace(store, "Client B")
    scenarios.save(store, "Client B", "Theirs", scenario(honesty=0.4))
    scenarios.delete_workspace(store, "Client B")
    assert [w.name for w in scenarios.list_workspaces(store)] == [DEFAULT_WORKSPACE]
    assert [w.name for w in scenarios.list_workspaces(store, deleted=True)] == ["Client B"]
    with pytest.raises(StoreError, match="no workspace"):
        scenarios.list_entries(store, "Client B")
    scenarios.restore_workspace(store, "client b")
    assert scenarios.get(store, "Client B", "Theirs").values["honesty"] == 0.4
    scenarios.delete_workspace(store, "Client B")
    scenarios.purge_workspace(store, "Client B")
    with pytest.raises(StoreError, match="no deleted workspace"):
        scenarios.restore_workspace(store, "Client B")


@pytest.mark.parametrize("name", ["👩‍💻 Dev plan", "می‌خواهم", "Смелый план", "大胆な計画",
                                  "![x](http://127.0.0.1:9/x.png)"])
def test_names_with_joiners_and_any_script_are_kept(store, name):
    scenarios.save(store, None, name, scenario(honesty=0.5))
    assert name in [e.name for e in scenarios.list_entries(store, None)]
    scenarios.create_workspace(store, name, presets=False)
    assert name in [w.name for w in scenarios.list_workspaces(store)]


@pytest.mark.parametrize("name", ["a\u0000b", "two\nlines", "tab\there", "rtl\u202eoverride",
                                  "x" * 81])
def test_control_characters_and_long_names_are_refused(store, name):
    before = scenarios.list_entries(store, None)
    with pytest.raises(StoreError, match="control character|at most 80"):
        scenarios.save(store, None, name, scenario())
    assert scenarios.list_entries(store, None) == before


def test_twenty_threads_saving_at_once_lose_nothing(store):
    errors = run_threads(lambda i: scenarios.save(store, None, f"S{i}", scenario(honesty=i / 20)),
                         20)
    assert errors == []
    entries = {e.name: e for e in scenarios.list_entries(store, None)}
    assert len(entries) == 23 and all(entries[f"S{i}"].values["honesty"] == i / 20
                                      for i in range(20))


def test_twenty_threads_creating_one_name_make_exactly_one(store):
    errors = run_threads(lambda i: scenarios.save(store, None, "Race", scenario(honesty=i / 20)),
                         20)
    assert len(errors) == 19 and all("already exists" in str(e) for e in errors)
    assert [e.name for e in scenarios.list_entries(store, None)].count("Race") == 1


# --- export / import ----------------------------------------------------------------------------

def test_workspace_export_import_round_trip(store):
    scenarios.create_workspace(store, "Acme", presets=False)
    scenarios.save(store, "Acme", "Plan <b>", scenario(honesty=0.35), "note *x*")
    scenarios.save_ranges(store, "Acme", json.dumps({"bad_profit_share": {
        "low": 0.05, "likely": 0.08, "high": 0.2}}))
    shop = shops.create(store, "Acme", "Board day")
    shops.upsert_answer(store, shop.id, "p1", "Ana", "before", "yes", 0.7,
                        json.dumps({"bad_profit_share": {"low": 0.05, "likely": 0.1,
                                                         "high": 0.2}}))
    data = json.loads(json.dumps(transfer.export_workspace(store, "Acme")))
    assert "join_token" not in json.dumps(data) and shop.join_token not in json.dumps(data)
    ws = transfer.import_workspace(store, data, name="Acme copy")
    assert ws.scenarios == 1
    entry = scenarios.get(store, "Acme copy", "Plan <b>")
    assert entry.note == "note *x*" and entry.values == scenario(honesty=0.35)
    assert json.loads(scenarios.load_ranges(store, "Acme copy"))["bad_profit_share"]["high"] == 0.2
    [copy] = shops.list_for(store, "Acme copy")
    assert copy.id != shop.id and copy.join_token != shop.join_token
    [ans] = shops.answers(store, copy.id)
    assert (ans.participant_key, ans.display_name, ans.vote) == ("p1", "Ana", "yes")


def test_a_bad_workspace_file_changes_nothing(store):
    good = {"format": transfer.FORMAT, "version": 1, "name": "New",
            "scenarios": [{"name": "A", "note": "", "values": scenario()},
                          {"name": "B", "note": "", "values": {"honesty": 7}}]}
    with pytest.raises(StoreError, match=r"scenarios\[1\].*honesty"):
        transfer.import_workspace(store, good)
    assert [w.name for w in scenarios.list_workspaces(store)] == [DEFAULT_WORKSPACE]
    with pytest.raises(StoreError, match="not a workspace file"):
        transfer.import_workspace(store, {"hello": 1})
    with pytest.raises(StoreError, match="not JSON"):
        transfer.read_workspace_file(b"\xff\xfe{")


# --- workshops: tokens ------------------------------------------------------------------------

def test_tokens_are_unguessable_and_open_only_their_own_workshop(store):
    a = shops.create(store, None, "A")
    b = shops.create(store, None, "B")
    assert len(a.join_token.split(".", 1)[1]) >= 32 and a.join_token != a.facilitator_token
    assert shops.by_token(store, a.join_token, "join").title == "A"
    assert shops.by_token(store, b.facilitator_token, "facilitator").title == "B"
    assert shops.by_token(store, a.join_token, "facilitator") is None  # join ≠ facilitator
    forged = a.id + "." + b.join_token.split(".", 1)[1]  # a's id with b's secret
    for bad in (forged, a.join_token + "x", a.id, "", None, "x" * 500, "' OR 1=1 --.x"):
        assert shops.by_token(store, bad, "join") is None


def test_deleted_workspace_hides_its_workshop_links(store):
    scenarios.create_workspace(store, "Gone")
    shop = shops.create(store, "Gone")
    scenarios.delete_workspace(store, "Gone")
    assert shops.by_token(store, shop.join_token, "join") is None
