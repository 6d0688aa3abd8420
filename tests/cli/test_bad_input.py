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




# --- JSON outside scenario files: ranges, answers, workspace files (tests/corpus/json) -------------

JSON_CORPUS = ROOT / "tests" / "corpus" / "json"
JSON_EXPECTED: dict[str, str] = json.loads(
    (JSON_CORPUS / "expected.json").read_text(encoding="utf-8"))
SHAPED = ("deep.json", "deep_in_a_value.json", "long_number.json")  # any JSON input


def one_line(capsys) -> str:
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("error: ") and len(captured.err.strip()) <= 307
    return captured.err


@pytest.fixture
def workshop_id() -> str:
    from tests.support.store import lib

    return lib().start_workshop("Bad input").id


@pytest.mark.parametrize("file", SHAPED)
def test_every_json_input_of_the_cli_has_the_scenario_files_guards(file, capsys, tmp_path,
                                                                    workshop_id):
    from tests.support.store import spaces

    scenario = tmp_path / "s.json"
    scenario.write_text("{}")
    path = str(JSON_CORPUS / file)
    before = spaces().names()
    for argv in (["analyze", str(scenario), "--draws", "100", "--ranges", path],
                 ["workspace", "import", path],
                 ["workshop", "answer", workshop_id, path]):
        assert cli.main(argv) == 2, argv
        assert JSON_EXPECTED[file] in one_line(capsys), argv
    assert spaces().names() == before


@pytest.mark.parametrize("file", sorted(f for f in JSON_EXPECTED if f.startswith("workspace_")))
def test_a_workspace_file_with_one_planted_value_is_refused_whole(file, capsys):
    from tests.support.store import spaces

    before = spaces().names()
    assert cli.main(["workspace", "import", str(JSON_CORPUS / file)]) == 2
    assert JSON_EXPECTED[file] in one_line(capsys)
    assert spaces().names() == before  # nothing written


def _max_rss_mb(argv: list[str]) -> tuple[int, str, float]:
    """Run the CLI in a fresh interpreter; (exit status, stderr, peak resident MB)."""
    code = ("import resource, sys, cli; status = cli.main(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stdout); "
            "sys.exit(status)")
    p = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, capture_output=True,
                       text=True, timeout=120)
    return p.returncode, p.stderr, float(p.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_two_gigabyte_json_file_is_refused_by_its_size_without_reading_it(tmp_path,
                                                                           workshop_id):
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as f:  # sparse: 2 GB on paper, nothing on disk
        f.truncate(2_000_000_000)
    scenario = tmp_path / "s.json"
    scenario.write_text("{}")
    _, _, idle = _max_rss_mb(["defaults"])
    for argv, cap in ((["analyze", str(scenario), "--ranges", str(huge)], "1,000,000"),
                      (["workspace", "import", str(huge)], "5,000,000"),
                      (["workshop", "answer", workshop_id, str(huge)], "1,000,000")):
        status, err, rss = _max_rss_mb(argv)
        assert status == 2 and "Traceback" not in err and err.count("\n") == 1, (argv, err)
        assert f"at most {cap} bytes" in err
        assert rss - idle < 500, (argv, rss, idle)  # not read: no memory beyond the program's


def test_workspace_export_refuses_a_read_only_file_as_run_csv_does(tmp_path, capsys):
    target = tmp_path / "ws.json"
    target.write_text("keep me\n")
    target.chmod(0o444)
    assert cli.main(["workspace", "export", "My scenarios", str(target)]) == 2
    assert "read-only" in one_line(capsys)
    assert target.read_text() == "keep me\n"


def test_goal_seek_of_a_name_that_is_no_assumption_is_a_short_line(tmp_path, capsys):
    scenario = tmp_path / "s.json"
    scenario.write_text("{}")
    assert cli.main(["analyze", str(scenario), "--goal-seek", "__class__"]) == 2
    line = one_line(capsys)
    assert "'__class__' cannot be searched" in line and len(line) < 160


def test_a_workspace_file_holding_more_than_a_workspace_holds_is_refused_by_its_counts(tmp_path,
                                                                                     capsys):
    from model.store.transfer import FORMAT, MAX_SCENARIOS

    many = tmp_path / "many.json"
    many.write_text(json.dumps({"format": FORMAT, "version": 1, "name": "Many", "scenarios": [
        {"name": f"s{i}", "values": {}} for i in range(MAX_SCENARIOS + 1)]}))
    assert cli.main(["workspace", "import", str(many)]) == 2
    assert f"holds {MAX_SCENARIOS + 1:,} scenarios" in one_line(capsys)
