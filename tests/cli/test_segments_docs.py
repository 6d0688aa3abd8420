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
