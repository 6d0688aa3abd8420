"""Retention curves fitted to churn data: Kaplan–Meier, constant churn, sBG and discrete Weibull.

Data contract (discrete time, one period = a month or a year):

| value        | meaning                                                             |
|--------------|---------------------------------------------------------------------|
| duration d   | whole periods a customer was observed (an integer ≥ 0)              |
| churned      | True: left at the end of period d (lifetime T = d, needs d ≥ 1);     |
|              | False: still active after d periods (right-censored: T > d)         |

Everything is fitted on counts aggregated by (duration, churned) — ``Counts`` — so a million
customers cost one ``np.bincount`` and the likelihood has at most a few hundred terms:

    log L = Σ_t churned_t · log(S(t−1) − S(t)) + censored_t · log S(t)

Models (S = survival after t periods, h(a) = churn at the end of period a + 1 for a customer who
has completed a periods):

- constant churn: S(t) = (1 − q)^t;
- shifted-beta-geometric (sBG, Fader & Hardie 2007): S(t) = B(α, β + t) / B(α, β),
  retention r_t = (β + t − 1) / (α + β + t − 1), h(a) = α / (α + β + a);
- discrete Weibull (Fader & Hardie's dW): S(t) = (1 − θ)^(t^c); c < 1 means churn falls with age.

Standard errors come from the numerical Hessian of −log L in unconstrained coordinates (log for
positive parameters, logit for probabilities), carried back by the delta method.

Every fitted curve follows ``model.curves.RetentionCurve`` in MONTHLY units. When the data period is
a year the monthly hazard is constant within each year, 1 − (1 − h_year)^(1/12), so survival at
whole years matches the fitted annual curve exactly.

References: [1] Fader, P. S. & Hardie, B. G. S. (2007), "How to project customer retention",
Journal of Interactive Marketing 21(1). [2] Kaplan, E. L. & Meier, P. (1958), JASA 53.
[3] Greenwood, M. (1926); log(−log) band as in lifelines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, special, stats

from model.curves import ConstantChurn

# --- aggregated data ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Counts:
    """Customers by duration: ``churned[t]`` left at the end of period t, ``censored[t]`` still
    active after t periods (index t = 0 … T)."""

    churned: np.ndarray
    censored: np.ndarray

    @classmethod
    def from_arrays(cls, durations: np.ndarray, churned: np.ndarray) -> Counts:
        """Aggregate per-customer integer durations and churn flags with ``np.bincount``."""
        d = np.asarray(durations, dtype=np.int64)
        e = np.asarray(churned, dtype=bool)
        if d.size and d.min() < 0:
            raise ValueError("durations must be ≥ 0")
        size = int(d.max()) + 1 if d.size else 1
        total = np.bincount(d, minlength=size)
        dead = np.bincount(d[e], minlength=size)
        return cls(dead.astype(float), (total - dead).astype(float))

    @property
    def n(self) -> float:
        return float(self.churned.sum() + self.censored.sum())

    @property
    def n_churned(self) -> float:
        return float(self.churned.sum())

    @property
    def n_active(self) -> float:
        return float(self.censored.sum())

    @property
    def max_duration(self) -> int:
        nz = np.flatnonzero(self.churned + self.censored)
        return int(nz[-1]) if nz.size else 0

    @property
    def exposure(self) -> float:
        """Customer-periods at risk: Σ t · (churned_t + censored_t)."""
        t = np.arange(self.churned.size)
        return float((t * (self.churned + self.censored)).sum())

    def __add__(self, other: Counts) -> Counts:
        size = max(self.churned.size, other.churned.size)
        pad = lambda x: np.pad(x, (0, size - x.size))  # noqa: E731
        return Counts(pad(self.churned) + pad(other.churned),
                      pad(self.censored) + pad(other.censored))


# --- curves in period units, exposed in months ---------------------------------------------------


class _PeriodCurve:
    """Shared machinery: a curve defined per data period, answered per month."""

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
class SBGCurve(_PeriodCurve):
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


@dataclass(frozen=True)
class WeibullCurve(_PeriodCurve):
    """Discrete Weibull: S(t) = (1 − θ)^(t^c); c < 1: churn falls with age, c > 1: rises."""

    theta: float
    c: float
    months_per_period: int = 1
    name: str = "Weibull"

    def log_survival(self, t: np.ndarray) -> np.ndarray:
        t = np.maximum(np.asarray(t, dtype=float), 0.0)
        with np.errstate(over="ignore"):  # far-off trial values of c during the search
            return np.power(t, self.c) * np.log1p(-self.theta)

    def grad_log_survival(self, t: np.ndarray) -> np.ndarray:
        """∂ log S(t) / ∂(θ, c), shape (2, len t)."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            tc = np.power(t, self.c)
            dc = np.where(t > 0, tc * np.log(np.where(t > 0, t, 1.0)), 0.0) * np.log1p(-self.theta)
        return np.stack([-tc / (1.0 - self.theta), dc])


