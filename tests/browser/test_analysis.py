"""The Decision analysis page in headless Chromium: odds, charts, labels, a new seed, a bad range edit."""

from __future__ import annotations

import re

import pytest

from tests.support.server import screenshot, wait_for_app

pytestmark = pytest.mark.browser

PERCENT = re.compile(r"^(< 1 %|> 99 %|\d{1,3} %)$")


def metric_values(page) -> dict[str, str]:
    """Every metric's label → value, read in one snapshot (a rerun may replace them meanwhile)."""
    wait_for_app(page)
    pairs = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMetric"]')].map(m => [
               m.querySelector('[data-testid="stMetricLabel"]')?.innerText.trim() ?? '',
               m.querySelector('[data-testid="stMetricValue"]')?.innerText.trim() ?? ''])""")
    return dict(pairs)


def odds_sentence(page) -> str:
    return page.get_by_text(re.compile(r"In 8 of 10 draws")).inner_text()


def open_analysis(page, app_url) -> None:
    """Start on the dashboard and follow the sidebar link, as a user does."""
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_role("link", name="Decision analysis").click()
    page.wait_for_url(re.compile(r"/decision_analysis$"))
    page.get_by_text(re.compile(r"In 8 of 10 draws")).wait_for(timeout=30_000)
    wait_for_app(page)


def test_visit_run_and_read_the_odds(page, app_url):
    open_analysis(page, app_url)
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=30_000)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] svg').length >= 7",
        timeout=30_000)

    shown = metric_values(page)
    for label in ("Pays back inside your tenure", "Pays back within 10 years",
                  "Adds value (total > 0)"):
        assert PERCENT.match(shown[label]), (label, shown[label])
    assert "from 2,000 draws" in odds_sentence(page)
    # The fan chart is drawn with its tenure rule label; the gap is stated in words.
    fan = page.locator('[data-testid="stVegaLiteChart"]').first
    assert fan.locator("svg text", has_text="End of your tenure").count() >= 1
    assert fan.locator("svg path").count() > 3
    assert page.get_by_text(re.compile("What these odds rest on")).count() == 1
    assert page.get_by_text(re.compile(r"Best for the company:")).count() == 1
    screenshot(page, "decision_analysis")
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    # The tornado's bars carry the values they stand for (gross margin 55 % and 65 %).
    tornado = charts.nth(2)
    tornado.scroll_into_view_if_needed()
    assert tornado.locator("svg text", has_text="55 %").count() >= 1
    assert tornado.locator("svg text", has_text="65 %").count() >= 1
    # The heatmaps mark the optima by shape, named once under the maps (no text on the cells),
    # and the maps are drawn at full height (a legend inside a narrow map once squeezed it).
    heat = charts.nth(4)
    heat.scroll_into_view_if_needed()
    heat.locator("svg").wait_for(timeout=30_000)
    assert heat.bounding_box()["height"] >= 250
    assert page.get_by_text(re.compile("● Best for the company · ■ best for your tenure")).count() == 1
    # The whole page in one picture: Streamlit scrolls an inner container, so make the
    # window tall enough for every section (tornado, best plan heatmaps, goal seek).
    page.set_viewport_size({"width": 1400, "height": 4600})
    page.wait_for_timeout(2_000)
    screenshot(page, "decision_analysis_full")
    page.set_viewport_size({"width": 1400, "height": 1000})

    # Run it again with another seed and fewer draws: the numbers follow.
    before = odds_sentence(page)
    seed = page.get_by_role("spinbutton", name="Seed")
    seed.fill("7")
    seed.press("Enter")
    wait_for_app(page)
    page.wait_for_function(
        "(old) => ![...document.querySelectorAll('p')].some(p => p.innerText === old)",
        arg=before, timeout=30_000)
    assert odds_sentence(page) != before
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "decision_analysis_seed7")


def test_a_bad_range_edit_is_refused_with_a_sentence(page, app_url):
    open_analysis(page, app_url)
    page.get_by_text("Uncertainty ranges").click()
    grid = page.locator('[data-testid="stDataFrame"]')
    grid.wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    # The grid is a canvas: double-click the first row's "Low" cell (rows are 35 px, the
    # "Low" column sits just left of the middle) and type a value above "High".
    box = grid.bounding_box()
    page.mouse.dblclick(box["x"] + 0.47 * box["width"], box["y"] + 35 + 17)
    page.wait_for_timeout(500)
    page.keyboard.press("Control+A")
    page.keyboard.type("99")
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    wait_for_app(page)
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="out of order")
    alert.wait_for(timeout=30_000)
    assert "low ≤ likely ≤ high" in alert.inner_text()
    assert "last valid ranges" in alert.inner_text()
    # The analysis still shows odds (from the last valid ranges), no traceback.
    assert PERCENT.match(metric_values(page)["Pays back inside your tenure"])
    assert page.locator('[data-testid="stException"]').count() == 0
    alert.scroll_into_view_if_needed()
    screenshot(page, "decision_analysis_bad_range")
    # Reset brings the registry ranges back and the message goes.
    page.get_by_role("button", name="Reset ranges").click()
    wait_for_app(page)
    page.locator('[data-testid="stAlert"]').filter(has_text="out of order").wait_for(
        state="detached", timeout=30_000)
