"""The two levers together: honesty × investment, best for the company, the CEO and the board.

Objectives (money discounted to today, against the status quo):

| key     | whose view | figure |
|---------|------------|--------|
| company | the owners | ΔNPV over the horizon (with the end value when the scenario counts it) |
| tenure  | the CEO    | Δ inside the tenure: cumulative Δ discounted profit at the tenure end |
| board   | the board  | Δ inside the tenure + ``board_weight`` × Δ customer equity at the tenure end |

Customer equity at the tenure end is the value still to come from the business then. The
simulation does not value the customers at the tenure end separately, so we use the figure it
gives exactly: ΔNPV − Δ inside the tenure (everything the switch adds after the tenure, the end
value included, discounted to today). With ``board_weight`` 0 the board sees what the CEO sees;
with 1 it sees what the company sees.

Method: a coarse grid (honesty 0 … 1 × 0 and a geometric investment grid up to the registry
maximum) finds each objective's best region; bounded Nelder–Mead (scipy) from the best grid point
refines it (kept only when it beats the grid). Every optimum comes with the range of each lever,
the other held at the optimum, over which the objective stays within 1 % of the best
(``NEAR``; when the best is zero, as for "do nothing", 0.1 % of the objective's spread on the
grid, up to ten times the business's own investment scale, stands in for "1 % of the best"):
a fine grid brackets each edge, Brent's method puts it exactly on the threshold. The heatmap is a separate, even grid (a two-way data table).

The investment grids are geometric from well below the scenario's own scale
(``fix_half_investment`` / 100) up to the registry maximum: that maximum (10¹¹, for the largest
businesses) is so far above a typical scenario that an even grid, or a geometric one tied to the
maximum alone, has no point between $0 and $1M — where the CEO's best often lies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq, minimize

from model.analysis._investment import nice_ceiling
from model.assumptions import BY_NAME, validate
from model.simulation import Baseline, simulate, status_quo_of, tenure_months

OBJECTIVES: tuple[str, ...] = ("company", "tenure", "board")
NEAR = 0.01  # "as good": within 1 % of the best
HEAT_HONESTY, HEAT_INVESTMENT = 21, 41  # heatmap points per lever
CHUNK = 2_048  # scenarios simulated at once (bounds memory)
COARSE_PER_DECADE, FINE_PER_DECADE = 8, 40  # geometric investment grid points per decade


def investment_grid(top: float, scale: float, per_decade: int) -> np.ndarray:
    """0 and a geometric grid from min(top/10⁵, scale/100) to ``top`` (see the docstring)."""
    low = min(top / 1e5, scale / 100.0)
    n = max(2, int(np.ceil(per_decade * np.log10(top / low))) + 1)
    return np.concatenate([[0.0], np.geomspace(low, top, n)])


@dataclass(frozen=True)
class Optimum:
    """The best levers for one objective, and the ranges of each lever that are as good."""

    objective: str
    honesty: float
    investment: float
    value: float
    honesty_range: tuple[float, float]
    investment_range: tuple[float, float]

    def to_dict(self) -> dict[str, object]:
        return {"honesty": self.honesty, "investment": self.investment, "value": self.value,
                "honesty_range": list(self.honesty_range),
                "investment_range": list(self.investment_range)}


@dataclass(frozen=True)
class LeverMap:
    """Every objective over the honesty × investment grid, and the three optima."""

    honesty: np.ndarray  # (nh,)
    investment: np.ndarray  # (ni,)
    grid: dict[str, np.ndarray]  # objective → (nh, ni)
    optima: dict[str, Optimum]
    board_weight: float
    tenure_years: float
    horizon_years: int
    current_honesty: float
    current_investment: float

    def to_dict(self) -> dict[str, object]:
        return {k: self.optima[k].to_dict() for k in OBJECTIVES}


class Objectives:
    """The three objectives at any (honesty, investment) pairs; the status quo simulated once."""

    def __init__(self, values: Mapping[str, object], baseline: Baseline | None = None):
        self.values = validate(values)
        self.baseline = baseline
        sq = simulate(status_quo_of(self.values), baseline)
        self.sq_discounted = sq.discounted_profit  # (1, H)
        self.sq_npv = sq.npv  # (1,)
        self.tenure_month = int(tenure_months(self.values["tenure_years"],
                                              sq.horizon_months).ravel()[0])
        self.board_weight = float(self.values["board_weight"])
        self.evaluations = 0

    def __call__(self, honesty: np.ndarray, investment: np.ndarray) -> dict[str, np.ndarray]:
        h, k = np.broadcast_arrays(np.asarray(honesty, float).ravel(),
                                   np.asarray(investment, float).ravel())
        parts = [self._chunk(h[i:i + CHUNK], k[i:i + CHUNK]) for i in range(0, h.size, CHUNK)]
        self.evaluations += h.size
        return {key: np.concatenate([p[key] for p in parts]) for key in OBJECTIVES}

    def _chunk(self, h: np.ndarray, k: np.ndarray) -> dict[str, np.ndarray]:
        sc = simulate({**self.values, "honesty": h, "investment": k}, self.baseline)
        tm = self.tenure_month
        inside = (sc.discounted_profit[:, :tm] - self.sq_discounted[:, :tm]).sum(axis=1)
        delta_npv = sc.npv - self.sq_npv
        return {"company": delta_npv, "tenure": inside,
                "board": inside + self.board_weight * (delta_npv - inside)}


def _refine(f: Objectives, key: str, h0: float, k0: float, top: float,
            dk: float) -> tuple[float, float]:
    """Bounded Nelder–Mead on (honesty, investment / top) from a grid point."""
    def neg(u: np.ndarray) -> float:
        return -float(f(np.array([u[0]]), np.array([u[1] * top]))[key][0])

    x0 = np.array([h0, k0 / top])
    step = np.array([0.05 if h0 <= 0.5 else -0.05, dk / top if k0 + dk <= top else -dk / top])
    simplex = np.array([x0, x0 + [step[0], 0.0], x0 + [0.0, step[1]]])
    res = minimize(neg, x0, method="Nelder-Mead", bounds=[(0.0, 1.0), (0.0, 1.0)],
                   options={"initial_simplex": simplex, "xatol": 1e-6, "fatol": 1e-3,
                            "maxfev": 400})
    return float(np.clip(res.x[0], 0, 1)), float(np.clip(res.x[1], 0, 1) * top)


def near_range(xs: np.ndarray, ys: np.ndarray, at: float, threshold: float,
               exact: Callable[[float], float] | None = None) -> tuple[float, float]:
    """The interval of x around ``at`` on which y ≥ threshold.

    ``xs`` is sorted and contains ``at``. Each interior edge lies between the last grid point
    inside and the first outside: with ``exact`` (x → y) Brent's method finds where y crosses the
    threshold there; without it, linear interpolation.
    """
    i = int(np.flatnonzero(xs == at)[0])
    ok = ys >= threshold
    lo = i
    while lo > 0 and ok[lo - 1]:
        lo -= 1
    hi = i
    while hi < len(xs) - 1 and ok[hi + 1]:
        hi += 1

    def edge(inside: int, outside: int) -> float:
        y_in, y_out = ys[inside], ys[outside]
        if exact is not None and y_in >= threshold > y_out:
            return float(brentq(lambda x: exact(x) - threshold, xs[inside], xs[outside],
                                xtol=1e-9 * max(abs(xs[outside]), 1e-9), rtol=1e-12))
        t = (y_in - threshold) / (y_in - y_out) if y_in != y_out else 0.0
        return float(xs[inside] + t * (xs[outside] - xs[inside]))

    left = float(xs[lo]) if lo == 0 else edge(lo, lo - 1)
    right = float(xs[hi]) if hi == len(xs) - 1 else edge(hi, hi + 1)
    return left, right


def near_tolerance(best: float, spread: float) -> float:
    """How far below the best still counts as "as good": 1 % of the best; when the best is zero
    (nothing to gain: "do nothing" is best), 0.1 % of the objective's spread on the grid."""
    if abs(best) > 1e-9 * spread:
        return NEAR * abs(best)
    return 0.1 * NEAR * spread


