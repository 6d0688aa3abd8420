"""Decision-analysis page after a lever moves: time to its first figure, and to the whole page.

Bar (DESIGN §5): the first figure (the fan chart of the odds) within 1 s of a lever moving. The
page streams its elements in order, so the first figure is ready once the Monte Carlo (default
2,000 draws) and the fan chart's spec are: that path is timed directly (model call + chart
spec), cold (a new lever value, nothing cached). The whole page rerun through Streamlit's AppTest
(every section: odds, tornado, three heatmaps, goal seek) is timed too, beside the Dashboard page
rerun after the same lever move as the baseline, interleaved in one run.

Run: python -m benchmarks.bench_analysis_page [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from model import analysis
from model.assumptions import defaults
from ui.analysis_charts import fan_chart

ROOT = Path(__file__).resolve().parent.parent

BAR_S = 1.0


def first_figure(honesty: float) -> float:
    values = {**defaults(), "honesty": honesty}
    t = time.perf_counter()
    mc = analysis.monte_carlo(values, draws=analysis.DEFAULT_DRAWS, seed=0)
    fan_chart(mc).to_dict()
    return time.perf_counter() - t


def page_rerun(page: str, honesty: float) -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(page)
    at.run()
    at.slider(key="w_honesty").set_value(round(100 * honesty))
    t = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - t
    assert not at.exception, [e.value for e in at.exception]
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    first_figure(0.5)  # warm up imports
    load_before = os.getloadavg()[0]
    first, whole, dash = [], [], []
    for i in range(args.repeats):
        h = 0.3 + 0.05 * i  # a new value each time: nothing cached
        first.append(first_figure(h))
        whole.append(page_rerun("pages/decision_analysis.py", h))
        dash.append(page_rerun("pages/dashboard.py", h))
    m_first, m_whole, m_dash = (statistics.median(x) for x in (first, whole, dash))
    print(f"Decision analysis after a lever moves ({analysis.DEFAULT_DRAWS:,} draws; load average "
          f"before: {load_before:.1f} on {os.cpu_count()} cores)")
    print(f"  first figure (Monte Carlo + fan chart spec)   median {m_first:6.3f} s  "
          f"(min {min(first):.3f})  bar ≤ {BAR_S} s")
    print(f"  whole decision-analysis page rerun (AppTest)  median {m_whole:6.3f} s  "
          f"(min {min(whole):.3f})")
    print(f"  dashboard page rerun (AppTest), baseline      median {m_dash:6.3f} s  "
          f"(min {min(dash):.3f})")
    print(f"  ratio first figure / dashboard rerun          {m_first / m_dash:6.2f}×")
    print(f"  ratio whole page / dashboard rerun            {m_whole / m_dash:6.2f}×")
    ok = m_first <= BAR_S
    print("PASS" if ok else "FAIL", f"first figure {m_first:.3f} s vs bar {BAR_S} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
