"""In a real browser: commit a plan, upload a month of actuals, see the verdict."""

from __future__ import annotations

import pytest

from tests.support.server import screenshot, wait_for_app

pytestmark = pytest.mark.browser

ACTUALS = ("month,customers_start,churned,new_customers,revenue,trust\n"
           + "".join(f"{m},100000,{1500 + 10 * m},1600,4900000,\n" for m in range(1, 14)))


def settle(page) -> None:
    wait_for_app(page)
    page.wait_for_timeout(400)
    wait_for_app(page)


def test_commit_upload_and_see_the_verdict(app_url, page, tmp_path):
    page.goto(app_url)
    settle(page)
    page.get_by_role("link", name="Track the plan").click()
    page.get_by_role("heading", name="Track the plan").wait_for(timeout=30_000)
    settle(page)
    page.locator(".st-key-track_commit button").click()
    page.get_by_text("Committed").first.wait_for(timeout=60_000)
    settle(page)
    assert page.get_by_text("release the rest if, by month 12").filter(visible=True).count() >= 1

    page.get_by_text("Upload a CSV", exact=True).click()
    settle(page)
    path = tmp_path / "actuals.csv"
    path.write_text(ACTUALS)
    page.locator(".st-key-track_upload [data-testid='stFileUploaderDropzoneInput']"
                 ).set_input_files(str(path))
    page.get_by_text("Read 13 months.").wait_for(timeout=30_000)
    settle(page)
    page.locator(".st-key-track_save_upload button").click()
    page.get_by_text("Saved 13 months of actuals").wait_for(timeout=60_000)
    settle(page)
    verdict = page.get_by_text("Gate: ").first
    verdict.wait_for(timeout=60_000)
    text = verdict.inner_text()
    assert "Gate: continue" in text or "Gate: stop" in text
    assert "By month 12 the chance that customers respond is" in text
    page.locator('[data-testid="stVegaLiteChart"] svg').first.wait_for(timeout=30_000)
    assert page.get_by_text("in 10 forecasts").filter(visible=True).count() >= 1
    screenshot(page, "track")
