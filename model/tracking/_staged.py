"""Staged investment inside the Monte Carlo: staged against all-in against doing nothing.

Each draw is simulated all-in (the scenario) and with the pilot share only, beside the same status
quo. At the gate, each draw decides from the evidence *it would have produced*: its pilot path's
customers, churned (binomial) and new customers (Poisson) month by month up to the gate, weighed
against a reference set of other draws (``_evidence``; a draw never weighs itself). If the
posterior chance that customers respond (r > 0) reaches the threshold, the rest is released.

The path after a release is the pilot path plus the all-in path's extra over the pilot, started
at the gate: cumulative Δ(t) = Δ_pilot(t) + v^G·[Δ_all(t − G) − Δ_pilot(t − G)] and ΔNPV =
ΔNPV_pilot + v^G·(ΔNPV_all − ΔNPV_pilot), v^G the draw's discount factor of the gate month.
This superposition is an approximation (the rest meets a base that has moved on by G months);
it is exact for the spend and for effects proportional to the base it finds. The value of the
option to stop is E[ΔNPV staged] − E[ΔNPV staged, always released].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from model.analysis import Range
from model.assumptions import ScenarioError, validate
from model.tracking._draws import PlanDraws, plan_draws
from model.tracking._evidence import (
    churn_probability,
    log_likelihood,
    simulate_counts,
    weights_from,
)
from model.tracking._gate import Staging

REFERENCE_DRAWS = 300  # draws each simulated history is weighed against at the gate


@dataclass(frozen=True)
class Strategy:
    expected_delta_npv: float
    p_payback_inside_tenure: float
    p_delta_npv_positive: float

    def to_dict(self) -> dict[str, float]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class StagedResult:
    staging: Staging
    draws: int
    staged: Strategy
    all_in: Strategy
    nothing: Strategy
    always_released: Strategy
    option_value: float  # E[staged] − E[staged, always released]
    staging_value: float  # E[staged] − E[all-in]
    p_release: float  # share of draws that release the rest
    p_release_if_response: float
    p_stop_if_no_response: float
    expected_unspent: float  # investment not spent because the gate stopped it, E over draws
    released: np.ndarray  # (n,) bool

    def to_dict(self) -> dict[str, object]:
        return {"criterion": self.staging.sentence(), **self.staging.to_dict(),
                "draws": self.draws, "staged": self.staged.to_dict(),
                "all_in": self.all_in.to_dict(), "nothing": self.nothing.to_dict(),
                "staged_always_released": self.always_released.to_dict(),
                "value_of_option_to_stop": self.option_value,
                "staged_minus_all_in": self.staging_value, "p_release": self.p_release,
                "p_release_if_customers_respond": self.p_release_if_response,
                "p_stop_if_customers_do_not_respond": self.p_stop_if_no_response,
                "expected_investment_unspent": self.expected_unspent}


def _strategy(delta_npv: np.ndarray, payback: np.ndarray, tenure_month: int) -> Strategy:
    inside = ~np.isnan(payback) & (np.nan_to_num(payback, nan=np.inf) <= tenure_month)
    return Strategy(float(delta_npv.mean()), float(inside.mean()), float((delta_npv > 0).mean()))


def gate_chances(d: PlanDraws, gate_month: int, seed: int, reference: int = REFERENCE_DRAWS
                 ) -> np.ndarray:
    """(n,) each draw's posterior chance that customers respond, from the pilot-path evidence it
    would have produced by ``gate_month`` (binomial churn, Poisson new customers)."""
    path = d.pilot if d.pilot is not None else d.plan
    g = int(gate_month)
    p = churn_probability(path.customers[:g], path.churned[:g])  # (g, n)
    lam = path.new_customers[:g].astype(float)
    n_obs, c_obs, a_obs = simulate_counts(path.customers[:g], p, lam,
                                          np.random.default_rng([int(seed), 20, g]))
    n = d.draws
    ref = np.arange(min(reference, n))
    responds = (d.response[ref] > 0).astype(float)
    out = np.empty(n)
    for lo in range(0, n, 10_000):  # 10,000 × 300 doubles: 24 MB at a time
        hi = min(lo + 10_000, n)
        ll = log_likelihood(n_obs[lo:hi], c_obs[lo:hi], a_obs[lo:hi], p[:, ref], lam[:, ref])
        rows = np.arange(lo, hi)
        own = rows < len(ref)
        ll[np.flatnonzero(own), rows[own]] = -np.inf  # a draw never weighs itself
        out[lo:hi] = weights_from(ll) @ responds
    return out


def staged_analysis(values: Mapping[str, object], staging: Staging,
                    ranges: Sequence[Range] | None = None, draws: int = 2_000, seed: int = 0,
                    distribution: str = "pert", draws_result: PlanDraws | None = None
                    ) -> StagedResult:
    """Staged vs all-in vs nothing over the same draws (see the module docstring)."""
    full = validate(values)
    d = draws_result or plan_draws(full, ranges, draws, seed, distribution,
                                   pilot_share=staging.pilot_share)
    if d.pilot is None:
        raise ValueError("the draws were made without a pilot path")
    H, g = d.horizon_months, int(staging.gate_month)
    if g >= H:
        raise ScenarioError(f"gate_month: {g} is not inside the horizon of {H} months; pick a "
                            "gate before its end", key="gate_month")
    chance = gate_chances(d, g, seed)
    release = chance >= staging.threshold
    all_in, pilot = d.plan, d.pilot
    released = d.released(g, counts=False)
    npv_released, pay_released = released.delta_npv, released.payback_month
    npv_staged = np.where(release, npv_released, pilot.delta_npv)
    pay_staged = np.where(release, pay_released, pilot.payback_month)
    tm = d.tenure_month
    staged = _strategy(npv_staged, pay_staged, tm)
    always = _strategy(npv_released, pay_released, tm)
    responds = d.response > 0
    rest = (1.0 - staging.pilot_share) * float(full["investment"])
    return StagedResult(
        staging=staging, draws=d.draws, staged=staged,
        all_in=_strategy(all_in.delta_npv, all_in.payback_month, tm),
        nothing=Strategy(0.0, 0.0, 0.0), always_released=always,
        option_value=staged.expected_delta_npv - always.expected_delta_npv,
        staging_value=staged.expected_delta_npv - float(all_in.delta_npv.mean()),
        p_release=float(release.mean()),
        p_release_if_response=float(release[responds].mean()) if responds.any() else float("nan"),
        p_stop_if_no_response=(float((~release[~responds]).mean()) if (~responds).any()
                               else float("nan")),
        expected_unspent=float(rest * (~release).mean()), released=release)
