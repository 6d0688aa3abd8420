"""The Method page: every registry entry is explained, with its range and source, the equations
as implemented (issue 19's mechanics among them), the golden identity and its conditions, the
horizon identity and the sources."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from model.assumptions import BY_NAME, REGISTRY
from tests.support.app import APP, ROOT
from ui import glossary


def _method() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page("pages/method.py").run()
    assert not at.exception, at.exception
    return at


def _text(at: AppTest) -> tuple[str, str, list[str]]:
    markdown = " ".join(m.value for m in at.markdown).replace("\\$", "$")
    latex = " ".join(x.value for x in at.get("latex"))
    headers = [h.value for h in at.header] + [h.value for h in at.subheader]
    return markdown, latex, headers


def test_every_assumption_is_in_the_table_with_a_source():
    at = _method()
    # The glossary, then levers, business basics, advanced, decision analysis.
    assert len(at.table) == 5
    assert list(at.table[0].value.iloc[:, 0]) == [name for name, _ in glossary.table()]
    table = pd.concat([t.value.reset_index() for t in at.table[1:]], ignore_index=True)
    assert list(table["Name"]) == [a.name for a in REGISTRY]
    by_name = table.set_index("Name")
    for a in REGISTRY:
        assert by_name.loc[a.name, "Assumption"] == a.label
        assert by_name.loc[a.name, "Meaning"] == a.meaning
        assert by_name.loc[a.name, "Source"] == a.source and a.source  # or "illustrative"
        assert bool(by_name.loc[a.name, "Customer response"]) is a.response
    # fractions read as percentages, uncertainty shown where there is one
    assert by_name.loc["honesty", "Default"] == "60 %"
    assert by_name.loc["annual_churn", "Uncertainty range"] == "17 % … 23 %"
    assert by_name.loc["honesty", "Uncertainty range"].startswith("—")
    assert by_name.loc["customers", "Range"] == "1 customers … 100,000,000 customers"
    assert by_name.loc["trust_initial", "Uncertainty range"] == "30 % … 50 %"  # issue 19


def test_issue_19s_new_coefficients_are_named_with_unit_range_and_source():
    new = ("bad_profit_phaseout_months", "sales_budget_adjust_months", "trust_from_bills_share",
           "betrayal_trust_penalty", "response_likely", "response_spread")
    for name in new:
        a = BY_NAME[name]
        assert a.unit and a.meaning and a.min <= a.default <= a.max and a.source
    for name in new[:4]:  # the model's coefficients carry low / likely / high
        a = BY_NAME[name]
        assert a.uncertain and a.low <= a.default <= a.high and a.source == "illustrative"


def test_equations_sources_and_illustrative_defaults():
    markdown, latex, headers = _text(_method())
    for source in ("Fader", "Hardie", "2007", "Gupta, Lehmann", "2004", "Reichheld",
                   "Journal of Interactive Marketing", "Journal of Marketing Research",
                   "Iman", "Conover"):
        assert source in markdown
    assert "illustrative" in markdown
    assert r"\frac{N_0\, m}{1 + i - r}" in latex  # the golden identity
    assert "no acquisition, no levers and no decay" in markdown  # ... and its conditions
    assert r"\frac{K}{K + K_{1/2}}" in latex  # diminishing returns of the investment
    assert any("terminal value" in h for h in headers) and any("Trust" in h for h in headers)


def test_the_honest_model_is_explained():
    """Issue 9: two kinds of customer, churn shares, trust threshold, market, decay, end value,
    what the model leaves out, and the Gupta–Lehmann–Stuart reconciliation."""
    markdown, latex, headers = _text(_method())
    assert "What this model leaves out" in headers
    assert any("Two kinds of customer" in h for h in headers)
    assert any("threshold" in h for h in headers)
    assert r"s = \frac{p - d}{1 - d}" in latex  # today's over-sold share
    assert r"(1 - d - e_{fix}) \times \frac{1 - e_{trust}}{1 - e_{trust}\,A(\tau_0)}" in latex
    assert r"A(\tau)" in latex and r"\frac{v^{H+1}}{1 - v}" in latex  # attachment, arrivals
    assert "$250" in markdown and "$312.50" in markdown
    # The defended defaults are the registry's (the page states them in words).
    assert BY_NAME["status_quo_trust_drift"].default == -0.02 and "default −0.02" in markdown
    assert BY_NAME["cac_inflation_annual"].default == 0.02 and "default κ = 2 %" in markdown


def test_the_sacrifice_and_the_horizon_are_stated_as_implemented():
    """Issue 19: honesty's costs, what trust follows, the end value's two parts and the
    conditions under which the total does not depend on the horizon, the latent response."""
    markdown, latex, headers = _text(_method())
    assert r"y_t = h_t \min\Bigl(1, \frac{t + 1}{M_b}\Bigr)" in latex  # bills, whole base
    assert r"c_t = \max\Bigl(0, 1 - \frac{t}{M_s}\Bigr)" in latex  # the committed budget
    assert "Competitors keep over-promising" in markdown
    assert r"\varepsilon_t = \omega\, y_t + (1 - \omega)\,\varphi_t" in latex
    assert r"\frac{e_{fix}}{1 - d}" in latex and "betrayal penalty" in markdown
    assert r"p\, L\bigl((1 - d + x)\,h_0\bigr)" in latex  # any curve's stationary status quo
    assert "still to come" in latex and "still active" in latex
    assert "the same at every horizon" in markdown and "internal rate of return" in markdown
    assert any("latent response" in h for h in headers) and r"\text{PERT}" in latex
    assert "Notes" in markdown


def test_the_page_is_thin():
    assert len((ROOT / "pages" / "method.py").read_text(encoding="utf-8").splitlines()) < 120
    assert Path(APP).exists()
