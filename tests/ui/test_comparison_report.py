"""The comparison report: 1–5 scenarios, notes and workshop votes, escaped, printable, CSV, PNG."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest

from model.assumptions import defaults
from model.workshop import StoredAnswer, tally
from tests.support.app import open_app
from ui.comparison_report import comparison_files

HOSTILE = '<script>alert(1)</script><img src="http://127.0.0.1:9/x.png">'


def scenarios(n: int = 2) -> list[tuple[str, str, dict]]:
    out = [(HOSTILE, "=cmd|' /C calc'!A0\nsecond line", {**defaults(), "honesty": 0.2})]
    out += [(f"Plan {i}", f"note {i}", {**defaults(), "honesty": 0.3 + i / 10})
            for i in range(1, n)]
    return out


def room():
    est = json.dumps({"bad_profit_share": {"low": 0.02, "likely": 0.05, "high": 0.1}})
    return tally([StoredAnswer("a", "", "before", "yes", 0.5, est, ""),
                  StoredAnswer("b", "", "before", "no", 0.5, est, ""),
                  StoredAnswer("a", "", "after", "yes", 0.5, est, "")])


def test_html_is_self_contained_escaped_and_printable():
    files = comparison_files(scenarios(3), "Client <b>", "2026-11-23", (HOSTILE, room()))
    html = files["comparison.html"].decode()
    assert "<script>" not in html and 'src="http://' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "Client &lt;b&gt;" in html
    assert "@media print" in html and "@page" in html
    assert not re.search(r'(src|href)="(?!data:)', html)  # nothing fetched from anywhere
    assert html.count("<figure>") == 3  # profit, cumulative Δ, votes
    assert "Before the analysis" in html and "Likely (median)" in html
    for name in ("profit.png", "delta.png", "votes.png"):
        assert files[name].startswith(b"\x89PNG")


def test_csv_has_one_column_per_scenario_and_neutralises_formulas():
    files = comparison_files(scenarios(2), "W", "2026-11-23")
    frame = pd.read_csv(io.BytesIO(files["comparison.csv"]))
    assert list(frame.columns) == ["key", "result", HOSTILE, "Plan 1"]
    note = frame.loc[frame["key"] == "note", HOSTILE].iloc[0]
    assert not note.startswith("=")
    delta = frame.loc[frame["key"] == "delta_npv"]
    assert float(delta[HOSTILE].iloc[0]) != float(delta["Plan 1"].iloc[0])
    assert "votes.png" not in files


@pytest.mark.parametrize("n", [0, 6])
def test_one_to_five_scenarios(n):
    many = [(f"S{i}", "", defaults()) for i in range(n)]
    with pytest.raises(ValueError, match="1 to 5"):
        comparison_files(many, "W", "2026-11-23")


def test_the_workshop_page_builds_the_report():
    at = open_app("pages/workshop.py")
    assert at.multiselect(key="rep_pick").value == ["Status quo", "Cautious", "Bold"]
    at.button(key="rep_build").click().run()
    assert not at.exception
    assert at.session_state["rep_files"]["comparison.html"].startswith(b"<!doctype html>")


def test_pooled_ranges_in_readers_units_notes_in_and_progress_through_every_step():
    steps = []
    files = comparison_files(scenarios(2), "W", "2026-11-23", ("Room", room()),
                             progress=lambda done, total, what: steps.append((done, total, what)))
    html = files["comparison.html"].decode()
    # 0.02 / 0.05 / 0.1 of revenue read as percentages, not model fractions
    pooled = html[html.index("Assumption (pooled)"):]
    row = re.search(r"<tr><td>[^<]*</td><td class=num>\d+</td>(.*?)</tr>", pooled).group(1)
    assert "2 %" in row and "10 %" in row and "0.02" not in row and "0.1<" not in row
    assert "note 1" in html and "second line" in html  # every scenario's note
    total = steps[0][1]
    assert [d for d, _, _ in steps] == list(range(total)) and total == 5  # runs, 3 charts, page
    assert all(w for _, _, w in steps)
