"""Maximum likelihood for the parametric curves of the registry, on ``Counts``.

Data contract: ``Counts`` (customers by distinct duration, churned or still active), read in whole
periods (``Counts.periods``); one period = a month or a year. The log-likelihood has one term per
distinct period:

    log L = Σ_t churned_t · log(S(t−1) − S(t)) + censored_t · log S(t) + partial_t · log r(t+1)

where r(t+1) = S(t+1) / S(t) is the retention of period t + 1 and ``partial_t`` the part of that
period the customers censored at t were seen in (zero for durations in whole periods; for dates,
constant hazard within a period).

Each curve is fitted in unconstrained coordinates (its ``CurveSpec.to_natural``: log for positive
parameters, log ρ for the Weibull's θ) with BFGS on the analytic gradient, from the curve's own
starting points. No optimum is clipped: a run that stalls on a flat ridge with a vanishing
gradient is taken as found (sBG's α, β → ∞ is constant churn, said in words by the churn checks),
and the simplex is tried, briefly, only when the gradient is still large. Standard errors come
from the numerical Hessian of −log L (central differences of the gradient), carried back to the
natural scale by the delta method; the covariance is kept for projection bands. AIC = 2k − 2 log L
and BIC = k log n − 2 log L, n the customers.

References: [1] Fader, P. S. & Hardie, B. G. S. (2007), "How to project customer retention",
Journal of Interactive Marketing 21(1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from model.curves import BY_KEY, FITTED, CurveSpec, GeometricCurve, PeriodCurve, StartHints
from model.fitting._counts import Counts
from model.fitting._km_estimator import kaplan_meier

_FLAT = 1e-4  # a stalled run whose gradient (per customer) is below this has found the optimum


@dataclass(frozen=True, eq=False)
class Fit:
    """A parametric curve fitted by maximum likelihood."""

    key: str  # a registry key: "constant", "sbg", "sbdw", "weibull"
    name: str  # shown to people
    params: dict[str, float]
    se: dict[str, float]  # NaN when the Hessian is not positive definite
    loglik: float
    aic: float
    curve: PeriodCurve  # in data periods; ``monthly_curve`` is what the model uses
    converged: bool = True
    n_obs: float = 0.0
    notes: tuple[str, ...] = field(default=())
    bic: float = float("nan")
    u: np.ndarray | None = None  # the optimum in the fitter's unconstrained coordinates
    cov_u: np.ndarray | None = None  # its covariance (inverse Hessian); None when unavailable

    @property
    def monthly_curve(self):  # -> RetentionCurve
        return self.curve.monthly() if isinstance(self.curve, GeometricCurve) else self.curve


def loglik(curve: PeriodCurve, counts: Counts, grad: bool = False):
    """log L (and its gradient in the curve's natural parameters when ``grad``)."""
    lt = counts.periods.terms
    ls_grid = curve.log_survival(lt.grid)
    ls, ls_before, ls_after = ls_grid[lt.at], ls_grid[lt.before], ls_grid[lt.after]
    dead, part, d, f = lt.dead, lt.part, lt.churned, lt.partial
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ll = float(np.dot(lt.censored, ls))
        rho = np.exp(ls[dead] - ls_before)  # retention S(t) / S(t−1)
        ll += float(np.dot(d, ls_before + np.log1p(-rho)))  # log(S(t−1) − S(t)), stable
        ll += float(np.dot(f, ls_after - ls[part]))
        if not grad:
            return ll if np.isfinite(ll) else -np.inf
        g_grid = curve.grad_log_survival(lt.grid)
        g, g_before, g_after = g_grid[:, lt.at], g_grid[:, lt.before], g_grid[:, lt.after]
        g_ll = g @ lt.censored + ((g_before - rho * g[:, dead]) / (1.0 - rho)) @ d
        g_ll = g_ll + (g_after - g[:, part]) @ f
    if not (np.isfinite(ll) and np.all(np.isfinite(g_ll))):
        return -np.inf, np.zeros(g_grid.shape[0])
    return ll, g_ll


def chain(jacobian: np.ndarray, g: np.ndarray) -> np.ndarray:
    """A gradient in natural parameters carried to unconstrained ones: Jᵀ g (J elementwise when
    it is a vector)."""
    jac = np.asarray(jacobian, dtype=float)
    if jac.ndim == 2:
        return jac.T @ g
    return g * (jac[:, None] if np.ndim(g) == 2 else jac)


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


def start_hints(counts: Counts, fitted: dict[str, Fit] | None = None) -> StartHints:
    """The data a curve's starting points may use (see ``StartHints``)."""
    km = kaplan_meier(counts)
    inside = (km.survival_ > 0) & (km.survival_ < 1) & (km.times > 0)
    return StartHints(crude_rate(counts), km.times[inside], km.survival_[inside],
                      {k: f.params for k, f in (fitted or {}).items()})


def _minimise(spec: CurveSpec, hints: StartHints, neg_and_grad, neg, scale: float,
              warm: np.ndarray | None = None, limit: float | None = None):
    """BFGS from the most likely start. ``warm``: a start known to be close (the same curve on
    nearly the same data). ``limit``: −log L of the best curve this one contains as a limit
    (sBdW: sBG, the Weibull); a stalled run that has reached it is at that limit — the simplex
    would only crawl along a ridge to infinity."""
    best = None
    starts = ([warm] if warm is not None else []) + spec.start(hints)
    values = [neg(x0) for x0 in starts]  # the most likely start first
    for x0 in [starts[i] for i in sorted(range(len(starts)), key=values.__getitem__)]:
        res = optimize.minimize(neg_and_grad, x0, jac=True, method="BFGS")
        at_limit = limit is not None and res.fun <= limit + 1e-6 * scale
        if (not res.success and np.max(np.abs(res.jac)) > _FLAT * scale and res.fun < 1e300
                and not at_limit):
            # Stalled on a rough stretch: a short simplex, then BFGS again.
            res = optimize.minimize(neg, res.x, method="Nelder-Mead",
                                    options={"xatol": 1e-6, "fatol": 1e-7, "maxiter": 200})
            res = optimize.minimize(neg_and_grad, res.x, jac=True, method="BFGS")
        if best is None or res.fun < best.fun:
            best = res
        if res.fun < 1e300:
            break  # the other starts are fallbacks for a start the likelihood cannot use
    return best


def fit_model(spec: CurveSpec | str, counts: Counts, months_per_period: int = 1,
              hints: StartHints | None = None, warm: Fit | None = None,
              limit: float | None = None, errors: bool = True) -> Fit:
    """Maximum likelihood for one registry curve on aggregated counts (``warm``, ``limit``: see
    ``_minimise``). ``errors=False`` skips the Hessian (standard errors, covariance): a backtest
    only projects the curve."""
    spec = BY_KEY[spec] if isinstance(spec, str) else spec
    if counts.n_churned <= 0:
        raise ValueError("no churn observed: churn cannot be estimated")
    hints = hints if hints is not None else start_hints(counts)

    def neg_and_grad(u: np.ndarray) -> tuple[float, np.ndarray]:
        u = np.asarray(u, dtype=float)
        with np.errstate(over="ignore", under="ignore"):  # far-off trial points of the search
            p = spec.to_natural(u)
        if not np.all(np.isfinite(p)) or np.any(p <= 0):
            return 1e300, np.zeros(u.size)
        ll, g = loglik(spec.make(p, 1), counts, grad=True)
        if not np.isfinite(ll):
            return 1e300, np.zeros(u.size)
        return -ll, -chain(spec.jacobian(u), g)  # to unconstrained coordinates

    def neg(u: np.ndarray) -> float:
        return neg_and_grad(u)[0]

    best = _minimise(spec, hints, neg_and_grad, neg, max(counts.n, 1.0),
                     None if warm is None else warm.u, limit)
    u = np.asarray(best.x, dtype=float)
    p = spec.to_natural(u)
    ll = -float(best.fun)
    notes: list[str] = []
    se_u = np.full(u.size, np.nan)
    cov = None
    if errors:
        try:
            inv = np.linalg.inv(_hessian(lambda x: neg_and_grad(x)[1], u))
            if np.all(np.isfinite(inv)) and np.all(np.diag(inv) > 0):
                cov, se_u = inv, np.sqrt(np.diag(inv))
            else:
                notes.append("standard errors unavailable: the likelihood is flat at the optimum")
        except np.linalg.LinAlgError:
            notes.append("standard errors unavailable: the likelihood is flat at the optimum")
    jac = np.asarray(spec.jacobian(u), dtype=float)
    if jac.ndim == 1:
        se = jac * se_u  # delta method
    elif cov is not None:
        se = np.sqrt(np.maximum(np.diag(jac @ cov @ jac.T), 0.0))
    else:
        se = np.full(u.size, np.nan)
    k = len(spec.params)
    n = max(counts.n, 1.0)
    return Fit(spec.key, spec.label, dict(zip(spec.params, map(float, p), strict=True)),
               dict(zip(spec.params, map(float, se), strict=True)), ll,
               float(2 * k - 2 * ll), spec.make(p, months_per_period),
               bool(np.isfinite(ll)), counts.n, tuple(notes), float(k * np.log(n) - 2 * ll),
               u, cov)


def fit_all(counts: Counts, months_per_period: int = 1,
            warm: dict[str, Fit] | None = None, errors: bool = True) -> dict[str, Fit]:
    """Every fitted curve of the registry, keyed by its registry key (in the registry's order).
    Curves with fewer parameters go first: a richer curve starts from the ones it contains (and
    stops at them when they are its optimum); ``warm`` fits of nearly the same data start each.
    ``errors=False``: no standard errors (see ``fit_model``)."""
    fits: dict[str, Fit] = {}
    km_hints = start_hints(counts)
    for spec in sorted(FITTED, key=lambda s: len(s.params)):
        hints = StartHints(km_hints.rate, km_hints.t, km_hints.survival,
                           {k: f.params for k, f in fits.items()})
        contained = [f.loglik for k, f in fits.items() if k in NESTED.get(spec.key, ())]
        fits[spec.key] = fit_model(spec, counts, months_per_period, hints,
                                   (warm or {}).get(spec.key),
                                   -max(contained) if contained else None, errors)
    return {spec.key: fits[spec.key] for spec in FITTED}


# Curves a richer one reaches as a limit (sBdW: c = 1 is the sBG; α, β → ∞ the Weibull).
NESTED = {"sbdw": ("sbg", "weibull"), "sbg": ("constant",), "weibull": ("constant",)}


def best_by_aic(fits: dict[str, Fit]) -> str:
    return min(fits, key=lambda k: fits[k].aic)


def upper_churn_without_events(counts: Counts, months_per_period: int = 1) -> float:
    """95 % upper bound on constant churn per MONTH when nobody churned ("rule of three")."""
    per_period = 1.0 - 0.05 ** (1.0 / max(counts.exposure, 1.0))
    return float(1.0 - (1.0 - per_period) ** (1.0 / months_per_period))
