"""One glossary in the browser (issue 22, defect 5): the dashboard, Decision analysis and the
Method page use the same words for the same figure, and the words are explained."""

from __future__ import annotations

import re

import pytest

from tests.support.server import screenshot, wait_for_app
from ui import glossary

pytestmark = pytest.mark.browser
TOTAL = glossary.name("delta_npv")


def test_the_total_has_one_name_and_every_word_is_explained(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    page.wait_for_selector(".st-key-verdict", timeout=30_000)
    wait_for_app(page)
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    assert TOTAL in [x.strip() for x in labels]
    assert not any("Counting the value" in x for x in labels)
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    # Three significant figures at most on the money metrics ($51.5M, $896k; never $51.53M).
    for v in values:
        m = re.search(r"\$([\d.,]+)[kMB]", v)
        if m:
            assert len(m.group(1).replace(".", "").replace(",", "").lstrip("0")) <= 3, v

    page.goto(app_url + "/decision_analysis")
    page.get_by_text(re.compile(r"In 8 of 10 draws")).wait_for(timeout=60_000)
    wait_for_app(page)
    page.get_by_text("Adds value (total > 0)").first.wait_for(timeout=30_000)
    wait_for_app(page)
    odds = [x.strip() for x in page.locator('[data-testid="stMetricLabel"]').all_inner_texts()]
    assert "Adds value (total > 0)" in odds and not any("ΔNPV" in x for x in odds)
    page.locator("summary", has_text="Words on this page").click()
    for key in ("pert", "p10_p90", "rank_correlation", "npv", "delta"):
        page.get_by_text(glossary.meaning(key)).wait_for(timeout=5_000)

    page.goto(app_url + "/method")
    page.get_by_text("Glossary: the words for every figure").wait_for(timeout=30_000)
    wait_for_app(page)
    table = page.locator('[data-testid="stTable"]').first.inner_text()
    for t in glossary.TERMS:
        assert t.name in table, t.name
    screenshot(page, "method_glossary")
