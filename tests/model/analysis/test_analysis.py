"""Decision analysis in model/: Monte Carlo, ranges, tornado, break-even, investment optimiser, CLI.

The newer parts have their own files: test_analysis_odds.py (correlated effects, no response,
ranges from JSON) and test_analysis_levers.py (honesty × investment, goal seek, CLI keys)."""

from __future__ import annotations

import importlib
import json
import math
import subprocess
import sys

import numpy as np
import pytest

from model import analysis as A
from model.analysis._break_even import BREAK_EVEN_CHOICES, break_even
from model.analysis._investment import investment_effects, optimise_investment
from model.analysis._ranges import collapse
from model.assumptions import BY_NAME, ScenarioError, defaults
from model.curves import ConstantChurn
from model.simulation import Baseline, Segment, run
from tests.support.app import ROOT

DRAWS = 300  # small: each test runs in well under a second


def scenario(**changes) -> dict:
    """Defaults with independent draws and customers certain to respond as assumed (latent
    response r = 1: the first version's odds); the correlated draws and the latent response are
    tested in test_odds.py."""
    return {**defaults(), "p_no_response": 0.0, "response_spread": 0.0, "effect_correlation": 0.0,
            **changes}


def with_range(ranges, name, low, high, likely=None):
    """``ranges`` with one range replaced."""
    out = []
    for r in ranges:
        if r.name == name:
            r = A.Range(name, low, r.likely if likely is None else likely, high)
        out.append(r)
    return tuple(out)


# --- Monte Carlo equals the deterministic model when nothing is uncertain ------------------------


@pytest.mark.parametrize("changes", [{}, {"honesty": 0.9, "investment": 2e7, "tenure_years": 7.5},
                                     {"successor_reverts": True, "horizon_years": 6,
                                      "include_terminal_value": False}])
def test_collapsed_ranges_reproduce_the_deterministic_run_exactly(changes):
    values = scenario(**changes)
    ranges = collapse(A.default_ranges(values))
    # 1,020 draws: a vectorised block of 1,000 and a small block of 20 (both code paths).
    mc = A.monte_carlo(values, None, ranges, draws=1_020, seed=3)
    det = run(values)
    assert np.all(mc.delta_npv == det.summary.delta_npv)
    assert np.all(mc.delta_inside_tenure == det.summary.delta_inside_tenure)
    for band in mc.fan:
        assert np.array_equal(band, det.cumulative_delta)
    pm = det.summary.payback_month
    assert mc.p_payback_inside_horizon == (1.0 if pm is not None else 0.0)
    assert mc.p_payback_inside_tenure == (
        1.0 if pm is not None and pm <= det.summary.tenure_month else 0.0)
    assert mc.p_delta_npv_positive == (1.0 if det.summary.delta_npv > 0 else 0.0)


def test_each_draw_equals_a_single_run_with_its_values():
    values = scenario()
    ranges = A.default_ranges(values)
    mc = A.monte_carlo(values, None, ranges, draws=40, seed=11)
    drawn = A.sample(ranges, 40, seed=11)
    for i in (0, 17, 39):
        v = dict(values)
        for name, x in drawn.items():
            v[name] = int(x[i]) if BY_NAME[name].kind == "int" else float(x[i])
        s = run(v).summary
        assert mc.delta_npv[i] == pytest.approx(s.delta_npv, rel=1e-12)
        assert (math.isnan(mc.payback_month[i]) if s.payback_month is None
                else mc.payback_month[i] == s.payback_month)


# --- probabilities --------------------------------------------------------------------------------


def test_probabilities_are_shares_and_consistent():
    mc = A.monte_carlo(scenario(), draws=DRAWS, seed=1)
    for p in (mc.p_payback_inside_tenure, mc.p_payback_inside_horizon, mc.p_delta_npv_positive):
        assert 0.0 <= p <= 1.0
    # Paying back inside the tenure implies paying back inside the horizon.
    assert mc.p_payback_inside_tenure <= mc.p_payback_inside_horizon
    assert mc.p_delta_npv_positive == np.mean(mc.delta_npv > 0)
    assert mc.fan.shape == (3, 120)
    assert np.all(mc.fan[0] <= mc.fan[1]) and np.all(mc.fan[1] <= mc.fan[2])


