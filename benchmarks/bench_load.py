"""Load: N executives moving sliders at once on one server (issue bar: p90 key press → verdict ≤ 1 s).

Starts the real server, opens N browser contexts (separate sessions) in one headless Chromium, and
in each presses ArrowRight on the honesty lever MOVES times, waiting for the new verdict after each
press. All sessions press at the same time (threads would not help Playwright's sync API, so each
round presses in every session, then waits for every verdict). Prints the latency of each press
(median, p90, max) and the server's CPU time per slider move read from /proc, beside the same
figures for one session alone in the same run.

    python benchmarks/bench_load.py [--sessions 10] [--moves 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_for_app  # noqa: E402

BAR_P90_SECONDS = 1.0
HONESTY = '.st-key-w_honesty input[type="range"]'
VERDICT = ".st-key-verdict"
CHANGED = ("b => { const v = document.querySelector('.st-key-verdict');"
           " return v && v.innerText.trim() !== b; }")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def p90(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=10, method="inclusive")[-1] if len(xs) > 1 else xs[0]


def drive(browser, url: str, sessions: int, moves: int, pid: int) -> tuple[list[float], float]:
    """Latencies of every press and the server's CPU seconds per move."""
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000})
                for _ in range(sessions)]
    pages = [c.new_page() for c in contexts]
    for pg in pages:
        pg.goto(url + "/?honesty=0")
    for pg in pages:
        wait_for_app(pg)
        pg.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=60_000)
    latencies: list[float] = []
    cpu0 = cpu_seconds(pid)
    for _ in range(moves):
        before = [pg.locator(VERDICT).inner_text().strip() for pg in pages]
        started = []
        for pg in pages:  # press in every session before waiting for any
            pg.locator(HONESTY).focus()
            started.append(time.perf_counter())
            pg.keyboard.press("ArrowRight")
        for pg, t0, b in zip(pages, started, before, strict=True):
            pg.wait_for_function(CHANGED, arg=b, polling="raf", timeout=60_000)
            latencies.append(time.perf_counter() - t0)
        for pg in pages:
            wait_for_app(pg)  # every rerun finished before the next round (not timed)
    cpu = cpu_seconds(pid) - cpu0
    for c in contexts:
        c.close()
    return latencies, cpu / (sessions * moves)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--moves", type=int, default=10, help="presses per session (≤ 20)")
    args = parser.parse_args(argv)
    moves = max(1, min(args.moves, 20))
    from playwright.sync_api import sync_playwright

    proc, url = start_server()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
            alone, cpu_alone = drive(browser, url, 1, moves, proc.pid)
            loaded, cpu_loaded = drive(browser, url, args.sessions, moves, proc.pid)
            browser.close()
    finally:
        stop_server(proc)

    print(f"key press → new verdict, {moves} presses per session, server on this machine "
          f"({os.cpu_count()} cores, browsers on the same cores):")
    for name, xs, cpu in (("1 session", alone, cpu_alone),
                          (f"{args.sessions} sessions", loaded, cpu_loaded)):
        print(f"  {name:12s} median {statistics.median(xs) * 1000:7.0f} ms   "
              f"p90 {p90(xs) * 1000:7.0f} ms   max {max(xs) * 1000:7.0f} ms   "
              f"server CPU per move {cpu * 1000:6.0f} ms")
    print(f"ratio p90 {args.sessions} sessions / 1 session: {p90(loaded) / p90(alone):.1f}×")
    ok = p90(loaded) <= BAR_P90_SECONDS
    print(f"bar: p90 with {args.sessions} sessions ≤ {BAR_P90_SECONDS:.0f} s → "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
