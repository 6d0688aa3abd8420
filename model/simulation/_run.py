"""One run — a scenario against its status quo, summary plus monthly tables — and the same for a
batch of assumption sets (``simulate_pair``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from model.assumptions import BY_NAME, LEVERS_OFF, validate
from model.simulation._baseline import Baseline
from model.simulation._compare import Summary, compare_batch, summary_of
from model.simulation._core import Simulation, simulate
from model.simulation._notes import horizon_note, notes_of


def status_quo_of(values: Mapping[str, object]) -> dict[str, object]:
    """The same business with every lever off."""
    return {**values, **LEVERS_OFF}


def monthly_table(sim: Simulation, i: int = 0) -> pd.DataFrame:
    """The tidy per-month table of batch member ``i``."""
    H = sim.horizon_months
    month = np.arange(1, H + 1)
    disc = np.broadcast_to(sim.discount_factor, sim.profit.shape)[i]
    data = {
        "month": month,
        "year": (month - 1) // 12 + 1,
        "customers_active": sim.customers[i],
        "customers_oversold": sim.customers_oversold[i],
        "customers_sold_honestly": sim.customers_sold_honestly[i],
        "new_bought": sim.new_bought[i],
        "new_referred": sim.new_referred[i],
        "lost_to_competitors": sim.lost_to_competitors[i],
        "churned": sim.churned[i],
        "monthly_churn": sim.monthly_churn[i],
        "revenue_good": sim.revenue_good[i],
        "revenue_bad": sim.revenue_bad[i],
        "revenue": sim.revenue_good[i] + sim.revenue_bad[i],
        "margin": sim.margin[i],
        "acquisition_cost": sim.acquisition_cost[i],
        "investment_spend": sim.investment_spend[i],
        "run_cost": sim.run_cost[i],
        "turmoil_cost": sim.turmoil_cost[i],
        "profit": sim.profit[i],
        "discount_factor": disc,
        "discounted_profit": sim.discounted_profit[i],
        "cumulative_discounted_profit": np.cumsum(sim.discounted_profit[i]),
        "trust": sim.trust[i],
        "experienced_honesty": sim.experienced_honesty[i],
        "hazard_multiplier": sim.hazard_multiplier[i],
    }
    if len(sim.segment_names) > 1:
        for s, name in enumerate(sim.segment_names):
            data[f"customers_active [{name}]"] = sim.customers_by_segment[i, :, s]
            data[f"revenue [{name}]"] = sim.revenue_by_segment[i, :, s]
    return pd.DataFrame(data)


@dataclass(frozen=True)
class Run:
    """One scenario against its status quo: summary plus per-month tables."""

    values: dict[str, object]
    simulation: Simulation  # batch member 0 = status quo, 1 = scenario
    summary: Summary

    @cached_property
    def status_quo(self) -> pd.DataFrame:
        return monthly_table(self.simulation, 0)

    @cached_property
    def scenario(self) -> pd.DataFrame:
        return monthly_table(self.simulation, 1)

    @property
    def notes(self) -> tuple[str, ...]:
        """Inputs capped, clipped or left out of the horizon, in sentences (``Summary.notes``)."""
        return self.summary.notes

    @property
    def cumulative_delta(self) -> np.ndarray:
        """Cumulative Δ discounted cash, month by month (the sacrifice curve)."""
        d = self.simulation.discounted_profit
        return np.cumsum(d[1] - d[0])

    def combined_table(self) -> pd.DataFrame:
        """Both strategies in one long table (the CSV download)."""
        return pd.concat(
            [self.status_quo.assign(strategy="status_quo"),
             self.scenario.assign(strategy="customer_centric")],
            ignore_index=True,
        )[["strategy", *self.status_quo.columns]]


def simulate_pair(batch: Mapping[str, object], baseline: Baseline | None = None,
                  fields: tuple[str, ...] | None = None
                  ) -> tuple[Simulation, Simulation, dict[str, np.ndarray]]:
    """Status quo and scenario for the same batch of assumption sets, and their comparison
    (``compare_batch``): what every analysis over many assumption sets runs. A ``baseline``
    with a ``simulate_pair`` of its own (``model.structure.Structured``) runs it instead.
    ``fields``: the per-month fields the caller reads besides ``COMPARED``; a structured
    simulation may then leave the others out (NaN) rather than sum them over segments."""
    own = getattr(baseline, "simulate_pair", None)
    if own is not None:
        return own(batch) if fields is None else own(batch, fields)
    sq = simulate(status_quo_of(batch), baseline)
    sc = simulate(batch, baseline)
    return sq, sc, compare_batch(sq, sc, batch["tenure_years"])


def run(values: Mapping[str, object] | None = None, baseline: Baseline | None = None) -> Run:
    """Validate ``values`` (missing names take their defaults) and compare with the status quo."""
    full = validate(values or {})
    sq = status_quo_of(full)
    batch = {k: np.array([float(sq[k]), float(full[k])]) for k in full}
    sim = simulate(batch, baseline)
    row = compare_batch(member(sim, 0), member(sim, 1), full["tenure_years"])
    notes = notes_of(full, sim) + longest_horizon_notes(
        full, float(row["delta_npv"][0]), lambda v: run(v, baseline).summary.delta_npv)
    summary = summary_of(row, 0, sim.horizon_months, bool(full["include_terminal_value"]), notes)
    return Run(values=full, simulation=sim, summary=summary)


LONGEST_HORIZON_YEARS = int(BY_NAME["horizon_years"].max)


def longest_horizon_notes(values: Mapping[str, object], total: float,
                          total_of: Callable[[dict[str, object]], float]) -> tuple[str, ...]:
    """The note that the total still moves with the horizon (``horizon_note``; none when it
    does not), from one more run of the same scenario over the longest horizon (``total_of``);
    only when the end value counts (without it the total is the horizon's cash, which depends
    on it by definition)."""
    if not values["include_terminal_value"] or values["horizon_years"] >= LONGEST_HORIZON_YEARS:
        return ()
    note = horizon_note(total, total_of({**values, "horizon_years": LONGEST_HORIZON_YEARS}),
                        LONGEST_HORIZON_YEARS)
    return () if note is None else (note,)


def member(sim: Simulation, i: int) -> Simulation:
    """Batch member ``i`` as a batch of one; what the batch shares stays as it is."""
    return members(sim, i, i + 1)


def members(sim: Simulation, a: int, b: int) -> Simulation:
    """Batch members ``a`` to ``b − 1`` as a batch; what the batch shares stays as it is."""
    shared = {"segment_names"} | ({"discount_factor"} if sim.discount_factor.ndim == 1 else set())
    return Simulation(**{name: getattr(sim, name) if name in shared else getattr(sim, name)[a:b]
                         for name in Simulation.__dataclass_fields__})
