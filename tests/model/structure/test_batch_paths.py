"""The structured Monte Carlo's fast paths give the same numbers, to the bit, as the plain ones:
a batch simulated in chunks against one call, and a pair asked for some sums only against the
full pair (the month-block flow against a run's scalar flow: tests/model/test_simulation.py)."""

from __future__ import annotations

import numpy as np

import model.structure._engine as structure_engine
from model.assumptions import validate
from model.simulation import COMPARED, Simulation, simulate_pair
from model.structure import Structured, parse_structure

SEGMENTS = [
    {"name": "Consumers", "share": 0.5, "arpu": 25, "churn": 0.3},
    {"name": "Business", "share": 0.3, "arpu": 80, "churn": 0.18, "bad_profit_share": 0.1},
    {"name": "Enterprise", "share": 0.2, "arpu": 200, "churn": 0.1, "honesty": 1.0},
]
STRUCTURE = {
    "segments": SEGMENTS,
    "tiers": [{"name": "User", "share": 0.7, "arpu": 40, "upgrade": 0.02},
              {"name": "Heavy", "share": 0.2, "arpu": 60, "upgrade": 0.01, "downgrade": 0.01},
              {"name": "Super", "share": 0.1, "arpu": 90, "downgrade": 0.01}],
    "fixes": [{"name": "Billing", "capex": 1e6, "churn_share": 0.05},
              {"name": "App", "capex": 2e6, "churn_share": {"low": 0.01, "likely": 0.03,
                                                            "high": 0.06},
               "segments": ["Consumers"], "build_months": 6}],
}


def _batch(values, n: int) -> dict[str, object]:
    rng = np.random.default_rng(11)
    return {**values, "annual_churn": rng.uniform(0.1, 0.4, n),
            "trust_gain_honesty": rng.uniform(0.2, 0.8, n), "fix_share_1": rng.uniform(0, 0.06, n),
            "discount_rate_annual": rng.uniform(0.05, 0.15, n)}


def test_a_batch_in_chunks_is_the_batch_in_one_call_to_the_bit(monkeypatch):
    values = validate({"honesty": 0.6, "investment": 3e6, "horizon_years": 4})
    structured = Structured(parse_structure(STRUCTURE), values)
    batch = _batch(values, 250)
    monkeypatch.setattr(structure_engine, "CHUNK_MEMBERS", 3 * 60)  # 5 chunks of 60, the last 10
    chunked = simulate_pair(batch, structured)
    monkeypatch.setattr(structure_engine, "CHUNK_MEMBERS", 10**6)  # one call, summed by combine
    whole = simulate_pair(batch, structured)
    for a, b in zip(chunked[:2], whole[:2], strict=True):
        for name in Simulation.__dataclass_fields__:
            x, y = np.asarray(getattr(a, name)), np.asarray(getattr(b, name))
            assert x.shape == y.shape and np.array_equal(x, y), name
    for key, x in chunked[2].items():
        assert np.array_equal(x, whole[2][key], equal_nan=True), key


def test_a_pair_asked_for_some_sums_has_them_to_the_bit_and_leaves_out_the_rest(monkeypatch):
    values = validate({"honesty": 0.6, "investment": 3e6, "horizon_years": 4})
    structured = Structured(parse_structure(STRUCTURE), values)
    batch = _batch(values, 250)
    monkeypatch.setattr(structure_engine, "CHUNK_MEMBERS", 3 * 60)
    full = simulate_pair(batch, structured)
    some = simulate_pair(batch, structured, fields=("new_bought",))
    kept = {*COMPARED, "new_bought", "discount_factor", "include_terminal_value",
            "churn_capped", "trust_drift_clipped"}
    for a, b in zip(some[:2], full[:2], strict=True):
        for name in Simulation.__dataclass_fields__:
            if name == "segment_names":
                continue
            x, y = np.asarray(getattr(a, name)), np.asarray(getattr(b, name))
            assert x.shape == y.shape, name
            if name in kept:
                assert np.array_equal(x, y), name
            else:
                assert np.isnan(x).all(), name
    for key, x in some[2].items():
        assert np.array_equal(x, full[2][key], equal_nan=True), key
