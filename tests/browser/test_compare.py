"""In a real browser: save two scenarios, compare them, download the report, come back later."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.support.server import screenshot, wait_for_app

pytestmark = pytest.mark.browser

FIRST = "Browser cautious — 慎重"
SECOND = "Browser <b>bold</b>"


def settle(page) -> None:
    wait_for_app(page)
    page.wait_for_timeout(400)  # a rerun may start just after the previous one ended
    wait_for_app(page)


def save_as(page, name: str, note: str) -> None:
    page.locator(".st-key-lib_save_name input").fill(name)
    page.locator(".st-key-lib_save_note textarea").fill(note)
    page.locator(".st-key-lib_save button").click()
    settle(page)
    alert = page.locator('[data-testid="stAlertContentSuccess"]')
    assert f"Saved “{name}”." in alert.inner_text()


def choose(page, name: str) -> None:
    box = page.locator(".st-key-cmp_pick input")
    box.click()
    box.fill(name)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    settle(page)


def open_compare(page, app_url: str) -> None:
    # Through the app's own navigation, as a user arriving at the dashboard would.
    page.goto(app_url)
    settle(page)
    page.get_by_role("link", name="Scenarios & compare").click()
    # the click starts a rerun a moment later: wait for the page itself, not only for quiet
    page.get_by_role("heading", name="Scenarios & compare").wait_for(timeout=30_000)
    settle(page)


def test_save_two_scenarios_and_compare_them(app_url, page, browser):
    open_compare(page, app_url)
    assert page.get_by_role("heading", name="Scenarios & compare").is_visible()

    save_as(page, FIRST, "honesty 60 %")
    honesty = page.get_by_role("slider", name="Honest expectation setting (%)")
    for _ in range(8):  # 60 % → 80 % in steps of 5, one key at a time (each one reruns)
        if float(honesty.input_value()) >= 80.0:
            break
        honesty.focus()
        honesty.press("ArrowRight")
        settle(page)
    assert float(honesty.input_value()) == 80.0
    save_as(page, SECOND, "honesty 80 %")

    listed = page.locator('[data-testid="stTable"]').first.text_content()
    assert FIRST in listed and SECOND in listed  # the HTML-like name is shown as text

    box = page.locator(".st-key-cmp_pick input")
    box.click()
    for _ in range(2):  # remove the two preselected ("Current view", "Status quo")
        box.press("Backspace")
        settle(page)
    page.keyboard.press("Escape")
    choose(page, FIRST)
    choose(page, SECOND)
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    # both overlays drawn: wait for the count the test needs, not for the first chart alone
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] svg').length >= 2",
        timeout=30_000)
    assert charts.count() == 2
    legend = charts.first.text_content()
    assert FIRST in legend and SECOND in legend and "Status quo" in legend
    grid = page.locator('[data-testid="stTable"]').nth(1)
    grid.scroll_into_view_if_needed()
    page.wait_for_function("e => e.textContent.includes('Total (cash')", arg=grid.element_handle(),
                           timeout=15_000)
    table = grid.text_content()
    assert f"{SECOND} − {FIRST}" in table and "Total (cash + end value)" in table
    assert "+20.0 pp" in table  # honesty 80 % against 60 %
    charts.first.scroll_into_view_if_needed()
    path = screenshot(page, "compare_two_saved")
    assert path.stat().st_size > 50_000
    page.locator('[data-testid="stTable"]').nth(1).scroll_into_view_if_needed()
    screenshot(page, "compare_table_and_report")

    # the report is built under a progress bar, then the ZIP holds every file
    settle(page)
    page.locator(".st-key-rep_build button").first.click()
    page.locator(".st-key-rep_zip button").first.wait_for(timeout=60_000)
    settle(page)
    with page.expect_download(timeout=60_000) as info:
        page.locator(".st-key-rep_zip button").first.click()
    data = info.value.path().read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = {n.split("/", 1)[1] for n in z.namelist()}
        assert names == {"report.html", "monthly.csv", "profit.png", "sacrifice.png",
                         "customers_trust.png"}
        html = z.read(next(n for n in z.namelist() if n.endswith("report.html"))).decode()
    assert '<strong id="scenario-name">Current view</strong>' in html

    # a different browser (fresh context) sees the saved scenarios: they live on the server
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        fresh = other.new_page()
        open_compare(fresh, app_url)
        listed = fresh.locator('[data-testid="stTable"]').first.text_content()
        assert FIRST in listed and SECOND in listed
    finally:
        other.close()


OVERLAPS = """chart => {
  const box = e => e.getBoundingClientRect();
  const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const legend = chart.querySelector('svg g.role-legend');
  const labels = [...chart.querySelectorAll('svg text')].filter(t => t.textContent.startsWith('Tenure ends'));
  return {labels: labels.length, legend: !!legend,
          overlaps: labels.filter(t => legend && meet(box(t), box(legend))).length};
}"""


def test_tenure_labels_do_not_cover_the_legend(app_url, page, server_library):
    from model.assumptions import defaults
    from model.library import Library, open_store

    lib = Library(open_store(f"sqlite:///{server_library}"))
    names = [f"Leaves after {t} years" for t in (2, 5, 8)]
    for name, tenure in zip(names, (2.0, 5.0, 8.0), strict=True):
        lib.save(name, {**defaults(), "tenure_years": tenure}, overwrite=True)
    open_compare(page, app_url)
    box = page.locator(".st-key-cmp_pick input")
    box.click()
    for _ in range(2):  # remove the two preselected
        box.press("Backspace")
        settle(page)
    page.keyboard.press("Escape")
    for name in names:
        choose(page, name)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] svg').length >= 2",
        timeout=30_000)
    for chart in page.locator('[data-testid="stVegaLiteChart"]').all():
        chart.scroll_into_view_if_needed()
        seen = chart.evaluate(OVERLAPS)
        assert seen["legend"] and seen["labels"] == 3 and seen["overlaps"] == 0, seen
    screenshot(page, "compare_three_tenures")
