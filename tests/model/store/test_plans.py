"""Committed plans and actuals in the store, on SQLite and PostgreSQL (same tests): immutable
plans superseded with their history kept, actuals saved as versions, members only."""

from __future__ import annotations

import json

import pytest

from model.library import Library, StoreError, Workspaces, open_store
from model.tracking import ActualsError, Staging, read_actuals

ACTUALS = """month,customers_start,churned,new_customers,revenue,trust
1,100000,1800,1500,5000000,
2,99700,1750,1520,4990000,
"""


@pytest.fixture
def lib(store_url):
    store = open_store(store_url)
    Workspaces(store, "alice@example.org").create("Client A")
    lib = Library(store, "Client A", "alice@example.org")
    lib.save("Plan A", {"honesty": 0.6, "investment": 3_000_000})
    return lib


def test_commit_freezes_the_scenario(lib):
    stored, plan = lib.commit_plan("Plan A", "2027-01", seed=4, draws=200,
                                   staging=Staging(0.3, 12, 0.7))
    assert stored.live and stored.scenario == "Plan A" and stored.workspace == "Client A"
    again_stored, again = lib.plan(stored.id)
    assert again.values["honesty"] == 0.6 and again.seed == 4 and again.draws == 200
    assert again.staging == Staging(0.3, 12, 0.7)
    assert set(again.fan) == {"customers", "churned", "new_customers", "revenue",
                              "cumulative_delta"}
    assert len(again.fan["churned"][1]) == again.horizon_months
    # editing the scenario afterwards does not touch the plan
    lib.save("Plan A", {"honesty": 0.1}, overwrite=True)
    assert lib.plan(stored.id)[1].values["honesty"] == 0.6


def test_a_new_commit_supersedes_and_keeps_the_history(lib):
    first, _ = lib.commit_plan("Plan A", "2027-01", draws=100)
    second, _ = lib.commit_plan("Plan A", "2027-02", draws=100)
    history = lib.plans()
    assert [p.id for p in history] == [second.id, first.id]
    old = lib.plan(first.id)[0]
    assert old.superseded_by == second.id and not old.live
    assert [p.id for p in lib.plans(history=False)] == [second.id]


def test_actuals_are_versions_and_bad_input_loses_nothing(lib):
    stored, plan = lib.commit_plan("Plan A", "2027-01", draws=100)
    assert lib.actuals(stored.id) is None
    lib.save_actuals(stored.id, read_actuals(ACTUALS))
    with pytest.raises(ActualsError):
        lib.save_actuals(stored.id, read_actuals(ACTUALS.replace("1750", "x")))
    current = lib.actuals(stored.id)
    assert current.churned.tolist() == [1800, 1750]
    lib.save_actuals(stored.id, read_actuals(ACTUALS + "3,99470,1700,1490,4985000,\n"), "table")
    assert len(lib.actuals(stored.id)) == 3
    assert [v.version for v in lib.actuals_history(stored.id)] == [1, 2]


def test_plans_of_others_do_not_exist(lib):
    stored, _ = lib.commit_plan("Plan A", "2027-01", draws=100)
    bob = Workspaces(lib.store, "bob@example.org")
    with pytest.raises(StoreError, match="no plan"):
        bob.plan(stored.id)
    with pytest.raises(StoreError, match="no plan"):
        Workspaces(lib.store, "alice@example.org").plan("plan-nothere")
    found, again = Workspaces(lib.store, "alice@example.org").plan(stored.id)
    assert found.name == "Client A" and again.id == stored.id


def test_purging_a_workspace_removes_its_plans(lib):
    stored, _ = lib.commit_plan("Plan A", "2027-01", draws=100)
    lib.save_actuals(stored.id, read_actuals(ACTUALS))
    ws = Workspaces(lib.store, "alice@example.org")
    ws.create("Client B", presets=False)
    ws.delete("Client A")
    ws.purge("Client A")
    with pytest.raises(StoreError):
        ws.plan(stored.id)


def test_a_workspace_file_carries_the_plans_and_every_actuals_version(lib):
    """Export and import keep the CFO's record: each plan, which one superseded which, and every
    saved version of its actuals (new plan ids; the frozen plan read back the same)."""
    first, _ = lib.commit_plan("Plan A", "2027-01", draws=100)
    lib.save_actuals(first.id, read_actuals(ACTUALS))
    second, plan = lib.commit_plan("Plan A", "2027-02", draws=100, staging=Staging(0.3, 12, 0.7))
    lib.save_actuals(second.id, read_actuals(ACTUALS), "table")
    lib.save_actuals(second.id, read_actuals(ACTUALS + "3,99470,1700,1490,4985000,\n"))
    data = json.loads(json.dumps(lib.export()))
    ws = Workspaces(lib.store, "alice@example.org")
    ws.import_data(data, name="Client A copy")
    copy = Library(lib.store, "Client A copy", "alice@example.org")
    live, old = copy.plans()
    assert {live.id, old.id}.isdisjoint({first.id, second.id})
    assert live.live and old.superseded_by == live.id and live.created_at == second.created_at
    assert copy.plan(live.id)[1] == plan  # the frozen plan, fan and odds included
    history = copy.actuals_history(live.id)
    assert [(v.version, v.source) for v in history] == [(1, "table"), (2, "csv")]
    assert copy.actuals(live.id).to_csv() == lib.actuals(second.id).to_csv()
    assert [v.csv for v in copy.actuals_history(old.id)] == [
        v.csv for v in lib.actuals_history(first.id)]


@pytest.mark.parametrize(("edit", "message"), [
    (lambda p: p["actuals"][0].update(csv="month,churned\n1,x\n"), r"plans\[0\]\.actuals\[0\]"),
    (lambda p: p["plan"]["fan"]["churned"][1].append(1.0), r"plans\[0\]: fan\.churned"),
    (lambda p: p["plan"]["values"].update(honesty=7), r"plans\[0\].*honesty"),
    (lambda p: p.update(superseded_by="plan-nowhere"), r"superseded_by names no plan"),
    (lambda p: p["plan"].pop("seed"), r"plans\[0\]\.plan is not a committed plan"),
    (lambda p: p["plan"]["odds"].update(p_x=2), r"each chance \(p_…\) a share"),
])
def test_a_bad_plan_in_a_workspace_file_changes_nothing(lib, edit, message):
    stored, _ = lib.commit_plan("Plan A", "2027-01", draws=100)
    lib.save_actuals(stored.id, read_actuals(ACTUALS))
    data = json.loads(json.dumps(lib.export()))
    edit(data["plans"][0])
    ws = Workspaces(lib.store, "alice@example.org")
    before = [w.name for w in ws.list()]
    with pytest.raises(StoreError, match=message):
        ws.import_data(data, name="Client A copy")
    assert [w.name for w in ws.list()] == before
