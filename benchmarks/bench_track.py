"""Tracking a plan: the update of a 10,000-draw plan with 36 months of actuals, and the staged
Monte Carlo against the all-in one.

Bars (issue 20): the update (re-weighting, posterior of r, odds before and now, surprises, the
gate) ≤ 1 s — the plan's draws are simulated once before the clock starts, as the app and the CLI
keep them; the staged Monte Carlo (status quo, all-in and pilot paths, and each draw's gate from
the evidence it would produce) ≤ 2× the all-in Monte Carlo of the Decision analysis page
(``model.analysis.monte_carlo``) with the same draws, interleaved in one run.

Run: python -m benchmarks.bench_track [--draws N] [--repeats N]

Measured here (2 shared cores, load 8–12, 5 repeats): update 0.06–0.18 s; staged / all-in
1.43–1.94× (1.62× on the last run) — the floor is 1.5× (three simulations against two).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from model import analysis
from model.assumptions import defaults
from model.tracking import Actuals, Staging, plan_draws, staged_analysis, update

UPDATE_BAR_S = 1.0
STAGED_BAR = 2.0


def actuals_from(d, months: int, column: int = 0) -> Actuals:
    """36 months a business would report: draw ``column``'s path with binomial/Poisson noise."""
    rng = np.random.default_rng(7)
    path = d.plan
    n = np.rint(path.customers[:months, column].astype(float))
    c = rng.binomial(n.astype(int), path.churned[:months, column] / path.customers[:months, column])
    a = rng.poisson(path.new_customers[:months, column])
    return Actuals(np.arange(1, months + 1), n, c.astype(float), a.astype(float),
                   path.revenue[:months, column].astype(float), np.full(months, np.nan))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--draws", type=int, default=10_000)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    values = {**defaults(), "honesty": 0.6}
    staging = Staging(0.3, 12, 0.7)

    d = plan_draws(values, draws=args.draws, seed=1)
    acts = actuals_from(d, 36)
    times = []
    for _ in range(args.repeats):
        t = time.perf_counter()
        result = update(d, values, acts, staging)
        times.append(time.perf_counter() - t)
    upd = statistics.median(times)
    print(f"update: {args.draws:,} draws × 36 months: {upd:.3f} s (median of {args.repeats}); "
          f"bar {UPDATE_BAR_S:.1f} s → ratio to bar {upd / UPDATE_BAR_S:.2f} "
          f"[{'OK' if upd <= UPDATE_BAR_S else 'OVER'}] (method {result.method}, ESS "
          f"{result.effective_sample_size:,.0f})")

    all_in, staged = [], []
    for _ in range(args.repeats):
        t = time.perf_counter()
        analysis.monte_carlo(values, draws=args.draws, seed=1)
        all_in.append(time.perf_counter() - t)
        t = time.perf_counter()
        staged_analysis(values, staging, draws=args.draws, seed=1)
        staged.append(time.perf_counter() - t)
    a, s = statistics.median(all_in), statistics.median(staged)
    print(f"all-in Monte Carlo: {a:.2f} s; staged Monte Carlo: {s:.2f} s; staged / all-in = "
          f"{s / a:.2f}× (bar {STAGED_BAR:.1f}×) [{'OK' if s / a <= STAGED_BAR else 'OVER'}]")


if __name__ == "__main__":
    main()
