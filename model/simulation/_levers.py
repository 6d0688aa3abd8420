"""Step 2 — lever schedules and the two kinds of customer (over-sold and fairly sold).

Customers come in three classes, the class axis C of every customer array:

| class      | sold by                      | churn (× today's hazard h₀)  | pays                    |
|------------|------------------------------|------------------------------|-------------------------|
| OVERSOLD   | over-promising (bad pricing) | k_fair(t) + d / s            | full price, bad profits |
| FAIR_BAD   | fair promises, bad pricing   | k_fair(t)                    | full price, bad profits |
| FAIR       | honest selling               | k_fair(t)                    | price without bad share |

d is the share of today's churn caused by broken promises and s today's over-sold share of the
customers: the stationary status quo with an over-sold share p of its inflow has
s = (p − d) / (1 − d), so that its blended churn is exactly h₀ (s·k_over + (1 − s)·k_fair = 1 with
k_fair = 1 − d). Broken promises can only drive away the over-sold, so d is capped at 0.9·p.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

OVERSOLD, FAIR_BAD, FAIR = 0, 1, 2
N_CLASSES = 3
# Broken promises cause at most this share of the over-sold inflow's weight in churn (d ≤ 0.9 p):
# at d = p the over-sold would have to leave the moment they arrive.
MAX_DISAPPOINTMENT_OF_OVERSOLD = 0.9


def tenure_months(tenure_years: float | np.ndarray, horizon_months: int) -> np.ndarray:
    """Months of tenure inside the horizon (at least one), for a scalar or an array."""
    return np.clip(np.rint(12.0 * np.asarray(tenure_years, dtype=float)), 1,
                   horizon_months).astype(int)


@dataclass(frozen=True)
class Levers:
    """What the levers do month by month, (1|B, H) unless noted."""

    honesty: np.ndarray  # h_t: honesty in force (0 after a successor reverts)
    fix_scale: np.ndarray  # (1|B, 1) f = K / (K + K½), diminishing returns
    progress: np.ndarray  # p_t: 0 during the build, ramps to 1
    live: np.ndarray  # the fixes run (run cost is due)
    change_size: np.ndarray  # (1|B, 1) c = (h + f) / 2
    in_turmoil: np.ndarray  # (1, H) bool
    investment_spend: np.ndarray
    run_cost: np.ndarray


def lever_schedules(col: Mapping[str, np.ndarray], H: int) -> Levers:
    t = np.arange(H, dtype=float)[None, :]
    tenure_m = tenure_months(col["tenure_years"][:, 0], H)[:, None]
    reverted = (col["successor_reverts"] > 0.5) & (t >= tenure_m)
    K = col["investment"]
    fix_scale = K / (K + col["fix_half_investment"])
    build, ramp = col["build_months"], col["fix_ramp_months"]
    live = t >= build
    progress = np.where(live, np.minimum(1.0, (t - build + 1.0) / np.maximum(ramp, 1.0)), 0.0)
    return Levers(
        honesty=np.where(reverted, 0.0, col["honesty"]),
        fix_scale=fix_scale, progress=progress, live=live,
        change_size=0.5 * (col["honesty"] + fix_scale),
        in_turmoil=t < col["turmoil_months"],
        investment_spend=np.where(t < build, K / build, 0.0),
        run_cost=np.where(live, K * col["fix_run_cost_share"] / 12.0, 0.0),
    )


@dataclass(frozen=True)
class ChurnShares:
    """Today's churn split into named shares (each (1|B, 1)); they add up to one."""

    broken_promises: np.ndarray  # d, honesty's share (after its cap)
    broken_experiences: np.ndarray  # e_fix, the fixes' share (at most what d leaves)
    rest: np.ndarray  # 1 − d − e_fix; attachment at full trust prevents e_trust of it
    oversold_today: np.ndarray  # s, today's over-sold share of the customers
    oversold_excess: np.ndarray  # d / s, extra churn of the over-sold (× h₀)


def churn_shares(col: Mapping[str, np.ndarray]) -> ChurnShares:
    p = col["overpromise_share"]
    d = np.minimum(col["disappointment_churn_share"], MAX_DISAPPOINTMENT_OF_OVERSOLD * p)
    e_fix = np.minimum(col["fix_churn_reduction_max"], 1.0 - d)
    s = (p - d) / (1.0 - d)
    with np.errstate(invalid="ignore", divide="ignore"):
        excess = np.where(s > 0, d / s, 0.0)
    return ChurnShares(d, e_fix, 1.0 - d - e_fix, s, excess)


def class_hazard_factors(col: Mapping[str, np.ndarray], shares: ChurnShares, levers: Levers,
                         attachment_gain: np.ndarray) -> np.ndarray:
    """Each class's churn as a multiple of h₀, shape (B, H, C).

    Fairly sold: k_fair = e_fix·(1 − f·p_t) + rest·(1 − e_trust·g_t); the over-sold add d / s,
    which only honest selling (by not adding to their number) removes. Turmoil raises all.
    """
    fair = (shares.broken_experiences * (1.0 - levers.fix_scale * levers.progress)
            + shares.rest * (1.0 - col["trust_churn_reduction_max"] * attachment_gain))
    turmoil = 1.0 + col["turmoil_churn_increase"] * levers.change_size * levers.in_turmoil
    fair, over = np.broadcast_arrays(fair * turmoil, (fair + shares.oversold_excess) * turmoil)
    return np.stack([over, fair, fair], axis=2)


def inflow_mix(col: Mapping[str, np.ndarray], honesty: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shares of today's bought inflow by class, and of referred customers, (1|B, H, C).

    A share h of sales is honest: no over-promised customers, no bad pricing. Of the rest, a
    share p was won by over-promising. Referred customers come on their friends' word (never
    over-sold) and are priced as current sales are.
    """
    p = col["overpromise_share"][:, :, None]
    h = honesty[:, :, None]
    bought = np.concatenate([p * (1 - h), (1 - p) * (1 - h), (1 - p) * h], axis=2)
    referred = np.concatenate([np.zeros_like(h), 1 - h, h], axis=2)
    return bought, referred
