"""The dashboard as a person sees it on a laptop, a projector and a phone: every chart fits the
screen, presentation mode shows the verdict and both main charts above the fold, a no-change
scenario draws no "$NaN", and a scenario's name from a link is shown as text."""

from __future__ import annotations

import pytest

from tests.support.server import screenshot, wait_for_app

pytestmark = pytest.mark.browser

SIZES = {"laptop": (1280, 720), "projector": (1920, 1080), "phone": (390, 844)}
CHARTS = '[data-testid="stVegaLiteChart"]'


def _open(browser, url: str, size: tuple[int, int]):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(url)
    wait_for_app(page)
    page.wait_for_function(
        f"() => document.querySelectorAll('{CHARTS} svg').length >= 4"
        " && document.querySelector('.st-key-verdict')", timeout=30_000)
    wait_for_app(page)
    page.wait_for_timeout(500)  # charts settle to their container's width
    return context, page


def _overflow(page) -> dict:
    """How far the page and each chart reach past the right edge of the viewport (px)."""
    return page.evaluate(f"""() => {{
        const w = window.innerWidth;
        const charts = [...document.querySelectorAll('{CHARTS}')].map(
            c => Math.max(c.getBoundingClientRect().right,
                          ...[...c.querySelectorAll('svg')].map(
                              s => s.getBoundingClientRect().right)) - w);
        return {{page: document.documentElement.scrollWidth - w, charts}};
    }}""")


@pytest.mark.parametrize("name", list(SIZES))
def test_every_chart_fits_the_screen(app_url, browser, name):
    context, page = _open(browser, app_url + "/", SIZES[name])
    try:
        screenshot(page, f"screen_{name}")
        page.locator(CHARTS).nth(1).scroll_into_view_if_needed()
        screenshot(page, f"screen_{name}_charts")
        page.locator(CHARTS).nth(3).scroll_into_view_if_needed()
        screenshot(page, f"screen_{name}_customers")
        reach = _overflow(page)
        assert len(reach["charts"]) == 4
        assert reach["page"] <= 0, reach
        assert all(x <= 0.5 for x in reach["charts"]), reach
        # Chart titles are text above the charts: they wrap, never cut.
        for title in ("Profit per month", "Running total of cash"):
            box = page.get_by_text(title).first.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= SIZES[name][0]
    finally:
        context.close()


@pytest.mark.parametrize("name", ["laptop", "projector"])
def test_presentation_fits_the_verdict_and_both_charts_above_the_fold(app_url, browser, name):
    width, height = SIZES[name]
    context, page = _open(browser, app_url + "/?present=1", SIZES[name])
    try:
        screenshot(page, f"screen_present_{name}")
        verdict = page.locator(".st-key-verdict").bounding_box()
        charts = [page.locator(CHARTS).nth(i).bounding_box() for i in (0, 1)]
        assert verdict["y"] >= 0 and verdict["y"] + verdict["height"] <= height
        for box in charts:
            assert box["y"] + box["height"] <= height, (box, height)
            assert box["x"] + box["width"] <= width
        assert page.get_by_text("Exact:").count() == 0  # the cent-exact line is hidden
    finally:
        context.close()


def _plot_area_height(page, nth: int) -> float:
    """The height of a chart's plot area (its view background), in CSS pixels."""
    return page.locator(CHARTS).nth(nth).locator("svg path.background").first.bounding_box()[
        "height"]


def test_presentation_mode_enlarges_the_charts(app_url, browser):
    """Issue 22, defect 7: on a 1920x1080 projector the profit chart's plot area is at least 40 %
    of the screen's height, and larger than without presentation mode (it used to be smaller)."""
    width, height = SIZES["projector"]
    context, page = _open(browser, app_url + "/?present=1", SIZES["projector"])
    try:
        present = _plot_area_height(page, 0)
        assert present >= 0.4 * height, present
        assert _plot_area_height(page, 1) >= 0.4 * height
        for i in (0, 1):  # still above the fold
            box = page.locator(CHARTS).nth(i).bounding_box()
            assert box["y"] + box["height"] <= height
        screenshot(page, "screen_present_projector_tall")
    finally:
        context.close()
    context, page = _open(browser, app_url + "/", SIZES["projector"])
    try:
        assert present > _plot_area_height(page, 0)
    finally:
        context.close()


def test_no_change_draws_no_nan_and_says_no_change(app_url, browser):
    context, page = _open(browser, app_url + "/?honesty=0&investment=0", SIZES["laptop"])
    try:
        texts = " ".join(page.locator(f"{CHARTS} svg text").all_text_contents())
        assert "NaN" not in texts and "$0" in texts
        assert "No change: both strategies are the same" in texts
        payback = page.locator('[data-testid="stMetric"]', has_text="Payback")
        assert "no change" in payback.inner_text()
        screenshot(page, "screen_no_change")
    finally:
        context.close()


def test_tenure_beyond_the_horizon_draws_no_rule(app_url, browser):
    context, page = _open(browser, app_url + "/?tenure_years=20", SIZES["laptop"])
    try:
        texts = " ".join(page.locator(f"{CHARTS} svg text").all_text_contents())
        assert "Your tenure: to the horizon end or beyond" in texts
        assert "End of your tenure (year 10)" not in texts
        assert page.locator(".st-key-verdict").inner_text().startswith(
            "Your 20-year tenure reaches beyond the horizon")
        screenshot(page, "screen_tenure_beyond")
    finally:
        context.close()


def test_the_scenario_name_travels_as_text(app_url, browser):
    hostile = "Bold [Log in](https://example.org)"
    requests: list[str] = []
    context, page = _open(browser, app_url + "/?honesty=0.9&name=" + hostile.replace(" ", "%20"),
                          SIZES["laptop"])
    try:
        page.on("request", lambda r: requests.append(r.url))
        shown = page.get_by_text("Scenario:").first
        assert hostile in shown.inner_text().replace("\u2060", "")
        assert shown.locator("a[href], img").count() == 0
        assert "name=" in page.url
        assert not [r for r in requests if "example.org" in r]
    finally:
        context.close()


@pytest.mark.parametrize("path", ["decision_analysis", "compare"])
def test_a_link_with_assumptions_works_on_other_pages(app_url, browser, path):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/{path}?honesty=0.9&tenure_years=3")
        wait_for_app(page)
        slider = page.get_by_role("slider", name="Honest expectation setting")
        slider.wait_for(timeout=30_000)
        wait_for_app(page)
        assert float(slider.input_value()) == 90.0
        tenure = page.get_by_role("slider", name="Your tenure")
        assert float(tenure.input_value()) == 3.0
        screenshot(page, f"screen_link_{path}")
    finally:
        context.close()