def test_a_stronger_fix_effect_raises_the_odds():
    # A hard case (big investment, weak honesty): the odds sit between 0 and 1.
    values = scenario(investment=40e6, honesty=0.2, tenure_years=6)
    ranges = A.default_ranges(values)
    weak = A.monte_carlo(values, None, ranges, DRAWS, seed=5)
    strong = A.monte_carlo(values, None,
                           with_range(ranges, "fix_churn_reduction_max", 0.45, 0.75, 0.6),
                           DRAWS, seed=5)
    assert 0.0 < weak.p_delta_npv_positive < 1.0
    assert strong.p_delta_npv_positive > weak.p_delta_npv_positive
    assert strong.p_payback_inside_horizon > weak.p_payback_inside_horizon
    assert strong.p_payback_inside_tenure >= weak.p_payback_inside_tenure


def test_a_higher_discount_rate_lowers_the_odds():
    values = scenario(investment=40e6, honesty=0.2)
    ranges = A.default_ranges(values)
    base = A.monte_carlo(values, None, ranges, DRAWS, seed=8)
    dear = A.monte_carlo(values, None,
                         with_range(ranges, "discount_rate_annual", 0.2, 0.3, 0.25), DRAWS, seed=8)
    assert dear.p_delta_npv_positive < base.p_delta_npv_positive


# --- reproducibility ------------------------------------------------------------------------------


def test_same_seed_same_numbers_different_seed_different():
    values = scenario()
    a = A.monte_carlo(values, draws=1_200, seed=42)
    b = A.monte_carlo(values, draws=1_200, seed=42, workers=1)  # threads do not matter
    c = A.monte_carlo(values, draws=1_200, seed=43)
    assert np.array_equal(a.delta_npv, b.delta_npv)
    assert np.array_equal(a.fan, b.fan)
    assert not np.array_equal(a.delta_npv, c.delta_npv)


def test_draws_do_not_depend_on_how_many_are_asked_for():
    ranges = A.default_ranges(scenario())
    few = A.sample(ranges, 1_100, seed=9)
    many = A.sample(ranges, 2_500, seed=9)
    for name in few:
        assert np.array_equal(few[name], many[name][:1_100])


@pytest.mark.parametrize("distribution", A.DISTRIBUTIONS)
def test_draws_stay_in_range_and_whole_numbers_stay_whole(distribution):
    ranges = A.default_ranges(scenario())
    drawn = A.sample(ranges, 2_000, seed=4, distribution=distribution)
    for r in ranges:
        x = drawn[r.name]
        assert x.min() >= r.low and x.max() <= r.high, r.name
        assert x.std() > 0, r.name
        if BY_NAME[r.name].kind == "int":
            assert np.all(x == np.rint(x)), r.name


def test_pert_and_triangular_have_their_textbook_means():
    r = A.Range("fix_churn_reduction_max", 0.1, 0.2, 0.6)
    pert = A.sample([r], 20_000, seed=1, distribution="pert")[r.name]
    tri = A.sample([r], 20_000, seed=1, distribution="triangular")[r.name]
    assert pert.mean() == pytest.approx((0.1 + 4 * 0.2 + 0.6) / 6, abs=0.003)
    assert tri.mean() == pytest.approx((0.1 + 0.2 + 0.6) / 3, abs=0.003)


def test_bad_draws_seed_and_distribution_are_refused():
    with pytest.raises(ScenarioError, match="draws"):
        A.monte_carlo(scenario(), draws=A.MAX_DRAWS + 1)
    with pytest.raises(ScenarioError, match="draws"):
        A.monte_carlo(scenario(), draws=0)
    with pytest.raises(ScenarioError, match="seed"):
        A.monte_carlo(scenario(), draws=10, seed=-1)
    with pytest.raises(ValueError, match="distribution"):
        A.monte_carlo(scenario(), draws=10, distribution="normal")


