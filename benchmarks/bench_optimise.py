"""Honesty × investment for three owners (default scenario): the optimiser with its heatmap vs a brute grid.

Bar (DESIGN §5): the 2-D optimisation with its heatmap grid ≤ 1 s (median). The peer is a brute
force fine grid (101 honesty × 401 investment points from 0 to the registry maximum, the same
vectorised objectives) — what a spreadsheet's two-way data table does. Both run in this process,
interleaved, and the optimiser's optima must be at least as good as the brute grid's (asserted).

Run: python -m benchmarks.bench_optimise [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np

from model.analysis import OBJECTIVES, Objectives, optimise_levers
from model.assumptions import BY_NAME, defaults

BAR_S = 1.0


def brute(values: dict, honesty_points: int = 101, investment_points: int = 401) -> dict:
    f = Objectives(values)
    hs = np.linspace(0.0, 1.0, honesty_points)
    ks = np.linspace(0.0, float(BY_NAME["investment"].max), investment_points)
    H, K = np.meshgrid(hs, ks, indexing="ij")
    y = f(H, K)
    out = {}
    for key in OBJECTIVES:
        i = int(np.argmax(y[key]))
        out[key] = (float(H.flat[i]), float(K.flat[i]), float(y[key][i]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    values = defaults()

    lm = optimise_levers(values)  # warm up
    ref = brute(values)
    load_before = os.getloadavg()[0]
    t_opt, t_brute = [], []
    for _ in range(args.repeats):
        t = time.perf_counter()
        lm = optimise_levers(values)
        t_opt.append(time.perf_counter() - t)
        t = time.perf_counter()
        ref = brute(values)
        t_brute.append(time.perf_counter() - t)
    med, med_b = statistics.median(t_opt), statistics.median(t_brute)
    print(f"Honesty × investment, default scenario, board weight {values['board_weight']}, "
          f"tenure {values['tenure_years']:g} years, horizon {values['horizon_years']} years "
          f"(load average before: {load_before:.1f} on {os.cpu_count()} cores)")
    print(f"  optimiser + heatmap ({lm.honesty.size}×{lm.investment.size} grid, "
          f"model.analysis.optimise_levers)  median {med:6.3f} s  (min {min(t_opt):.3f})  "
          f"bar ≤ {BAR_S} s")
    print(f"  brute-force grid 101 × 401                       median {med_b:6.3f} s  "
          f"(min {min(t_brute):.3f})")
    print(f"  ratio brute / optimiser                          {med_b / med:6.2f}×")
    ok_values = True
    for key in OBJECTIVES:
        o = lm.optima[key]
        h, k, v = ref[key]
        better = o.value >= v - 1e-9 * abs(v)
        ok_values &= better
        print(f"  {key:8s} optimiser honesty {o.honesty:5.3f}, investment {o.investment:13,.0f}, "
              f"value {o.value:14,.0f} | brute {h:5.3f}, {k:13,.0f}, {v:14,.0f} "
              f"({'at least as good' if better else 'WORSE'}); 1 % ranges: honesty "
              f"{o.honesty_range[0]:.3f}–{o.honesty_range[1]:.3f}, investment "
              f"{o.investment_range[0]:,.0f}–{o.investment_range[1]:,.0f}")
    ok = med <= BAR_S and ok_values
    print("PASS" if ok else "FAIL", f"median {med:.3f} s vs bar {BAR_S} s; optima "
          f"{'at least as good as' if ok_values else 'worse than'} the brute grid")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
