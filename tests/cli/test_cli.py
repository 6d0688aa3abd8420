"""The command line: defaults, run, the CSV, and every kind of bad scenario file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from model import defaults, run
from model.assumptions import NAMES
from tests.support.app import ROOT


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.slow
def test_defaults_prints_every_assumption_as_a_flat_object():
    out = cli("defaults")
    assert out.returncode == 0
    data = json.loads(out.stdout)
    assert list(data) == list(NAMES)
    assert data == defaults()
    assert data["honesty"] == 0.6 and data["annual_churn"] == 0.2  # fractions as fractions


@pytest.mark.slow
def test_run_prints_the_summary_and_writes_the_csv(tmp_path):
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"honesty": 0.3, "investment": 2_000_000}))
    out_csv = tmp_path / "monthly.csv"
    out = cli("run", str(scenario), "--csv", str(out_csv))
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    expected = run({"honesty": 0.3, "investment": 2_000_000}).summary
    for key in ("npv_status_quo", "npv_scenario", "delta_npv", "delta_inside_tenure",
                "payback_month", "deepest_sacrifice", "deepest_sacrifice_month",
                "customers_end_status_quo", "customers_end_scenario"):
        assert summary[key] == getattr(expected, key), key
    table = pd.read_csv(out_csv)
    assert set(table["strategy"]) == {"status_quo", "customer_centric"}
    assert len(table) == 2 * 120


@pytest.mark.slow
def test_written_files_follow_the_umask_not_the_private_temporary_file(tmp_path):
    scenario = tmp_path / "s.json"
    scenario.write_text("{}")
    out_csv = tmp_path / "monthly.csv"
    assert cli("run", str(scenario), "--csv", str(out_csv)).returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out_csv.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.slow
def test_a_default_scenario_file_round_trips(tmp_path):
    scenario = tmp_path / "d.json"
    scenario.write_text(cli("defaults").stdout)
    out = cli("run", str(scenario))
    assert json.loads(out.stdout)["delta_npv"] == run().summary.delta_npv


@pytest.mark.slow
def test_never_is_null(tmp_path):
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"investment": 100_000_000, "horizon_years": 2}))
    assert json.loads(cli("run", str(scenario)).stdout)["payback_month"] is None


@pytest.mark.slow
@pytest.mark.parametrize("text,needles", [
    ("{not json", ["not valid JSON", "line 1"]),
    ("[1, 2]", ["must be a JSON object"]),
    ('{"honesty": 0.5, "flux": 3}', ["unknown key 'flux'"]),
    ('{"honesty": "0.5"}', ["honesty", "'0.5'", "not a number", "from 0 to 1"]),
    ('{"include_terminal_value": "yes"}', ["include_terminal_value", "'yes'", "true or false"]),
    ('{"honesty": NaN}', ["honesty", "nan", "not a finite number", "from 0 to 1"]),
    ('{"investment": Infinity}', ["investment", "inf", "not a finite number"]),
    ('{"honesty": 25}', ["honesty", "25", "out of range", "from 0 to 1", "0.25, not 25"]),
    ('{"horizon_years": 30}', ["horizon_years", "30", "from 1 to 20"]),
    ('{"horizon_years": 5.5}', ["horizon_years", "5.5", "whole number"]),
    ('{"honesty": 0.1, "honesty": 0.2}', ["'honesty' appears more than once"]),
    ("", ["not valid JSON"]),
])
def test_a_bad_file_exits_2_with_one_line_and_writes_nothing(tmp_path, text, needles):
    scenario = tmp_path / "bad.json"
    scenario.write_text(text)
    out_csv = tmp_path / "out.csv"
    out = cli("run", str(scenario), "--csv", str(out_csv))
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    for needle in needles:
        assert needle in lines[0]
    assert not out_csv.exists()
    assert list(tmp_path.iterdir()) == [scenario]  # no temporary files left either


@pytest.mark.slow
def test_a_missing_file_is_a_clear_error(tmp_path):
    out = cli("run", str(tmp_path / "nope.json"))
    assert out.returncode == 2 and "cannot read" in out.stderr


@pytest.mark.slow
def test_unknown_command_exits_2():
    out = cli("frobnicate")
    assert out.returncode == 2 and "unknown command" in out.stderr


@pytest.mark.slow
def test_usage_errors_are_one_line_with_status_2():
    for args in (["nonsense"], ["run"], ["analyze", "x.json", "--draws", "many"]):
        out = cli(*args)
        assert out.returncode == 2, args
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), out.stderr
        assert len(lines[0]) <= 310 and "Traceback" not in out.stderr


@pytest.mark.slow
def test_help_lists_every_command():
    out = cli("--help")
    assert out.returncode == 0
    for command in ("defaults", "run", "fit", "analyze", "report"):
        assert command in out.stdout


def test_the_model_imports_nothing_above_itself():
    import re

    pattern = re.compile(r"^\s*(from|import)\s+(ui|pages|cli|app)\b|__main__", re.M)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "model").rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_run_prints_the_notes_and_the_end_values_two_parts(tmp_path, capsys):
    """Issue 19 through the front door: nothing changed silently, the end value in two parts,
    and the README's example scenario accepted as written."""
    import re

    import cli as front_door

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```json\n(.*?)```", readme, re.S)
                   if "bad_profit_phaseout_months" in b)
    scenario = tmp_path / "readme.json"
    scenario.write_text(example)
    assert front_door.main(["run", str(scenario)]) == 0
    summary = json.loads(capsys.readouterr().out)
    parts = summary["delta_end_value_active"] + summary["delta_end_value_arrivals"]
    assert summary["delta_npv"] == pytest.approx(summary["delta_npv_excl_terminal"] + parts)
    # Nothing capped or clipped; the one note says the total still moves with the horizon.
    assert len(summary["notes"]) == 1 and "still depends on the horizon" in summary["notes"][0]
    scenario.write_text(json.dumps({"build_months": 30, "horizon_years": 2}))
    assert front_door.main(["run", str(scenario)]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert any("build_months 30 runs past the 24-month horizon" in n for n in notes)


def test_a_market_smaller_than_todays_customers_is_one_line_and_status_2(tmp_path, capsys):
    import cli as front_door

    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"customers": 200_000, "market_size": 150_000}))
    for command in (["run"], ["analyze", "--draws", "10"]):
        assert front_door.main([command[0], str(scenario), *command[1:]]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1
        assert "market_size: 150,000 customers is below today's 200,000" in err