def test_histogram_counts_every_draw():
    mc = A.monte_carlo(scenario(), draws=DRAWS, seed=2)
    h = A.histogram(mc.delta_npv, bins=25)
    assert h["count"].sum() == DRAWS and len(h) == 25
    assert h["share"].sum() == pytest.approx(1.0)
    assert h["start"].iloc[0] == mc.delta_npv.min() and h["end"].iloc[-1] == mc.delta_npv.max()


# --- ranges ---------------------------------------------------------------------------------------


def test_default_ranges_come_from_the_registry_with_likely_at_the_scenario():
    values = scenario(fix_churn_reduction_max=0.35)
    ranges = {r.name: r for r in A.default_ranges(values)}
    assert set(ranges) == {a.name for a in BY_NAME.values() if a.uncertain}
    r = ranges["fix_churn_reduction_max"]
    a = BY_NAME["fix_churn_reduction_max"]
    assert (r.low, r.likely, r.high) == (a.low, 0.35, a.high)


def test_a_value_outside_the_registry_range_keeps_the_relative_width():
    a = BY_NAME["new_customers_monthly"]  # 1,500 … 2,100 around 1,800
    r = {r.name: r for r in A.default_ranges(scenario(new_customers_monthly=18_000.0))}[a.name]
    assert r.likely == 18_000.0
    assert r.low == pytest.approx(18_000 * a.low / a.default)
    assert r.high == pytest.approx(18_000 * a.high / a.default)
    # Clipped at the assumption's maximum, and zero stretches the range to include it.
    r = {r.name: r for r in A.default_ranges(scenario(fix_churn_reduction_max=0.8))}
    assert r["fix_churn_reduction_max"].high == BY_NAME["fix_churn_reduction_max"].max
    z = {r.name: r for r in A.default_ranges(scenario(fix_churn_reduction_max=0.0))}
    assert (z["fix_churn_reduction_max"].low, z["fix_churn_reduction_max"].high) == (0.0, 0.45)
    for rr in list(r.values()) + list(z.values()):
        assert rr.low <= rr.likely <= rr.high


def test_a_calibrated_baseline_drops_the_assumptions_the_data_gives():
    base = Baseline((Segment("all", 100_000, 50.0, ConstantChurn.from_annual(0.2), 1.0),))
    names = {r.name for r in A.default_ranges(scenario(), base)}
    assert "annual_churn" not in names and "gross_margin" in names


def test_edited_ranges_are_validated_with_clear_messages():
    ok = A.validate_ranges([{"name": "build_months", "low": 8.6, "likely": 12, "high": 18.2}])
    assert ok == (A.Range("build_months", 9.0, 12.0, 18.0),)  # whole months, rounded
    cases = [
        ({"name": "cac", "low": 400, "likely": 300, "high": 350}, "out of order"),
        ({"name": "gross_margin", "low": 0.5, "likely": 0.6, "high": 60}, "outside the allowed"),
        ({"name": "gross_margin", "low": float("nan"), "likely": 0.6, "high": 0.7}, "not a number"),
        ({"name": "gross_margin", "low": None, "likely": 0.6, "high": 0.7}, "empty"),
        ({"name": "honesty", "low": 0.1, "likely": 0.2, "high": 0.3}, "not an uncertain"),
    ]
    for row, words in cases:
        with pytest.raises(ScenarioError, match=words):
            A.validate_ranges([row])
    with pytest.raises(ScenarioError, match="twice"):
        A.validate_ranges([{"name": "cac", "low": 1, "likely": 2, "high": 3}] * 2)
    # Messages can be written in the units the user sees.
    with pytest.raises(ScenarioError, match="60 %"):
        A.validate_ranges([{"name": "gross_margin", "low": 0.7, "likely": 0.6, "high": 0.8}],
                          show=lambda n, x: f"{100 * x:g} %")


# --- tornado --------------------------------------------------------------------------------------


