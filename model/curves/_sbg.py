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

from model.curves._base import CurveSpec, PeriodCurve, digamma_step, log_beta_ratio


@dataclass(frozen=True)
class SBGCurve(PeriodCurve):
    """Shifted-beta-geometric: S(t) = B(α, β + t) / B(α, β); churn α / (α + β + a) falls with age."""

    alpha: float
    beta: float
    months_per_period: int = 1
    name: str = "sBG"

    def log_survival(self, t: np.ndarray) -> np.ndarray:
        # [log Γ(β + t) − log Γ(β)] − [log Γ(α + β + t) − log Γ(α + β)]: no cancellation when α
        # and β run to millions (the constant-churn limit), so the fitter's gradient stays exact.
        return log_beta_ratio(self.alpha, self.beta, np.asarray(t, dtype=float))

    def grad_log_survival(self, t: np.ndarray) -> np.ndarray:
        """∂ log S(t) / ∂(α, β), shape (2, len t)."""
        t = np.asarray(t, dtype=float)
        d_ab = digamma_step(self.alpha + self.beta, t)
        return np.stack([-d_ab, digamma_step(self.beta, t) - d_ab])

    def retention(self, t: np.ndarray) -> np.ndarray:
        """r_t = S(t) / S(t − 1) = (β + t − 1) / (α + β + t − 1), t ≥ 1."""
        t = np.asarray(t, dtype=float)
        return (self.beta + t - 1.0) / (self.alpha + self.beta + t - 1.0)


SPEC = CurveSpec(
    key="sbg", label="sBG", colour="#0072B2",
    params=("alpha", "beta"), symbols=("α", "β"),
    to_natural=np.exp, jacobian=np.exp,
    make=lambda p, k: SBGCurve(float(p[0]), float(p[1]), k),
    start=lambda hints: [np.log([1.0, max(1.0, 1.0 / max(hints.rate, 1e-6) - 1.0)]),
                         np.array([0.0, 0.0]), np.log([0.5, 5.0])],
)
