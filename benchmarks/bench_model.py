"""One deterministic scenario, 10 years monthly: the model beside a pure-Python loop (bar ≤ 5 ms).

Run: python -m benchmarks.bench_model
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from benchmarks.reference_loop import compare_loop
from model import Baseline, Segment, defaults, run

BAR_MS = 5.0


def median_ms(fn, repeats: int) -> tuple[float, float]:
    fn()  # warm up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.9 * len(times))]


class Hyperbolic:
    """sBG-shaped hazard, so the age-structured path is timed too."""

    name, is_constant = "sBG(1, 4)", False

    def monthly_hazard(self, ages):
        return 1.0 / (5.0 + np.asarray(ages))


def main() -> int:
    values = defaults()
    model_summary = run(values).summary.to_dict()
    loop_summary = compare_loop(values)
    for key, want in loop_summary.items():  # the two compute the same numbers
        got = model_summary[key]
        assert (got == want) if want is None or isinstance(want, int) else \
            abs(got - want) <= 1e-9 * abs(want), key

    model_med, model_p90 = median_ms(lambda: run(values).summary, 300)
    loop_med, loop_p90 = median_ms(lambda: compare_loop(values), 30)
    print("one deterministic scenario (status quo + customer-centric, 120 months, summary)")
    print(f"  model (numpy)        median {model_med:7.3f} ms   p90 {model_p90:7.3f} ms   bar ≤ {BAR_MS} ms")
    print(f"  pure-Python loop     median {loop_med:7.3f} ms   p90 {loop_p90:7.3f} ms")
    print(f"  ratio loop / model   {loop_med / model_med:7.1f}×   (same numbers asserted)")

    table_med, _ = median_ms(lambda: run(values).combined_table(), 100)
    print(f"  model + both monthly tables   median {table_med:7.3f} ms")

    base = Baseline((Segment("all", values["customers"], values["arpu_monthly"], Hyperbolic(), 1.0),))
    hazard = list(Hyperbolic().monthly_hazard(np.arange(241.0)))
    aged = run(values, base).summary.delta_npv
    assert abs(aged - compare_loop(values, hazard)["delta_npv"]) <= 1e-9 * abs(aged)
    aged_med, _ = median_ms(lambda: run(values, base).summary, 50)
    aged_loop, _ = median_ms(lambda: compare_loop(values, hazard), 3)
    print("age-structured (241 age buckets, sBG-shaped hazard)")
    print(f"  model median {aged_med:7.3f} ms   loop median {aged_loop:8.1f} ms   "
          f"ratio {aged_loop / aged_med:5.1f}×")
    ok = model_med <= BAR_MS
    print("PASS" if ok else "FAIL", f"default scenario median {model_med:.3f} ms vs bar {BAR_MS} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
