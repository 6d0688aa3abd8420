"""The segments panel's pure parts: the charts' specs, the link carrying the structure, and the
editor rows becoming scenario-file items."""

from __future__ import annotations

import json

import pandas as pd

from model.structure import parse_structure, run_structured
from ui import segments_charts, share
from ui.comparison_report import comparison_files
from ui.fixes_panel import FIX_COLUMNS, items_for_editor, items_from_editor
from ui.segments_state import frame_of, rows_to_items

STRUCTURE = parse_structure({
    "segments": [{"name": "Core", "share": 0.9},
                 {"name": "![x](http://127.0.0.1:9/x.png)", "share": 0.1, "arpu": 12,
                  "churn": 0.6, "cac": 500, "bad_profit_share": 0.3}],
    "tiers": [{"name": "User", "share": 0.8, "arpu": 1.0, "upgrade": 0.01},
              {"name": "Super", "share": 0.2, "arpu": 2.0, "downgrade": 0.01}],
    "fixes": [{"name": "Billing", "capex": 1e6, "churn_share": {"low": 0.04, "likely": 0.08,
                                                                "high": 0.12},
               "segments": ["Core"], "build_months": 9}]})


def test_a_link_carries_the_structure_and_gives_it_back():
    params = share.encode({"honesty": 0.7}, structure=STRUCTURE)
    assert json.loads(params["structure"])["fixes"][0]["segments"] == ["Core"]
    link = share.parse_query(params)
    assert link.structure == STRUCTURE and link.values == {"honesty": 0.7} and not link.notes
    assert "structure" not in share.encode({"honesty": 0.7})


def test_a_bad_structure_in_a_link_is_left_out_with_a_note():
    link = share.parse_query({"structure": '{"segments": [{"name": "A", "share": 3}]}',
                              "honesty": "0.5"})
    assert link.structure.empty and link.values == {"honesty": 0.5}
    assert "segments[0].share: 3 is out of range" in link.notes[0]
    assert share.parse_query({"structure": "[" * 50}).structure.empty


def test_editor_rows_become_the_scenario_files_items():
    frame = frame_of([{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5, "arpu": 9}],
                     ("name", "share", "arpu"))
    frame.loc[len(frame)] = [None, float("nan"), float("nan")]  # an empty row added
    assert rows_to_items(frame) == [{"name": "A", "share": 0.5},
                                    {"name": "B", "share": 0.5, "arpu": 9.0}]
    fixes = STRUCTURE.to_dict()["fixes"]
    assert items_from_editor(items_for_editor(fixes)) == fixes
    # Through the editor's frame: the segments column stays text (a fix for named segments).
    frame = frame_of(items_for_editor(fixes), FIX_COLUMNS)
    assert items_from_editor(rows_to_items(frame)) == fixes


def test_the_charts_show_every_segment_tier_and_budget():
    result = run_structured({"investment": 2e6}, STRUCTURE)
    bad = segments_charts.bad_profits_chart(result.segments).to_dict()
    names = [v["segment"] for v in bad["datasets"][next(iter(bad["datasets"]))]]
    assert names == ["Core", "![x](http://127.0.0.1:9/x.png)"]
    assert bad["encoding"]["color"]["scale"]["range"][1] == segments_charts.VULTURE
    mix = segments_charts.tier_mix_chart(result.tiers).to_dict()
    assert mix["encoding"]["strokeDash"]["scale"]["domain"] == ["Status quo", "Customer-centric"]
    curve = segments_charts.budget_curve_chart(result.budget_curve, 2e6).to_dict()
    data = pd.DataFrame(next(v for v in curve["datasets"].values() if "budget" in v[0]
                             and "delta_npv" in v[0]))
    assert list(data["budget"]) == [0.0, 1e6]


def test_the_comparison_report_runs_a_structured_scenario_and_shows_its_segments():
    files = comparison_files([("Plain", "", {"honesty": 0.7}), ("Split", "", {"honesty": 0.7})],
                             "W", "2026-12-02", structures={"Split": STRUCTURE})
    html = files["comparison.html"].decode()
    assert "Segments, tiers and fixes of Split" in html
    assert "![x](http://127.0.0.1:9/x.png)" in html and "<img src=\"http://127" not in html
    assert "Honest lifetime value" in html  # the vulture's figure
    csv = files["comparison.csv"].decode()
    expected = run_structured({"honesty": 0.7}, STRUCTURE).run.summary.delta_npv
    assert f"{expected:.0f}"[:6] in csv.replace(",", "")
