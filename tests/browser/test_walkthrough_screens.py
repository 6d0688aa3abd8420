"""Issue 22, defect 9: the five demands' waterfalls name and label every bar, every chart has one
heading (as text that wraps), and nothing is cut off on a phone."""

from __future__ import annotations

import pytest

from model.assumptions import defaults
from model.workshop import demands
from tests.support.server import screenshot, wait_for_app
from ui.format import signed_money
from ui.workshop_charts import short_demand

pytestmark = pytest.mark.browser
CHARTS = '[data-testid="stVegaLiteChart"]'


@pytest.mark.parametrize("size", [(1280, 720), (390, 844)])
def test_every_bar_is_labelled_and_every_chart_has_one_heading(app_url, browser, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/walkthrough?step=5")
        wait_for_app(page)
        page.wait_for_function(
            f"() => document.querySelectorAll('{CHARTS} svg').length >= 4", timeout=30_000)
        wait_for_app(page)
        page.wait_for_timeout(800)
        rows = demands.waterfall(demands.walk(defaults()), 5, "npv")
        total = page.locator(CHARTS).nth(2)
        total.scroll_into_view_if_needed()
        texts = total.locator("svg text").all_text_contents()
        for row in rows:  # each bar: its name on the axis and its amount over it
            assert short_demand(row["label"]) in texts, (row["label"], texts)
            assert signed_money(row["amount"], compact=True) in texts, (row["amount"], texts)
        # One heading per chart: the page's text; no title drawn inside a chart.
        for i in range(page.locator(CHARTS).count()):
            chart = page.locator(CHARTS).nth(i)
            assert chart.locator("svg .role-title").count() == 0
        headings = page.locator('[data-testid="stMain"] strong').all_inner_texts()
        assert "Total (cash + end value), demand by demand" in headings
        assert "Inside your tenure, demand by demand" in headings
        # Nothing reaches past the screen's right edge: headings wrap, charts fit.
        reach = page.evaluate(f"""() => Math.max(...[...document.querySelectorAll(
            '[data-testid="stMain"] strong, [data-testid="stMain"] h1, {CHARTS} svg')]
            .map(e => e.getBoundingClientRect().right)) - window.innerWidth""")
        assert reach <= 0.5, reach
        screenshot(page, f"walkthrough_step5_{size[0]}")
    finally:
        context.close()
