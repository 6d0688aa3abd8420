"""Baseline retention curves: the monthly churn probability of a customer by age in months.

A curve is anything with ``monthly_hazard(ages)`` and ``is_constant``; the simulation asks it for
the hazard of ages 0 … A−1 (the last age bucket absorbs older customers). Constant churn ships
here; fitted curves (sBG, Weibull, Kaplan–Meier) live in ``model.fitting`` and follow the same
protocol, so they drop into the model unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

# Ages tracked for curves whose churn depends on age: 20 years, the last bucket absorbing.
MAX_AGE_MONTHS = 240


@runtime_checkable
class RetentionCurve(Protocol):
    name: str

    @property
    def is_constant(self) -> bool:
        """True when churn does not depend on age (the model then tracks one age bucket)."""
        ...

    def monthly_hazard(self, ages: np.ndarray) -> np.ndarray:
        """Probability that a customer active at the start of a month at ``ages`` (months)
        churns at the end of that month."""
        ...


def monthly_from_annual(annual: float | np.ndarray) -> float | np.ndarray:
    """Monthly churn equivalent to an annual churn: 1 − (1 − annual)^(1/12)."""
    return 1.0 - (1.0 - np.asarray(annual, dtype=float)) ** (1.0 / 12.0)


@dataclass(frozen=True)
class ConstantChurn:
    """Every customer churns with the same probability each month, whatever their age.

    Survival S(t) = (1 − q)^t; the Fader–Hardie baseline that undervalues retention when
    customers differ.
    """

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


def hazard_table(curve: RetentionCurve) -> np.ndarray:
    """Hazard by age bucket: one bucket for a constant curve, else ages 0 … MAX_AGE_MONTHS."""
    n_ages = 1 if curve.is_constant else MAX_AGE_MONTHS + 1
    h = np.asarray(curve.monthly_hazard(np.arange(n_ages, dtype=float)), dtype=float)
    return np.clip(h, 0.0, 1.0)


def survival_by_age(hazard: np.ndarray) -> np.ndarray:
    """S(a) for a = 0 … len−1: the share of a starting cohort still active at age a (S(0) = 1)."""
    hazard = np.asarray(hazard, dtype=float)
    return np.concatenate(([1.0], np.cumprod(1.0 - hazard[:-1])))


def steady_state_age_mix(hazard: np.ndarray) -> np.ndarray:
    """Share of active customers by age bucket for a steady inflow under ``hazard``.

    Mass at age a is proportional to the survival S(a); the last bucket holds the geometric tail
    Σ_{a ≥ A−1} S(a) = S(A−1) / q(A−1).
    """
    hazard = np.asarray(hazard, dtype=float)
    if hazard.size == 1:
        return np.ones(1)
    surv = survival_by_age(hazard)
    mix = surv.copy()
    q_last = hazard[-1]
    mix[-1] = surv[-1] / q_last if q_last > 0 else surv[-1] * 1e6
    return mix / mix.sum()
