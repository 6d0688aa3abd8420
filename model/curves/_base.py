"""What every retention curve shares: the protocol the model reads, the period-curve machinery and
the declarative ``CurveSpec`` each curve file fills in.

A curve is anything with ``monthly_hazard(ages)`` and ``is_constant``; the simulation asks it for
the hazard of ages 0 … A−1 (the last age bucket absorbs older customers). Fitted curves are defined
per data period (a month or a year) and answered per month by ``PeriodCurve``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from scipy import special

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


_LARGE = 1e4  # beyond this argument the asymptotic differences below are exact to rounding


def log_rising(z: np.ndarray | float, x: np.ndarray | float) -> np.ndarray:
    """log Γ(z + x) − log Γ(z), accurate when z is huge (Stirling with log1p: no cancellation).
    The Beta mixtures (sBG, sBdW) need it when α and β run to millions."""
    z, x = np.asarray(z, dtype=float), np.asarray(x, dtype=float)
    if z.ndim == 0:  # one z (the usual call): only the branch it needs
        if z > _LARGE:
            with np.errstate(over="ignore", invalid="ignore"):
                return _stirling_step(z, x)
        return special.gammaln(z + x) - special.gammaln(z)
    big = z > _LARGE
    zb = np.where(big, z, _LARGE)
    with np.errstate(over="ignore", invalid="ignore"):
        approx = _stirling_step(zb, x)
        exact = special.gammaln(np.where(big, 1.0, z) + x) - special.gammaln(np.where(big, 1.0, z))
    return np.where(big, approx, exact)


def _stirling_step(zb: np.ndarray, x: np.ndarray) -> np.ndarray:
    return ((zb - 0.5) * np.log1p(x / zb) + x * np.log(zb + x) - x
            + (1.0 / (zb + x) - 1.0 / zb) / 12.0)


def log_beta_ratio(alpha: float, beta: float, x: np.ndarray) -> np.ndarray:
    """log B(α, β + x) − log B(α, β), the log-survival of the Beta mixtures, with the smaller of
    α and x as the step: [log Γ(β + x) − log Γ(β)] − [log Γ(α + β + x) − log Γ(α + β)] equals
    [log Γ(α + β) − log Γ(β)] − [log Γ(α + β + x) − log Γ(β + x)], and the terms are of the size
    of the step × log β — so a β of 1e16 loses nothing to rounding."""
    x = np.asarray(x, dtype=float)
    if beta > _LARGE and alpha < 1e-6 * beta:
        # Both forms are huge and nearly equal here (α and x of billions, β of 1e20): the
        # difference is −∫ ψ(z + x) − ψ(z) dz over z from β to α + β, and the midpoint rule is
        # exact to (α/β)², far below rounding.
        return -alpha * digamma_step(beta + 0.5 * alpha, x)
    step_alpha = alpha < x
    if x.ndim and not step_alpha.all():  # each element by its own form, none computed twice
        out = np.empty(x.shape)
        by_x = ~step_alpha
        out[by_x] = log_rising(beta, x[by_x]) - log_rising(alpha + beta, x[by_x])
        if step_alpha.any():
            xa = x[step_alpha]
            out[step_alpha] = log_rising(beta, alpha) - log_rising(beta + xa, alpha)
        return out
    by_x = log_rising(beta, x) - log_rising(alpha + beta, x)
    by_alpha = log_rising(beta, alpha) - log_rising(beta + x, alpha)
    return np.where(step_alpha, by_alpha, by_x)


def digamma_step(z: np.ndarray | float, x: np.ndarray | float) -> np.ndarray:
    """ψ(z + x) − ψ(z), accurate when z is huge (asymptotic series with log1p)."""
    z, x = np.asarray(z, dtype=float), np.asarray(x, dtype=float)
    if z.ndim == 0:  # one z (the usual call): only the branch it needs
        if z > _LARGE:
            with np.errstate(over="ignore", invalid="ignore"):
                return _digamma_series(z, x)
        return special.digamma(z + x) - special.digamma(z)
    big = z > _LARGE
    zb = np.where(big, z, _LARGE)
    with np.errstate(over="ignore", invalid="ignore"):
        approx = _digamma_series(zb, x)
        small = np.where(big, 1.0, z)
        exact = special.digamma(small + x) - special.digamma(small)
    return np.where(big, approx, exact)


def _digamma_series(zb: np.ndarray, x: np.ndarray) -> np.ndarray:
    return (np.log1p(x / zb) + x / (2.0 * zb * (zb + x))
            + (1.0 / zb**2 - 1.0 / (zb + x) ** 2) / 12.0)


def monthly_from_annual(annual: float | np.ndarray) -> float | np.ndarray:
    """Monthly churn equivalent to an annual churn: 1 − (1 − annual)^(1/12)."""
    return 1.0 - (1.0 - np.asarray(annual, dtype=float)) ** (1.0 / 12.0)


def hazard_table(curve: RetentionCurve) -> np.ndarray:
    """Hazard by age bucket: one bucket for a constant curve, else ages 0 … MAX_AGE_MONTHS."""
    n_ages = 1 if curve.is_constant else MAX_AGE_MONTHS + 1
    h = np.asarray(curve.monthly_hazard(np.arange(n_ages, dtype=float)), dtype=float)
    return np.clip(h, 0.0, 1.0)


def churn_in_year(curve: RetentionCurve, year: int) -> float:
    """Share of customers active at the start of their ``year``-th year (1-based) who leave
    during it, from a curve's monthly hazards."""
    ages = np.arange(12 * (year - 1), 12 * year, dtype=float)
    return float(1.0 - np.prod(1.0 - np.clip(curve.monthly_hazard(ages), 0.0, 1.0)))


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


