"""Projections of a fitted curve with their uncertainty, and a holdout backtest.

Bands (delta method): the fitter keeps the covariance Σ of its unconstrained parameters u (the
inverse Hessian of −log L at the optimum). For survival, η(t) = log(−log S(t)) has the gradient
∇η = ∇ log S / log S, so Var η ≈ ∇ηᵀ Σ ∇η and the band is S = exp(−exp(η ± z·sd)) — the scale
lifelines uses for Kaplan–Meier, which keeps the band inside (0, 1). For the hazard of period
a + 1, ℓ = log(1 − h) = log S(a + 1) − log S(a), and the band is h = 1 − exp(−exp(log(−ℓ) ± z·sd)).
Where the Hessian gave no covariance (a flat likelihood) there is no band (NaN), and that is said.

Backtest: fit every curve on what would have been seen ``cut`` periods into each customer's life
(``Counts.censored_after``), project the later periods, and compare with Kaplan–Meier on all the
data there: the error is the mean absolute gap in percentage points, and the gap at the last
period observed. Fader & Hardie fit their seven years and judge the projection of the rest the
same way [1].

Calendar backtest (files with start and end dates): the data as it stood on an earlier cut-off
date — every customer who had started by then, censored there — fits every curve; the customers
still active on the cut-off are then projected forward from their age on that day,
Σ S(age + k) / S(age), and compared with how many of them the data shows still active k periods
later. This is the test a forecast faces in practice: next year's retention of today's customers,
new and old mixed, from what was known today.

[1] Fader, P. S. & Hardie, B. G. S. (2007), "How to project customer retention", Journal of
Interactive Marketing 21(1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from model.curves import BY_KEY
from model.fitting._counts import Counts
from model.fitting._km_estimator import kaplan_meier
from model.fitting._likelihood import Fit, chain, fit_all

BAND_METHOD = ("delta method on log(−log S) from the Hessian of the log-likelihood at the optimum "
               "(95 %)")
MIN_TRAIN_PERIODS = 2


def _grad_u(fit: Fit, t: np.ndarray) -> np.ndarray:
    """∂ log S(t) / ∂u, shape (k, len t)."""
    return chain(BY_KEY[fit.key].jacobian(fit.u), fit.curve.grad_log_survival(t))


def _sd(fit: Fit, grad: np.ndarray) -> np.ndarray:
    return np.sqrt(np.maximum(np.einsum("in,ij,jn->n", grad, fit.cov_u, grad), 0.0))


def survival_band(fit: Fit, t: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, ...]:
    """(S, low, high) at periods ``t`` (whole or not); NaN bands without a covariance."""
    t = np.asarray(t, dtype=float)
    log_s = fit.curve.log_survival(t)
    s = np.exp(log_s)
    if fit.cov_u is None or fit.u is None:
        nan = np.full(t.shape, np.nan)
        return s, nan, nan
    z = stats.norm.ppf(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = _sd(fit, _grad_u(fit, t)) / np.abs(log_s)
        eta = np.log(-log_s)
        low, high = np.exp(-np.exp(eta + z * sd)), np.exp(-np.exp(eta - z * sd))
    inside = np.isfinite(low) & np.isfinite(high) & (log_s < 0)
    return s, np.where(inside, low, s), np.where(inside, high, s)


def hazard_band(fit: Fit, a: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, ...]:
    """(h, low, high): churn in period a + 1 of those who completed a periods."""
    a = np.asarray(a, dtype=float)
    ell = fit.curve.log_survival(a + 1.0) - fit.curve.log_survival(a)
    h = -np.expm1(ell)
    if fit.cov_u is None or fit.u is None:
        nan = np.full(a.shape, np.nan)
        return h, nan, nan
    z = stats.norm.ppf(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = _sd(fit, _grad_u(fit, a + 1.0) - _grad_u(fit, a)) / np.abs(ell)
        eta = np.log(-ell)
        low, high = -np.expm1(-np.exp(eta - z * sd)), -np.expm1(-np.exp(eta + z * sd))
    inside = np.isfinite(low) & np.isfinite(high) & (ell < 0)
    return h, np.where(inside, low, h), np.where(inside, high, h)


@dataclass(frozen=True, eq=False)
class Backtest:
    """Curves fitted on the first ``cut`` periods of each customer's life, against the data."""

    cut: int  # periods fitted on
    periods: np.ndarray  # the later whole periods compared (cut + 1 … last)
    observed: np.ndarray  # Kaplan–Meier on all the data there
    projected: dict[str, np.ndarray]  # curve key → its projection there
    mean_error: dict[str, float]  # mean |projected − observed| (share, not points)
    last_error: dict[str, float]  # projected − observed at the last period

    @property
    def best(self) -> str:
        """The curve whose projection was closest on average."""
        return min(self.mean_error, key=self.mean_error.get)


def default_cut(counts: Counts) -> int | None:
    """Two thirds of the periods observed (at least two), leaving at least one to project."""
    last = counts.max_duration
    cut = max(MIN_TRAIN_PERIODS, int(np.floor(2 * last / 3)))
    return cut if last - cut >= 1 else None


