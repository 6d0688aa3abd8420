"""Two levers, three owners (honesty × investment), goal seek on any input, and the analyze JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.optimize import brentq

import cli as front_door
from model import analysis as A
from model.analysis import _optimise
from model.analysis._break_even import goal_figures, goal_grid
from model.analysis._optimise import NEAR
from model.assumptions import BY_NAME, ScenarioError, defaults
from model.simulation import run


def values(**changes) -> dict:
    return {**defaults(), **changes}


# --- the objectives are the model's own figures ---------------------------------------------------


@pytest.mark.parametrize("h, k", [(0.0, 0.0), (0.3, 2.5e6), (1.0, 4e7)])
def test_objectives_equal_single_runs(h, k):
    v = values(board_weight=0.35, tenure_years=4)
    got = A.Objectives(v)(np.array([h]), np.array([k]))
    s = run({**v, "honesty": h, "investment": k}).summary
    scale = abs(s.npv_status_quo)
    assert got["company"][0] == pytest.approx(s.delta_npv, abs=1e-9 * scale)
    assert got["tenure"][0] == pytest.approx(s.delta_inside_tenure, abs=1e-9 * scale)
    board = s.delta_inside_tenure + 0.35 * s.delta_after_tenure
    assert got["board"][0] == pytest.approx(board, abs=1e-9 * scale)


def test_board_weight_runs_from_the_ceo_to_the_company():
    zero = A.optimise_levers(values(board_weight=0.0))
    one = A.optimise_levers(values(board_weight=1.0))
    assert zero.optima["board"].value == pytest.approx(zero.optima["tenure"].value, rel=1e-6)
    assert one.optima["board"].value == pytest.approx(one.optima["company"].value, rel=1e-6)
    # More weight on customer equity never makes the board choose less honesty or investment
    # than the CEO alone would, and never more than the company.
    mid = A.optimise_levers(values(board_weight=0.5))
    c, t, b = (mid.optima[k] for k in ("company", "tenure", "board"))
    assert t.value <= b.value + 1e-6 * abs(b.value) <= c.value + 1e-6 * abs(c.value)


# --- the optimum against a brute-force grid -------------------------------------------------------


@pytest.mark.parametrize("changes", [{}, {"tenure_years": 2}, {"tenure_years": 10},
                                     {"discount_rate_annual": 0.2, "board_weight": 1.0}])
def test_optima_are_at_least_as_good_as_a_fine_grid(changes):
    v = values(**changes)
    lm = A.optimise_levers(v)
    f = A.Objectives(v)
    hs = np.linspace(0, 1, 41)
    ks = np.linspace(0, 3e7, 121)
    H, K = np.meshgrid(hs, ks, indexing="ij")
    brute = f(H, K)
    for key in A.OBJECTIVES:
        o = lm.optima[key]
        assert o.value >= brute[key].max() - 1e-7 * abs(brute[key].max()), key
        # The reported value is the model's value at the reported levers.
        again = f(np.array([o.honesty]), np.array([o.investment]))[key][0]
        assert o.value == pytest.approx(again, rel=1e-12), key
        # Each objective's own optimum beats the others' optima on that objective.
        for other in lm.optima.values():
            mine = f(np.array([other.honesty]), np.array([other.investment]))[key][0]
            assert o.value >= mine - 1e-9 * abs(o.value)


def test_ranges_within_one_percent_contain_the_optimum_and_end_at_the_threshold():
    v = values()
    lm = A.optimise_levers(v)
    f = A.Objectives(v)
    for key, o in lm.optima.items():
        lo, hi = o.honesty_range
        assert 0 <= lo <= o.honesty <= hi <= 1
        lo_k, hi_k = o.investment_range
        assert 0 <= lo_k <= o.investment <= hi_k
        tol = NEAR * abs(o.value)
        # Inside the investment range the objective stays within 1 % of the best ...
        ks = np.linspace(lo_k, hi_k, 51)[1:-1]
        y = f(np.full(ks.size, o.honesty), ks)[key]
        assert np.all(y >= o.value - tol * 1.0001), key
        # ... and just outside an interior edge it falls below (the range is not too narrow).
        width = hi_k - lo_k
        for edge, step in ((lo_k, -1), (hi_k, +1)):
            if 0 < edge < BY_NAME["investment"].max:
                out = f(np.array([o.honesty]), np.array([edge + step * 0.05 * width]))[key][0]
                assert out < o.value - tol, (key, edge)


def test_the_agency_gap_is_visible_on_the_defaults():
    lm = A.optimise_levers(values())
    company, tenure = lm.optima["company"], lm.optima["tenure"]
    # Not a default number: the relation the product is about.
    assert company.investment > tenure.investment or company.honesty > tenure.honesty


def test_heatmap_grid_holds_each_objective_at_its_points():
    v = values()
    lm = A.optimise_levers(v)
    assert lm.grid["company"].shape == (lm.honesty.size, lm.investment.size)
    assert lm.investment[0] == 0 and lm.honesty[0] == 0 and lm.honesty[-1] == 1
    f = A.Objectives(v)
    i, j = 7, 13
    got = f(np.array([lm.honesty[i]]), np.array([lm.investment[j]]))
    for key in A.OBJECTIVES:
        assert lm.grid[key][i, j] == pytest.approx(got[key][0], rel=1e-12)
    # The grid shows every optimum's investment.
    assert lm.investment[-1] >= max(o.investment for o in lm.optima.values())


def test_near_range_interpolates_edges():
    xs = np.linspace(0, 10, 11)
    ys = -(xs - 5.0) ** 2  # best 0 at 5; ≥ −4 on [3, 7]
    lo, hi = _optimise.near_range(xs, ys, 5.0, -4.0)
    assert (lo, hi) == pytest.approx((3.0, 7.0))
    lo, hi = _optimise.near_range(xs, ys, 5.0, -4.5)  # between grid points: interpolated
    assert 2.0 < lo < 3.0 and 7.0 < hi < 8.0


# --- goal seek ------------------------------------------------------------------------------------


def test_goal_seek_on_the_discount_rate_is_the_irr():
    v = values()
    g = A.goal_seek(v, "discount_rate_annual")
    assert g.horizon is not None and g.cash is not None
    for target, field in (("horizon", "delta_npv"), ("cash", "delta_npv_excl_terminal")):
        s = run({**v, "discount_rate_annual": g.value(target)}).summary
        assert abs(getattr(s, field)) < 1e-7 * abs(s.npv_status_quo), target
    # Independent reference for the cash IRR: the Δ cash flows do not depend on the rate.
    r = run(v)
    dprofit = r.simulation.profit[1] - r.simulation.profit[0]
    t = np.arange(dprofit.size) + 1.0

    def npv(annual: float) -> float:
        return float(np.sum(dprofit * (1 + annual) ** (-t / 12)))

    assert g.cash == pytest.approx(brentq(npv, 0.011, 0.49, xtol=1e-14), rel=1e-8)


@pytest.mark.parametrize("name", ["fix_churn_reduction_max", "bad_profit_share", "investment",
                                  "build_months"])
def test_goal_seek_roots_give_zero_when_run(name):
    v = values()
    g = A.goal_seek(v, name)
    fields = {"inside_tenure": "delta_inside_tenure", "horizon": "delta_npv",
              "cash": "delta_npv_excl_terminal"}
    ys = goal_figures(v, None, name, goal_grid(name))
    for target, field in fields.items():
        x = g.value(target)
        if x is None:  # none in range: the figure keeps one sign over the whole grid
            assert (np.all(ys[target] > 0) or np.all(ys[target] < 0))
            continue
        assert BY_NAME[name].min <= x <= BY_NAME[name].max
        if BY_NAME[name].kind == "int":
            continue  # a step in the model: the root is where the sign changes
        s = run({**v, name: x}).summary
        assert abs(getattr(s, field)) < 1e-6 * abs(s.npv_status_quo), (target, x)


def test_goal_seek_refuses_what_it_cannot_move():
    for name in ("horizon_years", "include_terminal_value", "board_weight", "nonsense"):
        with pytest.raises(ScenarioError, match="cannot be searched") as err:
            A.goal_seek(values(), name)
        assert err.value.key == name


# --- the analyze command --------------------------------------------------------------------------


def _analyze(capsys, *args: str) -> tuple[int, str, str]:
    code = front_door.main(["analyze", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_analyze_adds_the_new_keys_and_is_byte_identical(tmp_path, capsys):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"tenure_years": 6}))
    args = (str(path), "--draws", "300", "--seed", "4", "--goal-seek", "discount_rate_annual")
    code, first, err = _analyze(capsys, *args)
    assert code == 0, err
    code, second, _ = _analyze(capsys, *args)
    assert first.encode() == second.encode()
    data = json.loads(first)
    d = defaults()
    assert data["p_no_response"] == d["p_no_response"]
    assert data["effect_correlation"] == d["effect_correlation"]
    # Issue 19: the latent response's settings and expectation, the notes, the end value's parts.
    assert data["response_likely"] == d["response_likely"]
    assert data["response_spread"] == d["response_spread"]
    expected = data["expected_over_response"]
    assert expected == A.expected_over_response({"tenure_years": 6})
    assert expected["delta_npv_if_no_response"] < expected["delta_npv"] < \
        expected["delta_npv_if_response"]
    s = run({"tenure_years": 6}).summary
    assert data["notes"] == list(s.notes) and len(s.notes) == 1  # the horizon's note only
    assert data["run"]["delta_end_value_active"] == s.delta_end_value_active
    assert data["run"]["delta_end_value_arrivals"] == s.delta_end_value_arrivals
    mc = data["monte_carlo"]
    assert 0 < mc["p_delta_npv_positive"] < mc["p_delta_npv_positive_if_customers_respond"] < 1
    for key in ("company", "tenure", "board"):
        o = data["optimum_2d"][key]
        assert set(o) == {"honesty", "investment", "value", "honesty_range", "investment_range"}
        assert o["honesty_range"][0] <= o["honesty"] <= o["honesty_range"][1]
        assert o["investment_range"][0] <= o["investment"] <= o["investment_range"][1]
    g = data["goal_seek"]
    assert g["name"] == "discount_rate_annual" and {"inside_tenure", "horizon", "cash"} <= set(g)
    assert g["horizon"] == A.goal_seek({"tenure_years": 6}, "discount_rate_annual").horizon


def test_analyze_with_a_ranges_file(tmp_path, capsys):
    path = tmp_path / "s.json"
    path.write_text("{}")
    ranges = tmp_path / "r.json"
    ranges.write_text(json.dumps({"gross_margin": {"low": 0.3, "likely": 0.4, "high": 0.5}}))
    code, out, err = _analyze(capsys, str(path), "--draws", "100", "--ranges", str(ranges))
    assert code == 0, err
    data = json.loads(out)
    assert data["ranges"]["gross_margin"] == {"low": 0.3, "likely": 0.4, "high": 0.5}
    assert data["ranges"]["cac"]["low"] == BY_NAME["cac"].low  # left out: the table's
    mc = A.monte_carlo(defaults(), None, A.load_ranges(ranges, {}), draws=100, seed=0)
    assert data["monte_carlo"]["delta_npv"] == mc.quantiles(mc.delta_npv)


@pytest.mark.parametrize("content, words", [
    ({"gross_margin": {"low": 0.9, "likely": 0.6, "high": 0.95}}, "gross_margin"),
    ({"cac": {"low": -5, "likely": 300, "high": 400}}, "cac"),
    ({"honesty": {"low": 0, "likely": 0.5, "high": 1}}, "honesty"),
    ("{broken", "not valid JSON"),
])
def test_a_bad_ranges_file_exits_2_naming_the_key(tmp_path, capsys, content, words):
    path = tmp_path / "s.json"
    path.write_text("{}")
    ranges = tmp_path / "r.json"
    ranges.write_text(content if isinstance(content, str) else json.dumps(content))
    code, out, err = _analyze(capsys, str(path), "--draws", "10", "--ranges", str(ranges))
    assert code == 2 and out == ""
    assert err.startswith("error: ") and words in err and len(err.strip().splitlines()) == 1


def test_a_bad_goal_seek_name_exits_2(tmp_path, capsys):
    path = tmp_path / "s.json"
    path.write_text("{}")
    code, out, err = _analyze(capsys, str(path), "--draws", "10", "--goal-seek", "horizon_years")
    assert code == 2 and out == "" and "horizon_years" in err


def test_when_doing_nothing_is_best_the_range_uses_the_spread():
    # 1 % of zero is zero: a tenure too short to earn anything back leaves the leader's best at
    # the status quo, and "as good" falls back to 0.1 % of the objective's spread on the grid.
    assert _optimise.near_tolerance(0.0, 1e6) == pytest.approx(1e3)
    assert _optimise.near_tolerance(2e5, 1e9) == pytest.approx(2e3)
    v = values(tenure_years=2)
    lm = A.optimise_levers(v)
    o = lm.optima["tenure"]
    if abs(o.value) < 0.5:
        assert o.investment_range[0] == 0 <= o.investment <= o.investment_range[1]
        f = A.Objectives(v)
        ks = np.linspace(*o.investment_range, 11)
        y = f(np.full(11, o.honesty), ks)["tenure"]
        tol = -y[-1]  # the right edge sits at the threshold
        assert 0 < tol < 0.01 * lm.optima["company"].value  # small against what is at stake
        assert np.all(y >= -tol * 1.0001)
