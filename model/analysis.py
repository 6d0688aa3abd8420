"""Decision analysis: Monte Carlo odds, tornado sensitivity, break-even effects, optimal investment.

Pure numpy/scipy on top of ``model.simulate`` (no Streamlit). Every function takes a complete
scenario (``values``) and an optional calibrated ``Baseline``; the status quo is always simulated
with the same draws as the scenario, because business assumptions vary per draw too.

Assumptions of the methods, stated once:

- Uncertainty: each uncertain assumption has low / likely / high (registry ``Assumption.low`` and
  ``.high``; likely = the scenario's value). Draws are independent across assumptions, from a PERT
  (Beta with λ = 4) or a triangular distribution; whole-number assumptions are rounded.
- Reproducibility: draws come in fixed blocks of ``BLOCK``; block k uses the generator
  ``numpy.random.default_rng([seed, k])``, so the same seed gives the same numbers however the
  work is split (and the first N draws are the same whatever the total), and memory stays
  bounded by one block of (BLOCK, months) arrays per worker.
- Break-even: the cumulative Δ discounted profit at every month is assumed non-decreasing in the
  chosen effect assumption (a stronger effect never hurts the switch). This holds for the effects
  offered in ``BREAK_EVEN_CHOICES``; the search brackets on a grid over the registry range and
  refines with Brent's method.
- Optimal investment: a geometric grid over the registry range of ``investment`` finds the best
  region, then a bounded scalar search between the neighbouring grid points refines it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize_scalar

from model.assumptions import BY_NAME, REGISTRY, ScenarioError, validate
from model.simulate import Baseline, Simulation, compare_batch, simulate, status_quo_of

DISTRIBUTIONS: tuple[str, ...] = ("pert", "triangular")
DEFAULT_DRAWS = 2_000
MAX_DRAWS = 20_000
BLOCK = 1_000  # draws simulated at once: bounds memory, fixes the random streams (see above)
MAX_WORKERS = 4  # threads for blocks; beyond the cores they only add memory
QUANTILES = (0.1, 0.5, 0.9)  # the fan chart's P10 / P50 / P90
# Taken from the calibrated baseline when there is one (model.simulate ignores them then).
DATA_GIVEN: tuple[str, ...] = ("customers", "arpu_monthly", "annual_churn")
# Effects for the break-even search: raising any of them never lowers the cumulative Δ.
BREAK_EVEN_CHOICES: tuple[str, ...] = (
    "fix_churn_reduction_max", "trust_churn_reduction_max", "trust_gain_honesty",
    "trust_gain_fixes", "referral_rate_full_trust", "trust_arpu_uplift_max",
    "disappointment_churn_share",
)
BREAK_EVEN_TARGETS: tuple[str, ...] = ("tenure", "horizon")


# --- uncertainty ranges -------------------------------------------------------------------------


@dataclass(frozen=True)
class Range:
    """Low / likely / high of one uncertain assumption, in its registry unit."""

    name: str
    low: float
    likely: float
    high: float

    @property
    def collapsed(self) -> bool:
        return self.low == self.high


def uncertain_names(baseline: Baseline | None = None) -> tuple[str, ...]:
    """Registry assumptions with a low/high range (minus those the calibrated data gives)."""
    return tuple(a.name for a in REGISTRY
                 if a.uncertain and not (baseline is not None and a.name in DATA_GIVEN))


def default_ranges(values: Mapping[str, object],
                   baseline: Baseline | None = None) -> tuple[Range, ...]:
    """Registry ranges around the scenario: likely = the scenario's value.

    When the scenario's value lies outside the registry's low..high (the user moved it), the
    range keeps its relative width around that value (low·x/default, high·x/default, clipped to
    the assumption's min..max) rather than pinning the likely value to an edge; for a value of
    zero, where a relative width means nothing, the range is stretched to include it.
    """
    full = validate(values)
    out = []
    for name in uncertain_names(baseline):
        a = BY_NAME[name]
        x = float(full[name])
        lo, hi = float(a.low), float(a.high)
        if not lo <= x <= hi:
            d = float(a.default)
            if d > 0 and x > 0:
                lo = x * min(lo / d, 1.0)
                hi = x * max(hi / d, 1.0)
            else:
                lo, hi = min(lo, x), max(hi, x)
            lo, hi = max(lo, a.min), min(hi, a.max)
            if a.kind == "int":
                lo, hi = float(math.floor(lo)), float(math.ceil(hi))
        out.append(Range(name, lo, x, hi))
    return tuple(out)


def collapse(ranges: Iterable[Range]) -> tuple[Range, ...]:
    """Every range shrunk to its likely value (Monte Carlo then equals the deterministic run)."""
    return tuple(Range(r.name, r.likely, r.likely, r.likely) for r in ranges)


def _plain(name: str, x: float) -> str:
    return f"{x:g}"


def _number(name: str, column: str, value: object, show: Callable[[str, float], str]) -> float:
    a = BY_NAME[name]
    allowed = f"from {show(name, a.min)} to {show(name, a.max)}"
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float, np.number)) \
            or not math.isfinite(float(value)):
        raise ScenarioError(f"{a.label}: {column} is empty or not a number; enter a value "
                            f"{allowed}", key=name)
    x = float(value)
    if a.kind == "int":
        x = float(round(x))
    if x < a.min or x > a.max:
        raise ScenarioError(f"{a.label}: {column} {show(name, x)} is outside the allowed range; "
                            f"enter a value {allowed}", key=name)
    return x


def validate_ranges(rows: Iterable[Mapping[str, object]],
                    show: Callable[[str, float], str] = _plain) -> tuple[Range, ...]:
    """Check edited rows (``name``, ``low``, ``likely``, ``high``) and return them as Ranges.

    Whole-number assumptions are rounded. Raises ScenarioError with one sentence naming the
    assumption, what is wrong and how to fix it; ``show(name, x)`` writes values in messages
    (the page passes one that writes fractions as percentages, as its table shows them).
    """
    out, seen = [], set()
    for row in rows:
        name = row.get("name")
        a = BY_NAME.get(name) if isinstance(name, str) else None
        if a is None or not a.uncertain:
            raise ScenarioError(f"{name!r} is not an uncertain assumption; known: "
                                f"{', '.join(uncertain_names())}", key=str(name))
        if name in seen:
            raise ScenarioError(f"{a.label} appears twice; keep one row", key=name)
        seen.add(name)
        lo, li, hi = (_number(name, c, row.get(c), show) for c in ("low", "likely", "high"))
        if not lo <= li <= hi:
            raise ScenarioError(f"{a.label}: low {show(name, lo)}, likely {show(name, li)} and "
                                f"high {show(name, hi)} are out of order; make low ≤ likely ≤ "
                                f"high", key=name)
        out.append(Range(name, lo, li, hi))
    return tuple(out)


# --- sampling -----------------------------------------------------------------------------------


def _draw(rng: np.random.Generator, r: Range, n: int, distribution: str) -> np.ndarray:
    if r.collapsed:
        return np.full(n, float(r.likely))  # exactly the likely value: no rounding noise
    width = r.high - r.low
    if distribution == "pert":
        alpha = 1.0 + 4.0 * (r.likely - r.low) / width
        beta = 1.0 + 4.0 * (r.high - r.likely) / width
        x = r.low + width * rng.beta(alpha, beta, n)
    elif distribution == "triangular":
        x = rng.triangular(r.low, r.likely, r.high, n)
    else:
        raise ValueError(f"distribution must be one of {', '.join(DISTRIBUTIONS)}")
    if BY_NAME[r.name].kind == "int":
        x = np.rint(x)
    return x


def n_blocks(draws: int) -> int:
    return -(-draws // BLOCK)


def sample_block(ranges: Sequence[Range], draws: int, seed: int, distribution: str,
                 block: int) -> dict[str, np.ndarray]:
    """The draws of block ``block`` (draws block·BLOCK … up to ``draws``), one array per range."""
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"distribution must be one of {', '.join(DISTRIBUTIONS)}")
    n = min(BLOCK, draws - block * BLOCK)
    if n <= 0:
        raise ValueError(f"block {block} is beyond {draws} draws")
    rng = np.random.default_rng([int(seed), int(block)])
    # Always a full block per range, then cut: the first N draws are the same for any total ≥ N.
    return {r.name: _draw(rng, r, BLOCK, distribution)[:n] for r in ranges}


def sample(ranges: Sequence[Range], draws: int, seed: int = 0,
           distribution: str = "pert") -> dict[str, np.ndarray]:
    """All draws, shape (draws,) per range."""
    blocks = [sample_block(ranges, draws, seed, distribution, k) for k in range(n_blocks(draws))]
    return {r.name: np.concatenate([b[r.name] for b in blocks]) for r in ranges}


# --- Monte Carlo --------------------------------------------------------------------------------


def _pair(batch: Mapping[str, object], baseline: Baseline | None
          ) -> tuple[Simulation, Simulation, dict[str, np.ndarray]]:
    """Status quo and scenario for the same batch of assumption sets, and their comparison."""
    sq = simulate(status_quo_of(batch), baseline)
    sc = simulate(batch, baseline)
    return sq, sc, compare_batch(sq, sc, batch["tenure_years"])


@dataclass(frozen=True)
class Block:
    """Results of one block of draws."""

    delta_npv: np.ndarray  # (n,)
    delta_inside_tenure: np.ndarray  # (n,)
    payback_month: np.ndarray  # (n,) 1-based, NaN = not within the horizon
    tenure_month: np.ndarray  # (n,)
    # (H, n): cumulative Δ discounted profit, month-major so the per-month quantiles over all
    # draws read contiguous rows (twice as fast as quantiles down the columns of (n, H))
    cumulative_delta_by_month: np.ndarray


def run_block(values: Mapping[str, object], baseline: Baseline | None,
              ranges: Sequence[Range], draws: int, seed: int, distribution: str,
              block: int) -> Block:
    """Simulate block ``block`` of the Monte Carlo (see ``sample_block``)."""
    full = validate(values)
    batch = {**full, **sample_block(ranges, draws, seed, distribution, block)}
    sq, sc, cmp = _pair(batch, baseline)
    return Block(delta_npv=cmp["delta_npv"], delta_inside_tenure=cmp["delta_inside_tenure"],
                 payback_month=cmp["payback_month"], tenure_month=cmp["tenure_month"],
                 cumulative_delta_by_month=np.ascontiguousarray(
                     np.cumsum(sc.discounted_profit - sq.discounted_profit, axis=1).T))


@dataclass(frozen=True)
class MonteCarlo:
    """The odds of the switch under uncertainty (money discounted to today, months 1-based)."""

    draws: int
    seed: int
    distribution: str
    horizon_months: int
    tenure_month: int  # of the scenario (tenure is a lever, not drawn)
    delta_npv: np.ndarray  # (draws,)
    delta_inside_tenure: np.ndarray  # (draws,)
    payback_month: np.ndarray  # (draws,), NaN = not within the horizon
    fan: np.ndarray  # (3, H): P10, P50, P90 of the cumulative Δ by month
    p_payback_inside_tenure: float
    p_payback_inside_horizon: float
    p_delta_npv_positive: float

    def quantiles(self, x: np.ndarray) -> dict[str, float]:
        return {f"p{round(100 * q)}": float(v) for q, v in zip(QUANTILES, np.quantile(x, QUANTILES),
                                                                strict=True)}

    def to_dict(self) -> dict[str, object]:
        paid = self.payback_month[~np.isnan(self.payback_month)]
        return {
            "draws": self.draws, "seed": self.seed, "distribution": self.distribution,
            "tenure_month": self.tenure_month, "horizon_months": self.horizon_months,
            "p_payback_inside_tenure": self.p_payback_inside_tenure,
            "p_payback_inside_horizon": self.p_payback_inside_horizon,
            "p_delta_npv_positive": self.p_delta_npv_positive,
            "delta_npv": self.quantiles(self.delta_npv),
            "delta_inside_tenure": self.quantiles(self.delta_inside_tenure),
            "payback_month_when_it_pays_back": self.quantiles(paid) if paid.size else None,
        }


def summarise(blocks: Sequence[Block], draws: int, seed: int, distribution: str) -> MonteCarlo:
    """Combine blocks into probabilities and fan bands (quantiles over all draws per month)."""
    cat = {k: np.concatenate([getattr(b, k) for b in blocks])
           for k in ("delta_npv", "delta_inside_tenure", "payback_month", "tenure_month")}
    cum = np.concatenate([b.cumulative_delta_by_month for b in blocks], axis=1)  # (H, draws)
    payback = cat["payback_month"]
    paid = ~np.isnan(payback)
    inside = paid & (np.where(paid, payback, np.inf) <= cat["tenure_month"])
    return MonteCarlo(
        draws=draws, seed=seed, distribution=distribution, horizon_months=cum.shape[0],
        tenure_month=int(cat["tenure_month"][0]),
        delta_npv=cat["delta_npv"], delta_inside_tenure=cat["delta_inside_tenure"],
        payback_month=payback, fan=np.quantile(cum, QUANTILES, axis=1),
        p_payback_inside_tenure=float(inside.mean()),
        p_payback_inside_horizon=float(paid.mean()),
        p_delta_npv_positive=float((cat["delta_npv"] > 0).mean()),
    )


def check_draws(draws: int) -> int:
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or not (
            1 <= draws <= MAX_DRAWS):
        raise ScenarioError(f"draws: {draws!r} is not allowed; expected a whole number from 1 "
                            f"to {MAX_DRAWS:,}", key="draws")
    return int(draws)


def check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not (
            0 <= seed < 2**63):
        raise ScenarioError(f"seed: {seed!r} is not allowed; expected a whole number from 0 "
                            f"to {2**63 - 1}", key="seed")
    return int(seed)


def monte_carlo(values: Mapping[str, object], baseline: Baseline | None = None,
                ranges: Sequence[Range] | None = None, draws: int = DEFAULT_DRAWS,
                seed: int = 0, distribution: str = "pert",
                progress: Callable[[int, int], None] | None = None,
                workers: int | None = None) -> MonteCarlo:
    """Draw the uncertain assumptions, simulate status quo and scenario for each draw.

    ``ranges`` defaults to ``default_ranges(values, baseline)``; ``progress(done, total)`` is
    called after each block. Blocks run on ``workers`` threads (default: one per core, at most
    ``MAX_WORKERS``): numpy releases the GIL inside its array operations, and each block has its
    own random stream, so the numbers do not depend on the threads.
    """
    draws, seed = check_draws(draws), check_seed(seed)
    ranges = default_ranges(values, baseline) if ranges is None else tuple(ranges)
    full = validate(values)
    total = n_blocks(draws)
    workers = max(1, min(workers or os.cpu_count() or 1, MAX_WORKERS, total))

    def one(k: int) -> Block:
        return run_block(full, baseline, ranges, draws, seed, distribution, k)

    blocks: list[Block] = []
    if workers == 1:
        for k in range(total):
            blocks.append(one(k))
            if progress is not None:
                progress(k + 1, total)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for k, block in enumerate(pool.map(one, range(total))):
                blocks.append(block)
                if progress is not None:
                    progress(k + 1, total)
    return summarise(blocks, draws, seed, distribution)


def histogram(x: np.ndarray, bins: int = 40) -> pd.DataFrame:
    """Counts of ``x`` in equal-width bins: start, end, count, share (for the ΔNPV chart)."""
    counts, edges = np.histogram(np.asarray(x, dtype=float), bins=bins)
    return pd.DataFrame({"start": edges[:-1], "end": edges[1:], "count": counts,
                         "share": counts / max(counts.sum(), 1)})


def fan_table(mc: MonteCarlo) -> pd.DataFrame:
    """The fan bands by month: month, years, p10, p50, p90."""
    months = np.arange(1, mc.horizon_months + 1)
    return pd.DataFrame({"month": months, "years": months / 12.0,
                         "p10": mc.fan[0], "p50": mc.fan[1], "p90": mc.fan[2]})


# --- sensitivity: tornado -----------------------------------------------------------------------


@dataclass(frozen=True)
class TornadoRow:
    """ΔNPV and Δ inside tenure with one assumption at its low and at its high end."""

    name: str
    low: float
    likely: float
    high: float
    delta_npv_low: float
    delta_npv_high: float
    delta_inside_tenure_low: float
    delta_inside_tenure_high: float

    def swing(self, metric: str = "delta_npv") -> float:
        return abs(getattr(self, f"{metric}_high") - getattr(self, f"{metric}_low"))

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "label": BY_NAME[self.name].label,
                **{k: getattr(self, k) for k in self.__dataclass_fields__ if k != "name"},
                "swing_delta_npv": self.swing("delta_npv"),
                "swing_delta_inside_tenure": self.swing("delta_inside_tenure")}


@dataclass(frozen=True)
class Tornado:
    base_delta_npv: float  # every assumption at its likely value
    base_delta_inside_tenure: float
    rows: tuple[TornadoRow, ...] = field(default_factory=tuple)

    def sorted(self, metric: str = "delta_npv") -> list[TornadoRow]:
        """Rows by swing, largest first (ties keep registry order)."""
        return sorted(self.rows, key=lambda r: -r.swing(metric))


def base_values(values: Mapping[str, object], ranges: Iterable[Range]) -> dict[str, object]:
    """The scenario with each ranged assumption at its likely value."""
    full = validate(values)
    for r in ranges:
        full[r.name] = int(r.likely) if BY_NAME[r.name].kind == "int" else float(r.likely)
    return full


def tornado(values: Mapping[str, object], baseline: Baseline | None = None,
            ranges: Sequence[Range] | None = None) -> Tornado:
    """One batch: the base case, then each assumption at its low and its high end."""
    ranges = default_ranges(values, baseline) if ranges is None else tuple(ranges)
    base = base_values(values, ranges)
    n = 1 + 2 * len(ranges)
    batch = {k: np.full(n, float(v)) for k, v in base.items()}
    for i, r in enumerate(ranges):
        batch[r.name][1 + 2 * i] = r.low
        batch[r.name][2 + 2 * i] = r.high
    _, _, cmp = _pair(batch, baseline)
    npv, tenure = cmp["delta_npv"], cmp["delta_inside_tenure"]
    rows = tuple(TornadoRow(r.name, r.low, r.likely, r.high,
                            float(npv[1 + 2 * i]), float(npv[2 + 2 * i]),
                            float(tenure[1 + 2 * i]), float(tenure[2 + 2 * i]))
                 for i, r in enumerate(ranges))
    return Tornado(float(npv[0]), float(tenure[0]), rows)


# --- break-even ---------------------------------------------------------------------------------


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
    sq, sc, cmp = _pair(batch, baseline)
    cum = np.cumsum(sc.discounted_profit - sq.discounted_profit, axis=1)
    month = int(cmp["tenure_month"][0]) if target == "tenure" else cum.shape[1]
    return cum[:, month - 1:].min(axis=1), month


def break_even(values: Mapping[str, object], name: str, target: str = "tenure",
               baseline: Baseline | None = None, grid: int = 41) -> BreakEven:
    """Bracket on a grid over the registry min..max of ``name``, then refine with Brent's method.

    Relies on the margin being non-decreasing in ``name`` (see the module docstring); returns the
    first crossing on the grid.
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


# --- investment optimiser -----------------------------------------------------------------------


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
    _, _, cmp = _pair(batch, baseline)
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

    Search: 0 plus a geometric grid from registry max / 10⁵ to the registry max of ``investment``
    (returns diminish as K / (K + K_half), so the optimum's scale is unknown in advance), then a
    bounded refinement. The chart's points run evenly from 0 to a range that shows both optima
    and the current investment.
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
    span = min(top, _nice_ceiling(span))
    grid = np.linspace(float(a.min), span, points)
    g_npv, g_tenure = investment_effects(full, grid, baseline)
    return InvestmentCurve(grid, g_npv, g_tenure, bh, bh_y, bt, bt_y, current,
                           float(full["tenure_years"]), int(full["horizon_years"]))


def _nice_ceiling(x: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least ``x`` (round chart ranges)."""
    if x <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * power >= x * (1 - 1e-12):
            return m * power
    return 10.0 * power


# --- everything at once (the analyze command) ---------------------------------------------------


def analyze(values: Mapping[str, object], baseline: Baseline | None = None,
            draws: int = DEFAULT_DRAWS, seed: int = 0, distribution: str = "pert"
            ) -> dict[str, object]:
    """Everything the command line prints, as plain data."""
    ranges = default_ranges(values, baseline)
    mc = monte_carlo(values, baseline, ranges, draws, seed, distribution)
    torn = tornado(values, baseline, ranges)
    return {
        "monte_carlo": mc.to_dict(),
        "tornado": {
            "base_delta_npv": torn.base_delta_npv,
            "base_delta_inside_tenure": torn.base_delta_inside_tenure,
            "rows": [r.to_dict() for r in torn.sorted("delta_npv")],
        },
        "break_even": {name: {t: break_even(values, name, t, baseline).to_dict()
                              for t in BREAK_EVEN_TARGETS} for name in BREAK_EVEN_CHOICES},
        "optimal_investment": optimise_investment(values, baseline).to_dict(),
    }
