"""The full analysis of one scenario — odds, sensitivity, break-even, optimal levers, goal seek —
as plain data: what ``python cli.py analyze`` prints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from model.analysis._break_even import BREAK_EVEN_CHOICES, BREAK_EVEN_TARGETS, break_even, goal_seek
from model.analysis._investment import optimise_investment
from model.analysis._monte_carlo import DEFAULT_DRAWS, monte_carlo
from model.analysis._optimise import optimise_levers
from model.analysis._ranges import Range, default_ranges
from model.analysis._response import expected_over_response
from model.analysis._tornado import tornado
from model.assumptions import validate
from model.simulation import Baseline, run
from model.structure import Structure, Structured, run_structured


def full_analysis(values: Mapping[str, object], baseline: Baseline | None = None,
                  draws: int = DEFAULT_DRAWS, seed: int = 0, distribution: str = "pert",
                  ranges: Sequence[Range] | None = None, goal_seek_name: str | None = None,
                  structure: Structure | None = None) -> dict[str, object]:
    """The scenario's run (its end value in two parts, its notes), odds, the expectation over
    the latent response, sensitivity, break-even, optimal levers (and a goal seek), as plain
    data.

    ``ranges`` replaces the table's (``parse_ranges``/``load_ranges``); the same inputs and seed
    give the same numbers, so the JSON is byte-identical. With a ``structure`` (segments,
    tiers, fixes) every figure is of the structured business (``model.structure.Structured``)
    and ``structure`` adds the segment, tier and fixes reports.
    """
    full = validate(values)
    ranges = default_ranges(full, baseline) if ranges is None else tuple(ranges)
    reports = None
    if structure is not None and not structure.empty:
        reports = run_structured(full, structure, baseline).to_dict()
        baseline = Structured(structure, full, baseline)
    mc = monte_carlo(full, baseline, ranges, draws, seed, distribution)
    torn = tornado(full, baseline, ranges)
    s = run(full, baseline).summary
    out: dict[str, object] = {
        "notes": list(s.notes),
        "run": {k: getattr(s, k) for k in (
            "delta_npv", "delta_npv_excl_terminal", "delta_end_value_active",
            "delta_end_value_arrivals", "delta_inside_tenure", "payback_month",
            "include_terminal_value")},
        "p_no_response": float(full["p_no_response"]),
        "response_likely": float(full["response_likely"]),
        "response_spread": float(full["response_spread"]),
        "expected_over_response": expected_over_response(full, baseline),
        "effect_correlation": float(full["effect_correlation"]),
        "board_weight": float(full["board_weight"]),
        "ranges": {r.name: {"low": r.low, "likely": r.likely, "high": r.high} for r in ranges},
        "monte_carlo": mc.to_dict(),
        "tornado": {
            "base_delta_npv": torn.base_delta_npv,
            "base_delta_inside_tenure": torn.base_delta_inside_tenure,
            "rows": [r.to_dict() for r in torn.sorted("delta_npv")],
        },
        "break_even": {name: {t: break_even(full, name, t, baseline).to_dict()
                              for t in BREAK_EVEN_TARGETS} for name in BREAK_EVEN_CHOICES},
        "optimal_investment": optimise_investment(full, baseline).to_dict(),
        "optimum_2d": optimise_levers(full, baseline).to_dict(),
    }
    if reports is not None:
        out["structure"] = {k: reports[k] for k in ("segments", "tiers", "fixes")
                            if k in reports}
    if goal_seek_name is not None:
        out["goal_seek"] = goal_seek(full, goal_seek_name, baseline).to_dict()
    return out
