"""The dashboard's "Beyond one mass" panel through AppTest: a link with segments, tiers and
fixes shows the per-segment table, the vulture with its figure, the tiers and the ranking; a
hostile segment name stays text; without a structure the dashboard is as before."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

import cli
from model.simulation import Summary, run
from model.structure import parse_structure, run_structured
from tests.support.app import APP
from ui.verdict import headline_metrics, verdict_sentence

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
    for metric in headline_metrics(expected, 5):  # the main metrics are the structured run's
        assert metrics[metric.label] == metric.value
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


def _verdict(at: AppTest) -> str:
    texts = [m.value.replace("\\$", "$") for m in at.markdown]
    hits = [t for t in texts if t.startswith(("Inside your", "Every lever", "Your "))]
    assert len(hits) == 1, texts
    return hits[0]


def test_the_verdict_is_the_structured_runs_and_equals_cli_run(tmp_path, capsys):
    """With segments, tiers and fixes the main verdict, metrics and caption are the structured
    run's — the same figures `cli.py run` prints for the scenario — and shown once."""
    levers = {"honesty": 0.7, "investment": 2000000}
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps({**levers, **DATA}), encoding="utf-8")
    assert cli.main(["run", str(path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    summary = Summary(**{**{k: printed[k] for k in Summary.__dataclass_fields__},
                         "notes": tuple(printed["notes"])})
    at = _app(structure=json.dumps(DATA), **{k: str(v) for k, v in levers.items()})
    assert _verdict(at) == verdict_sentence(summary, 5)
    plain = verdict_sentence(run(levers).summary, 5)
    assert _verdict(at) != plain  # not the one-mass figures
    values = [m.value for m in at.metric]
    for metric in headline_metrics(summary, 5):
        assert values.count(metric.value) == 1, metric  # one figure per quantity
    captions = " ".join(c.value for c in at.caption)
    assert "2 segments, 2 tiers, 1 fix" in captions