def _ranges(f: Objectives, key: str, h: float, k: float, value: float, tol: float,
            top: float, scale: float) -> tuple[tuple[float, float], tuple[float, float]]:
    hs = np.union1d(np.linspace(0.0, 1.0, 201), [h])
    ks = np.union1d(investment_grid(top, scale, FINE_PER_DECADE), [k])
    y_h = f(hs, np.full(hs.size, k))[key]
    y_k = f(np.full(ks.size, h), ks)[key]
    threshold = value - tol

    def at_honesty(x: float) -> float:
        return float(f(np.array([x]), np.array([k]))[key][0])

    def at_investment(x: float) -> float:
        return float(f(np.array([h]), np.array([x]))[key][0])

    return (near_range(hs, y_h, h, threshold, at_honesty),
            near_range(ks, y_k, k, threshold, at_investment))


def optimise_levers(values: Mapping[str, object], baseline: Baseline | None = None
                    ) -> LeverMap:
    """The best honesty and investment for the company, the CEO and the board (see above)."""
    f = Objectives(values, baseline)
    full = f.values
    top = float(BY_NAME["investment"].max)
    hs = np.linspace(0.0, 1.0, 11)
    scale = float(full["fix_half_investment"])
    ks = investment_grid(top, scale, COARSE_PER_DECADE)
    H, K = np.meshgrid(hs, ks, indexing="ij")
    coarse = f(H, K)
    relevant = 10.0 * max(scale, float(full["investment"]))
    optima = {}
    for key in OBJECTIVES:
        y = coarse[key]
        i = int(np.argmax(y))
        h0, k0, best = float(H.flat[i]), float(K.flat[i]), float(y[i])
        j = i % ks.size
        dk = float(ks[min(j + 1, ks.size - 1)] - ks[max(j - 1, 0)]) / 2 or top / 1e5
        h1, k1 = _refine(f, key, h0, k0, top, dk)
        v1 = float(f(np.array([h1]), np.array([k1]))[key][0])
        if v1 > best:
            h0, k0, best = h1, k1, v1
        at_stake = y[K.ravel() <= relevant]  # the spread where this business invests, not 10¹¹
        tol = near_tolerance(best, float(at_stake.max()) - float(at_stake.min()))
        h_range, k_range = _ranges(f, key, h0, k0, best, tol, top, scale)
        optima[key] = Optimum(key, h0, k0, best, h_range, k_range)
    widest = max(max(o.investment_range[1], o.investment) for o in optima.values())
    span = min(top, nice_ceiling(max(1.25 * widest, 4.0 * float(full["fix_half_investment"]),
                                     float(full["investment"]))))
    heat_h = np.linspace(0.0, 1.0, HEAT_HONESTY)
    heat_k = np.linspace(0.0, span, HEAT_INVESTMENT)
    HH, KK = np.meshgrid(heat_h, heat_k, indexing="ij")
    heat = {k: v.reshape(HH.shape) for k, v in f(HH, KK).items()}
    return LeverMap(heat_h, heat_k, heat, optima, f.board_weight, float(full["tenure_years"]),
                    int(full["horizon_years"]), float(full["honesty"]),
                    float(full["investment"]))
