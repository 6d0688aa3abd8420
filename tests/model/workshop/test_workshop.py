"""Workshop model: answer validation, the linear opinion pool, votes, results, and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from model import workshop
from model.assumptions import BY_NAME, defaults
from model.store import open_store
from model.store import workshops as shops
from model.workshop import AnswerError, Estimate, mixture_quantiles, validate_answer
from tests.support.app import ROOT


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
    store = open_store(f"sqlite:///{tmp_path / 's.sqlite'}")
    shop = shops.create(store, None)
    est = {"bad_profit_share": {"low": 0.02, "likely": 0.05, "high": 0.1}}
    workshop.submit(store, shop.id, answer(participant="a", vote="no"))
    workshop.submit(store, shop.id, answer(participant="a", vote="yes"))  # replaces
    workshop.submit(store, shop.id, answer(participant="b", vote="not_yet", estimates=est))
    shops.set_state(store, shop.id, current_round="after")
    with pytest.raises(AnswerError, match="round: the “before” round is closed"):
        workshop.submit(store, shop.id, answer(participant="c"))
    workshop.submit(store, shop.id, answer(participant="a", round="after", vote="no",
                                           estimates=est))
    r = workshop.results(store, shop.id)
    assert r.participants == 2
    assert r.votes == {"before": {"yes": 1, "not_yet": 1, "no": 0},
                       "after": {"yes": 0, "not_yet": 0, "no": 1}}
    # a revised to b's view after the analysis: both now say 0.02 / 0.05 / 0.1
    assert r.ranges()["bad_profit_share"]["low"] == 0.02
    assert r.ranges()["bad_profit_share"]["high"] == 0.1
    shops.set_state(store, shop.id, status="closed")
    with pytest.raises(AnswerError, match="closed"):
        workshop.submit(store, shop.id, answer(participant="a", round="after"))


def test_overlay_puts_pooled_ranges_into_the_monte_carlo():
    from model.analysis import monte_carlo

    rows = [shops.StoredAnswer(f"p{i}", "", "before", "yes", 0.5, json.dumps({
        "fix_churn_reduction_max": {"low": 0.0, "likely": 0.02, "high": 0.05},
        "p_no_response": {"low": 0.5, "likely": 0.7, "high": 0.9}}), "") for i in range(3)]
    res = workshop.tally(rows)
    values, ranges = workshop.overlay(defaults(), res)
    fix = next(r for r in ranges if r.name == "fix_churn_reduction_max")
    assert fix.high == 0.05 and "p_no_response" not in res.ranges()
    assert values["p_no_response"] == pytest.approx(0.7, abs=0.01)
    table = monte_carlo(defaults(), None, None, 500, 0)
    room = monte_carlo(values, None, ranges, 500, 0)
    assert room.p_delta_npv_positive < table.p_delta_npv_positive  # a gloomier room


# --- command line --------------------------------------------------------------------------------

def cli(*args, env_extra=None) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)


@pytest.mark.slow
def test_cli_workshop_round_trip(tmp_path):
    env = {"ONEQ_LIBRARY": str(tmp_path / "lib.sqlite"), "ONEQ_BASE_URL": "https://ws.example/"}
    assert cli("workspace", "create", "Acme", env_extra=env).returncode == 0
    made = json.loads(cli("workshop", "create", "Acme", env_extra=env).stdout)
    assert made["join_url"].startswith("https://ws.example/?join=" + made["workshop_id"] + ".")
    assert made["facilitator_url"].startswith("https://ws.example/?facilitator=")
    good, bad = tmp_path / "a.json", tmp_path / "b.json"
    good.write_text(json.dumps(answer(participant="ana")))
    bad.write_text(json.dumps(answer(participant="bo", vote="perhaps")))
    assert cli("workshop", "answer", made["workshop_id"], str(good), env_extra=env).returncode == 0
    out = cli("workshop", "answer", made["workshop_id"], str(bad), env_extra=env)
    assert out.returncode == 2 and out.stderr.startswith("error: vote: ")
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    res = json.loads(cli("workshop", "results", made["workshop_id"], env_extra=env).stdout)
    assert res["participants"] == 1 and res["votes"]["before"]["yes"] == 1
    assert set(res["ranges"]) == {"bad_profit_share"}
    assert set(res["ranges"]["bad_profit_share"]) == {"low", "likely", "high"}
    wrong = cli("workshop", "results", "nope", env_extra=env)
    assert wrong.returncode == 2 and "no workshop" in wrong.stderr


@pytest.mark.slow
def test_cli_workspace_export_import(tmp_path):
    env = {"ONEQ_LIBRARY": str(tmp_path / "lib.sqlite")}
    cli("workspace", "create", "Client ✓", env_extra=env)
    out = tmp_path / "ws.json"
    assert cli("workspace", "export", "Client ✓", str(out), env_extra=env).returncode == 0
    assert json.loads(out.read_text())["name"] == "Client ✓"
    again = cli("workspace", "import", str(out), env_extra=env)
    assert again.returncode == 2 and "already exists" in again.stderr
    ok = cli("workspace", "import", str(out), "--name", "Copy", env_extra=env)
    assert ok.returncode == 0 and json.loads(ok.stdout) == {"workspace": "Copy", "scenarios": 3}
    (tmp_path / "junk.json").write_text("{not json")
    junk = cli("workspace", "import", str(tmp_path / "junk.json"), env_extra=env)
    assert junk.returncode == 2 and "not JSON" in junk.stderr


_view = st.tuples(st.floats(0, 0.9), st.floats(0, 0.9), st.floats(0, 0.9)).map(
    lambda t: Estimate(*sorted(t)))


@settings(max_examples=60, deadline=None)
@given(st.lists(_view, min_size=1, max_size=8), st.floats(0.01, 0.99))
def test_pool_quantiles_invert_the_mixture_cdf(views, q):
    from model.workshop.pool import mixture_cdf

    x = mixture_quantiles(views, [q])[0]
    lo, hi = min(e.low for e in views), max(e.high for e in views)
    assert lo - 1e-12 <= x <= hi + 1e-12
    assert mixture_cdf(views, np.array([x + 1e-9]))[0] >= q - 1e-6  # reaches q at x …
    assert mixture_cdf(views, np.array([x - 1e-6]))[0] <= q + 1e-6  # … and not before
