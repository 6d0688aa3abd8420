"""Upload a churn file through the real page in Chromium, calibrate, see the dashboard use it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import screenshot, wait_for_app

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "churn"

pytestmark = pytest.mark.browser


def test_upload_fit_and_use_in_model(page, app_url):
    page.goto(f"{app_url}/churn_data")
    wait_for_app(page)
    page.get_by_text("Upload a file, or download a sample").wait_for()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(SAMPLES / "customers.csv"))
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=60_000)
    wait_for_app(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "Consumer: observed vs fitted retention" in text
    assert "What the calibration would change" in text
    screenshot(page, "churn_fitted")

    page.get_by_role("button", name="Use in model").click()
    page.get_by_text("Calibrated on your data").wait_for(timeout=30_000)
    wait_for_app(page)
    assert "customers.csv · sBG + Weibull" in page.locator('[data-testid="stMain"]').inner_text()
    screenshot(page, "churn_calibrated")

    # The calibration survives moving to the dashboard (same session, via the navigation).
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Dashboard").click()
    page.get_by_text("Calibrated with your churn data").wait_for(timeout=30_000)
    wait_for_app(page)
    assert "customers.csv" in page.locator('[data-testid="stMain"]').inner_text()
    screenshot(page, "churn_dashboard_calibrated")


def test_bad_upload_shows_a_sentence(page, app_url, tmp_path):
    bad = tmp_path / "renamed.csv"
    bad.write_bytes(b"PK\x03\x04" + b"\0" * 200)
    page.goto(f"{app_url}/churn_data")
    wait_for_app(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_text("not a CSV file").wait_for(timeout=30_000)
    wait_for_app(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "Excel workbook" in text and "Traceback" not in text
    assert not page.locator('[data-testid="stException"]').count()
    screenshot(page, "churn_bad_file")