def test_tornado_is_sorted_by_swing_and_its_ends_are_single_runs():
    values = scenario()
    ranges = A.default_ranges(values)
    torn = A.tornado(values, None, ranges)
    assert torn.base_delta_npv == pytest.approx(run(values).summary.delta_npv, rel=1e-12)
    for metric in ("delta_npv", "delta_inside_tenure"):
        swings = [r.swing(metric) for r in torn.sorted(metric)]
        assert swings == sorted(swings, reverse=True) and swings[0] > 0
    top = torn.sorted("delta_npv")
    for row in (top[0], top[5], top[-1]):
        for end, x in (("low", row.low), ("high", row.high)):
            s = run({**values, row.name: x}).summary
            assert getattr(row, f"delta_npv_{end}") == pytest.approx(s.delta_npv, rel=1e-9)
            assert getattr(row, f"delta_inside_tenure_{end}") == pytest.approx(
                s.delta_inside_tenure, rel=1e-9)
    # Direction: a stronger churn effect is worth more.
    fix = next(r for r in torn.rows if r.name == "fix_churn_reduction_max")
    assert fix.delta_npv_high > torn.base_delta_npv > fix.delta_npv_low


# --- break-even -----------------------------------------------------------------------------------


# Effects that can still pay the switch back by the tenure end now that honesty's sacrifice is
# real (disappointment_churn_share cannot: its range ends at 0.9 × overpromise_share).
@pytest.mark.parametrize("name", ["fix_churn_reduction_max", "referral_rate_full_trust",
                                  "trust_arpu_uplift_max"])
def test_break_even_inside_tenure_puts_payback_at_the_tenure_end(name):
    values = scenario()
    be = break_even(values, name, "tenure")
    assert be.status == "reachable" and be.target_month == 60
    at = run({**values, name: be.value}).summary
    assert at.payback_month is not None and abs(at.payback_month - at.tenure_month) <= 1
    assert at.payback_month <= at.tenure_month  # the value returned is on the paying side
    # A little less and it no longer pays back inside the tenure.
    below = run({**values, name: be.value * (1 - 1e-3)}).summary
    assert below.payback_month is None or below.payback_month > below.tenure_month


def test_break_even_inside_the_horizon():
    # On the defaults the switch pays back within 10 years even with no fix effect at all (trust
    # and referrals alone carry it), so the search needs a horizon short enough to bind: 6 years.
    values = scenario(horizon_years=6)
    be = break_even(values, "fix_churn_reduction_max", "horizon")
    assert be.status == "reachable" and be.target_month == 12 * values["horizon_years"]
    assert BY_NAME["fix_churn_reduction_max"].min < be.value < BY_NAME["fix_churn_reduction_max"].max
    assert run({**values, "fix_churn_reduction_max": be.value}).summary.payback_month is not None
    below = run({**values, "fix_churn_reduction_max": be.value * (1 - 1e-3)}).summary
    assert below.payback_month is None


def test_break_even_unreachable_and_already_met():
    # A 3-year tenure is too short for any trust gain to pay back inside it.
    values = scenario(tenure_years=3)
    be = break_even(values, "trust_gain_honesty", "tenure")
    assert be.status == "unreachable" and be.value is None
    top = run({**values, "trust_gain_honesty": BY_NAME["trust_gain_honesty"].max}).summary
    assert top.payback_month is None or top.payback_month > top.tenure_month
    be = break_even(values, "trust_gain_fixes", "horizon")
    assert be.status == "already" and be.value == BY_NAME["trust_gain_fixes"].min
    assert run({**values, "trust_gain_fixes": be.value}).summary.payback_month is not None


def test_break_even_finds_the_smallest_paying_value_when_the_response_is_not_monotone(
        monkeypatch):
    # Churn shares compete (a larger fix effect leaves less churn for trust to prevent), so the
    # margin need not rise with the effect. A margin that pays on [0.2, 0.4] and again above 0.7:
    # the break-even is the first crossing, 0.2, not a later one, and Brent lands on it.
    def margin(values, baseline, name, target, xs):
        x = np.asarray(xs, dtype=float)
        return (x - 0.2) * (0.4 - x) * (0.7 - x), 60

    monkeypatch.setattr(importlib.import_module("model.analysis._break_even"), "_break_even_margin", margin)
    name = "trust_churn_reduction_max"
    assert BY_NAME[name].min < 0.2 and BY_NAME[name].max > 0.7
    be = break_even(scenario(), name, "tenure")
    assert be.status == "reachable" and be.value == pytest.approx(0.2, abs=1e-9)
    assert margin(None, None, name, "tenure", [be.value])[0][0] >= 0


