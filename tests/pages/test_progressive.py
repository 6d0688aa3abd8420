"""Issue 22, defect 11: a page's first run in a browser stops after its first useful figure and
the rest follows in a second run (``ui.progressive``). AppTest has no browser (no request
headers), so it gets each page whole; here the browser is pretended, and the browser's timer is
played by hand (tests/browser/test_first_figure.py runs the real one)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.app import APP
from ui import progressive

PAGES = {  # page → (a first-figure check, a check of something drawn only in the rest)
    "decision_analysis": (lambda at: "Pays back inside your tenure" in [m.label for m in at.metric],
                          lambda at: any("Goal seek" in h.value for h in at.header)),
    "walkthrough": (lambda at: len(at.metric) == 3,
                    lambda at: any("What each demand does" in h.value for h in at.subheader)),
    "compare": (lambda at: any("Saved scenarios" in h.value for h in at.subheader),
                lambda at: len(at.get("vega_lite_chart")) == 2),
}


def test_without_a_browser_every_page_is_drawn_whole_at_once():
    for page, (first, rest) in PAGES.items():
        at = AppTest.from_file(APP, default_timeout=60)
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception
        assert first(at) and rest(at), page
        assert progressive.ASKING_KEY not in at.session_state  # nothing waits for a timer


@pytest.mark.parametrize("page", list(PAGES))
def test_in_a_browser_the_first_run_stops_after_the_first_figure(monkeypatch, page):
    monkeypatch.setattr(progressive, "browser", lambda: True)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception
    first, rest = PAGES[page]
    assert first(at), "the first figure is drawn in the first run"
    assert not rest(at), "the rest waits for the browser"
    assert at.session_state[progressive.ASKING_KEY] == (page, 0)  # the timer will ask for it

    # A widget moved before the timer fired: still the first figure only, still asking.
    at.run()
    assert first(at) and not rest(at)
    assert at.session_state[progressive.ASKING_KEY] == (page, 0)

    # The timer's fragment run (played here by what it records) asks for the whole page.
    at.session_state[progressive.ASKING_KEY] = None
    at.session_state[progressive.DRAWN_KEY] = {page}
    at.run()
    assert not at.exception
    assert first(at) and rest(at)
    at.run()  # and every later run in the session draws it whole at once
    assert first(at) and rest(at)
