"""A committed plan: the scenario's assumptions, the Monte Carlo's seed and settings, the start
month, the staging (if any) and the forecast fan — P10 / P50 / P90 by month of customers,
churned, new customers, revenue and the cumulative Δ — frozen as JSON.

The draws behind the fan are not stored: they are simulated again from the frozen assumptions,
ranges and seed (the same numbers, ``model.analysis``'s reproducibility), and ``drift`` says when
the model has changed since the commit (the re-simulated fan differs from the frozen one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from model.analysis import DISTRIBUTIONS, Range, default_ranges
from model.assumptions import ScenarioError, validate
from model.scenario import dump_scenario
from model.tracking._draws import PlanDraws, plan_draws
from model.tracking._gate import Staging
from model.tracking._posterior import odds

PLAN_VERSION = 1
DEFAULT_PLAN_DRAWS = 2_000


def check_start_month(text: object) -> str:
    s = str(text).strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", s)
    if not m or not 1 <= int(m.group(2)) <= 12 or not 1900 <= int(m.group(1)) <= 2200:
        raise ScenarioError(f"start_month: {s[:20]!r} is not allowed; write the plan's first "
                            "month as YYYY-MM, e.g. 2027-01", key="start_month")
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


@dataclass(frozen=True)
class Plan:
    values: dict[str, object]
    ranges: tuple[Range, ...]
    seed: int
    draws: int
    distribution: str
    start_month: str  # YYYY-MM: plan month 1
    staging: Staging | None
    fan: dict[str, list[list[float]]]  # metric -> [p10, p50, p90], each H long
    odds: dict[str, float]  # the plan's odds when committed
    horizon_months: int
    tenure_month: int
    scenario: str = ""  # the saved scenario it was frozen from

    def to_json(self) -> str:
        return json.dumps({
            "version": PLAN_VERSION, "scenario": self.scenario,
            "values": json.loads(dump_scenario(self.values)),
            "ranges": [[r.name, r.low, r.likely, r.high] for r in self.ranges],
            "seed": self.seed, "draws": self.draws, "distribution": self.distribution,
            "start_month": self.start_month,
            "staging": self.staging.to_dict() if self.staging else None,
            "fan": self.fan, "odds": self.odds, "horizon_months": self.horizon_months,
            "tenure_month": self.tenure_month})

    @classmethod
    def from_json(cls, text: str) -> Plan:
        data = json.loads(text)
        return cls(values=validate(data["values"]),
                   ranges=tuple(Range(n, float(lo), float(li), float(hi))
                                for n, lo, li, hi in data["ranges"]),
                   seed=int(data["seed"]), draws=int(data["draws"]),
                   distribution=str(data["distribution"]), start_month=data["start_month"],
                   staging=Staging.from_dict(data["staging"]) if data["staging"] else None,
                   fan=data["fan"], odds=data["odds"], horizon_months=int(data["horizon_months"]),
                   tenure_month=int(data["tenure_month"]), scenario=data.get("scenario", ""))

    def month_label(self, month: int) -> str:
        y, m = (int(x) for x in self.start_month.split("-"))
        k = (m - 1) + int(month) - 1
        return f"{y + k // 12:04d}-{k % 12 + 1:02d}"

    def simulate(self) -> PlanDraws:
        """The plan's draws again, from its frozen assumptions, ranges and seed."""
        st = self.staging
        return plan_draws(self.values, self.ranges, self.draws, self.seed, self.distribution,
                          pilot_share=st.pilot_share if st else None,
                          gate_month=st.gate_month if st else None)

    def drift(self, d: PlanDraws) -> float:
        """Largest relative gap between the frozen fan and the re-simulated one (0 = same model)."""
        gaps = []
        for name, band in d.fan().items():
            frozen = np.asarray(self.fan[name])
            scale = np.maximum(np.abs(frozen).max(), 1.0)
            gaps.append(float(np.abs(band - frozen).max() / scale))
        return max(gaps)


def freeze(values: Mapping[str, object], start_month: str, seed: int = 0,
           draws: int = DEFAULT_PLAN_DRAWS, distribution: str = "pert",
           staging: Staging | None = None, ranges: Sequence[Range] | None = None,
           scenario: str = "") -> tuple[Plan, PlanDraws]:
    """Freeze a scenario as a plan (and return its draws, simulated once)."""
    if distribution not in DISTRIBUTIONS:
        raise ScenarioError(f"distribution: {distribution!r} is not allowed; use "
                            + " or ".join(DISTRIBUTIONS), key="distribution")
    full = validate(values)
    start = check_start_month(start_month)
    ranges = tuple(default_ranges(full) if ranges is None else ranges)
    if staging is not None and float(full["investment"]) <= 0:
        raise ScenarioError("staging: the scenario has no investment to stage; commit it "
                            "without staging or set an investment", key="staging")
    horizon = 12 * int(full["horizon_years"])
    if staging is not None and staging.gate_month >= horizon:
        raise ScenarioError(f"gate_month: {staging.gate_month} is not inside the horizon of "
                            f"{horizon} months", key="gate_month")
    d = plan_draws(full, ranges, draws, seed, distribution,
                   pilot_share=staging.pilot_share if staging else None,
                   gate_month=staging.gate_month if staging else None)
    fan = {name: [[float(x) for x in row] for row in band] for name, band in d.fan().items()}
    plan = Plan(values=full, ranges=ranges, seed=d.seed, draws=d.draws,
                distribution=distribution, start_month=start, staging=staging, fan=fan,
                odds=odds(d, np.full(d.draws, 1.0 / d.draws)), horizon_months=d.horizon_months,
                tenure_month=d.tenure_month, scenario=scenario)
    return plan, d


