"""Kaplan–Meier on 1,000,000 customers: ours (bincount + product limit) beside lifelines.

Bar: ratio ours / lifelines ≤ 1 (DESIGN §5), with the same survival at every event time (1e-9).
Both start from the same per-customer arrays (durations, churned flags); ours includes the
aggregation. Peak memory of ours is measured with tracemalloc in a separate pass. lifelines runs
in its own environment (.venv-oracle, see tests/support/oracle.py) and times itself there, on the
same arrays, in the same run.

Run: python -m benchmarks.bench_km [--n N] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc

import numpy as np

from model.fitting import Counts, kaplan_meier
from tests.support import oracle


def data(n: int, seed: int = 2026) -> tuple[np.ndarray, np.ndarray]:
    """sBG lifetimes (α = 0.8, β = 6, months) censored at a random window of 1–120 months."""
    rng = np.random.default_rng(seed)
    life = rng.geometric(rng.beta(0.8, 6.0, n))
    window = rng.integers(1, 121, n)
    churned = life <= window
    return np.where(churned, life, window), churned


def ours(durations: np.ndarray, churned: np.ndarray):
    return kaplan_meier(Counts.from_arrays(durations, churned))


def timed(fn, repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    d, e = data(args.n)
    t_ours, km = timed(lambda: ours(d, e), args.repeats)
    peer = oracle.timed_kaplan_meier(d, e, args.repeats)
    t_ll = peer["seconds"]

    event_times = np.unique(d[e])
    at = np.isin(peer["timeline"], event_times)
    diff = float(np.max(np.abs(km.survival_at(event_times) - peer["survival"][at])))
    assert diff <= 1e-9, f"survival differs from lifelines by {diff}"
    mask = np.isin(km.times, event_times)
    band_diff = float(max(np.max(np.abs(km.lower_[mask] - peer["lower"][at])),
                          np.max(np.abs(km.upper_[mask] - peer["upper"][at]))))

    tracemalloc.start()
    ours(d, e)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    ratio = t_ours / t_ll
    print(f"Kaplan–Meier, {args.n:,} customers, {event_times.size} event times, "
          f"median of {args.repeats}")
    print(f"  ours (bincount + product limit): {1000 * t_ours:8.1f} ms")
    print(f"  lifelines KaplanMeierFitter    : {1000 * t_ll:8.1f} ms")
    print(f"  ratio ours / lifelines         : {ratio:8.3f}   (bar ≤ 1)")
    print(f"  max |ΔS| at event times        : {diff:.1e}   (bar ≤ 1e-9)")
    print(f"  max |Δ band| (log-log Greenwood): {band_diff:.1e}")
    print(f"  peak memory of ours (tracemalloc): {peak / 1e6:.1f} MB")
    return 0 if ratio <= 1 else 1


if __name__ == "__main__":
    sys.exit(main())
