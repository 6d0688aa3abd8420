"""Load: N executives moving sliders at once on one server (issue bar: p90 key press → verdict ≤ 1 s).

Starts the real server, opens N browser contexts (separate sessions) in one headless Chromium, and
in each presses ArrowRight on the honesty lever MOVES times. All sessions press in the same round
before any is waited for. Each page times its own key press → verdict: a capture listener stamps
the keydown and a MutationObserver stamps the first change of the verdict's text, both on the
page's clock, so one slow session does not inflate the others' figures.

Prints, for one session alone and for N at once in the same run: the latency of each press
(median, p90, max), the server's CPU per slider move (from /proc of the server process) and the
browsers' CPU per move (every Chromium process; they share the machine's cores with the server).

With --uploads K, one more session uploads a churn file of --upload-mb MB on the churn-data page
K times while the others move sliders, and the server's resident memory is printed before and
after.

    python -m benchmarks.bench_load [--sessions 10] [--moves 10] [--uploads 0] [--upload-mb 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from tests.support.server import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_for_app

ROOT = Path(__file__).resolve().parent.parent

BAR_P90_SECONDS = 1.0
HONESTY = '.st-key-w_honesty input[type="range"]'
UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'
# The churn page has fitted the upload of this many rows and is not running.
FITTED = """rows => !document.querySelector('[data-testid="stStatusWidget"]')
                  && document.body.innerText.includes(rows + ' rows')"""
PROBE = """(() => {
  const verdict = () => {
    const v = document.querySelector('.st-key-verdict');
    return v ? v.innerText.trim() : null;
  };
  const probe = window.__oneq = {press: null, changed: null, before: null};
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight') return;
    probe.press = performance.now(); probe.changed = null; probe.before = verdict();
  }, true);
  new MutationObserver(() => {
    if (probe.press === null || probe.changed !== null) return;
    const now = verdict();
    if (now && now !== probe.before) probe.changed = performance.now();
  }).observe(document, {subtree: true, childList: true, characterData: true});
})()"""


def _ticks(stat_path: Path) -> int:
    fields = stat_path.read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its waited-for children so far (Linux /proc)."""
    return _ticks(Path(f"/proc/{pid}/stat")) / os.sysconf("SC_CLK_TCK")


def browser_cpu_seconds() -> float:
    """CPU time of every running Chromium process (the benchmark's browser is the only one)."""
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if b"chrom" in (proc / "cmdline").read_bytes().split(b"\0", 1)[0]:
                total += _ticks(proc / "stat")
        except OSError:  # the process ended while we looked
            continue
    return total / os.sysconf("SC_CLK_TCK")


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def p90(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=10, method="inclusive")[-1] if len(xs) > 1 else xs[0]


def churn_rows(megabytes: int) -> tuple[bytes, int]:
    """A customer-rows churn file of about ``megabytes`` MB (tenure, churned, plan): its bytes
    and its number of data rows."""
    plans = ("Monthly", "Annual", "Two-year")
    lines = ["tenure_months,churned,plan\n"]
    size = 0
    while size < megabytes * 1_000_000:
        i = len(lines)
        line = f"{1 + (i * 7919) % 96},{(i * 31) % 3 == 0},{plans[i % 3]}\n"
        lines.append(line)
        size += len(line)
    return "".join(lines).encode(), len(lines) - 1


class Uploader:
    """One more session on the churn-data page uploading different files, one after another:
    a new upload starts in a round only once the page has fitted the previous one."""

    def __init__(self, browser, url: str, folder: Path, megabytes: int, uploads: int):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.page.goto(url + "/churn_data")
        wait_for_app(self.page)
        self.base, self.base_rows = churn_rows(megabytes)
        self.folder, self.left, self.done, self.rows = folder, uploads, 0, None

    def _fitted(self) -> bool:
        """The page shows the last file's row count and is not running."""
        return self.rows is None or self.page.evaluate(FITTED, f"{self.rows:,}")

    def step(self) -> None:
        """Start the next upload if the previous one is fitted (the sliders do not wait)."""
        if self.left <= 0 or not self._fitted():
            return
        self.done += 1  # each file differs (one more row each time): no cache can answer it
        extra = "".join(f"{1 + k % 96},True,Monthly\n" for k in range(self.done)).encode()
        for old in self.folder.glob("customers-*.csv"):
            old.unlink()
        path = self.folder / f"customers-{self.done}.csv"  # the uploader ignores a same path
        path.write_bytes(self.base + extra)
        self.rows = self.base_rows + self.done
        self.page.locator(UPLOAD_INPUT).first.set_input_files(str(path))
        self.left -= 1

    def finish(self) -> None:
        """Upload the rest one by one, each fitted before the next."""
        while True:
            self.page.wait_for_function(FITTED, arg=f"{self.rows:,}", polling=200,
                                        timeout=600_000)
            if self.left <= 0:
                break
            self.step()
        self.context.close()


