"""``python cli.py fit``: fits per segment as JSON, cohort tables without flags, forced shapes, and
bad files as one line with exit status 2 (the same sentence as the page, from tests/corpus/churn/)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.support.app import ROOT

SAMPLES = ROOT / "data" / "churn"
CORPUS = ROOT / "tests" / "corpus" / "churn"
CASES = {k: v for k, v in json.loads((CORPUS / "messages.json").read_text("utf-8")).items()
         if not k.startswith("_")}
CLI_CASES = ("outlier_tenure_1e9.csv", "tenure_infinite.csv", "near_cohort_one_rise.csv",
             "yyyymmdd_with_a_number.csv", "no_duration_column.csv")
UPLOAD_ENV = "ONEQ_MAX_UPLOAD_MB"

pytestmark = pytest.mark.slow  # each test starts the command line (a few seconds each)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "cli.py", "fit", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_prints_fits_per_segment_as_json():
    out = run_cli(str(SAMPLES / "tenure.csv"), "--duration", "tenure_months", "--event",
                  "churned", "--segment", "contract", "--period", "months")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    segs = {s["segment"]: s for s in report["segments"]}
    assert set(segs) == {"Annual", "Monthly"}
    monthly = segs["Monthly"]
    assert set(monthly["fits"]["sbg"]["params"]) == {"alpha", "beta"}
    assert monthly["best"] == "sbg"
    assert abs(monthly["fits"]["sbg"]["params"]["alpha"] - 0.6) < 4 * monthly["fits"]["sbg"]["se"][
        "alpha"]
    for fit in monthly["fits"].values():
        assert {"loglik", "aic", "se", "params"} <= set(fit)


def test_cli_recognises_cohort_tables_without_flags_and_dates_with_flags():
    out = run_cli(str(SAMPLES / "cohorts.csv"))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["shape"] == "cohort" and report["period"] == "years"
    assert [s["segment"] for s in report["segments"]] == ["Regular", "High end"]
    out = run_cli(str(SAMPLES / "customers.csv"), "--start", "start_date", "--end", "end_date",
                  "--as-of", "2026-10-31", "--segment", "segment", "--revenue", "monthly_revenue")
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["segments"]) == 3


def test_cli_bad_file_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"tenure,churned\n")
    out = run_cli(str(bad))
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith("error: ") and "no data rows" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    out = run_cli(str(tmp_path / "missing.csv"))
    assert out.returncode == 2 and "Cannot read" in out.stderr


def test_cli_shape_can_be_forced():
    out = run_cli(str(CORPUS / "near_cohort_one_rise.csv"))
    assert out.returncode == 2 and "rises from 653 to 700 on line 6" in out.stderr
    out = run_cli(str(CORPUS / "near_cohort_one_rise.csv"), "--shape", "customers")
    assert out.returncode == 2 and "No duration column is mapped" in out.stderr
    out = run_cli(str(SAMPLES / "tenure.csv"), "--shape", "cohorts")
    assert out.returncode == 2 and "must count periods 0, 1, 2" in out.stderr
    out = run_cli(str(SAMPLES / "cohorts.csv"), "--shape", "cohorts")
    assert out.returncode == 0 and json.loads(out.stdout)["shape"] == "cohort"
    out = run_cli(str(SAMPLES / "cohorts.csv"), "--shape", "rows")
    assert out.returncode == 2 and "invalid choice" in out.stderr


def test_cli_reads_a_file_over_the_upload_limit_in_place(tmp_path):
    """The page refuses a file over the upload limit (tests/model/churn); the command line hands
    it to DuckDB, which groups it where it lies."""
    big = tmp_path / "big.csv"
    big.write_bytes(b"tenure,churned\n" + b"3,1\n4,0\n" * 50_000)
    env = {**os.environ, UPLOAD_ENV: "0.1"}
    out = subprocess.run([sys.executable, "cli.py", "fit", str(big)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["rows"] == 100_000 and report["segments"][0]["churned"] == 50_000
    assert any(n.startswith("Grouped inside the database: 2 count rows") for n in report["notes"])


def test_an_empty_column_name_drops_a_guessed_segment_and_a_unit_can_be_chosen():
    """Issue 21, defect 6: ``--segment ""`` was an error; the unit guess is said and overridable."""
    telco = str(ROOT / "tests" / "corpus" / "analysts" / "telco_like.csv")
    out = run_cli(telco, "--segment", "")
    assert out.returncode == 0, out.stderr
    assert [s["segment"] for s in json.loads(out.stdout)["segments"]] == ["All customers"]
    bank = str(ROOT / "tests" / "corpus" / "analysts" / "bank_like.csv")
    report = json.loads(run_cli(bank).stdout)
    assert report["period"] == "years"
    assert any("read as years (from its range: 0 to 10)" in n for n in report["notes"])
    assert json.loads(run_cli(bank, "--unit", "months").stdout)["period"] == "months"


def test_curves_csv_and_the_backtest(tmp_path):
    out_csv = tmp_path / "curves.csv"
    out = run_cli(str(SAMPLES / "cohorts.csv"), "--curves-csv", str(out_csv), "--holdout", "5")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["bands"].startswith("delta method")
    test = report["segments"][0]["backtest"]
    assert test["fitted_on_periods"] == 5 and test["periods"] == [6, 7]
    assert set(test["mean_abs_error"]) == {"sbg", "sbdw", "weibull", "constant"}
    header = out_csv.read_text().splitlines()[0]
    assert header == ("segment,curve,year,survival,survival_low,survival_high,churn_in_next,"
                      "churn_in_next_low,churn_in_next_high")
    out_csv.chmod(0o444)
    refused = run_cli(str(SAMPLES / "cohorts.csv"), "--curves-csv", str(out_csv))
    assert refused.returncode == 2 and "read-only" in refused.stderr


@pytest.mark.parametrize("name", ["all_blank_churned.csv", "cohort_counts_1e300.csv"])
def test_issue_24_files_give_one_line_and_no_warnings(name):
    """Issue 24, items 5 and 14: an all-blank churned column was 'unexpected IndexError'; counts
    of 1e300 printed 344 lines of numpy RuntimeWarnings."""
    out = run_cli(str(CORPUS / name))
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and CASES[name]["message"][:60] in out.stderr


def test_huge_counts_that_fit_print_no_warning(tmp_path):
    big = tmp_path / "big.csv"
    big.write_text("month,a,b\n0,900000000000,900000000000\n1,800000000000,880000000000\n"
                   "2,650000000000,870000000000\n3,640000000000,869999999999\n")
    out = run_cli(str(big))
    assert out.returncode == 0 and out.stderr == ""


def test_a_sep_line_from_excel_is_understood():
    out = run_cli(str(CORPUS / "sep_line_from_excel.csv"))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["rows"] == 4 and report["segments"][0]["churned"] == 2


def test_cohorts_by_start_month_come_out_of_the_command_line():
    report = json.loads(run_cli(str(SAMPLES / "customers.csv")).stdout)
    cohorts = report["cohorts_by_start_month"]
    assert list(cohorts)[0] == "2019-01" and len(cohorts["2019-01"]) == 36
    assert 0 < cohorts["2019-01"][11] < cohorts["2019-01"][0] <= 1
    assert cohorts["2026-10"][0] is None  # too young to have a first month


def test_a_file_over_the_memory_limit_is_grouped_by_duckdb_where_it_lies(tmp_path):
    import pandas as pd

    frame = pd.read_csv(ROOT / "tests" / "corpus" / "analysts" / "telco_like.csv")
    frame.to_parquet(tmp_path / "telco.parquet")
    env = {**os.environ, UPLOAD_ENV: "0.01"}  # 10 kB: the file is "large"
    out = subprocess.run([sys.executable, "cli.py", "fit", str(tmp_path / "telco.parquet")],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["file"].endswith("telco.parquet")
    assert any(n.startswith("Grouped inside the database") for n in report["notes"])
    assert [s["segment"] for s in report["segments"]] == ["Month-to-month", "One year", "Two year"]


@pytest.mark.parametrize("name", CLI_CASES)
def test_cli_gives_the_same_sentence_on_one_line(name):
    case = CASES[name]
    out = subprocess.run([sys.executable, "cli.py", "fit", str(CORPUS / name)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {name}: ")
    assert case["message"][:60] in lines[0] and len(lines[0]) <= 300 + len("error: ")


def test_the_calendar_backtest_and_its_cut_off():
    """Issue 21: a date file's report holds the backtest on the earlier calendar window, with
    observed and projected retention and the error of every curve; --cutoff chooses the date."""
    subs = str(ROOT / "tests" / "corpus" / "analysts" / "subscriptions_like.csv")
    out = run_cli(subs, "--cutoff", "2023-01-01")
    assert out.returncode == 0, out.stderr
    for seg in json.loads(out.stdout)["segments"]:
        cal = seg["calendar_backtest"]
        assert cal["cutoff"] == "2023-01-01" and cal["periods_after_cutoff"] == list(range(1, 12))
        assert len(cal["observed"]) == 11 and cal["customers_active_at_cutoff"] > 300
        assert set(cal["projected"]) == set(cal["mean_abs_error"]) == {"sbg", "sbdw", "weibull",
                                                                        "constant"}
        assert seg["backtest"] is not None  # the by-age holdout as well
    bad = run_cli(subs, "--cutoff", "2031-02-30")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "YYYY-MM-DD" in bad.stderr


def test_the_readme_cutoff_example_runs_as_written():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if "cli.py fit" in x and "--cutoff" in x)
    args = line.split("#")[0].split("cli.py fit", 1)[1].split()
    out = run_cli(*args)
    assert out.returncode == 0, out.stderr
    cutoff = args[args.index("--cutoff") + 1]
    segments = json.loads(out.stdout)["segments"]
    assert segments and all(s["calendar_backtest"]["cutoff"] == cutoff for s in segments)
