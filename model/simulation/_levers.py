"""Step 2 — lever schedules and the two kinds of customer (over-sold and fairly sold).

Customers come in three classes, the class axis C of every customer array:

| class      | sold by                         | churn (× today's hazard h₀)       |
|------------|---------------------------------|-----------------------------------|
| OVERSOLD   | over-promising (the old way)    | (k_fair(t) + x_s)                 |
| FAIR_BAD   | fair promises, the old way      | k_fair(t)                         |
| FAIR       | honest selling                  | k_fair(t)                         |

Every class pays the same price: the bad-profit share b of the bill falls as honesty takes it off
every bill (``Levers.bills_cleaned``); the classes differ in churn and in how they were sold.

d is the share of today's churn caused by broken promises: the fairly sold churn at (1 − d)·h₀
and the over-sold at (1 − d + x)·h₀, with x chosen so that the status quo — an over-sold share p
of its inflow — is stationary when its inflow matches today's churn (``oversold_excess``). With
constant churn that gives x = d / s, s = (p − d) / (1 − d) today's over-sold share of the
customers. Broken promises can only drive away the over-sold, so d is capped at 0.9·p.
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
_SOLVER_STEPS = 60  # bisection steps for the over-sold excess of an age-structured curve


def tenure_months(tenure_years: float | np.ndarray, horizon_months: int) -> np.ndarray:
    """Months of tenure inside the horizon (at least one), for a scalar or an array."""
    return np.clip(np.rint(12.0 * np.asarray(tenure_years, dtype=float)), 1,
                   horizon_months).astype(int)


@dataclass(frozen=True)
class Levers:
    """What the levers do month by month, (1|B, H) unless noted."""

    honesty: np.ndarray  # h_t: honesty in force (0 after a successor reverts)
    reverted: np.ndarray  # a successor has brought the bad profits back (bool)
    bills_cleaned: np.ndarray  # y_t: share of the bad profits taken off every bill
    budget_committed: np.ndarray  # share of the lost sales' budget still spent
    fix_scale: np.ndarray  # (1|B, 1) f = K / (K + K½), diminishing returns
    progress: np.ndarray  # p_t: 0 during the build, ramps to 1
    live: np.ndarray  # the fixes run (run cost is due)
    change_size: np.ndarray  # (1|B, 1) c = (h + f) / 2
    in_turmoil: np.ndarray  # (1, H) bool
    investment_spend: np.ndarray
    run_cost: np.ndarray


def lever_schedules(col: Mapping[str, np.ndarray], H: int, fixes: bool = True) -> Levers:
    """The levers month by month. ``fixes=False``: the fixes' schedule (scale, progress, spend,
    run cost) is left at nothing, for an overlay that builds its own (a portfolio of fixes)."""
    t = np.arange(H, dtype=float)[None, :]
    tenure_m = tenure_months(col["tenure_years"][:, 0], H)[:, None]
    reverted = (col["successor_reverts"] > 0.5) & (t >= tenure_m)
    honesty = col["honesty"] * ~reverted  # h ≥ 0: 0 once reverted (a product, not np.where)
    # The first step of the phase-out in month 1; a successor's fees come back at once.
    phased = np.minimum(1.0, (t + 1.0) / np.maximum(col["bad_profit_phaseout_months"], 1.0))
    committed = np.maximum(0.0, 1.0 - t / np.maximum(col["sales_budget_adjust_months"], 1.0))
    if fixes:
        K = col["investment"]
        fix_scale = K / (K + col["fix_half_investment"])
        build, ramp = col["build_months"], col["fix_ramp_months"]
        live = t >= build
        progress = np.where(live, np.minimum(1.0, (t - build + 1.0) / np.maximum(ramp, 1.0)),
                            0.0)
        spend = np.where(t < build, K / build, 0.0)
        run = np.where(live, K * col["fix_run_cost_share"] / 12.0, 0.0)
    else:
        fix_scale, progress, spend, run = np.zeros((1, 1)), *(np.zeros((1, H)),) * 3
        live = np.zeros((1, H), dtype=bool)
    return Levers(
        honesty=honesty, reverted=reverted, bills_cleaned=honesty * phased,
        budget_committed=committed,
        fix_scale=fix_scale, progress=progress, live=live,
        change_size=0.5 * (col["honesty"] + fix_scale),
        in_turmoil=t < col["turmoil_months"],
        investment_spend=spend,
        run_cost=run,
    )


@dataclass(frozen=True)
class ChurnShares:
    """Today's churn split into named shares (each (1|B, 1)); they add up to one."""

    broken_promises: np.ndarray  # d, honesty's share (after its cap)
    broken_experiences: np.ndarray  # e_fix, the fixes' share (at most what d leaves)
    rest: np.ndarray  # 1 − d − e_fix; attachment prevents part of it


