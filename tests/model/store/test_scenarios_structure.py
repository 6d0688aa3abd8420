"""A saved scenario keeps its segments, tiers and fixes (SQLite and PostgreSQL), and a workspace
export carries them."""

from __future__ import annotations

import json

from model.store import LOCAL_USER, open_store, scenarios, transfer, workspaces
from model.structure import parse_structure

U = LOCAL_USER
STRUCTURE = parse_structure({
    "segments": [{"name": "Core", "share": 0.8}, {"name": "Deal hunters", "share": 0.2,
                                                  "cac": 500}],
    "fixes": [{"name": "Billing", "capex": 1e6, "churn_share": {"low": 0.04, "likely": 0.08,
                                                                "high": 0.12}}]})


def test_a_saved_scenario_keeps_its_structure(store_url):
    store = open_store(store_url)
    workspaces.create_workspace(store, U, "Client", presets=False)
    scenarios.save(store, U, "Client", "With segments", {"honesty": 0.7}, structure=STRUCTURE)
    scenarios.save(store, U, "Client", "Plain", {"honesty": 0.2})
    got = scenarios.get(store, U, "Client", "With segments")
    assert got.values["honesty"] == 0.7 and got.structure == STRUCTURE
    assert scenarios.get(store, U, "Client", "Plain").structure.empty
    exported = transfer.export_workspace(store, U, "Client")
    assert "Deal hunters" in json.dumps(exported)
    transfer.import_workspace(store, U, exported, name="Copy")
    assert scenarios.get(store, U, "Copy", "With segments").structure == STRUCTURE
