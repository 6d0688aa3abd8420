"""Issue 22, defect 3: Decision analysis with both levers off says plainly that there is no
switch to evaluate: no "100 %" odds, no "$0 to $0" spread, no "$NaN" axis, no invented histogram
range; the best plan for each owner (which says where to start) is still drawn."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.server import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_both_levers_off_says_there_is_no_switch(page, app_url):
    page.goto(app_url + "/decision_analysis?honesty=0&investment=0")
    wait_for_app(page)
    page.get_by_text("There is no switch to evaluate").wait_for(timeout=30_000)
    page.get_by_text(re.compile(r"Best for the company:")).wait_for(timeout=60_000)
    wait_for_app(page)
    # The three heatmaps (where to start) are the only charts: wait for them (the page draws its
    # first figure first and the rest in a second run; Vega draws each chart after its data).
    expect(page.locator('[data-testid="stVegaLiteChart"] svg')).to_have_count(3, timeout=60_000)
    main = page.locator('[data-testid="stMain"]')
    text = main.inner_text()
    assert page.locator('[data-testid="stMetric"]').count() == 0  # no "100 %" odds
    assert not re.search(r"\$0(\.0)? and \$0", text)
    assert "In 8 of 10 draws" not in text
    assert "Pays back inside your tenure" not in text
    assert "Goal seek" not in text
    svg_text = " ".join(main.locator("[data-testid=\"stVegaLiteChart\"] svg text").all_text_contents())
    assert "NaN" not in svg_text
    assert "−$500" not in svg_text and "-$500" not in svg_text
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 3
    screenshot(page, "decision_analysis_no_switch")

    # One lever on again: the odds come back.
    page.goto(app_url + "/decision_analysis?honesty=0.5&investment=0")
    page.get_by_text(re.compile(r"In 8 of 10 draws")).wait_for(timeout=60_000)
    assert page.get_by_text("There is no switch to evaluate").count() == 0
