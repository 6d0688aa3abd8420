"""Discrete Weibull (Fader & Hardie's dW): survival falls as a power of time [1].

    S(t) = (1 − θ)^(t^c)

c < 1: churn falls with age; c = 1: constant churn θ; c > 1: churn rises with age.
Fitted in (logit θ, log c).

[1] Fader, P. S. & Hardie, B. G. S. (2007), "How to project customer retention", Journal of
Interactive Marketing 21(1); Nakagawa, T. & Osaki, S. (1975), IEEE Trans. Reliability 24.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from model.curves._base import CurveSpec, PeriodCurve, logit


@dataclass(frozen=True)
class WeibullCurve(PeriodCurve):
    """Discrete Weibull: S(t) = (1 − θ)^(t^c); c < 1: churn falls with age, c > 1: rises."""

    theta: float
    c: float
    months_per_period: int = 1
    name: str = "Weibull"

    def log_survival(self, t: np.ndarray) -> np.ndarray:
        t = np.maximum(np.asarray(t, dtype=float), 0.0)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # far-off trial values
            return np.power(t, self.c) * np.log1p(-self.theta)

    def grad_log_survival(self, t: np.ndarray) -> np.ndarray:
        """∂ log S(t) / ∂(θ, c), shape (2, len t)."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            tc = np.power(t, self.c)
            dc = np.where(t > 0, tc * np.log(np.where(t > 0, t, 1.0)), 0.0) * np.log1p(-self.theta)
        return np.stack([-tc / (1.0 - self.theta), dc])


SPEC = CurveSpec(
    key="weibull", label="Weibull", colour="#E69F00",
    params=("theta", "c"), symbols=("θ", "c"),
    to_natural=lambda u: np.array([special.expit(u[0]), np.exp(u[1])]),
    jacobian=lambda u: np.array([special.expit(u[0]) * (1 - special.expit(u[0])), np.exp(u[1])]),
    make=lambda p, k: WeibullCurve(float(p[0]), float(p[1]), k),
    start=lambda rate: [np.array([logit(rate), 0.0]), np.array([logit(rate), -0.5])],
)
