"""Commit and track, checked against the truth: actuals simulated from the model itself with a
known response (none, half, full; binomial churn and Poisson new customers), the posterior, the
odds before and now, surprises, the gate, the staged Monte Carlo and the pre-posterior."""

from __future__ import annotations

import numpy as np
import pytest

from model.analysis import monte_carlo, response_names
from model.assumptions import ScenarioError, validate
from model.simulation import simulate
from model.tracking import (
    Actuals,
    Plan,
    Staging,
    empty,
    freeze,
    plan_draws,
    staged_analysis,
    update,
    verdict,
    when_will_we_know,
)
from model.tracking._posterior import surprise_text

DRAWS = 1_000


@pytest.fixture(scope="module")
def planned():
    return freeze({}, "2027-01", seed=3, draws=DRAWS)


def truth_actuals(r: float, months: int, seed: int = 0, values=None) -> Actuals:
    """What a business whose customers respond with strength r would report (binomial noise)."""
    full = validate(values or {})
    batch = dict(full)
    for name in response_names():
        batch[name] = np.array([r * float(full[name])])
    sim = simulate(batch)
    rng = np.random.default_rng(seed)
    n = np.rint(sim.customers[0, :months])
    churned = rng.binomial(n.astype(int), sim.churned[0, :months] / sim.customers[0, :months])
    new = rng.poisson((sim.new_bought + sim.new_referred)[0, :months])
    revenue = (sim.revenue_good + sim.revenue_bad)[0, :months]
    return Actuals(np.arange(1, months + 1), n, churned.astype(float), new.astype(float),
                   revenue, np.full(months, np.nan))


class TestDraws:
    def test_plan_draws_are_the_monte_carlos(self):
        d = plan_draws({}, draws=300, seed=5)
        mc = monte_carlo({}, draws=300, seed=5)
        assert np.array_equal(d.response, mc.response)
        np.testing.assert_allclose(d.plan.delta_npv, mc.delta_npv, rtol=1e-12)
        np.testing.assert_allclose(d.plan.churned, mc.churned_by_month)

    def test_fan_is_ordered(self, planned):
        _, d = planned
        for band in d.fan().values():
            assert np.all(band[0] <= band[1] + 1e-6) and np.all(band[1] <= band[2] + 1e-6)


