"""Browser round trip: a key press on the honesty slider until the new verdict shows (bar ≤ 1 s).

Starts the real server (streamlit run app.py on a free port), opens it in headless Chromium,
and presses ArrowRight on the honesty lever from 0 % to 100 % (20 moves, each a value the cache
has not seen). Prints the median and p90 beside the model run alone for the same values, and
asserts that every verdict the browser shows is the one the model computes.

    python -m benchmarks.bench_browser [--moves 20]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from model.simulation import run
from tests.support.server import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_for_app
from ui.verdict import verdict_sentence

ROOT = Path(__file__).resolve().parent.parent

BAR_SECONDS = 1.0
HONESTY = '.st-key-w_honesty input[type="range"]'
CHANGED = ("b => { const v = document.querySelector('.st-key-verdict');"
           " return v && v.innerText.trim() !== b; }")


def p90(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=10)[-1]


def browser_round_trips(moves: int) -> tuple[list[float], list[tuple[float, str]]]:
    from playwright.sync_api import sync_playwright

    proc, url = start_server()
    times, shown = [], []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url + "/?honesty=0")
            wait_for_app(page)
            page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=30_000)
            slider = page.locator(HONESTY)
            for _ in range(moves):
                before = page.locator(".st-key-verdict").inner_text().strip()
                slider.focus()
                t0 = time.perf_counter()
                page.keyboard.press("ArrowRight")
                page.wait_for_function(CHANGED, arg=before, polling="raf", timeout=15_000)
                times.append(time.perf_counter() - t0)
                shown.append((float(slider.get_attribute("value")) / 100,
                              page.locator(".st-key-verdict").inner_text().strip()))
                wait_for_app(page)  # let the rerun finish before the next move (not timed)
            browser.close()
    finally:
        stop_server(proc)
    return times, shown


def model_times(values: list[float], repeats: int = 5) -> list[float]:
    """The same model runs alone, in-process (the floor under the round trip)."""
    out = []
    for h in values:
        best = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            run({"honesty": h})
            best.append(time.perf_counter() - t0)
        out.append(statistics.median(best))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20, help="slider moves to time (≥ 15)")
    args = parser.parse_args(argv)
    moves = max(15, min(args.moves, 20))  # 0 % → 100 % in 5 % steps: at most 20 fresh values

    times, shown = browser_round_trips(moves)
    for honesty, text in shown:
        expected = verdict_sentence(run({"honesty": round(honesty, 12)}).summary)
        assert text == expected, f"browser shows {text!r}, model says {expected!r}"
    model = model_times([h for h, _ in shown])

    med, p = statistics.median(times), p90(times)
    model_med = statistics.median(model)
    print(f"browser round trip, key press → new verdict ({len(times)} moves):")
    print(f"  median {med * 1000:8.1f} ms   p90 {p * 1000:8.1f} ms   "
          f"min {min(times) * 1000:.1f} ms   max {max(times) * 1000:.1f} ms")
    print(f"model run alone (same values):  median {model_med * 1000:8.2f} ms")
    print(f"ratio round trip / model run: {med / model_med:,.0f}×")
    print(f"all {len(shown)} verdicts equal the model's: yes")
    ok = med <= BAR_SECONDS
    print(f"bar: median ≤ {BAR_SECONDS:.0f} s → {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