def churn_shares(col: Mapping[str, np.ndarray]) -> ChurnShares:
    d = np.minimum(col["disappointment_churn_share"],
                   MAX_DISAPPOINTMENT_OF_OVERSOLD * col["overpromise_share"])
    e_fix = np.minimum(col["fix_churn_reduction_max"], 1.0 - d)
    return ChurnShares(d, e_fix, 1.0 - d - e_fix)


# Months a customer who reaches the last (absorbing) age stays there when its churn is 0: the
# steady-state age mix's convention (model.curves.steady_state_age_mix), not an infinity.
NO_CHURN_TAIL_MONTHS = 1e6


def months_by_age(hazard: np.ndarray) -> np.ndarray:
    """Expected months a customer joining at age 0 spends at each age, along the last axis:
    S(a) = Π_{j<a} (1 − h_j), the last (absorbing) age S/h (or ``NO_CHURN_TAIL_MONTHS``·S)."""
    h = np.minimum(hazard, 1.0)
    last = h[..., -1:]
    with np.errstate(divide="ignore"):
        tail = np.where(last > 0, 1.0 / np.where(last > 0, last, 1.0), NO_CHURN_TAIL_MONTHS)
    if h.shape[-1] == 1:
        return tail
    s = np.concatenate([np.ones(h.shape[:-1] + (1,)), np.cumprod(1.0 - h[..., :-1], axis=-1)],
                       axis=-1)
    s[..., -1:] *= tail
    return s


def lifetime(hazard: np.ndarray) -> np.ndarray:
    """Expected months a customer joining at age 0 stays, Σ_a S(a) (see ``months_by_age``)."""
    return months_by_age(hazard).sum(axis=-1)


def oversold_excess(hazard: np.ndarray, p: np.ndarray, d: np.ndarray) -> np.ndarray:
    """x per segment, (1|B, S): the over-sold churn at (1 − d + x)·h₀ so that the status quo is
    stationary when its inflow matches today's churn: p·L((1 − d + x)·h₀) + (1 − p)·L((1 − d)·h₀)
    = L(h₀), L the expected lifetime (``lifetime``). In steady state each class's churn equals
    its inflow, so broken promises cause the share d of today's churn.

    hazard (1|B, S, A); p, d (1|B, 1). Constant churn: x = d / s in closed form. An
    age-structured curve: bisection on x (the lifetime falls as x rises). Where even leaving
    after one month is too slow (x unbounded), x makes the over-sold hazard 1 at every age.
    """
    s = (p - d) / (1.0 - d)
    if hazard.shape[-1] == 1:
        with np.errstate(invalid="ignore", divide="ignore"):
            x = np.where(s > 0, d / s, 0.0)  # (1|B, 1)
        return np.broadcast_to(x, (max(x.shape[0], hazard.shape[0]), hazard.shape[1]))
    k_fair = (1.0 - d)[:, :, None]  # (1|B, 1, 1)
    want = lifetime(hazard) - (1.0 - p) * lifetime(hazard * k_fair)  # (1|B, S)
    with np.errstate(invalid="ignore", divide="ignore"):
        target = np.where(p > 0, want / p, np.inf)
    # Large enough that every age with any churn leaves at once (ages without churn keep none).
    positive = np.where(hazard > 0, hazard, np.inf).min(axis=-1)
    top = np.where(np.isfinite(positive), 1.0 / positive, 0.0)
    lo = np.zeros_like(target)
    hi = np.broadcast_to(top, target.shape).copy()
    for _ in range(_SOLVER_STEPS):
        mid = 0.5 * (lo + hi)
        longer = lifetime(hazard * (k_fair + mid[..., None])) > target
        lo, hi = np.where(longer, mid, lo), np.where(longer, hi, mid)
    x = 0.5 * (lo + hi)
    return np.where((p > 0) & (d > 0), x, 0.0)


