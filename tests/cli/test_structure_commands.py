"""The command line with segments, tiers and fixes: run, fixes rank, tiers fit."""

from __future__ import annotations

import json

import cli
from model.simulation import run

SCENARIO = {
    "honesty": 0.8, "investment": 3_000_000,
    "segments": [{"name": "SMB", "share": 0.7, "churn": 0.25, "cac": 400, "arpu": 40},
                 {"name": "Enterprise", "share": 0.3, "arpu": 120, "churn": 0.1,
                  "bad_profit_share": 0.12, "honesty": 1.0}],
    "tiers": [{"name": "User", "share": 0.8, "arpu": 1.0, "upgrade": 0.01},
              {"name": "Super", "share": 0.2, "arpu": 2.0, "downgrade": 0.01}],
    "fixes": [{"name": "Billing", "capex": 1_000_000, "opex_per_year": 100_000,
               "churn_share": 0.08},
              {"name": "Onboarding", "capex": 2_000_000,
               "churn_share": {"low": 0.05, "likely": 0.1, "high": 0.15},
               "segments": ["SMB"], "build_months": 6}],
}


def _write(tmp_path, data, name="s.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_run_prints_segments_tiers_and_fixes(tmp_path, capsys):
    assert cli.main(["run", _write(tmp_path, SCENARIO), "--csv", str(tmp_path / "m.csv")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [s["segment"] for s in out["segments"]] == ["SMB", "Enterprise"]
    assert out["tiers"]["super_users_today"] == 20_000
    assert out["fixes"]["bought"] == ["Billing", "Onboarding"]
    assert any("Usage tiers replace the flat spend uplift" in n for n in out["notes"])
    header = (tmp_path / "m.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "customers_active [SMB]" in header


def test_a_plain_scenario_prints_what_it_printed_before(tmp_path, capsys):
    assert cli.main(["run", _write(tmp_path, {"honesty": 0.4})]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == json.loads(cli.to_json(run({"honesty": 0.4}).summary.to_dict()))


def test_fixes_rank_says_what_a_budget_buys(tmp_path, capsys):
    path = _write(tmp_path, SCENARIO)
    assert cli.main(["fixes", "rank", path, "--budget", "1500000"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["rank"] for r in out["ranking"]] == [1, 2]
    best = out["ranking"][0]
    assert out["bought"] == [best["name"]] if best["capex"] <= 1_500_000 else out["bought"] == []
    assert [p["budget"] for p in out["budget_curve"]][0] == 0
    assert out["budget_curve"][-1]["fixes"] == [r["name"] for r in out["ranking"]]


def test_fixes_rank_without_fixes_and_bad_structure_get_one_line(tmp_path, capsys):
    assert cli.main(["fixes", "rank", _write(tmp_path, {"honesty": 0.5})]) == 2
    assert "has no \"fixes\" list" in capsys.readouterr().err
    bad = {**SCENARIO, "fixes": [{"name": "X", "capex": 1, "churn_share": 2}]}
    assert cli.main(["run", _write(tmp_path, bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "fixes[0].churn_share: 2 is out of range" in err


def test_tiers_fit_prints_a_tiers_list(tmp_path, capsys):
    rows = ["id,plan_then,plan_now,mrr"] + [f"{i},Basic,Basic,10" for i in range(8)] + [
        "8,Basic,Plus,10", "9,Basic,,10", "10,Plus,Plus,30", "11,Plus,Basic,30"]
    path = tmp_path / "plans.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert cli.main(["tiers", "fit", str(path), "--then", "plan_then", "--now", "plan_now",
                     "--months", "12", "--revenue", "mrr"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [t["name"] for t in out["tiers"]] == ["Basic", "Plus"]
    assert out["customers"] == 12 and out["churned"] == 1
    assert cli.main(["tiers", "fit", str(path), "--then", "x", "--now", "plan_now",
                     "--months", "12"]) == 2
    assert "column 'x'" in capsys.readouterr().err


def test_fit_prints_the_calibrations_segments_ready_for_a_scenario(tmp_path, capsys):
    from tests.support.app import ROOT

    assert cli.main(["fit", str(ROOT / "data" / "churn" / "customers.csv")]) == 0
    segments = json.loads(capsys.readouterr().out)["calibration"]["segments"]
    assert len(segments) >= 2 and sum(s["share"] for s in segments) == 1.0
    segments[-1]["bad_profit_share"] = 0.2  # give one its own economics
    assert cli.main(["run", _write(tmp_path, {"segments": segments})]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [s["segment"] for s in out["segments"]] == [s["name"] for s in segments]


def test_report_runs_a_structured_scenario(tmp_path, capsys):
    out = tmp_path / "rep"
    assert cli.main(["report", _write(tmp_path, {"segments": SCENARIO["segments"]}),
                     "--out", str(out)]) == 0
    header = (out / "monthly.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "customers_active [Enterprise]" in header
