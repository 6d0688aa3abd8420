"""The real app in headless Chromium: a keyboard move of the honesty lever changes the verdict,
and a shared link reproduces its view to the cent in a fresh browser."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from model.simulation import run
from tests.support.server import screenshot, wait_for_app
from ui.share import parse_query
from ui.verdict import exact_line, verdict_sentence

pytestmark = pytest.mark.browser

VERDICT = ".st-key-verdict"
HONESTY = '.st-key-w_honesty input[type="range"]'


def _open(page, url: str) -> None:
    """Load the page and wait until the verdict, six metrics and four charts are drawn."""
    page.goto(url)
    wait_for_app(page)
    page.wait_for_function(
        "() => document.querySelector('.st-key-verdict')"
        " && document.querySelectorAll('[data-testid=\"stMetricValue\"]').length === 6"
        " && document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] svg').length >= 4",
        timeout=30_000)
    wait_for_app(page)


def _verdict(page) -> str:
    return page.locator(VERDICT).inner_text().strip()


def _exact(page) -> str:
    """The cent-exact line: the help (tooltip) of the caption under the verdict."""
    caption = page.locator('[data-testid="stCaptionContainer"]', has_text="All amounts")
    caption.locator('[data-testid="stTooltipHoverTarget"]').first.hover()
    tip = page.locator('[data-testid="stTooltipContent"]', has_text="Exact:")
    tip.wait_for(timeout=10_000)
    text = tip.inner_text().strip()
    page.mouse.move(0, 0)
    return text


def _move(page, key: str, before: str) -> str:
    page.locator(HONESTY).focus()
    page.keyboard.press(key)
    page.wait_for_function(
        "b => { const v = document.querySelector('.st-key-verdict');"
        " return v && v.innerText.trim() !== b; }", arg=before, timeout=15_000)
    wait_for_app(page)
    return _verdict(page)


def test_keyboard_move_of_honesty_changes_the_verdict(app_url, page):
    _open(page, app_url)
    first = _verdict(page)
    assert first == verdict_sentence(run().summary)
    assert page.locator('[data-testid="stMetricValue"]').count() == 6
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 4
    screenshot(page, "dashboard_default")

    after_right = _move(page, "ArrowRight", first)
    assert after_right == verdict_sentence(run({"honesty": 0.65}).summary)
    assert page.locator(HONESTY).get_attribute("value") == "65"
    assert "honesty=0.65" in page.url  # the address bar now holds the view
    screenshot(page, "dashboard_after_honesty_right")
    # The move reran only the levers' fragment: one of each lever, the panels still below them,
    # and the whole page redrawn once (metrics and charts not doubled).
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.locator(".st-key-w_honesty").count() == 1
    assert sidebar.locator("summary", has_text="Business basics").count() == 1
    assert page.locator('[data-testid="stMetricValue"]').count() == 6
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 4

    after_left = _move(page, "ArrowLeft", after_right)
    assert after_left == first
    assert "honesty" not in page.url  # back to the default: nothing to share


STEADINESS_PROBE = """() => {
  const seen = window.__steady = {animations: 0, opacity: 1, done: false};
  document.addEventListener('keydown', () => {
    const start = performance.now();
    const sample = () => {
      const ours = document.getAnimations().filter(a => a.effect && a.effect.target
        && a.effect.target.closest('[data-testid="stMain"], [data-testid="stSidebar"]'));
      seen.animations = Math.max(seen.animations, ours.length);
      for (const box of document.querySelectorAll('.stElementContainer[data-stale="true"]'))
        seen.opacity = Math.min(seen.opacity, Number(getComputedStyle(box).opacity));
      if (performance.now() - start < 1500) requestAnimationFrame(sample);
      else seen.done = true;
    };
    sample();
  }, {capture: true, once: true});
}"""


def test_a_move_keeps_the_results_steady(app_url, page):
    """No fade while the results are recomputed: Streamlit's 1.5 s fade of stale elements kept
    every browser drawing frames after each move (a sixth of their CPU with ten sessions)."""
    _open(page, app_url)
    page.evaluate(STEADINESS_PROBE)
    _move(page, "ArrowRight", _verdict(page))
    page.wait_for_function("() => window.__steady.done", timeout=10_000)
    seen = page.evaluate("() => window.__steady")
    assert seen["animations"] == 0, seen
    assert seen["opacity"] == 1, seen


def test_shared_link_reproduces_the_view_in_a_fresh_browser(app_url, browser, page):
    # Build the link the way a user does: move levers, then take the address bar.
    _open(page, app_url + "/?tenure_years=3.5&investment=12250000&discount_rate_annual=0.085")
    before = _verdict(page)
    _move(page, "ArrowLeft", before)
    shared = page.url
    # The "Share this view" panel shows the same address.
    page.locator("summary", has_text="Share this view").click()
    assert page.locator('[data-testid="stCode"]').inner_text().strip() == shared
    sender_verdict, sender_exact = _verdict(page), _exact(page)

    values = parse_query(dict(parse_qsl(urlsplit(shared).query))).values
    assert values == {"honesty": 0.55, "investment": 12_250_000.0, "tenure_years": 3.5,
                      "discount_rate_annual": 0.085}
    expected = run(values).summary

    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = fresh.new_page()
        _open(other, shared)
        assert _verdict(other) == sender_verdict == verdict_sentence(expected)
        assert _exact(other) == sender_exact == exact_line(expected)  # to the cent
        assert other.locator(HONESTY).get_attribute("value") == "55"
        screenshot(other, "dashboard_shared_link")
    finally:
        fresh.close()


def test_tampered_link_warns_and_still_works(app_url, page):
    _open(page, app_url + "/?honesty=7&bogus=%3Cscript%3E&tenure_years=3")
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("honesty" in a and "out of range" in a for a in alerts)
    assert any("bogus" in a for a in alerts)
    assert _verdict(page) == verdict_sentence(run({"tenure_years": 3}).summary)
    screenshot(page, "dashboard_tampered_link")


def test_investment_share_slider_fits_a_small_business(app_url, page):
    """5,000 customers: the investment slider is a share of their $3M a year; a key press moves
    it by half a percent, and the link keeps the investment in currency."""
    _open(page, app_url + "/?customers=5000&investment=300000")
    slider = page.locator('.st-key-w_investment input[type="range"]')
    assert slider.get_attribute("value") == "10"
    assert page.locator(".st-key-w_investment_exact input").input_value() == "300000"
    before = _verdict(page)
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "b => { const v = document.querySelector('.st-key-verdict');"
        " return v && v.innerText.trim() !== b; }", arg=before, timeout=15_000)
    wait_for_app(page)
    assert "investment=315000" in page.url
    assert _verdict(page) == verdict_sentence(
        run({"customers": 5000, "investment": 315_000.0}).summary)


def test_monthly_table_is_built_when_opened(app_url, page):
    _open(page, app_url)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0  # closed: nothing built
    page.locator("summary", has_text="Monthly table (both strategies)").click()
    grid = page.locator('[data-testid="stDataFrame"]')
    grid.wait_for(timeout=15_000)
    wait_for_app(page)
    assert grid.count() == 1
    first = _verdict(page)
    _move(page, "ArrowRight", first)  # a lever move keeps the open table, rebuilt
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
