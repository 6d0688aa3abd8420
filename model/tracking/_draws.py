"""The plan's Monte Carlo draws, kept whole: each draw's latent response r, its ΔNPV, Δ inside the
tenure and payback month, and its expected customers, churned and new customers, revenue and
cumulative Δ by month — what monthly actuals are weighed against.

The draws are ``model.analysis``'s (same blocks, same random streams, same seed): the first N
draws of a plan equal the first N of the Decision analysis page's Monte Carlo. ``pilot_share``
also simulates every draw with only that share of the investment (the staged plan's path before
the gate, and after it when the rest is not released), beside the same status quo.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from model.analysis import Range, block_batch, check_draws, check_seed, default_ranges, n_blocks
from model.assumptions import validate
from model.simulation import Baseline, Simulation, simulate, status_quo_of, tenure_months

BLOCKS_AT_ONCE = 5  # as model.analysis: 5,000 draws share the monthly loop's numpy calls
MONTHLY = ("customers", "churned", "new_customers", "revenue", "cumulative_delta")
QUANTILES = (0.1, 0.5, 0.9)


@dataclass(frozen=True)
class Path:
    """One strategy's draws against the status quo (money discounted to today, months 1-based)."""

    delta_npv: np.ndarray  # (n,)
    payback_month: np.ndarray  # (n,) NaN = not within the horizon
    cumulative_delta: np.ndarray  # (H, n) cumulative Δ discounted profit
    customers: np.ndarray  # (H, n) float32 expected active customers at the month's start
    churned: np.ndarray  # (H, n) float32
    new_customers: np.ndarray  # (H, n) float32 bought + referred
    revenue: np.ndarray  # (H, n) float32

    def monthly(self, name: str) -> np.ndarray:
        return getattr(self, name)


@dataclass(frozen=True)
class PlanDraws:
    """A plan's draws: the scenario (``plan``) and, when staged, its pilot alone (``pilot``)."""

    draws: int
    seed: int
    distribution: str
    horizon_months: int
    tenure_month: int
    response: np.ndarray  # (n,) latent response r of each draw (0: customers did not respond)
    delta_inside_tenure: np.ndarray  # (n,) of the plan
    discount_by_month: np.ndarray  # (H, n) or (H, 1): the discount factor of each month
    plan: Path
    pilot: Path | None = None
    gate_month: int | None = None  # a staged plan's gate (its pilot path is ``pilot``)

    def released(self, gate_month: int, counts: bool = True) -> Path:
        """The staged path that releases the rest at ``gate_month``: the pilot's, plus the
        all-in path's extra over the pilot started at the gate (money discounted to today by
        the gate's factor; counts as they come): x(t) = x_pilot(t) + [x_all − x_pilot](t − G).
        ``counts=False`` shifts the money only (the staged Monte Carlo needs no more)."""
        if self.pilot is None:
            raise ValueError("the draws were made without a pilot path")
        g, H = int(gate_month), self.horizon_months
        v_g = np.broadcast_to(self.discount_by_month[g - 1], (self.draws,))
        fields = {}
        for name in ("cumulative_delta", "customers", "churned", "new_customers", "revenue"):
            a, b = getattr(self.plan, name), getattr(self.pilot, name)
            if not counts and name != "cumulative_delta":  # money only: the counts stay the pilot's
                fields[name] = b
                continue
            x = b.astype(float) if name == "cumulative_delta" else b.copy()
            extra = (a[:H - g] - b[:H - g]) * (v_g[None, :] if name == "cumulative_delta" else 1)
            x[g:] += extra.astype(x.dtype)
            fields[name] = x
        return Path(delta_npv=self.pilot.delta_npv + v_g * (self.plan.delta_npv
                                                            - self.pilot.delta_npv),
                    payback_month=payback_months(fields["cumulative_delta"]), **fields)

    @property
    def tracked(self) -> Path:
        """The path actuals are weighed against: the plan's — for a staged plan the pilot
        until the gate and the rest released at it (``released``)."""
        if self.pilot is None or self.gate_month is None:
            return self.plan
        cached = self.__dict__.get("_tracked")
        if cached is None:
            cached = self.released(self.gate_month)
            object.__setattr__(self, "_tracked", cached)
        return cached

    def fan(self, path: Path | None = None) -> dict[str, np.ndarray]:
        """P10 / P50 / P90 by month of every monthly figure, (3, H) each (of ``tracked``)."""
        path = path or self.tracked
        return {name: np.quantile(path.monthly(name), QUANTILES, axis=1)
                for name in MONTHLY}


def payback_months(cum: np.ndarray) -> np.ndarray:
    """First month (1-based) from which the cumulative Δ stays ≥ 0, NaN if it never does; cum is
    (H, n). Rounding noise (1e-12 of the largest |Δ|) is not a sacrifice, as in the summary."""
    H = cum.shape[0]
    tol = 1e-12 * np.maximum(np.abs(cum).max(axis=0), 1.0)
    negative = cum < -tol
    any_negative = negative.any(axis=0)
    last_negative = H - 1 - np.argmax(negative[::-1], axis=0)
    return np.where(~any_negative, 1.0,
                    np.where(last_negative == H - 1, np.nan, last_negative + 2.0))


