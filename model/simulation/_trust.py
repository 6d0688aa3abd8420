"""Step 3 — trust and attachment: what customers experience builds trust slowly, bad profits wear
it down, and customers attach (churn less, spend more, refer) as trust passes a threshold.

- Experienced honesty ε_t = ω·y_t + (1 − ω)·φ_t: the share y_t of the bad profits already taken
  off the bills, and the share φ_t of the base sold since the switch the honest way, which grows
  only as new customers replace the base at today's pace ρ = today's new customers / today's
  customers (φ_{t+1} = φ_t + ρ·(h_t − φ_t)). ω = ``trust_from_bills_share``.
- The switch's trust τˢ_t lags toward τ₀ + (1 − τ₀)·min(1, g_h·ε_t + g_f·f·p_t·e_fix/(1 − d)):
  the fixes raise trust in proportion to what is broken. It rises with the build time constant
  and falls with the loss one. Once a successor reverts, the honest years count for nothing:
  the target falls to the status quo's trust path (the drift the honest months escaped comes
  back), keeps the fixes' part, and loses the betrayal penalty π times the honesty betrayed, so
  trust ends below the status quo's.
- Attachment is a logistic in trust around the threshold θ, rescaled so that A(0) = 0 and
  A(1) = 1. The attachment the switch changes is G_t = A(τˢ_t) − A(τ₀); every month of bad
  profits costs the attachment the status quo loses that month (its trust drifting by δ a year),
  in proportion to the share 1 − h_t that continues:
  D_t = Σ_{s<t} (1 − h_s)·(A(τ₀ + δ(s+1)/12) − A(τ₀ + δs/12)). The change in attachment is
  g_t = G_t + D_t, kept within [−A(τ₀), 1 − A(τ₀)] (attachment stays in [0, 1]).
- Bounded and smooth: churn of the rest falls by the factor (1 − ê·(A₀ + g))/(1 − ê·A₀), spend
  rises by (1 + u·(A₀ + g))/(1 + u·A₀); referrals come from the attachment the switch gains,
  rate·max(G, 0); the customers competitors win by over-promising are won back in the share
  max(G, 0)/(1 − A₀) of the way to full attachment.
- The trust shown is τˢ_t + δ/12·Σ_{s<t}(1 − h_s) (the switch's trust less what bad profits cost),
  clipped to [0, 1]; for the status quo it is today's trust drifting by δ a year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from model.simulation._levers import ChurnShares, Levers

# Width of the attachment step around the threshold (in trust units): customers go from barely
# to mostly attached over about ±2 widths, i.e. 0.3 … 0.7 of trust around θ = 0.5.
ATTACHMENT_WIDTH = 0.1
# Below this many series a plain Python loop beats numpy's per-call overhead.
SMALL_BATCH = 16


def attachment(trust: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """A(τ) = (σ((τ − θ)/w) − σ(−θ/w)) / (σ((1 − θ)/w) − σ(−θ/w)); A(0) = 0, A(1) = 1."""
    def sigma(x):
        return 1.0 / (1.0 + np.exp(-x / ATTACHMENT_WIDTH))
    low, high = sigma(-threshold), sigma(1.0 - threshold)
    return (sigma(trust - threshold) - low) / (high - low)


@dataclass(frozen=True)
class Trust:
    """Trust and what attachment does, (B|1, H)."""

    trust: np.ndarray  # shown: the switch's trust less what continuing bad profits cost
    experienced: np.ndarray  # ε_t, the honesty customers experience
    churn_factor: np.ndarray  # on the churn not caused by broken promises or experiences
    spend_factor: np.ndarray  # on revenue per customer
    referral_rate: np.ndarray  # referred customers per active customer per month
    won_back: np.ndarray  # share of the customers lost to over-promising competitors won back
    drift_clipped: np.ndarray  # (B|1,) the status quo's trust reached 0 or 1 inside the horizon
    attachment_change: np.ndarray | None = None  # g_t, the change in attachment (usage tiers)


def bad_profit_months(honesty: np.ndarray) -> np.ndarray:
    """Σ_{s<t} (1 − h_s): months of bad profits before month t, (B|1, H)."""
    return np.cumsum(1.0 - honesty, axis=1) - (1.0 - honesty)


def experienced_honesty(col: Mapping[str, np.ndarray], levers: Levers, turnover: np.ndarray
                        ) -> np.ndarray:
    """ε_t = ω·y_t + (1 − ω)·φ_t (see the module docstring); turnover ρ is (1|B,)."""
    sold = first_order_lag(levers.honesty, np.zeros(1), turnover, turnover)
    w = col["trust_from_bills_share"]
    return w * levers.bills_cleaned + (1.0 - w) * sold


def trust_and_attachment(col: Mapping[str, np.ndarray], levers: Levers, shares: ChurnShares,
                         turnover: np.ndarray) -> Trust:
    H = levers.honesty.shape[1]
    tau0, theta = col["trust_initial"], col["trust_threshold"]
    eps = experienced_honesty(col, levers, turnover)
    with np.errstate(invalid="ignore", divide="ignore"):
        broken = np.where(shares.broken_promises < 1.0,
                          shares.broken_experiences / (1.0 - shares.broken_promises), 0.0)
    fixes = col["trust_gain_fixes"] * broken * levers.fix_scale * levers.progress
    # After a successor reverts, the honest years count for nothing: the target falls to the
    # status quo's path (the drift the honest months escaped comes back) less the betrayal.
    drift = col["status_quo_trust_drift"] / 12.0
    if levers.reverted.any():
        honest_months = np.cumsum(levers.honesty, axis=1) - levers.honesty  # Σ_{s<t} h_s
        base = np.where(levers.reverted, tau0 + drift * honest_months, tau0)
    else:
        base = tau0  # no successor reverts: the same numbers, without the running sum
    honesty_part = col["trust_gain_honesty"] * eps * ~levers.reverted  # ≥ 0: 0 once reverted
    target = base + (1.0 - base) * np.minimum(1.0, honesty_part + fixes)
    betrayal = col["betrayal_trust_penalty"] * col["honesty"] * levers.reverted
    target = np.clip(target - betrayal, 0.0, 1.0)
    up = 1.0 - np.exp(-1.0 / col["trust_build_months"][:, 0])
    down = 1.0 - np.exp(-1.0 / col["trust_loss_months"][:, 0])
    switch = first_order_lag(target, tau0[:, 0], up, down)

    a0 = attachment(tau0, theta)  # (1|B, 1)
    months = np.arange(H + 1, dtype=float)[None, :]
    drifting = tau0 + col["status_quo_trust_drift"] / 12.0 * months  # (1|B, H + 1)
    status_quo = attachment(np.clip(drifting, 0.0, 1.0), theta)
    lost = np.cumsum((1.0 - levers.honesty) * np.diff(status_quo, axis=1), axis=1)
    lost = np.concatenate([np.zeros_like(lost[:, :1]), lost[:, :-1]], axis=1)  # Σ_{s<t}
    gained = attachment(switch, theta) - a0
    g = np.clip(gained + lost, -a0, 1.0 - a0)
    e_trust, uplift = col["trust_churn_reduction_max"], col["trust_arpu_uplift_max"]
    with np.errstate(invalid="ignore", divide="ignore"):
        won_back = np.where(1.0 - a0 > 1e-12, np.clip(gained / (1.0 - a0), 0.0, 1.0), 1.0)
    shown = np.clip(switch + col["status_quo_trust_drift"] / 12.0
                    * bad_profit_months(levers.honesty), 0.0, 1.0)
    clipped = ((drifting[:, :H] < 0.0) | (drifting[:, :H] > 1.0)).any(axis=1)
    return Trust(
        trust=shown, experienced=eps,
        churn_factor=1.0 - e_trust * g / (1.0 - e_trust * a0),
        spend_factor=1.0 + uplift * g / (1.0 + uplift * a0),
        referral_rate=col["referral_rate_full_trust"] * np.maximum(gained, 0.0),
        won_back=won_back, drift_clipped=clipped, attachment_change=g,
    )


def first_order_lag(target: np.ndarray, start: np.ndarray, up: np.ndarray,
                    down: np.ndarray) -> np.ndarray:
    """x_0 = start; x_{t+1} = x_t + (target_t − x_t)·rate, rate = up when rising, else down.

    Returns x_0 … x_{H−1}, shape (B, H).
    """
    batch = max(target.shape[0], start.shape[0], np.shape(up)[0], np.shape(down)[0])
    H = target.shape[1]
    target = np.broadcast_to(target, (batch, H))
    start, up, down = (np.broadcast_to(x, (batch,)) for x in (start, up, down))
    out = np.empty((batch, H))
    if batch <= SMALL_BATCH:
        for b in range(batch):
            x, u, d, row, tgt = float(start[b]), float(up[b]), float(down[b]), out[b], target[b].tolist()
            for m in range(H):
                row[m] = x
                gap = tgt[m] - x
                x += gap * (u if gap > 0 else d)
        return out
    if np.array_equal(target, np.broadcast_to(start[:, None], target.shape)):
        out[...] = start[:, None]  # every gap is 0: x stays at its start (the status quo)
        return out
    x = start.astype(float)
    for m in range(H):
        out[:, m] = x
        gap = target[:, m] - x
        x = x + gap * np.where(gap > 0, up, down)
    return out
