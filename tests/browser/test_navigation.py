"""Direct links to every page run the app's navigation; the dashboard's CSV download works."""

from __future__ import annotations

import pytest

from tests.support.server import screenshot, start_server, stop_server, wait_for_app

pytestmark = pytest.mark.browser

PAGES = {
    "compare": "Scenarios & compare",
    "decision_analysis": "Decision analysis",
    "track": "Track the plan",
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


def test_a_direct_link_as_the_first_visit_to_a_fresh_server_runs_the_app(browser, tmp_path):
    # A fresh server decides from the folder name pages/ to run Streamlit's legacy multipage mode
    # until app.py has called st.navigation once: the first direct link must be rerouted.
    proc, url = start_server({"ONEQ_LIBRARY": str(tmp_path / "library.sqlite")})
    try:
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.goto(f"{url}/compare")
        pg.wait_for_selector("h1:has-text('Scenarios & compare')", timeout=30_000)
        wait_for_app(pg)
        nav = pg.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Dashboard" in nav and "Method & sources" in nav and "churn data" not in nav
        pg.close()
    finally:
        stop_server(proc)


def test_the_dashboard_csv_download_holds_the_models_table(browser, app_url):
    import io

    import pandas as pd

    from model import run

    context = browser.new_context(accept_downloads=True)
    try:
        pg = context.new_page()
        pg.goto(f"{app_url}/?honesty=0.3")
        wait_for_app(pg)
        with pg.expect_download() as download:
            pg.get_by_role("button", name="Download the monthly table (CSV)").click()
        got = pd.read_csv(io.StringIO(open(download.value.path(), encoding="utf-8").read()))
    finally:
        context.close()
    want = run({"honesty": 0.3}).combined_table()
    assert list(got.columns) == list(want.columns) and len(got) == len(want)
    assert (got["strategy"] == want["strategy"]).all()
    pd.testing.assert_series_equal(got["profit"], want["profit"], rtol=1e-12)
