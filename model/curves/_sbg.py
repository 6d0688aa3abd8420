"""Shifted-beta-geometric (sBG): each customer churns with a constant probability θ, and θ varies
across customers as Beta(α, β), so the survivors are ever more loyal [1].

    S(t) = B(α, β + t) / B(α, β)
    r_t  = S(t) / S(t − 1) = (β + t − 1) / (α + β + t − 1)
    h(a) = α / (α + β + a)             (churn falls with age)

With α and β both very large the Beta mixture collapses onto θ = α / (α + β): the curve is then
constant churn. Fitted in (log α, log β).

[1] Fader, P. S. & Hardie, B. G. S. (2007), "How to project customer retention", Journal of
Interactive Marketing 21(1), Table 1 and §4 (published estimates checked in tests/model/fitting/test_fitting.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from model.curves._base import CurveSpec, PeriodCurve


@dataclass(frozen=True)
class SBGCurve(PeriodCurve):
    """Shifted-beta-geometric: S(t) = B(α, β + t) / B(α, β); churn α / (α + β + a) falls with age."""

    alpha: float
    beta: float
    months_per_period: int = 1
    name: str = "sBG"

    def log_survival(self, t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        return special.betaln(self.alpha, self.beta + t) - special.betaln(self.alpha, self.beta)

    def grad_log_survival(self, t: np.ndarray) -> np.ndarray:
        """∂ log S(t) / ∂(α, β), shape (2, len t)."""
        a, b = self.alpha, self.beta
        ab_t = special.digamma(a + b + t)
        return np.stack([special.digamma(a + b) - ab_t,
                         special.digamma(b + t) - ab_t - special.digamma(b) + special.digamma(a + b)])

    def retention(self, t: np.ndarray) -> np.ndarray:
        """r_t = S(t) / S(t − 1) = (β + t − 1) / (α + β + t − 1), t ≥ 1."""
        t = np.asarray(t, dtype=float)
        return (self.beta + t - 1.0) / (self.alpha + self.beta + t - 1.0)


SPEC = CurveSpec(
    key="sbg", label="sBG", colour="#0072B2",
    params=("alpha", "beta"), symbols=("α", "β"),
    to_natural=np.exp, jacobian=np.exp,
    make=lambda p, k: SBGCurve(float(p[0]), float(p[1]), k),
    start=lambda rate: [np.log([1.0, max(1.0, 1.0 / max(rate, 1e-6) - 1.0)]),
                        np.array([0.0, 0.0]), np.log([0.5, 5.0])],
)
