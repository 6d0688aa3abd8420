"""Step 5 — cash: revenue (good and bad), margin, costs, profit; and step 6 — the end value.

Bad profits sit with the customers sold under bad pricing (the over-sold and the fairly sold at
bad prices); honestly sold customers pay a price without the bad-profit share b. Acquisition
cost rises by ``cac_inflation_annual`` per year of bad profits (a share 1 − h_t of a year counts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from model.simulation._flow import Flow
from model.simulation._levers import FAIR, Levers


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


def price_factors(col: Mapping[str, np.ndarray]) -> np.ndarray:
    """Price of each class as a share of today's ARPU, (1|B, 1, 1, C)."""
    b = col["bad_profit_share"]
    full = np.ones_like(b)
    return np.stack(np.broadcast_arrays(full, full, 1.0 - b), axis=-1)[:, :, None, :]


def cash_flows(col: Mapping[str, np.ndarray], arpu: np.ndarray, flow: Flow, levers: Levers,
               arpu_factor: np.ndarray) -> Cash:
    """arpu (1|B, S); arpu_factor (B, H) = 1 + u·g_t (spend at today's attachment is 1)."""
    b = col["bad_profit_share"]
    # Revenue at list price by segment: all customers, and the honestly sold (no bad share).
    everyone = flow.active.sum(axis=3) * arpu[:, None, :]  # (B, H, S)
    honest = flow.active[..., FAIR] * arpu[:, None, :]
    revenue_by_segment = (everyone - b[:, :, None] * honest) * arpu_factor[:, :, None]
    everyone_total = everyone.sum(axis=2) * arpu_factor
    revenue_good = (1.0 - b) * everyone_total
    revenue_bad = b * (everyone_total - honest.sum(axis=2) * arpu_factor)
    margin = col["gross_margin"] * (revenue_good + revenue_bad)
    years_of_bad = (np.cumsum(1.0 - levers.honesty, axis=1) - (1.0 - levers.honesty)) / 12.0
    cac = col["cac"] * (1.0 + col["cac_inflation_annual"]) ** years_of_bad
    acquisition = cac * (flow.bought + col["referral_cost_share"] * flow.referred)
    turmoil_cost = (col["turmoil_cost_share"] * levers.change_size * levers.in_turmoil * margin)
    profit = margin - acquisition - levers.investment_spend - levers.run_cost - turmoil_cost
    return Cash(revenue_good, revenue_bad, revenue_by_segment, margin, acquisition,
                turmoil_cost, profit, cac)


def end_value(col: Mapping[str, np.ndarray], hazard: np.ndarray, arpu: np.ndarray, flow: Flow,
              factors_last: np.ndarray, arpu_factor_last: np.ndarray, run_cost_last: np.ndarray,
              v: np.ndarray, H: int) -> np.ndarray:
    """Value today of the customers still active at the horizon end, (B,).

    Each customer's expected discounted margin under the last month's conditions (its class's
    churn and price, spend per customer, no new acquisition), minus the fixes' run cost, which
    goes on after the horizon as inside it: a fixed amount per month, v^{H+1}/(1 − v) in all.
    hazard (1|B, S, A); factors_last (B, C); arpu_factor_last (B,); run_cost_last (B|1,).
    """
    margin = (col["gross_margin"][:, :, None] * arpu[:, :, None] * price_factors(col)[:, 0]
              * arpu_factor_last[:, None, None])  # (B, S, C)
    q = np.minimum(hazard[:, :, None, :] * factors_last[:, None, :, None], 1.0)  # (B, S, C, A)
    batch, S, C, A = flow.end.shape
    q = np.broadcast_to(q, (batch, S, C, A)).reshape(batch, S * C, A)
    margin = np.broadcast_to(margin, (batch, S, C)).reshape(batch, S * C)
    value = remaining_value(margin, q, v[:, None])
    customers = (flow.end.reshape(batch, S * C, A) * value).sum(axis=(1, 2)) * v ** H
    run_after = run_cost_last * v ** (H + 1) / (1.0 - v)
    return customers - run_after


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