def backtest(counts: Counts, months_per_period: int = 1, cut: int | None = None,
             warm: dict[str, Fit] | None = None) -> Backtest | None:
    """The holdout backtest (see the module docstring); None when the data is too short or no
    one churned in the first ``cut`` periods. ``warm``: the fits on all the data, as starts."""
    cut = default_cut(counts) if cut is None else int(cut)
    if cut is None or cut < 1 or counts.max_duration - cut < 1:
        return None
    train = counts.censored_after(cut)
    if train.n_churned <= 0:
        return None
    fits = fit_all(train, months_per_period, warm, errors=False)  # projections only
    km = kaplan_meier(counts)
    periods = np.arange(cut + 1, counts.max_duration + 1)
    periods = periods[km.at_risk_at(periods) > 0]
    if periods.size == 0:
        return None
    observed = km.survival_at(periods)
    projected = {k: f.curve.survival(periods) for k, f in fits.items()}
    return Backtest(cut, periods, observed, projected,
                    {k: float(np.mean(np.abs(p - observed))) for k, p in projected.items()},
                    {k: float(p[-1] - observed[-1]) for k, p in projected.items()})


@dataclass(frozen=True, eq=False)
class CalendarHoldout:
    """A date file as it stood on a cut-off date, and what its customers did after it.

    ``train``: every customer who had started by the cut-off, censored there (a churn after it
    is not yet seen). ``ages`` / ``active``: the customers still active on the cut-off, by their
    age then (in periods). ``observed[j]``: the share of those still active ``steps[j]`` periods
    after the cut-off (exact: all of them are followed to the as-of date)."""

    cut: str  # the cut-off date, YYYY-MM-DD
    train: Counts
    ages: np.ndarray  # distinct ages (periods, fractional) of the active on the cut-off
    active: np.ndarray  # customers at each age
    steps: np.ndarray  # whole periods after the cut-off (1 … K)
    observed: np.ndarray  # share of the active on the cut-off still active after each step


@dataclass(frozen=True, eq=False)
class CalendarBacktest:
    """Curves fitted on the calendar window up to a cut-off date, projected past it."""

    cut: str  # the cut-off date
    customers: float  # active on the cut-off: the customers projected
    steps: np.ndarray  # whole periods after the cut-off
    observed: np.ndarray  # share of them still active, as the data shows
    projected: dict[str, np.ndarray]  # curve key → its projection
    mean_error: dict[str, float]  # mean |projected − observed| (share, not points)
    last_error: dict[str, float]  # projected − observed at the last step

    @property
    def best(self) -> str:
        """The curve whose projection was closest on average."""
        return min(self.mean_error, key=self.mean_error.get)


def retained(fit: Fit, ages: np.ndarray, active: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Share of customers of ``ages`` (``active`` of each) still active ``steps`` periods later
    under a fitted curve: Σ active · S(age + k) / S(age) / Σ active, with the constant hazard
    within a period the monthly model sees (``survival_as_modelled``). log S is evaluated once on
    the whole periods: age + k falls in period ⌊age⌋ + k at the same fraction of it."""
    whole = np.floor(ages).astype(np.int64)
    frac = ages - whole
    grid = np.arange(int(whole.max(initial=0)) + int(steps.max(initial=0)) + 2, dtype=float)
    log_s = fit.curve.log_survival(grid)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        keep = np.log1p(-np.minimum(-np.expm1(log_s[1:] - log_s[:-1]), 1.0))  # log(1 − h)

        def at(w: np.ndarray, f: np.ndarray) -> np.ndarray:
            return log_s[w] + np.where(f > 0, f * keep[w], 0.0)

        now = at(whole, frac)
        later = at(whole[None, :] + steps[:, None], frac[None, :])
        ratio = np.where(np.isfinite(now), np.exp(later - now), 0.0)
    return np.nan_to_num(ratio) @ active / max(float(active.sum()), 1e-300)


def calendar_backtest(holdout: CalendarHoldout | None, months_per_period: int = 1,
                      warm: dict[str, Fit] | None = None) -> CalendarBacktest | None:
    """Every curve fitted on what was seen by the cut-off date, projected over the customers
    active then, against what they did (see ``CalendarHoldout``); None when there is nothing to
    compare or nobody churned before the cut-off."""
    if holdout is None or holdout.steps.size == 0 or holdout.active.sum() <= 0:
        return None
    if holdout.train.n_churned <= 0:
        return None
    fits = fit_all(holdout.train, months_per_period, warm, errors=False)
    projected = {k: retained(f, holdout.ages, holdout.active, holdout.steps)
                 for k, f in fits.items()}
    obs = holdout.observed
    return CalendarBacktest(holdout.cut, float(holdout.active.sum()), holdout.steps, obs,
                            projected,
                            {k: float(np.mean(np.abs(p - obs))) for k, p in projected.items()},
                            {k: float(p[-1] - obs[-1]) for k, p in projected.items()})
