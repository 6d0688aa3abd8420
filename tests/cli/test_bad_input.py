"""The command line under bad input: one short line, exit 2, nothing half-written."""

from __future__ import annotations

import builtins
import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cli
from model.scenario import MAX_SCENARIO_BYTES
from tests.support.app import ROOT
from ui import report

CORPUS = ROOT / "tests" / "corpus" / "scenarios"
EXPECTED: dict[str, str] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
TOO_BIG = b'{"honesty": 0.5, "pad": "' + b"x" * (MAX_SCENARIO_BYTES + 10) + b'"}'



# --- the command line -----------------------------------------------------------------------------

@pytest.mark.parametrize("file", sorted(EXPECTED))
def test_cli_run_gives_one_short_line_and_exit_2(file, capsys, tmp_path):
    out = tmp_path / "out.csv"
    assert cli.main(["run", str(CORPUS / file), "--csv", str(out)]) == 2
    captured = capsys.readouterr()
    line = captured.err
    assert captured.out == "" and line.count("\n") == 1 and len(line.strip()) <= 300 + 7
    assert line.startswith("error: ") and EXPECTED[file][:60] in line
    assert not out.exists()


@pytest.mark.slow
def test_cli_deep_json_in_a_real_process_has_no_traceback():
    p = subprocess.run([sys.executable, "cli.py", "run", str(CORPUS / "deep_array.json")],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "brackets nested more than 20 deep" in p.stderr


def test_cli_checks_the_size_before_reading(tmp_path, capsys, monkeypatch):
    big = tmp_path / "big.json"
    big.write_bytes(TOO_BIG)

    def no_reading(self):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    assert cli.main(["run", str(big)]) == 2
    assert "at most 1,000,000 bytes" in capsys.readouterr().err


def test_a_read_only_csv_is_not_replaced(tmp_path, capsys):
    target = tmp_path / "monthly.csv"
    target.write_text("keep me\n")
    target.chmod(0o444)
    scenario = tmp_path / "s.json"
    scenario.write_text('{"honesty": 0.5}')
    assert cli.main(["run", str(scenario), "--csv", str(target)]) == 2
    assert "read-only" in capsys.readouterr().err
    assert target.read_text() == "keep me\n" and not target.stat().st_mode & 0o222


@pytest.mark.slow
@pytest.mark.parametrize("command", [["defaults"], ["fit", "data/churn/tenure.csv"]])
def test_a_closed_pipe_is_not_a_traceback(command):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte (``| head -c 0``)
    try:
        p = subprocess.run([sys.executable, "cli.py", *command], cwd=ROOT, stdout=write_end,
                           stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert p.returncode == 0 and p.stderr == ""


def _failing_open(victim: str):
    real_open = builtins.open

    def fake(file, *args, **kwargs):
        if str(file).endswith(victim):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(file, *args, **kwargs)

    return fake


@pytest.mark.parametrize("existing", [False, True])
def test_report_out_is_all_or_nothing(tmp_path, capsys, monkeypatch, existing):
    scenario = tmp_path / "s.json"
    scenario.write_text('{"honesty": 0.5}')
    out = tmp_path / "report"
    if existing:
        out.mkdir()
        (out / "report.html").write_text("the old report")
    monkeypatch.setattr(builtins, "open", _failing_open("sacrifice.png"))
    assert cli.main(["report", str(scenario), "--out", str(out)]) == 2
    assert "nothing was written" in capsys.readouterr().err
    if existing:
        assert sorted(p.name for p in out.iterdir()) == ["report.html"]
        assert (out / "report.html").read_text() == "the old report"
    else:
        assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["s.json", *(["report"] if existing else [])])  # no temporary folder left behind


def test_report_out_moves_every_file_into_place(tmp_path, capsys):
    scenario = tmp_path / "s.json"
    scenario.write_text('{"honesty": 0.5}')
    out = tmp_path / "new" / "report"
    assert cli.main(["report", str(scenario), "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == {*report.CHARTS, "monthly.csv", "report.html"}
    assert oct(out.stat().st_mode & 0o777) != oct(0o700)  # not the private temporary mode


# --- the report builds without Streamlit -----------------------------------------------------------

@pytest.mark.slow
def test_the_report_and_the_cli_report_path_do_not_import_streamlit():
    code = ("import sys, cli, ui.report, ui.charts, ui.chart_parts, ui.fields, ui.format;"
            "print('streamlit' in sys.modules)")
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "False"


