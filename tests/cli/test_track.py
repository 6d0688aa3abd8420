"""``cli.py plan commit`` and ``cli.py track`` (in process: main() with captured output)."""

from __future__ import annotations

import json

import pytest

from cli import main

ACTUALS = """month,customers_start,churned,new_customers,revenue,trust
1,100000,1800,1500,5000000,
2,99700,1750,1520,4990000,
"""


def run(capsys, *args) -> tuple[int, dict | None, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, (json.loads(out.out) if code == 0 and out.out.strip() else None), out.err


@pytest.fixture
def plan_id(capsys):
    code, out, err = run(capsys, "plan", "commit", "Bold", "--start-month", "2027-01",
                         "--draws", "300", "--pilot-share", "0.3", "--gate-month", "12",
                         "--threshold", "0.7")
    assert code == 0, err
    assert out["criterion"].startswith("Spend 30% of the investment first")
    assert "when_will_we_know" in out
    return out["plan_id"]


def test_track_prints_the_posterior_odds_gate_and_surprises(capsys, tmp_path, plan_id):
    path = tmp_path / "actuals.csv"
    path.write_text(ACTUALS)
    code, out, err = run(capsys, "track", plan_id, str(path), "--save")
    assert code == 0, err
    assert out["months_with_actuals"] == [1, 2] and out["saved"]
    assert out["gate"]["decision"] == "not yet"
    assert {"odds_before", "odds_now", "response_now", "effective_sample_size"} <= set(out)
    assert all("in 10 forecasts" in s["text"] for s in out["all_months"])
    # without a file: the saved actuals
    code, again, _ = run(capsys, "track", plan_id)
    assert code == 0 and again["months_with_actuals"] == [1, 2]


def test_when(capsys, plan_id):
    code, out, _ = run(capsys, "track", plan_id, "--when")
    assert code == 0 and "80%" in out["text"]


def test_bad_actuals_one_line_and_nothing_saved(capsys, tmp_path, plan_id):
    path = tmp_path / "bad.csv"
    path.write_text(ACTUALS.replace("1750", "lots"))
    code, _, err = run(capsys, "track", plan_id, str(path), "--save")
    assert code == 2
    assert err.startswith("error: ") and "line 3, column “churned”" in err
    assert err.count("\n") == 1
    code, _, err = run(capsys, "track", plan_id)
    assert code == 2 and "no saved actuals" in err


def test_unknown_plan_and_partial_staging(capsys):
    assert run(capsys, "track", "plan-0000", "--when")[0] == 2
    code, _, err = run(capsys, "plan", "commit", "Bold", "--pilot-share", "0.3")
    assert code == 2 and "all three" in err
    code, _, err = run(capsys, "plan", "commit", "Nope")
    assert code == 2 and "Nope" in err


def test_plan_list(capsys, plan_id):
    code = main(["plan", "list"])
    listed = json.loads(capsys.readouterr().out)
    assert code == 0 and listed[0]["plan_id"] == plan_id


def test_the_documented_examples_run_as_written(capsys, tmp_path):
    """docs/tracking.md: its commit command, its actuals CSV and its customer file, through the CLI."""
    import re
    import shlex

    from tests.support.app import ROOT

    doc = (ROOT / "docs" / "tracking.md").read_text()
    blocks = re.findall(r"```csv\n(.*?)```", doc, re.S)
    assert len(blocks) == 2
    commit = next(line for line in doc.splitlines() if line.startswith(".venv/bin/python cli.py plan commit"))
    argv = shlex.split(commit.split("cli.py", 1)[1])
    code, out, err = run(capsys, *argv, "--draws", "300")
    assert code == 0, err
    plan_id = out["plan_id"]
    for name, block, extra in (("actuals.csv", blocks[0], []),
                               ("customers.csv", blocks[1], ["--customers"])):
        path = tmp_path / name
        path.write_text(block)
        code, out, err = run(capsys, "track", plan_id, str(path), *extra)
        assert code == 0, err
        assert out["gate"]["decision"] == "not yet"
    code, out, _ = run(capsys, "track", plan_id, str(tmp_path / "actuals.csv"))
    assert out["months_with_actuals"] == [1, 2, 3, 4, 5, 6]
    assert not [n for n in out["notes"] if "start − churned + new" in n]  # the counts follow
