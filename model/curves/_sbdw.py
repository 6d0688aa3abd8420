"""Shifted-beta-discrete-Weibull (sBdW): each customer's survival is a discrete Weibull
(1 − θ)^(t^c) with one shape c for everyone, and θ varies across customers as Beta(α, β) [1].

    S(t) = B(α, β + t^c) / B(α, β)

c = 1 is the sBG (churn falls with age only through who is left); c > 1 lets each customer's own
churn rise with age, c < 1 fall — duration dependence beside heterogeneity, which is what lets the
curve project retention well past the data [1]. With α and β both very large it becomes the
discrete Weibull. Fitted in (logit m, log κ, log c) with m = α / (α + β) and κ = α + β, starting
from the fitted sBG and Weibull.

[1] Fader, P. S., Hardie, B. G. S., Liu, Y., Davin, J. & Steenburgh, T. (2018), "'How to project
customer retention' revisited: the role of duration dependence", Journal of Interactive
Marketing 43, 1–16.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from model.curves._base import CurveSpec, PeriodCurve, StartHints, digamma_step, log_beta_ratio


@dataclass(frozen=True)
class SBdWCurve(PeriodCurve):
    """Shifted-beta-discrete-Weibull: S(t) = B(α, β + t^c) / B(α, β)."""

    alpha: float
    beta: float
    c: float
    months_per_period: int = 1
    name: str = "sBdW"

    def _tc(self, t: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return np.power(np.maximum(np.asarray(t, dtype=float), 0.0), self.c)

    def log_survival(self, t: np.ndarray) -> np.ndarray:
        # log B(α, β + x) − log B(α, β) = [log Γ(β + x) − log Γ(β)] − [log Γ(α + β + x) −
        # log Γ(α + β)], each difference computed without cancellation for huge α, β.
        return log_beta_ratio(self.alpha, self.beta, self._tc(t))

    def grad_log_survival(self, t: np.ndarray) -> np.ndarray:
        """∂ log S(t) / ∂(α, β, c), shape (3, len t)."""
        t = np.asarray(t, dtype=float)
        a, b = self.alpha, self.beta
        x = self._tc(t)
        d_ab = digamma_step(a + b, x)  # ψ(α + β + x) − ψ(α + β)
        d_b = digamma_step(b, x)
        # ∂/∂x of log S: ψ(β + x) − ψ(α + β + x), as a difference of the two steps plus ψ's gap
        d_x = d_b - d_ab + special.digamma(b) - special.digamma(a + b)
        with np.errstate(divide="ignore", invalid="ignore"):
            dc = np.where(t > 0, d_x * x * np.log(np.where(t > 0, t, 1.0)), 0.0)
        return np.stack([-d_ab, d_b - d_ab, dc])


_TINY_THETA = 1e-8  # below this κ = 1e8 leaves α = θκ under 1: far from the Weibull


def _natural(u: np.ndarray) -> np.ndarray:
    """(logit m, log κ, log c) → (α, β, c) with m = α / (α + β), κ = α + β: the discrete Weibull
    limit (κ → ∞ at a fixed mean churn m) is one coordinate running out, where the gradient
    vanishes, not a curved valley between α and β."""
    m, kappa = special.expit(u[0]), np.exp(u[1])
    return np.array([m * kappa, (1.0 - m) * kappa, np.exp(u[2])])


def _jacobian(u: np.ndarray) -> np.ndarray:
    """∂(α, β, c) / ∂u, a full matrix (α and β both move with m and κ)."""
    m, kappa = special.expit(u[0]), np.exp(u[1])
    dm = m * (1.0 - m)
    return np.array([[dm * kappa, m * kappa, 0.0],
                     [-dm * kappa, (1.0 - m) * kappa, 0.0],
                     [0.0, 0.0, np.exp(u[2])]])


def _u(alpha: float, beta: float, c: float) -> np.ndarray:
    m = min(max(alpha / (alpha + beta), 1e-300), 1.0 - 1e-16)
    return np.array([np.log(m) - np.log1p(-m), np.log(alpha + beta), np.log(c)])


def _start(hints: StartHints) -> list[np.ndarray]:
    starts = []
    sbg = hints.fitted.get("sbg")
    if sbg is not None:
        starts.append(_u(sbg["alpha"], sbg["beta"], 1.0))
    weibull = hints.fitted.get("weibull")
    if weibull is not None:  # a concentrated Beta around θ: the Weibull itself
        theta = max(weibull["theta"], 1e-300)
        # κ = α + β = 1e8 concentrates the Beta unless θ is tiny (rare, late churn): then α
        # itself must be large for the mixture to be the Weibull, so κ = 1e8 / θ.
        kappa = 1e8 if theta >= _TINY_THETA else 1e8 / theta
        starts.append(_u(theta * kappa, (1 - theta) * kappa, weibull["c"]))
    starts.append(_u(1.0, max(1.0, 1.0 / max(hints.rate, 1e-6) - 1.0), 1.0))
    return starts


SPEC = CurveSpec(
    key="sbdw", label="sBdW", colour="#CC79A7",
    params=("alpha", "beta", "c"), symbols=("α", "β", "c"),
    to_natural=_natural, jacobian=_jacobian,
    make=lambda p, k: SBdWCurve(float(p[0]), float(p[1]), float(p[2]), k),
    start=_start,
)
