"""The structured Monte Carlo's fast paths give the same numbers, to the bit, as the plain ones:
the one-segment flow on month blocks against the scalar flow of a run, a batch simulated in
chunks against one call, and a pair asked for some sums only against the full pair."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import model.structure._run as structure_run
from model.assumptions import validate
from model.simulation import COMPARED, Simulation, simulate_pair
from model.simulation import _flow as flow
from model.simulation._baseline import Segments
from model.simulation._trust import first_order_lag
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


def _flow_inputs(rng: np.random.Generator, B: int, H: int, tight: bool):
    hazard = rng.uniform(0.005, 0.08, (B, 1, 1))
    customers = rng.uniform(1e3, 1e5, (B, 1, 1))
    seg = Segments(("a",), hazard, customers, rng.uniform(10, 50, (B, 1)), np.ones((1, 1)),
                   rng.uniform(10, 5e3, B), np.zeros(1, dtype=bool))
    start = np.concatenate([customers[:, :, None, :] * 0.3, customers[:, :, None, :] * 0.7,
                            np.zeros((B, 1, 1, 1))], axis=2)
    factors = rng.uniform(0.3, 40.0, (B, H, 1, 3))  # some classes churn at the 100 % cap
    bought = rng.dirichlet([1, 1, 1], (B, H))
    referred = np.concatenate([np.zeros((B, H, 1)), rng.dirichlet([1, 1], (B, H))], axis=2)
    rate = rng.uniform(0.0, 0.4, (B, H))
    # A tight market binds the inflow (the cut below 1) in many months.
    market = customers[:, 0, 0] * (rng.uniform(1.0, 1.3, B) if tight else 4.0)
    return seg, start, factors, bought, referred, rate, market


@pytest.mark.parametrize("tight", [False, True], ids=["open market", "market binds"])
def test_the_month_block_flow_equals_the_scalar_flow_of_a_run(monkeypatch, tight):
    args = _flow_inputs(np.random.default_rng(5), 60, 36, tight)
    fast = flow.customer_flow(*args)  # 60 series: the Monte Carlo's path
    monkeypatch.setattr(flow, "SMALL_BATCH", 10**6)  # the same series through a run's path
    slow = flow.customer_flow(*args)
    for field in dataclasses.fields(fast):
        a, b = getattr(fast, field.name), getattr(slow, field.name)
        assert a.shape == b.shape, field.name
        assert np.array_equal(a, b), field.name
    if tight:  # the inflow is cut to the room left: the market fills up to its edge
        full = fast.active.sum(axis=(2, 3))[:, 1:]
        assert np.any(np.isclose(full, args[-1][:, None], rtol=1e-12, atol=0))


def test_a_lag_whose_target_is_its_start_stays_there_and_others_move():
    start = np.array([0.2, 0.5, 0.9])
    still = first_order_lag(np.broadcast_to(start[:, None], (3, 24)), start,
                            np.full(3, 0.3), np.full(3, 0.1))
    assert np.array_equal(still, np.broadcast_to(start[:, None], (3, 24)))
    target = np.broadcast_to(start[:, None], (3, 24)).copy()
    target[1, 5:] = 0.8
    moved = first_order_lag(target, start, np.full(3, 0.3), np.full(3, 0.1))
    assert moved[1, 6] == pytest.approx(0.5 + 0.3 * 0.3) and moved[1, 5] == 0.5
    assert np.array_equal(moved[[0, 2]], still[[0, 2]])


def _batch(values, n: int) -> dict[str, object]:
    rng = np.random.default_rng(11)
    return {**values, "annual_churn": rng.uniform(0.1, 0.4, n),
            "trust_gain_honesty": rng.uniform(0.2, 0.8, n), "fix_share_1": rng.uniform(0, 0.06, n),
            "discount_rate_annual": rng.uniform(0.05, 0.15, n)}


def test_a_batch_in_chunks_is_the_batch_in_one_call_to_the_bit(monkeypatch):
    values = validate({"honesty": 0.6, "investment": 3e6, "horizon_years": 4})
    structured = Structured(parse_structure(STRUCTURE), values)
    batch = _batch(values, 250)
    monkeypatch.setattr(structure_run, "CHUNK_MEMBERS", 3 * 60)  # 5 chunks of 60, the last 10
    chunked = simulate_pair(batch, structured)
    monkeypatch.setattr(structure_run, "CHUNK_MEMBERS", 10**6)  # one call, summed by combine
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
    monkeypatch.setattr(structure_run, "CHUNK_MEMBERS", 3 * 60)
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