def drive(browser, url: str, sessions: int, moves: int, pid: int,
          uploader: Uploader | None = None) -> dict:
    """Latencies of every press, and the server's and browsers' CPU seconds per move."""
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000})
                for _ in range(sessions)]
    for c in contexts:
        c.add_init_script(PROBE)
    pages = [c.new_page() for c in contexts]
    for pg in pages:
        pg.goto(url + "/?honesty=0")
    for pg in pages:
        wait_for_app(pg)
        pg.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=60_000)
    latencies: list[float] = []
    server0, browser0 = cpu_seconds(pid), browser_cpu_seconds()
    for _ in range(moves):
        if uploader is not None:
            uploader.step()
        for pg in pages:  # press in every session before waiting for any
            pg.locator(HONESTY).focus()
            pg.keyboard.press("ArrowRight")
        for pg in pages:
            pg.wait_for_function("window.__oneq.changed !== null", polling="raf",
                                 timeout=120_000)
            latencies.append(pg.evaluate("window.__oneq.changed - window.__oneq.press") / 1000)
        for pg in pages:
            wait_for_app(pg)  # every rerun finished before the next round (not timed)
    moved = sessions * moves
    server, browsers = cpu_seconds(pid) - server0, browser_cpu_seconds() - browser0
    for c in contexts:
        c.close()
    return {"latencies": latencies, "server": server / moved, "browsers": browsers / moved}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--moves", type=int, default=10, help="presses per session (≤ 20)")
    parser.add_argument("--uploads", type=int, default=0,
                        help="churn files one more session uploads meanwhile (≤ 20)")
    parser.add_argument("--upload-mb", type=int, default=50)
    args = parser.parse_args(argv)
    moves = max(1, min(args.moves, 20))
    uploads = max(0, min(args.uploads, 20))
    from playwright.sync_api import sync_playwright

    proc, url = start_server()
    rss = {}
    try:
        with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
            alone = drive(browser, url, 1, moves, proc.pid)
            uploader = None
            if uploads:
                rss["before uploads"] = resident_mb(proc.pid)
                uploader = Uploader(browser, url, Path(tmp), args.upload_mb, uploads)
            loaded = drive(browser, url, args.sessions, moves, proc.pid, uploader)
            if uploader is not None:
                uploader.finish()
                rss[f"after {uploader.done} uploads"] = resident_mb(proc.pid)
            browser.close()
    finally:
        stop_server(proc)

    print(f"key press → new verdict, {moves} presses per session, server on this machine "
          f"({os.cpu_count()} cores, browsers on the same cores):")
    label = f"{args.sessions} sessions" + (f" + {uploads} uploads of {args.upload_mb} MB"
                                           if uploads else "")
    for name, run in (("1 session", alone), (label, loaded)):
        xs = run["latencies"]
        print(f"  {name}: median {statistics.median(xs) * 1000:.0f} ms, "
              f"p90 {p90(xs) * 1000:.0f} ms, max {max(xs) * 1000:.0f} ms; CPU per move: "
              f"server {run['server'] * 1000:.0f} ms, browsers {run['browsers'] * 1000:.0f} ms")
    print(f"ratio p90 {args.sessions} sessions / 1 session: "
          f"{p90(loaded['latencies']) / p90(alone['latencies']):.1f}×")
    for name, mb in rss.items():
        print(f"server resident memory {name}: {mb:.0f} MB")
    ok = p90(loaded["latencies"]) <= BAR_P90_SECONDS
    print(f"bar: p90 with {args.sessions} sessions ≤ {BAR_P90_SECONDS:.0f} s → "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
