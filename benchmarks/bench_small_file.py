"""A Telco-sized churn file (7,043 rows, three contracts): every curve for every segment, against
lifelines' Kaplan–Meier + Weibull on the same data.

Bar (DESIGN §5): ours ≤ lifelines. Ours is the whole upload pipeline from the file on disk —
parse, guess the columns, count, Kaplan–Meier, the four maximum-likelihood curves (constant,
sBG, sBdW, Weibull) with standard errors, the holdout backtest (four more fits) and the checks,
per segment. lifelines gets the parsed arrays and fits KaplanMeierFitter and WeibullFitter per
segment, timed inside its own process (.venv-oracle, tests/support/oracle.py). Median of
``--repeats`` runs each, in ``--rounds`` rounds taken in turn (ours, lifelines, ours, …) so that a
shared machine's drift hits both; the ratio printed is the median of the rounds' ratios.

Run: python -m benchmarks.bench_small_file [--repeats N] [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import pandas as pd

from model import churn as cd
from tests.support import oracle
from tests.support.app import ROOT

FILE = ROOT / "tests" / "corpus" / "analysts" / "telco_like.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3,
                        help="ours then lifelines, this many times in turn (a shared machine "
                             "drifts: each round's ratio compares neighbours)")
    args = parser.parse_args(argv)
    cd.fit_upload(FILE)  # imports and first-call costs out of the timing
    frame = pd.read_csv(FILE)
    ratios, ours_all, peer_all = [], [], []
    for _ in range(args.rounds):
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            upload = cd.fit_upload(FILE)
            times.append(time.perf_counter() - t0)
        ours = statistics.median(times)
        peer = oracle.timed_km_weibull(frame.tenure, frame.Churn == "Yes", frame.Contract,
                                       args.repeats)
        ratios.append(ours / peer)
        ours_all.append(ours)
        peer_all.append(peer)
    curves = sum(len(f.fits) for f in upload.fitted)
    print(f"{FILE.name}: {len(frame):,} rows, {len(upload.fitted)} segments, median of "
          f"{args.repeats} per round, {args.rounds} rounds in turn")
    print(f"  ours: parse + {curves} curves + Kaplan–Meier + backtests, end to end: "
          + ", ".join(f"{1000 * t:6.1f}" for t in ours_all) + " ms")
    print("  lifelines: KaplanMeierFitter + WeibullFitter per segment   : "
          + ", ".join(f"{1000 * t:6.1f}" for t in peer_all) + " ms")
    ratio = statistics.median(ratios)
    print("  ratio ours / lifelines by round: " + ", ".join(f"{r:.2f}" for r in ratios)
          + f"; median {ratio:.2f}   (bar ≤ 1)")
    return 0 if ratio <= 1 else 1


if __name__ == "__main__":
    sys.exit(main())
