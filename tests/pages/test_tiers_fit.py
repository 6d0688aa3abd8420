"""The dashboard's tiers fitted from a customer file (tier at two dates), through AppTest: the
fitted table is checked against ``fit_tiers`` on the same file and used only when asked; a file
without revenue asks for each tier's ARPU; a bad file or column says why and changes nothing."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from model.structure import fit_tiers, parse_structure
from tests.support.app import APP
from ui.segments_state import STRUCTURE_KEY
from ui.tiers_fit import NO_REVENUE

ROWS = (["id,plan_then,plan_now,mrr"] + [f"{i},Basic,Basic,10" for i in range(8)]
        + ["8,Basic,Plus,10", "9,Basic,,10", "10,Plus,Plus,30", "11,Plus,Basic,30",
           "12,<b>Pro</b>,<b>Pro</b>,90", "13,<b>Pro</b>,,90"])
FILE = ("\n".join(ROWS) + "\n").encode()


def _open(data: bytes = FILE, name: str = "plans.csv") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["structure_open"] = True
    at.session_state["tier_fit_open"] = True
    at.run()
    at.file_uploader(key="tier_file_0").set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def _choose(at: AppTest, revenue: str = "mrr") -> AppTest:
    assert at.selectbox(key="tier_fit_then").value == "plan_then"  # guessed: text, few values
    assert at.selectbox(key="tier_fit_now").value == "plan_now"
    assert at.selectbox(key="tier_fit_revenue").value == "mrr"  # the number after them
    at.selectbox(key="tier_fit_revenue").set_value(revenue)
    at.text_input(key="tier_fit_order").set_value("Basic, Plus, <b>Pro</b>")
    at.number_input(key="tier_fit_months").set_value(6.0).run()
    assert not at.exception, at.exception
    return at


def test_fitted_tiers_are_the_models_fit_and_are_used_when_asked():
    at = _choose(_open())
    expected = fit_tiers(pd.read_csv(io.BytesIO(FILE)), "plan_then", "plan_now", 6.0,
                         ["Basic", "Plus", "<b>Pro</b>"], "mrr")
    table = next(t.value for t in at.table if "Upgrade a month" in t.value.columns)
    shown = [t.replace("\\", "") for t in table["Tier"]]  # escaped: shown as text, not HTML
    assert shown == ["Basic", "Plus", "<b>Pro</b>"]
    assert "14 customers at the first date, 2 of them gone" in " ".join(c.value for c in at.caption)
    assert STRUCTURE_KEY not in at.session_state or not at.session_state[STRUCTURE_KEY].tiers
    at.button(key="tier_fit_use").click().run()
    assert not at.exception, at.exception
    assert at.session_state[STRUCTURE_KEY].tiers == parse_structure(
        {"tiers": expected.tiers}).tiers
    assert [d.key for d in at.dataframe][1] == "tier_editor_1"  # the editor shows them
    assert at.dataframe[1].value["name"].tolist() == ["Basic", "Plus", "<b>Pro</b>"]


def test_without_revenue_each_tiers_arpu_is_asked_for():
    at = _choose(_open(), revenue=NO_REVENUE)
    assert any("no revenue column" in w.value for w in at.warning)
    [arpu] = [d for d in at.dataframe if d.key == "tier_fit_arpu"]
    assert arpu.value["ARPU a month"].tolist() == [50.0] * 3  # the scenario's, to be edited
    at.button(key="tier_fit_use").click().run()
    assert [t.arpu for t in at.session_state[STRUCTURE_KEY].tiers] == [50.0] * 3


@pytest.mark.parametrize("data, name, message", [
    (b"%PDF-1.4 not a table", "plans.csv", "This is a PDF document"),
    (FILE.replace(b"8,Basic,Plus", b"8,Basic,Gold"), "plans.csv", "holds the tier 'Gold'"),
])
def test_a_file_that_cannot_be_fitted_says_why_and_changes_nothing(data, name, message):
    at = _open(data, name)
    assert any(message in e.value.replace("\\", "") for e in at.error), [e.value for e in at.error]
    assert "tier_fit_use" not in [b.key for b in at.button]  # nothing to use
    assert STRUCTURE_KEY not in at.session_state or not at.session_state[STRUCTURE_KEY].tiers
