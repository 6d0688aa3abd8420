"""Every ```json scenario in docs/segments.md runs through `cli.py run` as written."""

from __future__ import annotations

import json
import re

import pytest

import cli
from tests.support.app import ROOT

DOC = (ROOT / "docs" / "segments.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```json\n(.*?)```", DOC, flags=re.S)


def test_the_doc_has_its_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("i", range(len(EXAMPLES)))
def test_each_documented_example_runs(i, tmp_path, capsys):
    path = tmp_path / "scenario.json"
    path.write_text(EXAMPLES[i], encoding="utf-8")
    assert cli.main(["run", str(path)]) == 0, capsys.readouterr().err
    out = json.loads(capsys.readouterr().out)
    data = json.loads(EXAMPLES[i])
    for key in ("segments", "tiers", "fixes"):
        assert (key in out) == (key in data)


def test_fixes_rank_runs_on_the_documented_fixes(tmp_path, capsys):
    example = next(e for e in EXAMPLES if '"fixes"' in e)
    path = tmp_path / "scenario.json"
    path.write_text(example, encoding="utf-8")
    assert cli.main(["fixes", "rank", str(path), "--budget", "2000000"]) == 0
    assert json.loads(capsys.readouterr().out)["ranking"]


def test_the_readme_example_with_segments_runs_and_flags_the_vulture(tmp_path, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```json\n(.*?)```", readme, re.S)
                   if '"segments"' in b)
    path = tmp_path / "readme.json"
    path.write_text(example, encoding="utf-8")
    assert cli.main(["run", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    hunters = out["segments"][1]
    assert hunters["segment"] == "Deal hunters" and hunters["vulture"]
    assert f"{hunters['ltv_honest']:,.0f}" in hunters["vulture_reason"]


def test_the_documented_tier_file_fits_as_written(tmp_path, capsys):
    """docs/segments.md's plans.csv, with the command printed above it."""
    block = next(b for b in re.findall(r"```csv\n(.*?)```", DOC, flags=re.S)
                 if b.startswith("customer_id,plan_2024"))
    command = re.search(r"cli\.py (tiers fit plans\.csv .*)", DOC).group(1).split()
    (tmp_path / "plans.csv").write_text(block, encoding="utf-8")
    command[2] = str(tmp_path / "plans.csv")
    assert cli.main(command) == 0, capsys.readouterr().err
    out = json.loads(capsys.readouterr().out)
    assert [t["name"] for t in out["tiers"]] == ["Basic", "Plus"]  # by revenue, lightest first
    assert out["customers"] == 5 and out["churned"] == 1