def _joined(parts: Sequence[Mapping[str, object]], sizes: Sequence[int]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in parts[0]:
        xs = [p[name] for p in parts]
        if all(np.ndim(x) == 0 for x in xs) and len({float(x) for x in xs}) == 1:
            out[name] = xs[0]
        else:
            out[name] = np.concatenate([np.broadcast_to(np.asarray(x, dtype=float), (n,))
                                        for x, n in zip(xs, sizes, strict=True)])
    return out


def _path(sc: Simulation, sq: Simulation) -> Path:
    cum = np.subtract(sc.discounted_profit, sq.discounted_profit).T.copy()
    np.cumsum(cum, axis=0, out=cum)
    return Path(delta_npv=sc.npv - sq.npv, payback_month=payback_months(cum),
                cumulative_delta=cum, customers=sc.customers.T.astype(np.float32),
                churned=sc.churned.T.astype(np.float32),
                new_customers=(sc.new_bought + sc.new_referred).T.astype(np.float32),
                revenue=(sc.revenue_good + sc.revenue_bad).T.astype(np.float32))


def _chunk(full: Mapping[str, object], ranges: Sequence[Range], draws: int, seed: int,
           distribution: str, blocks: Sequence[int], pilot_share: float | None,
           baseline: Baseline | None = None) -> dict:
    drawn = [block_batch(full, ranges, draws, seed, distribution, k) for k in blocks]
    batch = _joined([b for b, _ in drawn], [len(r) for _, r in drawn])
    response = np.concatenate([r for _, r in drawn])
    n = len(response)
    sq = simulate(status_quo_of(batch), baseline)
    sc = simulate(batch, baseline)
    tm = tenure_months(np.broadcast_to(np.asarray(batch["tenure_years"], dtype=float), (n,)),
                       sc.horizon_months)
    plan = _path(sc, sq)
    out = {"response": response, "plan": plan,
           "inside": plan.cumulative_delta[tm - 1, np.arange(n)], "tenure": tm,
           "discount": np.broadcast_to(sc.discount_factor, sc.profit.shape).T[:, :1]
           if np.ndim(sc.discount_factor) == 1 else sc.discount_factor.T}
    del sc  # one scenario in memory at a time (a 5,000-draw simulation is large)
    if pilot_share is not None:
        pilot = simulate({**batch, "investment": pilot_share * np.asarray(batch["investment"],
                                                                          dtype=float)},
                         baseline)
        out["pilot"] = _path(pilot, sq)
    return out


def _cat_path(parts: Sequence[Path]) -> Path:
    fields = {}
    for name in Path.__dataclass_fields__:
        axis = 0 if name in ("delta_npv", "payback_month") else 1
        fields[name] = np.concatenate([getattr(p, name) for p in parts], axis=axis)
    return Path(**fields)


def plan_draws(values: Mapping[str, object], ranges: Sequence[Range] | None = None,
               draws: int = 2_000, seed: int = 0, distribution: str = "pert",
               pilot_share: float | None = None, workers: int = 2,
               baseline: Baseline | None = None, gate_month: int | None = None) -> PlanDraws:
    """Simulate the plan's draws (the Monte Carlo's, whole) — and the pilot's when staged;
    ``baseline``: a calibrated status quo (``model.simulation.Baseline``), else the
    assumptions'."""
    draws, seed = check_draws(draws), check_seed(seed)
    full = validate(values)
    ranges = default_ranges(full, baseline) if ranges is None else tuple(ranges)
    total = n_blocks(draws)
    chunks = [tuple(range(k, min(k + BLOCKS_AT_ONCE, total)))
              for k in range(0, total, BLOCKS_AT_ONCE)]

    def one(chunk: tuple[int, ...]) -> dict:
        return _chunk(full, ranges, draws, seed, distribution, chunk, pilot_share, baseline)

    if len(chunks) == 1 or workers <= 1:
        parts = [one(c) for c in chunks]
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(chunks))) as pool:
            parts = list(pool.map(one, chunks))
    discount = [p["discount"] for p in parts]
    shared = all(d.shape[1] == 1 for d in discount)
    return PlanDraws(
        draws=draws, seed=seed, distribution=distribution,
        horizon_months=parts[0]["plan"].cumulative_delta.shape[0],
        tenure_month=int(parts[0]["tenure"][0]),
        response=np.concatenate([p["response"] for p in parts]),
        delta_inside_tenure=np.concatenate([p["inside"] for p in parts]),
        discount_by_month=discount[0] if shared else np.concatenate(
            [np.broadcast_to(d, (d.shape[0], len(p["response"])))
             for d, p in zip(discount, parts, strict=True)], axis=1),
        plan=_cat_path([p["plan"] for p in parts]),
        pilot=_cat_path([p["pilot"] for p in parts]) if pilot_share is not None else None,
        gate_month=gate_month if pilot_share is not None else None,
    )
