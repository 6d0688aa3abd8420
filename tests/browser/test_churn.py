"""Upload a churn file through the real page in Chromium, calibrate, see the dashboard use it."""

from __future__ import annotations

import pytest

from tests.support.app import ROOT
from tests.support.server import screenshot, wait_for_app

SAMPLES = ROOT / "data" / "churn"

pytestmark = pytest.mark.browser


def test_upload_fit_and_use_in_model(page, app_url):
    page.goto(f"{app_url}/churn_data")
    wait_for_app(page)
    page.get_by_text("Upload a file, or download a sample").wait_for()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(SAMPLES / "customers.csv"))
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=60_000)
    # The page's last section, not just its first chart: on a busy machine the rest follows later.
    page.get_by_text("What the calibration would change").wait_for(timeout=60_000)
    wait_for_app(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "All segments: observed retention" in text
    assert "What the calibration would change" in text
    screenshot(page, "churn_fitted")
    page.get_by_role("tab", name="Consumer").click()
    page.get_by_text("Consumer: observed vs fitted retention").wait_for(timeout=30_000)
    chart = page.locator('[data-testid="stVegaLiteChart"]').nth(1)
    assert chart.bounding_box()["height"] >= 400  # tall enough to read between 50 % and 100 %

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


def test_hostile_names_render_as_text_and_fetch_nothing(page, app_url, tmp_path):
    names = ("![x](http://127.0.0.1:9/x.png)", "[Log in](https://example.org)")
    rows = "\n".join(f"{t},{int(t % 3 == 0)},{names[t % 2]}" for t in range(1, 300))
    bad = tmp_path / "[evil](x).csv"
    bad.write_text(f"tenure,churned,plan\n{rows}\n")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{app_url}/churn_data")
    wait_for_app(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=60_000)
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    text = main.inner_text().replace("\u2060", "")  # word joiners keep addresses unlinked
    assert names[0] in text and names[1] in text  # shown literally (tabs, captions)
    assert "[evil]" in text
    page.get_by_role("button", name="Use in model").click()
    page.get_by_text("Calibrated on your data").wait_for(timeout=30_000)
    wait_for_app(page)
    assert not [u for u in requests if "127.0.0.1:9" in u or "example.org" in u]
    for link in main.locator("a[href]").all():
        href = link.get_attribute("href") or ""
        assert "example.org" not in href, link.evaluate("e => e.parentElement.parentElement.outerHTML")
    assert not main.locator('img[src*="127.0.0.1:9"]').count()
    screenshot(page, "churn_hostile_names")