class TestPosterior:
    def test_no_actuals_is_the_prior(self, planned):
        plan, d = planned
        u = update(d, plan.values, empty())
        assert u.odds_now == u.odds_before
        assert u.response_now == u.response_before
        assert u.effective_sample_size == pytest.approx(DRAWS)

    @pytest.mark.parametrize("truth", [0.0, 0.5, 1.0])
    def test_posterior_moves_toward_the_truth(self, planned, truth):
        """Whether customers respond (r > 0) is what monthly counts can tell: the posterior chance
        moves toward the truth month by month (r's strength above 0 is confounded with the
        effect sizes, themselves uncertain, so only the direction of E[r] is checked)."""
        plan, d = planned
        responds = truth > 0
        prior = update(d, plan.values, empty()).response_now
        chances, means = [], []
        for months in (12, 24, 36):
            u = update(d, plan.values, truth_actuals(truth, months, seed=int(truth * 10)))
            chances.append(u.response_now["p_customers_respond"])
            means.append(u.response_now["mean"])
        gaps = [abs(float(responds) - c) for c in chances]
        assert gaps[-1] < abs(float(responds) - prior["p_customers_respond"]), chances
        assert all(b <= a + 0.03 for a, b in zip(gaps, gaps[1:], strict=False)), chances
        if truth == 0.0:
            assert chances[-1] < 0.5 and means[-1] < prior["mean"] - 0.2, (chances, means)
        if truth == 1.0:
            assert chances[-1] > 0.95 and means[-1] > prior["mean"], (chances, means)

    def test_no_response_actuals_lower_the_odds(self, planned):
        plan, d = planned
        u = update(d, plan.values, truth_actuals(0.0, 36))
        for key in ("p_delta_npv_positive", "expected_delta_npv", "p_customers_respond"):
            assert u.odds_now[key] < u.odds_before[key], key
        assert u.response_now["p_customers_respond"] < 0.5

    def test_full_response_raises_the_chance_of_a_response(self, planned):
        plan, d = planned
        u = update(d, plan.values, truth_actuals(1.0, 24))
        assert u.odds_now["p_customers_respond"] > u.odds_before["p_customers_respond"]

    def test_a_plans_own_draw_is_recognised_by_the_weights(self, planned):
        plan, d = planned
        j = int(np.flatnonzero(d.response == 0)[0])
        path = d.plan
        months = 12
        rng = np.random.default_rng(1)
        n = np.rint(path.customers[:months, j].astype(float))
        c = rng.binomial(n.astype(int), path.churned[:months, j] / path.customers[:months, j])
        a = rng.poisson(path.new_customers[:months, j])
        act = Actuals(np.arange(1, months + 1), n, c.astype(float), a.astype(float),
                      path.revenue[:months, j].astype(float), np.full(months, np.nan))
        u = update(d, plan.values, act)
        assert u.method in ("draws", "tempered")
        assert u.weights[j] > 1.0 / DRAWS  # the truth gains weight

    def test_small_ess_is_tempered_and_said_with_a_grid_check(self, planned):
        plan, d = planned
        u = update(d, plan.values, truth_actuals(0.5, 36))
        assert u.method == "tempered"
        assert u.effective_sample_size == pytest.approx(100, rel=0.05)
        assert any("effective sample size" in n and "grid" in n for n in u.notes)
        assert u.grid is not None and u.grid.posterior.sum() == pytest.approx(1.0)

    def test_update_json_holds_what_the_cli_prints(self, planned):
        plan, d = planned
        out = update(d, plan.values, truth_actuals(1.0, 6), plan.staging).to_dict()
        for key in ("likelihood", "effective_sample_size", "odds_before", "odds_now",
                    "response_now", "surprises", "gate", "method"):
            assert key in out
        assert "binomial" in out["likelihood"] and "Poisson" in out["likelihood"]


class TestSurprises:
    def test_words(self):
        assert surprise_text("churned", 7, 0.05) == "Churn in month 7 was lower than 9 in 10 forecasts"
        assert surprise_text("new_customers", 2, 0.95) == (
            "New customers in month 2 was higher than 9 in 10 forecasts")

    def test_churn_far_below_every_forecast_is_a_surprise_and_good_news(self, planned):
        plan, d = planned
        act = truth_actuals(1.0, 3)
        act = Actuals(act.month, act.customers_start, act.churned * 0.2, act.new_customers,
                      act.revenue, act.trust)
        u = update(d, plan.values, act)
        s = [x for x in u.surprises if x.metric == "churned"]
        assert any("outside nearly every future the plan imagined" in n for n in u.notes)
        assert all(x.surprising and x.good_news for x in s)
        assert "lower than 10 in 10" in s[0].text


class TestGate:
    def test_verdicts(self):
        st = Staging(0.3, 12, 0.7)
        assert verdict(0.8, st)[0] == "continue"
        decision, reason = verdict(0.5, st, 4_200_000)
        assert decision == "stop" and "50%" in reason and "70%" in reason
        assert "by month 12" in st.sentence()

    @pytest.mark.parametrize("bad", [dict(pilot_share=0), dict(pilot_share=1.2),
                                     dict(gate_month=0), dict(threshold=1.5)])
    def test_bad_staging_is_refused(self, bad):
        with pytest.raises(ScenarioError):
            Staging(**bad)

    def test_gate_in_tracking(self, planned):
        plan, d = planned
        st = Staging(0.3, 30, 0.7)  # the evidence tells by about month 24 (when_will_we_know)
        assert update(d, plan.values, truth_actuals(1.0, 6), st).gate.decision == "not yet"
        assert update(d, plan.values, truth_actuals(0.0, 36), st).gate.decision == "stop"
        yes = update(d, plan.values, truth_actuals(1.0, 36), st).gate
        assert yes.decision == "continue" and yes.reason.startswith("By month 30")


@pytest.fixture(scope="module")
def staged():
    st = Staging(0.3, 12, 0.7)
    d = plan_draws({}, draws=DRAWS, seed=2, pilot_share=st.pilot_share)
    return st, d, staged_analysis({}, st, draws_result=d, seed=2)


