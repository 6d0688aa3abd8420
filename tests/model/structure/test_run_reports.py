"""``run_structured(reports=False)``: the same run without the reports (the dashboard's verdict),
and what a structure says it holds."""

from __future__ import annotations

import numpy as np

from model.structure import Structure, parse_structure, run_structured

DATA = {
    "segments": [{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4, "arpu": 20}],
    "tiers": [{"name": "User", "share": 0.7, "arpu": 1.0, "upgrade": 0.01},
              {"name": "Heavy", "share": 0.2, "arpu": 1.5},
              {"name": "Super", "share": 0.1, "arpu": 2.0, "downgrade": 0.01}],
    "fixes": [{"name": "Billing", "capex": 500000, "churn_share": 0.05}],
}


def test_without_reports_the_run_is_the_same():
    structure = parse_structure(DATA)
    full = run_structured({"honesty": 0.6}, structure)
    alone = run_structured({"honesty": 0.6}, structure, reports=False)
    assert alone.run.summary == full.run.summary
    assert np.array_equal(alone.run.simulation.npv, full.run.simulation.npv)
    assert full.segments and full.fixes and not alone.segments and not alone.fixes


def test_describe_counts_with_plurals():
    assert parse_structure(DATA).describe() == "2 segments, 3 tiers, 1 fix"
    two_fixes = parse_structure({"fixes": [{"name": "a", "capex": 1, "churn_share": 0.1},
                                           {"name": "b", "capex": 1, "churn_share": 0.1}]})
    assert two_fixes.describe() == "2 fixes"
    assert Structure().describe() == ""
