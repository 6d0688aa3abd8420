"""Maximum likelihood for the parametric curves of the registry, on ``Counts``.

Data contract: ``Counts`` (customers by distinct duration, churned or still active); one period =
a month or a year. The log-likelihood has one term per distinct duration:

    log L = Σ_t churned_t · log(S(t−1) − S(t)) + censored_t · log S(t)

Each curve is fitted in unconstrained coordinates (its ``CurveSpec.to_natural``: log for positive
parameters, logit for probabilities) with BFGS on the analytic gradient (Nelder–Mead when BFGS
stalls). Standard errors come from the numerical Hessian of −log L (central differences of the
gradient), carried back to the natural scale by the delta method.

References: [1] Fader, P. S. & Hardie, B. G. S. (2007), "How to project customer retention",
Journal of Interactive Marketing 21(1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from model.curves import BY_KEY, FITTED, CurveSpec, GeometricCurve, PeriodCurve
from model.fitting._counts import Counts


@dataclass(frozen=True, eq=False)
class Fit:
    """A parametric curve fitted by maximum likelihood."""

    key: str  # a registry key: "constant", "sbg", "weibull"
    name: str  # shown to people
    params: dict[str, float]
    se: dict[str, float]  # NaN when the Hessian is not positive definite
    loglik: float
    aic: float
    curve: PeriodCurve  # in data periods; ``monthly_curve`` is what the model uses
    converged: bool = True
    n_obs: float = 0.0
    notes: tuple[str, ...] = field(default=())

    @property
    def monthly_curve(self):  # -> RetentionCurve
        return self.curve.monthly() if isinstance(self.curve, GeometricCurve) else self.curve


def loglik(curve: PeriodCurve, counts: Counts, grad: bool = False):
    """log L (and its gradient in the curve's natural parameters when ``grad``)."""
    t = counts.times.astype(float)
    ls = curve.log_survival(t)
    ll = float(np.dot(counts.censored, ls))
    dead = np.flatnonzero((counts.churned > 0) & (t >= 1))
    d = counts.churned[dead]
    before = t[dead] - 1.0
    ls_before = curve.log_survival(before)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rho = np.exp(ls[dead] - ls_before)  # retention S(t) / S(t−1)
        ll += float(np.dot(d, ls_before + np.log1p(-rho)))  # log(S(t−1) − S(t)), stable
        if not grad:
            return ll if np.isfinite(ll) else -np.inf
        g = curve.grad_log_survival(t)
        g_before = curve.grad_log_survival(before)
        g_ll = g @ counts.censored + ((g_before - rho * g[:, dead]) / (1.0 - rho)) @ d
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


def crude_rate(counts: Counts) -> float:
    """Churned per customer-period at risk: the starting guess of every curve."""
    return counts.n_churned / max(counts.exposure, 1.0)


def _minimise(spec: CurveSpec, counts: Counts, neg_and_grad, neg):
    best = None
    for x0 in spec.start(crude_rate(counts)):
        res = optimize.minimize(neg_and_grad, x0, jac=True, method="BFGS")
        if not res.success:  # rough surface (e.g. far from the optimum): simplex, then polish
            res = optimize.minimize(neg, res.x, method="Nelder-Mead",
                                    options={"xatol": 1e-8, "fatol": 1e-9, "maxiter": 2000})
            res = optimize.minimize(neg_and_grad, res.x, jac=True, method="BFGS")
        if best is None or res.fun < best.fun:
            best = res
        if res.success:  # the starts are fallbacks, not a search for other optima
            break
    return best


def fit_model(spec: CurveSpec | str, counts: Counts, months_per_period: int = 1) -> Fit:
    """Maximum likelihood for one registry curve on aggregated counts."""
    spec = BY_KEY[spec] if isinstance(spec, str) else spec
    if counts.n_churned <= 0:
        raise ValueError("no churn observed: churn cannot be estimated")

    def neg_and_grad(u: np.ndarray) -> tuple[float, np.ndarray]:
        u = np.asarray(u, dtype=float)
        with np.errstate(over="ignore"):  # far-off trial points of the line search
            p = spec.to_natural(u)
        if not np.all(np.isfinite(p)) or np.any(p <= 0):
            return 1e300, np.zeros(u.size)
        ll, g = loglik(spec.make(p, 1), counts, grad=True)
        if not np.isfinite(ll):
            return 1e300, np.zeros(u.size)
        return -ll, -g * spec.jacobian(u)  # chain rule to unconstrained coordinates

    def neg(u: np.ndarray) -> float:
        return neg_and_grad(u)[0]

    best = _minimise(spec, counts, neg_and_grad, neg)
    u = np.clip(best.x, -30, 30)  # keeps degenerate fits (e.g. c → 0) finite
    p = spec.to_natural(u)
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
    se = spec.jacobian(u) * se_u  # delta method
    k = len(spec.params)
    return Fit(spec.key, spec.label, dict(zip(spec.params, map(float, p), strict=True)),
               dict(zip(spec.params, map(float, se), strict=True)), float(ll),
               float(2 * k - 2 * ll), spec.make(p, months_per_period),
               bool(best.success or np.isfinite(ll)), counts.n, tuple(notes))


def fit_all(counts: Counts, months_per_period: int = 1) -> dict[str, Fit]:
    """Every fitted curve of the registry, keyed by its registry key."""
    return {spec.key: fit_model(spec, counts, months_per_period) for spec in FITTED}


def best_by_aic(fits: dict[str, Fit]) -> str:
    return min(fits, key=lambda k: fits[k].aic)


def upper_churn_without_events(counts: Counts, months_per_period: int = 1) -> float:
    """95 % upper bound on constant churn per MONTH when nobody churned ("rule of three")."""
    per_period = 1.0 - 0.05 ** (1.0 / max(counts.exposure, 1.0))
    return float(1.0 - (1.0 - per_period) ** (1.0 / months_per_period))
