"""The Method page: every registry entry is explained, with its range, and the sources are cited."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from model.assumptions import REGISTRY
from tests.support.app import APP


def _method() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page("pages/method.py").run()
    assert not at.exception, at.exception
    return at


def test_every_assumption_is_in_the_table():
    import pandas as pd

    at = _method()
    assert len(at.table) == 4  # levers, business basics, advanced, decision analysis
    table = pd.concat([t.value.reset_index() for t in at.table], ignore_index=True)
    assert list(table["Name"]) == [a.name for a in REGISTRY]
    by_name = table.set_index("Name")
    for a in REGISTRY:
        assert by_name.loc[a.name, "Assumption"] == a.label
        assert by_name.loc[a.name, "Meaning"] == a.meaning
    # fractions read as percentages, uncertainty shown where there is one
    assert by_name.loc["honesty", "Default"] == "60 %"
    assert by_name.loc["annual_churn", "Uncertainty range"] == "17 % … 23 %"
    assert by_name.loc["honesty", "Uncertainty range"].startswith("—")
    assert by_name.loc["customers", "Range"] == "1 customers … 100,000,000 customers"


def test_equations_sources_and_illustrative_defaults():
    at = _method()
    text = " ".join(m.value for m in at.markdown)
    for source in ("Fader", "Hardie", "2007", "Gupta, Lehmann", "2004", "Reichheld",
                   "Journal of Interactive Marketing", "Journal of Marketing Research"):
        assert source in text
    assert "illustrative" in text
    latex = " ".join(x.value for x in at.get("latex"))
    assert r"\frac{N_0\, m}{1 + i - r}" in latex  # the golden identity
    assert r"\frac{K}{K + K_{1/2}}" in latex  # diminishing returns of the investment
    headers = [h.value for h in at.header]
    assert any("terminal value" in h for h in headers) and any("Trust" in h for h in headers)


def test_the_honest_model_is_explained():
    """Issue 9: two kinds of customer, churn shares, trust threshold, market, decay, end value,
    what the model leaves out, and the Gupta–Lehmann–Stuart reconciliation."""
    at = _method()
    text = " ".join(m.value for m in at.markdown)
    latex = " ".join(x.value for x in at.get("latex"))
    headers = [h.value for h in at.header]
    assert "What this model leaves out" in headers
    assert any("Two kinds of customer" in h for h in headers)
    assert any("threshold" in h for h in headers)
    assert r"s = \frac{p - d}{1 - d}" in latex  # today's over-sold share
    assert r"(1 - d - e_{fix}) \times (1 - e_{trust})" in latex  # the churn floor
    assert r"A(\tau)" in latex and r"\frac{v^{H+1}}{1 - v}" in latex  # attachment, run cost
    assert "$250" in text and "$312.50" in text
    # The defended defaults are the registry's (the page states them in words).
    from model.assumptions import BY_NAME

    assert BY_NAME["status_quo_trust_drift"].default == -0.02 and "default −0.02" in text
    assert BY_NAME["cac_inflation_annual"].default == 0.02 and "default κ = 2 %" in text