def test_break_even_refuses_a_whole_number_or_unknown_assumption():
    with pytest.raises(ScenarioError, match="cannot be searched"):
        break_even(scenario(), "build_months")
    with pytest.raises(ScenarioError, match="cannot be searched"):
        break_even(scenario(), "nonsense")


# --- investment optimiser -------------------------------------------------------------------------


@pytest.mark.parametrize("changes", [{}, {"tenure_years": 8, "fix_half_investment": 2e6},
                                     {"discount_rate_annual": 0.2}])
def test_optimiser_agrees_with_a_dense_grid(changes):
    values = scenario(**changes)
    curve = optimise_investment(values)
    top = float(curve.investment[-1])
    grid = np.linspace(0.0, top, 4_001)
    npv, tenure = investment_effects(values, grid)
    step = grid[1]
    for best_x, best_y, y in ((curve.best_for_horizon, curve.best_delta_npv, npv),
                              (curve.best_for_tenure, curve.best_delta_inside_tenure, tenure)):
        assert best_y >= y.max() - 1e-9 * abs(y.max())  # never worse than the dense grid
        assert abs(best_x - grid[np.argmax(y)]) <= 2 * step
        # the reported value is the model's value at the reported investment
        got = investment_effects(values, np.array([best_x]))
        assert best_y in (pytest.approx(got[0][0], rel=1e-12), pytest.approx(got[1][0], rel=1e-12))
    # The story of the default scenario: the company needs more than the tenure rewards.
    if not changes:
        assert curve.best_for_horizon > curve.best_for_tenure
    assert curve.investment[0] == 0 and curve.current == values["investment"]


# --- command line ---------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", "analyze", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_cli_prints_the_analysis_as_json(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"honesty": 0.7}))
    out = _cli(str(path), "--draws", "200", "--seed", "7")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    mc = data["monte_carlo"]
    assert mc["draws"] == 200 and mc["seed"] == 7
    for key in ("p_payback_inside_tenure", "p_payback_inside_horizon", "p_delta_npv_positive"):
        assert 0 <= mc[key] <= 1
    expect = A.monte_carlo({**defaults(), "honesty": 0.7}, draws=200, seed=7)
    assert mc["p_payback_inside_horizon"] == expect.p_payback_inside_horizon
    rows = data["tornado"]["rows"]
    assert [r["swing_delta_npv"] for r in rows] == sorted(
        (r["swing_delta_npv"] for r in rows), reverse=True)
    assert set(data["break_even"]) == set(BREAK_EVEN_CHOICES)
    assert set(data["break_even"]["fix_churn_reduction_max"]) == {"tenure", "horizon"}
    opt = data["optimal_investment"]
    assert opt["over_horizon"]["investment"] >= 0 and opt["inside_tenure"]["investment"] >= 0


@pytest.mark.parametrize("args, words", [
    (("missing.json",), "cannot read"),
    (("BAD",), "not valid JSON"),
    (("OK", "--draws", "0"), "draws"),
    (("OK", "--draws", "20001"), "draws"),
    (("OK", "--seed", "-3"), "seed"),
])
def test_cli_bad_input_exits_2_with_one_line(tmp_path, capsys, args, words):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    ok = tmp_path / "ok.json"
    ok.write_text("{}")
    args = [str(bad) if a == "BAD" else str(ok) if a == "OK" else a for a in args]
    import cli as front_door

    assert front_door.main(["analyze", *args]) == 2  # in-process: the subprocess path is above
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.startswith("error: ") and words in out.err
    assert len(out.err.strip().splitlines()) == 1


@pytest.mark.slow
def test_cli_bad_file_through_the_front_door(tmp_path):
    out = _cli(str(tmp_path / "nowhere.json"), "--draws", "10")
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith("error: ") and "cannot read" in out.stderr
