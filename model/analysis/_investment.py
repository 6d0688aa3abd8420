"""The investment alone: ΔNPV and Δ inside the tenure against the investment, honesty fixed.

A geometric grid over the registry range of ``investment`` finds the best region (returns
diminish as K / (K + K½), so the optimum's scale is unknown in advance), then a bounded scalar
search between the neighbouring grid points refines it. The two levers together are
``model.analysis._optimise``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

from model.assumptions import BY_NAME, validate
from model.simulation import Baseline, simulate_pair


@dataclass(frozen=True)
class InvestmentCurve:
    """ΔNPV (over the horizon) and Δ inside tenure as functions of the investment."""

    investment: np.ndarray  # evenly spaced points for the chart
    delta_npv: np.ndarray
    delta_inside_tenure: np.ndarray
    best_for_horizon: float  # the investment that maximises ΔNPV
    best_delta_npv: float
    best_for_tenure: float  # the investment that maximises Δ inside tenure
    best_delta_inside_tenure: float
    current: float
    tenure_years: float
    horizon_years: int

    def to_dict(self) -> dict[str, object]:
        return {
            "over_horizon": {"investment": self.best_for_horizon,
                             "delta_npv": self.best_delta_npv},
            "inside_tenure": {"investment": self.best_for_tenure,
                              "delta_inside_tenure": self.best_delta_inside_tenure},
            "current_investment": self.current,
            "tenure_years": self.tenure_years, "horizon_years": self.horizon_years,
        }


def investment_effects(values: Mapping[str, object], investments: np.ndarray,
                       baseline: Baseline | None = None) -> tuple[np.ndarray, np.ndarray]:
    """ΔNPV and Δ inside tenure for each investment (one batch)."""
    batch: dict[str, object] = dict(validate(values))
    batch["investment"] = np.asarray(investments, dtype=float)
    _, _, cmp = simulate_pair(batch, baseline)
    return cmp["delta_npv"], cmp["delta_inside_tenure"]


def _refine(values: Mapping[str, object], baseline: Baseline | None, grid: np.ndarray,
            y: np.ndarray, which: int) -> tuple[float, float]:
    """Bounded search between the grid neighbours of the best grid point."""
    i = int(np.argmax(y))
    best_x, best_y = float(grid[i]), float(y[i])
    lo, hi = float(grid[max(i - 1, 0)]), float(grid[min(i + 1, len(grid) - 1)])
    if hi > lo:
        def neg(x: float) -> float:
            return -float(investment_effects(values, np.array([x]), baseline)[which][0])

        res = minimize_scalar(neg, bounds=(lo, hi), method="bounded",
                              options={"xatol": max(1e-6 * hi, 1.0)})
        if -res.fun > best_y:  # refinement never makes the answer worse than the grid's
            best_x, best_y = float(res.x), float(-res.fun)
    return best_x, best_y


def optimise_investment(values: Mapping[str, object], baseline: Baseline | None = None,
                        points: int = 161, search_points: int = 400) -> InvestmentCurve:
    """The investments that maximise ΔNPV over the horizon and Δ inside the tenure.

    Search: 0 plus a geometric grid from registry max / 10⁵ to the registry max, then a bounded
    refinement. The chart's points run evenly from 0 to a range that shows both optima and the
    current investment.
    """
    full = validate(values)
    a = BY_NAME["investment"]
    top = float(a.max)
    search = np.concatenate([[float(a.min)], np.geomspace(top / 1e5, top, search_points)])
    npv, tenure = investment_effects(full, search, baseline)
    bh, bh_y = _refine(full, baseline, search, npv, 0)
    bt, bt_y = _refine(full, baseline, search, tenure, 1)
    current = float(full["investment"])
    span = max(2.0 * max(bh, bt, current), 4.0 * float(full["fix_half_investment"]))
    span = min(top, nice_ceiling(span))
    grid = np.linspace(float(a.min), span, points)
    g_npv, g_tenure = investment_effects(full, grid, baseline)
    return InvestmentCurve(grid, g_npv, g_tenure, bh, bh_y, bt, bt_y, current,
                           float(full["tenure_years"]), int(full["horizon_years"]))


def nice_ceiling(x: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least ``x`` (round chart ranges)."""
    if x <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * power >= x * (1 - 1e-12):
            return m * power
    return 10.0 * power
