"""Issue 22, defect 11: on Decision analysis, the five demands and Scenarios & compare the first
useful figure is drawn before the heavy rest of the page, which then follows by itself, once
(``ui.progressive``): the browser's timer asks for it after drawing the first run, and stops.

On a browser's very first visit the timer can fire while the app's scripts for the first figure
are still being fetched (the rest then arrives with it, as before); the order is checked on a
returning visitor's browser, whose scripts are cached."""

from __future__ import annotations

import json

import pytest

from tests.support.server import wait_for_app

pytestmark = pytest.mark.browser

MAIN = '[data-testid="stMain"] '
PAGES = {  # path → (CSS of the first figure, text of a heading drawn only with the rest)
    "/decision_analysis": (MAIN + '[data-testid="stMetricValue"]',
                           "Goal seek: where does the switch break even?"),
    "/walkthrough": (MAIN + '[data-testid="stMetricValue"]', "What each demand does"),
    # The library's headings ("Save the current view", "Saved scenarios"): st.table draws its cells
    # asynchronously, about 0.6 s after the heading above them (measured), so the saved list's
    # table itself can land together with the rest.
    "/compare": (MAIN + "h3", "Report"),
}

# Records when the first figure and the rest's heading first enter the page.
WATCH = """
([first, rest]) => {
  window.__seen = {};
  const look = () => {
    const t = performance.now();
    if (!window.__seen.first && document.querySelector(first)) window.__seen.first = t;
    if (!window.__seen.rest && [...document.querySelectorAll('h1, h2, h3')]
        .some(h => h.textContent.trim() === rest)) window.__seen.rest = t;
  };
  new MutationObserver(look).observe(document, {childList: true, subtree: true});
}
"""


@pytest.mark.parametrize("path", list(PAGES))
def test_the_first_figure_comes_first_and_the_rest_follows_once(page, app_url, path):
    first, rest = PAGES[path]
    # A first visit fetches the app's scripts; the browser keeps them (as a returning visitor's
    # does). Each tab is a new session, drawn in two runs again.
    page.goto(app_url + path)
    page.get_by_role("heading", name=rest, exact=True).wait_for(timeout=90_000)
    wait_for_app(page)
    page = page.context.new_page()
    page.add_init_script(f"({WATCH})({json.dumps([first, rest])})")
    sent: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda _f: sent.append(1)))
    page.goto(app_url + path)
    page.locator(first).first.wait_for(state="visible", timeout=60_000)
    # The rest arrives without anything being touched.
    page.get_by_role("heading", name=rest, exact=True).wait_for(timeout=90_000)
    seen = page.evaluate("window.__seen")
    assert seen["first"] < seen["rest"], seen
    wait_for_app(page)
    # The timer has stopped: the page is not run again while nobody touches it.
    page.wait_for_timeout(500)
    before = len(sent)
    page.wait_for_timeout(2_000)
    assert len(sent) == before
