"""What the actuals say: the plan's draws re-weighted by the likelihood of the observed churned
(binomial) and new customers (Poisson) — importance sampling with the prior as proposal — the
posterior of the latent response r, the odds before and now, each month's surprise in words and
the gate's verdict.

When too few draws carry the weight (effective sample size below ``ESS_MIN``) the posterior of r
falls back to a grid: r on a fine grid with every other assumption at its likely value, weighed
by the same likelihood against r's own prior (a mass at 0 plus the PERT); the draws are then
re-weighted by the grid's posterior-to-prior ratio at their r. The result says which was used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from model.analysis import response_names, response_prior
from model.assumptions import validate
from model.simulation import simulate
from model.tracking._actuals import Actuals
from model.tracking._draws import PlanDraws
from model.tracking._evidence import (
    LIKELIHOOD,
    churn_probability,
    effective_sample_size,
    log_likelihood,
    weights_from,
)
from model.tracking._gate import Staging, verdict

ESS_MIN = 100.0  # fewer effective draws than this: the grid posterior is used
GRID_CELLS = 80
_LABELS = {"churned": ("churn", "lower"), "new_customers": ("new customers", "higher"),
           "customers": ("customers at the start", "higher"), "revenue": ("revenue", "higher")}
_ACTUAL = {"churned": "churned", "new_customers": "new_customers",
           "customers": "customers_start", "revenue": "revenue"}


def weighted_quantiles(x: np.ndarray, w: np.ndarray, qs=(0.1, 0.5, 0.9)) -> list[float]:
    order = np.argsort(x, kind="stable")
    cw = np.cumsum(w[order])
    cw /= cw[-1]
    return [float(x[order][min(np.searchsorted(cw, q), len(x) - 1)]) for q in qs]


def odds(d: PlanDraws, w: np.ndarray) -> dict[str, float]:
    """P(payback inside tenure), P(ΔNPV > 0), expected ΔNPV and P(respond) under weights w."""
    path = d.tracked
    pay = path.payback_month
    inside = ~np.isnan(pay) & (np.nan_to_num(pay, nan=np.inf) <= d.tenure_month)
    return {"p_payback_inside_tenure": float(w @ inside),
            "p_delta_npv_positive": float(w @ (path.delta_npv > 0)),
            "expected_delta_npv": float(w @ path.delta_npv),
            "p_customers_respond": float(w @ (d.response > 0))}


def response_summary(r: np.ndarray, w: np.ndarray) -> dict[str, float]:
    p10, p50, p90 = weighted_quantiles(r, w)
    return {"mean": float(w @ r), "p10": p10, "p50": p50, "p90": p90,
            "p_customers_respond": float(w @ (r > 0))}


@dataclass(frozen=True)
class Surprise:
    month: int
    metric: str  # churned | new_customers | customers | revenue
    actual: float
    share_of_forecasts_below: float  # of the plan's draws
    p10: float
    p50: float
    p90: float
    text: str
    surprising: bool  # outside the plan's P10 … P90
    good_news: bool | None  # None when inside the band

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def surprise_text(metric: str, month: int, q: float) -> str:
    """"churn in month 7 was lower than 9 in 10 forecasts" from the share of forecasts below."""
    label = _LABELS[metric][0]
    if q >= 0.5:
        k = int(np.floor(10 * q + 1e-9))
        return f"{label} in month {month} was higher than {k} in 10 forecasts".capitalize()
    k = int(np.floor(10 * (1 - q) + 1e-9))
    return f"{label} in month {month} was lower than {k} in 10 forecasts".capitalize()


def surprises(d: PlanDraws, actuals: Actuals) -> list[Surprise]:
    out = []
    for i, m in enumerate(actuals.month):
        if m > d.horizon_months:
            continue
        for metric in ("churned", "new_customers", "customers", "revenue"):
            x = float(getattr(actuals, _ACTUAL[metric])[i])
            if np.isnan(x):
                continue
            row = d.tracked.monthly(metric)[m - 1].astype(float)
            q = float((row < x).mean() + 0.5 * (row == x).mean())
            p10, p50, p90 = (float(v) for v in np.quantile(row, (0.1, 0.5, 0.9)))
            outside = x < p10 or x > p90
            better = (x < p50) if _LABELS[metric][1] == "lower" else (x > p50)
            out.append(Surprise(int(m), metric, x, q, p10, p50, p90,
                                surprise_text(metric, int(m), q), outside,
                                bool(better) if outside else None))
    return out


def _loglik(d: PlanDraws, a: Actuals, columns: np.ndarray | slice = slice(None)) -> np.ndarray:
    idx = np.asarray(a.month, dtype=int) - 1
    path = d.tracked
    p = churn_probability(path.customers[idx][:, columns], path.churned[idx][:, columns])
    lam = path.new_customers[idx][:, columns].astype(float)
    return log_likelihood(a.customers_start[None, :], a.churned[None, :],
                          a.new_customers[None, :], p, lam)[0]


@dataclass(frozen=True)
class GridPosterior:
    r: np.ndarray  # grid points: 0, then cell midpoints of low … high
    prior: np.ndarray  # prior mass of each point / cell
    posterior: np.ndarray

    def ratio_at(self, r: np.ndarray, low: float, high: float) -> np.ndarray:
        ratio = self.posterior / np.maximum(self.prior, 1e-300)
        if len(self.r) == 1:
            return np.full(len(r), ratio[0])
        width = max(high - low, 1e-12)
        cell = np.clip(((r - low) / width * (len(self.r) - 1)).astype(int), 0,
                       len(self.r) - 2) + 1
        return np.where(r == 0.0, ratio[0], ratio[cell])


def grid_posterior(values: Mapping[str, object], actuals: Actuals) -> GridPosterior:
    """r's posterior on a grid, every other assumption at its likely value (see module doc)."""
    full = validate(values)
    prior = response_prior(float(full["p_no_response"]), float(full["response_likely"]),
                           float(full["response_spread"]))
    if prior.high > prior.low:
        u = (np.arange(GRID_CELLS) + 0.5) / GRID_CELLS
        dens = u ** (prior.alpha - 1) * (1 - u) ** (prior.beta - 1)
        mass = (1 - prior.no_response) * dens / dens.sum()
        r = np.concatenate([[0.0], prior.low + (prior.high - prior.low) * u])
        pm = np.concatenate([[prior.no_response], mass])
    else:
        r = np.array([0.0, prior.likely])
        pm = np.array([prior.no_response, 1 - prior.no_response])
    batch: dict[str, object] = dict(full)
    for name in response_names():
        batch[name] = r * float(full[name])
    sim = simulate(batch)
    idx = np.asarray(actuals.month, dtype=int) - 1
    p = churn_probability(sim.customers.T[idx], sim.churned.T[idx])
    lam = (sim.new_bought + sim.new_referred).T[idx]
    ll = log_likelihood(actuals.customers_start[None, :], actuals.churned[None, :],
                        actuals.new_customers[None, :], p, lam)[0]
    post = weights_from(np.where(pm > 0, ll + np.log(np.maximum(pm, 1e-300)), -np.inf))
    return GridPosterior(r, pm, post)


