"""Step 3 — the trust path: a stock that builds slowly, falls fast, and drifts under bad profits.

Customers attach (churn less, spend more, refer) as trust passes a threshold θ: attachment is a
logistic in trust, rescaled to run from 0 at no trust to 1 at full trust. Effects are measured
against today's attachment A(τ₀), so where today's trust sits against θ changes the answer.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

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


def trust_base(col: Mapping[str, np.ndarray], honesty: np.ndarray) -> np.ndarray:
    """Trust without any effort to build it: today's, drifting by δ per year while bad profits
    continue (a share 1 − h_t of them), (B|1, H)."""
    months_of_bad = np.cumsum(1.0 - honesty, axis=1) - (1.0 - honesty)  # Σ_{s<t} (1 − h_s)
    drift = col["status_quo_trust_drift"] / 12.0 * months_of_bad
    return np.clip(col["trust_initial"] + drift, 0.0, 1.0)


def trust_path(col: Mapping[str, np.ndarray], honesty: np.ndarray, fix_effect: np.ndarray
               ) -> np.ndarray:
    """τ_t, shape (B, H): a first-order lag toward τ*_t = base_t + (1 − base_t)·min(1, g_h·h_t +
    g_f·f·p_t)."""
    base = trust_base(col, honesty)
    target = base + (1.0 - base) * np.minimum(
        1.0, col["trust_gain_honesty"] * honesty + col["trust_gain_fixes"] * fix_effect)
    up = 1.0 - np.exp(-1.0 / col["trust_build_months"][:, 0])
    down = 1.0 - np.exp(-1.0 / col["trust_loss_months"][:, 0])
    return first_order_lag(target, col["trust_initial"][:, 0], up, down)


def attachment_gain(col: Mapping[str, np.ndarray], trust: np.ndarray) -> np.ndarray:
    """g_t = (A(τ_t) − A(τ₀)) / (1 − A(τ₀)), clipped to [−1, 1].

    Rising trust: the share of the way from today's attachment to full attachment. Eroding
    trust follows the same line (churn = R·(1 − ê·A) in absolute terms gives exactly this), so
    customers barely attached today have little to lose; the clip caps a loss at what full
    attachment would gain.
    """
    theta = col["trust_threshold"]
    today = attachment(col["trust_initial"], theta)
    gain = (attachment(trust, theta) - today) / np.maximum(1.0 - today, 1e-12)
    return np.clip(gain, -1.0, 1.0)


def first_order_lag(target: np.ndarray, start: np.ndarray, up: np.ndarray,
                    down: np.ndarray) -> np.ndarray:
    """x_0 = start; x_{t+1} = x_t + (target_t − x_t)·rate, rate = up when rising, else down.

    Returns x_0 … x_{H−1}, shape (B, H).
    """
    batch = max(target.shape[0], start.shape[0], up.shape[0], down.shape[0])
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
    x = start.astype(float)
    for m in range(H):
        out[:, m] = x
        gap = target[:, m] - x
        x = x + gap * np.where(gap > 0, up, down)
    return out
