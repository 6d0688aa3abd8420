"""Step 4 — the customer flow: cohorts by segment, class and age, inside a market with an edge.

Each month customers of age a in class c churn with probability min(1, h₀(a)·k_c(t)); bought and
referred customers arrive at age 0 at the end of the month. The market of ``market_size``
customers bounds the inflow twice: the inflow shrinks with the share of the headroom left
((M − N_t) / (M − N₀), at most 1, so today's business keeps today's inflow), and it never
takes the customers above M. Customers are conserved exactly: N_{t+1} = N_t − churned_t + new_t.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.simulation.baseline import Segments

# Above this many numbers the churn probabilities are computed month by month (memory).
_PRECOMPUTE_LIMIT = 4_000_000


@dataclass(frozen=True)
class Flow:
    active: np.ndarray  # (B, H, S, C) at the start of the month
    churned: np.ndarray  # (B, H)
    bought: np.ndarray  # (B, H) after the market's bound
    referred: np.ndarray  # (B, H)
    baseline_churned: np.ndarray  # (B, H) churn the same customers would show at h₀
    end: np.ndarray  # (B, S, C, A) active after the last month


def customer_flow(seg: Segments, start_mix: np.ndarray, factors: np.ndarray,
                  bought_mix: np.ndarray, referred_mix: np.ndarray, referral_rate: np.ndarray,
                  market_size: np.ndarray) -> Flow:
    """Run the cohorts forward.

    start_mix (1|B, C): today's customers by class; factors (B, H, C): churn × h₀ by class;
    bought_mix / referred_mix (1|B, H, C): inflow by class per bought / referred customer;
    referral_rate (B, H): referred per active customer; market_size (1|B,).
    """
    batch, H, C = factors.shape
    hazard = seg.hazard[:, :, None, :]  # (1|B, S, 1, A)
    S, A = hazard.shape[1], hazard.shape[3]
    n = np.broadcast_to(seg.customers[:, :, None, :] * start_mix[:, None, :, None],
                        (batch, S, C, A)).astype(float)
    today = seg.customers.sum(axis=(1, 2))
    headroom_today = np.maximum(market_size - today, 1.0)
    bought_in = (seg.new_customers_monthly[:, None, None, None] * seg.new_share[:, None, :, None]
                 * bought_mix[:, :, None, :])  # (1|B, H, S, C)
    q_all = (np.minimum(hazard[:, None] * factors[:, :, None, :, None], 1.0)
             if batch * H * S * C * A <= _PRECOMPUTE_LIMIT else None)
    active = np.empty((batch, H, S, C))
    churned = np.empty((batch, H))
    baseline_churned = np.empty((batch, H))
    bought = np.empty((batch, H))
    referred = np.empty((batch, H))
    for m in range(H):
        q = q_all[:, m] if q_all is not None else np.minimum(
            hazard * factors[:, m, None, :, None], 1.0)
        leaving = n * q
        survivors = n - leaving
        by_class = n.sum(axis=3)  # (B, S, C)
        total = by_class.sum(axis=(1, 2))
        scale = np.clip((market_size - total) / headroom_today, 0.0, 1.0)
        ref = (by_class.sum(axis=2) * referral_rate[:, m, None])[:, :, None] \
            * referred_mix[:, m, None, :]
        buy = bought_in[:, m]
        inflow = (buy + ref) * scale[:, None, None]
        wanted = inflow.sum(axis=(1, 2))
        room = np.maximum(market_size - survivors.sum(axis=(1, 2, 3)), 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            cut = np.where(wanted > room, room / wanted, 1.0)
        keep = scale * cut
        active[:, m] = by_class
        churned[:, m] = leaving.sum(axis=(1, 2, 3))
        baseline_churned[:, m] = (n * np.minimum(hazard, 1.0)).sum(axis=(1, 2, 3))
        bought[:, m] = buy.sum(axis=(1, 2)) * keep
        referred[:, m] = ref.sum(axis=(1, 2)) * keep
        arrivals = inflow * cut[:, None, None]
        if A == 1:
            n = survivors + arrivals[..., None]
        else:
            n = np.concatenate([arrivals[..., None], survivors[..., :-2],
                                (survivors[..., -2] + survivors[..., -1])[..., None]], axis=3)
    return Flow(active, churned, bought, referred, baseline_churned, n)
