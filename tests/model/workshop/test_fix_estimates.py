"""Participants estimate a fix's effect ("fix:NAME": its share of today's churn): checked like
every estimate, pooled like the others, carried in the room's view and drawn by the room's Monte
Carlo in place of the scenario's own range for that fix."""

from __future__ import annotations

import numpy as np
import pytest

from model import analysis
from model.assumptions import defaults
from model.structure import Structured, parse_structure
from model.workshop import (
    AnswerError,
    RoomView,
    StoredAnswer,
    apply_fixes,
    apply_view,
    fix_estimate_key,
    tally,
    validate_answer,
)

STRUCTURE = parse_structure({"fixes": [
    {"name": "Billing errors", "capex": 1e6, "churn_share": {"low": 0.04, "likely": 0.08,
                                                             "high": 0.12}},
    {"name": "Onboarding", "capex": 5e5, "churn_share": 0.05}]})


def raw(estimates: dict, participant: str = "p1") -> dict:
    return {"participant": participant, "round": "before", "vote": "yes", "confidence": 0.7,
            "estimates": estimates}


def stored(answer) -> StoredAnswer:
    return StoredAnswer(answer.participant, answer.name, answer.round, answer.vote,
                        answer.confidence, answer.estimates_json(), "2026-01-01")


def test_a_fix_estimate_is_checked_like_every_estimate():
    a = validate_answer(raw({"fix:  Billing   errors ": {"low": 0.1, "likely": 0.2,
                                                        "high": 0.3}}))
    assert list(a.estimates) == [fix_estimate_key("Billing errors")] == ["fix:Billing errors"]
    for bad, field in (({"low": 0.1, "likely": 0.2, "high": 0.95}, "high"),
                       ({"low": 0.3, "likely": 0.2, "high": 0.4}, None)):
        with pytest.raises(AnswerError) as e:
            validate_answer(raw({"fix:Billing": bad}))
        assert e.value.field == "estimates.fix:Billing" + (f".{field}" if field else "")
    with pytest.raises(AnswerError, match="is empty"):
        validate_answer(raw({"fix:": {"low": 0.1, "likely": 0.2, "high": 0.3}}))
    with pytest.raises(AnswerError, match="control character"):
        validate_answer(raw({"fix:a\u202eb": {"low": 0.1, "likely": 0.2, "high": 0.3}}))
    with pytest.raises(AnswerError, match="fix:NAME"):
        validate_answer(raw({"Billing": {"low": 0.1, "likely": 0.2, "high": 0.3}}))


def test_the_room_pools_a_fix_and_its_view_round_trips():
    rows = [stored(validate_answer(raw({"fix:Billing errors": e}, f"p{i}")))
            for i, e in enumerate([{"low": 0.10, "likely": 0.15, "high": 0.20},
                                   {"low": 0.12, "likely": 0.18, "high": 0.30}])]
    res = tally(rows)
    assert res.pooled["fix:Billing errors"].n == 2
    view = res.view()
    assert [f[0] for f in view.fixes] == ["Billing errors"]
    name, lo, li, hi = view.fixes[0]
    assert (lo, hi) == (0.10, 0.30) and lo < li < hi
    assert not view.ranges  # a fix is not one of the registry's ranges
    assert RoomView.from_dict(view.to_dict()) == view
    with pytest.raises(ValueError, match="fixes"):
        RoomView.from_dict({"fixes": {"Billing": {"low": 0.5, "likely": 0.2, "high": 0.6}}})


def test_apply_fixes_replaces_the_matching_fix_and_names_the_rest():
    view = RoomView((), (), (("billing  ERRORS", 0.2, 0.25, 0.3), ("Unknown", 0.1, 0.1, 0.1)))
    got, unknown = apply_fixes(STRUCTURE, view)
    billing, onboarding = got.fixes
    assert (billing.low, billing.churn_share, billing.high) == (0.2, 0.25, 0.3)
    assert onboarding == STRUCTURE.fixes[1]
    assert unknown == ("Unknown",)
    assert apply_fixes(STRUCTURE, None) == (STRUCTURE, ())


def test_the_rooms_monte_carlo_draws_the_rooms_view_of_a_fix():
    values = {**defaults(), "honesty": 0.6}
    view = RoomView((), (), (("Billing errors", 0.25, 0.3, 0.35),))

    def odds(v):
        applied, ranges = apply_view(values, v)
        structure, _ = apply_fixes(STRUCTURE, v)
        return analysis.monte_carlo(applied, Structured(structure, applied), ranges, 500,
                                    seed=0)

    table, room = odds(None), odds(view)
    # the room thinks the fix removes far more churn: the switch is worth more in every draw
    assert np.median(room.delta_npv) > np.median(table.delta_npv)
    assert np.array_equal(odds(view).delta_npv, room.delta_npv)  # same seed, same draws


def test_one_fix_typed_two_ways_is_pooled_once():
    rows = [stored(validate_answer(raw({name: {"low": 0.1, "likely": 0.2, "high": 0.3}}, p)))
            for p, name in (("a", "fix:Billing errors"), ("b", "fix:billing  ERRORS"))]
    res = tally(rows)
    assert list(res.pooled) == ["fix:Billing errors"] and res.pooled["fix:Billing errors"].n == 2
