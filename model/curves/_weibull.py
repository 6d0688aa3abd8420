"""Discrete Weibull (Fader & Hardie's dW): survival falls as a power of time [1].

    S(t) = (1 − θ)^(t^c) = exp(−ρ t^c),   ρ = −log(1 − θ)

c < 1: churn falls with age; c = 1: constant churn θ; c > 1: churn rises with age.
Fitted in (log ρ, log c): θ itself can be far below 1e-13 when churn is rare and late (a contract
with a steep rising hazard), where logit θ runs past any fixed bound — so the optimum is never
clipped, and a start comes from the straight line log(−log S) = log ρ + c·log t through the data.

[1] Fader, P. S. & Hardie, B. G. S. (2007), "How to project customer retention", Journal of
Interactive Marketing 21(1); Nakagawa, T. & Osaki, S. (1975), IEEE Trans. Reliability 24.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.curves._base import CurveSpec, PeriodCurve, StartHints


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
        t = np.asarray(t, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            tc = np.power(t, self.c)
            dc = np.where(t > 0, tc * np.log(np.where(t > 0, t, 1.0)), 0.0) * np.log1p(-self.theta)
        return np.stack([-tc / (1.0 - self.theta), dc])


def _theta(log_rho: float) -> float:
    return float(-np.expm1(-np.exp(log_rho)))


def _start(hints: StartHints) -> list[np.ndarray]:
    rho = -np.log1p(-min(max(hints.rate, 1e-12), 1 - 1e-9))
    starts = [np.array([np.log(rho), 0.0]), np.array([np.log(rho), -0.5])]
    line = hints.weibull_line()
    if line is not None:
        starts.insert(0, np.array([line[0], np.log(line[1])]))
    return starts


SPEC = CurveSpec(
    key="weibull", label="Weibull", colour="#E69F00",
    params=("theta", "c"), symbols=("θ", "c"),
    to_natural=lambda u: np.array([_theta(u[0]), np.exp(u[1])]),
    # dθ/d log ρ = ρ · e^{−ρ} = ρ (1 − θ)
    jacobian=lambda u: np.array([np.exp(u[0]) * np.exp(-np.exp(u[0])), np.exp(u[1])]),
    make=lambda p, k: WeibullCurve(float(p[0]), float(p[1]), k),
    start=_start,
)