@dataclass(frozen=True)
class GeometricCurve(_PeriodCurve):
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


@dataclass(frozen=True)
class KaplanMeierCurve(_PeriodCurve):
    """Kaplan–Meier survival as a step curve; churn by period from its steps.

    Beyond the last observed period the hazard continues with ``tail`` — the parametric curve
    chosen with it (best by AIC unless the user picks another) — or, when there is no tail, with
    the last observed period's hazard. ``survival_`` holds S(0) … S(T) at whole periods.
    """

    survival_: tuple[float, ...]
    tail: _PeriodCurve | None = None
    months_per_period: int = 1
    name: str = "Kaplan–Meier"

    def _hazards(self) -> np.ndarray:
        s = np.asarray(self.survival_, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            h = np.where(s[:-1] > 0, 1.0 - s[1:] / s[:-1], 1.0)
        return h

    def period_hazard(self, a: np.ndarray) -> np.ndarray:
        a = np.asarray(a, dtype=float)
        h = self._hazards()
        if h.size == 0:
            return self.tail.period_hazard(a) if self.tail else np.zeros_like(a)
        idx = np.floor(a).astype(np.int64)
        inside = idx < h.size
        if self.tail is not None:
            beyond = self.tail.period_hazard(a)
        else:
            beyond = np.full_like(a, h[-1])
        return np.where(inside, h[np.clip(idx, 0, h.size - 1)], beyond)

    def log_survival(self, t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        tt = np.floor(np.max(t)) if t.size else 0.0
        grid = np.arange(int(tt) + 2, dtype=float)
        with np.errstate(divide="ignore"):
            log_s = np.concatenate(([0.0], np.cumsum(np.log1p(-np.minimum(
                self.period_hazard(grid[:-1]), 1.0)))))
        return log_s[np.floor(np.maximum(t, 0)).astype(np.int64)]


# --- Kaplan–Meier ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class KaplanMeier:
    """Product-limit estimate at every duration with data: S(t) = Π_{s ≤ t} (1 − d_s / n_s).

    ``lower_``/``upper_`` are the pointwise band from Greenwood's variance on the log(−log)
    scale (lifelines' default), at level ``1 − alpha``.
    """

    times: np.ndarray  # durations with at least one customer
    at_risk: np.ndarray  # n_t: customers with duration ≥ t
    churned: np.ndarray  # d_t
    survival_: np.ndarray
    lower_: np.ndarray
    upper_: np.ndarray
    alpha: float = 0.05

    def survival_at(self, t: np.ndarray | float) -> np.ndarray:
        """Step function S(t) for any t (1 before the first time)."""
        idx = np.searchsorted(self.times, np.asarray(t, dtype=float), side="right") - 1
        return np.where(idx >= 0, self.survival_[np.maximum(idx, 0)], 1.0)

    def survival_by_period(self) -> np.ndarray:
        """S(0) … S(T) at whole periods."""
        return self.survival_at(np.arange(int(self.times.max()) + 1 if self.times.size else 1))


def kaplan_meier(counts: Counts, alpha: float = 0.05) -> KaplanMeier:
    """Kaplan–Meier with right censoring on aggregated counts (customers censored at t are still
    at risk at t, as in lifelines)."""
    total = counts.churned + counts.censored
    at_risk_all = np.cumsum(total[::-1])[::-1]
    keep = total > 0
    times = np.flatnonzero(keep).astype(float)
    n = at_risk_all[keep]
    d = counts.churned[keep]
    factor = 1.0 - d / n
    surv = np.cumprod(factor)
    with np.errstate(divide="ignore", invalid="ignore"):
        var_terms = np.where(n > d, d / (n * (n - d)), 0.0)
        cum_var = np.cumsum(var_terms)
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


# --- maximum likelihood ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Fit:
    """A parametric curve fitted by maximum likelihood."""

    key: str  # "constant", "sbg", "weibull"
    name: str  # shown to people
    params: dict[str, float]
    se: dict[str, float]  # NaN when the Hessian is not positive definite
    loglik: float
    aic: float
    curve: _PeriodCurve  # in data periods; ``monthly_curve`` is what the model uses
    converged: bool = True
    n_obs: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def monthly_curve(self):  # -> RetentionCurve
        return self.curve.monthly() if isinstance(self.curve, GeometricCurve) else self.curve


def _loglik(curve: _PeriodCurve, counts: Counts, grad: bool = False):
    """log L (and its gradient in the curve's natural parameters when ``grad``)."""
    t = np.arange(counts.churned.size, dtype=float)
    ls = curve.log_survival(t)
    ll = float(np.dot(counts.censored, ls))
    dead = np.flatnonzero(counts.churned[1:] > 0) + 1
    d = counts.churned[dead]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rho = np.exp(ls[dead] - ls[dead - 1])  # retention S(t) / S(t−1)
        ll += float(np.dot(d, ls[dead - 1] + np.log1p(-rho)))  # log(S(t−1) − S(t)), stable
        if not grad:
            return ll if np.isfinite(ll) else -np.inf
        g = curve.grad_log_survival(t)
        g_ll = g @ counts.censored + ((g[:, dead - 1] - rho * g[:, dead]) / (1.0 - rho)) @ d
    if not (np.isfinite(ll) and np.all(np.isfinite(g_ll))):
        return -np.inf, np.zeros(g.shape[0])
    return ll, g_ll


def _hessian(grad: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
             step: float = 1e-5) -> np.ndarray:
    """Central differences of an analytic gradient, symmetrised."""
    k = x.size
    hess = np.empty((k, k))
    for i in range(k):
        e = np.zeros(k)
        e[i] = step
        hess[:, i] = (grad(x + e) - grad(x - e)) / (2 * step)
    return 0.5 * (hess + hess.T)


@dataclass(frozen=True)
class _Model:
    key: str
    name: str
    names: tuple[str, ...]
    to_natural: Callable[[np.ndarray], np.ndarray]  # unconstrained → natural
    jacobian: Callable[[np.ndarray], np.ndarray]  # d natural / d unconstrained (diagonal)
    make: Callable[[np.ndarray, int], _PeriodCurve]
    start: Callable[[Counts], list[np.ndarray]]


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return float(np.log(p / (1 - p)))


def _rate(counts: Counts) -> float:
    return counts.n_churned / max(counts.exposure, 1.0)


MODELS = (
    _Model("constant", "Constant churn", ("churn",),
           lambda u: special.expit(u), lambda u: special.expit(u) * (1 - special.expit(u)),
           lambda p, k: GeometricCurve(float(p[0]), k),
           lambda c: [np.array([_logit(_rate(c))])]),
    _Model("sbg", "sBG", ("alpha", "beta"),
           np.exp, np.exp, lambda p, k: SBGCurve(float(p[0]), float(p[1]), k),
           lambda c: [np.log([1.0, max(1.0, 1.0 / max(_rate(c), 1e-6) - 1.0)]),
                      np.array([0.0, 0.0]), np.log([0.5, 5.0])]),
    _Model("weibull", "Weibull", ("theta", "c"),
           lambda u: np.array([special.expit(u[0]), np.exp(u[1])]),
           lambda u: np.array([special.expit(u[0]) * (1 - special.expit(u[0])), np.exp(u[1])]),
           lambda p, k: WeibullCurve(float(p[0]), float(p[1]), k),
           lambda c: [np.array([_logit(_rate(c)), 0.0]), np.array([_logit(_rate(c)), -0.5])]),
)
MODEL_KEYS = tuple(m.key for m in MODELS)


def fit_model(model: _Model, counts: Counts, months_per_period: int = 1) -> Fit:
    """Maximum likelihood for one model on aggregated counts."""
    if counts.n_churned <= 0:
        raise ValueError("no churn observed: churn cannot be estimated")

    def neg_and_grad(u: np.ndarray) -> tuple[float, np.ndarray]:
        u = np.asarray(u, dtype=float)
        p = model.to_natural(u)
        if not np.all(np.isfinite(p)) or np.any(p <= 0):
            return 1e300, np.zeros(u.size)
        ll, g = _loglik(model.make(p, 1), counts, grad=True)
        if not np.isfinite(ll):
            return 1e300, np.zeros(u.size)
        return -ll, -g * model.jacobian(u)  # chain rule to unconstrained coordinates

    def neg(u: np.ndarray) -> float:
        return neg_and_grad(u)[0]

    best = None
    for x0 in model.start(counts):
        res = optimize.minimize(neg_and_grad, x0, jac=True, method="BFGS")
        if not res.success:  # rough surface (e.g. far from the optimum): simplex, then polish
            res = optimize.minimize(neg, res.x, method="Nelder-Mead",
                                    options={"xatol": 1e-8, "fatol": 1e-9, "maxiter": 2000})
            res = optimize.minimize(neg_and_grad, res.x, jac=True, method="BFGS")
        if best is None or res.fun < best.fun:
            best = res
        if res.success:  # the starts are fallbacks, not a search for other optima
            break
    u = np.clip(best.x, -30, 30)  # keeps degenerate fits (e.g. c → 0) finite
    p = model.to_natural(u)
    ll = -neg(u)
    notes: list[str] = []
    se_u = np.full(u.size, np.nan)
    try:
        cov = np.linalg.inv(_hessian(lambda x: neg_and_grad(x)[1], u))
        if np.all(np.diag(cov) > 0):
            se_u = np.sqrt(np.diag(cov))
        else:
            notes.append("standard errors unavailable: the likelihood is flat at the optimum")
    except np.linalg.LinAlgError:
        notes.append("standard errors unavailable: the likelihood is flat at the optimum")
    se = model.jacobian(u) * se_u  # delta method
    k = len(model.names)
    return Fit(model.key, model.name, dict(zip(model.names, map(float, p), strict=True)),
               dict(zip(model.names, map(float, se), strict=True)), float(ll), float(2 * k - 2 * ll),
               model.make(p, months_per_period), bool(best.success or np.isfinite(ll)),
               counts.n, tuple(notes))


def fit_all(counts: Counts, months_per_period: int = 1) -> dict[str, Fit]:
    """Every parametric model, keyed "constant", "sbg", "weibull"."""
    return {m.key: fit_model(m, counts, months_per_period) for m in MODELS}


def best_by_aic(fits: dict[str, Fit]) -> str:
    return min(fits, key=lambda k: fits[k].aic)


def km_curve(km: KaplanMeier, tail: _PeriodCurve | None = None,
             months_per_period: int = 1) -> KaplanMeierCurve:
    """The Kaplan–Meier estimate as a retention curve for the model (see ``KaplanMeierCurve``)."""
    return KaplanMeierCurve(tuple(float(x) for x in km.survival_by_period()), tail,
                            months_per_period)


def churn_in_year(curve, year: int) -> float:
    """Share of customers active at the start of their ``year``-th year (1-based) who leave
    during it, from a curve's monthly hazards."""
    ages = np.arange(12 * (year - 1), 12 * year, dtype=float)
    return float(1.0 - np.prod(1.0 - np.clip(curve.monthly_hazard(ages), 0.0, 1.0)))


def upper_churn_without_events(counts: Counts, months_per_period: int = 1) -> float:
    """95 % upper bound on constant churn per MONTH when nobody churned ("rule of three")."""
    per_period = 1.0 - 0.05 ** (1.0 / max(counts.exposure, 1.0))
    return float(1.0 - (1.0 - per_period) ** (1.0 / months_per_period))
