"""Segments through the plain model: each segment is run as its own single mass (all segments and
all batch members in one vectorised batch) and the results are summed.

Segment s of a member gets: customers, market and the investment (and its half-saturation
constant, so diminishing returns stay the same) in proportion to its share of today's
customers; new customers in proportion to share × monthly churn (each segment's inflow replaces
its churn in the proportion the whole business's does) unless ``new_share`` is given; its own
ARPU, churn, bad-profit and over-promise shares, CAC and honesty where given. In a Monte Carlo
draw a segment's value moves with the draw: segment value × (drawn / the scenario's value),
kept inside the assumption's range. The business is homogeneous of degree one in its size, so
segments with identical economics add up to the whole (tested to the cent), and one segment
with share 1 is the plain model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from model.assumptions import BY_NAME, LEVERS_OFF
from model.curves import monthly_from_annual
from model.simulation import Baseline, Simulation, simulate
from model.structure._overlay import Overlay, Portfolio, Tiers, fix_key
from model.structure._spec import Structure

SIZE_KEYS = ("customers", "new_customers_monthly", "market_size", "investment",
             "fix_half_investment")
SUMMED = ("customers", "customers_oversold", "customers_sold_honestly", "new_bought",
          "new_referred", "lost_to_competitors", "churned", "revenue_good", "revenue_bad",
          "margin", "acquisition_cost", "investment_spend", "run_cost", "turmoil_cost", "profit",
          "customers_end", "end_value_active", "end_value_arrivals")
WEIGHTED = ("trust", "experienced_honesty", "hazard_multiplier")  # by customers that month


def batch_size(batch: Mapping[str, object]) -> int:
    return max(np.size(v) for v in batch.values())


def _column(batch: Mapping[str, object], name: str, B: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(batch[name], dtype=float), (B,))


@dataclass
class Expanded:
    """The batch of S·B members (segment-major: member s·B + b), its overlay and layout."""

    values: dict[str, np.ndarray]
    overlay: Overlay | None
    segments: int
    batch: int
    names: tuple[str, ...]


def expand(batch: Mapping[str, object], structure: Structure, base: Mapping[str, object] | None,
           status_quo: np.ndarray, order: tuple[int, ...] = (),
           bought: np.ndarray | None = None) -> Expanded:
    """Each member of ``batch`` once per segment (see the module docstring); the members where
    ``status_quo`` (B,) holds have every lever off."""
    B = batch_size(batch)
    status_quo = np.broadcast_to(np.asarray(status_quo, dtype=bool), (B,))
    segs = structure.segments
    S = max(len(segs), 1)
    # A value the whole batch shares stays one number (numpy then works on (1, H) rows).
    out = {k: _tiled(v, B, S) for k, v in batch.items()}
    out["fix_budget"] = out["investment"]
    if segs:
        shares = np.array([s.share for s in segs])
        churn = np.stack([_segment_value(batch, base, s.overrides(), "annual_churn", B)
                          for s in segs])  # (S, B)
        if segs[0].new_share is not None:
            new_shares = np.repeat(np.array([s.new_share for s in segs])[:, None], B, axis=1)
        else:
            weight = shares[:, None] * monthly_from_annual(churn)
            new_shares = weight / weight.sum(axis=0, keepdims=True)
        for k in SIZE_KEYS:
            col = _column(batch, k, B)
            w = new_shares if k == "new_customers_monthly" else shares[:, None]
            out[k] = (w * col[None, :]).reshape(-1)
        for reg in ("arpu_monthly", "annual_churn", "bad_profit_share", "overpromise_share",
                    "cac"):
            if any(reg in s.overrides() for s in segs):
                out[reg] = np.concatenate([_segment_value(batch, base, s.overrides(), reg, B)
                                           for s in segs])
        if any(s.honesty is not None for s in segs):
            h = _column(batch, "honesty", B)
            out["honesty"] = np.concatenate([h if s.honesty is None else np.full(B, s.honesty)
                                             for s in segs])
    if status_quo.all():
        out.update({k: 0.0 for k in (*LEVERS_OFF, "fix_budget")})
    elif status_quo.any():
        off = np.tile(status_quo, S)
        for k in (*LEVERS_OFF, "fix_budget"):
            out[k] = np.where(off, 0.0, out[k])
    return Expanded(out, _overlay(structure, out, S, B, order, bought), S, B,
                    segment_names(structure))


def segment_names(structure: Structure) -> tuple[str, ...]:
    return tuple(s.name for s in structure.segments) or ("All customers",)


def _tiled(value: object, B: int, S: int) -> float | np.ndarray:
    a = np.asarray(value, dtype=float)
    if a.size == 1:
        return float(a.reshape(()))
    return np.tile(np.broadcast_to(a, (B,)), S)


def _segment_value(batch, base, overrides: Mapping[str, float], name: str, B: int) -> np.ndarray:
    drawn = _column(batch, name, B)
    if name not in overrides:
        return drawn.copy()
    value = overrides[name]
    if base is None or float(base[name]) == 0.0:
        return np.full(B, value)
    a = BY_NAME[name]
    ratio = drawn / float(base[name])
    return np.clip(value * ratio, a.min, a.max)


def _overlay(structure: Structure, values: Mapping[str, np.ndarray], S: int, B: int,
             order: tuple[int, ...], bought: np.ndarray | None) -> Overlay | None:
    portfolio = tiers = None
    if structure.fixes:
        names = [s.name for s in structure.segments] or ["All customers"]
        shares = np.array([s.share for s in structure.segments] or [1.0])
        hits = np.array([[1.0 if f.segments is None or n in f.segments else 0.0
                          for f in structure.fixes] for n in names])  # (S, J)
        reach = (shares[:, None] * hits).sum(axis=0)
        cost = np.where(reach > 0, shares[:, None] * hits / np.where(reach > 0, reach, 1.0), 0.0)
        full = bought if bought is None else np.tile(np.atleast_2d(bought), (S, 1))
        each = 1 if S == 1 else B  # one segment: every member shares its hits and costs
        portfolio = Portfolio(structure.fixes, np.repeat(hits, each, axis=0),
                              np.repeat(cost, each, axis=0), order or tuple(range(len(hits[0]))),
                              full if full is None else full.reshape(S * B, -1))
    if structure.tiers:
        tiers = Tiers(structure.tiers)
    return None if portfolio is None and tiers is None else Overlay(portfolio, tiers)


def tier_values(values: Mapping[str, object], structure: Structure) -> dict[str, object]:
    """Tiers replace the flat spend uplift, and without typed segments their mix sets ARPU."""
    if not structure.tiers:
        return dict(values)
    out = {**values, "trust_arpu_uplift_max": 0.0}
    if not structure.segments:
        out["arpu_monthly"] = float(sum(t.share * t.arpu for t in structure.tiers))
    return out


def effective_baseline(structure: Structure, baseline: Baseline | None) -> Baseline | None:
    """Typed segments take the place of a calibration (``segments_from_calibration`` turns a
    calibration's segments into typed ones); without typed segments the calibration stays."""
    return None if structure.segments else baseline


@dataclass(frozen=True)
class StructuredSim:
    """A batch simulated segment by segment: the sum, and the parts."""

    total: Simulation  # summed over segments, B members
    parts: Simulation  # S·B members, segment-major
    segments: int
    batch: int
    overlay: Overlay | None


def simulate_chunks(parts: list[Mapping[str, object]], structure: Structure,
                    baseline: Baseline | None = None, base: Mapping[str, object] | None = None,
                    status_quo: np.ndarray | bool = False, order: tuple[int, ...] = (),
                    fields: tuple[str, ...] | None = None) -> Simulation:
    """The sums over segments of consecutive chunks of one batch, as one simulation;
    ``fields``: the only per-month sums made (see ``Totals``), None: all."""
    S = max(len(structure.segments), 1)
    if len(parts) == 1 or S == 1:
        return concat([simulate_structured(p, structure, baseline, base, status_quo(p)
                                           if callable(status_quo) else status_quo, order).total
                       for p in parts])
    into = Totals(sum(batch_size(p) for p in parts), segment_names(structure), fields)
    for p in parts:
        simulate_structured(p, structure, baseline, base,
                            status_quo(p) if callable(status_quo) else status_quo, order,
                            into=into)
    return into.simulation()


def simulate_structured(batch: Mapping[str, object], structure: Structure,
                        baseline: Baseline | None = None, base: Mapping[str, object] | None = None,
                        status_quo: np.ndarray | bool = False, order: tuple[int, ...] = (),
                        bought: np.ndarray | None = None,
                        into: Totals | None = None) -> StructuredSim:
    """Simulate ``batch`` (complete assumption sets, scalars or (B,) arrays) segment by segment,
    with the fixes bought by each member's budget in ``order`` (or ``bought``, (B|1, J)).
    ``into``: the sum goes into its next rows instead (``total`` is then None)."""
    baseline = effective_baseline(structure, baseline)
    ex = expand(batch, structure, base, status_quo, order, bought)
    parts = simulate(ex.values, baseline, ex.overlay)
    if into is not None:
        into.add(parts, ex.segments, ex.batch)
        return StructuredSim(None, parts, ex.segments, ex.batch, ex.overlay)
    total = combine(parts, ex.segments, ex.batch, ex.names)
    return StructuredSim(total, parts, ex.segments, ex.batch, ex.overlay)


def combine(sim: Simulation, S: int, B: int, names: tuple[str, ...]) -> Simulation:
    """Sum S segment-major parts into B members (one segment: the parts as they are)."""
    if S == 1:
        return sim
    fields: dict[str, np.ndarray] = {}
    _sum_segments(sim, S, B, fields, slice(0, B), B)
    fields["discount_factor"] = _discount(sim, S, B)
    assert fields["customers"].shape == (B, sim.horizon_months)
    return Simulation(segment_names=names, **fields)


# Members simulated in one call at most: beyond this the (members × months) arrays leave the
# processor's cache and every operation waits for memory (5 segments × 2 × 1,000 draws measured
# 3× slower per member than 2,000 members).
CHUNK_MEMBERS = 2_000


def chunks(batch: Mapping[str, object], per_member: int) -> list[dict[str, object]]:
    """The batch in pieces of at most ``CHUNK_MEMBERS // per_member`` members (values shared by
    the batch stay shared)."""
    B = batch_size(batch)
    size = max(1, CHUNK_MEMBERS // per_member)
    if B <= size:
        return [dict(batch)]
    return [{k: (np.broadcast_to(np.asarray(v, dtype=float), (B,))[a:a + size]
                 if np.size(v) > 1 else v) for k, v in batch.items()}
            for a in range(0, B, size)]


def concat(sims: list[Simulation]) -> Simulation:
    """Simulations of consecutive members as one."""
    if len(sims) == 1:
        return sims[0]
    first = sims[0]
    shared = {"segment_names"} | ({"discount_factor"} if all(
        s.discount_factor.ndim == 1 for s in sims) else set())
    fields = {}
    for k in Simulation.__dataclass_fields__:
        if k in shared:
            fields[k] = getattr(first, k)
        elif k == "discount_factor":
            fields[k] = np.concatenate([np.broadcast_to(s.discount_factor, s.profit.shape)
                                        for s in sims])
        else:
            fields[k] = np.concatenate([getattr(s, k) for s in sims])
    return Simulation(**fields)


class Totals:
    """The sum over segments of consecutive chunks of one batch (``size`` members in all),
    written straight into arrays of the whole batch: what ``combine`` of each chunk followed by
    a concatenation gives, to the bit, without the chunks' sums and the copy (for S > 1)."""

    def __init__(self, size: int, names: tuple[str, ...], only: tuple[str, ...] | None = None):
        self.size, self.names, self.only = size, names, only
        self.fields: dict[str, np.ndarray] = {}
        self.shapes: dict[str, tuple[int, ...]] = {}
        self.discounts: list[tuple[np.ndarray, int]] = []
        self.at = 0

    def add(self, sim: Simulation, S: int, B: int) -> None:
        if not self.shapes:  # what a left-out sum would have been: (size, H), (size,) …
            H = sim.horizon_months
            self.shapes = {k: (self.size,) + getattr(sim, k).shape[1:] for k in SUMMED}
            self.shapes.update({k: (self.size, H) for k in WEIGHTED})
            self.shapes.update({k: (self.size, H, S) for k in ("customers_by_segment",
                                                                "revenue_by_segment")})
        _sum_segments(sim, S, B, self.fields, slice(self.at, self.at + B), self.size, self.only)
        self.discounts.append((_discount(sim, S, B), B))
        self.at += B

    def simulation(self) -> Simulation:
        assert self.at == self.size
        d = self.discounts
        discount = d[0][0] if all(x.ndim == 1 for x, _ in d) else np.concatenate(
            [np.broadcast_to(x, (n, x.shape[-1])) for x, n in d])
        left_out = {k: np.broadcast_to(np.nan, shape) for k, shape in self.shapes.items()
                    if k not in self.fields}
        return Simulation(segment_names=self.names, discount_factor=discount, **self.fields,
                          **left_out)


def _discount(sim: Simulation, S: int, B: int) -> np.ndarray:
    d = sim.discount_factor
    return d if d.ndim == 1 else d.reshape((S, B) + d.shape[1:])[0]


def _sum_segments(sim: Simulation, S: int, B: int, out: dict[str, np.ndarray], rows: slice,
                  size: int, only: tuple[str, ...] | None = None) -> None:
    """Every field but the discount factors of the S segment-major parts, summed (or
    customer-weighted) over segments, into ``out[k][rows]`` (arrays of ``size`` members, made
    on first use); with ``only``, of the per-month and end-of-horizon sums only those."""

    def wanted(k: str) -> bool:
        return only is None or k in only

    def by_segment(x: np.ndarray) -> np.ndarray:
        return x.reshape((S, B) + x.shape[1:])

    def dest(k: str, shape: tuple[int, ...], dtype=float) -> np.ndarray:
        if k not in out:
            out[k] = np.empty((size,) + shape, dtype=dtype)
        return out[k][rows]

    for k in SUMMED:
        if wanted(k) or k == "customers":  # the customers weigh the averages
            x = by_segment(getattr(sim, k))
            np.sum(x, axis=0, out=dest(k, x.shape[2:]))
    w = by_segment(sim.customers)  # (S, B, H)
    total = out["customers"][rows]
    for k in WEIGHTED:
        if not wanted(k):
            continue
        x = by_segment(np.broadcast_to(getattr(sim, k), sim.customers.shape))
        with np.errstate(invalid="ignore", divide="ignore"):
            dest(k, x.shape[2:])[...] = np.where(
                total > 0, (x * w).sum(axis=0) / np.where(total > 0, total, 1.0), x.mean(axis=0))
    # By segment: stored segment-major, (S, size, H), so that each chunk is a block copy; the
    # field is its (size, H, S) view.
    for k, x in (("customers_by_segment", w),
                 ("revenue_by_segment", by_segment(sim.revenue_good + sim.revenue_bad)
                  if wanted("revenue_by_segment") else None)):
        if x is None or not wanted(k):
            continue
        if k not in out:
            out[k] = np.moveaxis(np.empty((S, size) + x.shape[2:]), 0, -1)
        np.moveaxis(out[k], -1, 0)[:, rows] = x
    dest("include_terminal_value", (), bool)[...] = by_segment(sim.include_terminal_value)[0]
    for k in ("churn_capped", "trust_drift_clipped"):
        np.any(by_segment(getattr(sim, k)), axis=0, out=dest(k, (), bool))


def draw_keys(structure: Structure) -> tuple[str, ...]:
    """Batch keys of the fixes' drawn effects."""
    return tuple(fix_key(j) for j in range(len(structure.fixes)))
