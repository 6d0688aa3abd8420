"""The Kaplan–Meier estimator with right censoring and its Greenwood band, on ``Counts``.

    S(t) = Π_{s ≤ t} (1 − d_s / n_s),   Var log S(t) ≈ Σ_{s ≤ t} d_s / (n_s (n_s − d_s))

The band is lifelines' default: Greenwood's variance on the log(−log) scale. Customers censored at
t are still at risk at t, as in lifelines. Checked against lifelines in tests/model/fitting/test_fitting.py and
benchmarks/bench_km.py.

[1] Kaplan, E. L. & Meier, P. (1958), JASA 53. [2] Greenwood, M. (1926).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from model.curves import MAX_AGE_MONTHS, KaplanMeierCurve, PeriodCurve
from model.fitting._counts import Counts


@dataclass(frozen=True, eq=False)
class KaplanMeier:
    """Product-limit estimate at every duration with data, with its band at level 1 − alpha."""

    times: np.ndarray  # durations with at least one customer, in periods
    at_risk: np.ndarray  # n_t: customers with duration ≥ t
    churned: np.ndarray  # d_t
    survival_: np.ndarray
    lower_: np.ndarray
    upper_: np.ndarray
    alpha: float = 0.05

    def survival_at(self, t: np.ndarray | float) -> np.ndarray:
        """Step function S(t) for any t (1 before the first time)."""
        return self._step(t, self.survival_)

    def band_at(self, t: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """The band (lower, upper) as step functions of t (1 before the first time)."""
        return self._step(t, self.lower_), self._step(t, self.upper_)

    def at_risk_at(self, t: np.ndarray | float) -> np.ndarray:
        """Customers still followed at t (duration ≥ t)."""
        idx = np.searchsorted(self.times, np.asarray(t, dtype=float), side="left")
        padded = np.append(self.at_risk, 0.0)
        return padded[idx]

    def _step(self, t: np.ndarray | float, values: np.ndarray) -> np.ndarray:
        idx = np.searchsorted(self.times, np.asarray(t, dtype=float), side="right") - 1
        return np.where(idx >= 0, values[np.maximum(idx, 0)], 1.0)

    def survival_by_period(self, limit: int | None = None) -> np.ndarray:
        """S(0) … S(T) at whole periods (at most ``limit`` of them)."""
        last = int(self.times.max()) + 1 if self.times.size else 1
        return self.survival_at(np.arange(last if limit is None else min(last, limit)))


def kaplan_meier(counts: Counts, alpha: float = 0.05) -> KaplanMeier:
    """Kaplan–Meier with right censoring on aggregated counts."""
    total = counts.churned + counts.censored
    n = np.cumsum(total[::-1])[::-1]
    times = counts.in_periods  # fractional periods for durations in days: the exact estimate
    d = counts.churned
    surv = np.cumprod(1.0 - d / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        cum_var = np.cumsum(np.where(n > d, d / (n * (n - d)), 0.0))
        log_s = np.log(surv)
        z = stats.norm.ppf(1.0 - alpha / 2.0)
        half = z * np.sqrt(cum_var) / log_s  # log(-log) transform, lifelines' convention
        lower = np.exp(-np.exp(np.log(-log_s) - half))
        upper = np.exp(-np.exp(np.log(-log_s) + half))
    # Where S is 1 (no churn yet) or 0 (everyone gone) the band collapses onto S.
    lower = np.where(np.isfinite(lower), lower, surv)
    upper = np.where(np.isfinite(upper), upper, surv)
    lower, upper = np.minimum(lower, upper), np.maximum(lower, upper)
    return KaplanMeier(times, n, d, surv, lower, upper, alpha)


def km_curve(km: KaplanMeier, tail: PeriodCurve | None = None,
             months_per_period: int = 1) -> KaplanMeierCurve:
    """The Kaplan–Meier estimate as a retention curve for the model (see ``KaplanMeierCurve``).

    Only the periods the model's ages reach are kept (it tracks ages up to MAX_AGE_MONTHS; older
    customers share the last bucket), so a long observed tail costs nothing."""
    limit = MAX_AGE_MONTHS // months_per_period + 2
    return KaplanMeierCurve(tuple(float(x) for x in km.survival_by_period(limit)), tail,
                            months_per_period)
