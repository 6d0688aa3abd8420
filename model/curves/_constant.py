"""Constant churn: every customer leaves with the same probability q each period, whatever their age.

    S(t) = (1 − q)^t,    h(a) = q

The Fader–Hardie baseline that undervalues retention when customers differ [1]. ``ConstantChurn``
is the monthly curve the model runs on by default; ``GeometricCurve`` is the same curve fitted in
data periods. Fitted in logit(q).

[1] Fader, P. S. & Hardie, B. G. S. (2007), "How to project customer retention", Journal of
Interactive Marketing 21(1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from model.curves._base import CurveSpec, PeriodCurve, logit, monthly_from_annual


@dataclass(frozen=True)
class ConstantChurn:
    """Every customer churns with the same probability each month, whatever their age."""

    monthly_churn: float
    name: str = "Constant churn"

    @classmethod
    def from_annual(cls, annual_churn: float) -> ConstantChurn:
        return cls(float(monthly_from_annual(annual_churn)))

    @property
    def is_constant(self) -> bool:
        return True

    def monthly_hazard(self, ages: np.ndarray) -> np.ndarray:
        return np.full(np.shape(ages), self.monthly_churn, dtype=float)


@dataclass(frozen=True)
class GeometricCurve(PeriodCurve):
    """Constant churn q per period, S(t) = (1 − q)^t (used for plotting in period units)."""

    q: float
    months_per_period: int = 1
    name: str = "Constant churn"

    def log_survival(self, t: np.ndarray) -> np.ndarray:
        return np.asarray(t, dtype=float) * np.log1p(-self.q)

    def grad_log_survival(self, t: np.ndarray) -> np.ndarray:
        return (-np.asarray(t, dtype=float) / (1.0 - self.q))[None, :]

    @property
    def is_constant(self) -> bool:
        return True

    def monthly(self) -> ConstantChurn:
        return ConstantChurn(float(-np.expm1(np.log1p(-self.q) / self.months_per_period)),
                             name=self.name)


SPEC = CurveSpec(
    key="constant", label="Constant churn", colour="#7F7F7F",
    params=("churn",), symbols=("q",),
    to_natural=lambda u: special.expit(u),
    jacobian=lambda u: special.expit(u) * (1 - special.expit(u)),
    make=lambda p, k: GeometricCurve(float(p[0]), k),
    start=lambda hints: [np.array([logit(hints.rate)])],
)