class TestStaged:

    def test_all_in_is_the_plans(self, staged):
        _, d, s = staged
        assert s.all_in.expected_delta_npv == pytest.approx(d.plan.delta_npv.mean())
        assert s.nothing.expected_delta_npv == 0.0

    def test_option_value_is_staged_minus_always_released(self, staged):
        _, _, s = staged
        assert s.option_value == pytest.approx(s.staged.expected_delta_npv
                                               - s.always_released.expected_delta_npv)

    def test_the_gate_learns(self, staged):
        _, _, s = staged
        # evidence, not a coin: release is likelier when customers respond
        assert s.p_release_if_response > 1 - s.p_stop_if_no_response

    def test_threshold_zero_always_releases(self, staged):
        _, d, _ = staged
        s0 = staged_analysis({}, Staging(0.3, 12, 0.0), draws_result=d, seed=2)
        assert s0.p_release == 1.0 and s0.option_value == pytest.approx(0.0)

    def test_threshold_one_mostly_stops_at_the_pilot(self, staged):
        _, d, _ = staged
        s1 = staged_analysis({}, Staging(0.3, 12, 1.0), draws_result=d, seed=2)
        stopped = ~s1.released
        assert stopped.mean() > 0.5
        assert s1.expected_unspent > 0

    def test_gate_beyond_the_horizon_is_refused(self, staged):
        _, d, _ = staged
        with pytest.raises(ScenarioError):
            staged_analysis({}, Staging(0.3, 200, 0.7), draws_result=d)


class TestWhen:
    def test_when_will_we_know(self, planned):
        _, d = planned
        w = when_will_we_know(d)
        assert w.month is None or 1 <= w.month <= d.horizon_months
        assert "80%" in w.text and "leading indicator" in w.text
        if w.month and w.month_leading_indicator:
            assert w.month_leading_indicator <= w.month

    def test_nothing_to_learn_without_a_mass_at_zero(self):
        d = plan_draws({"p_no_response": 0.0}, draws=300, seed=1)
        w = when_will_we_know(d)
        assert w.month is None and "nothing to learn" in w.text


class TestPlan:
    def test_json_round_trip_and_no_drift(self, planned):
        plan, _ = planned
        again = Plan.from_json(plan.to_json())
        assert again.values == plan.values and again.fan == plan.fan
        assert again.drift(again.simulate()) == pytest.approx(0.0, abs=1e-6)
        assert again.month_label(13) == "2028-01"

    @pytest.mark.parametrize("bad", ["2027", "2027-13", "Jan 2027", "1800-01"])
    def test_bad_start_month(self, bad):
        with pytest.raises(ScenarioError, match="YYYY-MM"):
            freeze({}, bad, draws=10)


class TestStagedPlan:
    def test_a_staged_plan_is_tracked_on_the_pilot_until_the_gate(self, staged):
        _, d, _ = staged
        plain = plan_draws({}, draws=DRAWS, seed=2, pilot_share=0.3, gate_month=12)
        tracked = plain.tracked
        np.testing.assert_array_equal(tracked.churned[:12], plain.pilot.churned[:12])
        # after the gate: the pilot plus the all-in path's extra, started at the gate
        np.testing.assert_allclose(
            tracked.churned[12:20],
            plain.pilot.churned[12:20] + (plain.plan.churned[:8] - plain.pilot.churned[:8]),
            rtol=1e-5)
        v = plain.discount_by_month[11]
        np.testing.assert_allclose(tracked.delta_npv, plain.pilot.delta_npv + v * (
            plain.plan.delta_npv - plain.pilot.delta_npv))

    def test_freeze_with_staging_keeps_the_pilots_fan_before_the_gate(self):
        plan, d = freeze({}, "2027-01", seed=2, draws=200, staging=Staging(0.3, 12, 0.7))
        pilot_fan = np.quantile(d.pilot.churned[:12], (0.1, 0.5, 0.9), axis=1)
        np.testing.assert_allclose(np.asarray(plan.fan["churned"])[:, :12], pilot_fan)
        assert Plan.from_json(plan.to_json()).simulate().gate_month == 12
