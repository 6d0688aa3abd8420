"""Odds that admit the effects may not come: correlated effect sizes, the latent customer response
(a mass at no response, a spread above it), ranges JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from model import analysis as A
from model.analysis._monte_carlo import block_batch, pearson_for_spearman
from model.assumptions import BY_NAME, REGISTRY, ScenarioError, defaults
from model.simulation import run, simulate_pair


def values(**changes) -> dict:
    return {**defaults(), **changes}


def effects(ranges) -> list[str]:
    return [r.name for r in ranges if r.name in A.response_names() and not r.collapsed]


# --- the response assumptions come from the registry --------------------------------------------


def test_response_names_are_the_registry_flags():
    assert A.response_names() == tuple(a.name for a in REGISTRY if a.response)
    assert "fix_churn_reduction_max" in A.response_names()
    assert "bad_profit_share" not in A.response_names()  # a cost of the switch, never switched off


# --- correlated effect sizes (Iman–Conover) ------------------------------------------------------


def test_iman_conover_reaches_the_rank_correlation_and_keeps_the_marginals():
    ranges = A.default_ranges(values())
    names = effects(ranges)
    assert len(names) >= 3
    free = A.sample(ranges, 10_000, seed=5, effect_correlation=0.0)
    tied = A.sample(ranges, 10_000, seed=5, effect_correlation=0.6)
    for name in free:  # only the order changes: every assumption keeps exactly its draws
        assert np.array_equal(np.sort(free[name]), np.sort(tied[name])), name
    rho = stats.spearmanr(np.column_stack([tied[n] for n in names])).statistic
    off = rho[~np.eye(len(names), dtype=bool)]
    assert off.mean() == pytest.approx(0.6, abs=0.02)
    assert np.all(np.abs(off - 0.6) < 0.05)
    # The other assumptions stay independent of the effects.
    other = next(r.name for r in ranges if r.name not in A.response_names())
    assert abs(stats.spearmanr(tied[other], tied[names[0]]).statistic) < 0.05
    # Independent draws have (near) zero rank correlation.
    rho0 = stats.spearmanr(np.column_stack([free[n] for n in names])).statistic
    assert np.all(np.abs(rho0[~np.eye(len(names), dtype=bool)]) < 0.05)


@pytest.mark.parametrize("rho_s", [0.2, 0.5, 0.9])
def test_the_copula_link_between_pearson_and_spearman(rho_s):
    # Reference: normals with Pearson r have Spearman (6/π)·arcsin(r/2) (Pearson 1907).
    r = pearson_for_spearman(rho_s)
    assert 6 / np.pi * np.arcsin(r / 2) == pytest.approx(rho_s, rel=1e-12)
    rng = np.random.default_rng(1)
    z = rng.multivariate_normal([0, 0], [[1, r], [r, 1]], 50_000)
    assert stats.spearmanr(z[:, 0], z[:, 1]).statistic == pytest.approx(rho_s, abs=0.01)


def test_correlated_draws_are_reproducible_and_prefix_stable():
    ranges = A.default_ranges(values())
    a = A.sample(ranges, 1_500, seed=3, effect_correlation=0.7)
    b = A.sample(ranges, 2_600, seed=3, effect_correlation=0.7)
    for name in a:
        assert np.array_equal(a[name], b[name][:1_500])


def test_correlation_widens_the_spread_of_the_outcome():
    base = values(p_no_response=0.0)
    free = A.monte_carlo({**base, "effect_correlation": 0.0}, draws=2_000, seed=4)
    tied = A.monte_carlo({**base, "effect_correlation": 0.9}, draws=2_000, seed=4)

    def spread(mc):
        q = mc.quantiles(mc.delta_npv)
        return q["p90"] - q["p10"]

    assert spread(tied) > 1.2 * spread(free)


# --- no correlation, a certain full response: the independent draws, as before ----------------


def test_both_at_zero_gives_the_independent_draws_in_distribution():
    """ΔNPV from the Monte Carlo vs. an independent sampler (scipy's Beta, its own seed), with
    the latent response certain (no chance of none, no spread: r = 1)."""
    v = values(p_no_response=0.0, response_spread=0.0, effect_correlation=0.0)
    ranges = A.default_ranges(v)
    mc = A.monte_carlo(v, None, ranges, draws=3_000, seed=10)
    assert not mc.no_response.any()
    rng = np.random.default_rng(999)
    batch = dict(v)
    for r in ranges:
        w = r.high - r.low
        x = r.low + w * stats.beta.rvs(1 + 4 * (r.likely - r.low) / w,
                                       1 + 4 * (r.high - r.likely) / w, size=3_000,
                                       random_state=rng)
        batch[r.name] = np.rint(x) if BY_NAME[r.name].kind == "int" else x
    ref = simulate_pair(batch, None)[2]["delta_npv"]
    assert stats.ks_2samp(mc.delta_npv, ref).pvalue > 1e-3
    for q in (0.1, 0.5, 0.9):  # quantiles within sampling error (a few % of the spread)
        spread = np.quantile(ref, 0.9) - np.quantile(ref, 0.1)
        assert abs(np.quantile(mc.delta_npv, q) - np.quantile(ref, q)) < 0.08 * spread


# --- customers may not respond at all -------------------------------------------------------------


def test_no_response_draws_switch_every_response_off_and_keep_the_costs():
    v = values(p_no_response=0.3)
    ranges = A.default_ranges(v)
    batch, response = block_batch(v, ranges, 1_000, 2, "pert", 0)
    silent = response == 0
    # The same draws without the chance of no response: the other draws must be left untouched.
    # (Compared value for value, not by sign: a response such as the status quo's trust drift is
    # negative, so "drawn > 0" no longer says "not switched off".)
    answered, none = block_batch(values(p_no_response=0.0), ranges, 1_000, 2, "pert", 0)
    assert not (none == 0).any() and 0.25 < silent.mean() < 0.35
    assert any(BY_NAME[n].low < 0 for n in A.response_names())  # the case above is covered
    for name in A.response_names():
        x = np.broadcast_to(batch[name], silent.shape)
        assert np.all(x[silent] == 0), name
        assert np.array_equal(x[~silent], np.broadcast_to(answered[name], silent.shape)[~silent])
        assert np.any(x[~silent] != 0), name  # the drawn values are not zero themselves
    for name in ("bad_profit_share", "investment", "overpromise_share"):  # costs stay
        assert np.all(np.broadcast_to(batch[name], silent.shape)[silent] > 0)


def test_a_draw_without_response_equals_a_run_with_the_effects_at_zero():
    v = values(p_no_response=0.5)
    ranges = A.default_ranges(v)
    mc = A.monte_carlo(v, None, ranges, draws=60, seed=8)
    batch, response = block_batch(v, ranges, 60, 8, "pert", 0)
    silent = response == 0
    i = int(np.flatnonzero(silent)[0])
    one = {k: (float(np.broadcast_to(x, silent.shape)[i]) if BY_NAME[k].kind != "int"
               else int(np.broadcast_to(x, silent.shape)[i])) if BY_NAME[k].kind != "bool" else x
           for k, x in batch.items()}
    assert all(one[n] == 0 for n in A.response_names())
    assert mc.delta_npv[i] == pytest.approx(run(one).summary.delta_npv, rel=1e-9)


@pytest.mark.parametrize("p", [None, 0.4])
def test_the_odds_never_exceed_the_chance_that_customers_respond(p):
    v = values() if p is None else values(p_no_response=p)
    p = float(v["p_no_response"])
    n = 4_000
    mc = A.monte_carlo(v, draws=n, seed=21)
    sigma = np.sqrt(p * (1 - p) / n)
    assert mc.no_response.mean() == pytest.approx(p, abs=4 * sigma)
    assert mc.p_delta_npv_positive <= 1 - p + 4 * sigma
    # Without a response the switch is the sacrifice alone: it loses value in (almost) every draw.
    assert np.mean(mc.delta_npv[mc.no_response] > 0) < 0.01


def test_no_response_and_correlation_are_reported():
    mc = A.monte_carlo(values(p_no_response=0.15, effect_correlation=0.3), draws=200, seed=1)
    d = mc.to_dict()
    assert d["p_no_response"] == 0.15 and d["effect_correlation"] == 0.3
    assert d["share_of_draws_without_response"] == mc.no_response.mean()


# --- the latent response r ------------------------------------------------------------------------


def test_every_response_of_a_draw_is_its_latent_response_times_the_drawn_value():
    v = values(p_no_response=0.25)
    ranges = A.default_ranges(v)
    batch, r = block_batch(v, ranges, 1_000, 4, "pert", 0)
    certain, one = block_batch(values(p_no_response=0.0, response_spread=0.0), ranges, 1_000, 4,
                               "pert", 0)
    assert np.all(one == 1.0) and np.all((r >= 0) & (r <= 1))
    for name in A.response_names():
        drawn = np.broadcast_to(certain[name], r.shape)
        np.testing.assert_array_equal(np.broadcast_to(batch[name], r.shape), r * drawn)
    for name in ("bad_profit_share", "investment", "cac"):  # costs are never scaled
        np.testing.assert_array_equal(np.broadcast_to(batch[name], r.shape),
                                      np.broadcast_to(certain[name], r.shape))


@pytest.mark.parametrize("likely,spread", [(1.0, 1.0), (0.6, 0.3), (0.7, 0.0)])
def test_the_response_prior_is_a_mass_at_zero_and_a_pert_above_it(likely, spread):
    p, n = 0.2, 8_000
    v = values(p_no_response=p, response_likely=likely, response_spread=spread)
    r = np.concatenate([block_batch(v, (), n, 5, "pert", k)[1] for k in range(n // A.BLOCK)])
    sigma = np.sqrt(p * (1 - p) / n)
    assert np.mean(r == 0) == pytest.approx(p, abs=4 * sigma)
    some = r[r > 0]
    lo, hi = max(0.0, likely - spread), min(1.0, likely + spread)
    if spread == 0:
        assert np.all(some == likely)
        return
    a = 1 + 4 * (likely - lo) / (hi - lo)
    b = 1 + 4 * (hi - likely) / (hi - lo)
    assert some.min() >= lo and some.max() <= hi
    assert stats.kstest((some - lo) / (hi - lo), stats.beta(a, b).cdf).pvalue > 1e-3


def test_each_draw_keeps_its_response_and_its_expected_counts_by_month():
    """What tracking actuals needs (the next issue): per draw, r and the scenario's expected
    customers, churned and new customers every month, as a single run of that draw gives."""
    v = values()
    ranges = A.default_ranges(v)
    mc = A.monte_carlo(v, None, ranges, draws=30, seed=6)
    batch, r = block_batch(v, ranges, 30, 6, "pert", 0)
    np.testing.assert_array_equal(mc.response, r)
    H = mc.horizon_months
    assert mc.customers_by_month.shape == mc.churned_by_month.shape == \
        mc.new_by_month.shape == (H, 30)
    for i in (0, 11, 29):
        one = {k: (x if BY_NAME[k].kind == "bool" else
                   (int if BY_NAME[k].kind == "int" else float)(np.broadcast_to(x, r.shape)[i]))
               for k, x in batch.items()}
        sc = run(one).scenario
        np.testing.assert_allclose(mc.customers_by_month[:, i], sc["customers_active"], rtol=1e-6)
        np.testing.assert_allclose(mc.churned_by_month[:, i], sc["churned"], rtol=1e-6)
        np.testing.assert_allclose(mc.new_by_month[:, i], sc["new_bought"] + sc["new_referred"],
                                   rtol=1e-6)


def test_the_odds_given_a_response_are_visibly_below_certainty_at_the_defaults():
    """Issue 19: uncertainty is a response, not a coin. Among the draws in which customers
    respond at all, the switch does not always add value."""
    mc = A.monte_carlo(values(), draws=4_000, seed=13)
    responding = mc.response > 0
    share = float(np.mean(mc.delta_npv[responding] > 0))
    assert mc.p_delta_npv_positive_if_response == pytest.approx(share)
    assert 0.3 < share < 0.95
    assert mc.to_dict()["p_delta_npv_positive_if_customers_respond"] == share


# --- ranges from a JSON mapping -------------------------------------------------------------------


def test_parse_ranges_replaces_named_ranges_and_keeps_the_others():
    v = values()
    table = {r.name: r for r in A.default_ranges(v)}
    got = {r.name: r for r in A.parse_ranges(
        {"gross_margin": {"low": 0.4, "likely": 0.5, "high": 0.62},
         "build_months": {"low": 10, "high": 30}}, v)}
    assert list(got) == list(table)  # same names, same order
    assert got["gross_margin"] == A.Range("gross_margin", 0.4, 0.5, 0.62)
    assert got["build_months"] == A.Range("build_months", 10.0, 12.0, 30.0)  # likely: scenario
    for name in set(table) - {"gross_margin", "build_months"}:
        assert got[name] == table[name]
    assert A.parse_ranges({}, v) == tuple(table.values())


@pytest.mark.parametrize("mapping, key, words", [
    ({"gross_margin": {"low": 0.7, "likely": 0.6, "high": 0.8}}, "gross_margin", "out of order"),
    ({"gross_margin": {"low": 0.5, "likely": 0.6, "high": 1.5}}, "gross_margin", "outside"),
    ({"cac": {"low": 200, "likely": "x", "high": 400}}, "cac", "not a number"),
    ({"cac": {"low": 200}}, "cac", "high is missing"),
    ({"cac": {"low": 200, "high": 400, "mode": 300}}, "cac", "unknown field"),
    ({"cac": [200, 300, 400]}, "cac", "expected an object"),
    ({"honesty": {"low": 0.1, "likely": 0.2, "high": 0.3}}, "honesty", "not an uncertain"),
    ({"nonsense": {"low": 1, "likely": 2, "high": 3}}, "nonsense", "not an uncertain"),
])
def test_bad_ranges_are_refused_naming_the_key(mapping, key, words):
    with pytest.raises(ScenarioError, match=words) as err:
        A.parse_ranges(mapping, values())
    assert err.value.key == key and str(err.value).startswith(f"{key}: ")


def test_load_ranges_reads_a_file_and_refuses_bad_json(tmp_path):
    good = tmp_path / "r.json"
    good.write_text(json.dumps({"cac": {"low": 100, "likely": 300, "high": 900}}))
    assert {r.name: r for r in A.load_ranges(good, values())}["cac"] == A.Range(
        "cac", 100, 300, 900)
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    with pytest.raises(ScenarioError, match="not valid JSON"):
        A.load_ranges(bad, values())
    with pytest.raises(ScenarioError, match="cannot read"):
        A.load_ranges(tmp_path / "missing.json", values())
    with pytest.raises(ScenarioError, match="JSON object"):
        A.parse_ranges([1, 2], values())


def test_wider_ranges_from_a_workshop_change_the_odds():
    v = values(p_no_response=0.0, effect_correlation=0.0)
    wide = A.parse_ranges({"fix_churn_reduction_max": {"low": 0.0, "likely": 0.05, "high": 0.1},
                           "trust_churn_reduction_max": {"low": 0.0, "likely": 0.05,
                                                         "high": 0.1}}, v)
    table = A.monte_carlo(v, draws=500, seed=2)
    pooled = A.monte_carlo(v, None, wide, draws=500, seed=2)
    assert pooled.quantiles(pooled.delta_npv)["p50"] < table.quantiles(table.delta_npv)["p50"]


def test_blocks_simulated_together_give_the_same_numbers_as_one_by_one(monkeypatch):
    # Several blocks share one batch for speed; each draw's numbers must not depend on it.
    import importlib

    from model.assumptions import defaults

    mc_module = importlib.import_module("model.analysis._monte_carlo")  # the module, not the function

    together = mc_module.monte_carlo(defaults(), draws=3_500, seed=7, workers=1)
    monkeypatch.setattr(mc_module, "BLOCKS_AT_ONCE", 1)
    alone = mc_module.monte_carlo(defaults(), draws=3_500, seed=7, workers=1)
    assert np.array_equal(together.delta_npv, alone.delta_npv)
    assert np.array_equal(together.payback_month, alone.payback_month, equal_nan=True)
    assert np.array_equal(together.fan, alone.fan)
