"""Workshop model: answer validation, the linear opinion pool, votes, results, the room's view."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from model import workshop
from model.analysis import default_ranges
from model.assumptions import BY_NAME, defaults
from model.library import Library, join
from model.store import open_store
from model.workshop import AnswerError, Estimate, mixture_cdf, mixture_quantiles, validate_answer


def answer(**changes) -> dict:
    base = {"participant": "p1", "round": "before", "vote": "yes", "confidence": 0.8,
            "estimates": {"bad_profit_share": {"low": 0.04, "likely": 0.08, "high": 0.14}}}
    return {**base, **changes}


# --- validation ---------------------------------------------------------------------------------

def test_a_good_answer_is_accepted_and_asked_assumptions_are_in_the_registry():
    a = validate_answer(answer(name="  Ana  "))
    assert a.name == "Ana" and a.estimates["bad_profit_share"] == Estimate(0.04, 0.08, 0.14)
    for name in workshop.ASKED:
        assert name in BY_NAME and workshop.QUESTIONS[name].endswith("?")


@pytest.mark.parametrize("changes, field", [
    ({"vote": "maybe"}, "vote"), ({"round": "during"}, "round"), ({"confidence": 1.5}, "confidence"),
    ({"confidence": "high"}, "confidence"), ({"confidence": float("nan")}, "confidence"),
    ({"participant": ""}, "participant"), ({"participant": "x" * 81}, "participant"),
    ({"name": "a\nb"}, "name"), ({"name": "n" * 41}, "name"), ({"colour": 1}, "colour"),
    ({"estimates": {"bad_profit_share": {"low": 0.1, "likely": 0.05, "high": 0.2}}},
     "estimates.bad_profit_share"),
    ({"estimates": {"bad_profit_share": {"low": -0.1, "likely": 0.05, "high": 0.2}}},
     "estimates.bad_profit_share.low"),
    ({"estimates": {"bad_profit_share": {"low": 0.1, "likely": 0.2, "high": 0.6}}},
     "estimates.bad_profit_share.high"),  # registry max is 0.5
    ({"estimates": {"bad_profit_share": {"low": 0.1, "likely": True, "high": 0.2}}},
     "estimates.bad_profit_share.likely"),
    ({"estimates": {"honesty": {"low": 0, "likely": 0.5, "high": 1}}}, "estimates.honesty"),
    ({"estimates": [1, 2]}, "estimates"),
])
def test_bad_answers_name_the_field(changes, field):
    with pytest.raises(AnswerError) as e:
        validate_answer(answer(**changes))
    assert e.value.field == field and str(e.value).startswith(f"{field}: ")


# --- the pool -------------------------------------------------------------------------------------

def test_one_participant_pool_is_their_pert():
    e = Estimate(0.1, 0.2, 0.5)
    a, b = 1 + 4 * (0.2 - 0.1) / 0.4, 1 + 4 * (0.5 - 0.2) / 0.4
    expected = 0.1 + 0.4 * stats.beta.ppf([0.1, 0.5, 0.9], a, b)
    assert mixture_quantiles([e], [0.1, 0.5, 0.9]) == pytest.approx(expected, abs=1e-6)


def test_pool_matches_sampling_the_mixture():
    es = [Estimate(0.0, 0.05, 0.1), Estimate(0.2, 0.3, 0.45), Estimate(0.1, 0.1, 0.1)]
    rng = np.random.default_rng(1)
    draws = []
    for e in es:
        if e.high == e.low:
            draws.append(np.full(200_000, e.low))
            continue
        w = e.high - e.low
        draws.append(e.low + w * rng.beta(1 + 4 * (e.likely - e.low) / w,
                                          1 + 4 * (e.high - e.likely) / w, 200_000))
    sample = np.concatenate(draws)
    qs = [0.05, 0.25, 0.5, 0.75, 0.95]
    assert mixture_quantiles(es, qs) == pytest.approx(np.quantile(sample, qs), abs=2e-3)


def test_pooled_range_is_smallest_low_median_largest_high():
    es = [Estimate(0.1, 0.2, 0.3), Estimate(0.3, 0.4, 0.5)]
    p = workshop.pool("fix_churn_reduction_max", es)
    assert (p.low, p.high) == (0.1, 0.5) and p.likely == pytest.approx(0.3, abs=1e-6)
    assert p.p10 < p.likely < p.p90 and (p.likely_min, p.likely_max) == (0.2, 0.4)


def test_pool_of_identical_views_is_that_view():
    e = Estimate(0.05, 0.1, 0.3)
    assert mixture_quantiles([e] * 7, [0.5]) == pytest.approx(mixture_quantiles([e], [0.5]))


# --- results ---------------------------------------------------------------------------------------

def test_results_count_each_participant_once_and_use_the_latest_estimates(tmp_path):
    lib = Library(open_store(f"sqlite:///{tmp_path / 's.sqlite'}"))
    shop = lib.start_workshop()
    room = join(lib.store, shop.join_token)
    est = {"bad_profit_share": {"low": 0.02, "likely": 0.05, "high": 0.1}}
    room.submit(answer(participant="a", vote="no"))
    room.submit(answer(participant="a", vote="yes"))  # replaces
    room.submit(answer(participant="b", vote="not_yet", estimates=est))
    lib.set_workshop(shop.id, current_round="after")
    with pytest.raises(AnswerError, match="round: the “before” round is closed"):
        room.submit(answer(participant="c"))
    room.submit(answer(participant="a", round="after", vote="no", estimates=est))
    r = lib.results(shop.id)
    assert r.participants == 2
    assert r.votes == {"before": {"yes": 1, "not_yet": 1, "no": 0},
                       "after": {"yes": 0, "not_yet": 0, "no": 1}}
    # a revised to b's view after the analysis: both now say 0.02 / 0.05 / 0.1
    [pooled] = r.view().ranges
    assert (pooled.name, pooled.low, pooled.high) == ("bad_profit_share", 0.02, 0.1)
    lib.set_workshop(shop.id, status="closed")
    with pytest.raises(AnswerError, match="closed"):
        room.submit(answer(participant="a", round="after"))


def test_the_room_view_puts_pooled_ranges_into_the_monte_carlo():
    from model.analysis import monte_carlo

    rows = [workshop.StoredAnswer(f"p{i}", "", "before", "yes", 0.5, json.dumps({
        "fix_churn_reduction_max": {"low": 0.0, "likely": 0.02, "high": 0.05},
        "p_no_response": {"low": 0.5, "likely": 0.7, "high": 0.9}}), "") for i in range(3)]
    res = workshop.tally(rows)
    view = res.view()
    values, ranges = workshop.apply_view(defaults(), view)
    fix = next(r for r in ranges if r.name == "fix_churn_reduction_max")
    assert fix.high == 0.05 and "p_no_response" not in {r.name for r in view.ranges}
    assert values["p_no_response"] == pytest.approx(0.7, abs=0.01)
    assert workshop.apply_view(defaults(), None) == (defaults(), default_ranges(defaults()))
    assert [r.name for r in ranges] == [r.name for r in default_ranges(defaults())]
    table = monte_carlo(defaults(), None, None, 500, 0)
    room = monte_carlo(values, None, ranges, 500, 0)
    assert room.p_delta_npv_positive < table.p_delta_npv_positive  # a gloomier room


_view = st.tuples(st.floats(0, 0.9), st.floats(0, 0.9), st.floats(0, 0.9)).map(
    lambda t: Estimate(*sorted(t)))


@settings(max_examples=60, deadline=None)
@given(st.lists(_view, min_size=1, max_size=8), st.floats(0.01, 0.99))
def test_pool_quantiles_invert_the_mixture_cdf(views, q):
    x = mixture_quantiles(views, [q])[0]
    lo, hi = min(e.low for e in views), max(e.high for e in views)
    assert lo - 1e-12 <= x <= hi + 1e-12
    assert mixture_cdf(views, np.array([x + 1e-9]))[0] >= q - 1e-6  # reaches q at x …
    assert mixture_cdf(views, np.array([x - 1e-6]))[0] <= q + 1e-6  # … and not before
