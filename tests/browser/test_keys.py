"""No key press is lost: keyboard moves on a lever land exactly, however the reruns interleave."""

from __future__ import annotations

import pytest

from tests.support.server import wait_for_app

pytestmark = pytest.mark.browser


# 120 ms spacing is the rhythm that lost presses when each rerun wrote the widgets' values back
# (a run that finished late undid the presses made while it ran).
@pytest.mark.parametrize("attempt", range(3))
def test_fourteen_arrow_presses_120_ms_apart_land_on_70_percent(page, app_url, attempt):
    page.goto(f"{app_url}/?honesty=0")
    wait_for_app(page)
    slider = page.get_by_role("slider", name="Honest expectation setting")
    slider.focus()
    for _ in range(14):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(120)
    page.wait_for_timeout(800)
    wait_for_app(page)
    page.wait_for_function("() => window.location.search.includes('honesty=0.7')",
                           timeout=10_000)
    assert "honesty=0.7" in page.url
    assert "70" in page.locator('[data-testid="stSlider"]').first.inner_text()
