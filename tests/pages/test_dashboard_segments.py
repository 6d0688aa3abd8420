"""The dashboard's "Beyond one mass" panel through AppTest: a link with segments, tiers and
fixes shows the per-segment table, the vulture with its figure, the tiers and the ranking; a
hostile segment name stays text; without a structure the dashboard is as before."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from model.structure import parse_structure, run_structured
from tests.support.app import APP
from ui.format import signed_money

HOSTILE = "[Log in](https://example.org)"
DATA = {
    "segments": [{"name": "Core", "share": 0.9},
                 {"name": HOSTILE, "share": 0.1, "arpu": 12, "churn": 0.6, "cac": 500,
                  "bad_profit_share": 0.3}],
    "tiers": [{"name": "User", "share": 0.8, "arpu": 1.0, "upgrade": 0.01},
              {"name": "Super", "share": 0.2, "arpu": 2.0, "downgrade": 0.01}],
    "fixes": [{"name": "Billing", "capex": 1000000, "churn_share": 0.08}],
}


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_link_with_structure_shows_the_panel():
    at = _app(structure=json.dumps(DATA), honesty="0.7")
    metrics = {m.label: m.value for m in at.metric}
    expected = run_structured({"honesty": 0.7}, parse_structure(DATA)).run.summary
    assert metrics["ΔNPV (cash + end value)"] == signed_money(expected.delta_npv, compact=True)
    assert "Net revenue retention, 12 months" in metrics
    warnings = [w.value for w in at.warning]
    vulture = [w for w in warnings if "Vulture segment" in w]
    assert len(vulture) == 1 and "Honest lifetime value" in vulture[0]
    assert "\\[Log in\\]" in vulture[0]  # escaped: literal text, not a link
    tables = [t.value for t in at.table]
    assert any("Billing" in str(t.values.tolist()) for t in tables)
    assert len(at.get("vega_lite_chart")) >= 7  # the dashboard's four and the panel's three


def test_without_structure_the_panel_waits_closed_and_the_link_stays_plain():
    at = _app(honesty="0.7")
    assert "structure" not in at.query_params
    assert not at.dataframe  # the editors are built only while the panel is open
    at.session_state["structure_open"] = True
    at.run()
    assert [d.key for d in at.dataframe] == ["seg_editor_0", "tier_editor_0", "fix_editor_0"]
    assert "ΔNPV (cash + end value)" not in {m.label for m in at.metric}
