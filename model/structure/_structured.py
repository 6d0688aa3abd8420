"""``Structured``: a scenario's segments, tiers and fixes in the place of a ``Baseline``, so that
every analysis (Monte Carlo, tornado, break-even, goal seek, optimisers) runs with them without
knowing about them: ``model.simulation.simulate`` and ``simulate_pair`` hand the batch to its
own methods. A member with every lever off (honesty 0, investment 0) is the status quo: no
segment is honest and no fix is bought in it.

In the Monte Carlo each fix's churn share is drawn from its low / likely / high (a PERT, or the
triangular, from the random stream [seed, block, 10 + j]) and, like every customer effect,
scaled by the draw's latent response; the tornado moves each uncertain fix to its low and high.
The fixes' order (best value per dollar first) is decided once, at the likely values: the
budget is committed before anyone knows the effects.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from model.assumptions import validate
from model.simulation import Baseline, Simulation
from model.structure._engine import (
    batch_size,
    chunks,
    effective_baseline,
    simulate_chunks,
    tier_values,
)
from model.structure._overlay import fix_key
from model.structure._run import fix_order, simulate_pair
from model.structure._spec import FixSpec, Structure

FIX_STREAM = 10  # random stream [seed, block, FIX_STREAM + j] draws fix j's churn share


class Structured:
    """Segments, tiers and fixes (and a calibrated baseline, if any) for the analyses."""

    def __init__(self, structure: Structure, values: Mapping[str, object],
                 baseline: Baseline | None = None, tornado_rows: bool = True):
        self.structure = structure
        self.with_fix_rows = tornado_rows  # False: the tornado keeps the registry's rows only
        self.inner = effective_baseline(structure, baseline)  # typed segments replace it
        self.base = tier_values(validate(values), structure)
        self.order = fix_order(self.base, structure, baseline)

    def __reduce__(self):
        """Rebuilt from what defines it: pickles, and hashes for a cache, by value."""
        return (Structured, (self.structure, self.base, self.inner, self.with_fix_rows))

    def simulate(self, values: Mapping[str, object]) -> Simulation:
        batch = tier_values(values, self.structure)

        def off(part: Mapping[str, object]) -> np.ndarray:
            B = batch_size(part)
            return ((np.broadcast_to(np.asarray(part["honesty"], dtype=float), (B,)) == 0)
                    & (np.broadcast_to(np.asarray(part["investment"], dtype=float), (B,)) == 0))

        return simulate_chunks(chunks(batch, max(len(self.structure.segments), 1)),
                               self.structure, self.inner, self.base, off, self.order)

    def simulate_pair(self, batch: Mapping[str, object], fields: tuple[str, ...] | None = None):
        return simulate_pair(batch, self.structure, self.inner, self.base, self.order, fields)

    def draws(self, seed: int, block: int, size: int, n: int, distribution: str,
              response: np.ndarray) -> dict[str, np.ndarray]:
        """Each fix's churn share for the ``n`` draws of a block (of ``size`` drawn, the first
        ``n`` kept), scaled by the latent response."""
        out = {}
        for j, f in enumerate(self.structure.fixes):
            rng = np.random.default_rng([int(seed), int(block), FIX_STREAM + j])
            x = _draw(rng, f, size, distribution)[:n]
            out[fix_key(j)] = response * x
        return out

    def tornado_rows(self) -> list[tuple[str, str, float, float, float]]:
        """(key, label, low, likely, high) of each uncertain fix."""
        return [(fix_key(j), f"Fix: {f.name} (share of churn)", f.low, f.churn_share, f.high)
                for j, f in enumerate(self.structure.fixes)
                if f.uncertain and self.with_fix_rows]


def _draw(rng: np.random.Generator, f: FixSpec, n: int, distribution: str) -> np.ndarray:
    if not f.uncertain:
        return np.full(n, f.churn_share)
    width = f.high - f.low
    if distribution == "triangular":
        return rng.triangular(f.low, f.churn_share, f.high, n)
    alpha = 1.0 + 4.0 * (f.churn_share - f.low) / width
    beta = 1.0 + 4.0 * (f.high - f.churn_share) / width
    return f.low + width * rng.beta(alpha, beta, n)
