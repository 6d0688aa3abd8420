"""The five demands of the one question, switched on one at a time (the guided walk).

Each step keeps the previous ones and switches on one more demand; ``model.simulation.run`` is called
for every step, so the waterfall of ΔNPV (and of Δ inside the tenure) adds up exactly to the
scenario's expected value:

| step | demand                                   | what is switched on                                       |
|------|------------------------------------------|-----------------------------------------------------------|
| 1    | stop over-promising                      | ``honesty`` at the scenario's value (investment 0, no turmoil) |
| 2    | invest in fixing what is broken          | ``investment`` at the scenario's value                    |
| 3    | live through the turmoil                 | ``turmoil_churn_increase`` and ``turmoil_cost_share``     |
| 4    | accept that you do not know              | the latent response r scales every response assumption (``RESPONSE_NAMES``): 0 with probability ``p_no_response``, else drawn between 0 and 1; the step's value is the expectation over r (``model.analysis.expected_over_response``) |
| 5    | the payback may come after your tenure   | nothing new: the expected Δ is split at the tenure end    |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from model.analysis import expected_over_response
from model.assumptions import RESPONSE_NAMES, validate
from model.simulation import Run, run

TURMOIL = ("turmoil_churn_increase", "turmoil_cost_share")


@dataclass(frozen=True)
class Demand:
    number: int
    title: str
    plain: str  # what the step asks of the leader, in plain words
    switched_on: tuple[str, ...]  # assumptions this step takes at the scenario's value


DEMANDS: tuple[Demand, ...] = (
    Demand(1, "Stop over-promising",
           "Stop misleading, manipulating and over-promising: the bad profits and the customers "
           "won by promises the product does not keep are given up.", ("honesty",)),
    Demand(2, "Invest in fixing what is broken",
           "Spend money now to fix the experiences that make customers leave.", ("investment",)),
    Demand(3, "Live through the turmoil",
           "Rebuilding the house while living in it: extra churn and lost productivity for a "
           "while.", TURMOIL),
    Demand(4, "Accept that you do not know",
           "Customers may not respond at all, and how strongly they respond is uncertain. The "
           "sacrifice is made either way; the gains come only as far as they respond.",
           ("p_no_response",)),
    Demand(5, "The payback may come after your tenure",
           "What you give up falls inside your tenure; much of what you gain may come after you "
           "have gone.", ("tenure_years",)),
)


@dataclass(frozen=True)
class Step:
    demand: Demand
    run: Run  # the step's scenario against its status quo (step 4: customers respond)
    silent: Run | None  # step 4 on: the same if customers do not respond
    p_no_response: float  # 0 before step 4
    delta_npv: float  # expected ΔNPV with the demands so far
    delta_inside_tenure: float  # expected Δ at the tenure end
    step_npv: float  # this step's own contribution (the waterfall bar)
    step_inside_tenure: float


def stage_values(values: Mapping[str, object]) -> list[dict[str, object]]:
    """The scenario values of steps 1–3 (steps 4 and 5 use step 3's)."""
    full = validate(values)
    off_turmoil = dict.fromkeys(TURMOIL, 0.0)
    return [{**full, "investment": 0.0, **off_turmoil}, {**full, **off_turmoil}, full]


def silent_values(values: Mapping[str, object]) -> dict[str, object]:
    """The scenario in which customers do not respond (every response assumption at 0)."""
    return {**validate(values), **dict.fromkeys(RESPONSE_NAMES, 0.0)}


def walk(values: Mapping[str, object]) -> list[Step]:
    """The five steps with their runs and their waterfall contributions."""
    stages = stage_values(values)
    runs = [run(v) for v in stages]
    silent = run(silent_values(stages[-1]))
    p = float(stages[-1]["p_no_response"])
    expected = expected_over_response(stages[-1])
    steps, prev_npv, prev_tenure = [], 0.0, 0.0
    for demand in DEMANDS:
        k = demand.number
        r = runs[min(k, 3) - 1]
        if k >= 4:
            npv, tenure = expected["delta_npv"], expected["delta_inside_tenure"]
        else:
            npv, tenure = r.summary.delta_npv, r.summary.delta_inside_tenure
        steps.append(Step(demand, r, silent if k >= 4 else None, p if k >= 4 else 0.0, npv, tenure,
                          npv - prev_npv, tenure - prev_tenure))
        prev_npv, prev_tenure = npv, tenure
    return steps


def waterfall(steps: list[Step], upto: int, field: str = "npv") -> list[dict[str, float | str]]:
    """Bars of the waterfall up to step ``upto``: start, end and amount of each demand, then the
    total (``field``: "npv" or "inside_tenure")."""
    rows, level = [], 0.0
    for s in steps[:upto]:
        amount = s.step_npv if field == "npv" else s.step_inside_tenure
        if s.demand.number == 5:
            continue  # step 5 splits, it adds nothing
        rows.append({"label": f"{s.demand.number}. {s.demand.title}", "start": level,
                     "end": level + amount, "amount": amount, "kind": "step"})
        level += amount
    rows.append({"label": "Total", "start": 0.0, "end": level, "amount": level, "kind": "total"})
    return rows
