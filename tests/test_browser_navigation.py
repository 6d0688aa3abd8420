"""Direct links to every page run the app's navigation (not Streamlit's legacy page list)."""

from __future__ import annotations

import pytest
from conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

PAGES = {
    "compare": "Scenarios & compare",
    "decision_analysis": "Decision analysis",
    "churn_data": "Churn data",
    "method": "Method & sources",
}


@pytest.mark.parametrize("path,heading", PAGES.items())
def test_a_direct_link_opens_the_page_inside_the_app(page, app_url, path, heading):
    page.goto(f"{app_url}/{path}")
    wait_for_app(page)
    page.wait_for_selector("h1", timeout=30_000)
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    # The app's own titles, in its order; the legacy list would show file names ("churn data").
    assert "Dashboard" in nav and "Scenarios & compare" in nav and "Method & sources" in nav
    assert "churn data" not in nav
    assert heading in page.locator("h1").first.inner_text()
    screenshot(page, f"direct_link_{path}")
