"""Segments, tiers and fixes (issue 23): a 5-segment, 3-tier, 10-fix scenario against the
one-segment model, side by side in one run, printed as ratios.

Bars (DESIGN §5): the structured scenario (status quo and scenario, summed over segments, the
tier chain and the fixes' schedule: what a slider move recomputes) ≤ 10 ms; its 10,000-draw
Monte Carlo (each fix's effect drawn, every draw × 5 segments) ≤ 2 s of CPU time. The peer is
the plain one-segment model (``model.simulation.run`` and ``monte_carlo`` without structure),
timed interleaved with it, so a busy machine slows both alike. Also timed, without a bar: the
whole structured run with its reports (per-segment table, the fixes' ranking, the budget curve),
which runs 2 + 10 + 11 more members.

Run: python -m benchmarks.bench_segments [--draws N] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np

from model.analysis import monte_carlo
from model.assumptions import validate
from model.simulation import run
from model.structure import Structured, parse_structure, run_structured

BAR_ONE_MS = 10.0
BAR_MC_CPU_S = 2.0

SCENARIO = {
    "segments": [
        {"name": "Consumers", "share": 0.4, "arpu": 25, "churn": 0.3, "cac": 150},
        {"name": "Prosumers", "share": 0.25, "arpu": 45, "churn": 0.22},
        {"name": "Small business", "share": 0.2, "arpu": 80, "churn": 0.18,
         "bad_profit_share": 0.1, "cac": 500},
        {"name": "Mid-market", "share": 0.1, "arpu": 200, "churn": 0.1, "honesty": 1.0,
         "cac": 1500},
        {"name": "Deal hunters", "share": 0.05, "arpu": 15, "churn": 0.55,
         "bad_profit_share": 0.25, "over_promise_share": 0.4, "cac": 400},
    ],
    "tiers": [
        {"name": "User", "share": 0.6, "arpu": 40, "upgrade": 0.015},
        {"name": "Heavy user", "share": 0.3, "arpu": 60, "churn_multiplier": 0.7,
         "upgrade": 0.008, "downgrade": 0.01, "referral_multiplier": 1.5},
        {"name": "Super user", "share": 0.1, "arpu": 90, "churn_multiplier": 0.4,
         "downgrade": 0.008, "referral_multiplier": 4},
    ],
    "fixes": [
        {"name": f"Fix {j + 1}", "capex": 400_000.0 * (j + 1),
         "opex_per_year": 50_000.0 * (j + 1),
         "churn_share": ({"low": 0.01, "likely": 0.02 + 0.003 * j, "high": 0.05}
                         if j % 2 else 0.015 + 0.002 * j),
         "segments": "all" if j % 3 else ["Consumers", "Small business"],
         **({"build_months": 6 + j} if j % 4 == 0 else {})}
        for j in range(10)],
}


def _best(f, repeats: int) -> tuple[float, float]:
    """Median wall time and median CPU time of ``repeats`` calls, seconds."""
    wall, cpu = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        f()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(wall), statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args(argv)
    values = validate({"honesty": 0.8, "investment": 8_000_000.0})
    structure = parse_structure(SCENARIO)
    structured = Structured(structure, values)
    pair = {k: np.array([0.0 if k in ("honesty", "investment") else float(v), float(v)])
            for k, v in values.items()}

    def one_plain():
        return run(values)

    def one_structured():
        return structured.simulate(pair)

    def full_report():
        return run_structured(values, structure)

    one_plain(), one_structured(), full_report()  # warm up
    rows = []
    for _ in range(3):  # interleaved rounds
        rows.append((_best(one_plain, args.repeats), _best(one_structured, args.repeats),
                     _best(full_report, max(3, args.repeats // 5))))
    plain_ms = min(r[0][0] for r in rows) * 1e3
    seg_ms = min(r[1][0] for r in rows) * 1e3
    report_ms = min(r[2][0] for r in rows) * 1e3
    print(f"one scenario, plain one-segment run:          {plain_ms:7.2f} ms")
    print(f"one scenario, 5 segments × 3 tiers × 10 fixes: {seg_ms:7.2f} ms "
          f"({seg_ms / plain_ms:.1f}× the plain run; bar {BAR_ONE_MS:.0f} ms: "
          f"{'met' if seg_ms <= BAR_ONE_MS else 'NOT met'})")
    print(f"  with every report (segments, ranking, budget curve): {report_ms:7.2f} ms "
          f"({report_ms / plain_ms:.1f}×, no bar)")

    mc_rows = []
    for _ in range(2):
        mc_rows.append((_best(lambda: monte_carlo(values, None, draws=args.draws, seed=7), 1),
                        _best(lambda: monte_carlo(values, structured, draws=args.draws,
                                                  seed=7), 1)))
    plain_cpu = min(r[0][1] for r in mc_rows)
    seg_cpu = min(r[1][1] for r in mc_rows)
    seg_wall = min(r[1][0] for r in mc_rows)
    print(f"Monte Carlo {args.draws:,} draws, plain:       {plain_cpu:6.2f} s CPU")
    print(f"Monte Carlo {args.draws:,} draws, structured:  {seg_cpu:6.2f} s CPU, {seg_wall:.2f} s "
          f"wall ({seg_cpu / plain_cpu:.1f}× the plain CPU; bar {BAR_MC_CPU_S:.0f} s CPU: "
          f"{'met' if seg_cpu <= BAR_MC_CPU_S else 'NOT met'})")
    return 0 if seg_ms <= BAR_ONE_MS and seg_cpu <= BAR_MC_CPU_S else 1


if __name__ == "__main__":
    sys.exit(main())