def start_customers(customers: np.ndarray, observed: np.ndarray, hazard: np.ndarray,
                    p: np.ndarray, d: np.ndarray, excess: np.ndarray) -> np.ndarray:
    """Today's customers by segment, class and age, (1|B, S, C, A).

    customers (1|B, S, A) are today's by age (observed, or the baseline's steady state);
    observed (S,) says which segments' ages come from data. Constant churn: the over-sold are
    the share s = (p − d) / (1 − d). An age-structured segment without observed ages starts in
    the two classes' joint steady state (inflow share × survival to each age under the class's
    churn, scaled to today's customers), so a status quo whose inflow matches today's churn
    stays where it is; with observed ages each age is split in those steady-state proportions.
    Honestly sold customers do not exist yet.
    """
    if hazard.shape[-1] == 1:
        s = (p - d) / (1.0 - d)  # (1|B, 1)
        over = customers * s[:, :, None]
        return np.stack(np.broadcast_arrays(over, customers * (1.0 - s)[:, :, None],
                                            np.zeros_like(over)), axis=2)
    k_fair = (1.0 - d)[:, :, None]
    weights = [share[:, :, None] * months_by_age(hazard * k)
               for share, k in ((p, k_fair + excess[..., None]), (1.0 - p, k_fair))]
    over_w, fair_w = np.broadcast_arrays(*weights)
    by_age = over_w + fair_w
    with np.errstate(invalid="ignore", divide="ignore"):
        split = np.where(by_age > 0, over_w / by_age, 0.0)
        steady = customers.sum(axis=-1, keepdims=True) / by_age.sum(axis=-1, keepdims=True)
    total = np.where(observed[None, :, None], customers, steady * by_age)
    over = total * split
    return np.stack(np.broadcast_arrays(over, total - over, np.zeros_like(over)), axis=2)


def class_hazard_factors(col: Mapping[str, np.ndarray], shares: ChurnShares, levers: Levers,
                         churn_attachment: np.ndarray, excess: np.ndarray) -> np.ndarray:
    """Each class's churn as a multiple of h₀, shape (B, H, S, C) (S = 1 when every segment
    shares it).

    Fairly sold: k_fair = e_fix·(1 − f·p_t) + rest·a_t, with a_t the attachment's factor on the
    rest of the churn (``trust.churn_factor``); the over-sold add x_s, which only honest selling
    (by not adding to their number) removes. Turmoil raises all.
    """
    fair = (shares.broken_experiences * (1.0 - levers.fix_scale * levers.progress)
            + shares.rest * churn_attachment)  # (B, H)
    turmoil = 1.0 + col["turmoil_churn_increase"] * levers.change_size * levers.in_turmoil
    fair = np.broadcast_to(fair * turmoil, np.broadcast_shapes(np.shape(fair),
                                                               np.shape(turmoil)))
    if np.all(excess == excess[..., :1]):
        excess = excess[..., :1]  # one excess for every segment: keep S = 1
    over = (fair[:, :, None] + excess[:, None, :] * turmoil[:, :, None])
    fair = np.broadcast_to(fair[:, :, None], over.shape)
    return np.stack([over, fair, fair], axis=3)


def inflow_mix(col: Mapping[str, np.ndarray], honesty: np.ndarray, won_back: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Shares of today's bought inflow by class, and of referred customers, (1|B, H, C).

    A share h of sales is honest: no over-promising. Of the rest, a share p is won by
    over-promising. Competitors keep over-promising, so the honest share loses the p·h
    customers that over-promising used to win, except the share ``won_back`` that trust wins
    back (sold honestly). Referred customers come on their friends' word (never over-sold).
    """
    p = col["overpromise_share"][:, :, None]
    h = honesty[:, :, None]
    w = won_back[:, :, None]
    bought = np.concatenate(np.broadcast_arrays(p * (1 - h), (1 - p) * (1 - h),
                                                (1 - p) * h + p * h * w), axis=2)
    referred = np.concatenate([np.zeros_like(h), 1 - h, h], axis=2)
    return bought, referred