@dataclass(frozen=True)
class GateVerdict:
    decision: str  # continue | stop | not yet
    reason: str
    p_customers_respond: float  # at the gate (with the actuals up to it)

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Update:
    months: tuple[int, ...]  # the plan months with actuals
    likelihood: str
    method: str  # "draws" (importance weights) or "grid" (the fallback)
    effective_sample_size: float
    weights: np.ndarray  # (n,) on the plan's draws
    response_before: dict[str, float]
    response_now: dict[str, float]
    odds_before: dict[str, float]
    odds_now: dict[str, float]
    surprises: tuple[Surprise, ...]
    gate: GateVerdict | None
    notes: tuple[str, ...] = field(default=())
    grid: GridPosterior | None = None

    def to_dict(self) -> dict[str, object]:
        return {"months_with_actuals": list(self.months), "likelihood": self.likelihood,
                "method": self.method, "effective_sample_size": self.effective_sample_size,
                "draws": len(self.weights), "response_before": self.response_before,
                "response_now": self.response_now, "odds_before": self.odds_before,
                "odds_now": self.odds_now,
                "gate": self.gate.to_dict() if self.gate else None,
                "surprises": [s.to_dict() for s in self.surprises if s.surprising],
                "all_months": [s.to_dict() for s in self.surprises], "notes": list(self.notes)}


def _weights(d: PlanDraws, values: Mapping[str, object], actuals: Actuals
             ) -> tuple[np.ndarray, float, str, GridPosterior | None, list[str]]:
    n = d.draws
    if len(actuals) == 0:
        return np.full(n, 1.0 / n), float(n), "draws", None, [
            "No actuals yet: the odds are the plan's."]
    w = weights_from(_loglik(d, actuals))
    ess = effective_sample_size(w)
    if ess >= min(ESS_MIN, n / 2):
        return w, ess, "draws", None, []
    full = validate(values)
    prior = response_prior(float(full["p_no_response"]), float(full["response_likely"]),
                           float(full["response_spread"]))
    grid = grid_posterior(full, actuals)
    w2 = grid.ratio_at(d.response, prior.low, prior.high)
    w2 = w2 / w2.sum() if w2.sum() > 0 else np.full(n, 1.0 / n)
    note = (f"Only {ess:.0f} of the plan's {n:,} draws carry the weight of the actuals (effective"
            f" sample size below {ESS_MIN:.0f}): the response's posterior comes from a grid "
            "over r with every other assumption at its likely value, and the odds re-weight "
            "the draws by that posterior.")
    return w2, effective_sample_size(w2), "grid", grid, [note]


def update(d: PlanDraws, values: Mapping[str, object], actuals: Actuals,
           staging: Staging | None = None) -> Update:
    """The posterior, the odds before and now, surprises and the gate (module docstring)."""
    inside = actuals.up_to(d.horizon_months)
    w, ess, method, grid, notes = _weights(d, values, inside)
    uniform = np.full(d.draws, 1.0 / d.draws)
    gate = None
    if staging is not None:
        g = int(staging.gate_month)
        rest = (1 - staging.pilot_share) * float(validate(values)["investment"])
        if len(inside) and int(inside.month.max()) >= g:
            wg = w if int(inside.month.max()) == g else _weights(d, values, inside.up_to(g))[0]
            p = float(wg @ (d.response > 0))
            decision, reason = verdict(p, staging, rest)
            gate = GateVerdict(decision, reason, p)
        else:
            p = float(w @ (d.response > 0))
            have = int(inside.month.max()) if len(inside) else 0
            gate = GateVerdict("not yet", f"The gate is in month {g}; actuals reach month "
                               f"{have}. So far the chance that customers respond is {p:.0%} "
                               f"(the criterion needs at least {staging.threshold:.0%}).", p)
    return Update(months=tuple(int(m) for m in inside.month), likelihood=LIKELIHOOD,
                  method=method, effective_sample_size=ess, weights=w,
                  response_before=response_summary(d.response, uniform),
                  response_now=response_summary(d.response, w),
                  odds_before=odds(d, uniform), odds_now=odds(d, w),
                  surprises=tuple(surprises(d, inside)), gate=gate,
                  notes=tuple(notes) + inside.notes, grid=grid)
