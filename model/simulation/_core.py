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

from model.assumptions import ScenarioError
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
    oversold_excess,
    start_customers,
)
from model.simulation._trust import trust_and_attachment


@dataclass(frozen=True)
class Simulation:
    """Per-month results with a leading batch axis: (B, H) unless noted."""

    segment_names: tuple[str, ...]
    customers: np.ndarray  # active at the start of the month
    customers_by_segment: np.ndarray  # (B, H, S)
    customers_oversold: np.ndarray  # won by over-promising, still active
    customers_sold_honestly: np.ndarray  # sold (or won back) by honest selling
    new_bought: np.ndarray
    new_referred: np.ndarray
    lost_to_competitors: np.ndarray  # new customers honest selling loses to over-promisers
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
    experienced_honesty: np.ndarray  # ε_t: the honesty customers experience
    hazard_multiplier: np.ndarray  # churned / churn the same customers would show today
    customers_end: np.ndarray  # (B,) active after the last month
    end_value_active: np.ndarray  # (B,) customers still active at the horizon end, today's money
    end_value_arrivals: np.ndarray  # (B,) customers who would still arrive after it
    include_terminal_value: np.ndarray  # (B,) bool: both parts count in the NPV
    churn_capped: np.ndarray  # (B,) some class's monthly churn reached 100 % and was capped
    trust_drift_clipped: np.ndarray  # (B,) the status quo's drifting trust reached 0 or 1

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
    def terminal_value(self) -> np.ndarray:
        """Both parts of the end value (counted in the NPV when include_terminal_value)."""
        return self.end_value_active + self.end_value_arrivals

    @property
    def npv(self) -> np.ndarray:
        return self.npv_excl_terminal + np.where(self.include_terminal_value,
                                                 self.terminal_value, 0.0)

    @property
    def monthly_churn(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.customers > 0, self.churned / self.customers, 0.0)


