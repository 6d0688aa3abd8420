"""Step 5 — cash: revenue (good and bad), margin, costs, profit; and step 6 — the end value.

Bad profits are earned on the whole base (fees, penalties, exploited inertia): every bill carries
the bad-profit share b less the share y_t that honesty has taken off (``Levers.bills_cleaned``).
Honest selling loses the customers over-promising used to win (except those trust wins back),
but the sales budget is committed: their acquisition cost is still spent at first and falls
away over ``sales_budget_adjust_months`` (``Levers.budget_committed``). A bought customer costs
(1 + κ) more per year of bad profits (a share 1 − h_t of a year counts); a referred one costs a
share of today's acquisition cost.

The end value has two parts, both under the last month's conditions (each class's churn, the
price, spend per customer, acquisition cost, the fixes' effect and run cost):

- the customers still active at the horizon end: their expected discounted remaining margin;
- the customers who would still arrive after it: the business going on, the last month's
  arrivals every month, each worth a new customer's expected discounted margin, net of their
  acquisition cost, less the fixes' run cost: v^{H+1}/(1 − v) per month's net value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from model.simulation._flow import Flow
from model.simulation._levers import Levers
from model.simulation._trust import bad_profit_months


@dataclass(frozen=True)
class Cash:
    revenue_good: np.ndarray  # (B, H)
    revenue_bad: np.ndarray
    revenue_by_segment: np.ndarray  # (B, H, S)
    margin: np.ndarray
    acquisition_cost: np.ndarray
    turmoil_cost: np.ndarray
    profit: np.ndarray
    cac: np.ndarray  # (1|B, H) cost of one bought customer that month
    lost_to_competitors: np.ndarray  # (B, H) customers honest selling loses, after the market


def cash_flows(col: Mapping[str, np.ndarray], arpu: np.ndarray, flow: Flow, levers: Levers,
               spend_factor: np.ndarray, won_back: np.ndarray) -> Cash:
    """arpu (1|B, S); spend_factor (B|1, H): spend per customer against today's."""
    b = col["bad_profit_share"]
    kept = 1.0 - b * levers.bills_cleaned  # share of the list price still billed
    at_list = flow.active.sum(axis=3) * arpu[:, None, :] * spend_factor[:, :, None]  # (B, H, S)
    revenue_by_segment = at_list * kept[:, :, None]
    total = at_list.sum(axis=2)
    revenue_good = (1.0 - b) * total
    revenue_bad = b * (1.0 - levers.bills_cleaned) * total
    margin = col["gross_margin"] * (revenue_good + revenue_bad)
    cac = col["cac"] * _power(1.0 + col["cac_inflation_annual"],
                              bad_profit_months(levers.honesty) / 12.0)
    # Customers lost to over-promising competitors, in the market conditions of the month: the
    # bought inflow's share 1 − lost against what it would be without them.
    lost = col["overpromise_share"] * levers.honesty * (1.0 - won_back)
    lost_customers = flow.bought * lost / (1.0 - lost)  # p ≤ 0.9, so 1 − lost ≥ 0.1
    acquisition = (cac * (flow.bought + levers.budget_committed * lost_customers)
                   + col["referral_cost_share"] * col["cac"] * flow.referred)
    turmoil_cost = (col["turmoil_cost_share"] * levers.change_size * levers.in_turmoil * margin)
    profit = margin - acquisition - levers.investment_spend - levers.run_cost - turmoil_cost
    return Cash(revenue_good, revenue_bad, revenue_by_segment, margin, acquisition,
                turmoil_cost, profit, cac, lost_customers)


def _power(base: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    """base ** exponent, base (1|B, 1), exponent (1|B, H); when every member shares the months
    (the status quo) and the bases repeat (a structured batch: once per segment), each distinct
    base's row once, then spread to its members: the same pow of the same numbers."""
    if exponent.shape[0] == 1 and base.shape[0] > 1:
        distinct, which = np.unique(base[:, 0], return_inverse=True)
        if 2 * distinct.size <= base.shape[0]:
            return (distinct[:, None] ** exponent)[which.reshape(-1)]
    return base ** exponent


def end_value(col: Mapping[str, np.ndarray], hazard: np.ndarray, arpu: np.ndarray, flow: Flow,
              cash: Cash, factors_last: np.ndarray, price_last: np.ndarray,
              run_cost_last: np.ndarray, v: np.ndarray, H: int
              ) -> tuple[np.ndarray, np.ndarray]:
    """The end value's two parts, discounted to today, (B,) each: the customers still active at
    the horizon end, and the customers who would still arrive after it (see the module
    docstring). hazard (1|B, S, A); factors_last (B, S|1, C); price_last (B,) the bill per
    customer against today's ARPU (spend × share still billed); run_cost_last (B|1,).
    """
    batch, S, C, A = flow.end.shape
    margin = col["gross_margin"] * arpu * price_last[:, None]  # (B, S)
    margin = np.broadcast_to(margin[:, :, None], (batch, S, C)).reshape(batch, S * C)
    q = np.minimum(hazard[:, :, None, :] * factors_last[..., None], 1.0)  # (B, S, C, A)
    q = np.broadcast_to(q, (batch, S, C, A)).reshape(batch, S * C, A)
    value = remaining_value(margin, q, v[:, None])  # (B, S·C, A)
    active = (flow.end.reshape(batch, S * C, A) * value).sum(axis=(1, 2)) * v ** H
    arriving = (flow.last_arrivals.reshape(batch, S * C) * value[:, :, 0]).sum(axis=1)
    costs = (cash.cac[:, -1] * flow.bought[:, -1]
             + col["referral_cost_share"][:, 0] * col["cac"][:, 0] * flow.referred[:, -1])
    arrivals = (arriving - costs - run_cost_last) * v ** (H + 1) / (1.0 - v)
    return active, arrivals


def remaining_value(margin: np.ndarray, q: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Expected discounted margin of a customer by age, at the start of a month, shape (B, K, A).

    V(A−1) = v·m / (1 − v·(1 − q_{A−1})) (the absorbing age), V(a) = v·(m + (1 − q_a)·V(a+1)).
    Unrolled: V(a) = P_a·(v·m·Σ_{a≤k<A−1} 1/P_k + V(A−1)) with P_a = Π_{a≤j<A−1} v·(1 − q_j).
    """
    last = v * margin / (1.0 - v * (1.0 - q[:, :, -1]))
    if q.shape[2] == 1:
        return last[:, :, None]
    keep = v[:, :, None] * (1.0 - q[:, :, :-1])  # (B, K, A−1)
    P = np.cumprod(keep[:, :, ::-1], axis=2)[:, :, ::-1]  # P_a for a < A−1; P_0 is the smallest
    if P[:, :, 0].min() > 1e-200:  # far from underflow: one vectorised pass
        tail = np.cumsum((1.0 / P)[:, :, ::-1], axis=2)[:, :, ::-1]  # Σ_{a≤k<A−1} 1/P_k
        young = P * (v * margin)[:, :, None] * tail + P * last[:, :, None]
        return np.concatenate([young, last[:, :, None]], axis=2)
    value = np.empty(q.shape)  # near-certain churn somewhere: the plain recursion
    value[:, :, -1] = last
    for a in range(q.shape[2] - 2, -1, -1):
        value[:, :, a] = v * (margin + (1.0 - q[:, :, a]) * value[:, :, a + 1])
    return value
