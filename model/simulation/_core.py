"""simulate(): the named steps in order — segments, lever schedules, trust path, customer flow,
cash, end value — for a batch of assumption sets.

One vectorised code path serves a single run and thousands of Monte Carlo draws: every assumption
may be a scalar or an array of shape (B,), and every result carries a leading batch axis.

Timing (DESIGN §2): month t = 0 … H−1; a customer active at the start of month t pays for it;
churn happens at the end of the month; new customers arrive at the end of the month and pay from
the next; the cash of month t is discounted by (1 + i)^−(t+1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from model.simulation._baseline import Baseline, segments_of
from model.simulation._cash import cash_flows, end_value
from model.simulation._flow import customer_flow
from model.simulation._levers import (
    FAIR,
    OVERSOLD,
    churn_shares,
    class_hazard_factors,
    inflow_mix,
    lever_schedules,
)
from model.simulation._trust import attachment_gain, trust_path


@dataclass(frozen=True)
class Simulation:
    """Per-month results with a leading batch axis: (B, H) unless noted."""

    segment_names: tuple[str, ...]
    customers: np.ndarray  # active at the start of the month
    customers_by_segment: np.ndarray  # (B, H, S)
    customers_oversold: np.ndarray  # won by over-promising, still active
    customers_fair_priced: np.ndarray  # sold honestly: no bad-profit pricing
    new_bought: np.ndarray
    new_referred: np.ndarray
    churned: np.ndarray
    revenue_good: np.ndarray
    revenue_bad: np.ndarray
    revenue_by_segment: np.ndarray  # (B, H, S)
    margin: np.ndarray  # gross margin in currency
    acquisition_cost: np.ndarray
    investment_spend: np.ndarray
    run_cost: np.ndarray
    turmoil_cost: np.ndarray
    profit: np.ndarray
    discount_factor: np.ndarray  # (H,) or (B, H)
    trust: np.ndarray  # at the start of the month
    hazard_multiplier: np.ndarray  # churned / churn the same customers would show today
    customers_end: np.ndarray  # (B,) active after the last month
    terminal_value: np.ndarray  # (B,) end value, discounted to today
    include_terminal_value: np.ndarray  # (B,) bool

    @property
    def horizon_months(self) -> int:
        return self.profit.shape[1]

    @property
    def discounted_profit(self) -> np.ndarray:
        return self.profit * self.discount_factor

    @property
    def npv_excl_terminal(self) -> np.ndarray:
        # A running sum adds the months in order whatever the batch size (a row sum's order
        # depends on the array's shape), so a run and a Monte Carlo draw agree to the bit.
        return np.cumsum(self.discounted_profit, axis=1)[:, -1]

    @property
    def npv(self) -> np.ndarray:
        return self.npv_excl_terminal + np.where(self.include_terminal_value,
                                                 self.terminal_value, 0.0)

    @property
    def monthly_churn(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.customers > 0, self.churned / self.customers, 0.0)


def as_batch(values: Mapping[str, object]) -> tuple[dict[str, np.ndarray], int]:
    """Each value as a 1-D array of length 1 or B (left unbroadcast: broadcasting is cheaper)."""
    arrays = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in values.items()}
    sizes = {a.shape for a in arrays.values()}
    batch = max(a.shape[0] for a in arrays.values())
    if any(len(s) != 1 or s[0] not in (1, batch) for s in sizes):
        raise ValueError("assumptions must be scalars or 1-D arrays of one length")
    return arrays, batch


def discount_factors(p: Mapping[str, np.ndarray], H: int) -> tuple[np.ndarray, np.ndarray]:
    """v = 1/(1 + i) per batch member (1|B,) and v^(t+1), (H,) when the batch shares it."""
    v = 1.0 / (1.0 + p["discount_rate_annual"]) ** (1.0 / 12.0)
    if np.all(v == v[0]):
        return v[:1], v[0] ** (np.arange(H) + 1.0)
    return v, v[:, None] ** (np.arange(H) + 1.0)[None, :]


def simulate(values: Mapping[str, object], baseline: Baseline | None = None) -> Simulation:
    """Run the model for a batch of complete, validated assumption sets.

    ``values`` maps every registry name to a scalar or an array of shape (B,);
    ``horizon_years`` must be the same for the whole batch.
    """
    p, batch = as_batch(values)
    if np.unique(p["horizon_years"]).size != 1:
        raise ValueError("horizon_years must be the same for every member of a batch")
    H = int(12 * p["horizon_years"][0])
    col = {k: a[:, None] for k, a in p.items()}  # (B or 1, 1): broadcasts against months

    seg = segments_of(p, baseline)  # step 1
    levers = lever_schedules(col, H)  # step 2
    shares = churn_shares(col)
    trust = trust_path(col, levers.honesty, levers.fix_scale * levers.progress)  # step 3
    gain = attachment_gain(col, trust)
    factors = np.broadcast_to(class_hazard_factors(col, shares, levers, gain), (batch, H, 3))
    bought_mix, referred_mix = inflow_mix(col, levers.honesty)
    start_mix = np.concatenate([shares.oversold_today, 1.0 - shares.oversold_today,
                                np.zeros_like(shares.oversold_today)], axis=1)
    referral_rate = col["referral_rate_full_trust"] * np.maximum(gain, 0.0)
    flow = customer_flow(seg, start_mix, factors, bought_mix, referred_mix,  # step 4
                         referral_rate, p["market_size"])
    arpu_factor = 1.0 + col["trust_arpu_uplift_max"] * gain
    cash = cash_flows(col, seg.arpu, flow, levers, arpu_factor)  # step 5
    v, discount = discount_factors(p, H)
    run_cost = np.broadcast_to(levers.run_cost, (batch, H))
    terminal = end_value(col, seg.hazard, seg.arpu, flow, factors[:, -1], arpu_factor[:, -1],
                         run_cost[:, -1], v, H)  # step 6

    with np.errstate(invalid="ignore", divide="ignore"):
        multiplier = np.where(flow.baseline_churned > 0, flow.churned / flow.baseline_churned,
                              factors[:, :, FAIR])
    return Simulation(
        segment_names=seg.names,
        customers=flow.active.sum(axis=(2, 3)),
        customers_by_segment=flow.active.sum(axis=3),
        customers_oversold=flow.active[..., OVERSOLD].sum(axis=2),
        customers_fair_priced=flow.active[..., FAIR].sum(axis=2),
        new_bought=flow.bought, new_referred=flow.referred, churned=flow.churned,
        revenue_good=cash.revenue_good, revenue_bad=cash.revenue_bad,
        revenue_by_segment=cash.revenue_by_segment, margin=cash.margin,
        acquisition_cost=cash.acquisition_cost,
        investment_spend=np.broadcast_to(levers.investment_spend, (batch, H)).copy(),
        run_cost=run_cost.copy(), turmoil_cost=cash.turmoil_cost, profit=cash.profit,
        discount_factor=discount, trust=np.broadcast_to(trust, (batch, H)).copy(), hazard_multiplier=multiplier,
        customers_end=flow.end.sum(axis=(1, 2, 3)),
        terminal_value=np.broadcast_to(terminal, (batch,)).copy(),
        include_terminal_value=np.broadcast_to(p["include_terminal_value"] > 0.5, (batch,)).copy(),
    )
