"""Issue 22, defect 10 on Decision analysis: the maps' titles are text that is never cut, the
optimum markers on one spot sit side by side, the spread is shown no finer than its draws
support, and a rerun never shows a duplicate (faded) "Shape of each range"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.server import screenshot, wait_for_app

pytestmark = pytest.mark.browser
CHARTS = '[data-testid="stVegaLiteChart"]'
# Counts the "Shape of each range" radios on every frame, from before the first click on.
RADIO_PROBE = """() => { window.__radios = 0; const tick = () => {
    const n = [...document.querySelectorAll('[data-testid="stRadio"]')]
        .filter(r => r.innerText.includes('Shape of each range')).length;
    window.__radios = Math.max(window.__radios, n); requestAnimationFrame(tick); }; tick(); }"""


def _overlap(a: dict, b: dict) -> float:
    w = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    return max(w, 0) * max(h, 0)


def test_maps_markers_precision_and_no_duplicate_radio(app_url, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(app_url)
        wait_for_app(page)
        page.evaluate(RADIO_PROBE)
        page.get_by_role("link", name="Decision analysis").click()
        page.get_by_text(re.compile(r"In 8 of 10 draws")).wait_for(timeout=60_000)
        page.get_by_text(re.compile(r"Best for the company:")).wait_for(timeout=60_000)
        wait_for_app(page)
        # Precision: the spread's amounts carry at most three significant figures, and with
        # 2,000 draws the widest end fewer.
        sentence = page.get_by_text(re.compile(r"In 8 of 10 draws")).inner_text()
        figures = [len(m.replace(".", "").lstrip("0"))
                   for m in re.findall(r"\$([\d.]+)[kMB]", sentence)]
        assert figures and max(figures) <= 3 and min(figures) <= 2, sentence
        # The maps: titles are the page's text (never cut), no title inside the charts.
        for title in ("Total (cash + end value) over 10 years",
                      "Gain or loss inside your 5-year tenure", "What the board credits"):
            heading = page.locator('[data-testid="stMain"] strong', has_text=title)
            assert heading.count() == 1, title
            assert heading.evaluate("e => e.scrollWidth <= e.clientWidth + 1 || "
                                    "getComputedStyle(e).display === 'inline'")
        charts = page.locator(CHARTS)
        # fan, histogram, two tornados, then the three maps (the rest of the page comes in a
        # second run, and Vega draws each chart after its data: wait for all seven)
        expect(charts.locator("svg")).to_have_count(7, timeout=60_000)
        assert charts.count() == 7
        for i in range(3):
            chart = charts.nth(4 + i)
            chart.scroll_into_view_if_needed()
            assert chart.locator("svg .role-title").count() == 0
            points = chart.locator("svg .mark-symbol:not(.role-legend-symbol) path").all()
            boxes = [p.bounding_box() for p in points]
            assert len(boxes) == 4
            for a in range(4):  # markers on one spot are spread, not stacked
                for b in range(a + 1, 4):
                    smaller = min(boxes[a]["width"] * boxes[a]["height"],
                                  boxes[b]["width"] * boxes[b]["height"])
                    assert _overlap(boxes[a], boxes[b]) < 0.5 * smaller, (i, a, b, boxes)
        screenshot(page, "decision_analysis_maps_1280")
        # Reruns: the seed, the shape and a lever; never two radios at once.
        page.locator(".st-key-da_seed input").fill("7")
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        wait_for_app(page, timeout=60_000)
        page.get_by_role("radiogroup", name="Shape of each range").get_by_text(
            "Triangular").click()
        page.wait_for_timeout(300)
        wait_for_app(page, timeout=60_000)
        page.locator('.st-key-w_honesty input[type="range"]').focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
        wait_for_app(page, timeout=60_000)
        assert page.evaluate("() => window.__radios") == 1
    finally:
        context.close()
