"""Issue 22, defect 6: the dashboard's headline figures never contradict each other without a
word, and no metric is cut off at 1280 px."""

from __future__ import annotations

import pytest

from model.simulation import run
from tests.support.server import screenshot, wait_for_app
from ui.format import compact

pytestmark = pytest.mark.browser


def _metrics(browser, url: str, size=(1280, 720)):
    """(label, value, note, cut) of each metric; cut: some text is wider than its box."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(url)
    wait_for_app(page)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stMetricValue\"]').length === 6",
        timeout=30_000)
    wait_for_app(page)
    rows = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMetric"]')]
        .map(m => {
            const parts = ['stMetricLabel', 'stMetricValue', 'stMetricDelta']
                .map(t => m.querySelector(`[data-testid="${t}"]`));
            const cut = parts.some(p => p && [p, ...p.querySelectorAll('*')].some(
                e => e.scrollWidth > e.clientWidth + 1));
            return [...parts.map(p => p ? p.innerText.trim() : null), cut];
        })""")
    return context, page, {r[0]: r for r in rows}


def test_after_the_tenure_says_why_it_is_larger_than_the_total(app_url, browser):
    context, page, m = _metrics(browser, app_url)
    try:
        s = run().summary
        after = m["After your tenure"]
        assert after[2] == f"total + the {compact(-s.delta_inside_tenure)} given up first"
        assert not any(r[3] for r in m.values()), m  # nothing cut off at 1280 px
        screenshot(page, "headlines_default_1280")
    finally:
        context.close()


def test_a_tenure_past_the_horizon_and_no_payback_read_plainly(app_url, browser):
    context, page, m = _metrics(browser, app_url + "/?tenure_years=20")
    try:
        assert m["After your tenure"][2] == "the end value only"
        assert "Inside your tenure (beyond the horizon)" in m
    finally:
        context.close()
    context, page, m = _metrics(browser, app_url + "/?horizon_years=3&tenure_years=2")
    try:
        assert m["Payback"][1] == "not by year 3" and m["Payback"][2] == "not within the horizon"
        assert not any(r[3] for r in m.values()), m
        assert "long before" not in page.locator('[data-testid="stMain"]').inner_text()
        screenshot(page, "headlines_no_payback_1280")
    finally:
        context.close()
