"""The report: its numbers are the model's, its text is escaped, its CSV is safe, its CLI is clean."""

from __future__ import annotations

import base64
import csv
import io
import os
import re
import struct
import subprocess
import sys
import zipfile
from datetime import date
from html import unescape

import pandas as pd
import pytest

from model.assumptions import REGISTRY, defaults
from model.simulation import run
from tests.support.app import ROOT
from ui import report
from ui.format import cents, compact, signed_compact, value_with_unit
from ui.verdict import verdict_sentence

NASTY = "<script>alert('x')</script> & “Bold” 大胆"
FILES = {"report.html", "monthly.csv", "profit.png", "sacrifice.png", "customers_trust.png"}


@pytest.fixture(scope="module")
def bold_run():
    return run({"honesty": 0.9, "investment": 12_000_000.0, "tenure_years": 6.5})


@pytest.fixture(scope="module")
def files(bold_run):
    return report.report_files(bold_run, NASTY, date(2026, 11, 22))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def cell(html: str, key: str) -> tuple[str, str]:
    """(data-value, shown text) of a row of the results table."""
    m = re.search(rf'<tr data-key="{key}"><td>[^<]*</td><td class=num data-value="([^"]*)" '
                  r'title="[^"]*">([^<]*)</td>', html)
    assert m, key
    return m.group(1), unescape(m.group(2))


def tip(html: str, key: str) -> str:
    """The exact text in the tooltip of a row of the results table."""
    m = re.search(rf'<tr data-key="{key}"><td>[^<]*</td><td class=num data-value="[^"]*" '
                  r'title="([^"]*)">', html)
    assert m, key
    return unescape(m.group(1))


# --- the HTML -----------------------------------------------------------------------------------

def test_all_files_are_there(files):
    assert set(files) == FILES
    for name in FILES - {"report.html", "monthly.csv"}:
        width, height = png_size(files[name])
        assert width > 600 and height > 200


def test_numbers_in_the_html_are_the_models(files, bold_run):
    html = files["report.html"].decode("utf-8")
    s = bold_run.summary
    for key in ("npv_status_quo", "npv_scenario", "delta_npv", "delta_inside_tenure",
                "delta_after_tenure", "delta_npv_excl_terminal", "deepest_sacrifice"):
        exact, shown = cell(html, key)
        assert float(exact) == getattr(s, key), key
        assert cents(getattr(s, key)).lstrip("−") in tip(html, key), key  # exact in the tooltip
        assert shown in (compact(getattr(s, key)), signed_compact(getattr(s, key))), key
    exact, shown = cell(html, "payback_month")
    assert s.payback_month is not None and int(exact) == s.payback_month
    assert shown == f"month {s.payback_month} (year {s.payback_year})"
    # the exact amounts are also readable in the text itself
    assert f"{abs(s.delta_npv):,.2f}" in html and f"{abs(s.npv_status_quo):,.2f}" in html


def test_verdict_date_and_name_are_in_the_html_and_escaped(files, bold_run):
    html = files["report.html"].decode("utf-8")
    assert "<script>" not in html  # the page itself has no scripts at all
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; “Bold” 大胆" in html
    verdict = re.search(r'<p class="verdict" id="verdict">([^<]*)</p>', html).group(1)
    assert unescape(verdict) == verdict_sentence(bold_run.summary)
    assert '<span id="generated-on">2026-11-22</span>' in html


def test_assumptions_table_lists_every_assumption_with_its_unit(files, bold_run):
    html = files["report.html"].decode("utf-8")
    table = html[html.index('<table id="assumptions">'):]
    defaults_ = defaults()
    for a in REGISTRY:
        m = re.search(rf'<tr[^>]*data-key="{a.name}"><td>([^<]*)</td><td class=num>([^<]*)</td>'
                      rf"<td class=num>([^<]*)</td></tr>", table)
        assert m, a.name
        assert unescape(m.group(1)) == a.label
        # the unit is in the value as a reader says it ("25 %", "$6,000,000", "18 months")
        assert unescape(m.group(2)) == value_with_unit(bold_run.values[a.name], a.unit)
        assert unescape(m.group(3)) == value_with_unit(defaults_[a.name], a.unit)
    assert table.count("class=changed") == 3  # honesty, investment, tenure differ from defaults


def test_the_report_leaves_out_developer_material(files, bold_run):
    html = files["report.html"].decode("utf-8")
    visible = re.sub(r"<[^>]+>", " ", html[html.index("<body>"):])  # text, not attributes
    assert "scenario-json" not in html and "<pre" not in html  # no raw scenario JSON
    assert '"honesty":' not in visible and "{" not in visible
    codes = [a.name for a in REGISTRY if "_" in a.name]  # one-word keys are ordinary words
    assert len(codes) > 20
    for code in codes:  # no assumption keys in the text a reader sees
        assert code not in visible, code
    for code in ("fraction/year", "currency/month", ">fraction<", ">currency<"):
        assert code not in html, code


