"""Monte Carlo, 10,000 draws × 120 months (default scenario): vectorised blocks vs one run per draw.

Bars (DESIGN §5 and issue 19): independent draws (no correlation, customers certain to respond as
assumed) ≤ 1 s median on a 2-core machine; the registry's defaults — effect sizes
rank-correlated by Iman–Conover and the latent customer response r (a mass at no response, a
PERT above it) scaling every response — ≤ 1 s of CPU time, ≤ 0.5 s median, and ≤ 1.5× the
independent draws, timed side by side in this run (interleaved, so a busy machine slows both
alike; CPU time is the steadier figure on a shared machine). The peer is the deterministic model
(``model.simulation.run``) called once per draw; it is timed on a subset of the draws and scaled
to all of them (said in the output). Both must give the same ΔNPV per draw (1e-9 relative), for
the independent draws and for the defaults' (each response × the draw's r).
Peak memory of one Monte Carlo is measured with tracemalloc (numpy reports its buffers to it).

Run: python -m benchmarks.bench_monte_carlo [--draws N] [--subset N] [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc

import numpy as np

from model.analysis import default_ranges, monte_carlo, response_names, sample
from model.assumptions import BY_NAME, defaults
from model.simulation import run

BAR_S = 1.0
BAR_CORRELATED_S = 0.5
BAR_LATENT_CPU_S = 1.0
BAR_RATIO = 1.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--subset", type=int, default=300, help="draws run one by one")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    correlated_values = defaults()  # the correlation and the latent response at their defaults
    values = {**correlated_values, "p_no_response": 0.0, "response_spread": 0.0,
              "effect_correlation": 0.0}  # r = 1 in every draw
    ranges = default_ranges(values)
    draws = args.draws

    def mc():
        return monte_carlo(values, None, ranges, draws, args.seed, "pert")

    def correlated():
        return monte_carlo(correlated_values, None, ranges, draws, args.seed, "pert")

    result = mc()  # warm up (imports, caches) and keep the numbers for the check below
    tied = correlated()
    load_before = os.getloadavg()[0]
    times, cpu, times_tied, cpu_tied = [], [], [], []
    for _ in range(args.repeats):
        t, c = time.perf_counter(), time.process_time()
        mc()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        correlated()
        times_tied.append(time.perf_counter() - t)
        cpu_tied.append(time.process_time() - c)
    med = statistics.median(times)
    med_tied = statistics.median(times_tied)

    single_thread = []
    for _ in range(3):
        t = time.perf_counter()
        monte_carlo(values, None, ranges, draws, args.seed, "pert", workers=1)
        single_thread.append(time.perf_counter() - t)

    tracemalloc.start()
    mc()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # The peer: the same draws, one deterministic run each (draws spread over all blocks).
    drawn = sample(ranges, draws, args.seed, "pert")
    subset = np.linspace(0, draws - 1, min(args.subset, draws)).round().astype(int)
    kinds = {r.name: BY_NAME[r.name].kind for r in ranges}

    def one(i: int) -> float:
        v = dict(values)
        for name, x in drawn.items():
            v[name] = int(x[i]) if kinds[name] == "int" else float(x[i])
        return run(v).summary.delta_npv

    one(int(subset[0]))  # warm up
    t = time.perf_counter()
    single = np.array([one(int(i)) for i in subset])
    loop_s = (time.perf_counter() - t) * draws / len(subset)

    vec = result.delta_npv[subset]
    rel = np.max(np.abs(vec - single) / np.maximum(np.abs(single), 1.0))
    assert rel <= 1e-9, f"Monte Carlo and one-by-one runs differ: max relative {rel:.2e}"
    # The defaults' draws: correlated marginals, each response × the draw's latent response.
    tied_drawn = sample(ranges, draws, args.seed, "pert",
                        float(correlated_values["effect_correlation"]))
    responses = set(response_names())

    def one_latent(i: int) -> float:
        v = dict(correlated_values)
        for name, x in tied_drawn.items():
            v[name] = int(x[i]) if kinds[name] == "int" else float(x[i])
        for name in responses:
            v[name] = float(tied.response[i]) * float(v[name])
        return run(v).summary.delta_npv

    latent = np.array([one_latent(int(i)) for i in subset[:60]])
    rel_latent = np.max(np.abs(tied.delta_npv[subset[:60]] - latent)
                        / np.maximum(np.abs(latent), 1.0))
    assert rel_latent <= 1e-9, f"latent draws and one-by-one runs differ: {rel_latent:.2e}"

    months = result.horizon_months
    print(f"Monte Carlo: {draws:,} draws × {months} months, default scenario, PERT, "
          f"{len(ranges)} uncertain assumptions, seed {args.seed}")
    print(f"  vectorised blocks (model.analysis.monte_carlo)  median {med:6.3f} s  "
          f"(min {min(times):.3f}, max {max(times):.3f}, {args.repeats} repeats)  bar ≤ {BAR_S} s")
    print(f"  CPU time per Monte Carlo (all threads)          median {statistics.median(cpu):6.3f} s  "
          f"(load average before: {load_before:.1f} on {os.cpu_count()} cores)")
    print(f"  same, one thread (workers=1)                   median {statistics.median(single_thread):6.3f} s")
    print(f"  one run per draw (model.simulation.run)          {loop_s:6.3f} s  "
          f"(timed on {len(subset)} draws, scaled ×{draws / len(subset):.1f})")
    print(f"  ratio one-by-one / vectorised                  {loop_s / med:6.1f}×")
    print(f"  defaults: correlated (ρ_s {correlated_values['effect_correlation']}) + latent "
          f"response (p(r = 0) {correlated_values['p_no_response']}, else PERT likely "
          f"{correlated_values['response_likely']:g}, spread "
          f"{correlated_values['response_spread']:g})")
    print(f"    wall time                                    median {med_tied:6.3f} s  "
          f"(min {min(times_tied):.3f})  bar ≤ {BAR_CORRELATED_S} s")
    print(f"    CPU time (all threads)                       median "
          f"{statistics.median(cpu_tied):6.3f} s  bar ≤ {BAR_LATENT_CPU_S} s")
    print(f"  ratio correlated / independent                 {med_tied / med:6.2f}×  "
          f"bar ≤ {BAR_RATIO}×  (CPU time: {statistics.median(cpu_tied):.3f} s vs "
          f"{statistics.median(cpu):.3f} s, "
          f"{statistics.median(cpu_tied) / statistics.median(cpu):.2f}×; steadier on a busy "
          f"machine)")
    print(f"  same ΔNPV per draw on those {len(subset)} draws: max relative difference "
          f"{rel:.1e}; with the latent response, on 60 of them: {rel_latent:.1e} "
          "(≤ 1e-9 asserted)")
    print(f"  peak memory (tracemalloc) of one Monte Carlo   {peak / 2**20:6.1f} MiB")
    print(f"  P(payback inside tenure) {result.p_payback_inside_tenure:.3f}, "
          f"P(payback inside horizon) {result.p_payback_inside_horizon:.3f}, "
          f"P(ΔNPV > 0) {result.p_delta_npv_positive:.3f} (independent, r = 1); "
          f"P(ΔNPV > 0) {tied.p_delta_npv_positive:.3f}, given a response "
          f"{tied.p_delta_npv_positive_if_response:.3f} (defaults, latent response)")
    cpu_tied_med = statistics.median(cpu_tied)
    ok = (med <= BAR_S and med_tied <= BAR_CORRELATED_S and med_tied / med <= BAR_RATIO
          and cpu_tied_med <= BAR_LATENT_CPU_S)
    print("PASS" if ok else "FAIL", f"independent {med:.3f} s vs bar {BAR_S} s; defaults "
          f"{med_tied:.3f} s vs bar {BAR_CORRELATED_S} s, CPU {cpu_tied_med:.3f} s vs bar "
          f"{BAR_LATENT_CPU_S} s; ratio {med_tied / med:.2f}× vs {BAR_RATIO}×")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
