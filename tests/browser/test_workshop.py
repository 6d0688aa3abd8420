"""Two app replicas on one PostgreSQL: a participant answers through one, the facilitator sees it
through the other; phone width, hostile names, a wrong token."""

from __future__ import annotations

import re

import pytest

from model.library import Library, join, open_store
from tests.support.server import screenshot, start_server, stop_server, wait_for_app

pytestmark = pytest.mark.browser

HOSTILE = "![x](http://127.0.0.1:9/x.png)"


@pytest.fixture
def replicas(postgres_url):
    """Two ``streamlit run app.py`` processes on two ports sharing one database."""
    env = {"ONEQ_DATABASE_URL": postgres_url}
    first = start_server(env)
    try:
        second = start_server(env)
    except BaseException:
        stop_server(first[0])
        raise
    yield postgres_url, first[1], second[1]
    stop_server(first[0])
    stop_server(second[0])


def metric(pg, label: str) -> str:
    box = pg.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def test_participant_on_one_replica_facilitator_on_the_other(replicas, browser):
    url, replica_a, replica_b = replicas
    lib = Library(open_store(url))
    shop = lib.start_workshop("Offsite")
    requests: list[str] = []

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pp = phone.new_page()
    pp.on("request", lambda r: requests.append(r.url))
    pp.goto(f"{replica_a}/?join={shop.join_token}")
    wait_for_app(pp)
    assert pp.locator('[data-testid="stSidebar"]').count() == 0  # nothing else of the app
    pp.get_by_label("Your name (optional)").fill(HOSTILE)
    pp.get_by_text("Not yet", exact=True).click()
    inputs = pp.locator('[data-testid="stNumberInput"] input')
    for i, v in enumerate(("10", "20", "40")):  # the first question: the effect of the fixes
        inputs.nth(i).fill(v)
        inputs.nth(i).press("Tab")
    pp.get_by_role("button", name="Send my answer").click()
    pp.get_by_text("your answer is stored").wait_for(timeout=30_000)
    width = pp.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the participant page scrolls sideways at 390 px ({width} px)"
    screenshot(pp, "workshop_participant_390")

    big = browser.new_context(viewport={"width": 1600, "height": 1000})
    fp = big.new_page()
    fp.on("request", lambda r: requests.append(r.url))
    fp.goto(f"{replica_b}/?facilitator={shop.facilitator_token}")
    wait_for_app(fp)
    fp.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some(m => "
        "m.innerText.includes('Participants') && m.innerText.includes('1'))", timeout=30_000)
    assert metric(fp, "Voted before") == "1"
    names = fp.locator('[data-testid="stText"]').filter(has_text="Named:")
    assert HOSTILE in names.inner_text()
    assert names.locator("a[href], img").count() == 0, names.inner_html()

    # A second participant through the other replica: the view refreshes by itself.
    join(lib.store, shop.join_token).submit({
        "participant": "second", "round": "before", "vote": "yes", "confidence": 0.9,
        "estimates": {"fix_churn_reduction_max": {"low": 0.2, "likely": 0.3, "high": 0.5}}})
    fp.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some(m => "
        "m.innerText.includes('Participants') && m.innerText.includes('2'))", timeout=30_000)
    fp.wait_for_selector('[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] '
                         'canvas', timeout=30_000)
    fp.wait_for_timeout(1500)
    screenshot(fp, "workshop_facilitator")
    stored = lib.results(shop.id)
    assert stored.participants == 2 and stored.votes["before"]["not_yet"] == 1
    assert stored.pooled["fix_churn_reduction_max"].low == pytest.approx(0.1)

    wrong = big.new_page()
    wrong.goto(f"{replica_b}/?join={shop.id}.not-the-secret")
    wait_for_app(wrong)
    wrong.get_by_text("This link does not open a workshop").wait_for(timeout=30_000)
    screenshot(wrong, "workshop_wrong_token")
    assert wrong.get_by_text("This link does not open a workshop").count() == 1
    assert "Offsite" not in wrong.inner_text("body")
    assert not [r for r in requests if re.search(r"127\.0\.0\.1:9/", r)]
    phone.close()
    big.close()


def test_walk_through_the_five_demands(app_url, page):
    page.goto(f"{app_url}/walkthrough")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] '
                           'canvas', timeout=30_000)
    assert page.get_by_role("heading", name="1. Stop over-promising").count() == 1
    for k in range(2, 6):
        page.get_by_role("button", name="Next →").click()
        wait_for_app(page)
        page.get_by_role("heading", name=re.compile(f"^{k}\\. ")).wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    screenshot(page, "walkthrough_step5")
    assert "step=5" in page.url


def test_comparison_report_opens_and_prints(browser):
    from model.assumptions import defaults
    from ui.comparison_report import comparison_files

    files = comparison_files([(HOSTILE, "a note", defaults()),
                              ("Bold", "", {**defaults(), "honesty": 0.9})], "Acme", "2026-11-23")
    context = browser.new_context(viewport={"width": 1000, "height": 1200})
    pg = context.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.set_content(files["comparison.html"].decode(), wait_until="load")
    assert pg.locator("img").count() == 2 and all(
        src.startswith("data:image/png") for src in pg.eval_on_selector_all(
            "img", "els => els.map(e => e.getAttribute('src'))"))
    assert HOSTILE in pg.inner_text("table")
    screenshot(pg, "comparison_report")
    pdf = pg.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
    assert not [r for r in requests if not r.startswith(("data:", "about:"))]
    context.close()
