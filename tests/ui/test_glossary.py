"""One glossary (issue 22): every figure has one name, on every page, in the reports and in the
CLI's explanation; the comparison report keeps one row per result and states the levers."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pandas as pd

from model.assumptions import defaults
from model.simulation import run
from tests.support.app import ROOT
from ui import analysis_charts, compare_charts, glossary, report
from ui.comparison_report import comparison_files
from ui.fields import FIELDS
from ui.format import cents, compact


def test_every_field_takes_its_words_from_the_glossary():
    for f in FIELDS:
        assert f.label == glossary.name(f.key) and f.meaning == glossary.meaning(f.key)
    names = [t.name for t in glossary.TERMS]
    assert len(names) == len(set(names))  # no two figures share a name
    # The total is named the same on the dashboard, the compare table, the report and the odds.
    total = glossary.name("delta_npv")
    assert next(f for f in FIELDS if f.key == "delta_npv").headline == total
    r = run()
    assert total in compare_charts.metrics_table([("A", r), ("B", r)]).index
    assert total in [row[1] for row in report.summary_rows(r)]
    assert analysis_charts.METRIC_TITLES["delta_npv"] == total
    assert "ΔNPV over the horizon" not in json.dumps([t.name for t in glossary.TERMS])


def test_the_cli_explains_every_field_with_the_glossarys_words(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"honesty": 0.6}))
    out = subprocess.run([sys.executable, "cli.py", "run", "--explain", str(path)], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    explained = json.loads(out.stdout)
    s = run({"honesty": 0.6}).summary
    assert set(explained) == set(s.to_dict())
    for f in FIELDS:
        assert explained[f.key]["name"] == f.label
        assert explained[f.key]["meaning"] == f.meaning
        assert explained[f.key]["value"] == getattr(s, f.key)
    assert all(e["meaning"] for e in explained.values())


def test_the_comparison_report_has_one_row_per_result_the_levers_and_short_amounts():
    scenarios = [("Cautious", "", {**defaults(), "honesty": 0.3, "tenure_years": 3.0}),
                 ("Bold", "", {**defaults(), "honesty": 0.9, "tenure_years": 7.0})]
    files = comparison_files(scenarios, "W", "2026-12-02")
    html = files["comparison.html"].decode()
    # One row for the result inside the tenure, whatever each scenario's tenure (defect 5).
    assert html.count('data-key="delta_inside_tenure"') == 1
    # The lever settings each scenario was run with.
    assert "Lever settings" in html
    row = re.search(r'<tr data-key="tenure_years">(.*?)</tr>', html).group(1)
    assert "3 years" in row and "7 years" in row
    assert re.search(r'<tr data-key="honesty">.*?30 %.*?90 %', html)
    # Amounts at three significant figures, exact in the tooltip; the CSV keeps them exact.
    bold = run(scenarios[1][2]).summary
    cell = re.search(r'<tr data-key="delta_npv">.*?</tr>', html).group(0)
    assert compact(bold.delta_npv).lstrip("−") in cell
    assert cents(bold.delta_npv).lstrip("−") in cell  # in the title attribute
    assert not re.search(r">[^<]*\d\.\d\d</td>", cell)  # never shown to the cent
    frame = pd.read_csv(io.BytesIO(files["comparison.csv"]))
    assert float(frame.loc[frame["key"] == "delta_npv", "Bold"].iloc[0]) == bold.delta_npv
    assert frame["key"].tolist().count("delta_inside_tenure") == 1
    assert float(frame.loc[frame["key"] == "tenure_years", "Cautious"].iloc[0]) == 3.0
