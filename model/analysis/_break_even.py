"""Break-even: the payback-by-month search on the effects, and goal seek on any numeric assumption.

- ``break_even`` (kept from the first version): the smallest value of an effect at which the
  switch pays back by the tenure end or within the horizon. No monotonicity is assumed: churn
  shares compete (a larger ``fix_churn_reduction_max`` or ``disappointment_churn_share`` leaves
  less churn for trust to prevent), so paying values need not form one interval. A grid over the
  registry range brackets the first sign change from "does not pay back" to "pays back", and
  Brent's method refines the root inside it. A crossing narrower than the grid step can be
  missed (41 points: 2.5 % of the range).
- ``goal_seek``: the value of any numeric assumption at which one of three figures is exactly
  zero — Δ inside the tenure, ΔNPV over the horizon (with the end value when the scenario counts
  it), or ΔNPV in cash (without the end value). No monotonicity is assumed: a grid over the
  registry range finds every sign change, the one nearest the scenario's value is refined with
  Brent's method. On ``discount_rate_annual`` the horizon root is the switch's internal rate of
  return, and the cash root the IRR of the Δ cash flows alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from model.analysis._ranges import DATA_GIVEN, calibrated
from model.assumptions import BY_NAME, REGISTRY, ScenarioError, validate
from model.simulation import Baseline, simulate_pair

# Effects for the break-even search: the customer responses that carry the switch. Raising one
# usually raises the cumulative Δ, but not always (competing churn shares; see the docstring).
BREAK_EVEN_CHOICES: tuple[str, ...] = (
    "fix_churn_reduction_max", "trust_churn_reduction_max", "trust_gain_honesty",
    "trust_gain_fixes", "referral_rate_full_trust", "trust_arpu_uplift_max",
    "disappointment_churn_share",
)
BREAK_EVEN_TARGETS: tuple[str, ...] = ("tenure", "horizon")
# Goal seek: target → the figure of the comparison (model.simulation.simulate_pair) that must be zero.
GOAL_TARGETS: dict[str, str] = {
    "inside_tenure": "delta_inside_tenure",
    "horizon": "delta_npv",
    "cash": "delta_npv_excl_terminal",
}
GOAL_GRID = 81  # points of the bracketing grid over the registry range


@dataclass(frozen=True)
class BreakEven:
    """The smallest value of ``name`` at which the switch pays back by the target month."""

    name: str
    target: str  # "tenure" (pays back by the tenure end) or "horizon" (within the horizon)
    status: str  # "reachable", "already" (even the smallest value does) or "unreachable"
    value: float | None  # None when unreachable within the registry range
    current: float  # the scenario's value
    lowest: float  # the registry range searched
    highest: float
    target_month: int

    def to_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _break_even_margin(values: Mapping[str, object], baseline: Baseline | None, name: str,
                       target: str, xs: np.ndarray) -> tuple[np.ndarray, int]:
    """How far the cumulative Δ stays above zero from the target month on, for each x.

    ≥ 0 exactly when the switch pays back by the target month (payback is the first month from
    which the cumulative Δ stays ≥ 0): by the tenure end → min of cumulative Δ from the tenure
    month on; within the horizon → the cumulative Δ at the horizon end.
    """
    batch: dict[str, object] = dict(values)
    batch[name] = np.asarray(xs, dtype=float)
    sq, sc, cmp = simulate_pair(batch, baseline)
    cum = np.cumsum(sc.discounted_profit - sq.discounted_profit, axis=1)
    month = int(cmp["tenure_month"][0]) if target == "tenure" else cum.shape[1]
    return cum[:, month - 1:].min(axis=1), month


def break_even(values: Mapping[str, object], name: str, target: str = "tenure",
               baseline: Baseline | None = None, grid: int = 41) -> BreakEven:
    """Bracket on a grid over the registry min..max of ``name``, then refine with Brent's method.

    Returns the smallest paying value: "already" when the lowest value pays back, otherwise
    the root inside the first bracket where the margin turns from negative to ≥ 0 (higher values
    may stop paying back again when the response is not monotone; see the module docstring).
    """
    if name not in BY_NAME or BY_NAME[name].kind != "float":
        raise ScenarioError(f"{name!r} cannot be searched; choose one of "
                            f"{', '.join(BREAK_EVEN_CHOICES)}", key=name)
    if target not in BREAK_EVEN_TARGETS:
        raise ValueError(f"target must be one of {', '.join(BREAK_EVEN_TARGETS)}")
    full = validate(values)
    a = BY_NAME[name]
    lo, hi = float(a.min), float(a.max)
    xs = np.linspace(lo, hi, grid)
    margin, month = _break_even_margin(full, baseline, name, target, xs)
    common = {"name": name, "target": target, "current": float(full[name]), "lowest": lo,
              "highest": hi, "target_month": month}
    ok = np.flatnonzero(margin >= 0)
    if ok.size == 0:
        return BreakEven(status="unreachable", value=None, **common)
    i = int(ok[0])
    if i == 0:
        return BreakEven(status="already", value=lo, **common)

    def f(x: float) -> float:
        return float(_break_even_margin(full, baseline, name, target, np.array([x]))[0][0])

    a_x, b_x = float(xs[i - 1]), float(xs[i])
    tol = 1e-12 * max(hi - lo, 1.0)
    x = brentq(f, a_x, b_x, xtol=tol, rtol=1e-14)
    # Brent stops within tol of the root: step up onto the paying side if it landed just short.
    for _ in range(60):
        if f(x) >= 0 or x >= b_x:
            break
        x = min(b_x, x + tol)
        tol *= 2
    return BreakEven(status="reachable", value=float(x), **common)


# --- goal seek ----------------------------------------------------------------------------------


def goal_seek_choices(baseline: Baseline | None = None) -> tuple[str, ...]:
    """Numeric assumptions a goal seek may move (not the horizon, which sets the months)."""
    return tuple(a.name for a in REGISTRY
                 if a.kind != "bool" and a.group != "analysis" and a.name != "horizon_years"
                 and not (calibrated(baseline) and a.name in DATA_GIVEN))


@dataclass(frozen=True)
class GoalSeek:
    """Values of ``name`` at which the switch breaks even; None = no break-even in the range."""

    name: str
    current: float  # the scenario's value
    lowest: float  # the registry range searched
    highest: float
    inside_tenure: float | None  # Δ inside the tenure = 0
    horizon: float | None  # ΔNPV over the horizon = 0 (the IRR on the discount rate)
    cash: float | None  # ΔNPV without the end value = 0
    crossings: tuple[tuple[str, int], ...] = ()  # sign changes seen on the grid per target
    # Where there is no root: "gains" or "loses" (the sign over the whole range) or "flat".
    no_root: tuple[tuple[str, str], ...] = ()

    def value(self, target: str) -> float | None:
        return getattr(self, target)

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, **{t: self.value(t) for t in GOAL_TARGETS},
                "current": self.current, "lowest": self.lowest, "highest": self.highest,
                "crossings": dict(self.crossings)}


def goal_grid(name: str) -> np.ndarray:
    """Even points over the registry range, plus geometric ones when it spans many decades."""
    a = BY_NAME[name]
    lo, hi = float(a.min), float(a.max)
    xs = np.linspace(lo, hi, GOAL_GRID)
    if lo >= 0 and hi > 0 and hi / max(lo, hi * 1e-9) > 1e3:  # e.g. money from 0 to 10⁸
        xs = np.union1d(xs, np.geomspace(max(lo, hi * 1e-6), hi, GOAL_GRID))
    return xs


def goal_figures(values: Mapping[str, object], baseline: Baseline | None, name: str,
                 xs: np.ndarray) -> dict[str, np.ndarray]:
    """The three break-even figures for ``name`` at each of ``xs`` (one batch)."""
    batch: dict[str, object] = dict(values)
    batch[name] = np.asarray(xs, dtype=float)
    _, _, cmp = simulate_pair(batch, baseline)
    return {t: np.asarray(cmp[k], dtype=float) for t, k in GOAL_TARGETS.items()}


def _root(values: Mapping[str, object], baseline: Baseline | None, name: str, target: str,
          xs: np.ndarray, y: np.ndarray, current: float) -> tuple[float | None, int]:
    """The root nearest ``current`` among the sign changes of ``y`` on ``xs``, and their count."""
    scale = float(np.max(np.abs(y))) if y.size else 0.0
    if scale == 0.0:
        return None, 0  # the assumption does not move this figure at all
    exact = np.flatnonzero(y == 0)
    changes = np.flatnonzero(np.sign(y[:-1]) * np.sign(y[1:]) < 0)
    candidates = [(float(xs[i]), None) for i in exact] + [
        (0.5 * (xs[i] + xs[i + 1]), i) for i in changes]
    if not candidates:
        return None, 0
    mid, i = min(candidates, key=lambda c: (abs(c[0] - current), c[0]))
    if i is None:
        return mid, len(candidates)

    def f(x: float) -> float:
        return float(goal_figures(values, baseline, name, np.array([x]))[target][0])

    a, b = float(xs[i]), float(xs[i + 1])
    x = brentq(f, a, b, xtol=1e-13 * max(abs(b), 1.0), rtol=1e-15, maxiter=200)
    return float(x), len(candidates)


def goal_seek(values: Mapping[str, object], name: str, baseline: Baseline | None = None
              ) -> GoalSeek:
    """Break-even values of ``name`` inside the tenure, over the horizon and in cash."""
    choices = goal_seek_choices(baseline)
    if name not in choices:
        raise ScenarioError(f"goal seek: {name!r} cannot be searched; choose one of "
                            f"{', '.join(choices)}", key=name)
    full = validate(values)
    a = BY_NAME[name]
    xs = goal_grid(name)
    ys = goal_figures(full, baseline, name, xs)
    current = float(full[name])
    found, crossings, no_root = {}, [], []
    for target in GOAL_TARGETS:
        y = ys[target]
        found[target], n = _root(full, baseline, name, target, xs, y, current)
        crossings.append((target, n))
        if found[target] is None:
            no_root.append((target, "gains" if np.all(y > 0) else "loses" if np.all(y < 0)
                            else "flat"))
    return GoalSeek(name=name, current=current, lowest=float(a.min), highest=float(a.max),
                    crossings=tuple(crossings), no_root=tuple(no_root), **found)