@pytest.mark.slow
def test_the_report_shows_the_scenario_note_escaped(bold_run):
    note = "For the board <b>on Monday</b> & the CFO"
    html = report.report_files(bold_run, "Bold", date(2026, 11, 22), note=note)[
        "report.html"].decode("utf-8")
    got = re.search(r'<p class="note" id="scenario-note"><strong>Note:</strong> ([^<]*)</p>',
                    html)
    assert got and unescape(got.group(1)) == note
    plain = report.report_files(bold_run, "Bold", date(2026, 11, 22))["report.html"].decode()
    assert 'id="scenario-note"' not in plain  # no empty note


@pytest.mark.slow
def test_building_a_report_reports_progress(bold_run):
    seen = []
    report.report_files(bold_run, "Bold", date(2026, 11, 22),
                        progress=lambda done, total, what: seen.append((done, total, what)))
    assert [d for d, _, _ in seen] == list(range(len(report.CHARTS) + 1))
    assert all(t == len(report.CHARTS) + 1 and w for _, t, w in seen)


def test_charts_are_embedded_as_the_same_pngs(files):
    html = files["report.html"].decode("utf-8")
    embedded = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert [base64.b64decode(e) for e in embedded] == [
        files["profit.png"], files["sacrifice.png"], files["customers_trust.png"]]
    assert "http://" not in html and "https://" not in html  # self-contained: nothing to fetch


# --- the CSV ------------------------------------------------------------------------------------

def test_csv_columns_equal_the_model_exactly(files, bold_run):
    table = pd.read_csv(io.BytesIO(files["monthly.csv"]))  # pandas 3 reads floats round-trip
    expected = bold_run.combined_table()
    assert list(table.columns) == list(expected.columns)
    assert list(table["strategy"]) == list(expected["strategy"])
    for column in expected.columns[1:]:
        assert (table[column].to_numpy() == expected[column].to_numpy()).all(), column


def test_formula_cells_are_neutralised_and_numbers_stay_numbers():
    frame = pd.DataFrame({
        "=HYPERLINK(\"http://x\")": ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain"],
        "number": [-5.0, 1.5, -0.25, 0.0, 2.0, -1e-9, 3.0],
    })
    rows = list(csv.reader(io.StringIO(report.safe_csv(frame), newline="")))
    assert rows[0] == ["'=HYPERLINK(\"http://x\")", "number"]
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx",
                                        "plain"]
    assert [float(r[1]) for r in rows[1:]] == list(frame["number"])
    assert rows[1][1] == "-5.0"  # a negative number is not text: untouched


# --- ZIP and command line ---------------------------------------------------------------------

def test_zip_holds_every_file(files):
    with zipfile.ZipFile(io.BytesIO(report.report_zip(files, "my-report"))) as z:
        assert sorted(z.namelist()) == sorted(f"my-report/{f}" for f in FILES)
        assert z.read("my-report/monthly.csv") == files["monthly.csv"]


@pytest.mark.slow
def test_cli_writes_the_same_files(tmp_path, bold_run):
    scenario = tmp_path / "bold plan.json"
    scenario.write_text('{"honesty": 0.9, "investment": 12000000, "tenure_years": 6.5}')
    out = tmp_path / "out" / "nested"
    proc = subprocess.run([sys.executable, "cli.py", "report", str(scenario), "--out",
                           str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert {p.name for p in out.iterdir()} == FILES
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<strong id="scenario-name">bold plan</strong>' in html
    assert f'data-value="{bold_run.summary.delta_npv!r}"' in html
    assert (out / "monthly.csv").read_bytes() == report.safe_csv(
        bold_run.combined_table()).encode("utf-8")
    assert os.stat(out / "report.html").st_mode & 0o044  # readable by others, like any file


@pytest.mark.slow
@pytest.mark.parametrize("content, message", [
    ('{"honesty": 2}', "honesty: 2 is out of range"),
    ('{"honsty": 0.5}', "unknown key 'honsty'"),
    ('{"honesty": NaN}', "honesty: nan is not a finite number"),
    ("not json", "not valid JSON"),
])
def test_cli_fails_cleanly_on_a_bad_scenario(tmp_path, content, message):
    scenario = tmp_path / "bad.json"
    scenario.write_text(content)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "cli.py", "report", str(scenario), "--out",
                           str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert not out.exists()  # nothing written


def test_cli_in_process_refuses_a_file_as_out_dir(tmp_path, capsys):
    scenario = tmp_path / "s.json"
    scenario.write_text("{}")
    blocker = tmp_path / "taken"
    blocker.write_text("keep me")
    import cli

    assert cli.main(["report", str(scenario), "--out", str(blocker)]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert blocker.read_text() == "keep me"


@pytest.mark.slow
def test_the_model_package_does_not_import_altair():
    code = ("import sys, model.analysis, model.churn, model.simulation, model.library;"
            "print('altair' in sys.modules, 'streamlit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]