class PeriodCurve:
    """Shared machinery: a curve defined per data period by ``log_survival``, answered per month.

    When the data period is a year the monthly hazard is constant within each year,
    1 − (1 − h_year)^(1/12), so survival at whole years matches the annual curve exactly.
    """

    months_per_period: int

    def log_survival(self, t: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def survival(self, t: np.ndarray | float) -> np.ndarray:
        """Share still active after t periods (t may be fractional for plotting)."""
        return np.exp(self.log_survival(np.asarray(t, dtype=float)))

    def survival_as_modelled(self, t: np.ndarray) -> np.ndarray:
        """Survival at any t ≥ 0 (in periods) with a constant hazard inside each period — what
        the monthly model sees — rather than the formula's own values between whole periods."""
        t = np.maximum(np.asarray(t, dtype=float), 0.0)
        whole = np.floor(t)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_s = self.log_survival(whole) + (t - whole) * np.log1p(
                -np.minimum(self.period_hazard(whole), 1.0))
        return np.exp(log_s)

    def period_hazard(self, a: np.ndarray) -> np.ndarray:
        """Churn at the end of period a + 1 for a customer who completed a periods."""
        a = np.asarray(a, dtype=float)
        return -np.expm1(self.log_survival(a + 1.0) - self.log_survival(a))

    @property
    def is_constant(self) -> bool:
        return False

    def monthly_hazard(self, ages: np.ndarray) -> np.ndarray:
        ages = np.asarray(ages, dtype=float)
        k = self.months_per_period
        if k == 1:
            return self.period_hazard(ages)
        # Constant monthly hazard inside each period: survival at whole periods is unchanged.
        h = self.period_hazard(np.floor(ages / k))
        return -np.expm1(np.log1p(-np.minimum(h, 1.0 - 1e-15)) / k)


@dataclass(frozen=True)
class StartHints:
    """What a curve's starting points may use: the data's crude churn rate per period, its
    Kaplan–Meier survival where it is strictly between 0 and 1, and the curves fitted already."""

    rate: float  # churned per customer-period at risk
    t: np.ndarray  # periods (> 0) with 0 < S(t) < 1
    survival: np.ndarray  # Kaplan–Meier at t
    fitted: Mapping[str, Mapping[str, float]]  # registry key → natural parameters

    def weibull_line(self) -> tuple[float, float] | None:
        """(log ρ, c) of the line log(−log S(t)) = log ρ + c·log t through the data, when it has
        two distinct points: S(t) = exp(−ρ t^c) is a discrete Weibull."""
        if np.unique(self.t).size < 2:
            return None
        c, log_rho = np.polyfit(np.log(self.t), np.log(-np.log(self.survival)), 1)
        return (float(log_rho), float(c)) if np.isfinite(c) and c > 0 else None


@dataclass(frozen=True)
class CurveSpec:
    """One entry of the curve registry: everything the fitter, the page and the charts need.

    Parametric curves give ``params`` (names in the natural scale), ``to_natural`` (unconstrained
    → natural), its ``jacobian`` (the diagonal as a vector when the map is elementwise, else the
    full matrix ∂natural/∂u), ``make(params, months_per_period)`` and
    ``start(hints)`` (starting points in unconstrained coordinates, see ``StartHints``); the
    Kaplan–Meier entry has none of these (``fitted`` is False).
    """

    key: str  # stable identifier: CLI JSON, widget values, calibration labels
    label: str  # shown to people
    colour: str  # one colour per curve on every chart (Okabe–Ito)
    params: tuple[str, ...] = ()
    symbols: tuple[str, ...] = ()  # how each parameter is written in tables (α, β, …)
    to_natural: Callable[[np.ndarray], np.ndarray] | None = None
    jacobian: Callable[[np.ndarray], np.ndarray] | None = None
    make: Callable[[np.ndarray, int], PeriodCurve] | None = None
    start: Callable[[StartHints], list[np.ndarray]] | None = None

    @property
    def fitted(self) -> bool:
        """True for curves fitted by maximum likelihood."""
        return self.make is not None


def logit(p: float) -> float:
    """log(p / (1 − p)), clipped away from 0 and 1 (for starting points)."""
    p = min(max(p, 1e-9), 1 - 1e-9)
    return float(np.log(p / (1 - p)))