def _full(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``x`` as an array of ``shape`` of its own: a copy when shared rows must be spread out,
    the array itself when it already has the shape (a new result no one else holds)."""
    return x if x.shape == shape and x.base is None else np.broadcast_to(x, shape).copy()


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
    # A structured batch repeats each draw's rate once per segment: each distinct rate's powers
    # once (the same pow of the same numbers), then spread to its members.
    distinct, which = np.unique(v, return_inverse=True)
    if 2 * distinct.size <= v.size:
        return v, (distinct[:, None] ** (np.arange(H) + 1.0)[None, :])[which.reshape(-1)]
    return v, v[:, None] ** (np.arange(H) + 1.0)[None, :]


def simulate(values: Mapping[str, object], baseline: Baseline | None = None,
             overlay: object | None = None) -> Simulation:
    """Run the model for a batch of complete, validated assumption sets.

    ``values`` maps every registry name to a scalar or an array of shape (B,);
    ``horizon_years`` must be the same for the whole batch. Raises ScenarioError when the
    market is smaller than today's customers. ``overlay`` (``model.structure``: a portfolio of
    fixes, usage tiers) may replace the fixes' schedule and shares (``levers(col, levers,
    shares, H)``), what attachment does (``trust(col, trust, turnover)``) and each class's
    churn (``factors(col, factors)``); without one the model is exactly the plain one. A
    ``baseline`` with a ``simulate`` method of its own (``model.structure.Structured``: segments,
    tiers, fixes) simulates the batch itself, so every analysis runs with its structure.
    """
    own = getattr(baseline, "simulate", None)
    if own is not None:
        return own(values)
    p, batch = as_batch(values)
    if np.unique(p["horizon_years"]).size != 1:
        raise ValueError("horizon_years must be the same for every member of a batch")
    H = int(12 * p["horizon_years"][0])
    col = {k: a[:, None] for k, a in p.items()}  # (B or 1, 1): broadcasts against months

    seg = segments_of(p, baseline)  # step 1
    today = seg.customers.sum(axis=(1, 2))
    if np.any(today > p["market_size"]):
        raise ScenarioError(
            f"market_size: {float(np.min(p['market_size'])):,.0f} customers is below today's "
            f"{float(np.max(today)):,.0f}; the market must hold at least today's customers: "
            "raise market_size or lower customers", key="market_size")
    levers = lever_schedules(col, H, not getattr(overlay, "builds_fixes", False))  # step 2
    shares = churn_shares(col)
    if overlay is not None:
        levers, shares = overlay.levers(col, levers, shares, H)
    turnover = np.minimum(1.0, seg.new_customers_monthly / np.maximum(today, 1e-300))
    trust = trust_and_attachment(col, levers, shares, turnover)  # step 3
    if overlay is not None:
        trust = overlay.trust(col, trust, turnover)
    excess = oversold_excess(seg.hazard, col["overpromise_share"], shares.broken_promises)
    factors = class_hazard_factors(col, shares, levers, trust.churn_factor, excess)
    if overlay is not None:
        factors = overlay.factors(col, factors)
    factors = np.broadcast_to(factors, (batch, H) + factors.shape[2:])
    start = start_customers(seg.customers, seg.observed_ages, seg.hazard,
                            col["overpromise_share"], shares.broken_promises, excess)
    bought_mix, referred_mix = inflow_mix(col, levers.honesty, trust.won_back)
    referral_rate = np.broadcast_to(trust.referral_rate, (batch, H))
    flow = customer_flow(seg, start, factors, bought_mix, referred_mix,  # step 4
                         referral_rate, p["market_size"])
    spend = np.broadcast_to(trust.spend_factor, (batch, H))
    cash = cash_flows(col, seg.arpu, flow, levers, spend, trust.won_back)  # step 5
    v, discount = discount_factors(p, H)
    run_cost = np.broadcast_to(levers.run_cost, (batch, H))
    price_last = spend[:, -1] * np.broadcast_to(
        1.0 - col["bad_profit_share"][:, 0] * levers.bills_cleaned[:, -1], (batch,))
    active, arrivals = end_value(col, seg.hazard, seg.arpu, flow, cash, factors[:, -1],
                                 price_last, run_cost[:, -1], v, H)  # step 6
    peak_hazard = seg.hazard.max(axis=2)  # (1|B, S)
    peak_factor = factors.max(axis=(1, 3))  # (B, S|1)
    with np.errstate(invalid="ignore", divide="ignore"):
        multiplier = np.where(flow.baseline_churned > 0, flow.churned / flow.baseline_churned,
                              factors[:, :, 0, FAIR])
    return Simulation(
        segment_names=seg.names,
        customers=flow.active.sum(axis=(2, 3)),
        customers_by_segment=flow.active.sum(axis=3),
        customers_oversold=flow.active[..., OVERSOLD].sum(axis=2),
        customers_sold_honestly=flow.active[..., FAIR].sum(axis=2),
        new_bought=flow.bought, new_referred=flow.referred,
        lost_to_competitors=_full(cash.lost_to_competitors, (batch, H)),
        churned=flow.churned,
        revenue_good=cash.revenue_good, revenue_bad=cash.revenue_bad,
        revenue_by_segment=cash.revenue_by_segment, margin=cash.margin,
        acquisition_cost=cash.acquisition_cost,
        investment_spend=_full(levers.investment_spend, (batch, H)),
        run_cost=_full(levers.run_cost, (batch, H)), turmoil_cost=cash.turmoil_cost,
        profit=cash.profit,
        discount_factor=discount, trust=_full(trust.trust, (batch, H)),
        experienced_honesty=_full(trust.experienced, (batch, H)),
        hazard_multiplier=multiplier,
        customers_end=flow.end.sum(axis=(1, 2, 3)),
        end_value_active=np.broadcast_to(active, (batch,)).copy(),
        end_value_arrivals=np.broadcast_to(arrivals, (batch,)).copy(),
        include_terminal_value=np.broadcast_to(p["include_terminal_value"] > 0.5, (batch,)).copy(),
        churn_capped=np.broadcast_to((peak_hazard * peak_factor > 1.0).any(axis=1),
                                     (batch,)).copy(),
        trust_drift_clipped=np.broadcast_to(trust.drift_clipped, (batch,)).copy(),
    )
