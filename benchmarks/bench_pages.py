"""First useful figure of every page, cold and warm, in Chromium (issue 22, defect 11).

Bars: the first useful figure of every page shows ≤ 3 s after a cold server (just started, nothing
imported or cached by a run) receives the request, and ≤ 1 s on a warm one (the page was served
once before, to another browser). For each page the script starts a fresh server, opens the page
by its direct link in a fresh browser context (cold), then opens it again in another fresh
context (warm, best of ``--warm`` loads), and prints the wall time to the page's first figure
beside the server's own CPU time (utime + stime of the streamlit process, from /proc) and the
browser's (every Chromium process under this one), with the ratio of each wall time to its bar.

    python -m benchmarks.bench_pages [--warm 3] [--pages dashboard,decision_analysis]

The first figure of each page is what a person came for: the dashboard's verdict, Decision
analysis's odds, the first metric of the five demands, the compare page's first chart or table,
the first equation of the Method page, the uploader of the churn page and the workshops heading.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from tests.support.server import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server

COLD_BAR, WARM_BAR = 3.0, 1.0
TICK = os.sysconf("SC_CLK_TCK")
MAIN = '[data-testid="stMain"] '
PAGES: dict[str, tuple[str, str]] = {  # name → (path, CSS selector of the first useful figure)
    "dashboard": ("/", ".st-key-verdict p"),
    "compare": ("/compare", MAIN + '[data-testid="stVegaLiteChart"] svg, '
                + MAIN + '[data-testid="stTable"] td'),
    "decision_analysis": ("/decision_analysis", MAIN + '[data-testid="stMetricValue"]'),
    "walkthrough": ("/walkthrough", MAIN + '[data-testid="stMetricValue"]'),
    "workshop": ("/workshop", MAIN + "h2"),
    "churn_data": ("/churn_data", MAIN + '[data-testid="stFileUploaderDropzone"]'),
    "method": ("/method", MAIN + ".katex"),
}


def cpu_seconds(pid: int) -> float:
    """utime + stime of one process (all its threads), in seconds; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def browser_cpu() -> float:
    """CPU seconds of every Chromium process descending from this one."""
    tree, total, todo = _children(), 0.0, [os.getpid()]
    while todo:
        pid = todo.pop()
        for child in tree.get(pid, []):
            todo.append(child)
            try:
                cmd = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")[0]
            except OSError:
                continue
            if b"chrom" in cmd:
                total += cpu_seconds(child)
    return total


def first_figure(context, url: str, selector: str) -> tuple[float, float, float]:
    """(seconds from the address to the first figure, seconds from the app's request to the
    server — its first websocket message, the rerun — to the figure, the browser's CPU)."""
    page = context.new_page()
    sent: list[float] = []

    def on_socket(ws) -> None:
        ws.on("framesent", lambda _frame: sent.append(time.perf_counter()) if not sent else None)

    page.on("websocket", on_socket)
    try:
        before = browser_cpu()
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(selector, state="visible", timeout=120_000)
        t1 = time.perf_counter()
        return t1 - t0, t1 - (sent[0] if sent else t0), browser_cpu() - before
    finally:
        page.close()


def measure(name: str, warm_loads: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    path, selector = PAGES[name]
    proc, url = start_server({"ONEQ_LIBRARY": f"/tmp/bench_pages_{os.getpid()}.sqlite"})
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
            s0 = cpu_seconds(proc.pid)
            fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
            cold, cold_req, cold_browser = first_figure(fresh, url + path, selector)
            cold_server = cpu_seconds(proc.pid) - s0
            fresh.close()
            time.sleep(1.5)  # let the cold run's tail (the rest of the page) finish
            # Warm: the server has served the page; the browser has the app's files cached
            # (a second visit), in a new tab each time.
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            first_figure(context, url + path, selector)  # fills the browser's cache, not timed
            time.sleep(1.0)
            warm = []
            for _ in range(warm_loads):
                s0 = cpu_seconds(proc.pid)
                wall, req, b_cpu = first_figure(context, url + path, selector)
                warm.append((wall, req, cpu_seconds(proc.pid) - s0, b_cpu))
                time.sleep(1.0)
            context.close()
            browser.close()
    finally:
        stop_server(proc)
        Path(f"/tmp/bench_pages_{os.getpid()}.sqlite").unlink(missing_ok=True)
    best = min(warm, key=lambda w: w[1])
    return {"cold": cold, "cold_req": cold_req, "cold_server": cold_server,
            "cold_browser": cold_browser, "warm": best[0], "warm_req": best[1],
            "warm_server": best[2], "warm_browser": best[3]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=3, help="warm loads per page (best kept)")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated page names")
    args = parser.parse_args(argv)
    names = [n for n in args.pages.split(",") if n]
    print("Seconds to the first useful figure: 'request' counts from the app's request to the "
          "server (its first websocket message), 'address' from typing the address (the app's "
          "files too); ratio = request / bar; server and browser = CPU seconds meanwhile.")
    print(f"{'page':<18} {'COLD':>4} {'request':>7} {'/3 s':>6} {'address':>7} {'server':>7} "
          f"{'browser':>7}   {'WARM':>4} {'request':>7} {'/1 s':>6} {'address':>7} "
          f"{'server':>7} {'browser':>7}")
    failed = []
    for name in names:
        r = measure(name, args.warm)
        print(f"{name:<18} {'':>4} {r['cold_req']:7.2f} {r['cold_req'] / COLD_BAR:6.2f} "
              f"{r['cold']:7.2f} {r['cold_server']:7.2f} {r['cold_browser']:7.2f}   {'':>4} "
              f"{r['warm_req']:7.2f} {r['warm_req'] / WARM_BAR:6.2f} {r['warm']:7.2f} "
              f"{r['warm_server']:7.2f} {r['warm_browser']:7.2f}", flush=True)
        if r["cold_req"] > COLD_BAR or r["warm_req"] > WARM_BAR:
            failed.append(name)
    print(f"Over a bar: {', '.join(failed) or 'none'}. Machine: {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.1f} (other work on the machine slows every wall time).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
