"""Sensitivity: ΔNPV and Δ inside the tenure with each assumption alone at its low and high end."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from model.analysis._ranges import Range, default_ranges
from model.assumptions import BY_NAME, validate
from model.simulation import Baseline, simulate_pair


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
    label: str = ""  # for what is not in the registry (a fix's effect); else the registry's

    def swing(self, metric: str = "delta_npv") -> float:
        return abs(getattr(self, f"{metric}_high") - getattr(self, f"{metric}_low"))

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "label": self.label or BY_NAME[self.name].label,
                **{k: getattr(self, k) for k in self.__dataclass_fields__
                   if k not in ("name", "label")},
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
    # model.structure.Structured adds each uncertain fix's effect: (key, label, low, likely, high)
    extra = getattr(baseline, "tornado_rows", lambda: [])()
    items = [(r.name, "", r.low, r.likely, r.high) for r in ranges] + list(extra)
    n = 1 + 2 * len(items)
    batch = {k: np.full(n, float(v)) for k, v in base.items()}
    batch.update({key: np.full(n, float(likely)) for key, _, _, likely, _ in extra})
    for i, (key, _, low, _, high) in enumerate(items):
        batch[key][1 + 2 * i] = low
        batch[key][2 + 2 * i] = high
    _, _, cmp = simulate_pair(batch, baseline)
    npv, tenure = cmp["delta_npv"], cmp["delta_inside_tenure"]
    rows = tuple(TornadoRow(key, low, likely, high,
                            float(npv[1 + 2 * i]), float(npv[2 + 2 * i]),
                            float(tenure[1 + 2 * i]), float(tenure[2 + 2 * i]), label)
                 for i, (key, label, low, likely, high) in enumerate(items))
    return Tornado(float(npv[0]), float(tenure[0]), rows)
