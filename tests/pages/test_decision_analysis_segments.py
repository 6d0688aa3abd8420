"""The Decision analysis page with the dashboard's segments, tiers and fixes: the odds, the
tornado, the best levers and the goal seek run on the structured business."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from model.structure import parse_structure
from tests.support.app import APP
from ui.segments_state import STRUCTURE_KEY

PAGE = "pages/decision_analysis.py"
STRUCTURE = parse_structure({
    "segments": [{"name": "Core", "share": 0.8},
                 {"name": "Deal hunters", "share": 0.2, "arpu": 12, "churn": 0.6, "cac": 500}],
    "fixes": [{"name": "Billing", "capex": 1e6, "churn_share": {"low": 0.04, "likely": 0.08,
                                                                "high": 0.12}}]})


def _page(structure=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if structure is not None:
        at.session_state[STRUCTURE_KEY] = structure
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _odds(structure=None) -> dict[str, str]:
    at = _page(structure)
    assert not at.error
    return {m.label: m.value for m in at.metric}


def test_the_odds_are_of_the_structured_business():
    plain, split = _odds(), _odds(STRUCTURE)
    assert plain.keys() == split.keys() and plain != split


def test_the_tornado_has_a_row_for_each_uncertain_fix():
    """The page's tornado moves the fix's share of churn to its low and high, as `analyze`."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[STRUCTURE_KEY] = STRUCTURE
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    charts = [c.proto.SerializeToString() for c in at.get("vega_lite_chart")]
    label = b"Fix: Billing (share of churn)"
    assert sum(label in c for c in charts) == 2  # the ΔNPV and the inside-the-tenure tornado
    assert sum(b"12.0% of churn" in c for c in charts) == 2  # the high end's tag


def test_staging_says_it_weighs_one_mass_of_customers():
    """Staging does not run on segments, tiers and fixes yet: the page says so beside it, and
    only when the scenario has them."""
    words = "Staging weighs one mass of customers"
    for structure, said in ((None, False), (STRUCTURE, True)):
        assert any(words in c.value for c in _page(structure).caption) is said
